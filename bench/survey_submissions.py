"""Benchmark: survey submissions per second through gunicorn, against a bare endpoint, on the national data.

On the data of `flask --app app bench-data` (4,000 parks; generated unless --reuse finds it), serves the platform
with gunicorn (loopback only) and fires a bounded number of submissions at the public link of a generated open
survey (`POST /enquete/open/<token>/antwoorden`) from concurrent threads. It does the same, in the same run and on
the same database, against a bare Flask app defined below whose only endpoint parses the JSON and inserts one row.
The two take turns in rounds, each leading in turn, so that a slow moment of a shared machine falls on both; the
median round counts. The ratio is what the platform's checks (validation, the survey's state, its freeze, the
session) cost on top of one INSERT. It stops its servers when done; the bare table stays in the bench database.

    .venv/bin/python bench/survey_submissions.py [--parks 4000] [--requests 3000] [--rounds 6] [--threads 16]
                                                 [--workers 2] [--database-url URL] [--reuse]

Target: the platform stores at least 60% as many submissions per second as the bare endpoint. Exits 1 when
missed; the figures go to bench/results/survey_submissions[-postgresql].json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, wait
from datetime import date
from pathlib import Path

from _common import (
    PUBLIC_LINK_SETTINGS,
    ROOT,
    SECRET_KEY,
    add_database_options,
    free_port,
    make_app,
    national_data,
    public_proofs,
    report,
    result_name,
    sample_bodies,
    start_gunicorn,
    stop,
)

BENCH_DIR = Path(__file__).resolve().parent
BARE_TABLE = "bare_submissions"
REQUEST_TIMEOUT = 10  # seconds per request
TARGET_RATIO = 0.6


# The bare app: gunicorn imports this module from bench/ and calls make_bare_app() in each worker ----------------


def _bare_table():
    from sqlalchemy import JSON, Column, Date, Integer, MetaData, Table

    return Table(
        BARE_TABLE, MetaData(), Column("id", Integer, primary_key=True), Column("answers", JSON), Column("on", Date)
    )


def _engine(url: str):
    from sqlalchemy import create_engine

    # on SQLite a writer waits for the others as the platform's does (its busy timeout), instead of failing
    return create_engine(url, connect_args={"timeout": 15} if url.startswith("sqlite") else {})


def make_bare_app():
    """A Flask app with one endpoint that parses the posted JSON and inserts one row: the floor to compare with."""
    from flask import Flask, jsonify, request

    app = Flask("bare")
    engine = _engine(os.environ["BENCH_BARE_DATABASE_URL"])
    table = _bare_table()

    @app.post("/antwoorden")
    def store():
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict) or not isinstance(payload.get("answers"), dict):
            return jsonify(ok=False), 400
        with engine.begin() as connection:
            connection.execute(table.insert().values(answers=payload["answers"], on=date.today()))
        return jsonify(ok=True), 201

    return app


# Setting up and tearing down ---------------------------------------------------------------------------------


def prepare(url: str) -> str:
    """The public token of the first generated park's open survey; creates the bare table when missing."""
    from sqlalchemy import select

    from app.extensions import db
    from app.surveys.models import Survey, SurveyStatus

    app = make_app(url)
    with app.app_context():
        token = db.session.scalar(
            select(Survey.public_token).where(Survey.status == SurveyStatus.OPEN).order_by(Survey.id).limit(1)
        )
        db.engine.dispose()
    engine = _engine(url)
    _bare_table().create(engine, checkfirst=True)
    engine.dispose()
    return token


def count_rows(url: str, table: str) -> int:
    from sqlalchemy import text

    engine = _engine(url)
    with engine.connect() as connection:
        count = connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608 - our own names
    engine.dispose()
    return count


# Firing ------------------------------------------------------------------------------------------------------


def payloads(url: str, token: str, n: int) -> list[bytes]:
    """`n` plausible answer sets to the default questionnaire as the survey page posts them through the public
    link, each with a proof of work of its own."""
    from app.extensions import db

    app = make_app(url)
    proofs = public_proofs(app, token, n)
    with app.app_context():
        db.engine.dispose()
    answers = sample_bodies(500, seed=7)
    return [
        json.dumps({"answers": answers[i % len(answers)], "contact": None, "proof": proof}).encode()
        for i, proof in enumerate(proofs)
    ]


class Feed:
    """The bodies, each handed out once, to any number of threads: a proof of work is spent with its answer."""

    def __init__(self, bodies: list[bytes]) -> None:
        self._bodies = iter(bodies)
        self._lock = threading.Lock()

    def next(self) -> bytes:
        with self._lock:
            return next(self._bodies)


def post(port: int, path: str, body: bytes) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError as error:
        return -abs(getattr(error, "errno", 0) or 1)
    finally:
        connection.close()


def fire(port: int, path: str, bodies: Feed, requests: int, threads: int, max_seconds: float):
    """`requests` POSTs from `threads` threads; returns (status counts, seconds). Stops early after max_seconds."""
    statuses: Counter = Counter()
    deadline = time.monotonic() + max_seconds
    per_thread = [requests // threads + (1 if i < requests % threads else 0) for i in range(threads)]

    def worker(index: int, count: int) -> Counter:
        done: Counter = Counter()
        for n in range(count):
            if time.monotonic() > deadline:
                done["stopped (time limit)"] += count - n
                break
            done[post(port, path, bodies.next())] += 1
        return done

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(worker, i, count) for i, count in enumerate(per_thread)]
        wait(futures)
    seconds = time.perf_counter() - start
    for future in futures:
        statuses.update(future.result())
    return statuses, seconds


