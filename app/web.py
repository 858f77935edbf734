"""What every request shares: blueprints, login loading, locale, security headers, template helpers."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app.clock import local_today
from app.config import LANGUAGE_NAMES
from app.errors import DomainError
from app.extensions import db, login_manager

HEADER_PARK_LIMIT = 6

# No inline script or style anywhere: the CSP forbids them. Map tiles come from the configured tile host.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: {tiles}; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    from app.admin.views import bp as admin_bp
    from app.api.setup import init_api
    from app.audit.views import bp as audit_bp
    from app.auth.views import bp as auth_bp
    from app.awards.views import bp as awards_bp
    from app.cameras.check_views import bp as camera_checks_bp
    from app.cameras.evaluation_views import bp as camera_evaluations_bp
    from app.cameras.footage_views import bp as footage_bp
    from app.cameras.health_views import bp as camera_health_bp
    from app.cameras.legal_views import bp as camera_legal_bp
    from app.cameras.overview_views import bp as camera_overview_bp
    from app.cameras.public_views import bp as camera_register_bp
    from app.cameras.views import bp as cameras_bp
    from app.dossier.views import bp as dossier_bp
    from app.errors import register_error_handlers
    from app.goals.views import bp as goals_bp
    from app.inventory.figure_views import bp as figures_bp
    from app.inventory.inspection_views import bp as inspections_bp
    from app.inventory.scan_views import bp as scan_bp
    from app.jobs.views import bp as jobs_bp
    from app.mail.views import bp as mail_bp
    from app.main.views import bp as main_bp
    from app.meetings.quarterly_views import bp as quarterly_bp
    from app.meetings.views import bp as meetings_bp
    from app.parks.area_views import bp as area_bp
    from app.parks.company_views import bp as companies_bp
    from app.parks.history_views import bp as history_bp
    from app.parks.views import bp as parks_bp
    from app.plans.calendar_views import bp as calendar_bp
    from app.plans.calendar_views import feed_bp as calendar_feed_bp
    from app.plans.tracking_views import bp as tracking_bp
    from app.plans.views import bp as plans_bp
    from app.stakeholders.views import bp as stakeholders_bp
    from app.surveys.invitation_views import bp as survey_invitations_bp
    from app.surveys.respond_views import bp as respond_bp
    from app.surveys.result_views import bp as survey_results_bp
    from app.surveys.views import bp as surveys_bp

    blueprints = (
        main_bp,
        auth_bp,
        parks_bp,
        area_bp,
        companies_bp,
        history_bp,
        stakeholders_bp,
        surveys_bp,
        survey_invitations_bp,
        respond_bp,
        survey_results_bp,
        figures_bp,
        scan_bp,
        inspections_bp,
        goals_bp,
        plans_bp,
        calendar_bp,
        calendar_feed_bp,
        tracking_bp,
        awards_bp,
        meetings_bp,
        quarterly_bp,
        cameras_bp,
        footage_bp,
        camera_legal_bp,
        camera_checks_bp,
        camera_evaluations_bp,
        camera_register_bp,
        camera_overview_bp,
        camera_health_bp,
        dossier_bp,
        audit_bp,
        admin_bp,
        jobs_bp,
        mail_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    register_error_handlers(app)
    init_api(app)  # after the error handlers, which it wraps for /api

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log in om deze pagina te zien.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)

    app.before_request(refuse_control_characters)
    app.after_request(security_headers)
    app.context_processor(template_context)


def load_user(session_key: str):
    from app.auth.models import User

    user = db.session.scalar(select(User).where(User.session_key == session_key))
    return user if user is not None and user.is_active else None


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
    tiles = urlsplit(config["MAP_TILE_URL"])
    response.headers.setdefault("Content-Security-Policy", CSP.format(tiles=f"{tiles.scheme}://{tiles.netloc}"))
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
    from app.auth.policy import can
    from app.parks.queries import parks_visible_to

    context: dict[str, object] = {"current_locale": str(get_locale())}
    if not has_request_context():
        return context
    header_parks: list = []
    if current_user.is_authenticated:
        header_parks = list(
            db.session.scalars(parks_visible_to(current_user, today=local_today()).limit(HEADER_PARK_LIMIT + 1))
        )
    return context | {
        "can": can,
        "header_parks": header_parks[:HEADER_PARK_LIMIT],
        "more_parks": len(header_parks) > HEADER_PARK_LIMIT,
        "languages": [(code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"]],
        "request_path": request.full_path.rstrip("?"),
    }


def safe_next_url(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: a login link must not send users elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


MAX_PAGE = 100_000  # beyond this the OFFSET would overflow the database's integer; no list is that long


def page_number() -> int:
    """The `page` query argument, forced into 1..MAX_PAGE so that no value reaches the database raw."""
    page = request.args.get("page", 1, type=int) or 1
    return min(max(page, 1), MAX_PAGE)


@dataclass(frozen=True)
class Page:
    """One page of a list, with what `_partials/pagination.html` needs (Flask-SQLAlchemy's pages have the same)."""

    items: list[Any]
    page: int
    pages: int
    total: int

    @classmethod
    def of(cls, items: list[Any], *, total: int, page: int, per_page: int) -> Page:
        """The page `page` of a list of `total` rows, of which `items` are the ones on it."""
        return cls(items, page, max((total + per_page - 1) // per_page, 1), total)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def paginate(items: list[Any], per_page: int) -> Page:
    """The page of `items` (a list in memory) that the `page` query argument asks for (the last one when it asks
    for more)."""
    pages = max((len(items) + per_page - 1) // per_page, 1)
    page = min(page_number(), pages)
    return Page(items[(page - 1) * per_page : page * per_page], page, pages, len(items))


def file_slug(name: str) -> str:
    """A name as the ASCII letters, digits and hyphens of a download's file name ("park" when nothing is left)."""
    slug = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", slug).strip("-") or "park"
