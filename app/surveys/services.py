"""The enterprise survey of a park's cycle: creating it, its questionnaire and letter, opening and closing it."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from app import audit
from app.auth.models import User
from app.auth.policy import ensure_can
from app.errors import DomainError
from app.extensions import db
from app.parks.models import Cycle, CycleStatus, Park
from app.parks.services import active_cycle
from app.surveys.definition import load_default, questions, validate_definition
from app.surveys.invitations import new_token
from app.surveys.models import Survey, SurveyResponse, SurveyStatus

TITLE_MAX = 200
SIGNATORY_MAX = 200
LETTER_MAX = 20_000
#: the placeholders of the mayor's letter, filled per company when the invitations are made
LETTER_PLACEHOLDERS = ("naam", "link", "sluitdatum")
#: a word in braces: a placeholder, or a mistyped one (other braces may stay in the text)
PLACEHOLDER = re.compile(r"\{(\w{1,40})\}")

# The letter goes to Dutch companies on behalf of the mayor: it is content, in Dutch, not an interface text.
DEFAULT_LETTER = """Geachte ondernemer,

Samen met ondernemers, politie en brandweer werkt de gemeente aan een schoon, heel en veilig bedrijventerrein. \
Om te weten waar de kansen en de knelpunten liggen, horen wij graag hoe u de veiligheid op het terrein ervaart. \
Daarom nodigen wij {naam} uit om mee te doen aan een korte enquête. Het invullen duurt ongeveer tien minuten.

Uw antwoorden zijn anoniem: ze zijn niet te herleiden tot uw bedrijf. De uitkomsten bespreken wij met de \
ondernemers en partners op het terrein, en ze vormen de basis voor een plan van aanpak.

U vult de enquête in via deze persoonlijke link:
{link}

De enquête sluit op {sluitdatum}. Hartelijk dank voor uw medewerking.

Met vriendelijke groet,"""

# The same letter for companies whose contact reads English (Company.language).
DEFAULT_LETTER_EN = """Dear entrepreneur,

Together with businesses, the police and the fire brigade, the municipality works towards a clean, intact and \
safe business park. To know where the opportunities and the problems are, we would like to hear how you \
experience safety on the park. We therefore invite {naam} to take part in a short survey. It takes about ten \
minutes.

Your answers are anonymous: they cannot be traced back to your company. We discuss the results with the \
businesses and partners on the park, and they are the basis for a plan of action.

You fill in the survey through this personal link:
{link}

The survey closes on {sluitdatum}. Thank you very much for your cooperation.

Kind regards,"""


# Reading ---------------------------------------------------------------------------------------------------


def current_survey(park: Park) -> Survey | None:
    """The newest survey of the park's active cycle, whatever its status; None when there is none."""
    return db.session.scalar(
        select(Survey)
        .join(Cycle, Survey.cycle_id == Cycle.id)
        .where(Survey.park_id == park.id, Cycle.status == CycleStatus.ACTIVE)
        .order_by(Survey.id.desc())
        .limit(1)
    )


def response_count(survey: Survey) -> int:
    """How many responses the survey has received."""
    return db.session.scalar(select(func.count()).where(SurveyResponse.survey_id == survey.id)) or 0


def accepts_answers(survey: Survey, today: date) -> bool:
    """Whether respondents may submit today: the survey is open and today lies within its dates (inclusive)."""
    return (
        survey.status == SurveyStatus.OPEN
        and survey.opens_on is not None
        and survey.closes_on is not None
        and survey.opens_on <= today <= survey.closes_on
    )


# Creating and editing --------------------------------------------------------------------------------------


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Geef de enquête een titel."))
    if len(title) > TITLE_MAX:
        raise DomainError(_("De titel is te lang (hoogstens %(n)s tekens).", n=TITLE_MAX))
    return title


