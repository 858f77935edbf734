"""The second factor's pages: the code after the password, setting up the authenticator (forced at sign-in, or from
the profile), recovery codes, remembered devices."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from app.auth import limits, sessions, sign_in, two_factor
from app.auth.current import current_actor
from app.auth.decorators import load_or_404
from app.auth.forms import ConfirmForm, TwoFactorCodeForm, TwoFactorEnrolForm
from app.auth.models import TrustedDevice, User
from app.auth.services import ThrottlePolicy, clear_failures
from app.clock import local_today
from app.errors import DomainError
from app.extensions import db
from app.forms import Confirm, button_action, confirmation_page, form_view, render_form, run_button

bp = Blueprint("two_factor", __name__)

#: the session key of the secret being set up, encrypted, until its first code confirms it
ENROLLING = "vb_2fa_enrolling"


# The two pages of a half-done sign-in keep the global CSRF check (no form_view): a post without a valid token is
# refused before the view looks for the sign-in, as every other form post is.
@bp.route("/inloggen/code", methods=["GET", "POST"])
def code():
    user = sign_in.pending_user()
    if user is None:
        return sign_in.sign_in_expired()
    form = TwoFactorCodeForm()
    status = None
    if form.validate_on_submit():
        now = datetime.now(UTC)
        try:
            limits.ensure_code_attempt_allowed(user)
            method = two_factor.verify(
                user,
                form.code.data,
                now=now,
                policy=ThrottlePolicy.from_config(current_app.config),
                secret_key=sign_in.secret_key(),
            )
        except DomainError as error:
            db.session.commit()  # the failure counts, and its audit row stays
            form.code.errors.append(error.message)
            status = error.status_code
        else:
            cookie = None
            if form.remember.data:
                cookie = two_factor.remember_device(
                    user,
                    label=sessions.describe_device(request.user_agent.string),
                    now=now,
                    secret_key=sign_in.secret_key(),
                )
            next_url = session[sign_in.PENDING].get("next")
            sessions.start(user, method=method)
            if method == two_factor.RECOVERY_CODE:
                left = two_factor.recovery_codes_left(user)
                flash(
                    ngettext(
                        "U heeft een herstelcode gebruikt; er is er nog %(num)s over. Maak nieuwe aan onder "
                        "Tweestapsverificatie als u ze bijna op heeft.",
                        "U heeft een herstelcode gebruikt; er zijn er nog %(num)s over. Maak nieuwe aan onder "
                        "Tweestapsverificatie als u ze bijna op heeft.",
                        left,
                    ),
                    "warning",
                )
            response = redirect(next_url or url_for("main.home"))
            if cookie is not None:
                response.set_cookie(
                    two_factor.DEVICE_COOKIE,
                    cookie,
                    max_age=two_factor.TRUSTED_DEVICE_DAYS * 86400,
                    secure=current_app.config["SESSION_COOKIE_SECURE"],
                    httponly=True,
                    samesite="Lax",
                )
            return response
    page, default_status = render_form("auth/two_factor_code.html", form)
    return page, status or default_status


def _enrolling_secret() -> str:
    """The secret being set up in this session (a new one at the start, or when the stored one is unreadable)."""
    stored = session.get(ENROLLING)
    secret = two_factor.decrypt(stored, secret_key=sign_in.secret_key()) if isinstance(stored, str) else None
    if secret is None:
        secret = two_factor.new_secret()
        session[ENROLLING] = two_factor.encrypt(secret, secret_key=sign_in.secret_key())
    return secret


def _enrol(user: User, *, at_sign_in: bool):
    """The set-up page: the QR code and the key as text; the first right code stores it and shows the recovery
    codes (once). At sign-in, that completes the sign-in."""
    secret = _enrolling_secret()
    form = TwoFactorEnrolForm()
    status = None
    if form.validate_on_submit():
        try:
            limits.ensure_code_attempt_allowed(user)
            codes = two_factor.confirm_enrolment(
                user,
                secret,
                form.code.data,
                now=datetime.now(UTC),
                policy=ThrottlePolicy.from_config(current_app.config),
                secret_key=sign_in.secret_key(),
            )
        except DomainError as error:
            db.session.commit()  # a wrong code counts in the lock-out; nothing else was written
            form.code.errors.append(error.message)
            status = error.status_code
        else:
            next_url = (session.get(sign_in.PENDING) or {}).get("next") if at_sign_in else None
            if at_sign_in:
                clear_failures(user.email)
                sessions.start(user, method="totp")
            else:
                session.pop(ENROLLING, None)
                db.session.commit()
            return render_template(
                "auth/two_factor_recovery_codes.html",
                codes=codes,
                next_url=next_url or url_for("two_factor.settings"),
                just_enrolled=True,
            )
    uri = two_factor.provisioning_uri(user, secret)
    page, default_status = render_form(
        "auth/two_factor_enrol.html",
        form,
        qr=two_factor.qr_svg(uri, _("QR-code om in uw authenticator-app te scannen")),
        secret=two_factor.grouped(secret),
        at_sign_in=at_sign_in,
    )
    return page, status or default_status


@bp.route("/inloggen/tweestapsverificatie-instellen", methods=["GET", "POST"])
def enrol_at_sign_in():
    user = sign_in.pending_user()
    if user is None:
        return sign_in.sign_in_expired()
    if two_factor.factor_of(user) is not None:
        return redirect(url_for("two_factor.code"))
    return _enrol(user, at_sign_in=True)


@bp.route("/profiel/tweestapsverificatie")
@login_required
def settings():
    user = current_actor()
    factor = two_factor.factor_of(user)
    return render_template(
        "auth/two_factor.html",
        factor=factor,
        required=two_factor.is_required(user, local_today()),
        codes_left=two_factor.recovery_codes_left(user) if factor else 0,
        devices=two_factor.devices_of(user, now=datetime.now(UTC)),
        confirm_form=ConfirmForm(),
    )


@bp.route("/profiel/tweestapsverificatie/instellen", methods=["GET", "POST"])
@login_required
@form_view
def enrol():
    user = current_actor()
    if two_factor.factor_of(user) is not None:
        flash(_("Tweestapsverificatie is al ingesteld voor dit account."), "info")
        return redirect(url_for("two_factor.settings"))
    return _enrol(user, at_sign_in=False)


@bp.route("/profiel/tweestapsverificatie/herstelcodes", methods=["POST"])
@login_required
def regenerate_recovery_codes():
    settings_url = url_for("two_factor.settings")
    confirm = Confirm(_("Nieuwe herstelcodes aanmaken? De oude werken daarna niet meer."), _("Ja, nieuwe herstelcodes"))
    if (page := confirmation_page(confirm, settings_url)) is not None:
        return page
    done = run_button(lambda: two_factor.regenerate_recovery_codes(current_actor()))
    if not done.ok:
        return redirect(settings_url)
    return render_template(
        "auth/two_factor_recovery_codes.html", codes=done.value, next_url=settings_url, just_enrolled=False
    )


@bp.route("/profiel/tweestapsverificatie/uitzetten", methods=["POST"])
@login_required
def disable():
    return button_action(
        lambda: two_factor.disable(current_actor(), today=local_today()),
        _("Tweestapsverificatie staat uit."),
        url_for("two_factor.settings"),
        confirm=Confirm(_("Tweestapsverificatie uitzetten?"), _("Ja, uitzetten")),
    )


@bp.route("/profiel/apparaten/<int:device_id>/vergeten", methods=["POST"])
@login_required
def revoke_device(device_id: int):
    device = load_or_404(TrustedDevice, device_id)
    user = current_actor()
    if device.user_id != user.id:
        abort(404)  # another user's device does not exist for this user
    return button_action(
        lambda: two_factor.revoke_device(user, device),
        _("Dit apparaat vraagt voortaan weer om de code."),
        url_for("two_factor.settings"),
    )
