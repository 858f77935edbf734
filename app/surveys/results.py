"""Survey results: counts and percentages per question, k-anonymous, compared with the previous cycle. The
response rate is in `response_rate`, the raw export for the advisor in `export`; the rules below hold for all three.

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

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from flask import current_app
from flask_babel import format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.auth.policy import results_shown
from app.errors import NotAllowed
from app.extensions import db
from app.parks.models import Cycle
from app.surveys.definition import (
    NUMERIC_INPUT_TYPES,
    answer_key_of,
    cell_question,
    localised,
    matrix_columns,
    rating_scale,
)
from app.surveys.definition import questions as definition_questions
from app.surveys.models import (
    Survey,
    SurveyContact,
    SurveyResponse,
    SurveyStatus,
)

SUPPRESSED = _l("te weinig antwoorden om te tonen")
G = TypeVar("G")

#: question types whose answers are counted per option (an imagepicker is single or multiple by its multiSelect)
SINGLE_TYPES = frozenset({"radiogroup", "dropdown", "boolean", "rating"})
MULTIPLE_TYPES = frozenset({"checkbox", "tagbox"})
MATRIX_TYPES = frozenset({"matrix"})
#: question types whose answers are free text: shown and exported to the advisor only (a text question with a
#: numeric input type excepted: its answers are averaged like a rating's)
FREE_TEXT_TYPES = frozenset({"comment", "text"})
#: a slider's distribution has at most this many bars: its steps are grouped into ranges beyond that
SLIDER_BARS = 10

SECTOR = "sector"
SAFE_DAY, SAFE_DARK, GRADE = "safe_day", "safe_dark", "grade"
VICTIMISATION = "victimisation"
NUISANCE = "nuisance"

#: the questions of the default questionnaire whose answers describe the company as others can see it, most
#: telling first: in the raw export they are blanked where they would single out fewer than k rows
DESCRIBING_COMPANY = ("sector", "size")

_SPECIAL_LABELS = {"other": _l("Anders"), "none": _l("Geen van deze")}


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
    #: a ranking's choice: its mean position (1 is first); `count` and `percent` then say how often it came first
    mean: float | None = None

    @property
    def percent_text(self) -> str:
        return number(self.percent)

    @property
    def mean_text(self) -> str:
        return number(self.mean)

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


def slug(name: str) -> str:
    """A question's key as part of an HTML id: the key itself when it is a plain word, else a digest of it (keys
    may hold spaces, dots and any letter)."""
    if re.fullmatch(r"[A-Za-z][\w-]*", name):
        return name
    return hashlib.blake2s(name.encode("utf-8"), digest_size=6).hexdigest()


@dataclass(frozen=True)
class QuestionResult:
    """One question's figures; a compound question (matrixdropdown, matrixdynamic, multipletext, paneldynamic,
    a range slider) gives one result per part: per cell, column, item, template question or end of the range."""

    #: the answer key (or "<key>.<part>" for a part of a compound question)
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
    #: whether the previous survey asked the same question (same key, type and options)
    compared: bool = False
    #: a respondent may choose several options: the percentages add up to more than 100
    multiple: bool = False
    free_text: bool = False
    #: the answer key of the compound question this is a part of
    part_of: str | None = None
    #: a part of a matrixdynamic or paneldynamic: the rows or panels answered, of which the percentages are
    entries: int | None = None
    #: what the same question in the previous survey must have too: its options, scale or rows and columns
    signature: tuple = ()

    @property
    def matrix(self) -> bool:
        return self.type in MATRIX_TYPES

    @property
    def ranking(self) -> bool:
        return self.type == "ranking"

    @property
    def slug(self) -> str:
        return slug(self.name)

    @property
    def answered_text(self) -> str:
        if self.entries is not None:
            return ngettext(
                "%(num)s respondent vulde %(entries)s rijen of panelen in; percentages van die rijen of panelen.",
                "%(num)s respondenten vulden samen %(entries)s rijen of panelen in; percentages van die rijen of "
                "panelen.",
                self.answered,
                entries=self.entries,
            )
        return ngettext(
            "%(num)s respondent beantwoordde deze vraag.",
            "%(num)s respondenten beantwoordden deze vraag.",
            self.answered,
        )

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
    #: both cycles side by side, per question both asked
    comparison: Comparison | None = None

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


def is_multiple(question: Mapping[str, Any]) -> bool:
    """Whether a respondent may choose several options: checkbox, tagbox, an imagepicker with multiSelect."""
    kind = question.get("type")
    return kind in MULTIPLE_TYPES or (kind == "imagepicker" and bool(question.get("multiSelect")))


def is_numeric(question: Mapping[str, Any]) -> bool:
    """A text question whose answer SurveyJS stores as a number."""
    return question.get("type") == "text" and question.get("inputType") in NUMERIC_INPUT_TYPES


def is_range(question: Mapping[str, Any]) -> bool:
    """A slider whose answer is [low, high]."""
    return question.get("type") == "slider" and question.get("sliderType") == "range"


def template_questions(question: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A paneldynamic's template questions, its panels flattened away."""
    return definition_questions({"pages": [{"elements": question.get("templateElements") or []}]})


