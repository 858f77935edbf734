"""Survey results: counts and percentages per question, k-anonymous, compared with the previous cycle; the
response rate; and the raw export for the advisor.

Privacy rules (domain notes (e) 9):
- nothing is shown for a group of fewer than `SURVEY_MIN_GROUP` (k) respondents: not the whole result while the
  survey has fewer than k responses, not a question that fewer than k answered, not a sector in the breakdown.
  When the sectors held back together count fewer than k, the next smallest sector is held back too, so that the
  overall figures minus the sectors shown never describe fewer than k respondents;
- free-text answers (comment and text questions, the "other" remarks) only for who may `surveys.raw`;
- the response rate counts invitations, never which company answered, and its breakdowns (per sector, over time,
  public or personal link) hold back groups of fewer than k answers just as the results do;
- results, the report, the export and the API show a survey only once it is closed, and only the answers of the
  opening periods released so far (`released`): while it runs, or when it is opened again and one more company
  answers, the results before and after that answer, next to the invitation list that shows who answered, would
  give that company's answers away;
- the raw export carries no moment or order of submission (rows in value order), is refused below k answers,
  and blanks the values that describe the company (sector, size, the public link) where they would single out
  fewer than k rows (`generalised`).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar

from flask import current_app
from flask_babel import format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.policy import results_shown
from app.clock import local_day
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.parks.models import Cycle
from app.surveys.definition import localised
from app.surveys.definition import questions as definition_questions
from app.surveys.models import (
    InvitationStatus,
    Survey,
    SurveyContact,
    SurveyInvitation,
    SurveyResponse,
    SurveyStatus,
)
from app.surveys.responses import ANSWERED

SUPPRESSED = _l("te weinig antwoorden om te tonen")
G = TypeVar("G")

#: question types whose answers are counted per option
SINGLE_TYPES = frozenset({"radiogroup", "dropdown", "boolean", "rating"})
MULTIPLE_TYPES = frozenset({"checkbox"})
MATRIX_TYPES = frozenset({"matrix"})
#: question types whose answers are free text: shown and exported to the advisor only
FREE_TEXT_TYPES = frozenset({"comment", "text"})

SECTOR = "sector"
SAFE_DAY, SAFE_DARK, GRADE = "safe_day", "safe_dark", "grade"
VICTIMISATION = "victimisation"
NUISANCE = "nuisance"

#: the questions of the default questionnaire whose answers describe the company as others can see it, most
#: telling first: in the raw export they are blanked where they would single out fewer than k rows
DESCRIBING_COMPANY = ("sector", "size")

_SPECIAL_LABELS = {"other": _l("Anders"), "none": _l("Geen van deze")}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def ensure_shown(survey: Survey) -> None:
    if not results_shown(survey):
        raise NotAllowed(_("De resultaten zijn te zien zodra de enquête is gesloten."))


def min_group() -> int:
    """k: the smallest group of respondents whose answers may be shown."""
    return int(current_app.config.get("SURVEY_MIN_GROUP", 5))


def held_back(sizes: Mapping[G, int], k: int) -> set[G]:
    """The groups of a breakdown to hold back, given each group's number of respondents (in display order): every
    group of 1 to k-1, and, while those together still number fewer than k, the smallest group shown besides (the
    first in order among equals), so that the total minus the groups shown never describes fewer than k people
    either. Empty groups describe nobody and stay."""
    held = {group for group, size in sizes.items() if 0 < size < k}
    shown = sorted((group for group, size in sizes.items() if size >= k), key=lambda group: sizes[group])
    while held and shown and sum(sizes[group] for group in held) < k:
        held.add(shown.pop(0))
    return held


# Which answers are shown


@dataclass(frozen=True)
class Released:
    """The answers results may show: the `count` of the opening periods up to `period` (none, or at least k);
    `held_back` more arrived in closed periods after it, too few yet to be shown apart from those."""

    period: int
    count: int
    held_back: int


def _last_closed_period(survey: Survey) -> int:
    if survey.status == SurveyStatus.CLOSED:
        return survey.period
    return survey.period - 1  # a draft has had no period yet; an open one is in its last


def released(survey: Survey) -> Released:
    """Which answers of `survey` the results may show.

    The answers of an opening period are shown once it has closed, and only when it brought at least k answers,
    or together with the periods after it that do: otherwise the results after opening the survey again and
    before would differ by the answers of the few companies the invitation list shows as answering meanwhile.
    """
    last_closed, k = _last_closed_period(survey), min_group()
    counts = dict(
        db.session.execute(
            select(SurveyResponse.period, func.count())
            .where(SurveyResponse.survey_id == survey.id, SurveyResponse.period <= last_closed)
            .group_by(SurveyResponse.period)
        ).all()
    )
    period = shown = pending = 0
    for each in range(1, last_closed + 1):
        pending += counts.get(each, 0)
        if pending >= k:
            period, shown, pending = each, shown + pending, 0
    return Released(period, shown, pending)


def localized(value: Any, fallback: str = "") -> str:
    """A SurveyJS text (a string or {"default": nl, "en": en}) in the current language, else `fallback`."""
    return localised(value, str(get_locale() or "nl")) or fallback


def number(value: float | None, decimals: int = 1) -> str:
    """A number in the current language's notation (Dutch: a decimal comma)."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern)


