"""The authorised signatory's personal signing link: made (only its digest stored), mailed, found again by its
token, revoked when sent again; the signing-request mail and its preview; the keyed hash of a signer's address."""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import mail
from app.auth.models import User
from app.awards.certificates import award_title
from app.awards.models import Award, SigningLink
from app.errors import DomainError
from app.extensions import db
from app.links import external_url, is_link_token, link_token_digest, new_link_token
from app.stakeholders.models import Stakeholder

#: a signing link works this many days after it was sent, once
LINK_VALID_DAYS = 30
MAIL_TEMPLATE = "award_request"


class LinkGone(DomainError):
    """The link existed but no longer signs: used, replaced by a newer one, expired, or its award is past signing."""

    status_code = 410


def client_hash(address: str | None) -> str | None:
    """HMAC-SHA256 of the signer's IP address keyed with SECRET_KEY: enough to see that two signatures came from one
    place, or to answer "was it signed from this address?" for an address someone already has, without keeping an
    address in the clear (an unkeyed hash of an IPv4 address is reversed by trying all of them)."""
    if not address:
        return None
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"award-signature-client:" + address.encode(), "sha256").hexdigest()


def find_link(token: str | None) -> SigningLink | None:
    """The signing link with this token, or None for a token that was never one (guessed, mistyped, truncated)."""
    if not is_link_token(token):
        return None
    return db.session.scalar(select(SigningLink).where(SigningLink.token_digest == link_token_digest(token)))


def latest_links(award: Award | None) -> dict[int, SigningLink]:
    """Per stakeholder id, the last link sent for `award` (one query)."""
    if award is None or award.id is None:
        return {}
    last = select(func.max(SigningLink.id)).where(SigningLink.award_id == award.id).group_by(SigningLink.stakeholder_id)
    links = db.session.scalars(select(SigningLink).where(SigningLink.id.in_(last)))
    return {link.stakeholder_id: link for link in links}


def revoke_outstanding(award: Award, stakeholder: Stakeholder, *, now: datetime) -> int:
    """Make the stakeholder's unused links for `award` stop working; returns how many there were."""
    links = db.session.scalars(
        select(SigningLink).where(
            SigningLink.award_id == award.id,
            SigningLink.stakeholder_id == stakeholder.id,
            SigningLink.used_at.is_(None),
            SigningLink.revoked_at.is_(None),
        )
    ).all()
    for link in links:
        link.revoked_at = now
    return len(links)


def _locale_for(email: str) -> str:
    """The language of the user with this address, else the platform's default: a signatory needs no account."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    if user is not None:
        return user.locale
    return current_app.config.get("BABEL_DEFAULT_LOCALE", "nl")


def _subject(stakeholder: Stakeholder):
    return _l("Uw handtekening voor de waardering van %(park)s", park=stakeholder.park.name)


def _context(stakeholder: Stakeholder, *, link: str, expires_at: datetime | None) -> dict:
    park = stakeholder.park
    return {
        "name": stakeholder.signatory_name,
        "function": stakeholder.signatory_function,
        "organisation": stakeholder.organisation.name,
        "park": park,
        "title": award_title(park),
        "link": link,
        "expires_at": expires_at,
        "valid_days": LINK_VALID_DAYS,
    }


def send_link(actor: User, award: Award, stakeholder: Stakeholder, *, now: datetime) -> SigningLink:
    """Make a new personal link for the stakeholder's authorised signatory and queue the mail with it; an earlier
    unused link stops working. The caller checks the policy and audits. DomainError without the signatory's
    address."""
    email = stakeholder.signatory_email
    if not email:
        raise DomainError(
            _(
                "Van de tekenbevoegde van %(organisation)s is geen e-mailadres bekend.",
                organisation=stakeholder.organisation.name,
            )
        )
    revoke_outstanding(award, stakeholder, now=now)
    token, digest = new_link_token()
    link = SigningLink(
        award_id=award.id,
        stakeholder_id=stakeholder.id,
        token_digest=digest,
        name=stakeholder.signatory_name,
        function=stakeholder.signatory_function,
        email=email,
        sent_at=now,
        sent_by_id=actor.id,
        expires_at=now + timedelta(days=LINK_VALID_DAYS),
    )
    db.session.add(link)
    db.session.flush()
    url = external_url("award_signing.start", token=token)
    mail.queue_draft(_draft(stakeholder, email, link=url, expires_at=link.expires_at))
    return link


def _draft(stakeholder: Stakeholder, email: str, *, link: str, expires_at: datetime | None) -> mail.Draft:
    """The signing-request mail to the stakeholder's signatory, as sent and as previewed."""
    context = _context(stakeholder, link=link, expires_at=expires_at)
    return mail.Draft(email, _locale_for(email), MAIL_TEMPLATE, _subject(stakeholder), context)


def preview(stakeholder: Stakeholder) -> mail.Draft | None:
    """The signing-request mail for the stakeholder as it would go out now, with a placeholder instead of the
    personal link, which is made only when the mail is sent; None while the signatory's address is unknown."""
    email = stakeholder.signatory_email
    if not email:
        return None
    placeholder = external_url("award_signing.start", token="TOKEN").replace("TOKEN", "…")  # noqa: S106
    return _draft(stakeholder, email, link=placeholder, expires_at=None)