def value_at(value: Any, *path: Any) -> Any:
    """The part of an answer at `path`: a row, column or item of a mapping (keys are strings in JSON), or a
    position in a list; None where there is none."""
    for step in path:
        if isinstance(value, dict):  # answers are JSON: dicts, never other mappings (and this is much faster)
            value = value.get(str(step))
        elif isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value):
            value = value[step]
        else:
            return None
    return value


def listed_options(items: Iterable[Any] | None) -> list[_Option]:
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
    labels = {option.value: option.label for option in listed_options(question.get("rateValues"))}
    options = [_Option(value, labels.get(value, str(value))) for value in rating_scale(dict(question)) or []]
    # the ends of the scale carry their meaning: "1 (zeer onveilig)" … "5 (zeer veilig)"
    for index, key in ((0, "minRateDescription"), (-1, "maxRateDescription")):
        if options and question.get(key):
            value = options[index].value
            options[index] = _Option(value, f"{value} ({localized(question[key]).lower()})")
    return options


def _slider_options(question: Mapping[str, Any]) -> tuple[list[_Option], float, float, int]:
    """A slider's bars: (options, lowest value, step, steps per bar): one bar per step, or ranges of steps when
    there are more than SLIDER_BARS + 1 (a 0-100 slider: 0-10, 11-21, ...)."""
    low, high = _numeric(question.get("min", 0)) or 0.0, _numeric(question.get("max", 100))
    step = _numeric(question.get("step", 1)) or 1.0
    high = low if high is None or high < low or step <= 0 else high
    step = abs(step)
    count = round((high - low) / step) + 1
    size = 1 if count <= SLIDER_BARS + 1 else math.ceil(count / SLIDER_BARS)

    def at(index: int) -> float | int:
        value = round(low + index * step, 10)
        return int(value) if float(value).is_integer() else value

    options = []
    for first in range(0, count, size):
        last = min(first + size, count) - 1
        label = format_decimal(at(first)) + ("" if last == first else "\u2013" + format_decimal(at(last)))
        options.append(_Option(at(first), label))
    return options, low, step, size


def choice_options(question: Mapping[str, Any]) -> list[_Option]:
    kind = question.get("type")
    if kind == "boolean":
        return [
            _Option(question.get("valueTrue", True), localized(question.get("labelTrue"), _("Ja"))),
            _Option(question.get("valueFalse", False), localized(question.get("labelFalse"), _("Nee"))),
        ]
    if kind == "rating" and not question.get("choices"):
        return _rating_options(question)
    if kind == "slider":
        return _slider_options(question)[0]
    options = listed_options(question.get("choices"))
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


def _signature(question: Mapping[str, Any]) -> tuple:
    """What the previous cycle's question must share to be compared: its options (in any order), a slider's
    scale, a matrix's rows and columns, a text question's input type."""
    kind = question.get("type")
    if kind == "matrix":
        rows = frozenset(str(o.value) for o in listed_options(question.get("rows")))
        return (rows, frozenset(answer_key(o.value) for o in listed_options(question.get("columns"))))
    if kind == "slider":
        return tuple(question.get(key) for key in ("min", "max", "step"))
    if kind == "text":
        return (question.get("inputType"),)
    return (frozenset(answer_key(o.value) for o in choice_options(question)),)


#: what SurveyJS leaves when a question is not answered
_UNANSWERED = (None, "", [], {})


def _answered(value: Any) -> bool:
    return value not in _UNANSWERED


def percent_of(count: int, total: int) -> float:
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


# Counting: every answer given as (the respondent's position among the answers, the value), so that a part of a
# matrixdynamic or paneldynamic, which one respondent may answer in several rows or panels, still counts the
# respondents for the k-rule

Given = list[tuple[int, Any]]