def change_text(points: float | None) -> str:
    """A change in percentage points with its sign (a real minus sign): "+3,5", "\u22122,0", "0,0"; "—" without a
    comparison."""
    if points is None:
        return "—"
    rounded = round(points, 1)
    if rounded > 0:
        return "+" + number(rounded)
    if rounded < 0:
        return "\u2212" + number(-rounded)
    return number(0.0)


# Plain data


@dataclass(frozen=True)
class Share:
    """One answer option: how many chose it, as a percentage of those who answered, and the change."""

    value: Any
    label: str
    count: int
    percent: float
    #: percentage points since the previous survey; None without a comparable question there
    change: float | None = None

    @property
    def percent_text(self) -> str:
        return number(self.percent)

    @property
    def change_text(self) -> str:
        return change_text(self.change)


@dataclass(frozen=True)
class MatrixRow:
    """One row of a matrix question (a crime type, a nuisance theme) with the distribution over the columns."""

    value: str
    label: str
    answered: int
    shares: list[Share]
    #: who answered anything but the first column ("nee", "geen overlast"): victims, or who notice nuisance
    any: Share
    suppressed: bool = False


@dataclass(frozen=True)
class QuestionResult:
    name: str
    type: str
    title: str
    #: respondents who answered this question
    answered: int
    suppressed: bool = False
    shares: list[Share] = field(default_factory=list)
    rows: list[MatrixRow] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    mean: float | None = None
    mean_change: float | None = None
    #: free-text answers, sorted (so that their order says nothing about who wrote them); advisor only
    texts: list[str] = field(default_factory=list)
    #: whether the previous survey asked the same question (same name and type)
    compared: bool = False

    @property
    def multiple(self) -> bool:
        return self.type in MULTIPLE_TYPES

    @property
    def matrix(self) -> bool:
        return self.type in MATRIX_TYPES

    @property
    def free_text(self) -> bool:
        return self.type in FREE_TEXT_TYPES

    @property
    def mean_text(self) -> str:
        return number(self.mean)

    @property
    def mean_change_text(self) -> str:
        return change_text(self.mean_change)


@dataclass(frozen=True)
class SectorRow:
    """Key figures of the respondents of one sector; every figure None when the group is held back."""

    label: str
    suppressed: bool
    count: int | None = None
    safe_day: float | None = None
    safe_dark: float | None = None
    grade: float | None = None
    #: percentage of the sector's respondents with at least one incident
    victims: float | None = None

    def text(self, attribute: str) -> str:
        return number(getattr(self, attribute))


@dataclass(frozen=True)
class PreviousSurvey:
    id: int
    title: str
    cycle_number: int
    responses: int


