"""The view decorator that loads the object a view acts on (404) and then checks the policy (403)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from app.auth.policy import ensure_can
from app.extensions import db, login_manager

MAX_ID = 2**31 - 1  # PostgreSQL's integer; a larger id would be a database error, not a 404


def load_or_404(model: type, object_id: Any) -> Any:
    """The row with this primary key, or a 404 (also for ids that are not numbers or out of range)."""
    try:
        key = int(object_id)
    except (TypeError, ValueError):
        abort(404)
    obj = db.session.get(model, key) if 0 < key <= MAX_ID else None
    if obj is None:
        abort(404)
    return obj


def requires(action: str, load: Callable[..., Any] | None = None):
    """Let the view run only for a logged-in user who `can(action)` on the object's park.

    With `load`, it is called with the URL arguments and returns the object (or aborts 404); the view then
    gets that object as its only argument, and the object's `.park` is what the policy checks. Without
    `load` the action is checked without a park (admin-only actions).
    """

    def decorator(view: Callable[..., Any]):
        @wraps(view)
        def wrapped(**kwargs: Any):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if load is None:
                ensure_can(current_user, action)
                return view(**kwargs)
            obj = load(**kwargs)
            ensure_can(current_user, action, obj.park)
            return view(obj)

        return wrapped

    return decorator
