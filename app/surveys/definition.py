"""SurveyJS questionnaire definitions: the default questionnaire, checking a definition, and checking answers.

Only a subset of SurveyJS is supported (SUPPORTED_TYPES, in pages and panels), so that the server can check
every submission against the definition it was made with: answers are stored as they are checked here.
"""

from __future__ import annotations

import copy
import json
import math
import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _

from app.errors import DomainError
from app.surveys.conditions import ConditionPlan, describe

SUPPORTED_TYPES = frozenset({"radiogroup", "checkbox", "dropdown", "rating", "boolean", "comment", "text", "matrix"})
CHOICE_TYPES = frozenset({"radiogroup", "checkbox", "dropdown"})
TEXT_TYPES = frozenset({"comment", "text"})
PANEL = "panel"

DEFAULT_PATH = Path(__file__).parent / "definitions" / "default.json"

#: the longest definition accepted, in characters (the default is about 30 000)
MAX_DEFINITION_CHARS = 200_000
#: the longest free-text answer, in characters
MAX_TEXT = 5000
#: how many values a rating scale may have
MAX_RATING_VALUES = 100
#: how deep panels may be nested in a page
MAX_PANEL_DEPTH = 5
NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
#: SurveyJS keeps the text typed for "other" (and a question's comment) beside the answer, under "<name>-Comment"
COMMENT_SUFFIX = "-Comment"
OTHER = "other"
NONE = "none"
#: text-question input types whose answer SurveyJS stores as a number
NUMERIC_INPUT_TYPES = frozenset({"number", "range"})
INPUT_TYPES = frozenset(
    {"text", "number", "range", "email", "tel", "url", "date", "datetime-local", "month", "week", "time", "color"}
)
#: properties that hold a text a respondent reads: a plain string or {"default": ..., "en": ...}
LOCALISABLE = (
    "title",
    "description",
    "text",
    "otherText",
    "noneText",
    "labelTrue",
    "labelFalse",
    "minRateDescription",
    "maxRateDescription",
    "placeholder",
    "commentText",
    "requiredErrorText",
)
#: survey properties that would show the advisor's HTML to respondents or send them elsewhere
FORBIDDEN_SURVEY_KEYS = (
    "completedHtml",
    "completedHtmlOnCondition",
    "completedBeforeHtml",
    "loadingHtml",
    "navigateToUrl",
    "navigateToUrlOnCondition",
)
#: question properties that take choices from elsewhere, which the server cannot check
FORBIDDEN_QUESTION_KEYS = ("choicesByUrl", "choicesFromQuestion")
CONDITIONS = ("visibleIf", "enableIf", "requiredIf")
FLAGS = ("isRequired", "hasOther", "showOtherItem", "hasNone", "showNoneItem", "hasComment", "showCommentArea")


# The default questionnaire -------------------------------------------------------------------------------


@cache
def _default_text() -> str:
    return DEFAULT_PATH.read_text(encoding="utf-8")


def load_default() -> dict[str, Any]:
    """A fresh copy of the default questionnaire (domain.md (c)), checked like any other definition."""
    return validate_definition(json.loads(_default_text()))


# Walking a definition ------------------------------------------------------------------------------------


def _walk(elements: list[dict[str, Any]], conditional: bool) -> Iterator[tuple[dict[str, Any], bool]]:
    for element in elements:
        if element.get("type") == PANEL:
            yield from _walk(element.get("elements") or [], conditional or bool(element.get("visibleIf")))
        else:
            yield element, conditional or bool(element.get("visibleIf"))


def _questions_with_condition(definition: dict[str, Any]) -> Iterator[tuple[dict[str, Any], bool]]:
    """Every question with whether it may be hidden (by its own visibleIf or a panel's or page's)."""
    for page in definition.get("pages") or []:
        yield from _walk(page.get("elements") or [], bool(page.get("visibleIf")))


def questions(definition: dict[str, Any]) -> list[dict[str, Any]]:
    """The questions of a (checked) definition in order, pages and panels flattened away."""
    return [question for question, _conditional in _questions_with_condition(definition)]