@dataclass(frozen=True)
class Results:
    survey_id: int
    responses: int
    k: int
    #: fewer than k responses: nothing is shown
    suppressed: bool
    include_text: bool
    #: answers of closed opening periods not shown yet: fewer than k arrived since the answers shown
    held_back: int = 0
    questions: list[QuestionResult] = field(default_factory=list)
    sectors: list[SectorRow] = field(default_factory=list)
    previous: PreviousSurvey | None = None
    #: percentage of respondents with at least one incident of any kind, and its change
    victims_any: Share | None = None

    @property
    def held_back_text(self) -> str:
        return ngettext(
            "%(num)s antwoord kwam binnen nadat de enquête opnieuw was geopend. Het telt mee zodra er zo minstens "
            "%(k)s zijn: anders zou het verschil met de eerdere uitkomsten laten zien wat die enkele bedrijven "
            "antwoordden.",
            "%(num)s antwoorden kwamen binnen nadat de enquête opnieuw was geopend. Ze tellen mee zodra er zo "
            "minstens %(k)s zijn: anders zou het verschil met de eerdere uitkomsten laten zien wat die enkele "
            "bedrijven antwoordden.",
            self.held_back,
            k=self.k,
        )

    def question(self, name: str) -> QuestionResult | None:
        return next((q for q in self.questions if q.name == name), None)

    @property
    def victimisation(self) -> QuestionResult | None:
        return self.question(VICTIMISATION)

    @property
    def themes(self) -> QuestionResult | None:
        return self.question(NUISANCE)

    @property
    def safety(self) -> list[QuestionResult]:
        return [q for q in (self.question(SAFE_DAY), self.question(SAFE_DARK)) if q is not None]

    @property
    def grade(self) -> QuestionResult | None:
        return self.question(GRADE)


# Reading the definition


@dataclass(frozen=True)
class _Option:
    value: Any
    label: str


def _options(items: Iterable[Any] | None) -> list[_Option]:
    """SurveyJS items ("a", 3, {"value": "a", "text": ...}) as (value, label) pairs."""
    options = []
    for item in items or []:
        if isinstance(item, Mapping):
            value = item.get("value", item.get("name"))
            options.append(_Option(value, localized(item.get("text"), str(value))))
        else:
            options.append(_Option(item, str(item)))
    return options


def _rating_options(question: Mapping[str, Any]) -> list[_Option]:
    if question.get("rateValues"):
        return _options(question["rateValues"])
    low, high = int(question.get("rateMin", 1)), int(question.get("rateMax", 5))
    step = max(int(question.get("rateStep", 1)), 1)
    options = [_Option(value, str(value)) for value in range(low, high + 1, step)]
    # the ends of the scale carry their meaning: "1 (zeer onveilig)" … "5 (zeer veilig)"
    for index, key in ((0, "minRateDescription"), (-1, "maxRateDescription")):
        if options and question.get(key):
            value = options[index].value
            options[index] = _Option(value, f"{value} ({localized(question[key]).lower()})")
    return options


def _choice_options(question: Mapping[str, Any]) -> list[_Option]:
    kind = question.get("type")
    if kind == "boolean":
        return [
            _Option(question.get("valueTrue", True), localized(question.get("labelTrue"), _("Ja"))),
            _Option(question.get("valueFalse", False), localized(question.get("labelFalse"), _("Nee"))),
        ]
    if kind == "rating" and not question.get("choices"):
        return _rating_options(question)
    options = _options(question.get("choices"))
    if question.get("hasNone") or question.get("showNoneItem"):
        options.append(_Option("none", localized(question.get("noneText"), str(_SPECIAL_LABELS["none"]))))
    if question.get("hasOther") or question.get("showOtherItem"):
        options.append(_Option("other", localized(question.get("otherText"), str(_SPECIAL_LABELS["other"]))))
    return options


