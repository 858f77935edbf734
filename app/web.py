"""What every request shares: the areas' blueprints, login loading, locale, security headers, template helpers."""

from __future__ import annotations

import re

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app.areas import register_blueprints
from app.config import LANGUAGE_NAMES
from app.csp import content_security_policy
from app.errors import DomainError, register_error_handlers
from app.extensions import db, login_manager


def init_app(app: Flask) -> None:
    """Register the areas' blueprints, the error pages and the API, and what every request shares.

    The API is wired here, not as an area's blueprints: it is one flask-smorest `Api` whose setup wraps the web's
    error handlers and locale selector for /api, so it must run once, after both, which `init_api` documents.
    """
    from app.api.setup import init_api

    register_blueprints(app)
    register_error_handlers(app)
    init_api(app)  # after the error handlers, which it wraps for /api

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log in om deze pagina te zien.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)

    app.before_request(refuse_control_characters)
    app.before_request(load_user_first)
    app.after_request(security_headers)
    app.context_processor(template_context)


def load_user(session_key: str):
    """The user of the session cookie, while both its session key and its session row are live."""
    from app.auth import sessions
    from app.auth.models import User

    user = db.session.scalar(select(User).where(User.session_key == session_key))
    if user is None or not user.is_active:
        return None
    return user if sessions.current(user) is not None else None


def load_user_first() -> None:
    """Load the session's user before the view runs: ending or touching its session commits, which must not take
    a view's unfinished changes along. Not for static files, and not for the API, whose calls carry a token."""
    if request.endpoint != "static" and not request.path.startswith("/api/"):
        _ = current_user.is_authenticated


def select_locale() -> str:
    """The language chosen with the switch, else the user's profile language, else Dutch."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


_QUERY_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_JSON_NUL = re.compile(rb"\\u0000", re.IGNORECASE)


def refuse_control_characters() -> None:
    """Refuse (400) a query string with control characters, and a JSON body (the survey answers) with a NUL:
    PostgreSQL cannot store NUL in text, and no filter or search needs the others. Form fields are checked by
    `app.forms.Form`, which shows its message at the field; the API checks its own input and answers in its own
    format."""
    if request.path.startswith("/api/"):
        return
    if any(_QUERY_CONTROL.search(text) for item in request.args.items(multi=True) for text in item):
        raise DomainError(str(_l("Het adres van deze pagina bevat een ongeldig teken.")))
    if request.is_json and _JSON_NUL.search(request.get_data()):
        raise DomainError(str(_l("Wat u verstuurde bevat een ongeldig teken (NUL).")))


def security_headers(response):
    config = current_app.config
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if config["SEND_HSTS"]:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if current_user and current_user.is_authenticated:
        # Pages behind a login must not be kept by a shared browser or proxy.
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def template_context() -> dict[str, object]:
    """Values every page template gets; a template rendered by a job (a mail) gets only the locale."""
    from app.auth.policy import can, can_anywhere

    context: dict[str, object] = {"current_locale": str(get_locale())}
    if not has_request_context():
        return context
    return context | {
        "can": can,
        "can_anywhere": can_anywhere,
        "languages": [(code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"]],
        "request_path": request.full_path.rstrip("?"),
    }
