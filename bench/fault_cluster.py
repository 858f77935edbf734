"""Fault: two web instances and two schedulers on PostgreSQL, Redis and an S3 server; one of each killed mid-run.

The production layout of docs/operations.md on one machine: two gunicorn instances (2 workers each) and two
`flask jobs run` schedulers share a fresh PostgreSQL database, Redis (the rate limits) and a bucket on a local S3
API server (moto, uploads). Clients write through both instances, alternating: respondents post survey answers,
action owners write progress notes through the API, advisors upload schouw photos. The outbox holds mails that
the scheduler delivers to a slow local SMTP server. A third into the run one web instance (master and workers) is
killed with SIGKILL, and the leading scheduler is killed the same way once a third of the mails went out, in the
middle of its delivery run; the clients go on against the instance that answers (as a load balancer would send
them), write for a while after both kills, and a replacement web instance is started afterwards, as Kubernetes
would.

Afterwards it checks: every accepted write stored exactly once and nothing half-written; every accepted photo
readable, byte for byte, from the surviving and the replacement instance; every mail arrived exactly once; one
token's requests through both instances were let through exactly API_RATE_LIMIT times; the stand-in scheduler took
the lease within a minute and the killed leader's run is marked abandoned, not running.

    .venv/bin/python bench/fault_cluster.py [--seconds 60] [--short]

The database is BENCH_CLUSTER_DATABASE_URL (default .../bench_cluster); it is emptied first. Redis database 9 is
flushed. Writes bench/results/fault_cluster.json; exits 1 when a check fails. `--short` is the version
tests/test_cluster.py runs in CI.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import signal
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import requests
from _common import FLASK, ROOT, SECRET_KEY, flask, free_port, fresh_database, make_app, report, start_gunicorn, stop
from _server import (
    REQUEST_TIMEOUT,
    Outcome,
    SmtpServer,
    _people,
    add_mails,
    call,
    mail_states,
    mail_verdict,
    respond,
    stored,
    update,
    uptime,
    verify,
    workers_of,
)

DEFAULT_URL = "postgresql+psycopg://root@127.0.0.1:5432/bench_cluster"
REDIS_URL = "redis://127.0.0.1:6379/9"
BUCKET = "bench-cluster"
PARKS = 20
PASSWORD = "cluster-wachtwoord-2026"  # noqa: S105 - the generated advisors' password
LEASE_SECONDS = 10  # the schedulers' lease: the stand-in takes over within this
MAIL_LEASE_SECONDS = 20  # a mail claimed by the killed scheduler is sent again after this
RATE_LIMIT = 200  # API requests per token per minute
LOG = Path("/tmp/vb-bench-cluster.log")  # noqa: S108 - a scratch file of ours


@dataclass(frozen=True)
class Uploader:
    """An advisor who signs in with a password and adds photos to the findings of one schouw on their park."""

    email: str
    park_id: int
    finding_ids: tuple[int, ...]


@dataclass(frozen=True)
class Cluster:
    respondents: list[str]
    updaters: list
    uploaders: list[Uploader]
    probe_token: str


# The data --------------------------------------------------------------------------------------------------


def prepare(url: str, *, respondents: int, updaters: int, uploaders: int, photos: int) -> Cluster:
    """A fresh, migrated database with generated parks, action owners, advisors with findings to photograph, and
    a token of its own for the rate-limit probe."""
    from app.extensions import db

    fresh_database(url)
    flask(url, "db", "upgrade")
    flask(url, "bench-data", "--parks", str(PARKS))
    app = make_app(url)
    with app.app_context():
        world = _people(respondents, updaters + 1)
        cluster = Cluster(
            world.invitations,
            world.updaters[:updaters],
            [_uploader(n, updater.park_id, photos) for n, updater in enumerate(world.updaters[:uploaders])],
            world.updaters[-1].secret,
        )
        db.session.commit()
        db.engine.dispose()
    return cluster


def _uploader(n: int, park_id: int, photos: int) -> Uploader:
    from datetime import date

    from app.auth.models import Membership, Role, User
    from app.auth.services import set_password
    from app.extensions import db
    from app.inventory.models import Finding, FindingCategory, Inspection
    from app.inventory.photos import MAX_PHOTOS
    from app.parks.models import Park
    from app.parks.services import active_cycle

    user = User(email=f"fotograaf{n}@bench.example", name=f"Fotograaf {n}")
    set_password(user, PASSWORD)
    park = db.session.get(Park, park_id)
    inspection = Inspection(cycle=active_cycle(park), held_on=date.today(), notes="Schouw onder belasting")
    findings = [
        Finding(inspection=inspection, category=FindingCategory.VERLICHTING, description=f"Lamp {i} kapot")
        for i in range(-(-photos // MAX_PHOTOS))
    ]
    db.session.add_all([user, Membership(user=user, role=Role.ADVISOR, park_id=park_id), inspection, *findings])
    db.session.flush()
    return Uploader(user.email, park_id, tuple(f.id for f in findings))


# The clients -----------------------------------------------------------------------------------------------

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def sign_in(base: str, email: str) -> requests.Session:
    """A browser session of `email`. The session cookie is Secure (production), which requests does not send over
    plain HTTP on loopback: it goes as a header instead, the same cookie to either instance."""
    session = requests.Session()
    page = session.get(f"{base}/inloggen", timeout=REQUEST_TIMEOUT)
    token = _CSRF.search(page.text).group(1)
    cookie = page.cookies.get("session")
    answer = session.post(
        f"{base}/inloggen",
        data={"csrf_token": token, "email": email, "password": PASSWORD},
        headers={"Cookie": f"session={cookie}"},
        allow_redirects=False,
        timeout=REQUEST_TIMEOUT,
    )
    if answer.status_code != 302:
        raise SystemExit(f"{email} could not sign in: {answer.status_code}")
    session.headers["Cookie"] = f"session={answer.cookies.get('session')}"
    # signing in starts a new session; its first page gives it a CSRF token, which the cookie then carries
    home = session.get(f"{base}/", timeout=REQUEST_TIMEOUT)
    session.headers["Cookie"] = f"session={home.cookies.get('session')}"
    session.csrf = _CSRF.search(home.text).group(1)  # type: ignore[attr-defined] - valid on either instance
    return session


def photo_bytes(marker: str) -> bytes:
    """A small JPEG whose colour and size come from the marker, so that two photos never look alike."""
    from PIL import Image

    seed = sum(marker.encode())
    image = Image.new("RGB", (64 + seed % 64, 48), (seed % 256, (seed // 7) % 256, (seed // 13) % 256))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return buffer.getvalue()


def upload(session, outcome: Outcome, base: str, uploader: Uploader, finding_id: int, marker: str) -> int:
    """An advisor adds a photo (named after the marker) to a finding, as the form on the finding's page does; the
    status."""
    url = f"{base}/parken/{uploader.park_id}/schouw/bevindingen/{finding_id}/fotos"
    files = {"photo": (f"{marker}.jpg", photo_bytes(marker), "image/jpeg")}
    form = {"csrf_token": session.csrf}
    return call(
        session, outcome, "upload photo", "POST", url, marker, {302}, data=form, files=files, allow_redirects=False
    )


def read_photo(session, base: str, park_id: int, photo_id: int) -> bytes | None:
    try:
        answer = session.get(f"{base}/parken/{park_id}/schouw/fotos/{photo_id}", timeout=REQUEST_TIMEOUT)
    except requests.RequestException:
        return None
    return answer.content if answer.status_code == 200 else None


# The processes ---------------------------------------------------------------------------------------------


def environment(url: str, s3_url: str, smtp_port: int) -> dict[str, str]:
    """What every instance gets: one database, one Redis, one bucket, one SMTP server, short leases."""
    from tests.s3server import ENVIRONMENT

    return {
        **os.environ,
        **ENVIRONMENT,
        "APP_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "STORAGE_URL": f"s3://{BUCKET}/uploads",
        "AWS_ENDPOINT_URL": s3_url,
        "API_RATE_LIMIT": f"{RATE_LIMIT}/minute",
        "SCHEDULER_LEASE_SECONDS": str(LEASE_SECONDS),
        "MAIL_SEND_LEASE_SECONDS": str(MAIL_LEASE_SECONDS),
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port),
        "LOG_FORMAT": "json",
    }


def start_web(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    # the request log of every write would bury the script's own lines
    process = start_gunicorn("app:create_app()", port, env | {"LOG_LEVEL": "WARNING"}, ROOT, workers=2)
    return process, f"http://127.0.0.1:{port}"


def kill_web(process: subprocess.Popen) -> None:
    """SIGKILL the gunicorn master and its workers at once: no graceful end of any request."""
    pids = {process.pid, *workers_of(process.pid)}
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    process.wait(timeout=10)


def start_scheduler(env: dict[str, str]) -> subprocess.Popen:
    log = LOG.open("a")
    return subprocess.Popen([str(FLASK), "--app", "app", "jobs", "run"], cwd=ROOT, env=env, stdout=log, stderr=log)  # noqa: S603


def lease_holder(engine) -> str | None:
    from sqlalchemy import text

    with engine.connect() as connection:
        return connection.execute(
            text("SELECT holder FROM scheduler_leases WHERE name = 'scheduler' AND expires_at >= now()")
        ).scalar()


def holder_pid(holder: str | None) -> int | None:
    """The process id in a lease holder's name (host:pid:random)."""
    return int(holder.split(":")[1]) if holder else None


