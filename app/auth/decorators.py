"""The view decorator that loads the object a view acts on (404) and then checks the policy (404 or 403)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app, request
from flask_login import current_user

from app import audit
from app.auth.current import current_actor
from app.auth.models import Role
from app.auth.policy import can, ensure_can, ensure_can_or_404, roles_on
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
    gets that object as its only argument, and the object's `.park` is what the policy checks
    (`ensure_can_or_404`: a park the user may not see is a 404 like a missing object, one they see but may not
    do `action` on a 403). Without `load` the action is checked without a park (admin-only actions: 403).

    Every page an auditor (the certifying body, who is not an admin) opens on a park they audit is written to
    the audit log (`auditor.viewed`) and committed before the view runs, so that it is kept whatever the view
    does next.
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
            ensure_can_or_404(current_user, action, obj.park)
            record_auditor_view(current_actor(), obj.park, endpoint=request.endpoint)
            return view(obj)

        wrapped.required_action = action  # type: ignore[attr-defined]  # for may_open
        return wrapped

    return decorator


def may_open(user: Any, endpoint: str, park: Any) -> bool:
    """Whether `user` may open the page at `endpoint` of `park`: can they do the action its `requires` names (a
    page without one is open to every logged-in user)? So that a link is shown only to who may follow it."""
    action = getattr(current_app.view_functions[endpoint], "required_action", None)
    return action is None or can(user, action, park)


def record_auditor_view(user: Any, park: Any, **details: Any) -> None:
    """Record and commit an auditor's view of `park` at this request's path, a page or an API call (nothing for
    admins and other roles)."""
    if user.is_admin or Role.AUDITOR not in roles_on(user, park):
        return
    audit.record(user, "auditor.viewed", park, park=park, details={"path": request.path, **details})
    # Only the audit row is pending here (the view has not run yet): committing it now keeps it also when the
    # view fails or commits nothing itself.
    db.session.commit()
