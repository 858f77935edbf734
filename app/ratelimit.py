"""Fixed-window rate limits (API tokens, password resets, invitations), kept in the memory of one process.

Every limit counts in the app's one limiter (`limiter()`), each under its own key prefix: moving the counts to a
shared store (Redis) replaces FixedWindowLimiter and nothing else."""

from __future__ import annotations

import hashlib
import re
import threading
import time
from dataclasses import dataclass

from flask import Flask, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_PERIOD_WORDS = {1: _l("seconde"), 60: _l("minuut"), 3600: _l("uur"), 86400: _l("dag")}
_LIMIT = re.compile(r"\s*(\d+)\s*/\s*(second|minute|hour|day)\s*")
#: drop counters of past windows once this many keys are kept
_PRUNE_AT = 10_000


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


class FixedWindowLimiter:
    """Counts requests per key in windows of `period` seconds aligned to the epoch (every token's minute starts
    at :00). Thread-safe within one process; every worker process counts on its own."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, int]] = {}

    def hit(self, key: str, limit: int, period: int) -> Verdict:
        moment = now()
        window = int(moment // period)
        reset = max(int((window + 1) * period - moment), 1)
        with self._lock:
            if len(self._counts) >= _PRUNE_AT:
                self._counts = {k: v for k, v in self._counts.items() if v[0] == window}
            seen_window, count = self._counts.get(key, (window, 0))
            if seen_window != window:
                count = 0
            if count >= limit:
                return Verdict(False, limit, 0, reset)
            self._counts[key] = (window, count + 1)
            return Verdict(True, limit, limit - count - 1, reset)

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()


def limiter(app: Flask | None = None) -> FixedWindowLimiter:
    """The app's limiter, where every rate limit of the app counts."""
    app = app or current_app
    return app.extensions.setdefault("rate_limiter", FixedWindowLimiter())


def count(setting: str, subject: str) -> Verdict:
    """Count one request of `subject` (an address, a client's IP address...) against the limit the setting of that
    name holds (e.g. "5/hour"). The key is a hash: no address is kept in the clear."""
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
