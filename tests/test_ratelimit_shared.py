"""The rate limits count in one place for every instance (issue 22): Redis when REDIS_URL is set, one process's
memory otherwise; a Redis that does not answer leaves each process counting on its own, and never makes a 500."""

from __future__ import annotations

import importlib
import logging
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import requests
from limits.errors import StorageError

from app import create_app, ratelimit
from app.api.models import ApiScope
from app.extensions import db as _db
from app.ratelimit import Limiter, SharedStorageDown
from tests.databases import throwaway_database_url
from tests.factories import make_api_token, make_user

BENCH = Path(__file__).resolve().parent.parent / "bench"
#: the start of a clock hour, so that all hits of a test fall in one window of an hourly limit
HOUR = 3600.0 * 493_000


@pytest.fixture
def clock(monkeypatch):
    """The limiter's clock, at the start of an hour; `clock[0] += seconds` moves it."""
    moment = [HOUR]
    monkeypatch.setattr(ratelimit, "now", lambda: moment[0])
    return moment


@pytest.fixture
def shared_limiter(redis_url) -> Iterator[Limiter]:
    limiter = Limiter.for_url(redis_url)
    limiter.reset()
    yield limiter
    limiter.reset()


@pytest.fixture(params=["memory", "redis"])
def limiter(request) -> Limiter:
    return Limiter() if request.param == "memory" else request.getfixturevalue("shared_limiter")


@pytest.fixture(scope="module")
def bench_server():
    """bench/_server.py, which serves the platform under gunicorn for the load benchmarks (the bench scripts import
    each other by their bare names)."""
    sys.path.insert(0, str(BENCH))
    try:
        return importlib.import_module("_server")
    finally:
        sys.path.remove(str(BENCH))


@pytest.fixture
def dead_redis_url(bench_server) -> str:
    """A Redis URL where nothing listens."""
    return f"redis://127.0.0.1:{bench_server.free_port()}/0"


# The limiter ---------------------------------------------------------------------------------------------------


def test_a_window_starts_on_the_clock_and_refuses_beyond_the_limit(limiter, clock):
    clock[0] += 20  # 20 s into a minute
    verdicts = [limiter.hit("api:token", 2, 60) for _ in range(3)]
    assert [(v.allowed, v.remaining, v.reset) for v in verdicts] == [(True, 1, 40), (True, 0, 40), (False, 0, 40)]
    assert limiter.hit("api:other", 2, 60).allowed  # another key counts on its own
    clock[0] += 40  # the next minute
    assert limiter.hit("api:token", 2, 60) == ratelimit.Verdict(True, 2, 1, 60)


def test_two_limiters_on_one_redis_share_the_count(redis_url, clock):
    first, second = (Limiter.for_url(redis_url) for _ in range(2))
    first.reset()
    try:
        verdicts = [(first if n % 2 else second).hit("api:token", 5, 60) for n in range(8)]
        assert [v.allowed for v in verdicts] == [True] * 5 + [False] * 3
        assert [v.remaining for v in verdicts[:5]] == [4, 3, 2, 1, 0]
    finally:
        first.reset()


def test_without_redis_each_process_counts_on_its_own(clock):
    """What the documentation warns about: in memory, two workers let through twice the limit."""
    first, second = Limiter(), Limiter()
    verdicts = [(first if n % 2 else second).hit("api:token", 5, 60) for n in range(10)]
    assert all(v.allowed for v in verdicts)


def test_redis_keeps_only_hashes_and_reset_deletes_only_the_limiters_keys(app, redis_url, clock, monkeypatch):
    client = redis.Redis.from_url(redis_url)
    client.set("someone-elses-key", "1")
    monkeypatch.setitem(app.extensions, "rate_limiter", Limiter.for_url(redis_url))
    try:
        with app.test_request_context():
            assert ratelimit.count("PASSWORD_RESET_LIMIT_PER_ADDRESS", "olga@example.nl").remaining == 2
        keys = [key.decode() for key in client.keys(f"{ratelimit.KEY_PREFIX}:*")]
        assert len(keys) == 1 and keys[0].startswith(f"{ratelimit.KEY_PREFIX}:PASSWORD_RESET_LIMIT_PER_ADDRESS:")
        assert "olga" not in keys[0]
        assert 0 < client.ttl(keys[0]) <= 3600  # a past window's counter goes by itself
        ratelimit.limiter(app).reset()
        assert client.keys(f"{ratelimit.KEY_PREFIX}:*") == [] and client.get("someone-elses-key") == b"1"
    finally:
        client.delete("someone-elses-key")


# Redis that does not answer ------------------------------------------------------------------------------------


def test_while_redis_does_not_answer_each_process_counts_and_tries_again(shared_limiter, clock, monkeypatch, caplog):
    limiter = shared_limiter
    monkeypatch.setattr(ratelimit, "RETRY_AFTER_OUTAGE", 0)  # try Redis at every hit
    answering = limiter.shared.incr

    def down(*args, **kwargs):
        raise StorageError(redis.ConnectionError("Connection refused"))

    monkeypatch.setattr(limiter.shared, "incr", down)
    with caplog.at_level(logging.WARNING, logger="app.ratelimit"):
        verdicts = [limiter.hit("api:token", 2, 60) for _ in range(3)]
        assert [v.allowed for v in verdicts] == [True, True, False]  # the limit holds in this process
        monkeypatch.setattr(limiter.shared, "incr", answering)
        assert limiter.hit("api:token", 2, 60).remaining == 1  # counted in Redis again
    assert [record.getMessage().split(" (")[0] for record in caplog.records] == [
        "Redis does not answer",  # once for the outage, not for every request
        "Redis answers again: rate limits count in Redis",
    ]


