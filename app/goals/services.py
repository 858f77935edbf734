"""Goals per theme (step 4): their indicator and its source, the baseline, target and deadline, and the values
measured since (from the survey, the partners' figures, or entered by hand).

An indicator's source reference (`Goal.source_ref`):
- survey: "<question>:<answers>" or, for a row of a matrix question, "<question>.<row>:<answers>"; the value is the
  percentage of the respondents who answered the question (row) and chose one of the listed answers
  ("safe_dark:4,5": feels safe or very safe after dark). Read from the park's latest closed survey of the goal's
  cycle, else of an earlier cycle; fewer than k answers (`SURVEY_MIN_GROUP`) give no value, as in the results.
- figures: "<source>:<category>" (keys of `inventory.categories`); the value is the count of the latest complete
  year: the year figure, else the sum of the quarters. A year is complete once it is over and the source delivered
  a year figure or all four quarters for it.
- manual: no reference; values are recorded by hand.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import format_date, format_decimal, ngettext
from flask_babel import gettext as _
from sqlalchemy import delete, select

from app import audit
from app.auth.models import User
from app.auth.policy import ensure_can
from app.errors import DomainError
from app.extensions import db
from app.inventory.categories import CATEGORIES, category_label, is_category
from app.inventory.models import Figure, FigureSource
from app.parks.models import Cycle, CycleStatus
from app.plans.models import Direction, Goal, GoalMeasurement, GoalSource, Theme, plan_action_goals
from app.plans.services import ensure_open
from app.surveys.definition import load_default
from app.surveys.definition import questions as definition_questions
from app.surveys.models import Survey, SurveyStatus
from app.surveys.results import (
    MATRIX_TYPES,
    MULTIPLE_TYPES,
    SINGLE_TYPES,
    _answered,
    answer_key,
    choice_options,
    listed_options,
    localized,
    min_group,
    response_answers,
)

TITLE_MAX = 300
INDICATOR_MAX = 300
UNIT_MAX = 20
NOTE_MAX = 300
REF_MAX = 200
#: a deadline may lie at most this many years after the cycle's end
DEADLINE_YEARS_AFTER = 5
#: the largest number a goal works with (counts and percentages stay far below it)
VALUE_MAX = 1e9
COUNTED_TYPES = SINGLE_TYPES | MULTIPLE_TYPES | MATRIX_TYPES
_SURVEY_REF = re.compile(r"^(?P<question>[A-Za-z][A-Za-z0-9_]{0,63})(?:\.(?P<row>[^:\s]+))?:(?P<values>.+)$")


class FieldError(DomainError):
    """A DomainError about one input of a goal (`field`: the service argument), so a form can show it there."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Reading:
    """A value of an indicator taken from its source: on which day, and where it came from (for the reader)."""

    value: float
    on: date
    note: str


# Source references -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyRef:
    question: str
    row: str | None
    values: tuple[str, ...]


def parse_survey_ref(ref: str) -> SurveyRef:
    """ "safe_dark:4,5" or "victimisation.inbraak:1,2-3,vaker" as its parts; DomainError when it has another form."""
    match = _SURVEY_REF.match((ref or "").strip())
    values = tuple(v.strip() for v in match.group("values").split(",")) if match else ()
    if match is None or not all(values):
        raise DomainError(
            _(
                "Schrijf de verwijzing naar de enquête als vraag:antwoorden, bijvoorbeeld safe_dark:4,5, of voor een "
                "rij van een matrixvraag als vraag.rij:antwoorden, bijvoorbeeld victimisation.inbraak:1,2-3,vaker."
            )
        )
    return SurveyRef(match.group("question"), match.group("row"), tuple(dict.fromkeys(values)))


