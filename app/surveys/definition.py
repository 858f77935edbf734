"""SurveyJS questionnaire definitions: the default questionnaire, checking a definition, and checking answers.

Every question type of survey-core that collects an answer is accepted (ANSWER_TYPES, in pages, panels and dynamic
panels), as are the display-only types (DISPLAY_TYPES); the server checks every submission against the definition
it was made with, and answers are stored as they are checked here. What the server cannot check (choices fetched
from elsewhere, uploads, HTML that would run script) is refused, every problem of a definition at once.
"""

from __future__ import annotations

import copy
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import regex
from flask_babel import get_locale
from flask_babel import gettext as _

from app.errors import DomainError
from app.surveys.conditions import (
    ConditionPlan,
    answer_key_of,
    cell_question,
    check_expression,
    describe,
    expressions_of,
)
from app.surveys.conditions import (
    matrix_columns as matrix_columns,  # where export, results and sample find it
)
from app.surveys.conditions import named as _named

CHOICE_TYPES = frozenset({"radiogroup", "checkbox", "dropdown", "tagbox", "ranking", "imagepicker"})
TEXT_TYPES = frozenset({"comment", "text"})
MATRIX_TYPES = frozenset({"matrixdropdown", "matrixdynamic"})
#: the types whose answer the server stores (each has a rule in _RULES)
ANSWER_TYPES = CHOICE_TYPES | TEXT_TYPES | MATRIX_TYPES | {"rating", "boolean", "slider", "matrix", "multipletext"}
ANSWER_TYPES |= {"paneldynamic"}
#: shown to the respondent, never answered: an expression's value is worked out in the browser and not trusted
DISPLAY_TYPES = frozenset({"html", "image", "expression"})
SUPPORTED_TYPES = ANSWER_TYPES | DISPLAY_TYPES
#: the cell types of a matrixdropdown or matrixdynamic column
CELL_TYPES = frozenset(
    {"dropdown", "checkbox", "radiogroup", "tagbox", "text", "comment", "boolean", "rating", "expression"}
)
PANEL = "panel"
#: types whose answers have one shape, so that questions of these types may share a valueName
SHARED_SHAPES = {
    "radiogroup": "choice",
    "dropdown": "choice",
    "checkbox": "choices",
    "tagbox": "choices",
    "text": "text",
    "comment": "text",
    "matrixdynamic": "entries",
    "paneldynamic": "entries",
}

DEFAULT_PATH = Path(__file__).parent / "definitions" / "default.json"