def test_an_api_request_while_redis_is_down_is_served_and_limited_per_process(
    app, db, dead_redis_url, monkeypatch, caplog
):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "2/minute")
    monkeypatch.setitem(app.extensions, "rate_limiter", Limiter.for_url(dead_redis_url))
    secret = make_api_token(make_user(), ApiScope.READ)
    _db.session.commit()
    client = app.test_client()
    with caplog.at_level(logging.WARNING, logger="app.ratelimit"):
        answers = [client.get("/api/v1/parks/", headers={"Authorization": f"Bearer {secret}"}) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert "Retry-After" in answers[-1].headers
    assert "Redis does not answer" in caplog.text


def test_ping_raises_only_when_redis_is_configured_and_does_not_answer(app, redis_url, dead_redis_url, monkeypatch):
    with app.app_context():
        assert ratelimit.ping() is None  # counting in memory: nothing to reach
        monkeypatch.setitem(app.extensions, "rate_limiter", Limiter.for_url(redis_url))
        assert ratelimit.ping() is None
        monkeypatch.setitem(app.extensions, "rate_limiter", Limiter.for_url(dead_redis_url))
        with pytest.raises(SharedStorageDown):
            ratelimit.ping()


def test_redis_url_is_read_from_the_environment_and_a_wrong_one_stops_the_start(monkeypatch, redis_url):
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("SECRET_KEY", "x7Qp2Vb9Lm4Rt8Wn3Yc6Hd1Jf5Ks0Ga_")
    assert create_app("production").extensions["rate_limiter"].shared is not None
    assert create_app("testing").extensions["rate_limiter"].shared is None  # a test that counts in Redis says so
    monkeypatch.setenv("REDIS_URL", "http://127.0.0.1:6379")
    with pytest.raises(Exception, match="http"):
        create_app("production")


# Through two instances -----------------------------------------------------------------------------------------


def test_password_resets_from_one_client_count_across_two_instances(tmp_path, redis_url, clock):
    """Two app instances on one database and one Redis: a client's eleventh reset request is refused, whichever
    instance it reaches."""
    with throwaway_database_url(tmp_path, "shared_resets") as url:
        settings = {"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": redis_url, "WTF_CSRF_ENABLED": False}
        instances = [create_app(settings), create_app(settings)]
        with instances[0].app_context():
            _db.create_all()
        ratelimit.limiter(instances[0]).reset()
        try:
            answers = [
                instances[n % 2]
                .test_client()
                .post("/wachtwoord-vergeten", data={"email": f"n{n}@example.nl"}, environ_base={"REMOTE_ADDR": "ip"})
                for n in range(12)
            ]
            assert [answer.status_code for answer in answers] == [302] * 10 + [429] * 2
            assert answers[-1].headers["Retry-After"] == "3600"
        finally:
            ratelimit.limiter(instances[0]).reset()
            for instance in instances:
                with instance.app_context():
                    _db.engine.dispose()


def test_two_gunicorn_instances_let_exactly_the_limit_through(tmp_path, redis_url, bench_server):
    """Two gunicorn instances (two workers each, production settings) on one database and one Redis, with a limit of
    7 API requests a minute: of 16 requests with one token, sent to both in turn, exactly 7 pass."""
    limit = 7
    with throwaway_database_url(tmp_path, "shared_api_limit") as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            _db.create_all()
            secret = make_api_token(make_user(), ApiScope.READ)
            _db.session.commit()
            _db.engine.dispose()
        Limiter.for_url(redis_url).reset()
        env = {"REDIS_URL": redis_url, "API_RATE_LIMIT": f"{limit}/minute"}
        with (
            bench_server.platform(url, workers=2, env=env) as (first, _),
            bench_server.platform(url, workers=2, env=env) as (second, _),
        ):
            answers = _within_one_minute(
                lambda: [
                    requests.get(f"{base}/api/v1/parks/", headers={"Authorization": f"Bearer {secret}"}, timeout=15)
                    for base in [first, second] * 8
                ]
            )
        Limiter.for_url(redis_url).reset()
    assert [answer.status_code for answer in answers] == [200] * limit + [429] * (16 - limit)
    # one count across both instances: each answer knows what the other one counted
    assert [answer.headers["X-RateLimit-Remaining"] for answer in answers[:limit]] == [str(n) for n in range(6, -1, -1)]
    assert all(0 < int(answer.headers["Retry-After"]) <= 60 for answer in answers[limit:])


def _within_one_minute(send):
    """send()'s answers, sent within one clock minute: it waits for a minute with time to spare, and sends again in a
    fresh window with a fresh count when a slow machine crossed into the next minute after all."""
    for _attempt in range(3):
        if 60 - time.time() % 60 < 20:
            time.sleep(60 - time.time() % 60 + 0.5)
        window = time.time() // 60
        answers = send()
        if time.time() // 60 == window:
            return answers
        time.sleep(60 - time.time() % 60 + 0.5)  # the count of the crossed window is spent: a fresh one
    pytest.fail("three tries to send the requests within one minute failed")
