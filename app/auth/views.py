from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import format_timedelta, refresh
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from app.auth import limits, services, sessions, two_factor
from app.auth.current import current_actor
from app.auth.decorators import MAX_ID
from app.auth.forms import ConfirmForm, LoginForm, ProfileForm, ResetRequestForm, SetPasswordForm
from app.auth.mails import queue_password_link
from app.auth.models import DigestFrequency, User
from app.auth.policy import may_edit_organisation
from app.auth.sign_in import continue_sign_in
from app.errors import DomainError, TooManyRequests
from app.extensions import db
from app.forms import Confirm, button_action, confirmation_page, form_view, render_form, submit
from app.links import external_url
from app.pages import safe_next_url
from app.sso import services as sso

bp = Blueprint("auth", __name__)


@bp.route("/inloggen", methods=["GET", "POST"])
@form_view
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    status = None
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                form.email.data,
                form.password.data,
                now=datetime.now(UTC),
                policy=services.ThrottlePolicy.from_config(current_app.config),
                ip=request.remote_addr,
            )
        except DomainError as error:
            db.session.commit()  # the failure counts, and its audit row stays
            form.form_errors.append(error.message)
            status = error.status_code
        else:
            return continue_sign_in(user, safe_next_url(request.args.get("next")))
    page, default_status = render_form("auth/login.html", form, providers=sso.enabled_providers())
    return page, status or default_status


@bp.route("/uitloggen", methods=["POST"])
@login_required
def logout():
    return _sign_out(sessions.end_this, _("U bent uitgelogd."))


def _sign_out(end: Callable[[User], None], message: str):
    """End this session (and with `end` perhaps more), then go to the login page, or, after a sign-in through an
    identity provider that supports it, on to the provider's logout."""
    # read before the session is cleared: a sign-in through an identity provider ends there too
    provider_logout = sso.logout_url(
        session.get(sso.SIGNED_IN),
        post_logout_redirect_uri=external_url("auth.login"),
        settings=sso.settings_from(current_app.config),
    )
    end(current_actor())
    db.session.commit()
    logout_user()
    session.clear()
    if provider_logout:
        # A page that moves on by itself: the CSP's form-action 'self' forbids a form's redirect to another site.
        return render_template("auth/logout.html", provider_logout=provider_logout)
    flash(message, "info")
    return redirect(url_for("auth.login"))


def _password_page(token: str, purpose: str, max_age_key: str, template: str, done_message: str, **context):
    """The page behind an invitation or reset link: check the link, then let the user set a password."""
    config = current_app.config
    try:
        user = services.user_for_token(token, purpose, secret_key=config["SECRET_KEY"], max_age=config[max_age_key])
    except DomainError as error:
        return render_form(template, SetPasswordForm(), link_error=error.message, user=None)[0], 400
    form = SetPasswordForm()
    if (
        form.validate_on_submit()
        and submit(form, lambda: services.set_password(user, form.password.data), field=form.password).ok
    ):
        flash(done_message, "success")
        return redirect(url_for("auth.login"))
    return render_form(template, form, user=user, link_error=None, **context)


@bp.route("/uitnodiging/<token>", methods=["GET", "POST"])
@form_view
def accept_invitation(token: str):
    return _password_page(
        token,
        services.INVITATION,
        "INVITATION_MAX_AGE",
        "auth/accept_invitation.html",
        _("Uw wachtwoord is ingesteld. U kunt nu inloggen."),
        # instead of a password, the invitee may link the account to their organisation's identity provider
        providers=sso.enabled_providers(),
        invitation=token,
    )


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
@form_view
def reset_password(token: str):
    return _password_page(
        token,
        services.PASSWORD_RESET,
        "PASSWORD_RESET_MAX_AGE",
        "auth/reset_password.html",
        _("Uw nieuwe wachtwoord is ingesteld. U kunt nu inloggen."),
    )


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@form_view
def forgot_password():
    form = ResetRequestForm()
    if form.validate_on_submit():
        try:
            limits.ensure_reset_allowed_from(request.remote_addr)
        except TooManyRequests as error:
            # Said plainly (429): it counts every request from this client, known address or not, so it reveals no
            # account, and whoever sent them learns that no mail is coming.
            form.form_errors.append(error.message)
            page, _status = render_form("auth/forgot_password.html", form)
            return page, error.status_code, {"Retry-After": str(error.retry_after)}
        user = services.find_user_by_email(form.email.data)
        # The address is counted first, known or not; beyond its limit nothing is sent, and nothing is said.
        if limits.reset_allowed_for(form.email.data) and user is not None and user.is_active:
            queue_password_link(user, services.PASSWORD_RESET)
            db.session.commit()
        # The same answer whether or not the address has an account.
        flash(_("Als dit adres bij ons bekend is, ontvangt u binnen enkele minuten een e-mail met een link."), "info")
        return redirect(url_for("auth.login"))
    return render_form("auth/forgot_password.html", form)


@bp.route("/profiel", methods=["GET", "POST"])
@login_required
@form_view
def profile():
    user = current_actor()
    form = ProfileForm(obj=user)
    if (
        form.validate_on_submit()
        and submit(
            form,
            lambda: services.update_profile(
                user,
                name=form.name.data,
                locale=form.locale.data,
                digest_frequency=DigestFrequency(form.digest_frequency.data),
            ),
        ).ok
    ):
        session["lang"] = user.locale
        refresh()  # the confirmation speaks the language just chosen
        flash(_("Uw gegevens zijn opgeslagen."), "success")
        return redirect(url_for("auth.profile"))
    return render_form(
        "auth/profile.html",
        form,
        user=user,
        letterhead_url=_letterhead_url(user),
        two_factor_on=two_factor.factor_of(user) is not None,
    )


@bp.route("/profiel/sessies")
@login_required
def user_sessions():
    user = current_actor()
    return render_template(
        "auth/sessions.html",
        sessions=sessions.live_sessions(user, datetime.now(UTC)),
        idle=format_timedelta(sessions.idle_timeout(user), threshold=2),
        lifetime=format_timedelta(current_app.config["PERMANENT_SESSION_LIFETIME"], threshold=2),
        form=ConfirmForm(),
    )


@bp.route("/profiel/sessies/<int:session_id>/beeindigen", methods=["POST"])
@login_required
def end_session(session_id: int):
    user_session = sessions.own_session(current_actor(), session_id) if session_id <= MAX_ID else None
    if user_session is None:
        abort(404)
    return button_action(
        lambda: sessions.end_one(current_actor(), user_session),
        _("De sessie is beëindigd: op dat apparaat moet opnieuw worden ingelogd."),
        url_for("auth.user_sessions"),
    )


@bp.route("/profiel/sessies/overal-uitloggen", methods=["POST"])
@login_required
def sign_out_everywhere():
    confirm = Confirm(_("Op al uw apparaten uitloggen, ook hier?"), _("Ja, overal uitloggen"))
    if (page := confirmation_page(confirm, url_for("auth.user_sessions"))) is not None:
        return page
    return _sign_out(sessions.sign_out_everywhere, _("U bent op al uw apparaten uitgelogd."))


def _letterhead_url(user) -> str | None:
    """The letterhead page of the user's organisation, when they may set it."""
    if user.organisation is None or not may_edit_organisation(user, user.organisation):
        return None
    return url_for("letterhead.edit", organisation_id=user.organisation_id)