class KillingSmtpServer(SmtpServer):
    """The slow SMTP server, which at the `kill_at`-th mail calls `kill` before it answers: the scheduler then dies
    while it sends, never between the server's acceptance and its own record of it (the one moment in which the
    outbox, sending at least once, would send a mail twice; see fault_scheduler_kill.py)."""

    def __init__(self, delay: float, kill_at: int, kill) -> None:
        super().__init__(delay)
        self.kill_at, self.kill, self.killed = kill_at, kill, threading.Event()
        self.seen = 0

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        if self.seen == self.kill_at and not self.killed.is_set():
            self.kill()
            self.killed.set()
            return "421 closing: the sender died"
        return await super().handle_DATA(server, session, envelope)


def wait_for(condition, seconds: float, what: str) -> float:
    """Wait until `condition()` holds; the seconds it took."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            raise SystemExit(f"gave up waiting for {what} after {seconds} s (see {LOG})")
        time.sleep(0.1)
    return time.monotonic() - started


# The run ---------------------------------------------------------------------------------------------------


def rate_probe(bases: list[str], secret: str) -> dict:
    """One token, RATE_LIMIT + 50 requests in turn through both instances within one clock minute: exactly
    RATE_LIMIT may pass."""
    if time.time() % 60 > 30:  # not enough of this minute left for the burst
        time.sleep(60 - time.time() % 60 + 0.5)
    statuses: Counter = Counter()
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {secret}"
        for n in range(RATE_LIMIT + 50):
            statuses[session.get(f"{bases[n % 2]}/api/v1/parks", timeout=REQUEST_TIMEOUT).status_code] += 1
    return {"limit_per_minute": RATE_LIMIT, "sent": RATE_LIMIT + 50, "statuses": dict(statuses)}


class Balancer:
    """What a load balancer does for the clients: spread the requests over the instances, and stop sending to one
    that refused a connection."""

    def __init__(self, bases: list[str]) -> None:
        self.alive = list(bases)
        self.lock = threading.Lock()

    def pick(self, n: int) -> str:
        with self.lock:
            return self.alive[n % len(self.alive)]

    def answered(self, base: str, status: int) -> None:
        if status == 0:
            with self.lock:
                if base in self.alive and len(self.alive) > 1:
                    self.alive.remove(base)


def clients(
    cluster: Cluster, balancer: Balancer, outcome: Outcome, stop_event: threading.Event, run: str, seconds: float
) -> list:
    """Start the writing clients (threads), each alternating between the instances that answer; the respondents
    come spread over `seconds`."""
    from _common import sample_bodies

    from app.inventory.photos import MAX_PHOTOS

    bodies = sample_bodies(len(cluster.respondents), seed=22)

    def respondents(share: list[tuple[int, str]]) -> None:
        with requests.Session() as session:
            for n, token in share:
                if stop_event.is_set():
                    return
                base = balancer.pick(n)
                balancer.answered(base, respond(session, outcome, base, token, bodies[n], f"{run}-r{n}"))
                time.sleep(seconds / len(share))

    def updater(u: int, person) -> None:
        with requests.Session() as session:
            n = 0
            while not stop_event.is_set():
                base = balancer.pick(n)
                balancer.answered(base, update(session, outcome, base, person, f"{run}-u{u}-{n}"))
                n += 1
                time.sleep(0.2)

    def uploader(u: int, person: Uploader) -> None:
        session = sign_in(balancer.pick(u), person.email)
        n = 0
        while not stop_event.is_set() and n < len(person.finding_ids) * MAX_PHOTOS:
            base, finding_id = balancer.pick(n), person.finding_ids[n // MAX_PHOTOS]
            balancer.answered(base, upload(session, outcome, base, person, finding_id, f"{run}-p{u}-{n}"))
            n += 1
            time.sleep(0.3)

    numbered = list(enumerate(cluster.respondents))
    threads = [threading.Thread(target=respondents, args=(numbered[i::4],)) for i in range(4)]
    threads += [threading.Thread(target=updater, args=(u, p)) for u, p in enumerate(cluster.updaters)]
    threads += [threading.Thread(target=uploader, args=(u, p)) for u, p in enumerate(cluster.uploaders)]
    for thread in threads:
        thread.start()
    return threads


def photos_readable(url: str, cluster: Cluster, outcome: Outcome, bases: list[str], run: str) -> tuple[dict, list]:
    """Every accepted photo stored once, and served the same by each instance in `bases`."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT p.id, p.original_name, c.park_id FROM finding_photos p JOIN findings f ON f.id = p.finding_id"
                " JOIN inspections i ON i.id = f.inspection_id JOIN cycles c ON c.id = i.cycle_id"
                " WHERE p.original_name LIKE :p"
            ),
            {"p": f"{run}-p%"},
        ).all()
    engine.dispose()
    found = Counter(name.removesuffix(".jpg") for _id, name, _park in rows)
    figures, failures = verify(outcome, {"upload photo": found})
    sessions = {person.park_id: sign_in(bases[-1], person.email) for person in cluster.uploaders}
    unreadable, differing = [], []
    for photo_id, name, park_id in rows:
        copies = [read_photo(sessions[park_id], base, park_id, photo_id) for base in bases]
        if any(copy is None for copy in copies):
            unreadable.append(name)
        elif len(set(copies)) > 1 or _size_of(copies[0]) != _size_of(photo_bytes(name.removesuffix(".jpg"))):
            differing.append(name)
    figures["upload photo"] |= {"readable_from_every_instance": len(rows) - len(unreadable) - len(differing)}
    if unreadable:
        failures.append(f"{len(unreadable)} photos not readable from every instance, e.g. {unreadable[:3]}")
    if differing:
        failures.append(f"{len(differing)} photos differ between instances or from what was sent: {differing[:3]}")
    return figures, failures


