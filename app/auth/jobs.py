"""Deleting ended sessions and expired remembered devices, every hour."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.sessions import purge_expired
from app.jobs.registry import every, register

register(
    "auth.expired_sessions",
    description=_l("Verlopen inlogsessies en onthouden apparaten opruimen"),
    trigger=every(hours=1),
    run=purge_expired,
)
