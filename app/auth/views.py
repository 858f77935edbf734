from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_required, logout_user

from app.auth import limits, services, two_factor
from app.auth.current import current_actor
from app.auth.forms import LoginForm, ProfileForm, ResetRequestForm, SetPasswordForm
from app.auth.mails import queue_password_link
from app.auth.models import DigestFrequency
from app.auth.policy import may_edit_organisation
from app.auth.sign_in import continue_sign_in
from app.errors import DomainError, TooManyRequests
from app.extensions import db
from app.forms import form_view, render_form, submit
from app.pages import safe_next_url

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
    page, default_status = render_form("auth/login.html", form)
    return page, status or default_status


@bp.route("/uitloggen", methods=["POST"])
@login_required
def logout():
    services.logout(current_actor())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("U bent uitgelogd."), "info")
    return redirect(url_for("auth.login"))


def _password_page(token: str, purpose: str, max_age_key: str, template: str, done_message: str):
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
    return render_form(template, form, user=user, link_error=None)


@bp.route("/uitnodiging/<token>", methods=["GET", "POST"])
@form_view
def accept_invitation(token: str):
    return _password_page(
        token,
        services.INVITATION,
        "INVITATION_MAX_AGE",
        "auth/accept_invitation.html",
        _("Uw wachtwoord is ingesteld. U kunt nu inloggen."),
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


def _letterhead_url(user) -> str | None:
    """The letterhead page of the user's organisation, when they may set it."""
    if user.organisation is None or not may_edit_organisation(user, user.organisation):
        return None
    return url_for("letterhead.edit", organisation_id=user.organisation_id)