# the two functions below run for every answer: `_UNANSWERED` and the dict's own `get` inline, for speed


def _given(answers: Iterable[Mapping[str, Any]], key: str) -> Given:
    return [(index, value) for index, answer in enumerate(answers) if (value := answer.get(key)) not in _UNANSWERED]


def _within(values: Given, step: Any) -> Given:
    """The answered parts at `step` (a row, column or item; a position in a list) of each value."""
    key = str(step)
    return [
        (index, part)
        for index, value in values
        if (part := value.get(key) if isinstance(value, dict) else value_at(value, step)) not in _UNANSWERED
    ]


def _entries(values: Given) -> Given:
    """The rows of a matrixdynamic or the panels of a paneldynamic, each with its respondent."""
    return [(index, entry) for index, value in values if isinstance(value, list) for entry in value]


def _respondents(values: Given, entries: bool = True) -> int:
    """How many respondents gave `values`: as many as the values, unless one may give several (`entries`)."""
    return len({index for index, _value in values}) if entries else len(values)


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
            percent=percent_of(counts[answer_key(o.value)], total),
        )
        for o in options + extra
    ]


def _choice_result(question: Mapping[str, Any], base: QuestionResult, values: Given, k: int) -> QuestionResult:
    counts: Counter = Counter()
    for _index, answer in values:
        chosen = answer if isinstance(answer, list) else [answer]
        counts.update({answer_key(v) for v in chosen})  # a respondent counts once per option
    mean = _mean(v for _index, v in values) if question["type"] == "rating" else None
    return replace(base, shares=_shares(choice_options(question), counts, len(values)), mean=mean)


