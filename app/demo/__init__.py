"""The demo of `flask --app app seed-demo`: a realistic Dutch municipality, its parks and people.

Each area seeds its own part in `app/<area>/demo.py`, beside the models it fills, as the awards, meetings, dossier
and API areas already did: an area's demo then changes with the area, and a new area brings its own. This package
holds only what those seeds share (the demo accounts' domain and password, `get_or_create`), so that they can import
it without a circle, and `seed.py`, which runs them in order. Every part is idempotent (get or create by natural
keys), so running the seed again adds nothing.
"""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db

DEMO_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - printed on purpose: demo accounts only
DEMO_DOMAIN = "demo.veiligbedrijventerrein.nl"


def get_or_create(created: list, model, defaults: dict | None = None, **keys):
    """The `model` row with `keys`; when there is none it is made with `defaults` too, flushed and added to
    `created`."""
    obj = db.session.scalar(select(model).filter_by(**keys))
    if obj is None:
        obj = model(**keys, **(defaults or {}))
        db.session.add(obj)
        db.session.flush()
        created.append(obj)
    return obj