#: the longest definition accepted, in characters (the default is about 30 000)
MAX_DEFINITION_CHARS = 200_000
#: the longest free-text answer, in characters
MAX_TEXT = 5000
#: how many values a rating scale may have
MAX_RATING_VALUES = 100
#: SurveyJS shows at most this many smileys
MAX_SMILEYS = 10
#: how deep panels (and dynamic panels) may be nested in a page
MAX_PANEL_DEPTH = 5
#: JavaScript's Number.MAX_SAFE_INTEGER
MAX_SAFE_INTEGER = 2**53 - 1
#: how many steps a slider may have (its answer is checked to lie on one)
MAX_SLIDER_STEPS = 1_000_000
#: the longest question, column or item name
MAX_NAME = 100
#: SurveyJS's own limits when a definition sets none
DEFAULT_MAX_ROWS = 1000
DEFAULT_MAX_PANELS = 100
#: SurveyJS keeps the text typed for "other" (and a question's comment) beside the answer, under "<name>-Comment"
COMMENT_SUFFIX = "-Comment"
OTHER = "other"
NONE = "none"
#: text-question input types whose answer SurveyJS stores as a number
NUMERIC_INPUT_TYPES = frozenset({"number", "range"})
INPUT_TYPES = frozenset(
    {
        "text",
        "number",
        "range",
        "email",
        "tel",
        "url",
        "date",
        "datetime-local",
        "month",
        "week",
        "time",
        "color",
        "password",
    }
)
CHOICES_ORDERS = frozenset({"none", "asc", "desc", "random"})
#: properties that hold a text a respondent reads: a plain string or {"default": ..., "en": ...}
LOCALISABLE = (
    "title",
    "description",
    "text",
    "otherText",
    "noneText",
    "selectAllText",
    "labelTrue",
    "labelFalse",
    "minRateDescription",
    "maxRateDescription",
    "placeholder",
    "commentText",
    "commentPlaceholder",
    "requiredErrorText",
    "templateTitle",
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
#: survey properties that would load the questionnaire from, or send the answers to, SurveyJS's own service
CLOUD_SURVEY_KEYS = ("surveyId", "surveyPostId")
#: survey properties that show an image
SURVEY_IMAGES = ("logo", "backgroundImage")
#: properties that hold a picture's address (a choice's or an image question's, the survey's own)
IMAGE_KEYS = frozenset({"imageLink", *SURVEY_IMAGES})
#: question properties that take choices (or rows, columns) from elsewhere, which the server cannot check
FORBIDDEN_QUESTION_KEYS = (
    "choicesByUrl",
    "choicesFromQuestion",
    "rowsFromQuestion",
    "columnsFromQuestion",
    "detailElements",
)
#: types refused however they are set up, and why
REFUSED_TYPES = ("file", "signaturepad")
#: expressions (conditions and computed values), kept as text: app.surveys.conditions evaluates them
CONDITIONS = (
    "visibleIf",
    "enableIf",
    "requiredIf",
    "choicesVisibleIf",
    "choicesEnableIf",
    "rowsVisibleIf",
    "columnsVisibleIf",
    "defaultValueExpression",
    "setValueIf",
    "setValueExpression",
    "resetValueIf",
    "minValueExpression",
    "maxValueExpression",
    "expression",
)
FLAGS = (
    "isRequired",
    "hasOther",
    "showOtherItem",
    "hasNone",
    "showNoneItem",
    "hasComment",
    "showCommentArea",
    "hasSelectAll",
    "showSelectAllItem",
    "multiSelect",
    "selectToRankEnabled",
    "isAllRowRequired",
    "eachRowRequired",
    "storeOthersAsComment",
    "allowSwap",
)
VALIDATOR_TYPES = ("numeric", "text", "regex", "email", "answercount", "expression")
#: the (whole-number) properties of the types that have them
WHOLE_NUMBERS = ("minSelectedChoices", "maxSelectedChoices", "rowCount", "minRowCount", "maxRowCount")
WHOLE_NUMBERS += ("panelCount", "minPanelCount", "maxPanelCount", "maxLength")
#: elements of an html question that would run script, load another page into this one or send a form elsewhere
UNSAFE_TAGS = frozenset(
    {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "base", "meta", "link", "style"}
) | {"svg", "math", "template"}
#: attributes that hold an address, and the schemes an address there may have (or none: a relative one)
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "background", "poster", "srcset"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
#: the same read without a parser, as a backstop for markup the parser reads otherwise than a browser
UNSAFE_HTML = re.compile(r"<\s*/?\s*(script|iframe|object|embed|form)\b|\son[a-z]+\s*=|(javascript|vbscript)\s*:", re.I)
#: images shown in the survey: from a secure site, or a raster image inside the definition (an SVG may hold script)
SAFE_IMAGE = re.compile(r"^(https://[^\s\"'<>]+|data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+)$")
#: how long a regex validator may take on one answer (the `regex` module stops it; Python's `re` cannot)
REGEX_SECONDS = 0.05
#: a text JavaScript's Number() reads as a decimal number
JS_DECIMAL = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\Z")
#: survey-core's EmailValidator
EMAIL = re.compile(
    r"^(([^<>()\[\]\.,;:\s@\"]+(\.[^<>()\[\]\.,;:\s@\"]+)*)|(\".+\"))@(([^<>()=\[\]\.,;:\s@\"]+\.)+"
    r"[^<>()=\[\]\.,;:\s@\"]{2,})\Z",
    re.IGNORECASE,
)


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
        hidden = conditional or bool(element.get("visibleIf"))
        if element.get("type") == PANEL:
            yield from _walk(element.get("elements") or [], hidden)
        elif element.get("type") not in DISPLAY_TYPES:
            yield element, hidden


def _questions_with_condition(definition: dict[str, Any]) -> Iterator[tuple[dict[str, Any], bool]]:
    """Every question with whether it may be hidden (by its own visibleIf or a panel's or page's)."""
    for page in definition.get("pages") or []:
        yield from _walk(page.get("elements") or [], bool(page.get("visibleIf")))


def questions(definition: dict[str, Any]) -> list[dict[str, Any]]:
    """The questions that carry an answer, of a (checked) definition in order, pages and panels flattened away
    (a dynamic panel is one question; its own questions are in its "templateElements")."""
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


class _Problems:
    """The problems found in a definition, each prefixed with the page it is on."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self.page = ""
        #: the calculated values' names, which a condition may not use: the server does not work them out
        self.calculated: frozenset[str] = frozenset()

    def add(self, message: str) -> None:
        message = _sentence(message)
        self.found.append(_("%(page)s: %(problem)s", page=self.page, problem=message) if self.page else message)


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


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: Any) -> bool:
    """A number JavaScript can hold: a finite float, or a whole number no larger than its exact integers (a larger
    one, which Python's JSON parser accepts, would not even convert to a float)."""
    if isinstance(value, float):
        return math.isfinite(value)
    return _whole(value) and abs(value) <= MAX_SAFE_INTEGER


def _one_of(value: Any, names: frozenset[str] | set[str]) -> bool:
    """Whether a property is one of the names it may be (a list or object in its place is not)."""
    return isinstance(value, str) and value in names


def _is_text(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    )


def _texts_of(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value.values())


def _check_texts(owner: str, element: dict[str, Any], problems: _Problems) -> None:
    for key in LOCALISABLE:
        if key in element and not _is_text(element[key]):
            problems.add(
                _(
                    'Ongeldige tekst bij "%(key)s" van %(owner)s: gebruik een tekst of {"default": "…", "en": "…"}.',
                    key=key,
                    owner=owner,
                )
            )


def _check_conditions(owner: str, element: dict[str, Any], problems: _Problems) -> None:
    """Conditions and expressions are kept as text; those the server evaluates (app.surveys.conditions) must be
    ones it can evaluate as SurveyJS does."""
    for key in CONDITIONS:
        if key in element and not isinstance(element[key], str):
            problems.add(_('De voorwaarde "%(key)s" van %(owner)s moet een tekst zijn.', key=key, owner=owner))
    for key, text in expressions_of(element):
        # a choice's own conditions are checked with the choice
        if isinstance(text, str) and not key.startswith("choices["):
            for problem in check_expression(text, problems.calculated):
                problems.add(_('"%(key)s" van %(owner)s: %(problem)s', key=key, owner=owner, problem=problem))


def _question_label(name: Any) -> str:
    return _('de vraag "%(name)s"', name=name)


def _item_values(items: list[Any]) -> list[Any]:
    return [item.get("value") if isinstance(item, dict) else item for item in items]


def _options(question: dict[str, Any], key: str, label: str, problems: _Problems) -> list[Any] | None:
    """The values of a list of choices, rows, columns or scale values (plain values or {"value", "text"}), or None
    (the problems reported) when the list is missing or wrong."""
    items = question.get(key)
    if not isinstance(items, list) or not items:
        problems.add(_('%(owner)s heeft geen "%(key)s": geef een lijst met waarden.', owner=label, key=key))
        return None
    values, seen, ok = [], set(), True
    for item in items:
        if isinstance(item, dict):
            value = item.get("value")
            if "text" in item and not _is_text(item["text"]):
                ok = False
                problems.add(
                    _(
                        'Ongeldige tekst bij "%(key)s" van %(owner)s: gebruik een tekst of '
                        '{"default": "…", "en": "…"}.',
                        key=key,
                        owner=label,
                    )
                )
            _check_conditions(label, item, problems)
            if "imageLink" in item and not _safe_image(item["imageLink"]):
                ok = False
                problems.add(_unsafe_image(label, "imageLink"))
        else:
            value = item
        if not _is_value(value):
            problems.add(
                _(
                    '%(owner)s heeft een ongeldige waarde in "%(key)s": gebruik een tekst, een heel getal '
                    'of {"value": …, "text": …}.',
                    owner=label,
                    key=key,
                )
            )
            ok = False
            continue
        # rows and columns become object keys in the answer, so 1 and "1" would be the same row
        marker = str(value) if key in ("rows", "columns") else _value_key(value)
        if marker in seen:
            problems.add(_('%(owner)s heeft de waarde "%(value)s" meer dan eens.', owner=label, value=value))
            ok = False
        seen.add(marker)
        values.append(value)
    return values if ok else None


def _safe_image(link: Any) -> bool:
    return _is_text(link) and all(SAFE_IMAGE.match(text) for text in _texts_of(link))


def image_origins(node: Any) -> list[str]:
    """The sites a (checked) definition shows pictures from ("https://example.org"), for the respondent page's CSP:
    a respondent's browser fetches them from there. Embedded (data:) pictures need none."""
    origins: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in IMAGE_KEYS and _is_text(value):
                origins.update(
                    f"https://{urlsplit(text).netloc}" for text in _texts_of(value) if text.startswith("https://")
                )
            else:
                origins.update(image_origins(value))
    elif isinstance(node, list):
        for item in node:
            origins.update(image_origins(item))
    return sorted(origins)


def _unsafe_image(label: str, key: str) -> str:
    return _(
        '"%(key)s" van %(owner)s moet een https-adres of een ingebouwde afbeelding (png, jpeg, gif, webp) zijn.',
        key=key,
        owner=label,
    )


def _check_choices(question: dict[str, Any], label: str, problems: _Problems) -> None:
    values = _options(question, "choices", label, problems)
    if values is None:
        return
    extra = [OTHER] * _has_other(question) + [NONE] * _has_none(question)
    for value in extra:
        if value in values:
            problems.add(_('%(owner)s heeft de waarde "%(value)s" meer dan eens.', owner=label, value=value))
    if not _one_of(question.get("choicesOrder", "none"), CHOICES_ORDERS):
        problems.add(_bad_property(label, "choicesOrder"))
    if question.get("storeOthersAsComment") is False:
        problems.add(
            _(
                '%(owner)s zet "storeOthersAsComment" uit: dan is "anders" niet van een keuze te onderscheiden.',
                owner=label,
            )
        )
    low, high = question.get("minSelectedChoices", 0), question.get("maxSelectedChoices", 0)
    if _whole(low) and _whole(high) and high and low > high:
        problems.add(_bad_property(label, "minSelectedChoices"))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _bad_property(label: str, key: str) -> str:
    return _('%(owner)s heeft een ongeldige "%(key)s".', owner=label, key=key)


def _uses_rate_values(question: dict[str, Any]) -> bool:
    """survey-core shows a rating's own rateValues unless autoGenerate is set to true."""
    return bool(question.get("rateValues")) and question.get("autoGenerate", False) is not True


def rating_scale(question: dict[str, Any]) -> list[Any] | None:
    """The values a rating shows, as survey-core 2.5 works them out: its own rateValues (unless autoGenerate is
    set), else rateMin to rateMax by rateStep, where a rateCount fixes rateMax (given rateMin only) or rateMin
    (given rateMax only). None when the scale is not made of whole numbers or is too long to work out."""
    if _uses_rate_values(question):
        return _item_values(question["rateValues"])
    low, high, step = question.get("rateMin", 1), question.get("rateMax", 5), question.get("rateStep", 1)
    count = question.get("rateCount")
    if _whole(count) and _whole(step):
        if "rateMin" in question and "rateMax" not in question and _whole(low):
            high = low + step * (count - 1)
        elif "rateMax" in question and "rateMin" not in question and _whole(high):
            low = high - step * (count - 1)
    if not (_whole(low) and _whole(high) and _whole(step) and low < high and step >= 1):
        return None
    if (high - low) // step >= MAX_RATING_VALUES:
        return None  # refused by _check_rating; not worked out, as a huge scale would take the memory
    return list(range(low, high + 1, step))


def _check_rating(question: dict[str, Any], label: str, problems: _Problems) -> None:
    if _uses_rate_values(question) and _options(question, "rateValues", label, problems) is None:
        return
    scale = rating_scale(question)
    if scale is None or not 2 <= len(scale) <= MAX_RATING_VALUES:
        problems.add(
            _(
                "%(owner)s heeft een ongeldige schaal: rateMin en rateMax zijn hele getallen, rateMin is kleiner "
                "dan rateMax, en de schaal heeft hoogstens %(n)s waarden.",
                owner=label,
                n=MAX_RATING_VALUES,
            )
        )
        return
    if question.get("rateType") == "smileys" and len(scale) > MAX_SMILEYS:
        problems.add(
            _("%(owner)s toont smileys: dan heeft de schaal hoogstens %(n)s waarden.", owner=label, n=MAX_SMILEYS)
        )
    if not _one_of(question.get("rateType", "labels"), {"labels", "stars", "smileys"}):
        problems.add(_bad_property(label, "rateType"))
    if "rateCount" in question and question["rateCount"] != len(scale):
        problems.add(
            _(
                '%(owner)s: "rateCount" past niet bij de schaal (SurveyJS toont %(n)s waarden).',
                owner=label,
                n=len(scale),
            )
        )


def _check_boolean(question: dict[str, Any], label: str, problems: _Problems) -> None:
    values = [question[key] for key in ("valueTrue", "valueFalse") if key in question]
    if values and (len(values) != 2 or not all(_is_value(v) for v in values) or values[0] == values[1]):
        problems.add(_('%(owner)s heeft ongeldige waarden voor ja en nee ("valueTrue", "valueFalse").', owner=label))


def _check_text_question(question: dict[str, Any], label: str, problems: _Problems) -> None:
    if question["type"] == "text" and not _one_of(question.get("inputType", "text"), INPUT_TYPES):
        problems.add(_bad_property(label, "inputType"))
    for key in ("min", "max"):
        if key in question and _one_of(question.get("inputType"), NUMERIC_INPUT_TYPES) and not _number(question[key]):
            problems.add(_bad_property(label, key))


def _check_slider(question: dict[str, Any], label: str, problems: _Problems) -> None:
    low, high, step = question.get("min", 0), question.get("max", 100), question.get("step", 1)
    if not (
        _number(low)
        and _number(high)
        and _number(step)
        and low < high
        and step > 0
        and (high - low) / step <= MAX_SLIDER_STEPS
    ):
        problems.add(
            _('%(owner)s heeft een ongeldig bereik: "min" is kleiner dan "max" en "step" is positief.', owner=label)
        )
    if not _one_of(question.get("sliderType", "single"), {"single", "range"}):
        problems.add(_bad_property(label, "sliderType"))


def _check_image_question(question: dict[str, Any], label: str, problems: _Problems) -> None:
    if "imageLink" in question and not _safe_image(question["imageLink"]):
        problems.add(_unsafe_image(label, "imageLink"))


class _HtmlCheck(HTMLParser):
    """Reads HTML as a browser would (character references in attributes decoded) and notes anything unsafe."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.unsafe = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.unsafe |= tag in UNSAFE_TAGS
        for name, value in attrs:
            self.unsafe |= name.startswith("on") or (name in URL_ATTRIBUTES and not _safe_address(value or ""))

    handle_startendtag = handle_starttag


def _safe_address(value: str) -> bool:
    """A relative address or one of URL_SCHEMES; browsers ignore spaces and control characters in the scheme."""
    address = "".join(c for c in value if not c.isspace() and unicodedata.category(c) != "Cc").lower()
    scheme = re.match(r"([a-z][a-z0-9+.\-]*):", address)
    return scheme is None or scheme.group(1) in URL_SCHEMES


def _safe_html(html: str) -> bool:
    """Whether an html question's HTML runs no script and loads or sends nothing elsewhere (links may go out)."""
    if UNSAFE_HTML.search(html):
        return False
    check = _HtmlCheck()
    check.feed(html)
    check.close()
    return not check.unsafe


def _check_html(question: dict[str, Any], label: str, problems: _Problems) -> None:
    html = question.get("html", "")
    if not _is_text(html):
        problems.add(_bad_property(label, "html"))
    elif not all(_safe_html(text) for text in _texts_of(html)):
        problems.add(
            _(
                '"html" van %(owner)s bevat iets dat script kan uitvoeren of naar een andere site gaat (script, '
                "iframe, object, embed, form, on…-attributen of javascript:-links).",
                owner=label,
            )
        )


def _check_validators(question: dict[str, Any], label: str, problems: _Problems) -> None:
    validators = question.get("validators", [])
    if not isinstance(validators, list) or not all(isinstance(v, dict) for v in validators):
        problems.add(_bad_property(label, "validators"))
        return
    for validator in validators:
        kind = str(validator.get("type", "")).removesuffix("validator")
        if kind not in VALIDATOR_TYPES:
            problems.add(
                _(
                    '%(owner)s heeft een controle ("validators") van een onbekend type "%(type)s". Mogelijk zijn: '
                    "%(types)s.",
                    owner=label,
                    type=validator.get("type"),
                    types=", ".join(VALIDATOR_TYPES),
                )
            )
            continue
        if "text" in validator and not _is_text(validator["text"]):
            problems.add(_bad_property(label, "validators.text"))
        numbers = {"numeric": ("minValue", "maxValue"), "text": ("minLength", "maxLength")}
        numbers |= {"answercount": ("minCount", "maxCount")}
        for key in numbers.get(kind, ()):
            value = validator.get(key)
            if value is not None and not (_number(value) if kind == "numeric" else _whole(value) and value >= 0):
                problems.add(_bad_property(label, f"validators.{key}"))
        if kind == "text" and not isinstance(validator.get("allowDigits", True), bool):
            problems.add(_bad_property(label, "validators.allowDigits"))
        if kind == "regex" and _compiled_regex(validator) is None:
            problems.add(
                _(
                    'De reguliere expressie ("regex") van %(owner)s is ongeldig of wordt op de server niet begrepen.',
                    owner=label,
                )
            )
        if kind == "expression" and not isinstance(validator.get("expression"), str):
            problems.add(_bad_property(label, "validators.expression"))


def _compiled_regex(validator: dict[str, Any]) -> regex.Pattern[str] | None:
    """A regex validator's pattern as Python reads JavaScript's: \\d and \\w are ASCII there, and "$" (without the
    m flag, which SurveyJS never sets) is the very end, never before a final line break. None for a pattern that
    Python cannot read (JavaScript-only syntax such as (?<name>...) or [^])."""
    pattern = validator.get("regex")
    if not isinstance(pattern, str):
        return None
    flags = regex.ASCII | (regex.IGNORECASE if validator.get("caseInsensitive") else 0)
    try:
        return regex.compile(_end_anchors(pattern), flags)
    except (regex.error, RecursionError, OverflowError):
        return None


def _end_anchors(pattern: str) -> str:
    """`pattern` with each "$" anchor (not escaped, not in a character class) made Python's \\Z."""
    out, escaped, in_class = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            char = r"\Z"
        out.append(char)
    return "".join(out)


def _valid_name(name: Any) -> bool:
    """A name SurveyJS keeps as it is (it trims names and drops braces and a leading "#"), at most MAX_NAME."""
    return (
        isinstance(name, str)
        and 0 < len(name) <= MAX_NAME
        and name == name.strip().replace("{", "").replace("}", "").lstrip("#")
    )


def _check_name(name: Any, position: str, names: set[str], problems: _Problems, owner: str = "") -> bool:
    """Whether `name` is valid and new among `names` (a questionnaire's, or `owner`'s columns or fields)."""
    if not _valid_name(name):
        problems.add(
            _(
                '%(position)s heeft geen geldige naam ("name"): een tekst van hoogstens %(n)s tekens, zonder '
                'accolades, "#" vooraan of spaties aan het begin of eind.',
                position=position,
                n=MAX_NAME,
            )
        )
        return False
    if name in names:
        problems.add(
            _(
                '%(owner)s noemt "%(name)s" meer dan eens: elke kolom en elk veld heeft een eigen naam.',
                owner=owner,
                name=name,
            )
            if owner
            else _('De naam "%(name)s" komt meer dan eens voor: elke vraag heeft een eigen naam.', name=name)
        )
        return False
    names.add(name)
    return True


def _check_columns(question: dict[str, Any], label: str, problems: _Problems) -> None:
    columns = question.get("columns")
    if not isinstance(columns, list) or not columns:
        problems.add(_('%(owner)s heeft geen "%(key)s": geef een lijst met waarden.', owner=label, key="columns"))
        return
    names: set[str] = set()
    for number, column in enumerate((_named(entry) for entry in columns), start=1):
        position = _("kolom %(n)s van %(owner)s", n=number, owner=label)
        if not _check_name(column.get("name"), position, names, problems, label):
            continue
        cell = cell_question(question, column)
        if not _one_of(cell["type"], CELL_TYPES):
            problems.add(
                _(
                    '%(owner)s heeft een kolom "%(name)s" van een type dat niet wordt ondersteund ("%(type)s"). '
                    "Mogelijk zijn: %(types)s.",
                    owner=label,
                    name=column["name"],
                    type=cell["type"],
                    types=", ".join(sorted(CELL_TYPES)),
                )
            )
            continue
        _check_answer_question(cell, _('kolom "%(name)s" van %(owner)s', name=column["name"], owner=label), problems)


def _check_multipletext(question: dict[str, Any], label: str, problems: _Problems) -> None:
    items = question.get("items")
    if not isinstance(items, list) or not items:
        problems.add(_('%(owner)s heeft geen "%(key)s": geef een lijst met waarden.', owner=label, key="items"))
        return
    names: set[str] = set()
    for number, item in enumerate((_named(entry) for entry in items), start=1):
        position = _("veld %(n)s van %(owner)s", n=number, owner=label)
        if _check_name(item.get("name"), position, names, problems, label):
            field = _('veld "%(name)s" van %(owner)s', name=item["name"], owner=label)
            _check_answer_question({**item, "type": "text"}, field, problems)


def _check_counts(question: dict[str, Any], label: str, problems: _Problems) -> None:
    for key in WHOLE_NUMBERS:
        if key in question and not (_whole(question[key]) and question[key] >= 0):
            problems.add(_bad_property(label, key))


def _check_value_name(question: dict[str, Any], label: str, problems: _Problems) -> None:
    if "valueName" in question and not _valid_name(question["valueName"]):
        problems.add(_bad_property(label, "valueName"))


def _check_hidden_lines(question: dict[str, Any], label: str, problems: _Problems, lists: tuple[str, ...]) -> None:
    """Rows (or a simple matrix's columns) that conditions hide: the server does not work out which were shown yet,
    so it could refuse an answer SurveyJS takes, or keep one it clears."""
    keys = [key for key in ("rowsVisibleIf", "columnsVisibleIf") if key in question]
    for name in lists:
        items = question.get(name)
        for index, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                keys += [f"{name}[{index}].{key}" for key in ("visibleIf", "enableIf") if key in item]
    for key in keys:
        problems.add(
            _(
                '%(owner)s gebruikt "%(key)s": welke rijen of kolommen een voorwaarde verbergt, kan de server nog niet '
                "nagaan. Zet de voorwaarde op de vraag, of maak er aparte vragen van.",
                owner=label,
                key=key,
            )
        )


def _check_answer_question(question: dict[str, Any], label: str, problems: _Problems) -> None:
    """The checks of a question that carries an answer (also a matrix cell or a multipletext item)."""
    _check_texts(label, question, problems)
    _check_conditions(label, question, problems)
    for key in FLAGS:
        if key in question and not isinstance(question[key], bool):
            problems.add(_('"%(key)s" van %(owner)s moet true of false zijn.', key=key, owner=label))
    if question.get("clearIfInvisible") == "none":
        problems.add(
            _(
                '%(owner)s zet "clearIfInvisible" op "none": dan bewaart SurveyJS het antwoord op een verborgen vraag, '
                "die de server weigert.",
                owner=label,
            )
        )
    for key in FORBIDDEN_QUESTION_KEYS:
        if key in question:
            problems.add(
                _(
                    '%(owner)s gebruikt "%(key)s": de server kan daarmee de antwoorden niet controleren; zet de '
                    "keuzes in de vraag zelf.",
                    owner=label,
                    key=key,
                )
            )
    _check_value_name(question, label, problems)
    _check_counts(question, label, problems)
    _check_validators(question, label, problems)
    kind = question["type"]
    if kind in CHOICE_TYPES:
        _check_choices(question, label, problems)
    elif kind == "matrix":
        _options(question, "rows", label, problems)
        _options(question, "columns", label, problems)
        _check_hidden_lines(question, label, problems, ("rows", "columns"))
    elif kind in MATRIX_TYPES:
        if kind == "matrixdropdown":
            _options(question, "rows", label, problems)
        _check_columns(question, label, problems)
        _check_hidden_lines(question, label, problems, ("rows",))
    elif kind == "multipletext":
        _check_multipletext(question, label, problems)
    elif kind == "rating":
        _check_rating(question, label, problems)
    elif kind == "boolean":
        _check_boolean(question, label, problems)
    elif kind == "slider":
        _check_slider(question, label, problems)
    elif kind in TEXT_TYPES:
        _check_text_question(question, label, problems)


def _check_default(question: dict[str, Any], label: str, problems: _Problems) -> None:
    """A defaultValue must be an answer the question would accept."""
    if _empty(question.get("defaultValue")):
        return
    try:
        _rule(question)(question["defaultValue"])
    except DomainError as error:
        problems.add(
            _('"defaultValue" van %(owner)s past niet bij de vraag: %(reason)s', owner=label, reason=error.message)
        )


def _check_question(question: dict[str, Any], position: str, scope: _Scope, depth: int) -> None:
    problems = scope.problems
    name = question.get("name")
    if not _check_name(name, position, scope.names, problems):
        return
    label = _question_label(name)
    kind = question.get("type")
    if kind in REFUSED_TYPES:
        problems.add(
            _(
                'De vraag "%(name)s" is van het type "%(type)s". Dat kan niet in deze enquête: een upload of een '
                "handtekening maakt een anonieme enquête herleidbaar tot de invuller.",
                name=name,
                type=kind,
            )
        )
        return
    if not _one_of(kind, SUPPORTED_TYPES):
        problems.add(
            _(
                'De vraag "%(name)s" heeft een type dat niet wordt ondersteund ("%(type)s"). Mogelijk zijn: %(types)s.',
                name=name,
                type=kind if isinstance(kind, str) else "",
                types=", ".join(sorted(SUPPORTED_TYPES)),
            )
        )
        return
    if kind in DISPLAY_TYPES:
        _check_value_name(question, label, problems)  # an expression's value is dropped by its answer key
        _check_texts(label, question, problems)
        _check_conditions(label, question, problems)
        if kind == "html":
            _check_html(question, label, problems)
        elif kind == "image":
            _check_image_question(question, label, problems)
        return
    before = len(problems.found)
    _check_answer_question(question, label, problems)
    if kind == "paneldynamic":
        where = _("het paneel van %(owner)s", owner=label)
        _check_elements(question, "templateElements", where, _Scope(problems), depth + 1)
    scope.record(question, kind)
    if len(problems.found) == before:
        _check_default(question, label, problems)


class _Scope:
    """The names (and answer keys with their types) of one questionnaire, or of one dynamic panel's template."""

    def __init__(self, problems: _Problems) -> None:
        self.problems = problems
        self.names: set[str] = set()
        self.key_types: dict[str, str] = {}

    def record(self, question: dict[str, Any], kind: str) -> None:
        """Questions that share a valueName share an answer, so its shape must be the same for each (and the answer
        must fit each of them: AnswerRules)."""
        if not isinstance(question.get("valueName", ""), str):
            return
        key = answer_key_of(question)
        shape = SHARED_SHAPES.get(kind, kind)
        if self.key_types.setdefault(key, shape) != shape:
            self.problems.add(
                _(
                    'De vraag "%(name)s" bewaart haar antwoord onder "%(key)s", net als een vraag met een ander '
                    "soort antwoord: vragen met dezelfde valueName hebben antwoorden van dezelfde vorm.",
                    name=question["name"],
                    key=key,
                )
            )


def _elements_of(container: dict[str, Any], key: str) -> Any:
    """A page's or panel's elements; the older format calls them "questions"."""
    if key == "elements" and "elements" not in container and "questions" in container:
        container["elements"] = container.pop("questions")
    if key == "templateElements" and key not in container and "questions" in container:
        container[key] = container.pop("questions")
    return container.get(key)


def _check_elements(container: dict[str, Any], key: str, where: str, scope: _Scope, depth: int) -> None:
    problems = scope.problems
    elements = _elements_of(container, key)
    if not isinstance(elements, list) or not elements:
        problems.add(_('%(where)s heeft geen vragen: geef een lijst "%(key)s".', where=_sentence(where), key=key))
        return
    if depth > MAX_PANEL_DEPTH:
        problems.add(_("Panelen zijn te diep genest (hoogstens %(n)s lagen).", n=MAX_PANEL_DEPTH))
        return
    for index, element in enumerate(elements, start=1):
        position = _("element %(n)s van %(where)s", n=index, where=where)
        if not isinstance(element, dict):
            problems.add(_("%(position)s is geen JSON-object.", position=_sentence(position)))
        elif element.get("type") == PANEL:
            panel_name = element.get("name")
            label = _('paneel "%(name)s"', name=panel_name) if isinstance(panel_name, str) else position
            _check_texts(label, element, problems)
            _check_conditions(label, element, problems)
            _check_elements(element, "elements", label, scope, depth + 1)
        else:
            _check_question(element, position, scope, depth)


def _normalised(definition: dict[str, Any], problems: _Problems) -> None:
    """The older format (top-level "questions" or "elements") as its one page."""
    flat = [key for key in ("questions", "elements") if key in definition]
    if flat and "pages" in definition:
        problems.add(_('De vragenlijst heeft zowel "pages" als "%(key)s": gebruik een van beide.', key=flat[0]))
    elif flat:
        definition["pages"] = [{"name": "page1", "elements": definition.pop(flat[0])}]


def _check_calculated_values(definition: dict[str, Any], problems: _Problems) -> None:
    """Calculated values are worked out in the browser; one included in the answers is dropped like an expression's."""
    values = definition.get("calculatedValues", [])
    valid = isinstance(values, list) and all(
        isinstance(v, dict) and _valid_name(v.get("name")) and isinstance(v.get("expression", ""), str) for v in values
    )
    if not valid:
        problems.add(_bad_property(_("de vragenlijst"), "calculatedValues"))
    else:
        problems.calculated = frozenset(value["name"].lower() for value in values)


def validate_definition(raw: str | dict[str, Any]) -> dict[str, Any]:
    """Check a SurveyJS definition (JSON text or parsed) and return it as a new dict, normalised to "pages".

    Questions (in pages, panels and dynamic panels) have a name SurveyJS keeps as it is, unique in the
    questionnaire (in a dynamic panel: in its template), and one of SUPPORTED_TYPES; each is checked for what the
    server relies on to check answers (choices, rows, columns, scales, validators, a defaultValue that fits).
    Raises DomainError listing every problem (`problems`), each with its page, in the user's language.
    """
    definition = _parse(raw) if isinstance(raw, str) else copy.deepcopy(raw)
    if not isinstance(definition, dict):
        raise DomainError(_('De vragenlijst moet een JSON-object zijn, met de pagina\'s onder "pages".'))
    problems = _Problems()
    for key in FORBIDDEN_SURVEY_KEYS:
        if key in definition:
            problems.add(_('"%(key)s" is in een vragenlijst niet toegestaan (HTML of doorverwijzing).', key=key))
    for key in CLOUD_SURVEY_KEYS:
        if key in definition:
            problems.add(
                _(
                    '"%(key)s" haalt de vragenlijst op bij of stuurt de antwoorden naar de dienst van SurveyJS; dat '
                    "is hier niet toegestaan.",
                    key=key,
                )
            )
    if "triggers" in definition:
        # a trigger sets answers, skips or completes in the browser: the server would see answers it cannot explain
        problems.add(
            _(
                '"triggers" zet in de browser antwoorden of slaat vragen over; de server kan dat niet nagaan. Gebruik '
                "voorwaarden (visibleIf, requiredIf) in de vragen.",
            )
        )
    survey = _("de vragenlijst")
    for key in SURVEY_IMAGES:
        if key in definition and not _safe_image(definition[key]):
            problems.add(_unsafe_image(survey, key))
    if definition.get("clearInvisibleValues") == "none":
        problems.add(
            _(
                '"clearInvisibleValues" is "none": dan bewaart SurveyJS antwoorden op verborgen vragen, die de server '
                "weigert.",
            )
        )
    if definition.get("storeOthersAsComment") is False:
        problems.add(
            _(
                '%(owner)s zet "storeOthersAsComment" uit: dan is "anders" niet van een keuze te onderscheiden.',
                owner=survey,
            )
        )
    _check_calculated_values(definition, problems)
    _check_texts(survey, definition, problems)
    if "locale" in definition and not isinstance(definition["locale"], str):
        problems.add(_('"locale" van de vragenlijst moet een taalcode zijn, zoals "nl".'))
    _normalised(definition, problems)
    pages = definition.get("pages")
    if not isinstance(pages, list) or not pages:
        problems.add(_('De vragenlijst heeft geen pagina\'s: zet de vragen in een lijst "pages".'))
        pages = []
    scope = _Scope(problems)
    for number, page in enumerate(pages, start=1):
        where = _("pagina %(n)s", n=number)
        problems.page = ""
        if not isinstance(page, dict):
            problems.add(_("%(where)s is geen JSON-object.", where=_sentence(where)))
            continue
        if isinstance(page.get("name"), str) and page["name"]:
            where = _('pagina %(n)s ("%(name)s")', n=number, name=page["name"])
        _check_texts(where, page, problems)
        _check_conditions(where, page, problems)
        elements = _elements_of(page, "elements")
        if not isinstance(elements, list) or not elements:
            problems.add(
                _('%(where)s heeft geen vragen: geef een lijst "%(key)s".', where=_sentence(where), key="elements")
            )
            continue
        problems.page = _sentence(where)
        _check_elements(page, "elements", where, scope, depth=0)
    if problems.found:
        raise DomainError("\n".join(problems.found), problems=problems.found)
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


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


#: a compiled check of one answer: the cleaned value, or DomainError naming the question
Rule = Callable[[Any], Any]


def _single(question: dict[str, Any], values: list[Any]) -> Rule:
    allowed = _allowed(values)

    def clean(value: Any) -> Any:
        key = _value_key(value)
        if key is None or key not in allowed:
            raise _not_a_choice(_shown(question))
        return allowed[key]

    return clean


def _several(question: dict[str, Any], values: list[Any], *, exclusive_none: bool = True) -> Rule:
    """A list of distinct choices, within minSelectedChoices and maxSelectedChoices; "none" stands alone."""
    allowed = _allowed(values)
    low, high = question.get("minSelectedChoices", 0), question.get("maxSelectedChoices", 0)
    none = exclusive_none and _has_none(question)

    def clean(value: Any) -> list[Any]:
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
        if none and ("text", NONE) in seen:
            if len(seen) > 1:
                raise DomainError(
                    _('Bij de vraag "%(name)s" gaat "geen van deze" niet samen met andere keuzes.', name=name)
                )
        elif cleaned and (len(cleaned) < low or (high and len(cleaned) > high)):
            raise DomainError(_('Bij de vraag "%(name)s" kiest u niet zoveel keuzes als de vraag vraagt.', name=name))
        return cleaned

    return clean


def _ranking(question: dict[str, Any]) -> Rule:
    """All choices in rank order; with selectToRankEnabled (or choices that may be hidden) the ranked ones."""
    values = _item_values(question["choices"])
    subset = bool(
        question.get("selectToRankEnabled")
        or question.get("choicesVisibleIf")
        or any(isinstance(c, dict) and c.get("visibleIf") for c in question["choices"])
    )
    several = _several(question, values, exclusive_none=False)

    def clean(value: Any) -> list[Any]:
        ranked = several(value)
        if not subset and ranked and len(ranked) != len(values):
            raise DomainError(
                _('Het antwoord op de vraag "%(name)s" moet alle keuzes in een volgorde zetten.', name=_shown(question))
            )
        return ranked

    return clean


def _choice_rule(question: dict[str, Any]) -> Rule:
    kind = question["type"]
    if kind == "ranking":
        return _ranking(question)
    if kind in ("checkbox", "tagbox") or (kind == "imagepicker" and question.get("multiSelect")):
        return _several(question, _choice_values(question))
    return _single(question, _choice_values(question))


def _rating(question: dict[str, Any]) -> Rule:
    scale = rating_scale(question)
    allowed = _allowed(scale)

    def clean(value: Any) -> Any:
        key = _value_key(value)
        if key is None or key not in allowed:
            name = _shown(question)
            if _uses_rate_values(question):
                raise DomainError(_('Het antwoord op de vraag "%(name)s" is geen waarde van de schaal.', name=name))
            raise DomainError(
                _(
                    'Het antwoord op de vraag "%(name)s" moet een heel getal van %(low)s tot en met %(high)s zijn.',
                    name=name,
                    low=scale[0],
                    high=scale[-1],
                )
            )
        return allowed[key]

    return clean


def _boolean(question: dict[str, Any]) -> Rule:
    allowed = _allowed([question["valueTrue"], question["valueFalse"]]) if "valueTrue" in question else None

    def clean(value: Any) -> Any:
        if allowed is not None:  # the question's own valueTrue and valueFalse
            key = _value_key(value)
            if key is not None and key in allowed:
                return allowed[key]
        elif isinstance(value, bool):
            return value
        raise DomainError(_('Het antwoord op de vraag "%(name)s" moet ja of nee zijn.', name=_shown(question)))

    return clean


def _not_a_number(question: dict[str, Any]) -> DomainError:
    return DomainError(_('Het antwoord op de vraag "%(name)s" moet een getal zijn.', name=_shown(question)))


def _out_of_range(question: dict[str, Any]) -> DomainError:
    return DomainError(
        _('Het antwoord op de vraag "%(name)s" ligt buiten het toegestane bereik.', name=_shown(question))
    )


def _text(question: dict[str, Any]) -> Rule:
    if question["type"] == "text" and question.get("inputType") in NUMERIC_INPUT_TYPES:
        low, high = question.get("min"), question.get("max")

        def number(value: Any) -> Any:
            if not _number(value):
                raise _not_a_number(question)
            if (low is not None and value < low) or (high is not None and value > high):
                raise _out_of_range(question)
            return value

        return number
    limit = min(question.get("maxLength") or MAX_TEXT, MAX_TEXT)
    email = question["type"] == "text" and question.get("inputType") == "email"

    def text(value: Any) -> str:
        cleaned = _clean_string(_shown(question), value, limit)
        if email and cleaned and not EMAIL.match(cleaned):
            raise _invalid(question)
        return cleaned

    return text


def _slider(question: dict[str, Any]) -> Rule:
    low, high, step = question.get("min", 0), question.get("max", 100), question.get("step", 1)
    pair = question.get("sliderType") == "range"

    def one(value: Any) -> Any:
        if not _number(value):
            raise _not_a_number(question)
        steps = (value - low) / step
        if not low <= value <= high or abs(steps - round(steps)) > 1e-9 * max(1, abs(steps)):
            raise _out_of_range(question)
        return value

    def clean(value: Any) -> Any:
        if not pair:
            return one(value)
        if not isinstance(value, list) or len(value) != 2:
            raise DomainError(
                _('Het antwoord op de vraag "%(name)s" moet een bereik van twee getallen zijn.', name=_shown(question))
            )
        return [one(value[0]), one(value[1])]

    return clean


def _matrix(question: dict[str, Any]) -> Rule:
    rows = {str(row) for row in _item_values(question["rows"])}
    columns = _allowed(_item_values(question["columns"]))
    every_row = bool(question.get("isAllRowRequired") or question.get("eachRowRequired"))
    every_row = every_row and not question.get("rowsVisibleIf")

    def wrong() -> DomainError:
        return DomainError(
            _('Het antwoord op de vraag "%(name)s" moet per rij een van de kolommen kiezen.', name=_shown(question))
        )

    def clean(value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise wrong()
        cleaned = {}
        for row, column in value.items():
            key = _value_key(column)
            if row not in rows or key is None or key not in columns:
                raise wrong()
            cleaned[row] = columns[key]
        if every_row and cleaned and len(cleaned) != len(rows):
            raise _every_row(question)
        return cleaned

    return clean


def _every_row(question: dict[str, Any]) -> DomainError:
    return DomainError(_('Bij de vraag "%(name)s" moet elke rij beantwoord zijn.', name=_shown(question)))


def _cells(question: dict[str, Any]) -> Callable[[Any], dict[str, Any]]:
    """The check of one row of a matrixdropdown or matrixdynamic: {column name: cell value}, a column with "other"
    or a comment also "<column>-Comment"; an expression column's value is dropped."""
    cells: dict[str, Rule | None] = {}
    for column in question["columns"]:
        cell = cell_question(question, column)
        # the cells' messages name the matrix: that is what the respondent sees
        cells[cell["name"]] = None if cell["type"] == "expression" else _rule(_as_part_of(question, cell))
        if _has_comment(cell):
            cells[cell["name"] + COMMENT_SUFFIX] = _comment_rule(question)

    def clean(row: Any) -> dict[str, Any]:
        if not isinstance(row, dict):
            raise DomainError(
                _('Het antwoord op de vraag "%(name)s" moet per rij een waarde per kolom geven.', name=_shown(question))
            )
        cleaned = {}
        for column, value in row.items():
            if column not in cells:
                raise DomainError(
                    _('Het antwoord op de vraag "%(name)s" noemt een onbekende kolom.', name=_shown(question))
                )
            rule = cells[column]
            if rule is not None and not _empty(value) and not _empty(answer := rule(value)):
                cleaned[column] = answer
        return cleaned

    return clean


def _as_part_of(question: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    """A cell or field checked as a question of its own, whose messages name the question the respondent sees."""
    return {**part, "title": question.get("title"), "name": question["name"]}


def _comment_rule(question: dict[str, Any]) -> Rule:
    return lambda value: _clean_string(_shown(question), value, MAX_TEXT)


def _matrixdropdown(question: dict[str, Any]) -> Rule:
    rows = {str(row) for row in _item_values(question["rows"])}
    row_rule = _cells(question)

    def clean(value: Any) -> dict[str, Any]:
        if not isinstance(value, dict) or not set(value) <= rows:
            raise DomainError(_('Het antwoord op de vraag "%(name)s" noemt een onbekende rij.', name=_shown(question)))
        return {row: cleaned for row, cells in value.items() if (cleaned := row_rule(cells))}

    return clean


def _count_rule(question: dict[str, Any], low_key: str, high_key: str, high_default: int) -> Callable[[int], None]:
    low, high = question.get(low_key, 0), question.get(high_key, high_default)

    def check(count: int) -> None:
        if not low <= count <= high:
            raise DomainError(
                _(
                    'Het antwoord op de vraag "%(name)s" heeft %(n)s rijen of panelen; toegestaan is %(low)s tot en '
                    "met %(high)s.",
                    name=_shown(question),
                    n=count,
                    low=low,
                    high=high,
                )
            )

    return check


def _list_of(question: dict[str, Any], entry: Callable[[Any], dict[str, Any]], count: Callable[[int], None]) -> Rule:
    """A matrixdynamic's rows or a paneldynamic's panels: a list of objects, each checked by `entry`; an empty
    entry stays in its place (SurveyJS keeps the row or panel), a list of only empty entries is no answer."""

    def clean(value: Any) -> list[dict[str, Any]]:
        if not isinstance(value, list):
            raise DomainError(_('Het antwoord op de vraag "%(name)s" moet een lijst zijn.', name=_shown(question)))
        cleaned = [entry(item) for item in value]
        if not any(cleaned):
            return []
        count(len(cleaned))
        return cleaned

    return clean


def _matrixdynamic(question: dict[str, Any]) -> Rule:
    return _list_of(question, _cells(question), _count_rule(question, "minRowCount", "maxRowCount", DEFAULT_MAX_ROWS))


def _multipletext(question: dict[str, Any]) -> Rule:
    fields = [_named(item) for item in question["items"]]
    items = {item["name"]: _rule(_as_part_of(question, {**item, "type": "text"})) for item in fields}

    def clean(value: Any) -> dict[str, Any]:
        if not isinstance(value, dict) or not set(value) <= set(items):
            raise DomainError(_('Het antwoord op de vraag "%(name)s" noemt een onbekend veld.', name=_shown(question)))
        # a required item is the conditions' (ConditionPlan): only a shown, editable question's items are
        return {key: answer for key, item in value.items() if not _empty(answer := items[key](item))}

    return clean


def _paneldynamic(question: dict[str, Any]) -> Rule:
    template = AnswerRules({"pages": [{"elements": question["templateElements"]}]})
    return _list_of(
        question, template.clean_values, _count_rule(question, "minPanelCount", "maxPanelCount", DEFAULT_MAX_PANELS)
    )


def _invalid(question: dict[str, Any]) -> DomainError:
    return DomainError(_('Het antwoord op de vraag "%(name)s" voldoet niet aan de controle.', name=_shown(question)))


def _numeric_value(value: Any) -> float | None:
    """A number as survey-core 2.5's Helpers.getNumber reads an answer: a number, or a text that is one once
    trimmed ("0x" hexadecimal, one decimal comma, no operators, no more than 15 digits alone); else None."""
    if _number(value):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.startswith("0x"):
        digits = re.match(r"0x([0-9a-fA-F]+)", text)
        return int(digits.group(1), 16) if digits and len(text) <= 32 else None
    operator = "-" not in text[1:] and "+" not in text[1:] and any(c in text for c in "*^/%")
    if (len(text) > 15 and text.isascii() and text.isdigit()) or operator:
        return None
    if text.count(",") == 1:
        text = text.replace(",", ".")
    if not JS_DECIMAL.match(text):
        return None
    number = float(text)
    return number if math.isfinite(number) else None


def _js_length(value: str | list[Any]) -> int:
    """JavaScript's length: a text's in UTF-16 code units (an emoji counts twice)."""
    return len(value.encode("utf-16-le", "surrogatepass")) // 2 if isinstance(value, str) else len(value)


def _js_string(value: Any) -> str:
    """What JavaScript's String() makes of an answer, for the validators that test a text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_js_string(item) for item in value)
    if isinstance(value, dict):
        return "[object Object]"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _validator_rule(question: dict[str, Any], validator: dict[str, Any]) -> Callable[[Any], bool] | None:
    """A survey-core validator as a test of a (non-empty) answer; None for the expression validator, which
    app.surveys.conditions evaluates."""
    kind = str(validator.get("type", "")).removesuffix("validator")
    if kind == "numeric":
        low, high = validator.get("minValue"), validator.get("maxValue")

        def numeric(value: Any) -> bool:
            number = _numeric_value(value)
            return number is not None and (low is None or number >= low) and (high is None or number <= high)

        return numeric
    if kind == "text":
        low, high = validator.get("minLength") or 0, validator.get("maxLength") or 0
        digits = validator.get("allowDigits", True)

        def text(value: Any) -> bool:
            if not digits and re.search(r"[0-9]+\Z", _js_string(value)):
                return False
            if isinstance(value, str | list):
                length = _js_length(value)
                return (not low or length >= low) and (not high or length <= high)
            return True

        return text
    if kind == "regex":
        pattern = _compiled_regex(validator)
        assert pattern is not None  # the definition was checked

        def matches(value: Any) -> bool:
            items = value if isinstance(value, list) else []
            try:
                return all(pattern.search(_js_string(item), timeout=REGEX_SECONDS) for item in [*items, value])
            except TimeoutError:
                # an advisor's pattern that backtracks without end on this answer: refused, the worker not held
                return False

        return matches
    if kind == "email":
        return lambda value: EMAIL.match(_js_string(value)) is not None
    if kind == "answercount":
        low, high = validator.get("minCount") or 0, validator.get("maxCount") or 0
        return lambda value: not isinstance(value, list) or (len(value) >= low and (not high or len(value) <= high))
    return None


def _with_validators(question: dict[str, Any], rule: Rule) -> Rule:
    tests = [test for v in question.get("validators", []) if (test := _validator_rule(question, v)) is not None]
    if not tests:
        return rule

    def clean(value: Any) -> Any:
        cleaned = rule(value)
        if not _empty(cleaned) and not all(test(cleaned) for test in tests):
            raise _invalid(question)
        return cleaned

    return clean


_RULES: dict[str, Callable[[dict[str, Any]], Rule]] = {
    **dict.fromkeys(CHOICE_TYPES, _choice_rule),
    "rating": _rating,
    "boolean": _boolean,
    "comment": _text,
    "text": _text,
    "slider": _slider,
    "matrix": _matrix,
    "matrixdropdown": _matrixdropdown,
    "matrixdynamic": _matrixdynamic,
    "multipletext": _multipletext,
    "paneldynamic": _paneldynamic,
}


def _rule(question: dict[str, Any]) -> Rule:
    """The compiled check of an answer to a (checked) question, validators included."""
    return _with_validators(question, _RULES[question["type"]](question))


def _all_of(rules: list[Rule]) -> Rule:
    """Questions that share an answer (a valueName) must each accept it."""

    def clean(value: Any) -> Any:
        cleaned = rules[0](value)
        for rule in rules[1:]:
            rule(cleaned)
        return cleaned

    return clean


class AnswerRules:
    """What a submission is checked against, worked out once from a checked definition: a compiled rule per
    answer key (and comment key), and the conditions (which questions are shown, required, offer which choices).
    A frozen survey's rules never change, so they can be kept."""

    def __init__(self, definition: dict[str, Any]) -> None:
        by_key: dict[str, list[dict[str, Any]]] = {}
        every_row: dict[str, dict[str, Any]] = {}
        for question in questions(definition):
            key = answer_key_of(question)
            by_key.setdefault(key, []).append(question)
            if _every_row_required(question):
                every_row.setdefault(key, question)
        self.by_name = {key: sharing[0] for key, sharing in by_key.items()}
        # survey-core raises "answer every row" on an unanswered matrix too, where shown and not read-only
        self.every_row = list(every_row.items())
        self.conditions = ConditionPlan(definition)
        self.rules: dict[str, Rule] = {}
        for key, sharing in by_key.items():
            rules = [_rule(question) for question in sharing]
            self.rules[key] = rules[0] if len(rules) == 1 else _all_of(rules)
            if any(_has_comment(question) for question in sharing):
                self.rules[key + COMMENT_SUFFIX] = _comment_rule(sharing[0])
        # an expression's value (or a calculated value's) is worked out in the browser: never stored, whatever was sent
        self.dropped = {
            answer_key_of(element)
            for page in definition.get("pages") or []
            for element in _display_elements(page.get("elements") or [])
            if element.get("type") == "expression"
        } | {value["name"] for value in definition.get("calculatedValues", []) if value.get("includeIntoResult")}

    def clean(self, answers: object) -> dict[str, Any]:
        """The cleaned answers; DomainError as `validate_answers`."""
        cleaned = self.clean_values(answers)
        # SurveyJS clears hidden questions' answers on completing and checks what was shown: so does the server
        verdict = self.conditions.verdict(cleaned)
        problems = [describe(kind, _shown(question)) for kind, question in verdict.problems]
        for key, question in self.every_row:
            state = verdict.questions[question["name"]]
            if key not in cleaned and state.visible and not state.read_only:
                problems.append(describe("required", _shown(question)))
        if problems:
            problems = list(dict.fromkeys(problems))
            raise DomainError(" ".join(problems), problems=problems)
        return cleaned

    def clean_values(self, answers: object) -> dict[str, Any]:
        """The answers with each value checked against its question, the conditions left aside: a dynamic panel's
        entries are checked this way, their conditions being part of the questionnaire's (`clean`)."""
        if not isinstance(answers, dict):
            raise DomainError(_("De antwoorden moeten een JSON-object zijn."))
        cleaned: dict[str, Any] = {}
        rules = self.rules
        for key, value in answers.items():
            rule = rules.get(key) if isinstance(key, str) else None
            if rule is None:
                if key in self.dropped:
                    continue
                shown = str(key)[:64]
                raise DomainError(_('De antwoorden noemen een onbekende vraag "%(name)s".', name=shown))
            if _empty(value):
                continue
            answer = rule(value)
            if not _empty(answer):
                cleaned[key] = answer
        return cleaned


def _every_row_required(question: dict[str, Any]) -> bool:
    return question["type"] == "matrix" and bool(question.get("isAllRowRequired") or question.get("eachRowRequired"))


def _display_elements(elements: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for element in elements:
        if element.get("type") == PANEL:
            yield from _display_elements(element.get("elements") or [])
        elif element.get("type") in DISPLAY_TYPES:
            yield element


def validate_answers(definition: dict[str, Any], answers: object) -> dict[str, Any]:
    """Check a submission (SurveyJS's `survey.data`) against a checked definition and return the cleaned answers.

    Every key is an answer key of the definition (a question's valueName or name, or "<key>-Comment" for a
    question with "other" or a comment; an expression's value is dropped); each answer fits its question's type,
    choices and validators. Empty answers are left out. The conditions are evaluated as SurveyJS does
    (app/surveys/conditions.py): a question that was not shown has no answer, one that was shown and required
    (`isRequired`, or `requiredIf` holds) and not read-only has one, a chosen choice was offered and enabled, and
    expression validators hold. Raises DomainError with a Dutch message naming every such question.
    """
    return AnswerRules(definition).clean(answers)
