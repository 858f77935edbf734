"""What the benchmarks share: their databases (a SQLite file, or a PostgreSQL database of their own), the
generated national data, timing, statement counting, and the results they write to bench/results/.

The benchmarks run as scripts from this folder and import it as `_common`.
"""

from __future__ import annotations

import json
import os
import platform
import random
import resource
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: where the results go: bench/results/, or BENCH_RESULTS_DIR (the tests that run a bench script write elsewhere)
RESULTS = Path(os.environ.get("BENCH_RESULTS_DIR") or Path(__file__).resolve().parent / "results")
FLASK = Path(sys.executable).parent / "flask"
#: one SECRET_KEY for the whole run: the servers started and the app that prepares the data derive the same
#: personal survey links from it
SECRET_KEY = secrets.token_urlsafe(48)
GUNICORN = Path(sys.executable).parent / "gunicorn"
GUNICORN_CONFIG = ROOT / "app" / "gunicorn_conf.py"  # a path, so that the bare app in bench/ can use it too
START_TIMEOUT = 30  # seconds for gunicorn to answer
DATA_DIR = Path(os.environ.get("BENCH_DATA_DIR", "/tmp/vb-bench"))  # noqa: S108 - a scratch folder of ours

sys.path.insert(0, str(ROOT))


def add_database_options(parser) -> None:
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="a PostgreSQL URL whose database name is a prefix (e.g. postgresql+psycopg://root@127.0.0.1/"
        "bench_national): each data set gets a database <prefix>_<label> of its own; default: SQLite files in "
        f"{DATA_DIR}",
    )
    parser.add_argument("--reuse", action="store_true", help="use a data set generated earlier, when there is one")


def database_url(base: str | None, label: str) -> str:
    """The URL of the data set `label`: a SQLite file in DATA_DIR, or the PostgreSQL database <base>_<label>."""
    if base is None:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{DATA_DIR / f'{label}.sqlite'}"
    server, _, prefix = base.rpartition("/")
    if prefix in ("", "test", "postgres"):
        raise SystemExit(f"name a database prefix of the benchmarks' own, not {prefix!r}")
    return f"{server}/{prefix}_{label}"


def _postgres(url: str, statement: str, database: str = "postgres") -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(f"{url.rpartition('/')[0]}/{database}", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


def fresh_database(url: str) -> None:
    """Make the data set's database empty: delete the SQLite file, or drop and create the PostgreSQL database."""
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    name = url.rpartition("/")[2]
    _postgres(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _postgres(url, f'CREATE DATABASE "{name}"')


def exists(url: str) -> bool:
    if url.startswith("sqlite"):
        return Path(url.removeprefix("sqlite:///")).exists()
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.exc import OperationalError

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return inspect(connection).has_table("parks")
    except OperationalError:  # no such database yet
        return False
    finally:
        engine.dispose()


def flask(url: str, *args: str) -> None:
    """Run `flask --app app <args>` on the database `url`, as an operator would."""
    command = [str(FLASK), "--app", "app", *args]
    subprocess.run(command, cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, check=True)  # noqa: S603


def national_data(base: str | None, parks: int, *, reuse: bool) -> tuple[str, float | None]:
    """The URL of a migrated database holding `parks` generated parks (`flask bench-data`), and the seconds the
    generation took (None: reused)."""
    url = database_url(base, f"national_{parks}")
    if reuse and exists(url):
        flask(url, "db", "upgrade")  # a data set made before the latest migration gets its tables
        return url, None
    fresh_database(url)
    flask(url, "db", "upgrade")
    started = time.perf_counter()
    flask(url, "bench-data", "--parks", str(parks))
    seconds = time.perf_counter() - started
    if not url.startswith("sqlite"):
        # the statistics autovacuum would gather soon after a bulk load; without them the planner guesses
        _postgres(url, "ANALYZE", database=url.rpartition("/")[2])
    return url, seconds


#: the public survey link's guard, for the benchmarks: the load comes from one client, and the proofs of work are
#: solved here (the server checks any proof with one HMAC, however hard it was)
PUBLIC_LINK_SETTINGS = {"SURVEY_PUBLIC_LIMIT": "1000000/hour", "SURVEY_PROOF_MAX_COUNTER": "64"}


def make_app(url: str):
    from app import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": SECRET_KEY,
            "SURVEY_PUBLIC_LIMIT": PUBLIC_LINK_SETTINGS["SURVEY_PUBLIC_LIMIT"],
            "SURVEY_PROOF_MAX_COUNTER": int(PUBLIC_LINK_SETTINGS["SURVEY_PROOF_MAX_COUNTER"]),
        }
    )


