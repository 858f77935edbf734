"""What the load and fault scripts share: their PostgreSQL database with generated parks, respondents and action
updaters; the platform under gunicorn on loopback; timed requests; and the check that every accepted write is
stored exactly once.

The scripts run from this folder and import it as `_server` (and `_common` through it).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import requests
from _common import ROOT, SECRET_KEY, flask, free_port, fresh_database, make_app, start_gunicorn, stop

DEFAULT_URL = "postgresql+psycopg://root@127.0.0.1:5432/bench_load"
PARKS = 60  # 10-60 companies each: enough unused personal links for the respondents
REQUEST_TIMEOUT = 15  # seconds
WRITE_STATUSES = {201, 200}


@dataclass(frozen=True)
class Updater:
    """A user (advisor on one park) with a read-write API token, and the action of that park they update."""

    secret: str
    park_id: int
    action_id: int


@dataclass(frozen=True)
class World:
    invitations: list[str]  # unused personal links of open surveys
    updaters: list[Updater]


# The data --------------------------------------------------------------------------------------------------


def prepare(url: str, *, respondents: int, updaters: int) -> World:
    """A fresh, migrated database with generated parks, `updaters` advisors with a token each, and the links."""
    fresh_database(url)
    flask(url, "db", "upgrade")
    flask(url, "bench-data", "--parks", str(PARKS))
    from app.extensions import db

    app = make_app(url)
    with app.app_context():
        world = _people(respondents, updaters)
        db.engine.dispose()
    return world


def _people(respondents: int, updaters: int) -> World:
    from sqlalchemy import select

    from app.api.models import ApiScope
    from app.api.tokens import create_token
    from app.auth.models import Membership, Role, User
    from app.extensions import db
    from app.parks.models import Cycle, CycleStatus
    from app.plans.models import Plan, PlanAction
    from app.surveys.invitations import link_token
    from app.surveys.models import InvitationStatus, Survey, SurveyInvitation, SurveyStatus

    links = [
        link_token(link_id)
        for link_id in db.session.scalars(
            select(SurveyInvitation.link_id)
            .join(Survey)
            .where(Survey.status == SurveyStatus.OPEN, SurveyInvitation.status == InvitationStatus.INVITED)
            .order_by(SurveyInvitation.id)
            .limit(respondents)
        )
    ]
    # one action of each park's active plan, a park per updater
    actions = db.session.execute(
        select(Cycle.park_id, PlanAction.id)
        .join(Plan, Plan.id == PlanAction.plan_id)
        .join(Cycle, Cycle.id == Plan.cycle_id)
        .where(Cycle.status == CycleStatus.ACTIVE)
        .order_by(Cycle.park_id, PlanAction.id)
        .distinct(Cycle.park_id)
        .limit(updaters)
    ).all()
    if len(links) < respondents or len(actions) < updaters:
        raise SystemExit(f"the generated data has {len(links)} links and {len(actions)} parks with a plan")
    people = []
    now = datetime.now(UTC)
    for n, (park_id, action_id) in enumerate(actions):
        user = User(email=f"bijwerker{n}@bench.example", name=f"Bijwerker {n}", password_hash=None)
        db.session.add_all([user, Membership(user=user, role=Role.ADVISOR, park_id=park_id)])
        db.session.flush()
        secret = create_token(user, name="Belasting", scope=ApiScope.WRITE, now=now).secret
        people.append(Updater(secret, park_id, action_id))
    db.session.commit()
    return World(list(links), people)


# The server ------------------------------------------------------------------------------------------------


@contextmanager
def platform(url: str, workers: int = 4, env: dict[str, str] | None = None) -> Iterator[tuple[str, int]]:
    """The platform under gunicorn (production settings, and `env` on top) on a free loopback port; yields its base
    URL and the gunicorn master's process id."""
    port = free_port()
    env = {"APP_ENV": "production", "SECRET_KEY": SECRET_KEY, "DATABASE_URL": url, **(env or {})}
    process = start_gunicorn("app:create_app()", port, env, ROOT, workers)
    try:
        _warm_up(f"http://127.0.0.1:{port}", process.pid, workers)
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        stop(process)