def _size_of(jpeg: bytes) -> tuple[int, int]:
    from PIL import Image

    return Image.open(io.BytesIO(jpeg)).size


def scheduler_runs(url: str, killed: str) -> dict:
    """The job runs by holder and status: the killed leader's must not be left running."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT holder, status, count(*) FROM job_runs GROUP BY 1, 2")).all()
    engine.dispose()
    return {
        "killed_leader": {status: n for holder, status, n in rows if holder == killed},
        "others": {f"{holder} {status}": n for holder, status, n in rows if holder != killed},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="how long the clients write")
    parser.add_argument("--short", action="store_true", help="the short version CI runs")
    args = parser.parse_args()
    seconds = 20 if args.short else args.seconds
    size = (
        {"respondents": 40, "updaters": 3, "uploaders": 2, "photos": 10, "mails": 60}
        if args.short
        else {"respondents": 400, "updaters": 12, "uploaders": 4, "photos": 60, "mails": 600}
    )
    url = os.environ.get("BENCH_CLUSTER_DATABASE_URL", DEFAULT_URL)
    run = f"cluster{int(time.time())}"
    cluster = prepare(
        url,
        respondents=size["respondents"],
        updaters=size["updaters"],
        uploaders=size["uploaders"],
        photos=size["photos"],
    )
    subjects = add_mails(url, size["mails"], f"{run}-mail")
    _flush_redis()
    LOG.write_text("")
    from sqlalchemy import create_engine

    engine = create_engine(url)
    schedulers: list[subprocess.Popen] = []
    killed_holder: list[str] = []

    def kill_leader() -> None:
        holder = lease_holder(engine)
        leader = next(s for s in schedulers if s.pid == holder_pid(holder))
        leader.send_signal(signal.SIGKILL)
        killed_holder.append(holder)

    smtp = KillingSmtpServer(delay=0.02, kill_at=size["mails"] // 3, kill=kill_leader)
    smtp.start()
    with S3(BUCKET) as s3_url:
        env = environment(url, s3_url, smtp.port)
        (web_a, base_a), (web_b, base_b) = start_web(env), start_web(env)
        webs = [web_a, web_b]
        outcome, stop_event = Outcome(), threading.Event()
        try:
            schedulers += [start_scheduler(env), start_scheduler(env)]
            wait_for(lambda: lease_holder(engine) is not None, 30, "a scheduler to take the lease")
            rate = rate_probe([base_a, base_b], cluster.probe_token)
            started = time.monotonic()
            threads = clients(cluster, Balancer([base_a, base_b]), outcome, stop_event, run, seconds)
            time.sleep(seconds / 3)
            kill_web(web_a)
            web_killed_at = time.monotonic() - started
            print(f"web instance A killed after {web_killed_at:.0f} s")
            # the leader's first delivery run starts a minute after it took the lease
            wait_for(smtp.killed.is_set, 120, "the scheduler leader to be killed while it delivers")
            leader_killed_at = time.monotonic() - started
            takeover = wait_for(
                lambda: lease_holder(engine) not in (None, killed_holder[0]), 2 * LEASE_SECONDS + 10, "the stand-in"
            )
            print(f"scheduler leader killed after {leader_killed_at:.0f} s; the stand-in took over in {takeover:.1f} s")
            # the clients write on for a while after both kills
            time.sleep(max(5.0, seconds - (time.monotonic() - started)))
            stop_event.set()
            for thread in threads:
                thread.join()
            web_c, base_c = start_web(env)  # the replacement, as the orchestrator would start it
            webs.append(web_c)
            all_sent = wait_for(
                lambda: mail_states(url).get("sent", 0) == len(subjects), MAIL_LEASE_SECONDS + 150, "every mail sent"
            )
            time.sleep(1)  # a mail sent twice would have arrived by now
            found, half = stored(url, run)
            writes, failures = verify(outcome, found)
            photo_figures, photo_failures = photos_readable(url, cluster, outcome, [base_b, base_c], run)
        finally:
            stop_event.set()
            for process in webs:
                if process.poll() is None:
                    stop(process)
            for scheduler in schedulers:
                if scheduler.poll() is None:
                    scheduler.send_signal(signal.SIGTERM)
                    scheduler.wait(timeout=30)
    smtp.stop()
    mail_figures, mail_failures = mail_verdict(subjects, smtp.received, mail_states(url))
    runs = scheduler_runs(url, killed_holder[0])
    engine.dispose()
    writes |= photo_figures
    failures += half + photo_failures + mail_failures
    failures += [
        f"no {kind} was accepted: nothing proven" for kind, figures in writes.items() if not figures["accepted"]
    ]
    if rate["statuses"].get(200, 0) != RATE_LIMIT:
        failures.append(f"the rate limit did not hold across both instances: {rate['statuses']}")
    if takeover > 60:
        failures.append(f"the stand-in took {takeover:.0f} s to take over")
    if runs["killed_leader"].get("running"):
        failures.append(f"the killed leader's run is still shown running: {runs['killed_leader']}")
    report(
        "fault_cluster-short" if args.short else "fault_cluster",
        {
            "uptime": uptime(),
            "seconds_writing": seconds,
            "web_instance_killed_after_s": round(web_killed_at, 1),
            "scheduler_leader_killed_after_s": round(leader_killed_at, 1),
            "stand_in_took_over_within_s": round(takeover, 1),
            "every_mail_sent_within_s_after_the_run": round(all_sent, 1),
            "writes": writes,
            "statuses": {kind: dict(counts) for kind, counts in outcome.statuses.items()},
            "rate_limit": rate,
            "mail": mail_figures,
            "job_runs": runs,
        },
        failures,
    )


def _flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


class S3:
    """The S3 API server of the tests (moto, on loopback) with the bucket made; yields its endpoint."""

    def __init__(self, bucket: str) -> None:
        self.bucket = bucket

    def __enter__(self) -> str:
        import boto3

        from tests.s3server import ENVIRONMENT, S3Server

        self.server = S3Server().__enter__()
        client = boto3.client(
            "s3",
            endpoint_url=self.server.url,
            region_name=ENVIRONMENT["AWS_DEFAULT_REGION"],
            aws_access_key_id=ENVIRONMENT["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=ENVIRONMENT["AWS_SECRET_ACCESS_KEY"],
        )
        client.create_bucket(Bucket=self.bucket)
        return self.server.url

    def __exit__(self, *exc) -> None:
        self.server.__exit__()


if __name__ == "__main__":
    main()
