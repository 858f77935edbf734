from __future__ import annotations

import os
from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for

from app.auth import services as auth_services
from app.auth import sessions
from app.auth.forms import LoginForm
from app.auth.models import User
from app.errors import DomainError
from app.extensions import db
from app.links import external_url
from app.pages import safe_next_url
from app.sso import services
from app.sso.services import ProviderUnavailable

bp = Blueprint("sso", __name__)

#: the session key of an attempt under way: its state, nonce and PKCE verifier
PENDING = "oidc_pending"


def settings() -> services.Settings:
    return services.settings_from(current_app.config)


def _provider_or_404(slug: str):
    provider = services.enabled_provider(slug)
    if provider is None:
        abort(404)
    return provider


def _redirect_uri(slug: str) -> str:
    # from BASE_URL, as registered at the provider: never from the request's Host header
    return external_url("sso.callback", slug=slug)


def _refused(provider, error: DomainError):
    db.session.rollback()
    services.record_refusal(provider, error, ip=request.remote_addr)
    db.session.commit()
    return render_template("sso/refused.html", provider=provider, message=error.message), error.status_code


@bp.route("/inloggen/met/<slug>")
def start(slug: str):
    provider = _provider_or_404(slug)
    invited = None
    if token := request.args.get("uitnodiging"):
        config = current_app.config
        try:
            invited = auth_services.user_for_token(
                token[:500],
                auth_services.INVITATION,
                secret_key=config["SECRET_KEY"],
                max_age=config["INVITATION_MAX_AGE"],
            )
        except DomainError as error:
            return _refused(provider, error)
    try:
        url, pending = services.begin(
            provider, redirect_uri=_redirect_uri(slug), environ=os.environ, settings=settings()
        )
    except ProviderUnavailable as error:
        # the login page itself, with the reason: the password form stays usable
        form = LoginForm(formdata=None)
        form.form_errors.append(error.message)
        page = render_template("auth/login.html", form=form, providers=services.enabled_providers())
        return page, error.status_code
    pending["next"] = safe_next_url(request.args.get("next")) or ""
    pending["invited"] = str(invited.id) if invited is not None else ""
    session[PENDING] = pending
    return redirect(url)


@bp.route("/inloggen/met/<slug>/terug")
def callback(slug: str):
    provider = _provider_or_404(slug)
    pending = session.pop(PENDING, None)
    now = datetime.now(UTC)
    try:
        claims, id_token = services.finish(
            provider,
            pending if isinstance(pending, dict) else None,
            request.args,
            redirect_uri=_redirect_uri(slug),
            environ=os.environ,
            settings=settings(),
            now=now,
        )
        invited = db.session.get(User, int(pending["invited"])) if pending.get("invited") else None
        user = services.sign_in(
            provider, services.identity_from_claims(provider, claims), invited=invited, now=now, ip=request.remote_addr
        )
    except DomainError as error:
        return _refused(provider, error)
    sessions.start(user, method=f"oidc:{provider.name}")
    session[services.SIGNED_IN] = {"provider": provider.slug, "id_token": id_token}
    return redirect(pending.get("next") or url_for("main.home"))
