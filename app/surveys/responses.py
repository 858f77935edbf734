"""Storing a respondent's answers: once per personal link, only while the survey accepts answers, and without
anything that ties the answers to the company, the link or the moment of submission."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from app import audit
from app.audit.services import RESPONDENT_LABEL
from app.errors import DomainError
from app.extensions import db
from app.surveys.definition import AnswerRules
from app.surveys.models import InvitationStatus, Survey, SurveyContact, SurveyInvitation, SurveyResponse
from app.surveys.proof import SPENT, ProofRefused, checked_proof
from app.surveys.services import accepts_answers, freeze

#: the audit log's action for an answer stored: that someone answered, not who or through which invitation
ANSWERED = "surveys.answered"
#: the largest answer payload accepted; the default questionnaire's answers take a few kB
MAX_PAYLOAD_BYTES = 256 * 1024
NAME_MAX = 200
EMAIL_MAX = 254
PHONE_MAX = 30
REMARK_MAX = 2000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_PHONE = re.compile(r"^\+?[0-9 ()-]+$")


class InvalidLink(DomainError):
    """The link is unknown or was revoked."""

    status_code = 404


class AlreadyAnswered(DomainError):
    """The personal link was used before."""

    status_code = 409


class NotAccepting(DomainError):
    """The survey is not open, or its closing date has passed."""

    status_code = 409


@dataclass(frozen=True)
class Contact:
    """A respondent's request to be contacted, kept apart from the answers."""

    name: str
    email: str | None
    phone: str | None
    wants_working_group: bool
    remark: str


@dataclass(frozen=True)
class Payload:
    answers: Any
    contact: Contact | None
    #: the proof of work of an answer through the public link (surveys.proof)
    proof: Any = None


def parse_payload(raw: bytes) -> Payload:
    """Read the JSON the survey page posts: {"answers": {...}, "contact": {...} or null, "proof": {...}}, the proof
    only through the public link.

    Raises DomainError (400) with a message for the respondent when it is too large, not JSON, or not shaped so.
    """
    if len(raw) > MAX_PAYLOAD_BYTES:
        raise DomainError(_("Uw antwoorden zijn te groot om te versturen. Maak lange antwoorden korter."))
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise DomainError(_("Uw antwoorden konden niet worden gelezen. Probeer het opnieuw.")) from None
    if not isinstance(payload, dict) or "answers" not in payload:
        raise DomainError(_("Uw antwoorden konden niet worden gelezen. Probeer het opnieuw."))
    return Payload(
        answers=payload["answers"], contact=parse_contact(payload.get("contact")), proof=payload.get("proof")
    )


