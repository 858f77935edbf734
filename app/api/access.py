"""Who calls the API: the bearer token of each request, its scope, its rate limit, and the per-park checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin

from app.api import tokens
from app.api.models import ApiScope, ApiToken
from app.api.problems import problem
from app.auth.decorators import load_or_404, record_auditor_view
from app.auth.models import User
from app.auth.policy import ensure_can_or_404
from app.extensions import db
from app.parks.models import Park
from app.ratelimit import limiter, parse_limit

#: methods a READ token may use
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _now() -> datetime:
    return datetime.now(UTC)


def guard():
    """Before every resource request: no session user, a valid bearer token, its scope, its rate limit.

    Registered with `before_request` on each resource blueprint (not on the OpenAPI document and its docs page).
    Returns a problem response to stop the request, or None to let it run.
    """
    # A browser's session cookie never speaks for an API call: current_user stays anonymous under /api.
    g._login_user = AnonymousUserMixin()
    scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return problem(401, headers={"WWW-Authenticate": 'Bearer realm="api"'})
    token = tokens.authenticate(secret.strip(), now=_now())
    if token is None:
        return problem(
            401,
            _("Deze API-sleutel is onbekend of ingetrokken, of de gebruiker is niet meer actief."),
            headers={"WWW-Authenticate": 'Bearer realm="api", error="invalid_token"'},
        )
    db.session.commit()  # the last use, when authenticate recorded it
    g.api_token = token
    limit, period = parse_limit(current_app.config["API_RATE_LIMIT"])
    verdict = limiter().hit(f"api:{token.token_hash}", limit, period)
    g.api_rate = verdict
    if not verdict.allowed:
        return problem(
            429,
            _(
                "U heeft de limiet van %(limit)s verzoeken bereikt. Probeer het over %(seconds)s seconden opnieuw.",
                limit=limit,
                seconds=verdict.reset,
            ),
            headers={"Retry-After": str(verdict.reset), **rate_headers()},
        )
    if request.method not in SAFE_METHODS and token.scope != ApiScope.WRITE:
        return problem(403, _("Deze sleutel mag alleen lezen. Maak een sleutel voor lezen en schrijven."))
    return None


def rate_headers() -> dict[str, str]:
    verdict = g.get("api_rate")
    if verdict is None:
        return {}
    return {
        "X-RateLimit-Limit": str(verdict.limit),
        "X-RateLimit-Remaining": str(verdict.remaining),
        "X-RateLimit-Reset": str(verdict.reset),
    }


def after_request(response):
    """After every resource request: the rate-limit headers, and no caching by shared caches."""
    response.headers.update(rate_headers())
    response.headers.setdefault("Cache-Control", "private, no-cache")
    response.vary.add("Authorization")
    response.vary.add("Accept-Language")
    return response


def current_token() -> ApiToken:
    return g.api_token


def api_user() -> User:
    """The user the request's token acts for."""
    return g.api_token.user


def park_for(park_id: int, action: str) -> Park:
    """The park of the URL, for a token whose user may do `action` on it.

    The rule: a park that does not exist or that the user may not see (`park.view`) is a 404, as if it did not
    exist; a park the user sees but may not do `action` on is a 403. An auditor's read is written to the audit
    log (`auditor.viewed`), as the web pages do.
    """
    park = load_or_404(Park, park_id)
    user = api_user()
    ensure_can_or_404(user, action, park)
    record_auditor_view(user, park, api=True)
    return park


def checked(
    view: Callable[..., Any],
    *,
    action: str,
    load: Callable[[Park, int], Any] | None = None,
    allow: Callable[[User, Park], Any] | None = None,
):
    """`view` behind the checks of its URL, run before anything reads the request's query or body, so that
    another park's token learns nothing from a 422 about fields: `park_for(park_id, action)` (404, then 403);
    `allow(user, park)`, a rule of the policy about the user beyond the action, which raises NotAllowed (403);
    and with `load` the object of the URL, `load(park, <name>_id)`, which aborts with 404 when the object is
    not the park's (and may refuse the user with a 403).

    The view gets `park` instead of `park_id`, and the loaded object under the name of its id without `_id`
    (`action_id` gives `action`).
    """

    @wraps(view)
    def wrapped(**kwargs: Any):
        park = park_for(kwargs.pop("park_id"), action)
        if allow is not None:
            allow(api_user(), park)
        if load is not None:
            ((name, object_id),) = kwargs.items()
            kwargs = {name.removesuffix("_id"): load(park, object_id)}
        return view(park=park, **kwargs)

    return wrapped