def localised(value: Any, locale: str = "nl") -> str:
    """A SurveyJS text in `locale`: a plain string, or a {"default": ..., "en": ...} dict ("default" is Dutch)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in (locale, "default"):
            if isinstance(value.get(key), str) and value[key]:
                return value[key]
        return next((text for text in value.values() if isinstance(text, str) and text), "")
    return ""


def overview(definition: dict[str, Any], locale: str = "nl") -> list[dict[str, Any]]:
    """One row per question for a readable list: section (page title), name, type, title, required, conditional."""
    rows = []
    for page in definition.get("pages") or []:
        section = localised(page.get("title"), locale) or page.get("name") or ""
        for question, conditional in _walk(page.get("elements") or [], bool(page.get("visibleIf"))):
            rows.append(
                {
                    "section": section,
                    "name": question["name"],
                    "type": question["type"],
                    "title": localised(question.get("title"), locale) or question["name"],
                    "required": bool(question.get("isRequired")),
                    "conditional": conditional,
                }
            )
    return rows


# Checking a definition -----------------------------------------------------------------------------------


def _reject_constant(constant: str) -> Any:
    raise ValueError(constant)


def _parse(raw: str) -> Any:
    if len(raw) > MAX_DEFINITION_CHARS:
        raise DomainError(_("De vragenlijst is te groot (hoogstens %(n)s tekens).", n=MAX_DEFINITION_CHARS))
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise DomainError(
            _(
                "De vragenlijst is geen geldige JSON: fout op regel %(line)s, kolom %(column)s.",
                line=error.lineno,
                column=error.colno,
            )
        ) from None
    except (ValueError, RecursionError):
        raise DomainError(_("De vragenlijst is geen geldige JSON.")) from None


def _is_value(value: Any) -> bool:
    """A choice, row, column or scale value: a non-empty string or a whole number."""
    return (isinstance(value, str) and value.strip() != "") or (isinstance(value, int) and not isinstance(value, bool))


def _check_text(owner: str, key: str, value: Any) -> None:
    valid = isinstance(value, str) or (
        isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    )
    if not valid:
        raise DomainError(
            _(
                'Ongeldige tekst bij "%(key)s" van %(owner)s: gebruik een tekst of {"default": "…", "en": "…"}.',
                key=key,
                owner=owner,
            )
        )


def _check_texts(owner: str, element: dict[str, Any]) -> None:
    for key in LOCALISABLE:
        if key in element:
            _check_text(owner, key, element[key])


def _question_label(name: str) -> str:
    return _('de vraag "%(name)s"', name=name)


def _options(question: dict[str, Any], key: str, name: str) -> list[Any]:
    """The values of a list of choices, rows, columns or scale values: plain values or {"value", "text"}."""
    items = question.get(key)
    if not isinstance(items, list) or not items:
        raise DomainError(
            _('De vraag "%(name)s" heeft geen "%(key)s": geef een lijst met waarden.', name=name, key=key)
        )
    values = []
    seen = set()
    for item in items:
        if isinstance(item, dict):
            value = item.get("value")
            if "text" in item:
                _check_text(_question_label(name), "text", item["text"])
            for condition in CONDITIONS:
                if condition in item and not isinstance(item[condition], str):
                    raise DomainError(_('De vraag "%(name)s" heeft een ongeldige voorwaarde.', name=name))
        else:
            value = item
        if not _is_value(value):
            raise DomainError(
                _(
                    'De vraag "%(name)s" heeft een ongeldige waarde in "%(key)s": gebruik een tekst, een heel getal '
                    'of {"value": …, "text": …}.',
                    name=name,
                    key=key,
                )
            )
        # matrix rows become object keys in the answer, so 1 and "1" would be the same row
        marker = str(value) if key == "rows" else _value_key(value)
        if marker in seen:
            raise DomainError(
                _('De vraag "%(name)s" heeft de waarde "%(value)s" meer dan eens.', name=name, value=value)
            )
        seen.add(marker)
        values.append(value)
    return values


def _check_choice_question(question: dict[str, Any], name: str) -> None:
    values = _options(question, "choices", name)
    extra = []
    if _has_other(question):
        extra.append(OTHER)
    if _has_none(question):
        extra.append(NONE)
    for value in extra:
        if value in values:
            raise DomainError(
                _('De vraag "%(name)s" heeft de waarde "%(value)s" meer dan eens.', name=name, value=value)
            )


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _rating_scale(question: dict[str, Any]) -> tuple[int, int, int]:
    return question.get("rateMin", 1), question.get("rateMax", 5), question.get("rateStep", 1)


def _check_rating(question: dict[str, Any], name: str) -> None:
    if "rateValues" in question:
        count = len(_options(question, "rateValues", name))
    else:
        low, high, step = _rating_scale(question)
        if not (_whole(low) and _whole(high) and _whole(step) and low < high and step >= 1):
            count = 0
        else:
            count = (high - low) // step + 1
        if not 2 <= count <= MAX_RATING_VALUES:
            raise DomainError(
                _(
                    'De beoordelingsvraag "%(name)s" heeft een ongeldige schaal: rateMin en rateMax zijn hele '
                    "getallen, rateMin is kleiner dan rateMax, en de schaal heeft hoogstens %(n)s waarden.",
                    name=name,
                    n=MAX_RATING_VALUES,
                )
            )
    if "rateCount" in question and question["rateCount"] != count:
        raise DomainError(_('De beoordelingsvraag "%(name)s": "rateCount" past niet bij de schaal.', name=name))


def _check_boolean(question: dict[str, Any], name: str) -> None:
    values = [question[key] for key in ("valueTrue", "valueFalse") if key in question]
    if values and (len(values) != 2 or not all(_is_value(v) for v in values) or values[0] == values[1]):
        raise DomainError(
            _(
                'De ja/nee-vraag "%(name)s" heeft ongeldige waarden voor ja en nee ("valueTrue", "valueFalse").',
                name=name,
            )
        )


def _check_text_question(question: dict[str, Any], name: str) -> None:
    input_type = question.get("inputType", "text")
    if question["type"] == "text" and input_type not in INPUT_TYPES:
        raise DomainError(_('De vraag "%(name)s" heeft een onbekend "inputType".', name=name))
    limit = question.get("maxLength")
    if limit is not None and not (_whole(limit) and limit >= 0):
        raise DomainError(_('De vraag "%(name)s" heeft een ongeldige "maxLength".', name=name))


def _check_question(question: dict[str, Any], position: str, names: set[str]) -> None:
    name = question.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        raise DomainError(
            _(
                'Vraag %(position)s heeft geen geldige naam ("name"): gebruik hoogstens 64 letters, cijfers en '
                "liggende streepjes, te beginnen met een letter.",
                position=position,
            )
        )
    if name in names:
        raise DomainError(_('De naam "%(name)s" komt meer dan eens voor: elke vraag heeft een eigen naam.', name=name))
    names.add(name)
    kind = question.get("type")
    if kind not in SUPPORTED_TYPES:
        raise DomainError(
            _(
                'De vraag "%(name)s" heeft een type dat niet wordt ondersteund ("%(type)s"). Mogelijk zijn: %(types)s.',
                name=name,
                type=kind if isinstance(kind, str) else "",
                types=", ".join(sorted(SUPPORTED_TYPES)),
            )
        )
    _check_texts(_question_label(name), question)
    for key in CONDITIONS:
        if key in question and not isinstance(question[key], str):
            raise DomainError(
                _('De voorwaarde "%(key)s" van de vraag "%(name)s" moet een tekst zijn.', key=key, name=name)
            )
    for key in FLAGS:
        if key in question and not isinstance(question[key], bool):
            raise DomainError(_('"%(key)s" van de vraag "%(name)s" moet true of false zijn.', key=key, name=name))
    for key in FORBIDDEN_QUESTION_KEYS:
        if key in question:
            raise DomainError(
                _('De vraag "%(name)s" gebruikt "%(key)s"; zet de keuzes in de vraag zelf.', name=name, key=key)
            )
    if kind in CHOICE_TYPES:
        _check_choice_question(question, name)
    elif kind == "matrix":
        _options(question, "rows", name)
        _options(question, "columns", name)
    elif kind == "rating":
        _check_rating(question, name)
    elif kind == "boolean":
        _check_boolean(question, name)
    else:
        _check_text_question(question, name)


def _check_elements(container: dict[str, Any], where: str, names: set[str], depth: int) -> None:
    elements = container.get("elements")
    if not isinstance(elements, list) or not elements:
        raise DomainError(_('%(where)s heeft geen vragen: geef een lijst "elements".', where=where))
    for index, element in enumerate(elements, start=1):
        position = f"{where.lower()}, element {index}"
        if not isinstance(element, dict):
            raise DomainError(_("Element %(n)s van %(where)s is geen JSON-object.", n=index, where=where.lower()))
        if element.get("type") == PANEL:
            if depth >= MAX_PANEL_DEPTH:
                raise DomainError(_("Panelen zijn te diep genest (hoogstens %(n)s lagen).", n=MAX_PANEL_DEPTH))
            panel_name = element.get("name")
            label = _('paneel "%(name)s"', name=panel_name) if isinstance(panel_name, str) else position
            _check_texts(label, element)
            if "visibleIf" in element and not isinstance(element["visibleIf"], str):
                raise DomainError(_("De voorwaarde van %(where)s moet een tekst zijn.", where=label))
            _check_elements(element, _("Paneel %(position)s", position=position), names, depth + 1)
        else:
            _check_question(element, position, names)


def validate_definition(raw: str | dict[str, Any]) -> dict[str, Any]:
    """Check a SurveyJS definition (JSON text or parsed) and return it as a new dict.

    Requires a non-empty list of pages, each with elements; questions (in pages or panels) have a unique name
    of letters, digits and underscores and one of SUPPORTED_TYPES; choice questions have distinct choices, a
    matrix rows and columns, a rating a sane scale. Raises DomainError with a Dutch message naming the problem.
    """
    definition = _parse(raw) if isinstance(raw, str) else copy.deepcopy(raw)
    if not isinstance(definition, dict):
        raise DomainError(_('De vragenlijst moet een JSON-object zijn, met de pagina\'s onder "pages".'))
    for key in FORBIDDEN_SURVEY_KEYS:
        if key in definition:
            raise DomainError(_('"%(key)s" is in een vragenlijst niet toegestaan (HTML of doorverwijzing).', key=key))
    _check_texts(_("de vragenlijst"), definition)
    if "locale" in definition and not isinstance(definition["locale"], str):
        raise DomainError(_('"locale" van de vragenlijst moet een taalcode zijn, zoals "nl".'))
    pages = definition.get("pages")
    if not isinstance(pages, list) or not pages:
        raise DomainError(_('De vragenlijst heeft geen pagina\'s: zet de vragen in een lijst "pages".'))
    names: set[str] = set()
    for number, page in enumerate(pages, start=1):
        where = _("Pagina %(n)s", n=number)
        if not isinstance(page, dict):
            raise DomainError(_("%(where)s is geen JSON-object.", where=where))
        _check_texts(where.lower(), page)
        if "visibleIf" in page and not isinstance(page["visibleIf"], str):
            raise DomainError(_("De voorwaarde van %(where)s moet een tekst zijn.", where=where.lower()))
        _check_elements(page, where, names, depth=0)
    return definition


# Checking answers ----------------------------------------------------------------------------------------


def _value_key(value: Any) -> tuple[str, Any] | None:
    """A comparable key that keeps types apart (True is not 1, "1" is not 1); None for what no choice can be."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return ("number", value)
    if isinstance(value, str):
        return ("text", value)
    return None


