"""The user of the request, as views hand it to services (it imports no view, so every view may import it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_login import current_user

if TYPE_CHECKING:
    from app.auth.models import User


def current_actor() -> User:
    """The logged-in user itself rather than Flask-Login's proxy of it: what services take as `actor` and may store
    (an audit row, a signature) or compare by identity."""
    return current_user._get_current_object()
