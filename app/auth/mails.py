"""The mails of the account area, composed in the recipient's language."""

from __future__ import annotations

from flask import current_app
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
