"""Rate limits on the mails a request makes the platform send (password resets and invitations), and on the codes
of the second factor.

The limits are policy values in app/config.py. They count in the app's one limiter (app.ratelimit): in Redis,
shared by every instance, when REDIS_URL is set. Each key is a hash, so no address or IP address is kept in the
clear.
"""

from __future__ import annotations

from flask_babel import ngettext

from app.auth.models import User
from app.auth.services import normalise_email
from app.errors import TooManyRequests
from app.ratelimit import count, minutes_left


def ensure_reset_allowed_from(client: str | None) -> None:
    """Count a password-reset request from this client (its IP address); raise TooManyRequests beyond
    PASSWORD_RESET_LIMIT_PER_CLIENT. It counts every request, whether or not the address has an account, so the
    refusal reveals no accounts."""
    verdict = count("PASSWORD_RESET_LIMIT_PER_CLIENT", client or "unknown")
    if not verdict.allowed:
        raise TooManyRequests(
            ngettext(
                "Er zijn vanaf uw verbinding te veel nieuwe wachtwoorden aangevraagd. Probeer het over %(num)s "
                "minuut opnieuw.",
                "Er zijn vanaf uw verbinding te veel nieuwe wachtwoorden aangevraagd. Probeer het over %(num)s "
                "minuten opnieuw.",
                minutes_left(verdict),
            ),
            retry_after=verdict.reset,
        )


def reset_allowed_for(email: str) -> bool:
    """Count a password-reset request for this address, known or not; whether a mail may still go to it
    (PASSWORD_RESET_LIMIT_PER_ADDRESS). The requester is not told: the answer is the same either way."""
    return count("PASSWORD_RESET_LIMIT_PER_ADDRESS", normalise_email(email)).allowed


def ensure_invitation_allowed(actor: User, email: str) -> None:
    """Count an invitation mail from `actor` to `email`; raise TooManyRequests beyond INVITATION_LIMIT_PER_ADDRESS
    for the address, or beyond INVITATION_LIMIT_PER_INVITER for the actor. The address is counted first, so that
    pressing "send again" for one person does not use up the inviter's own limit."""
    email = normalise_email(email)
    verdict = count("INVITATION_LIMIT_PER_ADDRESS", email)
    if not verdict.allowed:
        raise TooManyRequests(
            ngettext(
                "Naar %(email)s zijn in korte tijd al te veel uitnodigingen gestuurd. Probeer het over %(num)s "
                "minuut opnieuw.",
                "Naar %(email)s zijn in korte tijd al te veel uitnodigingen gestuurd. Probeer het over %(num)s "
                "minuten opnieuw.",
                minutes_left(verdict),
                email=email,
            ),
            retry_after=verdict.reset,
        )
    verdict = count("INVITATION_LIMIT_PER_INVITER", str(actor.id))
    if not verdict.allowed:
        raise TooManyRequests(
            ngettext(
                "U heeft in korte tijd te veel uitnodigingen verstuurd. Probeer het over %(num)s minuut opnieuw.",
                "U heeft in korte tijd te veel uitnodigingen verstuurd. Probeer het over %(num)s minuten opnieuw.",
                minutes_left(verdict),
            ),
            retry_after=verdict.reset,
        )


def ensure_code_attempt_allowed(user: User) -> None:
    """Count one code (authenticator or recovery code) given for `user` after the password; raise TooManyRequests
    beyond TWO_FACTOR_LIMIT_PER_USER. Wrong codes also count in the lock-out with wrong passwords."""
    verdict = count("TWO_FACTOR_LIMIT_PER_USER", str(user.id))
    if not verdict.allowed:
        raise TooManyRequests(
            ngettext(
                "Er zijn te veel codes geprobeerd. Probeer het over %(num)s minuut opnieuw.",
                "Er zijn te veel codes geprobeerd. Probeer het over %(num)s minuten opnieuw.",
                minutes_left(verdict),
            ),
            retry_after=verdict.reset,
        )
