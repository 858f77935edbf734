"""Fixed-window rate limits (API tokens, password resets, invitations, public pages), counted in Redis when
REDIS_URL is set, so that every worker of every machine shares one count, else in the memory of one process.

Every limit counts in the app's one limiter (`limiter()`), each under its own key prefix. The counting itself is
the `limits` library's (its Redis and memory storages); the windows are this module's, aligned to the clock."""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass

from flask import Flask, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from limits.errors import StorageError
from limits.storage import MemoryStorage, Storage, storage_from_string

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_PERIOD_WORDS = {1: _l("seconde"), 60: _l("minuut"), 3600: _l("uur"), 86400: _l("dag")}
_LIMIT = re.compile(r"\s*(\d+)\s*/\s*(second|minute|hour|day)\s*")
#: the prefix of the limiter's keys in Redis: reset() deletes these and nothing else of the database
KEY_PREFIX = "vbt-ratelimit"
#: seconds a request waits for Redis at most (to connect, and for an answer) before it counts in memory instead
REDIS_TIMEOUT = 1.0
#: seconds between tries of a Redis that did not answer; meanwhile each process counts in its own memory
RETRY_AFTER_OUTAGE = 10.0

log = logging.getLogger(__name__)


def parse_limit(text: str) -> tuple[int, int]:
    """ "600/minute" -> (600, 60). Raises ValueError for anything else."""
    match = _LIMIT.fullmatch(text or "")
    if not match or int(match.group(1)) < 1:
        raise ValueError(f"a rate limit must look like '600/minute', not {text!r}")
    return int(match.group(1)), PERIODS[match.group(2)]


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    #: seconds until the window ends and the count starts again
    reset: int


def now() -> float:
    return time.time()


class SharedStorageDown(RuntimeError):
    """REDIS_URL is set and Redis does not answer."""


class Limiter:
    """Counts requests per key in windows of `period` seconds aligned to the epoch (every token's minute starts
    at :00), so that a refusal says exactly when the count starts again.

    `shared` is the Redis storage every process counts in, or None: then only `memory`, this process's own, counts
    (fine for one process; each worker of a gunicorn would count on its own). While Redis does not answer, a hit
    counts in `memory` (as Flask-Limiter's in-memory fallback does) and Redis is tried again after
    RETRY_AFTER_OUTAGE seconds: the limits hold per process meanwhile, rather than not at all or refusing
    everybody.
    """

    def __init__(self, shared: Storage | None = None) -> None:
        self.shared = shared
        self.memory = MemoryStorage()
        self._retry_shared_at = 0.0  # time.monotonic(); 0: Redis answered last time

    @classmethod
    def for_url(cls, redis_url: str | None) -> Limiter:
        """A limiter counting in the Redis at `redis_url`, or in memory without one. Connects on first use, so that
        the app starts while Redis is down; a URL that is no Redis URL raises ConfigurationError."""
        if not redis_url:
            return cls()
        shared = storage_from_string(
            redis_url,
            key_prefix=KEY_PREFIX,
            wrap_exceptions=True,
            socket_timeout=REDIS_TIMEOUT,
            socket_connect_timeout=REDIS_TIMEOUT,
        )
        return cls(shared)

    def hit(self, key: str, limit: int, period: int) -> Verdict:
        """Count one request under `key` in the current window; every request counts, refused ones too."""
        moment = now()
        window = int(moment // period)
        reset = max(int((window + 1) * period - moment), 1)
        # The window is part of the key: a new window is a new counter, and the old one expires within a period.
        seen = self._incr(f"{key}:{period}:{window}", period)
        return Verdict(seen <= limit, limit, max(limit - seen, 0), reset)

    def _incr(self, key: str, expiry: int) -> int:
        if self.shared is not None and time.monotonic() >= self._retry_shared_at:
            try:
                seen = self.shared.incr(key, expiry)
            except StorageError as error:
                if not self._retry_shared_at:
                    log.warning("Redis does not answer (%s): rate limits count per process until it does", error)
                self._retry_shared_at = time.monotonic() + RETRY_AFTER_OUTAGE
            else:
                if self._retry_shared_at:
                    log.warning("Redis answers again: rate limits count in Redis")
                    self._retry_shared_at = 0.0
                return seen
        return self.memory.incr(key, expiry)

    def ping(self) -> None:
        """Raise SharedStorageDown when counting is shared and Redis does not answer; nothing otherwise."""
        if self.shared is not None and not self.shared.check():
            raise SharedStorageDown("Redis (REDIS_URL) does not answer")

    def reset(self) -> None:
        """Forget every count: this process's, and the limiter's keys in Redis."""
        self.memory.reset()
        if self.shared is not None:
            self.shared.reset()
        self._retry_shared_at = 0.0


def init_app(app: Flask) -> None:
    """Make the app's one limiter, in Redis when REDIS_URL is set."""
    app.extensions["rate_limiter"] = Limiter.for_url(app.config.get("REDIS_URL"))


def limiter(app: Flask | None = None) -> Limiter:
    """The app's limiter, where every rate limit of the app counts."""
    return (app or current_app).extensions["rate_limiter"]


def is_shared() -> bool:
    """Whether the limits count in Redis (REDIS_URL), for every process at once."""
    return limiter().shared is not None


def ping() -> None:
    """For the readiness check: raise SharedStorageDown when REDIS_URL is set and Redis does not answer."""
    limiter().ping()


def count(setting: str, subject: str) -> Verdict:
    """Count one request of `subject` (an address, a client's IP address...) against the limit the setting of that
    name holds (e.g. "5/hour"). The key is a hash: no address is kept in the clear, in memory or in Redis."""
    limit, period = parse_limit(current_app.config[setting])
    digest = hashlib.sha256(subject.encode()).hexdigest()
    return limiter().hit(f"{setting}:{digest}", limit, period)


def minutes_left(verdict: Verdict) -> int:
    """The whole minutes, rounded up, until the refusing limit's window ends."""
    return max(1, -(-verdict.reset // 60))


def described(setting: str) -> str:
    """The limit of the setting of that name in words: "5 per uur"."""
    limit, period = parse_limit(current_app.config[setting])
    return _("%(n)s per %(period)s", n=limit, period=_PERIOD_WORDS[period])