def serve(target: str, chdir: Path, env: dict[str, str], path: str, args, bodies) -> tuple:
    """Serve `target` with gunicorn and warm every worker up; (process, port)."""
    port = free_port()
    process = start_gunicorn(target, port, env, chdir, args.workers)
    fire(port, path, bodies, args.threads, args.threads, args.max_seconds)
    return process, port


def figures(label: str, rounds: list[tuple[Counter, float]]) -> dict:
    """The median round's rate (a slow moment of the machine in one round does not decide) and the totals."""
    rates = sorted(statuses.get(201, 0) / seconds for statuses, seconds in rounds)
    median = statistics.median(rates)
    stored = sum(statuses.get(201, 0) for statuses, _seconds in rounds)
    seconds = sum(seconds for _statuses, seconds in rounds)
    others: Counter = Counter()
    for statuses, _seconds in rounds:
        others.update({str(status): n for status, n in statuses.items() if status != 201})
    print(
        f"{label:28} {stored:6} stored in {seconds:6.2f} s  median round {median:8.1f} submissions/s  "
        f"(rounds: {', '.join(f'{rate:.0f}' for rate in rates)})" + (f"  other: {dict(others)}" if others else "")
    )
    return {
        "stored": stored,
        "seconds": round(seconds, 2),
        "per_second": round(median, 1),
        "rounds_per_second": [round(rate, 1) for rate in rates],
        "other_statuses": dict(others),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parks", type=int, default=4_000)
    parser.add_argument("--requests", type=int, default=3_000, help="submissions per endpoint (bounded)")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers, for both apps")
    parser.add_argument("--rounds", type=int, default=6, help="alternating rounds the submissions are split into")
    parser.add_argument("--max-seconds", type=float, default=120.0, help="time limit per round")
    add_database_options(parser)
    args = parser.parse_args()
    url, _seconds = national_data(args.database_url, args.parks, reuse=args.reuse)
    token = prepare(url)
    bodies = payloads(url, token, args.requests + args.threads)  # the rounds and the warm-up
    before = count_rows(url, "survey_responses"), count_rows(url, BARE_TABLE)
    print(
        f"{args.parks} parks ({url.split(':')[0]}), gunicorn {args.workers} workers on 127.0.0.1, "
        f"{args.threads} threads, {args.requests} submissions each"
    )
    platform_env = {"APP_ENV": "production", "SECRET_KEY": SECRET_KEY, "DATABASE_URL": url, **PUBLIC_LINK_SETTINGS}
    path = f"/enquete/open/{token}/antwoorden"
    bare_env = {"BENCH_BARE_DATABASE_URL": url}
    endpoints = {
        "respondent endpoint": ("app:create_app()", ROOT, platform_env, path),
        "bare insert endpoint": ("survey_submissions:make_bare_app()", BENCH_DIR, bare_env, "/antwoorden"),
    }
    servers: dict[str, tuple] = {}
    rounds: dict[str, list] = {label: [] for label in endpoints}
    feeds = {label: Feed(bodies) for label in endpoints}
    try:
        for label, (target, chdir, env, endpoint_path) in endpoints.items():
            servers[label] = serve(target, chdir, env, endpoint_path, args, feeds[label])
        # alternate, each taking the lead in turn, so that the machine's ups and downs fall on both alike
        for number in range(args.rounds):
            order = list(endpoints) if number % 2 == 0 else list(reversed(endpoints))
            for label in order:
                port, endpoint_path = servers[label][1], endpoints[label][3]
                per_round = args.requests // args.rounds
                rounds[label].append(fire(port, endpoint_path, feeds[label], per_round, args.threads, args.max_seconds))
    finally:
        for process, _port in servers.values():
            stop(process)
    platform = figures("respondent endpoint", rounds["respondent endpoint"])
    bare = figures("bare insert endpoint", rounds["bare insert endpoint"])
    after = count_rows(url, "survey_responses"), count_rows(url, BARE_TABLE)
    print(f"rows stored (with warm-up): survey_responses {after[0] - before[0]}, {BARE_TABLE} {after[1] - before[1]}")
    ratio = platform["per_second"] / bare["per_second"] if bare["per_second"] else 0.0
    print(f"ratio respondent/bare: {ratio:.2f} (target at least {TARGET_RATIO})")
    missed = f"submissions at {ratio:.0%} of the bare endpoint (target at least {TARGET_RATIO:.0%})"
    report(
        result_name("survey_submissions", url),
        {
            "parks": args.parks,
            "workers": args.workers,
            "threads": args.threads,
            "rounds": args.rounds,
            "respondent_endpoint": platform,
            "bare_endpoint": bare,
            "ratio": round(ratio, 2),
        },
        [] if ratio >= TARGET_RATIO else [missed],
    )


if __name__ == "__main__":
    main()
