"""Personal survey invitations: one unguessable link per company in the register, revoked or mailed with the
mayor's letter by the advisor, and found again by its token when a respondent opens it."""

from __future__ import annotations

import base64
import hmac
import re
import secrets
from collections.abc import Callable
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import defer, joinedload

from app import audit, mail
from app.auth.models import User
from app.auth.policy import ensure_can
from app.errors import DomainError
from app.extensions import db
from app.links import external_url
from app.mail.services import Attachment
from app.parks.models import CycleStatus
from app.surveys.letter import letter_pdf
from app.surveys.models import InvitationStatus, Survey, SurveyInvitation, SurveyStatus

#: a survey's public link is 24 random bytes in URL-safe base64 (32 characters); a personal link is a random id of
#: 12 bytes and a code of 12 bytes (16 characters each); a valid token is at most 64
TOKEN_BYTES = 24
LINK_HALF_BYTES = 12
LINK_ID_LENGTH = 16
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]+")
TOKEN_MAX_LENGTH = 64
#: invitations a respondent can still use
PENDING = (InvitationStatus.INVITED, InvitationStatus.OPENED)


def _ensure_cycle_active(survey: Survey) -> None:
    # surveys.services.ensure_cycle_active, which cannot be imported here: services imports this module
    if survey.cycle.status != CycleStatus.ACTIVE:
        raise DomainError(_("De cyclus van deze enquête is afgesloten."))


def _link_key() -> bytes:
    # a key of its own, derived from SECRET_KEY: the links are not signed with the key sessions are signed with
    return hmac.digest(current_app.config["SECRET_KEY"].encode(), b"survey-invitation-links", "sha256")


def link_token(link_id: str) -> str:
    """The token of the personal link of the invitation with this `link_id`: the id, then a code worked out from
    it with the server's secret.

    The database keeps the id, never the code: a copy of the database or a backup alone lets no one answer for a
    company, while the letter can be printed again. A new SECRET_KEY changes every code, so links already sent
    stop working and letters printed again carry the new ones (docs/features.md, *The enterprise survey*).
    """
    code = hmac.digest(_link_key(), link_id.encode(), "sha256")[:LINK_HALF_BYTES]
    return link_id + base64.urlsafe_b64encode(code).decode()


#: the printed code's characters: lower case and digits without the ones that look alike (0/o, 1/l/i)
TYPED_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
#: the printed code: 16 characters (4 groups of 4), a number that holds the first 36 bits of the link id (its
#: first 6 characters, to find the invitation) and 42 bits worked out from the whole id with the secret
TYPED_LENGTH = 16
TYPED_GROUP = 4
TYPED_ID_CHARS = 6
TYPED_ID_BITS = 6 * TYPED_ID_CHARS
TYPED_TAG_BITS = 42
_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_TYPED_SEPARATORS = re.compile(r"[\s\-]+")


def typed_code(link_id: str) -> str:
    """The short code of the personal link, for a person to type from the printed letter ("k7m4-x9wq-3hpr-a2bc").

    The same invitation as `link_token`: its first part is the start of the link id, the rest a check worked out
    from the whole id with the server's secret (so the code is as unguessable as 78 random bits, and a typo
    reaches no other company's survey).
    """
    start = 0
    for char in link_id[:TYPED_ID_CHARS]:
        start = start << 6 | _BASE64.index(char)
    digest = hmac.digest(_link_key(), b"typed:" + link_id.encode(), "sha256")
    tag = int.from_bytes(digest, "big") >> (256 - TYPED_TAG_BITS)
    value = start << TYPED_TAG_BITS | tag
    chars = []
    for _position in range(TYPED_LENGTH):
        value, digit = divmod(value, len(TYPED_ALPHABET))
        chars.append(TYPED_ALPHABET[digit])
    code = "".join(reversed(chars))
    return "-".join(code[i : i + TYPED_GROUP] for i in range(0, TYPED_LENGTH, TYPED_GROUP))


def _typed_link_start(code: str) -> str | None:
    """The first characters of the link id a typed code names, or None when it is no code at all."""
    value = 0
    for char in code:
        value = value * len(TYPED_ALPHABET) + TYPED_ALPHABET.index(char)
    if value >> (TYPED_ID_BITS + TYPED_TAG_BITS):
        return None
    start = value >> TYPED_TAG_BITS
    return "".join(_BASE64[start >> shift & 63] for shift in range(TYPED_ID_BITS - 6, -1, -6))


def normalise_typed(code: str | None) -> str | None:
    """The code as typed, in lower case without dashes and spaces, or None when it cannot be a code."""
    if not code or len(code) > 2 * TYPED_LENGTH:
        return None
    plain = _TYPED_SEPARATORS.sub("", code).lower()
    if len(plain) != TYPED_LENGTH or any(char not in TYPED_ALPHABET for char in plain):
        return None
    return plain


