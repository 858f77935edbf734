"""Benchmark: survey submissions per second through gunicorn on PostgreSQL, against a bare endpoint.

Serves the platform with gunicorn (4 workers, loopback only) on a PostgreSQL schema of its own, with one open
survey whose public link is enabled, and fires a bounded number of submissions at the respondent endpoint
(`POST /enquete/open/<token>/antwoorden`) from 32 concurrent threads. Then it does the same against a bare Flask
app defined below (also gunicorn, 4 workers) whose only endpoint parses the JSON and inserts one row. It prints
submissions per second for both and their ratio: what the platform's checks (validation, the survey's state,
its freeze, the session) cost on top of one INSERT. It drops its schema and stops its servers when done.

    .venv/bin/python bench/survey_submissions.py [--database-url URL] [--requests 3000] [--threads 32]

The database URL comes from --database-url, else BENCH_DATABASE_URL, else
postgresql+psycopg://root@127.0.0.1:5432/test. Not a test.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, wait
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
WORKERS = 4
BARE_TABLE = "bare_submissions"
REQUEST_TIMEOUT = 10  # seconds per request
START_TIMEOUT = 30  # seconds for gunicorn to answer

sys.path.insert(0, str(ROOT))


# The bare app: gunicorn imports this module from bench/ and calls make_bare_app() in each worker ----------------


def make_bare_app():
    """A Flask app with one endpoint that parses the posted JSON and inserts one row: the floor to compare with."""
    from flask import Flask, jsonify, request
    from sqlalchemy import JSON, Column, Date, Integer, MetaData, Table, create_engine

    app = Flask("bare")
    engine = create_engine(os.environ["BENCH_BARE_DATABASE_URL"])
    table = Table(
        BARE_TABLE,
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("answers", JSON),
        Column("submitted_on", Date),
    )

    @app.post("/antwoorden")
    def store():
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict) or not isinstance(payload.get("answers"), dict):
            return jsonify(ok=False), 400
        with engine.begin() as connection:
            connection.execute(table.insert().values(answers=payload["answers"], submitted_on=date.today()))
        return jsonify(ok=True), 201

    return app


# Setting up and tearing down ---------------------------------------------------------------------------------


def build(url: str) -> tuple[str, int]:
    """The platform's tables, one park with an open survey and its public link, and the bare table."""
    from sqlalchemy import text

    from app import create_app
    from app.clock import local_today
    from app.extensions import db
    from app.parks.models import Park
    from app.parks.services import start_cycle
    from app.stakeholders.models import Organisation, OrganisationType
    from app.surveys.definition import load_default
    from app.surveys.models import Survey, SurveyStatus

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        park = Park(
            name="Bedrijventerrein Bench",
            municipality=Organisation(name="Gemeente Bench", type=OrganisationType.GEMEENTE),
        )
        db.session.add(park)
        cycle = start_cycle(park, number=1, today=local_today(), now=datetime.now(UTC))
        token = secrets.token_urlsafe(24)
        survey = Survey(
            park=park,
            cycle=cycle,
            title="Enquête bench",
            definition=load_default(),
            status=SurveyStatus.OPEN,
            opens_on=local_today() - timedelta(days=1),
            closes_on=local_today() + timedelta(days=30),
            public_token=token,
        )
        db.session.add(survey)
        db.session.execute(text(f"CREATE TABLE {BARE_TABLE} (id serial PRIMARY KEY, answers json, submitted_on date)"))
        db.session.commit()
        survey_id = survey.id
        db.engine.dispose()
    return token, survey_id


def count_rows(url: str, table: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608 - our own names
    engine.dispose()
    return count


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(target: str, port: int, env: dict[str, str], chdir: Path) -> subprocess.Popen:
    command = [
        str(GUNICORN),
        "--workers",
        str(WORKERS),
        "--bind",
        f"127.0.0.1:{port}",
        "--chdir",
        str(chdir),
        "--log-level",
        "warning",
        "--graceful-timeout",
        "5",
        target,
    ]
    process = subprocess.Popen(command, env={**os.environ, **env}, cwd=chdir)  # noqa: S603 - our own command
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn for {target} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"gunicorn for {target} did not answer within {START_TIMEOUT} s")


def stop(process: subprocess.Popen) -> None:
    """Stop the gunicorn master we started (it stops its own workers)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


# Firing ------------------------------------------------------------------------------------------------------


def payloads(n: int) -> list[bytes]:
    """Plausible answer sets to the default questionnaire, as the survey page posts them."""
    from app.surveys.definition import load_default
    from app.surveys.sample import sample_answers

    rng = random.Random(7)  # noqa: S311 - generated answers, not secrets
    definition = load_default()
    return [json.dumps({"answers": sample_answers(definition, rng), "contact": None}).encode() for _ in range(n)]


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


def fire(port: int, path: str, bodies: list[bytes], requests: int, threads: int, max_seconds: float):
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
            done[post(port, path, bodies[(index * 7919 + n) % len(bodies)])] += 1
        return done

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(worker, i, count) for i, count in enumerate(per_thread)]
        wait(futures)
    seconds = time.perf_counter() - start
    for future in futures:
        statuses.update(future.result())
    return statuses, seconds


def run(label: str, target: str, chdir: Path, env: dict[str, str], path: str, args, bodies) -> float:
    port = free_port()
    process = start_gunicorn(target, port, env, chdir)
    try:
        fire(port, path, bodies, args.threads, args.threads, args.max_seconds)  # warm up every worker
        statuses, seconds = fire(port, path, bodies, args.requests, args.threads, args.max_seconds)
    finally:
        stop(process)
    ok = statuses.get(201, 0)
    rate = ok / seconds if seconds else 0.0
    others = {status: n for status, n in statuses.items() if status != 201}
    print(
        f"{label:28} {ok:6} stored in {seconds:6.2f} s  {rate:8.1f} submissions/s"
        + (f"  other: {others}" if others else "")
    )
    return rate


def main() -> None:
    from _schema import POSTGRES_URL, own_schema

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", POSTGRES_URL))
    parser.add_argument("--requests", type=int, default=3_000, help="submissions per endpoint (bounded)")
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--max-seconds", type=float, default=120.0, help="time limit per endpoint")
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql"):
        parser.error("this benchmark needs PostgreSQL")
    with own_schema(args.database_url, "bench_submissions") as (url, schema):
        token, _survey_id = build(url)
        bodies = payloads(500)
        print(
            f"gunicorn {WORKERS} workers on 127.0.0.1, {args.threads} threads, {args.requests} submissions each, "
            f"PostgreSQL schema {schema}"
        )
        platform_env = {"APP_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48), "DATABASE_URL": url}
        platform = run(
            "respondent endpoint",
            "app:create_app()",
            ROOT,
            platform_env,
            f"/enquete/open/{token}/antwoorden",
            args,
            bodies,
        )
        bare = run(
            "bare insert endpoint",
            "survey_submissions:make_bare_app()",
            BENCH_DIR,
            {"BENCH_BARE_DATABASE_URL": url},
            "/antwoorden",
            args,
            bodies,
        )
        stored = count_rows(url, "survey_responses"), count_rows(url, BARE_TABLE)
        print(f"rows stored (with warm-up): survey_responses {stored[0]}, {BARE_TABLE} {stored[1]}")
        if bare:
            print(
                f"ratio respondent/bare: {platform / bare:.2f} (the bare endpoint is {bare / platform:.1f}x as fast)"
                if platform
                else "ratio: the respondent endpoint stored nothing"
            )


if __name__ == "__main__":
    main()