def answer_key(value: Any) -> tuple[str, Any]:
    """Answers compare by value and type, as the definition checks them: 1 is not "1", True is not 1."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int | float):
        return ("number", value)
    return ("text", str(value))


def _answered(value: Any) -> bool:
    return value not in (None, "", [], {})


def _percent(count: int, total: int) -> float:
    return 100.0 * count / total if total else 0.0


def _numeric(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _mean(values: Iterable[Any]) -> float | None:
    numbers = [n for n in (_numeric(v) for v in values) if n is not None]
    return sum(numbers) / len(numbers) if numbers else None


# Counting


def _shares(options: list[_Option], counts: Counter, total: int) -> list[Share]:
    known = {answer_key(o.value) for o in options}
    extra = [
        _Option(value, str(_SPECIAL_LABELS.get(str(value), value)))
        for _kind, value in sorted((k for k in counts if k not in known), key=str)
    ]
    return [
        Share(
            value=o.value,
            label=o.label,
            count=counts[answer_key(o.value)],
            percent=_percent(counts[answer_key(o.value)], total),
        )
        for o in options + extra
    ]


def _choice_result(question: Mapping[str, Any], title: str, answers: list[Any], k: int) -> QuestionResult:
    kind = question["type"]
    given = [a for a in answers if _answered(a)]
    counts: Counter = Counter()
    for answer in given:
        values = answer if isinstance(answer, list) else [answer]
        counts.update({answer_key(v) for v in values})  # a respondent counts once per option
    if len(given) < k:
        return QuestionResult(question["name"], kind, title, len(given), suppressed=True)
    return QuestionResult(
        question["name"],
        kind,
        title,
        len(given),
        shares=_shares(_choice_options(question), counts, len(given)),
        mean=_mean(given) if kind == "rating" else None,
    )


def _matrix_result(question: Mapping[str, Any], title: str, answers: list[Any], k: int) -> QuestionResult:
    rows, columns = _options(question.get("rows")), _options(question.get("columns"))
    given = [a for a in answers if isinstance(a, Mapping) and any(_answered(v) for v in a.values())]
    if len(given) < k:
        return QuestionResult(question["name"], question["type"], title, len(given), suppressed=True)
    first = answer_key(columns[0].value) if columns else None
    results = []
    for row in rows:
        values = [a.get(str(row.value), a.get(row.value)) for a in given]
        values = [v for v in values if _answered(v)]
        counts = Counter(answer_key(v) for v in values)
        hit = sum(n for value, n in counts.items() if value != first)
        if len(values) < k:
            results.append(MatrixRow(str(row.value), row.label, len(values), [], Share("any", "", 0, 0.0), True))
            continue
        results.append(
            MatrixRow(
                value=str(row.value),
                label=row.label,
                answered=len(values),
                shares=_shares(columns, counts, len(values)),
                any=Share("any", row.label, hit, _percent(hit, len(values))),
            )
        )
    return QuestionResult(
        question["name"], question["type"], title, len(given), rows=results, columns=[c.label for c in columns]
    )


def _text_result(question: Mapping[str, Any], title: str, answers: list[Any]) -> QuestionResult:
    texts = sorted(str(a).strip() for a in answers if isinstance(a, str | int | float) and str(a).strip())
    return QuestionResult(question["name"], question["type"], title, len(texts), texts=texts)


def _victims(question: Mapping[str, Any] | None, answers: Iterable[Mapping[str, Any]]) -> tuple[int, int]:
    """(respondents who answered the victimisation matrix, those with at least one incident)."""
    if question is None:
        return 0, 0
    columns = _options(question.get("columns"))
    first = answer_key(columns[0].value) if columns else None
    answered = hit = 0
    for answer in answers:
        values = answer.get(question["name"])
        if not isinstance(values, Mapping):
            continue
        given = [answer_key(v) for v in values.values() if _answered(v)]
        if given:
            answered += 1
            hit += any(v != first for v in given)
    return answered, hit


def _sectors(
    sector_question: Mapping[str, Any] | None,
    victimisation: Mapping[str, Any] | None,
    answers: list[Mapping[str, Any]],
    k: int,
) -> list[SectorRow]:
    """Key figures per sector (the answer to the sector question), small groups held back (see module doc)."""
    if sector_question is None:
        return []
    labels = {answer_key(o.value): o.label for o in _choice_options(sector_question)}
    groups: dict[tuple[str, Any] | None, list[Mapping[str, Any]]] = defaultdict(list)
    for answer in answers:
        value = answer.get(SECTOR)
        groups[answer_key(value) if _answered(value) else None].append(answer)
    order = {value: index for index, value in enumerate(labels)}
    ordered = sorted(groups, key=lambda value: (value is None, order.get(value, len(order)), str(value)))
    held = held_back({value: len(groups[value]) for value in ordered}, k)
    rows = []
    for value in ordered:
        label = _("Niet ingevuld") if value is None else labels.get(value, str(value[1]))
        group = groups[value]
        if value in held:
            rows.append(SectorRow(label=label, suppressed=True))
            continue
        answered, hit = _victims(victimisation, group)
        rows.append(
            SectorRow(
                label=label,
                suppressed=False,
                count=len(group),
                safe_day=_mean(a.get(SAFE_DAY) for a in group),
                safe_dark=_mean(a.get(SAFE_DARK) for a in group),
                grade=_mean(a.get(GRADE) for a in group),
                victims=_percent(hit, answered) if answered else None,
            )
        )
    return rows


def _released_responses(survey: Survey, shown: Released, *columns):
    # ordered by the random id: in no relation to the order of answering
    return (
        select(*columns)
        .where(SurveyResponse.survey_id == survey.id, SurveyResponse.period <= shown.period)
        .order_by(SurveyResponse.id)
    )


def response_answers(survey: Survey, shown: Released | None = None) -> list[dict[str, Any]]:
    """The released answers of `survey` (see `released`), in no particular order."""
    shown = shown or released(survey)
    return list(db.session.scalars(_released_responses(survey, shown, SurveyResponse.answers)))


def aggregate(
    survey: Survey,
    *,
    include_text: bool,
    compare: bool = True,
) -> Results:
    """The survey's results as plain data: per question the counts and percentages of those who answered it
    (checkbox questions add up to more than 100), means of ratings, per matrix row the distribution and the share
    answering anything but the first column, key figures per sector, and the change since the survey of the
    park's previous cycle. Groups smaller than k are held back; free text only with `include_text` (the caller
    decides with `can(user, "surveys.raw", park)`)."""
    k = min_group()
    shown = released(survey)
    if shown.count < k:
        # none released: the answers there are fewer than k, all held back
        return Results(survey.id, shown.held_back, k, suppressed=True, include_text=include_text)
    answers = response_answers(survey, shown)
    definition = definition_questions(survey.definition)
    results = []
    for question in definition:
        kind, name = question.get("type"), question.get("name")
        if not name:
            continue
        title = localized(question.get("title"), name)
        values = [a.get(name) for a in answers]
        if kind in SINGLE_TYPES | MULTIPLE_TYPES:
            results.append(_choice_result(question, title, values, k))
        elif kind in MATRIX_TYPES:
            results.append(_matrix_result(question, title, values, k))
        elif kind in FREE_TEXT_TYPES and include_text:
            results.append(_text_result(question, title, values))
    if include_text:
        results.extend(_other_remarks(definition, answers))
    by_name = {q.get("name"): q for q in definition}
    victimisation = by_name.get(VICTIMISATION) if by_name.get(VICTIMISATION, {}).get("type") == "matrix" else None
    answered, hit = _victims(victimisation, answers)
    current = Results(
        survey_id=survey.id,
        responses=len(answers),
        k=k,
        suppressed=False,
        include_text=include_text,
        held_back=shown.held_back,
        questions=results,
        sectors=_sectors(by_name.get(SECTOR), victimisation, answers, k),
        victims_any=Share("any", "", hit, _percent(hit, answered)) if answered >= k else None,
    )
    if not compare:
        return current
    previous = previous_survey(survey)
    if previous is None:
        return current
    return _compared(current, aggregate(previous, include_text=False, compare=False), previous)


def _other_remarks(definition: list[dict[str, Any]], answers: list[Mapping[str, Any]]) -> list[QuestionResult]:
    """The texts typed beside "other" ("<name>-Comment" in SurveyJS), as free-text results."""
    results = []
    for question in definition:
        name = question.get("name")
        if not name or question.get("type") in FREE_TEXT_TYPES:
            continue
        texts = [a.get(f"{name}-Comment") for a in answers]
        if any(isinstance(t, str) and t.strip() for t in texts):
            title = _("%(question)s: toelichting bij “anders”", question=localized(question.get("title"), name))
            results.append(_text_result({"name": f"{name}-Comment", "type": "comment"}, title, texts))
    return results


# The previous cycle


def previous_survey(survey: Survey) -> Survey | None:
    """The survey of the park's latest earlier cycle (opened at least once), or None."""
    return db.session.scalar(
        select(Survey)
        .join(Cycle, Survey.cycle_id == Cycle.id)
        .where(
            Survey.park_id == survey.park_id,
            Survey.id != survey.id,
            Cycle.number < survey.cycle.number,
            Survey.status != SurveyStatus.DRAFT,
        )
        .order_by(Cycle.number.desc(), Survey.id.desc())
        .limit(1)
    )