def find_by_typed_code(code: str | None) -> SurveyInvitation | None:
    """The invitation whose printed code this is (any case, with or without dashes or spaces), or None.

    The invitations whose link id starts as the code says are few (nearly always one); each is checked against
    the code the secret gives, in constant time.
    """
    plain = normalise_typed(code)
    start = _typed_link_start(plain) if plain else None
    if start is None:
        return None
    candidates = db.session.scalars(
        select(SurveyInvitation).where(func.substr(SurveyInvitation.link_id, 1, TYPED_ID_CHARS) == start)
    )
    for invitation in candidates:
        if hmac.compare_digest(typed_code(invitation.link_id).replace("-", ""), plain):
            return invitation
    return None


def new_link_id() -> str:
    """A fresh random link id (16 characters)."""
    return secrets.token_urlsafe(LINK_HALF_BYTES)


def new_invitation(**values) -> SurveyInvitation:
    """An invitation with a fresh link id."""
    return SurveyInvitation(link_id=new_link_id(), **values)


def personal_link(invitation: SurveyInvitation) -> str:
    """The absolute link a respondent opens, on BASE_URL (in a request or outside one)."""
    return external_url("respond.start", token=link_token(invitation.link_id))


def printed_link(invitation: SurveyInvitation) -> str:
    """The short absolute link a letter prints (and its QR code holds): typed from paper without look-alikes."""
    return external_url("typed_link.open", code=typed_code(invitation.link_id))


def public_link(survey: Survey) -> str | None:
    """The absolute public link of the survey, or None when it has none."""
    if not survey.public_token:
        return None
    return external_url("respond.public", token=survey.public_token)


def new_token() -> str:
    """An unguessable key for a survey's public link."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def invite_companies(actor: User, survey: Survey) -> list[SurveyInvitation]:
    """Create one invitation for every company in the park's register that has none for this survey yet.

    A company whose invitation was revoked keeps it (and gets no new one): revoking is the advisor's decision.
    The company's sector is copied, so that the response rate per sector survives changes to the register.
    Advisors and the municipality only; refused for a closed survey.
    """
    ensure_can(actor, "surveys.manage", survey.park)
    _ensure_cycle_active(survey)
    if survey.status == SurveyStatus.CLOSED:
        raise DomainError(_("Deze enquête is gesloten: er kunnen geen uitnodigingen meer bij."))
    invited = {invitation.company_id for invitation in survey.invitations}
    created = []
    for company in survey.park.companies:
        if company.id in invited:
            continue
        invitation = new_invitation(company=company, sector=company.sector, status=InvitationStatus.INVITED)
        survey.invitations.append(invitation)
        created.append(invitation)
    db.session.flush()
    if created:
        audit.record(actor, "surveys.invitations_created", survey, park=survey.park, details={"count": len(created)})
    return created


def revoke(actor: User, invitation: SurveyInvitation, *, now: datetime) -> None:
    """Make an invitation's link stop working (a letter that went astray, a company that left).

    A used invitation cannot be revoked: its answers are anonymous and stay. Advisors and the municipality only.
    """
    survey = invitation.survey
    ensure_can(actor, "surveys.manage", survey.park)
    _ensure_cycle_active(survey)
    if invitation.status == InvitationStatus.USED:
        raise DomainError(_("Deze uitnodiging is al gebruikt en kan niet meer worden ingetrokken."))
    if invitation.status == InvitationStatus.REVOKED:
        raise DomainError(_("Deze uitnodiging is al ingetrokken."))
    invitation.status = InvitationStatus.REVOKED
    invitation.revoked_at = now
    audit.record(
        actor,
        "surveys.invitation_revoked",
        invitation,
        park=survey.park,
        details={"company": invitation.company.name if invitation.company else None},
    )
    db.session.flush()


def mailable(survey: Survey) -> list[SurveyInvitation]:
    """The invitations `email_invitations` would send now: pending, not mailed yet, company with an address."""
    return [
        invitation
        for invitation in survey.invitations
        if invitation.status in PENDING
        and invitation.emailed_at is None
        and invitation.company is not None
        and invitation.company.email
    ]


def printable(survey: Survey) -> list[SurveyInvitation]:
    """The invitations that get a printed letter: pending, company still in the register, by company name."""
    pending = [i for i in survey.invitations if i.status in PENDING and i.company is not None]
    return sorted(pending, key=lambda i: (i.company.name.lower(), i.id))


def invitation_mail(invitation: SurveyInvitation, *, link_for: Callable[[SurveyInvitation], str] | None = None):
    """The invitation mail of one invitation, in the company's language, with the company's own letter as PDF: its
    personal link, or for a preview `link_for`'s (an example, so that no working link is shown)."""
    survey = invitation.survey
    letter = letter_pdf(survey, [invitation], link_for=link_for or printed_link)
    link_for = link_for or personal_link
    return mail.Draft(
        invitation.company.email,
        invitation.company.language,
        "survey_invitation",
        _l("Uitnodiging: enquête veiligheid op %(park)s", park=survey.park.name),
        {"company": invitation.company, "survey": survey, "link": link_for(invitation)},
        (Attachment("uitnodiging-enquete.pdf", "application/pdf", letter),),
    )


