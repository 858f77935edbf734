"""Fault: PostgreSQL stops and starts again while respondents and action owners keep writing.

Serves the platform with gunicorn (4 workers, loopback) on a fresh database with generated parks, and keeps
client threads writing (respondents posting answers through fresh personal links, owners writing progress notes
through the API). After a few seconds it stops the PostgreSQL cluster (fast shutdown: open connections are cut),
leaves it down, starts it again and writes on. gunicorn is not restarted. It proves:

- while the database is down every request gets a clear 503 (Retry-After, the message about the database)
  instead of a 500, a hang or a dropped connection;
- the app recovers by itself (the pool drops the dead connections, `app.db.recover_lost_connections`): requests
  succeed again within RECOVERY_SECONDS of the database being back, and the gunicorn workers are the same
  processes;
- no accepted write is lost or stored twice, and no answer set is half-written (a link used without answers).

    .venv/bin/python bench/fault_postgres_restart.py [--down 8] [--clients 16]

Stops and starts the whole local cluster (`pg_ctlcluster`), so it refuses to run while a connection to the CI
database `test` is open. The database is BENCH_LOAD_DATABASE_URL (default .../bench_load); it is emptied first.
Writes bench/results/fault_postgres_restart.json; exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import itertools
import subprocess
import threading
import time
from collections import Counter

import requests
from _common import report, sample_bodies
from _server import (
    Outcome,
    database_url,
    platform,
    prepare,
    respond,
    stored,
    update,
    uptime,
    verify,
    workers_of,
)

CLUSTER = ("15", "main")
RECOVERY_SECONDS = 10
PROTECTED_DATABASE = "test"


def psql(sql: str) -> str:
    command = ["psql", "-h", "127.0.0.1", "-U", "root", "-d", "postgres", "-Atc", sql]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()  # noqa: S603


def cluster(action: str) -> None:
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", *CLUSTER, action]
    if action == "stop":
        command += ["-m", "fast"]
    subprocess.run(command, check=True)  # noqa: S603


def others_connected() -> dict[str, int]:
    rows = psql("SELECT datname, count(*) FROM pg_stat_activity WHERE datname IS NOT NULL GROUP BY 1")
    return {name: int(n) for name, n in (line.split("|") for line in rows.splitlines() if line)}


def phase(at: float, down_at: float, up_at: float) -> str:
    if at < down_at:
        return "before"
    if at < up_at:
        return "down"
    return "recovering" if at < up_at + RECOVERY_SECONDS else "after"


def phases(outcome: Outcome, down_at: float, up_at: float) -> tuple[dict, list[str], float | None]:
    """Statuses before, during and after the outage; what broke the rules; seconds from the start of the
    database to the last failed request (None: none failed after it).

    Before the stop everything succeeds; from the stop until RECOVERY_SECONDS after the start only a success or
    a 503 is allowed; after that only successes. A 500 or a dropped connection is never allowed.
    """
    counts: dict[str, Counter] = {name: Counter() for name in ("before", "down", "recovering", "after")}
    broken: list[str] = []
    last_failure = None
    for at, kind, status in sorted(outcome.events):
        name = phase(at, down_at, up_at)
        counts[name][status] += 1
        if status in (200, 201):
            continue
        if at >= up_at:
            last_failure = at - up_at
        if name in ("before", "after") or status != 503:
            broken.append(f"{name}: {kind} answered {status}")
    summary = {name: {str(status): n for status, n in sorted(c.items())} for name, c in counts.items()}
    return summary, broken, last_failure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--down", type=float, default=8.0, help="seconds the database stays down")
    parser.add_argument("--clients", type=int, default=16, help="client threads, half respondents, half owners")
    args = parser.parse_args()
    if others_connected().get(PROTECTED_DATABASE):
        raise SystemExit(f"refused: a connection to the database {PROTECTED_DATABASE!r} is open")
    url = database_url()
    world = prepare(url, respondents=1_500, updaters=args.clients // 2)
    links = iter(enumerate(world.invitations))
    bodies = sample_bodies(len(world.invitations), seed=11)
    run = f"pgrestart{int(time.time())}"
    outcome = Outcome()
    stop_clients = threading.Event()
    lock = threading.Lock()

    def respondent(base: str) -> None:
        with requests.Session() as session:
            while not stop_clients.is_set():
                with lock:
                    n, token = next(links, (None, None))
                if token is None:
                    return  # every link used
                respond(session, outcome, base, token, bodies[n], f"{run}-r{n}")
                time.sleep(0.05)

    def owner(base: str, n: int) -> None:
        with requests.Session() as session:
            for k in itertools.count():
                if stop_clients.is_set():
                    return
                update(session, outcome, base, world.updaters[n], f"{run}-u{n}-{k}")
                time.sleep(0.05)

    load_before = uptime()
    with platform(url, 4) as (base, master):
        workers_before = workers_of(master)
        threads = [threading.Thread(target=respondent, args=(base,)) for _ in range(args.clients - args.clients // 2)]
        threads += [threading.Thread(target=owner, args=(base, n)) for n in range(args.clients // 2)]
        for thread in threads:
            thread.start()
        time.sleep(5)
        connected = others_connected()
        if connected.get(PROTECTED_DATABASE):
            stop_clients.set()
            raise SystemExit(f"refused: a connection to the database {PROTECTED_DATABASE!r} is open")
        down_at = time.monotonic()
        cluster("stop")
        time.sleep(args.down)
        cluster("start")
        up_at = time.monotonic()
        time.sleep(RECOVERY_SECONDS + 5)
        stop_clients.set()
        for thread in threads:
            thread.join()
        workers_after = workers_of(master)
    found, half_written = stored(url, run)
    writes, lost = verify(outcome, found)
    by_phase, broken, recovered_after = phases(outcome, down_at, up_at)
    misses = lost + half_written
    if broken:
        misses.append(f"{len(broken)} requests answered otherwise than allowed, e.g. {broken[:5]}")
    if outcome.unclear_503:
        misses.append(f"{len(outcome.unclear_503)} 503s without Retry-After or message, e.g. {outcome.unclear_503[0]}")
    if workers_after != workers_before:
        misses.append(f"gunicorn workers changed: {sorted(workers_before)} -> {sorted(workers_after)}")
    print(f"statuses by phase: {by_phase}")
    print(f"writes: {writes}")
    report(
        "fault_postgres_restart",
        {
            "database": "postgresql",
            "workers": 4,
            "clients": args.clients,
            "database_down_seconds": round(up_at - down_at, 1),
            "uptime_before": load_before,
            "other_databases_connected_at_stop": connected,
            "statuses_by_phase": by_phase,
            "last_failure_seconds_after_database_start": None if recovered_after is None else round(recovered_after, 2),
            "gunicorn_workers_unchanged": workers_after == workers_before,
            "writes": writes,
        },
        misses,
    )


if __name__ == "__main__":
    main()