def _text(value: object, limit: int, message: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DomainError(message)
    value = " ".join(value.split()) if limit <= EMAIL_MAX else value.strip()
    if len(value) > limit:
        raise DomainError(message)
    return value


def parse_contact(value: object) -> Contact | None:
    """The optional "contact me" part: None when absent or left empty; DomainError (400) when malformed."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise DomainError(_("Uw contactgegevens konden niet worden gelezen."))
    name = _text(value.get("name"), NAME_MAX, _("Uw naam is te lang (hoogstens %(n)s tekens).", n=NAME_MAX))
    email = _text(value.get("email"), EMAIL_MAX, _("Dit e-mailadres is niet geldig."))
    phone = _text(value.get("phone"), PHONE_MAX, _("Dit telefoonnummer is niet geldig."))
    remark = _text(
        value.get("remark"), REMARK_MAX, _("Uw opmerking is te lang (hoogstens %(n)s tekens).", n=REMARK_MAX)
    )
    wants = value.get("wants_working_group", False)
    if not isinstance(wants, bool):
        raise DomainError(_("Uw contactgegevens konden niet worden gelezen."))
    if not (name or email or phone or remark or wants):
        return None
    if not name:
        raise DomainError(_("Vul uw naam in, zodat wij weten wie wij kunnen benaderen."))
    if not (email or phone):
        raise DomainError(_("Vul een e-mailadres of telefoonnummer in, zodat wij contact kunnen opnemen."))
    if email and not _EMAIL.match(email):
        raise DomainError(_("Dit e-mailadres is niet geldig."))
    if phone and not _PHONE.match(phone):
        raise DomainError(_("Dit telefoonnummer is niet geldig."))
    return Contact(name=name, email=email or None, phone=phone or None, wants_working_group=wants, remark=remark)


NOT_ACCEPTING = _l("Deze enquête is gesloten of nog niet geopend. Uw antwoorden zijn niet opgeslagen.")


def ensure_accepting(survey: Survey, *, today: date) -> None:
    """Raise NotAccepting unless the survey takes answers on `today` (a day in the Netherlands)."""
    if not accepts_answers(survey, today):
        raise NotAccepting(str(NOT_ACCEPTING))


# A plain INSERT, built once: on the busiest request the ORM's unit of work, and building the statement, cost more
# than storing the row.
_INSERT_RESPONSE = insert(SurveyResponse.__table__)


def answer_rules(survey: Survey) -> AnswerRules:
    """The rules answers to `survey` are checked against.

    A frozen survey's definition never changes again, so its rules are worked out once per process and kept: a
    submission then needs neither the 17 kB definition from the database nor the walk through it. The key holds
    the creation time too, so that an id used again (a restored backup, a test's rolled-back survey) never finds
    another survey's rules.
    """
    if survey.frozen_at is None:
        return AnswerRules(survey.definition)
    return _frozen_rules(survey.id, survey.created_at, survey.frozen_at)


@functools.lru_cache(maxsize=256)
def _frozen_rules(survey_id: int, created_at: datetime, frozen_at: datetime) -> AnswerRules:
    return AnswerRules(db.session.scalar(select(Survey.definition).where(Survey.id == survey_id)))


def submit_response(
    survey: Survey,
    invitation: SurveyInvitation | None,
    answers: object,
    contact: Contact | None,
    *,
    now: datetime,
    today: date,
    proof: object = None,
) -> None:
    """Store one respondent's answers (and, apart from them, their contact request); flush, no commit.

    `invitation` is the personal link's, or None for the public link, whose answers need an unspent `proof` of
    work (surveys.proof.ProofRefused, 403). The survey must accept answers today (NotAccepting, 409); a personal
    link works once (AlreadyAnswered, 409; a revoked or foreign one: InvalidLink, 404); the answers must fit the
    survey's definition (DomainError, 400). The invitation is claimed with one
    conditional UPDATE, so two simultaneous submissions with one link store one response. The response keeps only
    the survey's opening period: not the company, the link or the moment, and the invitation keeps no moment of
    use. The audit log records that someone answered, never through which invitation. The first response freezes
    the survey's definition.
    """
    ensure_accepting(survey, today=today)
    spent = None
    if invitation is None:
        spent = checked_proof(survey, proof)
    elif invitation.survey_id != survey.id or invitation.status == InvitationStatus.REVOKED:
        raise InvalidLink(_("Deze link is niet (meer) geldig."))
    elif invitation.status == InvitationStatus.USED:
        raise AlreadyAnswered(_("Met deze link is de enquête al ingevuld. Dank u wel!"))
    validated = answer_rules(survey).clean(answers)
    if invitation is not None:
        claimed = db.session.execute(
            update(SurveyInvitation)
            .where(
                SurveyInvitation.id == invitation.id,
                SurveyInvitation.status.in_([InvitationStatus.INVITED, InvitationStatus.OPENED]),
            )
            .values(status=InvitationStatus.USED)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            raise AlreadyAnswered(_("Met deze link is de enquête al ingevuld. Dank u wel!"))
        db.session.refresh(invitation)
    row = {"survey_id": survey.id, "answers": validated, "period": survey.period, "via_public_link": spent is not None}
    try:
        db.session.execute(_INSERT_RESPONSE, row | {"proof": spent})
    except IntegrityError:
        raise ProofRefused(SPENT) from None  # the one unique value of a response: its proof was spent before
    audit.record_anonymous(ANSWERED, survey, park_id=survey.park_id, actor_label=RESPONDENT_LABEL, now=now)
    if contact is not None:
        db.session.add(
            SurveyContact(
                survey_id=survey.id,
                name=contact.name,
                email=contact.email,
                phone=contact.phone,
                wants_working_group=contact.wants_working_group,
                remark=contact.remark,
            )
        )
    freeze(survey, now)
    db.session.flush()