def create_survey(actor: User, park: Park, *, title: str) -> Survey:
    """Start a survey in the park's active cycle, in preparation, with a copy of the default questionnaire and the
    default mayor's letter. Advisors and the municipality. Refused while the cycle has a survey that is not closed."""
    ensure_can(actor, "surveys.manage", park)
    cycle = active_cycle(park)
    running = db.session.scalar(
        select(Survey).where(Survey.cycle_id == cycle.id, Survey.status != SurveyStatus.CLOSED).limit(1)
    )
    if running is not None:
        raise DomainError(_("Deze cyclus heeft al een enquête die niet gesloten is; sluit die eerst."))
    survey = Survey(
        park=park,
        cycle=cycle,
        title=_clean_title(title),
        definition=load_default(),
        status=SurveyStatus.DRAFT,
        letter_text=DEFAULT_LETTER,
        letter_text_en=DEFAULT_LETTER_EN,
        letter_signatory="",
        public_token=None,
    )
    db.session.add(survey)
    audit.record(actor, "surveys.created", survey, park=park, details={"title": survey.title, "cycle": cycle.number})
    db.session.flush()
    return survey


def update_definition(actor: User, survey: Survey, raw: str | dict[str, Any]) -> Survey:
    """Replace the questionnaire with a checked SurveyJS definition. Advisors and the municipality; refused once
    the first response has arrived (the definition is frozen) and for a closed survey. Raises DomainError with
    what is wrong in the definition."""
    ensure_can(actor, "surveys.manage", survey.park)
    ensure_cycle_active(survey)
    if survey.frozen_at is not None:
        raise DomainError(_("De vragenlijst ligt vast sinds het eerste antwoord binnenkwam."))
    if survey.status == SurveyStatus.CLOSED:
        raise DomainError(_("Deze enquête is gesloten: de vragenlijst kan niet meer veranderen."))
    survey.definition = validate_definition(raw)
    audit.record(
        actor,
        "surveys.definition_updated",
        survey,
        park=survey.park,
        details={"questions": len(questions(survey.definition))},
    )
    db.session.flush()
    return survey


