"""Deleting ended sessions, every hour."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.sessions import purge_expired
from app.jobs.registry import every, register

register(
    "auth.expired_sessions",
    description=_l("Verlopen inlogsessies opruimen"),
    trigger=every(hours=1),
    run=purge_expired,
)