def _with_changes(shares: list[Share], before: list[Share]) -> list[Share]:
    earlier = {answer_key(s.value): s.percent for s in before}
    return [
        replace(s, change=s.percent - earlier[answer_key(s.value)] if answer_key(s.value) in earlier else None)
        for s in shares
    ]


def _compare_question(now: QuestionResult, before: QuestionResult | None) -> QuestionResult:
    if before is None or before.type != now.type or now.suppressed or before.suppressed or now.free_text:
        return now
    rows = []
    earlier_rows = {r.value: r for r in before.rows}
    for row in now.rows:
        old = earlier_rows.get(row.value)
        if old is None or row.suppressed or old.suppressed:
            rows.append(row)
            continue
        any_share = replace(row.any, change=row.any.percent - old.any.percent)
        rows.append(replace(row, shares=_with_changes(row.shares, old.shares), any=any_share))
    mean_change = now.mean - before.mean if now.mean is not None and before.mean is not None else None
    return replace(
        now, shares=_with_changes(now.shares, before.shares), rows=rows, mean_change=mean_change, compared=True
    )


def _compared(current: Results, before: Results, previous: Survey) -> Results:
    info = PreviousSurvey(previous.id, previous.title, previous.cycle.number, before.responses)
    if before.suppressed:
        # too few answers then to show, so too few to compare with
        return replace(current, previous=info)
    earlier = {q.name: q for q in before.questions}
    victims_any = current.victims_any
    if victims_any is not None and before.victims_any is not None:
        victims_any = replace(victims_any, change=victims_any.percent - before.victims_any.percent)
    return replace(
        current,
        questions=[_compare_question(q, earlier.get(q.name)) for q in current.questions],
        previous=info,
        victims_any=victims_any,
    )