def parse_figure_ref(ref: str) -> tuple[FigureSource, str]:
    """ "politie:inbraak_bedrijf" as (source, category); DomainError for an unknown source or category."""
    source_value, _sep, category = (ref or "").strip().partition(":")
    try:
        source = FigureSource(source_value)
    except ValueError:
        source = None
    if source is None or not is_category(source, category):
        raise DomainError(
            _("Kies een categorie van de cijfers uit de lijst (bron:categorie, bijvoorbeeld politie:inbraak_bedrijf).")
        )
    return source, category


def _find_question(definition: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((q for q in definition_questions(definition) if q.get("name") == name), None)


def _answer_keys(question: Mapping[str, Any], row: str | None) -> dict[str, tuple[str, Any]] | None:
    """The answers one may count for the question (its matrix row), by their written value ("4", "true", "2-3");
    None when the question (row) cannot be counted."""
    kind = question.get("type")
    if kind not in COUNTED_TYPES or (kind in MATRIX_TYPES) != (row is not None):
        return None
    if kind in MATRIX_TYPES:
        if row not in {str(r.value) for r in listed_options(question.get("rows"))}:
            return None
        options = listed_options(question.get("columns"))
    else:
        options = choice_options(question)
    return {_written(option.value): answer_key(option.value) for option in options}


def _written(value: Any) -> str:
    """How an answer value is written in a reference: booleans as true/false, everything else as it is."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def check_survey_ref(ref: str, definition: dict[str, Any]) -> str:
    """The reference, normalised, when it names a countable question (a row of a matrix question) of the
    definition and answers it has; DomainError with what is wrong otherwise."""
    parsed = parse_survey_ref(ref)
    question = _find_question(definition, parsed.question)
    if question is None:
        raise DomainError(_("De enquête heeft geen vraag %(name)s.", name=parsed.question))
    answers = _answer_keys(question, parsed.row)
    if answers is None:
        if question.get("type") in MATRIX_TYPES:
            raise DomainError(
                _(
                    "Kies bij de matrixvraag %(name)s een rij die de vraag heeft, zoals %(name)s.rij.",
                    name=parsed.question,
                )
            )
        raise DomainError(_("De vraag %(name)s telt geen antwoorden die een percentage geven.", name=parsed.question))
    unknown = [value for value in parsed.values if value not in answers]
    if unknown:
        raise DomainError(
            _(
                "De vraag heeft geen antwoord %(values)s. Mogelijke antwoorden: %(options)s.",
                values=", ".join(unknown),
                options=", ".join(answers),
            )
        )
    subject = parsed.question + (f".{parsed.row}" if parsed.row else "")
    return f"{subject}:{','.join(parsed.values)}"


# The source's surveys --------------------------------------------------------------------------------------


def reading_survey(cycle: Cycle) -> Survey | None:
    """The survey an indicator is read from: the park's latest closed survey in this cycle, else in the latest
    earlier cycle that has one."""
    return db.session.scalar(
        select(Survey)
        .join(Cycle, Survey.cycle_id == Cycle.id)
        .where(Survey.park_id == cycle.park_id, Survey.status == SurveyStatus.CLOSED, Cycle.number <= cycle.number)
        .order_by(Cycle.number.desc(), Survey.id.desc())
        .limit(1)
    )


def reference_definition(cycle: Cycle) -> dict[str, Any]:
    """The questionnaire survey references are checked against: the cycle's newest survey (in any state), else the
    survey an indicator would be read from, else the default questionnaire."""
    survey = db.session.scalar(select(Survey).where(Survey.cycle_id == cycle.id).order_by(Survey.id.desc()).limit(1))
    survey = survey or reading_survey(cycle)
    return survey.definition if survey is not None else load_default()


@dataclass(frozen=True)
class SurveyChoice:
    """A survey question (or matrix row) a goal can count, for the form's list of valid references."""

    subject: str
    title: str
    answers: list[tuple[str, str]]

    @property
    def example(self) -> str:
        return f"{self.subject}:{self.answers[-1][0]}" if self.answers else self.subject


def survey_choices(cycle: Cycle) -> list[SurveyChoice]:
    """Every countable question of the reference questionnaire, a matrix per row, with its answers."""
    choices = []
    for question in definition_questions(reference_definition(cycle)):
        name, kind = question.get("name"), question.get("type")
        if not name or kind not in COUNTED_TYPES:
            continue
        title = localized(question.get("title"), name)
        if kind in MATRIX_TYPES:
            columns = [(_written(o.value), o.label) for o in listed_options(question.get("columns"))]
            choices.extend(
                SurveyChoice(f"{name}.{row.value}", f"{title}: {row.label}", columns)
                for row in listed_options(question.get("rows"))
            )
        else:
            choices.append(SurveyChoice(name, title, [(_written(o.value), o.label) for o in choice_options(question)]))
    return choices


def figure_choices() -> list[tuple[str, str]]:
    """Every figure category as (reference, "source: category")."""
    return [
        (f"{source.value}:{key}", f"{source.label}: {label}")
        for source, categories in CATEGORIES.items()
        for key, label in categories.items()
    ]


# The list an indicator is chosen from -------------------------------------------------------------------------

#: between the source and the reference in a posted indicator choice: "enquete|safe_dark:4,5"
CHOICE_SEPARATOR = "|"


@dataclass(frozen=True)
class IndicatorOption:
    """An indicator a goal can take from a source, for the form's list: the value posted ("<source>|<reference>",
    the stored reference unchanged), its readable name, and the baseline the park's source gives for it now."""

    value: str
    name: str
    baseline: str

    @property
    def label(self) -> str:
        if not self.baseline:
            return self.name
        return _("%(name)s — nulmeting: %(baseline)s", name=self.name, baseline=self.baseline)


@dataclass(frozen=True)
class IndicatorGroup:
    """The options of one question or one figure source (an <optgroup>)."""

    label: str
    options: list[IndicatorOption]


def choice_value(source: GoalSource, ref: str) -> str:
    return f"{source.value}{CHOICE_SEPARATOR}{ref}"


def parse_choice(value: str | None) -> tuple[GoalSource, str]:
    """A posted indicator choice as (source, reference); a FieldError (about `source_ref`) for another form. The
    reference itself is checked when the goal is saved (`create_goal`), as typed references were."""
    source_value, _sep, ref = (value or "").partition(CHOICE_SEPARATOR)
    try:
        return GoalSource(source_value), ref
    except ValueError:
        raise FieldError(_("Kies de bron van de indicator uit de lijst."), "source_ref") from None


def _answers_name(answers: list[tuple[str, str]]) -> str:
    labels = [label for _value, label in answers]
    if len(labels) == 2:
        return _("%(first)s of %(second)s", first=labels[0], second=labels[1])
    return ", ".join(labels)


def _answer_sets(answers: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """The answer combinations offered for a question: on a numbered scale of four or more (1-5: very unsafe to
    very safe) the two highest and the two lowest together, then every answer alone."""
    alone = [[answer] for answer in answers]
    if len(answers) >= 4 and all(value.lstrip("-").isdigit() for value, _label in answers):
        return [answers[-2:], answers[:2], *alone]
    return alone


def _survey_name(choice: SurveyChoice, values: tuple[str, ...]) -> str:
    labels = dict(choice.answers)
    return _answers_name([(value, labels.get(value, value)) for value in values])


def _baseline_text(reading: Reading | None, unit: str = "", *, year: bool = False) -> str:
    if reading is None:
        return _("nog geen waarde")
    if year:
        return _("%(value)s in %(year)s", value=value_text(reading.value, unit), year=reading.on.year)
    return value_text(reading.value, unit)


def indicator_groups(cycle: Cycle, *, today: date, current: str = "") -> list[IndicatorGroup]:
    """Every indicator a goal of the cycle can take, grouped: an own measurement, each countable survey question
    (a matrix per row) with its answer combinations, each figure source with its categories; every option with
    the baseline the park's source gives now (the latest closed survey, the latest complete year of figures).
    `current` (a posted value) is kept as an option when the list would not offer it (an older combination)."""
    survey = reading_survey(cycle)
    responses = response_answers(survey) if survey is not None else []
    groups = [
        IndicatorGroup(
            GoalSource.MANUAL.label,
            [IndicatorOption(choice_value(GoalSource.MANUAL, ""), _("Eigen meting: de waarden vult u zelf in"), "")],
        )
    ]
    current_source, current_ref = current.partition(CHOICE_SEPARATOR)[::2]
    for choice in survey_choices(cycle):
        sets = [tuple(value for value, _label in answers) for answers in _answer_sets(choice.answers)]
        if current_source == GoalSource.SURVEY.value and current_ref.startswith(f"{choice.subject}:"):
            kept = tuple(current_ref.partition(":")[2].split(","))
            if kept not in sets:
                sets.insert(0, kept)
        options = []
        for values in sets:
            ref = f"{choice.subject}:{','.join(values)}"
            reading = _survey_value(survey, responses, ref) if survey is not None else None
            name = _survey_name(choice, values)
            options.append(IndicatorOption(choice_value(GoalSource.SURVEY, ref), name, _baseline_text(reading, "%")))
        groups.append(IndicatorGroup(_("Enquête: %(question)s", question=choice.title), options))
    rows = _figure_rows(cycle.park_id, today)
    for source, categories in CATEGORIES.items():
        options = [
            IndicatorOption(
                choice_value(GoalSource.FIGURE, f"{source.value}:{key}"),
                str(label),
                _baseline_text(_figure_value(rows, source, key), year=True),
            )
            for key, label in categories.items()
        ]
        groups.append(IndicatorGroup(_("Cijfers: %(source)s", source=source.label), options))
    return groups


def source_name(goal: Goal, choices: list[SurveyChoice] | None = None) -> str:
    """The goal's source in words ("Enquête: Voelt u zich veilig na donker?: Veilig of zeer veilig"), not its
    code; `choices` (the cycle's `survey_choices`) may be passed in when many goals are named at once."""
    if goal.source == GoalSource.FIGURE:
        try:
            source, category = parse_figure_ref(goal.source_ref)
        except DomainError:
            return goal.source_ref
        return f"{source.label}: {category_label(source, category)}"
    if goal.source == GoalSource.SURVEY:
        try:
            ref = parse_survey_ref(goal.source_ref)
        except DomainError:
            return goal.source_ref
        subject = ref.question + (f".{ref.row}" if ref.row else "")
        choices = survey_choices(goal.cycle) if choices is None else choices
        choice = next((c for c in choices if c.subject == subject), None)
        if choice is None:
            return goal.source_ref
        return f"{choice.title}: {_survey_name(choice, ref.values)}"
    return goal.source.label


# Reading an indicator from its source ----------------------------------------------------------------------


def _survey_reading(goal: Goal) -> Reading | None:
    survey = reading_survey(goal.cycle)
    if survey is None:
        return None
    return _survey_value(survey, response_answers(survey), goal.source_ref)


def _survey_value(survey: Survey, responses: list[dict[str, Any]], source_ref: str) -> Reading | None:
    """The reading of a survey reference from the survey's released answers (loaded once by the caller)."""
    try:
        ref = parse_survey_ref(source_ref)
    except DomainError:
        return None
    question = _find_question(survey.definition, ref.question)
    answers = _answer_keys(question, ref.row) if question is not None else None
    if answers is None:
        return None
    wanted = {answers[value] for value in ref.values if value in answers}
    k = min_group()
    if len(responses) < k:
        return None
    values = [response.get(ref.question) for response in responses]
    if ref.row is not None:
        values = [value.get(ref.row) if isinstance(value, Mapping) else None for value in values]
    given = [value for value in values if _answered(value)]
    if len(given) < k:
        return None
    hits = sum(
        1
        for value in given
        if (any(answer_key(v) in wanted for v in value) if isinstance(value, list) else answer_key(value) in wanted)
    )
    # the answers carry no day of their own (surveys.results, module doc): the reading is of the closing day
    on = survey.closes_on
    note = ngettext("%(title)s: %(num)s antwoord", "%(title)s: %(num)s antwoorden", len(given), title=survey.title)
    return Reading(round(100.0 * hits / len(given), 1), on, note)


def _figure_rows(park_id: int, today: date, source: FigureSource | None = None) -> list[Any]:
    """(source, year, quarter, category, count) of the park's figures of the years before `today`'s."""
    query = select(Figure.source, Figure.year, Figure.quarter, Figure.category, Figure.count).where(
        Figure.park_id == park_id, Figure.year < today.year
    )
    if source is not None:
        query = query.where(Figure.source == source)
    return list(db.session.execute(query).all())


def _figure_reading(goal: Goal, today: date) -> Reading | None:
    try:
        source, category = parse_figure_ref(goal.source_ref)
    except DomainError:
        return None
    return _figure_value(_figure_rows(goal.cycle.park_id, today, source), source, category)


def _figure_value(all_rows: list[Any], source: FigureSource, category: str) -> Reading | None:
    """The reading of a figure category from the park's figure rows (`_figure_rows`, loaded once by the caller)."""
    rows = [(year, quarter, c, count) for s, year, quarter, c, count in all_rows if s == source]
    delivered: dict[int, set[int]] = defaultdict(set)
    for year, quarter, _category, _count in rows:
        delivered[year].add(quarter)
    complete = [year for year, quarters in delivered.items() if 0 in quarters or quarters >= {1, 2, 3, 4}]
    if not complete:
        return None
    year = max(complete)
    counts = {quarter: count for y, quarter, c, count in rows if y == year and c == category}
    value = counts[0] if 0 in counts else sum(counts.values())
    return Reading(float(value), date(year, 12, 31), f"{source.label}, {category_label(source, category)}, {year}")


def indicator_value(goal: Goal, *, today: date) -> Reading | None:
    """The indicator's value from its source now, or None: a manual source, no closed survey or complete year of
    figures yet, too few answers to show (k-anonymity), or a reference the source no longer has."""
    if goal.source == GoalSource.SURVEY:
        return _survey_reading(goal)
    if goal.source == GoalSource.FIGURE:
        return _figure_reading(goal, today)
    return None


# Checking input --------------------------------------------------------------------------------------------


def _text(value: str | None, *, limit: int, required: str | None = None) -> str:
    value = " ".join((value or "").split())
    if not value and required:
        raise DomainError(required)
    if len(value) > limit:
        raise DomainError(_("Een ingevulde tekst is te lang (hoogstens %(n)s tekens).", n=limit))
    return value


def _number(value: float | None, source: GoalSource, *, what: str) -> float:
    if value is None or isinstance(value, bool) or not math.isfinite(value) or abs(value) > VALUE_MAX:
        raise DomainError(_("Vul bij %(what)s een getal in.", what=what))
    if source == GoalSource.SURVEY and not 0 <= value <= 100:
        raise DomainError(_("Bij een vraag uit de enquête is %(what)s een percentage van 0 tot 100.", what=what))
    if source == GoalSource.FIGURE and value < 0:
        raise DomainError(_("Bij cijfers van de partners is %(what)s een aantal van 0 of meer.", what=what))
    return float(value)


def _deadline(cycle: Cycle, deadline: date | None) -> date:
    first, last = cycle.starts_on, date(cycle.ends_on.year + DEADLINE_YEARS_AFTER, 12, 31)
    if deadline is None or not first <= deadline <= last:
        raise DomainError(
            _(
                "Kies een streefdatum tussen %(first)s en %(last)s.",
                first=format_date(first, "long"),
                last=format_date(last, "long"),
            )
        )
    return deadline


def _source_ref(cycle: Cycle, source: GoalSource, ref: str | None) -> str:
    ref = (ref or "").strip()
    if len(ref) > REF_MAX:
        raise DomainError(_("De verwijzing naar de bron is te lang (hoogstens %(n)s tekens).", n=REF_MAX))
    if source == GoalSource.SURVEY:
        return check_survey_ref(ref, reference_definition(cycle))
    if source == GoalSource.FIGURE:
        figure_source, category = parse_figure_ref(ref)
        return f"{figure_source.value}:{category}"
    return ""


def _on(field: str, check: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`check(*args, **kwargs)`, its DomainError turned into a FieldError about `field`."""
    try:
        return check(*args, **kwargs)
    except FieldError:
        raise
    except DomainError as error:
        raise FieldError(error.message, field) from None


@dataclass(frozen=True)
class GoalFields:
    """What is set on a goal, as typed (see `create_goal` for the rules). A refusal names the field it is about."""

    theme: Theme
    title: str
    indicator: str
    direction: Direction
    target: float | None
    deadline: date | None
    source: GoalSource = GoalSource.MANUAL
    source_ref: str = ""
    unit: str = ""
    baseline: float | None = None
    baseline_note: str = ""


def _apply(goal: Goal, cycle: Cycle, fields: GoalFields, *, today: date) -> Reading | None:
    """Check and set the goal's fields; an empty baseline is filled from the source (the reading is returned).
    Every refusal is a FieldError naming the field it is about."""
    goal.theme, goal.direction = Theme(fields.theme), Direction(fields.direction)
    goal.title = _on("title", _text, fields.title, limit=TITLE_MAX, required=_("Geef het doel een titel."))
    goal.indicator = _on(
        "indicator",
        _text,
        fields.indicator,
        limit=INDICATOR_MAX,
        required=_("Beschrijf de indicator: wat wordt gemeten."),
    )
    goal.source = GoalSource(fields.source)
    goal.source_ref = _on("source_ref", _source_ref, cycle, goal.source, fields.source_ref)
    goal.unit = _on("unit", _text, fields.unit, limit=UNIT_MAX) or ("%" if goal.source == GoalSource.SURVEY else "")
    goal.target = _on("target", _number, fields.target, goal.source, what=_("de streefwaarde"))
    goal.deadline = _on("deadline", _deadline, cycle, fields.deadline)
    note = _on("baseline_note", _text, fields.baseline_note, limit=NOTE_MAX)
    reading = None
    if fields.baseline is not None:
        goal.baseline = _on("baseline", _number, fields.baseline, goal.source, what=_("de nulmeting"))
        goal.baseline_note = note
    else:
        reading = indicator_value(goal, today=today)
        goal.baseline = reading.value if reading else None
        goal.baseline_note = reading.note if reading else note
    return reading


def _details(goal: Goal) -> dict[str, Any]:
    return {
        "theme": goal.theme.value,
        "title": goal.title,
        "indicator": goal.indicator,
        "source": goal.source.value,
        "source_ref": goal.source_ref,
        "baseline": goal.baseline,
        "target": goal.target,
        "deadline": goal.deadline.isoformat(),
    }


# Changing goals --------------------------------------------------------------------------------------------


def create_goal(actor: User, cycle: Cycle, fields: GoalFields, *, today: date) -> Goal:
    """Set a goal of the (active) cycle on a theme. Advisors and the municipality (`goals.edit`).

    Title and indicator are required, target (and a typed baseline) a number (a percentage 0-100 for a survey
    question, a count of 0 or more for figures), the deadline between the cycle's start and five years after
    its end, and the source reference valid for its source (see the module). Without a typed baseline it is
    filled from the source when the source has a value. Raises DomainError with what is wrong.
    """
    ensure_can(actor, "goals.edit", cycle.park)
    ensure_open(cycle)
    goal = Goal(cycle=cycle)
    _apply(goal, cycle, fields, today=today)
    db.session.add(goal)
    audit.record(actor, "plans.goal_saved", goal, park=cycle.park, details={"created": True, **_details(goal)})
    db.session.flush()
    return goal


def update_goal(actor: User, goal: Goal, fields: GoalFields, *, today: date) -> Goal:
    """Change a goal, with the rules of `create_goal` (an emptied baseline is filled from the source again).
    Advisors and the municipality (`goals.edit`), in the active cycle only."""
    cycle = goal.cycle
    ensure_can(actor, "goals.edit", cycle.park)
    ensure_open(cycle)
    _apply(goal, cycle, fields, today=today)
    audit.record(actor, "plans.goal_saved", goal, park=cycle.park, details={"created": False, **_details(goal)})
    db.session.flush()
    return goal


def delete_goal(actor: User, goal: Goal) -> None:
    """Remove a goal with its measurements; the actions that served it stay, without it. Advisors and the
    municipality (`goals.edit`), in the active cycle only."""
    cycle = goal.cycle
    ensure_can(actor, "goals.edit", cycle.park)
    ensure_open(cycle)
    audit.record(actor, "plans.goal_deleted", goal, park=cycle.park, details=_details(goal))
    # the link rows go explicitly: SQLite does not enforce the foreign keys' ON DELETE
    db.session.execute(delete(plan_action_goals).where(plan_action_goals.c.goal_id == goal.id))
    db.session.delete(goal)
    db.session.flush()
    db.session.expire_all()


def refresh_baseline(actor: User, goal: Goal, *, today: date) -> Reading:
    """Take the baseline from the source again (after the survey closed or the figures came in). Advisors and the
    municipality (`goals.edit`); DomainError when the source has no value (or the goal is measured by hand)."""
    ensure_can(actor, "goals.edit", goal.cycle.park)
    ensure_open(goal.cycle)
    reading = indicator_value(goal, today=today)
    if reading is None:
        raise DomainError(_("De bron van dit doel geeft (nog) geen waarde. Vul de nulmeting zelf in."))
    goal.baseline, goal.baseline_note = reading.value, reading.note
    audit.record(
        actor,
        "plans.goal_baseline_refreshed",
        goal,
        park=goal.cycle.park,
        details={"baseline": reading.value, "note": reading.note},
    )
    db.session.flush()
    return reading


def _update_latest(goal: Goal) -> None:
    latest = max(goal.measurements, key=lambda m: (m.measured_on, m.id or 0), default=None)
    goal.latest_value = latest.value if latest else None
    goal.latest_on = latest.measured_on if latest else None


def record_measurement(
    actor: User, goal: Goal, value: float | None, measured_on: date | None, note: str = "", *, today: date
) -> GoalMeasurement:
    """Record a value of the goal's indicator measured on a day (not in the future, not before the cycle began),
    with an optional note. The latest measurement becomes the goal's latest value. Advisors and the municipality
    (`goals.edit`), in the active cycle only."""
    cycle = goal.cycle
    ensure_can(actor, "goals.edit", cycle.park)
    ensure_open(cycle)
    number = _on("value", _number, value, goal.source, what=_("de gemeten waarde"))
    earliest = date(cycle.starts_on.year - 1, 1, 1)
    if measured_on is None or not earliest <= measured_on <= today:
        raise FieldError(
            _("Kies een meetdatum tussen %(first)s en vandaag.", first=format_date(earliest, "long")), "measured_on"
        )
    measurement = GoalMeasurement(
        measured_on=measured_on,
        value=number,
        note=_text(note, limit=NOTE_MAX),
        recorded_by_id=actor.id,
    )
    goal.measurements.append(measurement)
    db.session.flush()
    _update_latest(goal)
    audit.record(
        actor,
        "plans.measurement_recorded",
        goal,
        park=cycle.park,
        details={"value": number, "measured_on": measured_on.isoformat(), "note": measurement.note},
    )
    db.session.flush()
    return measurement


def delete_measurement(actor: User, measurement: GoalMeasurement) -> None:
    """Remove a measurement (a typing error); the goal's latest value follows. Advisors and the municipality."""
    goal = measurement.goal
    ensure_can(actor, "goals.edit", goal.cycle.park)
    ensure_open(goal.cycle)
    audit.record(
        actor,
        "plans.measurement_deleted",
        goal,
        park=goal.cycle.park,
        details={"value": measurement.value, "measured_on": measurement.measured_on.isoformat()},
    )
    goal.measurements.remove(measurement)
    db.session.flush()
    _update_latest(goal)
    db.session.flush()


def refresh_latest(goal: Goal, *, today: date, actor: User | None = None) -> bool:
    """Read the indicator from its source and keep the reading as a measurement when it is new: not the reading
    the baseline came from and not already recorded. The latest measurement becomes the latest value.

    Called for a user (`actor`, who needs `goals.edit`) or by the system (a job: actor None). Returns whether
    anything changed. Idempotent; a closed cycle's goals stay as they are.
    """
    if actor is not None:
        ensure_can(actor, "goals.edit", goal.cycle.park)
    if goal.cycle.status != CycleStatus.ACTIVE:
        return False
    reading = indicator_value(goal, today=today)
    if reading is None or (reading.value == goal.baseline and reading.note == goal.baseline_note):
        return False
    if any(m.measured_on == reading.on and m.value == reading.value for m in goal.measurements):
        return False
    goal.measurements.append(GoalMeasurement(measured_on=reading.on, value=reading.value, note=reading.note))
    db.session.flush()
    _update_latest(goal)
    audit.record(
        actor,
        "plans.goal_refreshed",
        goal,
        park=goal.cycle.park,
        details={"value": reading.value, "measured_on": reading.on.isoformat(), "note": reading.note},
    )
    db.session.flush()
    return True


def refresh_cycle(actor: User | None, cycle: Cycle, *, today: date) -> int:
    """`refresh_latest` for every goal of the cycle; how many changed. For a user with `goals.edit` or a job."""
    if actor is not None:
        ensure_can(actor, "goals.edit", cycle.park)
    return sum(refresh_latest(goal, today=today, actor=actor) for goal in goals_of(cycle))


# Reading goals ---------------------------------------------------------------------------------------------


def goals_of(cycle: Cycle) -> list[Goal]:
    order = list(Theme)
    goals = db.session.scalars(select(Goal).where(Goal.cycle_id == cycle.id).order_by(Goal.id))
    return sorted(goals, key=lambda g: (order.index(g.theme), g.id))


def goals_by_theme(cycle: Cycle) -> list[tuple[Theme, list[Goal]]]:
    """Every theme (also those without goals yet, so the page shows what step 4 misses) with its goals."""
    goals = goals_of(cycle)
    return [(theme, [g for g in goals if g.theme == theme]) for theme in Theme]


def value_text(value: float | None, unit: str = "") -> str:
    """A goal's number in the current language (decimal comma in Dutch), with its unit; "—" without a value."""
    if value is None:
        return "—"
    text = format_decimal(value, format="#,##0.#")
    if not unit:
        return text
    return f"{text}\u00a0{unit}"  # never a line break between a number and its unit


@dataclass(frozen=True)
class GoalRow:
    """A goal with its numbers written out and whether it is on target, for the pages and the PDF."""

    goal: Goal
    baseline: str
    target: str
    latest: str
    #: "met", "open" or "unknown": the state in words is `status_text`
    status: str
    status_text: str


def goal_row(goal: Goal) -> GoalRow:
    on_target = goal.on_target
    if on_target is None:
        status, text = "unknown", _("nog geen nieuwe meting")
    elif on_target:
        status, text = "met", _("streefwaarde gehaald")
    else:
        status, text = "open", _("streefwaarde nog niet gehaald")
    return GoalRow(
        goal=goal,
        baseline=value_text(goal.baseline, goal.unit),
        target=value_text(goal.target, goal.unit),
        latest=value_text(goal.latest_value, goal.unit),
        status=status,
        status_text=text,
    )