def public_proofs(app, token: str, n: int) -> list[dict]:
    """`n` solved proofs of work for answers through the survey's public link, as its page makes them; each can be
    spent once."""
    import altcha

    client = app.test_client()
    proofs = []
    for _ in range(n):
        challenge = altcha.Challenge.from_dict(client.get(f"/enquete/open/{token}/uitdaging").get_json())
        proofs.append(altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_dict())
    return proofs


def logged_in(app, session_key: str):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_key
        session["_fresh"] = True
    return client


@contextmanager
def counting(engine) -> Iterator[list[str]]:
    """The SQL statements run on `engine` inside the block."""
    from sqlalchemy import event

    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def timed(function: Callable[[], Any], repeat: int) -> list[float]:
    """Milliseconds per call, `repeat` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> dict[str, float]:
    """Count, p50, p95, p99 and max of milliseconds, rounded."""
    cuts = statistics.quantiles(samples, n=100) if len(samples) > 1 else samples * 99
    return {
        "n": len(samples),
        "p50_ms": round(cuts[49], 1),
        "p95_ms": round(cuts[94], 1),
        "p99_ms": round(cuts[98], 1),
        "max_ms": round(max(samples), 1),
    }


def sample_bodies(n: int, seed: int) -> list[dict]:
    """`n` plausible answer sets to the default questionnaire, the same for the same seed."""

    from app.surveys.definition import load_default
    from app.surveys.sample import sample_answers

    rng = random.Random(seed)  # noqa: S311 - generated answers, not secrets
    definition = load_default()
    return [sample_answers(definition, rng) for _ in range(n)]


def peak_memory_mb() -> float:
    """This process's peak resident memory (Linux reports kilobytes)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def machine() -> dict[str, Any]:
    """When and where: the figures mean little without the machine's load (other work shares its CPUs)."""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "load_average_1_5_15": [round(load, 2) for load in os.getloadavg()],
        "python": platform.python_version(),
    }


def result_name(name: str, url: str) -> str:
    """`name` for a run on SQLite, `name`-postgresql on PostgreSQL: the two keep their own results file."""
    return name if url.startswith("sqlite") else f"{name}-postgresql"


def report(name: str, figures: dict[str, Any], misses: list[str]) -> None:
    """Write the figures to bench/results/<name>.json, print the misses, and exit 1 when a target was missed."""
    RESULTS.mkdir(exist_ok=True)
    result = {"benchmark": name, **machine(), **figures, "targets_missed": misses}
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"load average {result['load_average_1_5_15']} on {result['cpus']} CPUs")
    print(f"written to {RESULTS / f'{name}.json'}")
    for miss in misses:
        print(f"TARGET MISSED: {miss}")
    if misses:
        sys.exit(1)


# gunicorn ---------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(target: str, port: int, env: dict[str, str], chdir: Path, workers: int) -> subprocess.Popen:
    """Serve `target` with the platform's production gunicorn settings (the bare app too, for a fair comparison)."""
    command = [
        str(GUNICORN),
        "--config",
        str(GUNICORN_CONFIG),
        "--workers",
        str(workers),
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