# The response rate


@dataclass(frozen=True)
class RateRow:
    label: str
    invited: int
    opened: int
    completed: int

    @property
    def rate(self) -> float:
        return _percent(self.completed, self.invited)

    @property
    def opened_rate(self) -> float:
        return _percent(self.opened, self.invited)

    @property
    def rate_text(self) -> str:
        return number(self.rate)

    @property
    def opened_rate_text(self) -> str:
        return number(self.opened_rate)


@dataclass(frozen=True)
class Stretch:
    """The answers that came in from `first` to `last` (days in the Netherlands): at least k of them, or, for the
    stretch still filling up, fewer (`count` None: not shown)."""

    first: date
    last: date
    count: int | None
    cumulative: int | None


@dataclass(frozen=True)
class ResponseRate:
    """Invitations (revoked ones left out), how many were opened and used; responses in all and through the
    public link; per sector of the invited companies (sectors with 1 to k-1 completed merged into one row), and
    over time in stretches of at least k answers."""

    total: RateRow
    sectors: list[RateRow]
    #: how many sectors were merged into the last row of `sectors` (or left out, when all of them were)
    merged_sectors: int
    over_time: list[Stretch]
    responses: int
    #: answers through personal links and through the public link; None for a group of 1 to k-1 (and then for the
    #: other too, which would give it away)
    via_personal_links: int | None
    via_public_link: int | None
    k: int