def workers_of(master_pid: int) -> set[int]:
    """The process ids of the gunicorn master's workers."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return {int(pid) for pid in children}


def _warm_up(base: str, master_pid: int, workers: int) -> None:
    """Wait until every worker is forked and has loaded the app: the master listens before they do, and the
    first requests would otherwise time the workers' start."""
    deadline = time.monotonic() + 60
    while len(workers_of(master_pid)) < workers and time.monotonic() < deadline:
        time.sleep(0.2)

    def get() -> None:
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{base}/inloggen", timeout=REQUEST_TIMEOUT).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)

    threads = [threading.Thread(target=get) for _ in range(2 * workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# Requests --------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What a client saw: per kind of request its statuses and latencies, and which marked writes were taken."""

    statuses: dict[str, Counter] = field(default_factory=dict)
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    accepted: dict[str, set[str]] = field(default_factory=dict)
    refused: dict[str, set[str]] = field(default_factory=dict)
    unclear_503: list[str] = field(default_factory=list)
    #: (time.monotonic() when the answer came, kind, status), for the fault scripts' phases
    events: list[tuple[float, str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, status: int, ms: float, marker: str | None = None, taken=WRITE_STATUSES) -> None:
        """`taken`: the statuses that tell the client its write was taken (a form's 302 too)."""
        with self.lock:
            self.events.append((time.monotonic(), kind, status))
            self.statuses.setdefault(kind, Counter())[status] += 1
            self.latencies_ms.setdefault(kind, []).append(ms)
            if marker is not None:
                markers = self.accepted if status in taken else self.refused
                markers.setdefault(kind, set()).add(marker)


def call(
    session: requests.Session,
    outcome: Outcome,
    kind: str,
    method: str,
    url: str,
    marker=None,
    taken=WRITE_STATUSES,
    **kwargs,
):
    """One request, timed and recorded; returns its status, 0 for a transport error."""
    started = time.perf_counter()
    try:
        response = session.request(method, url, timeout=REQUEST_TIMEOUT, **kwargs)
    except requests.RequestException:
        outcome.record(kind, 0, (time.perf_counter() - started) * 1000, marker, taken)
        return 0
    outcome.record(kind, response.status_code, (time.perf_counter() - started) * 1000, marker, taken)
    if response.status_code == 503 and not _clear_503(response):
        with outcome.lock:
            outcome.unclear_503.append(f"{method} {url}: {response.headers} {response.text[:200]}")
    return response.status_code


def _clear_503(response: requests.Response) -> bool:
    """A 503 that says what happened: Retry-After, and the page or the problem about the database."""
    return "Retry-After" in response.headers and "database" in response.text


def respond(session, outcome: Outcome, base: str, token: str, answers: dict, marker: str):
    """A respondent opens their link and posts their answers, with `marker` as their remark; the post's status."""
    call(session, outcome, "open link", "GET", f"{base}/enquete/{token}")
    body = {"answers": {**answers, "remarks": marker}, "contact": None}
    return call(session, outcome, "respond", "POST", f"{base}/enquete/{token}/antwoorden", marker, json=body)


def update(session, outcome: Outcome, base: str, updater: Updater, marker: str):
    """An action's owner writes a progress note through the API; its status."""
    url = f"{base}/api/v1/parks/{updater.park_id}/actions/{updater.action_id}"
    headers = {"Authorization": f"Bearer {updater.secret}"}
    return call(session, outcome, "update action", "PATCH", url, marker, json={"note": marker}, headers=headers)


# The check -------------------------------------------------------------------------------------------------


def stored(url: str, prefix: str) -> tuple[dict[str, Counter], list[str]]:
    """How often each marker starting with `prefix` is in the database (answers' remarks, action notes), and
    what is half-written: a personal link used without its answers stored, or answers without their link used.

    The claim of the link and the answers are one transaction, so on the whole database the used links and the
    answers given through a personal link are as many (the generated data keeps that too).
    """
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        remarks = connection.execute(
            text("SELECT answers ->> 'remarks' FROM survey_responses WHERE answers ->> 'remarks' LIKE :p"),
            {"p": f"{prefix}%"},
        ).scalars()
        notes = connection.execute(text("SELECT text FROM action_notes WHERE text LIKE :p"), {"p": f"{prefix}%"})
        found = {"respond": Counter(remarks), "update action": Counter(notes.scalars())}
        used = connection.execute(text("SELECT count(*) FROM survey_invitations WHERE status = 'used'")).scalar()
        personal = connection.execute(text("SELECT count(*) FROM survey_responses WHERE NOT via_public_link")).scalar()
    engine.dispose()
    half = [] if used == personal else [f"half-written: {used} links used but {personal} personal answer sets"]
    return found, half


def verify(outcome: Outcome, found: dict[str, Counter]) -> tuple[dict, list[str]]:
    """Compare what clients were told with what is stored (`found`, by kind of write).

    Lost: accepted but not stored. Duplicated: stored more than once. A write the client was not told was taken
    (an error, a 503, a dropped connection) may still have been committed: counted as `stored_though_refused`.
    """
    figures, failures = {}, []
    for kind, counts in found.items():
        accepted = outcome.accepted.get(kind, set())
        refused = outcome.refused.get(kind, set())
        lost = sorted(m for m in accepted if counts[m] == 0)
        duplicated = sorted(m for m, n in counts.items() if n > 1 and (m in accepted or m in refused))
        figures[kind] = {
            "accepted": len(accepted),
            "refused": len(refused),
            "lost": len(lost),
            "duplicated": len(duplicated),
            "stored_though_refused": sum(1 for m in refused if counts[m] > 0),
        }
        if lost:
            failures.append(f"{kind}: {len(lost)} accepted writes lost, e.g. {lost[:3]}")
        if duplicated:
            failures.append(f"{kind}: {len(duplicated)} writes stored more than once, e.g. {duplicated[:3]}")
    return figures, failures


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()  # noqa: S607


def database_url() -> str:
    return os.environ.get("BENCH_LOAD_DATABASE_URL", DEFAULT_URL)


# Mail: an outbox of marked mails, an SMTP server that counts what arrives, the scheduler's commands ---------


def queue_mails(url: str, n: int, run: str) -> list[str]:
    """A fresh, migrated database with `n` queued mails, each with its own subject (returned)."""
    fresh_database(url)
    flask(url, "db", "upgrade")
    return add_mails(url, n, run)


def add_mails(url: str, n: int, run: str) -> list[str]:
    """`n` more queued mails, each with its own subject (returned)."""
    from app.extensions import db
    from app.mail.models import MailStatus, OutboxMail

    subjects = [f"{run}-{i}" for i in range(n)]
    app = make_app(url)
    with app.app_context():
        db.session.add_all(
            OutboxMail(
                recipient=f"ontvanger{i}@bench.example",
                locale="nl",
                subject=subject,
                text_body="Herinnering",
                html_body="<p>Herinnering</p>",
                status=MailStatus.QUEUED,
                attempts=0,
            )
            for i, subject in enumerate(subjects)
        )
        db.session.commit()
        db.engine.dispose()
    return subjects


def mail_states(url: str, table: str = "outbox_mails") -> Counter:
    """How many mails of the outbox (or runs in job_runs) are in each state."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        query = text(f"SELECT status, count(*) FROM {table} GROUP BY 1")  # noqa: S608 - our own table names
        states = Counter(dict(connection.execute(query).all()))
    engine.dispose()
    return states


class SmtpServer:
    """A local SMTP server (aiosmtpd) that counts the mails it accepted by subject; `delay` seconds per mail
    play a slow server, so that a run of the scheduler lasts long enough to be interrupted."""

    def __init__(self, delay: float = 0.0) -> None:
        self.port = free_port()
        self.delay = delay
        self.received: Counter = Counter()
        #: the connections clients greeted it on (EHLO)
        self.connections = 0
        self._controller = None

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        self.connections += 1
        return responses

    async def handle_DATA(self, server, session, envelope):
        import asyncio
        from email import message_from_bytes, policy

        await asyncio.sleep(self.delay)
        self.received[message_from_bytes(envelope.original_content, policy=policy.default)["Subject"]] += 1
        return "250 OK"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def mail_env(url: str, smtp_port: int) -> dict[str, str]:
    """The environment of the scheduler (or `flask jobs run-once`) sending through the local SMTP server."""
    return {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": url,
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port),
    }


def mail_verdict(subjects: list[str], received: Counter, states: Counter) -> tuple[dict, list[str]]:
    """Every mail arrived exactly once and is marked sent: the figures and what broke that."""
    lost = [s for s in subjects if received[s] == 0]
    twice = [s for s in subjects if received[s] > 1]
    figures = {
        "mails": len(subjects),
        "arrived_once": sum(1 for s in subjects if received[s] == 1),
        "lost": len(lost),
        "arrived_twice_or_more": len(twice),
        "outbox_states": dict(states),
    }
    failures = [f"{len(lost)} mails never arrived, e.g. {lost[:3]}"] if lost else []
    failures += [f"{len(twice)} mails arrived more than once: {twice[:5]}"] if twice else []
    if states.get("sent", 0) != len(subjects):
        failures.append(f"outbox not all sent: {dict(states)}")
    return figures, failures