def reminder_mail(invitation: SurveyInvitation, *, link_for: Callable[[SurveyInvitation], str] | None = None):
    """The reminder mail of one invitation, in the company's language (see `invitation_mail` for `link_for`)."""
    survey = invitation.survey
    return mail.Draft(
        invitation.company.email,
        invitation.company.language,
        "survey_reminder",
        _l("Herinnering: enquête veiligheid op %(park)s", park=survey.park.name),
        {"company": invitation.company, "survey": survey, "link": (link_for or personal_link)(invitation)},
    )


def email_invitations(actor: User, survey: Survey, *, now: datetime) -> int:
    """Queue the invitation mail, with the company's own letter as PDF, for every invitation that `mailable`
    lists, and mark them mailed; returns how many were queued.

    Each invitation is mailed once (a second call sends only new ones). Only while the survey is open: before
    that the link would lead to a closed questionnaire. Advisors and the municipality only.
    """
    ensure_can(actor, "surveys.manage", survey.park)
    _ensure_cycle_active(survey)
    if survey.status != SurveyStatus.OPEN:
        raise DomainError(_("Verstuur de uitnodigingen pas als de enquête open is."))
    invitations = mailable(survey)
    for invitation in invitations:
        mail.queue_draft(invitation_mail(invitation))
        invitation.emailed_at = now
    if invitations:
        audit.record(
            actor, "surveys.invitations_emailed", survey, park=survey.park, details={"count": len(invitations)}
        )
    db.session.flush()
    return len(invitations)


# Built once: a respondent's submission is the busiest request, and building a statement costs about as much as
# running it. The variants without the definition serve the submissions: answers to a frozen survey are checked
# against rules kept in memory (responses.answer_rules), so its 17 kB definition need not be read.
_INVITATION_BY_LINK_ID = select(SurveyInvitation).where(SurveyInvitation.link_id == bindparam("key"))
_INVITATION_WITHOUT_DEFINITION = _INVITATION_BY_LINK_ID.options(
    joinedload(SurveyInvitation.survey).defer(Survey.definition)
)
_SURVEY_BY_PUBLIC_TOKEN = select(Survey).where(Survey.public_token == bindparam("key"))
_SURVEY_WITHOUT_DEFINITION = _SURVEY_BY_PUBLIC_TOKEN.options(defer(Survey.definition))


def is_token(token: str | None) -> bool:
    """Whether `token` could be a link token at all (URL-safe base64, not too long), so that nothing else, such
    as a NUL byte PostgreSQL would refuse, ever reaches the database."""
    return bool(token) and len(token) <= TOKEN_MAX_LENGTH and TOKEN_PATTERN.fullmatch(token) is not None


def find_invitation(token: str | None, *, definition: bool = True) -> SurveyInvitation | None:
    """The invitation with this token, or None for an unknown (guessed, mistyped, truncated, or made with an
    earlier SECRET_KEY) one.

    The token's first half finds the invitation with one indexed equality; its second half is compared with the
    one the secret gives in constant time, so no timing tells how much of a guess was right. With
    `definition=False` the invitation comes with its survey, whose definition is read only when used.
    """
    if not is_token(token) or len(token) <= LINK_ID_LENGTH:
        return None
    statement = _INVITATION_BY_LINK_ID if definition else _INVITATION_WITHOUT_DEFINITION
    invitation = db.session.scalar(statement, {"key": token[:LINK_ID_LENGTH]})
    if invitation is None or not hmac.compare_digest(link_token(invitation.link_id), token):
        return None
    return invitation


def find_public_survey(token: str | None, *, definition: bool = True) -> Survey | None:
    """The survey whose public link has this token, or None (unknown token, or the public link is disabled).
    With `definition=False` the definition is read only when used."""
    if not is_token(token):
        return None
    return db.session.scalar(_SURVEY_BY_PUBLIC_TOKEN if definition else _SURVEY_WITHOUT_DEFINITION, {"key": token})


def mark_opened(invitation: SurveyInvitation) -> None:
    """Record that the respondent opened the link, not when. No actor: the respondent is anonymous."""
    if invitation.status == InvitationStatus.INVITED:
        invitation.status = InvitationStatus.OPENED
        db.session.flush()
