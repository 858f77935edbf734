"""Deleting the API's expired idempotency keys, every hour."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.api.idempotency import purge_expired
from app.jobs.registry import every, register

register(
    "api.idempotency_keys",
    description=_l("Verlopen Idempotency-Keys van de API opruimen"),
    trigger=every(hours=1),
    run=purge_expired,
)
