"""The mails of the account area, composed in the recipient's language."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import lazy_gettext as _l

from app import mail
from app.auth import limits, services
from app.auth.models import User
from app.links import external_url

LINKS = {
    services.INVITATION: ("auth.accept_invitation", "invitation", _l("Uitnodiging voor Veilig Bedrijventerrein")),
    services.PASSWORD_RESET: ("auth.reset_password", "password_reset", _l("Nieuw wachtwoord instellen")),
}


def queue_password_link(user: User, purpose: str) -> None:
    """Queue a mail with an invitation or password-reset link, in the same transaction as what prompted it."""
    config = current_app.config
    endpoint, template, subject = LINKS[purpose]
    token = services.make_token(user, purpose, secret_key=config["SECRET_KEY"])
    mail.queue(
        user.email,
        user.locale,
        template,
        subject,
        user=user,
        link=external_url(endpoint, token=token),
        days=config["INVITATION_MAX_AGE"].days,
        hours=int(config["PASSWORD_RESET_MAX_AGE"].total_seconds() // 3600),
    )


def queue_invitation(actor: User, user: User) -> None:
    """Queue `user`'s invitation mail, sent by `actor` (an admin, or an advisor inviting a representative).

    Raises TooManyRequests, with nothing queued, beyond the invitation limits per invited address and per inviting
    user (`limits.ensure_invitation_allowed`)."""
    limits.ensure_invitation_allowed(actor, user.email)
    queue_password_link(user, services.INVITATION)


TWO_FACTOR_ENROLLED = "enrolled"
TWO_FACTOR_DISABLED = "disabled"
TWO_FACTOR_RESET = "reset"
RECOVERY_CODE_USED = "recovery_code_used"
RECOVERY_CODES_REGENERATED = "recovery_codes_regenerated"

TWO_FACTOR_SUBJECTS = {
    TWO_FACTOR_ENROLLED: _l("Tweestapsverificatie ingesteld"),
    TWO_FACTOR_DISABLED: _l("Tweestapsverificatie uitgezet"),
    TWO_FACTOR_RESET: _l("Tweestapsverificatie gereset door een beheerder"),
    RECOVERY_CODE_USED: _l("Er is een herstelcode gebruikt"),
    RECOVERY_CODES_REGENERATED: _l("Nieuwe herstelcodes aangemaakt"),
}


TWO_FACTOR_MESSAGES = {
    TWO_FACTOR_ENROLLED: _l("Voor uw account is tweestapsverificatie met een authenticator-app ingesteld."),
    TWO_FACTOR_DISABLED: _l("U heeft tweestapsverificatie voor uw account uitgezet."),
    TWO_FACTOR_RESET: _l(
        "Een beheerder heeft de tweestapsverificatie van uw account gereset. Waar die verplicht is, stelt u haar bij "
        "de volgende keer inloggen opnieuw in."
    ),
    RECOVERY_CODES_REGENERATED: _l("U heeft nieuwe herstelcodes aangemaakt; de oude werken niet meer."),
}


def _two_factor_message(event: str, left: int | None) -> str:
    """The mail's message in the current locale (the caller forces the recipient's)."""
    if event == RECOVERY_CODE_USED:
        return ngettext(
            "U heeft een herstelcode gebruikt om in te loggen; er is er nog %(num)s over.",
            "U heeft een herstelcode gebruikt om in te loggen; er zijn er nog %(num)s over.",
            left,
        )
    return str(TWO_FACTOR_MESSAGES[event])


def queue_two_factor_notice(user: User, event: str, *, left: int | None = None) -> None:
    """Queue the mail telling `user` of a change to their second factor (an enrolment, a reset, a recovery code
    used with `left` codes left...), in the same transaction as the change: so that they notice one they did not
    make."""
    with force_locale(user.locale):
        message = _two_factor_message(event, left)
    mail.queue(
        user.email,
        user.locale,
        "two_factor",
        TWO_FACTOR_SUBJECTS[event],
        user=user,
        message=message,
        profile_link=external_url("two_factor.settings"),
    )