def _item_values(items: list[Any]) -> list[Any]:
    return [item.get("value") if isinstance(item, dict) else item for item in items]


def _has_other(question: dict[str, Any]) -> bool:
    return bool(question.get("hasOther") or question.get("showOtherItem"))


def _has_none(question: dict[str, Any]) -> bool:
    return bool(question.get("hasNone") or question.get("showNoneItem"))


def _has_comment(question: dict[str, Any]) -> bool:
    return _has_other(question) or bool(question.get("hasComment") or question.get("showCommentArea"))


def _allowed(values: list[Any]) -> dict[tuple[str, Any], Any]:
    return {key: value for value in values if (key := _value_key(value)) is not None}


def _choice_values(question: dict[str, Any]) -> list[Any]:
    values = _item_values(question["choices"])
    if _has_other(question):
        values.append(OTHER)
    if _has_none(question):
        values.append(NONE)
    return values


def _shown(question: dict[str, Any]) -> str:
    """How a respondent knows a question: its title in their language, never its internal name (safe_day); a
    question without a title is named by its internal name."""
    return localised(question.get("title"), str(get_locale() or "nl")) or str(question.get("name", ""))


def _clean_string(name: str, value: Any, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise DomainError(
            _('Het antwoord op de vraag "%(name)s" moet een tekst van hoogstens %(n)s tekens zijn.', name=name, n=limit)
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise DomainError(_('Het antwoord op de vraag "%(name)s" bevat ongeldige tekens.', name=name)) from None
    # control characters (other than tabs and line breaks) only break exports and reports
    return "".join(c for c in value if c in "\t\n\r" or unicodedata.category(c) != "Cc")


def _not_a_choice(name: str) -> DomainError:
    return DomainError(_('Het antwoord op de vraag "%(name)s" is geen van de keuzes.', name=name))


def _clean_single(question: dict[str, Any], value: Any, allowed: dict[tuple[str, Any], Any]) -> Any:
    key = _value_key(value)
    if key is None or key not in allowed:
        raise _not_a_choice(_shown(question))
    return allowed[key]


def _clean_checkbox(question: dict[str, Any], value: Any, allowed: dict[tuple[str, Any], Any]) -> list[Any]:
    name = _shown(question)
    if not isinstance(value, list):
        raise DomainError(_('Het antwoord op de vraag "%(name)s" moet een lijst van keuzes zijn.', name=name))
    cleaned, seen = [], set()
    for item in value:
        key = _value_key(item)
        if key is None or key not in allowed:
            raise _not_a_choice(name)
        if key in seen:
            raise DomainError(_('Het antwoord op de vraag "%(name)s" noemt een keuze meer dan eens.', name=name))
        seen.add(key)
        cleaned.append(allowed[key])
    if _has_none(question) and ("text", NONE) in seen and len(seen) > 1:
        raise DomainError(_('Bij de vraag "%(name)s" gaat "geen van deze" niet samen met andere keuzes.', name=name))
    return cleaned


def _clean_rating(question: dict[str, Any], value: Any, allowed: dict[tuple[str, Any], Any] | None) -> Any:
    name = _shown(question)
    if allowed is not None:  # the question's own rateValues
        key = _value_key(value)
        if key is None or key not in allowed:
            raise DomainError(_('Het antwoord op de vraag "%(name)s" is geen waarde van de schaal.', name=name))
        return allowed[key]
    low, high, step = _rating_scale(question)
    if not _whole(value) or not low <= value <= high or (value - low) % step:
        raise DomainError(
            _(
                'Het antwoord op de vraag "%(name)s" moet een heel getal van %(low)s tot en met %(high)s zijn.',
                name=name,
                low=low,
                high=high,
            )
        )
    return value


def _clean_boolean(question: dict[str, Any], value: Any, allowed: dict[tuple[str, Any], Any] | None) -> Any:
    if allowed is not None:  # the question's own valueTrue and valueFalse
        key = _value_key(value)
        if key is not None and key in allowed:
            return allowed[key]
    elif isinstance(value, bool):
        return value
    raise DomainError(_('Het antwoord op de vraag "%(name)s" moet ja of nee zijn.', name=_shown(question)))


def _clean_text(question: dict[str, Any], value: Any, _no_choices: None) -> Any:
    name = _shown(question)
    if question["type"] == "text" and question.get("inputType") in NUMERIC_INPUT_TYPES:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise DomainError(_('Het antwoord op de vraag "%(name)s" moet een getal zijn.', name=name))
        return value
    limit = question.get("maxLength") or MAX_TEXT
    return _clean_string(name, value, min(limit, MAX_TEXT))


def _not_a_row_choice(name: str) -> DomainError:
    return DomainError(_('Het antwoord op de vraag "%(name)s" moet per rij een van de kolommen kiezen.', name=name))


def _clean_matrix(question: dict[str, Any], value: Any, choices: tuple[set[str], dict]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _not_a_row_choice(_shown(question))
    rows, columns = choices
    cleaned = {}
    for row, column in value.items():
        key = _value_key(column)
        if row not in rows or key is None or key not in columns:
            raise _not_a_row_choice(_shown(question))
        cleaned[row] = columns[key]
    return cleaned


CLEANERS = {
    "radiogroup": _clean_single,
    "dropdown": _clean_single,
    "checkbox": _clean_checkbox,
    "rating": _clean_rating,
    "boolean": _clean_boolean,
    "comment": _clean_text,
    "text": _clean_text,
    "matrix": _clean_matrix,
}


def _choices_of(question: dict[str, Any]) -> Any:
    """What a question's answer is checked against, worked out once per definition: the allowed values by
    `_value_key`, a matrix's rows and columns, or None (free text, a numeric scale, a plain yes/no)."""
    kind = question["type"]
    if kind in CHOICE_TYPES:
        return _allowed(_choice_values(question))
    if kind == "rating" and "rateValues" in question:
        return _allowed(_item_values(question["rateValues"]))
    if kind == "boolean" and "valueTrue" in question:
        return _allowed([question["valueTrue"], question["valueFalse"]])
    if kind == "matrix":
        return {str(row) for row in _item_values(question["rows"])}, _allowed(_item_values(question["columns"]))
    return None


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


class AnswerRules:
    """What a submission is checked against, worked out once from a checked definition: the questions by name
    with their choices, the comment keys, and the conditions (which questions are shown, required, offer which
    choices). A frozen survey's rules never change, so they can be kept."""

    def __init__(self, definition: dict[str, Any]) -> None:
        self.by_name: dict[str, dict[str, Any]] = {}
        for question in questions(definition):
            self.by_name[question["name"]] = question
        self.conditions = ConditionPlan(definition)
        self.comments = {
            name + COMMENT_SUFFIX: question for name, question in self.by_name.items() if _has_comment(question)
        }
        self.choices = {name: _choices_of(question) for name, question in self.by_name.items()}

    def clean(self, answers: object) -> dict[str, Any]:
        """The cleaned answers; DomainError as `validate_answers`."""
        if not isinstance(answers, dict):
            raise DomainError(_("De antwoorden moeten een JSON-object zijn."))
        cleaned: dict[str, Any] = {}
        for key, value in answers.items():
            if not isinstance(key, str) or (key not in self.by_name and key not in self.comments):
                shown = str(key)[:64]
                raise DomainError(_('De antwoorden noemen een onbekende vraag "%(name)s".', name=shown))
            if _empty(value):
                continue
            if key in self.comments:
                answer = _clean_string(_shown(self.comments[key]), value, MAX_TEXT)
            else:
                question = self.by_name[key]
                answer = CLEANERS[question["type"]](question, value, self.choices[key])
            if not _empty(answer):
                cleaned[key] = answer
        # SurveyJS clears hidden questions' answers on completing and checks what was shown: so does the server
        problems = self.conditions.verdict(cleaned).problems
        if problems:
            raise DomainError(" ".join(dict.fromkeys(describe(kind, _shown(question)) for kind, question in problems)))
        return cleaned


def validate_answers(definition: dict[str, Any], answers: object) -> dict[str, Any]:
    """Check a submission (SurveyJS's `survey.data`) against a checked definition and return the cleaned answers.

    Every key is a question of the definition (or "<name>-Comment" for a question with "other" or a comment);
    each answer fits its question's type and choices. Empty answers are left out. The conditions are evaluated
    as SurveyJS does (app/surveys/conditions.py): a question that was not shown has no answer, one that was
    shown and required (`isRequired`, or `requiredIf` holds) and not read-only has one, a chosen choice was
    offered and enabled, and expression validators hold. Raises DomainError with a Dutch message naming every
    such question.
    """
    return AnswerRules(definition).clean(answers)