def _rate_sectors(per_sector: Mapping[str, list[int]], k: int) -> tuple[list[RateRow], int]:
    ordered = sorted(per_sector, key=lambda s: (s == "", s.lower()))
    held = held_back({sector: per_sector[sector][2] for sector in ordered}, k)
    merged = [sum(per_sector[sector][i] for sector in held) for i in range(3)]
    if held and merged[2] < k:
        # the sectors held back cannot make a group of k together: no breakdown at all
        return [], len(ordered)
    rows = [RateRow(sector or _("Sector onbekend"), *per_sector[sector]) for sector in ordered if sector not in held]
    if held:
        rows.append(RateRow(_("Overige sectoren samen"), *merged))
    return rows, len(held)


def _over_time(survey: Survey, k: int) -> list[Stretch]:
    """Answers over time, from the audit log's record of each answer (the answers themselves carry no moment), in
    stretches of consecutive days with at least k answers each."""
    # by the park's index of the log: an index of its own would cost every answer one more write
    moments = db.session.scalars(
        select(AuditEvent.created_at).where(
            AuditEvent.park_id == survey.park_id,
            AuditEvent.action == ANSWERED,
            AuditEvent.subject_type == Survey.__tablename__,
            AuditEvent.subject_id == str(survey.id),
        )
    )
    per_day = Counter(local_day(moment) for moment in moments)
    stretches: list[Stretch] = []
    first, count, running = None, 0, 0
    for day in sorted(per_day):
        first = first or day
        count += per_day[day]
        if count >= k:
            running += count
            stretches.append(Stretch(first, day, count, running))
            first, count = None, 0
    if first is not None:
        stretches.append(Stretch(first, max(per_day), None, None))
    return stretches


def response_rate(survey: Survey) -> ResponseRate:
    """The live response rate of the survey: counts of invitations only, never which company answered."""
    k = min_group()
    rows = db.session.execute(
        select(SurveyInvitation.status, SurveyInvitation.sector).where(
            SurveyInvitation.survey_id == survey.id, SurveyInvitation.status != InvitationStatus.REVOKED
        )
    ).all()
    per_sector: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for status, sector in rows:
        counts = per_sector[sector or ""]
        counts[0] += 1
        counts[1] += status in (InvitationStatus.OPENED, InvitationStatus.USED)
        counts[2] += status == InvitationStatus.USED
    total = RateRow(_("Totaal"), *(sum(counts[i] for counts in per_sector.values()) for i in range(3)))
    sectors, merged = _rate_sectors(per_sector, k)
    flags = list(
        db.session.scalars(select(SurveyResponse.via_public_link).where(SurveyResponse.survey_id == survey.id))
    )
    channels = {"personal": len(flags) - sum(flags), "public": sum(flags)}
    held = held_back(channels, k)
    return ResponseRate(
        total,
        sectors,
        merged,
        _over_time(survey, k),
        len(flags),
        None if "personal" in held else channels["personal"],
        None if "public" in held else channels["public"],
        k,
    )


# Who asked to be contacted


def contacts(survey: Survey) -> list[SurveyContact]:
    """The respondents of `survey` who left their details to be contacted, by name: apart from any answers, and
    in no order that could follow the order of answering."""
    return list(
        db.session.scalars(
            select(SurveyContact)
            .where(SurveyContact.survey_id == survey.id)
            .order_by(func.lower(SurveyContact.name), SurveyContact.email, SurveyContact.phone)
        )
    )


# The raw export (advisor only)