def _check_letter(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(_("De brief mag niet leeg zijn."))
    if len(text) > LETTER_MAX:
        raise DomainError(_("De brief is te lang (hoogstens %(n)s tekens).", n=LETTER_MAX))
    found = PLACEHOLDER.findall(text)
    for name in found:
        if name not in LETTER_PLACEHOLDERS:
            raise DomainError(
                _(
                    "De brief bevat een onbekende invulplek {%(name)s}. Mogelijk zijn: %(allowed)s.",
                    name=name,
                    allowed=", ".join("{" + known + "}" for known in LETTER_PLACEHOLDERS),
                )
            )
    if "link" not in found:
        raise DomainError(_("De brief moet de invulplek {link} bevatten: daar komt de link naar de enquête."))
    return text


def update_letter(actor: User, survey: Survey, *, text: str, signatory: str, text_en: str | None = None) -> Survey:
    """Change the mayor's letter, its English text (None: unchanged) and its signatory (empty: the municipality's).
    Advisors and the municipality. Each text may only use the placeholders {naam}, {link} and {sluitdatum}, and
    must contain {link}."""
    ensure_can(actor, "surveys.manage", survey.park)
    ensure_cycle_active(survey)
    signatory = " ".join((signatory or "").split())
    if len(signatory) > SIGNATORY_MAX:
        raise DomainError(_("De naam van de ondertekenaar is te lang (hoogstens %(n)s tekens).", n=SIGNATORY_MAX))
    survey.letter_text = _check_letter(text)
    if text_en is not None:
        try:
            survey.letter_text_en = _check_letter(text_en)
        except DomainError as error:
            raise DomainError(_("De Engelse tekst: %(problem)s", problem=error.message)) from None
    survey.letter_signatory = signatory
    audit.record(actor, "surveys.letter_updated", survey, park=survey.park)
    db.session.flush()
    return survey


# Opening and closing ---------------------------------------------------------------------------------------


def ensure_cycle_active(survey: Survey) -> None:
    """DomainError when the survey's cycle is closed: a closed cycle's survey is read-only."""
    if survey.cycle.status != CycleStatus.ACTIVE:
        raise DomainError(_("De cyclus van deze enquête is afgesloten."))


def _check_closing_date(closes_on: date | None, opens_on: date, today: date) -> date:
    if closes_on is None:
        raise DomainError(_("Kies een sluitdatum."))
    if closes_on < today:
        raise DomainError(_("De sluitdatum ligt in het verleden."))
    if closes_on <= opens_on:
        raise DomainError(_("De sluitdatum moet na de openingsdatum liggen."))
    return closes_on


def open_survey(actor: User, survey: Survey, *, opens_on: date | None, closes_on: date | None, today: date) -> Survey:
    """Open a survey in preparation for answers from `opens_on` to `closes_on` (both inclusive). Advisors and the
    municipality. The closing date lies after the opening date and not in the past; the questionnaire is checked
    once more."""
    ensure_can(actor, "surveys.manage", survey.park)
    ensure_cycle_active(survey)
    if survey.status != SurveyStatus.DRAFT:
        raise DomainError(_("Alleen een enquête in voorbereiding kan worden geopend."))
    if opens_on is None:
        raise DomainError(_("Kies een openingsdatum."))
    survey.closes_on = _check_closing_date(closes_on, opens_on, today)
    survey.definition = validate_definition(survey.definition)
    survey.opens_on = opens_on
    survey.status = SurveyStatus.OPEN
    audit.record(
        actor,
        "surveys.opened",
        survey,
        park=survey.park,
        details={"opens_on": opens_on.isoformat(), "closes_on": survey.closes_on.isoformat()},
    )
    db.session.flush()
    return survey


def close_survey(actor: User, survey: Survey, *, today: date) -> Survey:
    """Close a survey: no more answers, and the cycle may start a new one. Advisors and the municipality. A survey
    in preparation may be closed too (to abandon it); a closed one is refused."""
    ensure_can(actor, "surveys.manage", survey.park)
    ensure_cycle_active(survey)
    if survey.status == SurveyStatus.CLOSED:
        raise DomainError(_("Deze enquête is al gesloten."))
    survey.status = SurveyStatus.CLOSED
    audit.record(actor, "surveys.closed", survey, park=survey.park, details={"on": today.isoformat()})
    db.session.flush()
    return survey


def reopen_survey(actor: User, survey: Survey, *, closes_on: date | None, today: date) -> Survey:
    """Open a closed survey again until `closes_on`, or move the closing date of an open one. Advisors and the
    municipality. Refused for a survey that was never opened, in a closed cycle, or when the cycle has since
    started another survey. Opening a closed survey again starts a new opening period."""
    ensure_can(actor, "surveys.manage", survey.park)
    ensure_cycle_active(survey)
    if survey.status == SurveyStatus.DRAFT or survey.opens_on is None:
        raise DomainError(_("Deze enquête is nog niet geopend."))
    newer = db.session.scalar(select(Survey).where(Survey.cycle_id == survey.cycle_id, Survey.id > survey.id))
    if newer is not None:
        raise DomainError(_("Deze cyclus heeft inmiddels een nieuwere enquête."))
    survey.closes_on = _check_closing_date(closes_on, survey.opens_on, today)
    action = "surveys.reopened" if survey.status == SurveyStatus.CLOSED else "surveys.closing_date_changed"
    if survey.status == SurveyStatus.CLOSED:
        # a new opening period: its answers are shown only once there are k of them (results.released_period)
        survey.period += 1
    survey.status = SurveyStatus.OPEN
    audit.record(actor, action, survey, park=survey.park, details={"closes_on": survey.closes_on.isoformat()})
    db.session.flush()
    return survey


def set_public_link(actor: User, survey: Survey, enabled: bool) -> Survey:
    """Switch the public link (without a personal token, for parks without a complete register) on or off.
    Advisors and the municipality. Switching it on when it is on keeps the link; off and on again makes a new
    one, so that a link that went round too widely stops working."""
    ensure_can(actor, "surveys.manage", survey.park)
    ensure_cycle_active(survey)
    if enabled and survey.public_token is None:
        survey.public_token = new_token()
        audit.record(actor, "surveys.public_link_enabled", survey, park=survey.park)
    elif not enabled and survey.public_token is not None:
        survey.public_token = None
        audit.record(actor, "surveys.public_link_disabled", survey, park=survey.park)
    db.session.flush()
    return survey


def freeze(survey: Survey, now: datetime) -> None:
    """Fix the questionnaire from now on (called when the first response is stored); later calls change nothing.
    No policy check and no audit row: it happens on behalf of an anonymous respondent."""
    if survey.frozen_at is None:
        survey.frozen_at = now
        db.session.flush()
