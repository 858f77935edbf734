"""Load with nothing lost: 200 survey respondents and 50 action owners at once against gunicorn + PostgreSQL.

On a fresh PostgreSQL database with generated parks (`flask bench-data`), serves the platform with gunicorn
(4 workers, loopback) and starts every client thread at the same moment: each respondent opens their personal
link and posts their answers once (a unique remark marks the answer set), each owner writes a few progress notes
on an action through the API (a unique text each). Afterwards it counts in the database how often each marker is
stored: every write the server accepted (201/200) must be there exactly once, and no personal link may be used
without its answers (or the other way round).

    .venv/bin/python bench/load.py [--respondents 200] [--updaters 50] [--updates 4] [--workers 4]

The database is BENCH_LOAD_DATABASE_URL (default postgresql+psycopg://root@127.0.0.1:5432/bench_load); it is
emptied first. Reports throughput and p50/p95/p99 latency per kind of request, with the machine's load, in
bench/results/load.json. Exits 1 when an accepted write is lost or duplicated, something is half-written, or a
request failed.
"""

from __future__ import annotations

import argparse
import threading
import time

import requests
from _common import report, sample_bodies, summary
from _server import (
    Outcome,
    database_url,
    platform,
    prepare,
    respond,
    stored,
    update,
    verify,
)
from _server import uptime as machine_uptime


def run_clients(base: str, world, args, run: str) -> tuple[Outcome, float]:
    """All respondents and updaters, released together; returns what they saw and the wall-clock seconds."""
    outcome = Outcome()
    bodies = sample_bodies(len(world.invitations), seed=11)
    start = threading.Barrier(len(world.invitations) + len(world.updaters) + 1)

    def respondent(n: int) -> None:
        with requests.Session() as session:
            start.wait()
            respond(session, outcome, base, world.invitations[n], bodies[n], f"{run}-r{n}")

    def updater(n: int) -> None:
        with requests.Session() as session:
            start.wait()
            for k in range(args.updates):
                update(session, outcome, base, world.updaters[n], f"{run}-u{n}-{k}")

    threads = [threading.Thread(target=respondent, args=(n,)) for n in range(len(world.invitations))]
    threads += [threading.Thread(target=updater, args=(n,)) for n in range(len(world.updaters))]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return outcome, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=200)
    parser.add_argument("--updaters", type=int, default=50)
    parser.add_argument("--updates", type=int, default=4, help="progress notes per updater")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    args = parser.parse_args()
    url = database_url()
    world = prepare(url, respondents=args.respondents, updaters=args.updaters)
    run = f"load{int(time.time())}"
    print(f"{args.respondents} respondents and {args.updaters} updaters x {args.updates}, {args.workers} workers")
    before = machine_uptime()
    with platform(url, args.workers) as (base, _master):
        outcome, seconds = run_clients(base, world, args, run)
    after = machine_uptime()
    found, half_written = stored(url, run)
    writes, failures = verify(outcome, found)
    requests_done = sum(len(samples) for samples in outcome.latencies_ms.values())
    failed = {
        kind: {str(status): n for status, n in statuses.items() if status not in (200, 201)}
        for kind, statuses in outcome.statuses.items()
    }
    failed = {kind: statuses for kind, statuses in failed.items() if statuses}
    latency = {kind: summary(samples) for kind, samples in outcome.latencies_ms.items()}
    for kind, figures in latency.items():
        print(f"{kind:14} {figures}")
    print(f"{requests_done} requests in {seconds:.1f} s: {requests_done / seconds:.1f}/s; writes {writes}")
    report(
        "load",
        {
            "database": "postgresql",
            "workers": args.workers,
            "respondents": args.respondents,
            "updaters": args.updaters,
            "updates_each": args.updates,
            "uptime_before": before,
            "uptime_after": after,
            "seconds": round(seconds, 2),
            "requests": requests_done,
            "requests_per_second": round(requests_done / seconds, 1),
            "writes_per_second": round(sum(w["accepted"] for w in writes.values()) / seconds, 1),
            "latency": latency,
            "writes": writes,
            "failed_requests": failed,
        },
        failures + half_written + [f"{kind}: requests failed {statuses}" for kind, statuses in failed.items()],
    )


if __name__ == "__main__":
    main()