def _columns(survey: Survey, answers: list[Mapping[str, Any]]) -> list[tuple[str, str, Any]]:
    """(header, question name, sub-key) per column: matrix rows and checkbox options get a column each."""
    columns: list[tuple[str, str, Any]] = []
    covered = set()
    for question in definition_questions(survey.definition):
        name, kind = question.get("name"), question.get("type")
        if not name:
            continue
        covered.add(name)
        if kind in MATRIX_TYPES:
            columns.extend((f"{name}.{row.value}", name, ("row", row.value)) for row in _options(question.get("rows")))
        elif kind in MULTIPLE_TYPES:
            columns.extend(
                (f"{name}.{option.value}", name, ("option", option.value)) for option in _choice_options(question)
            )
        else:
            columns.append((name, name, None))
    extra = sorted({key for answer in answers for key in answer} - covered)
    columns.extend((key, key, None) for key in extra)
    return columns


def _cell(answer: Mapping[str, Any], name: str, sub: Any) -> Any:
    value = answer.get(name)
    if sub is None:
        if isinstance(value, list | dict):
            return ", ".join(str(v) for v in (value.values() if isinstance(value, dict) else value))
        if isinstance(value, bool):
            return 1 if value else 0
        return value
    kind, key = sub
    if kind == "row":
        return value.get(str(key), value.get(key)) if isinstance(value, Mapping) else None
    if not isinstance(value, list):
        return None
    return 1 if answer_key(key) in {answer_key(v) for v in value} else 0


def generalised(keys: list[tuple[Any, ...]], k: int) -> list[tuple[Any, ...]]:
    """Each row's values that describe the company (most telling first) with values blanked (None), from the last
    column on, until every combination left is shared by at least k rows; the rows left with every value blank
    then number at least k too, or join the smallest other combinations (`held_back`). Local suppression, as
    statistical offices do for k-anonymity: no row stands out by what others can know of the company."""
    if not keys:
        return keys
    width = len(keys[0])
    blank = (None,) * width
    for column in reversed(range(width)):
        counts = Counter(keys)
        keys = [key if counts[key] >= k else key[:column] + blank[column:] for key in keys]
    counts = Counter(keys)
    joined = held_back(counts, k) if 0 < counts[blank] < k else set()
    return [blank if key in joined else key for key in keys]


def export_table(survey: Survey) -> tuple[list[str], list[list[Any]]]:
    """The released answers (see `released`): one row per response, one column per question, matrices and checkbox
    questions flattened (a column per row, a 1/0 column per option). No moment or order of submission: the rows
    are in value order. Refused (DomainError) below k answers; the values that describe the company are
    `generalised`. Advisor only: it holds the free text."""
    k = min_group()
    shown = released(survey)
    if shown.count < k:
        raise DomainError(
            _("De antwoorden zijn te downloaden zodra er minstens %(k)s zijn, van een gesloten enquête.", k=k)
        )
    responses = db.session.execute(
        _released_responses(survey, shown, SurveyResponse.via_public_link, SurveyResponse.answers)
    ).all()
    columns = _columns(survey, [r.answers for r in responses])
    headers = [_("openbare_link"), *(header for header, _name, _sub in columns)]
    rows = sorted(
        (
            [1 if r.via_public_link else 0, *(_cell(r.answers, name, sub) for _h, name, sub in columns)]
            for r in responses
        ),
        key=_value_order,
    )
    # the public-link flag goes first when values must be blanked, then size, then sector
    describing = [headers.index(name) for name in DESCRIBING_COMPANY if name in headers] + [0]
    for row, key in zip(rows, generalised([tuple(row[i] for i in describing) for row in rows], k), strict=True):
        for index, value in zip(describing, key, strict=True):
            row[index] = value
    return headers, sorted(rows, key=_value_order)


def _value_order(row: list[Any]) -> list[str]:
    return ["" if value is None else str(value) for value in row]


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text  # never a formula in a spreadsheet


def export_csv(survey: Survey) -> bytes:
    """The raw answers as CSV for Excel in Dutch: UTF-8 with BOM, semicolons."""
    headers, rows = export_table(survey)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def export_xlsx(survey: Survey) -> bytes:
    """The raw answers as an Excel workbook; texts are stored as text, never as formulas."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    headers, rows = export_table(survey)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Antwoorden")[:31])
    sheet.freeze_panes = "A2"
    header = []
    for title in headers:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