def _slider_result(question: Mapping[str, Any], base: QuestionResult, values: Given, k: int) -> QuestionResult:
    options, low, step, size = _slider_options(question)
    counts: Counter = Counter()
    for _index, answer in values:
        if (value := _numeric(answer)) is not None:
            bar = min(max(round((value - low) / step) // size, 0), len(options) - 1)
            counts[answer_key(options[bar].value)] += 1
    return replace(base, shares=_shares(options, counts, len(values)), mean=_mean(v for _index, v in values))


def _ranking_result(question: Mapping[str, Any], base: QuestionResult, values: Given, k: int) -> QuestionResult:
    """Per choice how often it came first and its mean position among those who ranked it, best first."""
    positions: defaultdict[tuple[str, Any], list[int]] = defaultdict(list)
    first: Counter = Counter()
    for _index, order in values:
        if not isinstance(order, list):
            continue
        for position, value in enumerate(order, start=1):
            positions[answer_key(value)].append(position)
        first[answer_key(order[0])] += 1
    shares = [
        replace(s, mean=_mean(positions[answer_key(s.value)]))
        for s in _shares(choice_options(question), first, len(values))
    ]
    return replace(base, shares=sorted(shares, key=lambda s: (s.mean is None, s.mean or 0.0)))


def _number_result(question: Mapping[str, Any], base: QuestionResult, values: Given, k: int) -> QuestionResult:
    """A numeric text question: only the mean, which, unlike the answers themselves, singles out no one."""
    return replace(base, mean=_mean(v for _index, v in values))


def _matrix_result(question: Mapping[str, Any], base: QuestionResult, values: Given, k: int) -> QuestionResult:
    rows, columns = listed_options(question.get("rows")), listed_options(question.get("columns"))
    first = answer_key(columns[0].value) if columns else None
    results = []
    for row in rows:
        given = _within(values, row.value)
        if _respondents(given, base.entries is not None) < k:
            results.append(MatrixRow(str(row.value), row.label, len(given), [], Share("any", "", 0, 0.0), True))
            continue
        counts = Counter(answer_key(v) for _index, v in given)
        hit = sum(n for value, n in counts.items() if value != first)
        results.append(
            MatrixRow(
                value=str(row.value),
                label=row.label,
                answered=len(given),
                shares=_shares(columns, counts, len(given)),
                any=Share("any", row.label, hit, percent_of(hit, len(given))),
            )
        )
    return replace(base, rows=results, columns=[c.label for c in columns])


#: how each type that is counted is counted (compound types are split into parts first, free text is listed)
_COUNTING = {
    **dict.fromkeys(SINGLE_TYPES | MULTIPLE_TYPES | {"imagepicker"}, _choice_result),
    "slider": _slider_result,
    "ranking": _ranking_result,
    "text": _number_result,
    "matrix": _matrix_result,
}


def _text_result(name: str, kind: str, title: str, values: Given, part_of: str | None = None) -> QuestionResult:
    texts = sorted(str(v).strip() for _index, v in values if isinstance(v, str | int | float) and str(v).strip())
    return QuestionResult(name, kind, title, len(texts), texts=texts, free_text=True, part_of=part_of)


@dataclass(frozen=True)
class _Part:
    question: Mapping[str, Any]
    name: str
    title: str
    values: Given
    #: several answers per respondent (rows of a matrixdynamic, panels of a paneldynamic)
    entries: bool = False


def _joined(*titles: str) -> str:
    """A part's title: "<question> \u2013 <row> \u2013 <column>"."""
    return " \u2013 ".join(titles)


def _label(element: Mapping[str, Any]) -> str:
    return localized(element.get("title"), str(element.get("name", "")))


def _parts(question: Mapping[str, Any], name: str, title: str, values: Given) -> list[_Part] | None:
    """The parts of a compound question, each aggregated as a question of its own; None for other questions."""
    kind = question.get("type")
    if kind == "matrixdropdown":
        return [
            _Part(
                cell_question(question, column),
                f"{name}.{row.value}.{column['name']}",
                _joined(title, row.label, _label(column)),
                _within(_within(values, row.value), column["name"]),
            )
            for row in listed_options(question.get("rows"))
            for column in matrix_columns(question)
        ]
    if kind == "matrixdynamic":
        rows = _entries(values)
        return [
            _Part(
                cell_question(question, column),
                f"{name}.{column['name']}",
                _joined(title, _label(column)),
                _within(rows, column["name"]),
                entries=True,
            )
            for column in matrix_columns(question)
        ]
    if kind == "multipletext":
        items = [item for item in question.get("items") or [] if isinstance(item, Mapping) and item.get("name")]
        return [
            _Part(
                {**item, "type": "text"},
                f"{name}.{item['name']}",
                _joined(title, _label(item)),
                _within(values, item["name"]),
            )
            for item in items
        ]
    if kind == "paneldynamic":
        panels = _entries(values)
        return [
            _Part(inner, f"{name}.{key}", _joined(title, _label(inner)), _within(panels, key), entries=True)
            for inner in _unique(template_questions(question))
            for key in [answer_key_of(inner)]
        ]
    if is_range(question):
        single = {**question, "sliderType": "single"}
        ends = ((0, "min", _("ondergrens")), (1, "max", _("bovengrens")))
        return [
            _Part(single, f"{name}.{end}", _joined(title, label), _within(values, index)) for index, end, label in ends
        ]
    return None


def _unique(questions: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The questions with a name, the first of those sharing an answer key (valueName)."""
    seen, unique = set(), []
    for question in questions:
        if question.get("name") in (None, "") or answer_key_of(question) in seen:
            continue
        seen.add(answer_key_of(question))
        unique.append(question)
    return unique


def _question_results(
    question: Mapping[str, Any],
    name: str,
    title: str,
    values: Given,
    k: int,
    include_text: bool,
    *,
    part_of: str | None = None,
    entries: bool = False,
) -> list[QuestionResult]:
    """A question's results: one, or one per part of a compound question; none for free text without
    `include_text`, nor for display-only types. Held back when fewer than k respondents answered it."""
    parts = _parts(question, name, title, values)
    if parts is not None:
        return [
            result
            for part in parts
            for result in _question_results(
                part.question,
                part.name,
                part.title,
                part.values,
                k,
                include_text,
                part_of=part_of or name,
                entries=entries or part.entries,
            )
        ]
    kind = question.get("type")
    if kind in FREE_TEXT_TYPES and not is_numeric(question):
        return [_text_result(name, kind, title, values, part_of)] if include_text else []
    count = _COUNTING.get(kind)
    if count is None:
        return []
    base = QuestionResult(
        name,
        kind,
        title,
        _respondents(values, entries),
        multiple=is_multiple(question),
        part_of=part_of,
        entries=len(values) if entries else None,
        signature=_signature(question),
    )
    if base.answered < k:
        return [replace(base, suppressed=True)]
    return [count(question, base, values, k)]


def _victims(question: Mapping[str, Any] | None, answers: Iterable[Mapping[str, Any]]) -> tuple[int, int]:
    """(respondents who answered the victimisation matrix, those with at least one incident)."""
    if question is None:
        return 0, 0
    columns = listed_options(question.get("columns"))
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
    labels = {answer_key(o.value): o.label for o in choice_options(sector_question)}
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
                victims=percent_of(hit, answered) if answered else None,
            )
        )
    return rows


def released_responses(survey: Survey, shown: Released, *columns):
    # ordered by the random id: in no relation to the order of answering
    return (
        select(*columns)
        .where(SurveyResponse.survey_id == survey.id, SurveyResponse.period <= shown.period)
        .order_by(SurveyResponse.id)
    )


def response_answers(survey: Survey, shown: Released | None = None) -> list[dict[str, Any]]:
    """The released answers of `survey` (see `released`), in no particular order."""
    shown = shown or released(survey)
    return list(db.session.scalars(released_responses(survey, shown, SurveyResponse.answers)))


def aggregate(
    survey: Survey,
    *,
    include_text: bool,
    compare: bool = True,
) -> Results:
    """The survey's results as plain data: per question the counts and percentages of those who answered it
    (checkbox, tagbox and multiple imagepicker questions add up to more than 100), means of ratings, sliders and
    numeric text questions (a slider's distribution in at most SLIDER_BARS ranges, a range slider per end), per
    ranking choice its mean position and how often it came first, per matrix row the distribution and the share
    answering anything but the first column; a matrixdropdown per cell, a matrixdynamic per column over all its
    rows, a multipletext per item and a paneldynamic per template question over all its panels, each part as a
    question of its own. Key figures per sector, and the change since the survey of the park's previous cycle.
    Groups smaller than k respondents are held back; free text only with `include_text` (the caller decides with
    `can(user, "surveys.raw", park)`)."""
    k = min_group()
    shown = released(survey)
    if shown.count < k:
        # none released: the answers there are fewer than k, all held back
        return Results(survey.id, shown.held_back, k, suppressed=True, include_text=include_text)
    answers = response_answers(survey, shown)
    definition = _unique(definition_questions(survey.definition))
    results = []
    for question in definition:
        name = answer_key_of(question)
        title = localized(question.get("title"), question["name"])
        results.extend(_question_results(question, name, title, _given(answers, name), k, include_text))
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
        victims_any=Share("any", "", hit, percent_of(hit, answered)) if answered >= k else None,
    )
    if not compare:
        return current
    previous = previous_survey(survey)
    if previous is None:
        return current
    return _compared(current, aggregate(previous, include_text=False, compare=False), survey, previous)


def _other_remarks(definition: list[Mapping[str, Any]], answers: list[Mapping[str, Any]]) -> list[QuestionResult]:
    """The texts typed beside "other" ("<key>-Comment" in SurveyJS), as free-text results."""
    results = []
    for question in definition:
        if question.get("type") in FREE_TEXT_TYPES:
            continue
        key = f"{answer_key_of(question)}-Comment"
        texts = _given(answers, key)
        if any(isinstance(t, str) and t.strip() for _index, t in texts):
            title = _(
                "%(question)s: toelichting bij “anders”", question=localized(question.get("title"), question["name"])
            )
            results.append(_text_result(key, "comment", title, texts))
    return results


# The previous cycle: one comparison, shown as the change beside each figure and as both cycles side by side


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


@dataclass(frozen=True)
class ComparedRow:
    """One answer option (or matrix row) with its percentage then and now; None where that side has no figure."""

    label: str
    previous: float | None
    current: float | None
    #: fewer than k answered it on either side: no figures
    suppressed: bool = False

    @property
    def change(self) -> float | None:
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous

    @property
    def previous_text(self) -> str:
        return number(self.previous)

    @property
    def current_text(self) -> str:
        return number(self.current)

    @property
    def change_text(self) -> str:
        return change_text(self.change)


@dataclass(frozen=True)
class ComparedQuestion:
    name: str
    title: str
    #: respondents who answered it then and now
    previous_answered: int
    current_answered: int
    #: held back on at least one side: no figures are shown
    suppressed: bool = False
    #: a matrix compares the share answering anything but the first column, per row
    matrix: bool = False
    #: a ranking compares how often each choice came first
    ranking: bool = False
    rows: list[ComparedRow] = field(default_factory=list)
    previous_mean: float | None = None
    current_mean: float | None = None

    @property
    def slug(self) -> str:
        return slug(self.name)

    @property
    def previous_mean_text(self) -> str:
        return number(self.previous_mean)

    @property
    def current_mean_text(self) -> str:
        return number(self.current_mean)


@dataclass(frozen=True)
class Comparison:
    previous_id: int
    previous_title: str
    previous_cycle: int
    current_cycle: int
    previous_responses: int
    current_responses: int
    k: int
    #: either survey has fewer than k responses: nothing is compared
    suppressed: bool
    questions: list[ComparedQuestion] = field(default_factory=list)


def _comparable(now: Results, before: Results) -> dict[str, QuestionResult]:
    """Per closed question of `now` the same question (same key, type and options) in `before`: what both
    compare."""
    earlier = {q.name: q for q in before.questions}
    return {
        q.name: earlier[q.name]
        for q in now.questions
        if not q.free_text
        and q.name in earlier
        and (earlier[q.name].type, earlier[q.name].signature) == (q.type, q.signature)
    }


def _with_changes(shares: list[Share], before: list[Share]) -> list[Share]:
    earlier = {answer_key(s.value): s.percent for s in before}
    return [
        replace(s, change=s.percent - earlier[answer_key(s.value)] if answer_key(s.value) in earlier else None)
        for s in shares
    ]


def _with_change(now: QuestionResult, before: QuestionResult) -> QuestionResult:
    if now.suppressed or before.suppressed:
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


def _share_rows(now: list[Share], before: list[Share]) -> list[ComparedRow]:
    earlier = {answer_key(s.value): s for s in before}
    rows = [
        ComparedRow(
            s.label, earlier[answer_key(s.value)].percent if answer_key(s.value) in earlier else None, s.percent
        )
        for s in now
    ]
    known = {answer_key(s.value) for s in now}
    rows.extend(ComparedRow(s.label, s.percent, None) for s in before if answer_key(s.value) not in known)
    return rows


def _matrix_rows(now: QuestionResult, before: QuestionResult) -> list[ComparedRow]:
    """Per row of the current matrix the share answering anything but the first column, then and now; a row held
    back on either side (fewer than k answered it) is held back, as on the results page."""
    earlier = {r.value: r for r in before.rows}
    rows = []
    for row in now.rows:
        old = earlier.get(row.value)
        if row.suppressed or (old is not None and old.suppressed):
            rows.append(ComparedRow(row.label, None, None, suppressed=True))
            continue
        rows.append(ComparedRow(row.label, old.any.percent if old is not None else None, row.any.percent))
    return rows


def _question(now: QuestionResult, before: QuestionResult) -> ComparedQuestion:
    base = ComparedQuestion(now.name, now.title, before.answered, now.answered, matrix=now.matrix, ranking=now.ranking)
    if now.suppressed or before.suppressed:
        return replace(base, suppressed=True)
    rows = _matrix_rows(now, before) if now.matrix else _share_rows(now.shares, before.shares)
    return replace(base, rows=rows, previous_mean=before.mean, current_mean=now.mean)


def _side_by_side(now: Results, before: Results, current: Survey, previous: Survey) -> Comparison:
    comparison = Comparison(
        previous_id=previous.id,
        previous_title=previous.title,
        previous_cycle=previous.cycle.number,
        current_cycle=current.cycle.number,
        previous_responses=before.responses,
        current_responses=now.responses,
        k=now.k,
        suppressed=now.suppressed or before.suppressed,
    )
    if comparison.suppressed:
        return comparison
    pairs = _comparable(now, before)
    return replace(comparison, questions=[_question(q, pairs[q.name]) for q in now.questions if q.name in pairs])


def _compared(current: Results, before: Results, survey: Survey, previous: Survey) -> Results:
    info = PreviousSurvey(previous.id, previous.title, previous.cycle.number, before.responses)
    comparison = _side_by_side(current, before, survey, previous)
    if before.suppressed:
        # too few answers then to show, so too few to compare with
        return replace(current, previous=info, comparison=comparison)
    pairs = _comparable(current, before)
    victims_any = current.victims_any
    if victims_any is not None and before.victims_any is not None:
        victims_any = replace(victims_any, change=victims_any.percent - before.victims_any.percent)
    return replace(
        current,
        questions=[_with_change(q, pairs[q.name]) if q.name in pairs else q for q in current.questions],
        previous=info,
        victims_any=victims_any,
        comparison=comparison,
    )


def compare(current: Survey, previous: Survey) -> Comparison:
    """Both surveys' k-anonymous results per closed question that both asked (same key, type and options), in the
    order of the current questionnaire. Free-text questions are never compared. When either survey has fewer than k
    responses, `suppressed` is set and no question is compared."""
    now = aggregate(current, include_text=False, compare=False)
    return _side_by_side(now, aggregate(previous, include_text=False, compare=False), current, previous)


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
