"""The form-based questionnaire editor's edits: each function applies one change to a definition and returns the new
definition, leaving the given one as it was. They check what the advisor typed and that the change makes sense (a
question that exists, a condition on an earlier question's answer); the caller checks the whole result with
`validate_definition` and stores it through `services.update_definition`, like a definition typed as JSON.

Texts are (Dutch, English) pairs, stored as {"default": Dutch, "en": English}; question names and choice values
are generated from the Dutch text, never typed.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from app.errors import DomainError
from app.surveys.definition import PANEL, answer_key_of, localised

#: (Dutch, English)
Text = tuple[str, str]

#: the question types an advisor adds in the editor; others come in through JSON
COMMON_TYPES = ("radiogroup", "checkbox", "dropdown", "rating", "boolean", "text", "comment")
#: question types whose answers are a choice of the question's own `choices`
CHOICE_KINDS = frozenset({"radiogroup", "checkbox", "dropdown", "tagbox"})
#: question types whose answers may list several choices: their condition is "contains", not "="
MULTIPLE_KINDS = frozenset({"checkbox", "tagbox"})
TITLE_MAX = 1000
DESCRIPTION_MAX = 2000
CHOICE_MAX = 300
CHOICES_MAX = 100
#: the lists of texts an advisor rewords, each with the question types that have it
ITEM_LISTS = {
    "choices": CHOICE_KINDS,
    "rows": frozenset({"matrix", "matrixdropdown"}),
    "columns": frozenset({"matrix", "matrixdropdown", "matrixdynamic"}),
}
#: the question types whose columns are questions of their own, with a `name` and a `title`
COLUMN_QUESTION_KINDS = frozenset({"matrixdropdown", "matrixdynamic"})
#: how long a generated question name or choice value is at most (a readable slug of the Dutch text)
SLUG_MAX = 40
#: the choices a new choice question gets when the advisor lists none: they reword them next
PLACEHOLDER_CHOICES: tuple[Text, ...] = (("Keuze 1", "Choice 1"), ("Keuze 2", "Choice 2"))
#: "show when {X} = 'Y'" or "{X} contains 'Y'", as `set_condition` writes them
SIMPLE_CONDITION = re.compile(r"^\{(?P<name>[^{}]+)\} (?P<op>=|contains) (?P<value>.+)$")


@dataclass(frozen=True)
class ChoiceRow:
    """One choice as the choices form posts it: its value (as text, to see that the list did not change
    meanwhile), its texts, and whether to remove it."""

    value: str
    text: Text
    remove: bool = False


# Reading -------------------------------------------------------------------------------------------------------


def text_pair(value: Any) -> Text:
    """A stored text as (Dutch, English): a plain string is Dutch; {"default"/"nl": ..., "en": ...} both."""
    if isinstance(value, str):
        return value, ""
    if isinstance(value, dict):
        dutch = value.get("nl") or value.get("default") or ""
        english = value.get("en") or ""
        return (dutch if isinstance(dutch, str) else ""), (english if isinstance(english, str) else "")
    return "", ""


def _elements(container: dict[str, Any]) -> list[Any]:
    elements = container.get("elements")
    return elements if isinstance(elements, list) else []


def _walk(elements: list[Any]) -> Iterator[tuple[dict[str, Any], list[Any]]]:
    """Every question with the list it sits in, panels flattened."""
    for element in elements:
        if not isinstance(element, dict):
            continue
        if element.get("type") == PANEL:
            yield from _walk(_elements(element))
        else:
            yield element, elements


def _pages(definition: dict[str, Any]) -> list[dict[str, Any]]:
    pages = definition.get("pages")
    return pages if isinstance(pages, list) else []


def question_list(definition: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """Every question in order, with the index of its page."""
    return [
        (number, question)
        for number, page in enumerate(_pages(definition))
        for question, _container in _walk(_elements(page))
    ]


def _find(definition: dict[str, Any], name: str) -> tuple[int, list[Any], dict[str, Any]]:
    for number, page in enumerate(_pages(definition)):
        for question, container in _walk(_elements(page)):
            if question.get("name") == name:
                return number, container, question
    raise DomainError(_("Deze vraag staat niet (meer) in de vragenlijst. Laad de pagina opnieuw."))


def find_question(definition: dict[str, Any], name: str) -> tuple[int, dict[str, Any]]:
    """The question named `name` and the index of its page; DomainError when there is none."""
    number, _container, question = _find(definition, name)
    return number, question


def _page(definition: dict[str, Any], number: int) -> dict[str, Any]:
    pages = _pages(definition)
    if not 0 <= number < len(pages):
        raise DomainError(_("Deze pagina staat niet (meer) in de vragenlijst. Laad de pagina opnieuw."))
    return pages[number]


def _item_values(items: Any) -> list[Any]:
    return [item.get("value") if isinstance(item, dict) else item for item in items or []]


def choice_values(question: dict[str, Any]) -> list[Any]:
    """The values a condition on this question's answer may compare with: its choices, yes and no, or the scale."""
    kind = question.get("type")
    if kind in CHOICE_KINDS:
        return _item_values(question.get("choices"))
    if kind == "boolean":
        return [question.get("valueTrue", True), question.get("valueFalse", False)]
    if kind == "rating":
        if isinstance(question.get("rateValues"), list):
            return _item_values(question["rateValues"])
        low, high, step = question.get("rateMin", 1), question.get("rateMax", 5), question.get("rateStep", 1)
        if all(isinstance(n, int) and not isinstance(n, bool) for n in (low, high, step)) and step > 0:
            return list(range(low, high + 1, step))
    return []


def same_value(one: Any, other: Any) -> bool:
    """Equal and of the same type: the choice 1 is not the choice "1", and True is not 1."""
    return one == other and type(one) is type(other)


def choice_label(question: dict[str, Any], value: Any, locale: str) -> str:
    """How the respondent sees a value of `choice_values`."""
    if question.get("type") == "boolean":
        if same_value(value, question.get("valueTrue", True)):
            return localised(question.get("labelTrue"), locale) or _("Ja")
        return localised(question.get("labelFalse"), locale) or _("Nee")
    items = question.get("choices") if question.get("type") in CHOICE_KINDS else question.get("rateValues")
    for item in items or []:
        if isinstance(item, dict) and same_value(item.get("value"), value):
            return localised(item.get("text"), locale) or str(value)
    return str(value)


def simple_condition(question: dict[str, Any]) -> tuple[str, Any] | None:
    """(answer key, value) when the question's `visibleIf` is one `set_condition` writes; else None."""
    match = SIMPLE_CONDITION.match(question.get("visibleIf") or "")
    if match is None:
        return None
    literal = match["value"]
    if len(literal) >= 2 and literal[0] == literal[-1] and literal[0] in "'\"":
        return match["name"], literal[1:-1]
    try:
        value = json.loads(literal)
    except ValueError:
        return None
    return (match["name"], value) if isinstance(value, bool | int) else None


def condition_sources(definition: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The questions before `name` whose answer a simple condition of it may test: those with choices, yes/no or
    a scale."""
    sources = []
    for _number, question in question_list(definition):
        if question.get("name") == name:
            break
        if choice_values(question):
            sources.append(question)
    return sources


# Texts ---------------------------------------------------------------------------------------------------------


def _clean(text: str, limit: int, what: str, *, lines: bool) -> str:
    text = (text or "").strip() if lines else " ".join((text or "").split())
    if len(text) > limit:
        raise DomainError(_("De tekst van %(what)s is te lang (hoogstens %(n)s tekens).", what=what, n=limit))
    return text


def _stored_text(old: Any, text: Text, limit: int, what: str, *, required: bool = True, lines: bool = False) -> Any:
    """The stored form of (Dutch, English): a plain string without English, else {"default": ..., "en": ...},
    keeping the old text's other languages. None for an optional text left empty."""
    dutch = _clean(text[0], limit, what, lines=lines)
    english = _clean(text[1], limit, what, lines=lines)
    if not dutch:
        if required or english:
            raise DomainError(_("Vul de Nederlandse tekst van %(what)s in.", what=what))
        return None
    others = {k: v for k, v in old.items() if k not in ("default", "en", "nl")} if isinstance(old, dict) else {}
    if not english and not others:
        return dutch
    stored = others | {"default": dutch}
    if isinstance(old, dict) and "nl" in old:  # SurveyJS shows "nl" over "default" to Dutch readers
        stored["nl"] = dutch
    if english:
        stored["en"] = english
    return stored


def _set(element: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        element.pop(key, None)
    else:
        element[key] = value


# Names ---------------------------------------------------------------------------------------------------------


def _slug(text: str) -> str:
    """Lower-case ASCII words of `text` joined by underscores, whole words up to SLUG_MAX characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    slug = ""
    for word in words:
        candidate = f"{slug}_{word}" if slug else word
        if len(candidate) > SLUG_MAX:
            break
        slug = candidate
    return slug or (words[0][:SLUG_MAX] if words else "")


def _unique(base: str, taken: set[str]) -> str:
    name, number = base, 2
    while name in taken:
        name, number = f"{base}_{number}", number + 1
    return name


def _names_in(elements: list[Any]) -> Iterator[str]:
    for element in elements:
        if isinstance(element, dict):
            for key in ("name", "valueName"):
                if isinstance(element.get(key), str):
                    yield element[key]
            yield from _names_in(_elements(element))
            yield from _names_in(element.get("templateElements") or [])


def _readable(slug: str, prefix: str) -> str:
    """A name starts with a letter: `prefix` before a slug that does not (or that is empty)."""
    return slug if slug[:1].isalpha() else f"{prefix}_{slug}".rstrip("_")


def _new_question_name(definition: dict[str, Any], title: str) -> str:
    """A readable name from the Dutch title, unique among the definition's names and answer keys."""
    taken = {name for page in _pages(definition) for name in _names_in(_elements(page))}
    return _unique(_readable(_slug(title), "vraag"), taken)


def _new_page_name(definition: dict[str, Any], title: str) -> str:
    taken = {page.get("name") for page in _pages(definition) if isinstance(page.get("name"), str)}
    return _unique(_readable(_slug(title), "pagina"), taken)


def _new_choice_value(values: list[Any], text: str) -> str:
    # SurveyJS's own items ("other", "none", "select all") have these values
    taken = {str(value) for value in values} | {"other", "none", "selectall"}
    return _unique(_slug(text) or "keuze", taken)


# Conditions that name a question -------------------------------------------------------------------------------


def _expressions(element: dict[str, Any]) -> Iterator[str]:
    for key, value in element.items():
        if isinstance(value, str) and (key.endswith("If") or key == "expression"):
            yield value
    for validator in element.get("validators") or []:
        if isinstance(validator, dict) and isinstance(validator.get("expression"), str):
            yield validator["expression"]


def _users_of(definition: dict[str, Any], name: str, value: Any = None) -> list[str]:
    """The titles of the questions, panels and pages whose conditions name question `name` by its name or answer
    key (and, given `value`, that value of it as a quoted text or a number)."""
    keys = {name, answer_key_of(find_question(definition, name)[1])}
    reference = re.compile(r"\{(?:" + "|".join(map(re.escape, keys)) + r")(?:[.\[][^{}]*)?\}")
    literals = None if value is None else {f"'{value}'", f'"{value}"', str(value)}

    def uses(element: dict[str, Any]) -> bool:
        return any(
            reference.search(expression) and (literals is None or any(lit in expression for lit in literals))
            for expression in _expressions(element)
        )

    users = []

    def visit(elements: list[Any]) -> None:
        for element in elements:
            if isinstance(element, dict):
                if element.get("name") != name and uses(element):
                    users.append(localised(element.get("title"), "nl") or str(element.get("name", "")))
                visit(_elements(element))

    for page in _pages(definition):
        if uses(page):
            users.append(localised(page.get("title"), "nl") or str(page.get("name", "")))
        visit(_elements(page))
    return users


def _refuse_if_used(definition: dict[str, Any], name: str, value: Any, message: str) -> None:
    users = _users_of(definition, name, value)
    if users:
        raise DomainError(
            message
            + " "
            + _("Pas eerst de voorwaarde aan bij: %(users)s.", users=", ".join(f"“{user}”" for user in users))
        )


# The edits -----------------------------------------------------------------------------------------------------


def edit_question(
    definition: dict[str, Any], name: str, *, title: Text, description: Text, required: bool
) -> dict[str, Any]:
    """The question's title and description (Dutch, English; the description may be empty), and whether it must
    be answered."""
    definition = copy.deepcopy(definition)
    _number, question = find_question(definition, name)
    question["title"] = _stored_text(question.get("title"), title, TITLE_MAX, _("de vraag"))
    description_text = _stored_text(
        question.get("description"), description, DESCRIPTION_MAX, _("de toelichting"), required=False, lines=True
    )
    _set(question, "description", description_text)
    _set(question, "isRequired", True if required else None)
    return definition


def item_keys(question: dict[str, Any], key: str) -> tuple[str, str]:
    """(value key, text key) of the items in the question's list `key`: a column of a matrixdropdown or
    matrixdynamic is a question, named by `name` and shown by `title`; every other item has `value` and `text`."""
    if key == "columns" and question.get("type") in COLUMN_QUESTION_KINDS:
        return "name", "title"
    return "value", "text"


def item_list(question: dict[str, Any], key: str) -> list[tuple[Any, Any]] | None:
    """(value, stored text) of each item of the question's list `key`; None when the question has no such list."""
    if question.get("type") not in ITEM_LISTS.get(key, ()) or not isinstance(question.get(key), list):
        return None
    value_key, text_key = item_keys(question, key)
    return [
        (item.get(value_key), item.get(text_key)) if isinstance(item, dict) else (item, None) for item in question[key]
    ]


def _item_messages(key: str) -> dict[str, str]:
    """What the edit of list `key` says: the words differ, the rules are the same."""
    if key == "rows":
        return {
            "none": _("Deze vraag heeft geen rijen."),
            "changed": _("De rijen zijn intussen veranderd. Laad de pagina opnieuw."),
            "used": _('De rij "%(item)s" wordt gebruikt in een voorwaarde.'),
            "one": _("Een tabelvraag heeft minstens één rij."),
            "many": _("Een vraag heeft hoogstens %(n)s rijen.", n=CHOICES_MAX),
            "what": _("een rij"),
            "new": _("de nieuwe rij"),
        }
    if key == "columns":
        return {
            "none": _("Deze vraag heeft geen kolommen."),
            "changed": _("De kolommen zijn intussen veranderd. Laad de pagina opnieuw."),
            "used": _('De kolom "%(item)s" wordt gebruikt in een voorwaarde.'),
            "one": _("Een tabelvraag heeft minstens één kolom."),
            "many": _("Een vraag heeft hoogstens %(n)s kolommen.", n=CHOICES_MAX),
            "what": _("een kolom"),
            "new": _("de nieuwe kolom"),
        }
    return {
        "none": _("Deze vraag heeft geen keuzes."),
        "changed": _("De keuzes zijn intussen veranderd. Laad de pagina opnieuw."),
        "used": _('De keuze "%(item)s" wordt gebruikt in een voorwaarde.'),
        "one": _("Een keuzevraag heeft minstens één keuze."),
        "many": _("Een vraag heeft hoogstens %(n)s keuzes.", n=CHOICES_MAX),
        "what": _("een keuze"),
        "new": _("de nieuwe keuze"),
    }


#: what a new column of a matrixdropdown or matrixdynamic takes over from the column before it
COLUMN_KIND_KEYS = ("cellType", "choices", "inputType")


def _new_item(question: dict[str, Any], key: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """The start of a new item: a column that is a question of its own asks what the column before it asks (a
    dropdown column without choices would not pass the checker); other items are a value and a text."""
    if item_keys(question, key)[0] != "name" or not items:
        return {}
    return {k: copy.deepcopy(items[-1][k]) for k in COLUMN_KIND_KEYS if k in items[-1]}


def edit_choices(
    definition: dict[str, Any], name: str, rows: Sequence[ChoiceRow], new: Text, key: str = "choices"
) -> dict[str, Any]:
    """Reword the items of the question's list `key` ("choices", or a matrix's "rows" or "columns"; their values
    stay, so that answers keep their meaning), remove those marked, and add `new` when it has a text. An item that
    a condition uses is not removed; one item at least remains."""
    definition = copy.deepcopy(definition)
    _number, question = find_question(definition, name)
    messages = _item_messages(key)
    listed = item_list(question, key)
    if listed is None:
        raise DomainError(messages["none"])
    values = [value for value, _text in listed]
    if [row.value for row in rows] != [str(value) for value in values]:
        raise DomainError(messages["changed"])
    value_key, text_key = item_keys(question, key)
    kept = []
    for item, (value, old), row in zip(question[key], listed, rows, strict=True):
        if row.remove:
            shown = text_pair(old)[0] or str(value)
            _refuse_if_used(definition, name, value, messages["used"] % {"item": shown})
            continue
        stored = _stored_text(old, row.text, CHOICE_MAX, messages["what"])
        kept.append((item if isinstance(item, dict) else {value_key: value}) | {text_key: stored})
    if new[0].strip() or new[1].strip():
        text = _stored_text(None, new, CHOICE_MAX, messages["new"])
        kept.append(_new_item(question, key, kept) | {value_key: _new_choice_value(values, new[0]), text_key: text})
    if not kept:
        raise DomainError(messages["one"])
    if len(kept) > CHOICES_MAX:
        raise DomainError(messages["many"])
    question[key] = kept
    return definition


def edit_scale_texts(definition: dict[str, Any], name: str, *, low: Text, high: Text) -> dict[str, Any]:
    """The texts at the ends of a rating question's scale (Dutch, English; either may be left empty)."""
    definition = copy.deepcopy(definition)
    _number, question = find_question(definition, name)
    if question.get("type") != "rating":
        raise DomainError(_("Deze vraag heeft geen schaal."))
    for key, text, what in (
        ("minRateDescription", low, _("het begin van de schaal")),
        ("maxRateDescription", high, _("het eind van de schaal")),
    ):
        _set(question, key, _stored_text(question.get(key), text, CHOICE_MAX, what, required=False))
    return definition


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    raise DomainError(_("Deze keuze past niet in een eenvoudige voorwaarde; schrijf de voorwaarde in de JSON."))


def set_condition(definition: dict[str, Any], name: str, source: str | None, value: Any = None) -> dict[str, Any]:
    """Show the question only when the earlier question `source` has the answer `value` (for a question with more
    answers: when they include it); `source` None shows it always (removes its visibleIf)."""
    definition = copy.deepcopy(definition)
    _number, question = find_question(definition, name)
    if source is None:
        question.pop("visibleIf", None)
        return definition
    candidate = next((q for q in condition_sources(definition, name) if q.get("name") == source), None)
    if candidate is None:
        raise DomainError(_("Kies voor de voorwaarde een eerdere vraag met keuzes."))
    if not any(same_value(value, option) for option in choice_values(candidate)):
        raise DomainError(_("Kies voor de voorwaarde een van de antwoorden van die vraag."))
    operator = "contains" if candidate.get("type") in MULTIPLE_KINDS else "="
    question["visibleIf"] = f"{{{answer_key_of(candidate)}}} {operator} {_literal(value)}"
    return definition


def _new_question(definition: dict[str, Any], kind: str, title: Text, choices: Sequence[str]) -> dict[str, Any]:
    if kind not in COMMON_TYPES:
        raise DomainError(_("Kies een soort vraag uit de lijst."))
    stored_title = _stored_text(None, title, TITLE_MAX, _("de vraag"))
    question: dict[str, Any] = {"type": kind, "name": _new_question_name(definition, title[0]), "title": stored_title}
    if kind in CHOICE_KINDS:
        pairs = [(" ".join(line.split()), "") for line in choices if line.strip()] or list(PLACEHOLDER_CHOICES)
        if len(pairs) > CHOICES_MAX:
            raise DomainError(_("Een vraag heeft hoogstens %(n)s keuzes.", n=CHOICES_MAX))
        items: list[dict[str, Any]] = []
        for pair in pairs:
            value = _new_choice_value([item["value"] for item in items], pair[0])
            items.append({"value": value, "text": _stored_text(None, pair, CHOICE_MAX, _("een keuze"))})
        question["choices"] = items
    elif kind == "rating":
        question |= {"rateMin": 1, "rateMax": 5}
    return question


def add_question(
    definition: dict[str, Any], *, page: int, position: int, kind: str, title: Text, choices: Sequence[str] = ()
) -> tuple[dict[str, Any], str]:
    """A new question of one of COMMON_TYPES on page `page` (an index) at `position` (0: at the top; past the end:
    at the end), with the Dutch `choices` for a choice question (two placeholders when none). Returns the new
    definition and the new question's name."""
    definition = copy.deepcopy(definition)
    elements = _page(definition, page).setdefault("elements", [])
    question = _new_question(definition, kind, title, choices)
    elements.insert(max(0, min(position, len(elements))), question)
    return definition, question["name"]


def _take(definition: dict[str, Any], name: str) -> tuple[int, list[Any], int, dict[str, Any]]:
    """Find a question to move away or remove: its page, list and index; refused when it is its page's only
    question (a page is never empty)."""
    number, container, question = _find(definition, name)
    if container is _elements(_page(definition, number)) and len(container) == 1:
        raise DomainError(_("Dit is de enige vraag op deze pagina: een pagina heeft minstens één vraag."))
    return number, container, container.index(question), question


def remove_question(definition: dict[str, Any], name: str) -> dict[str, Any]:
    """Remove a question that no condition names and that is not the only one on its page."""
    definition = copy.deepcopy(definition)
    _refuse_if_used(definition, name, None, _("Een voorwaarde gebruikt het antwoord op deze vraag."))
    _number, container, index, _question = _take(definition, name)
    del container[index]
    return definition


def move_question(definition: dict[str, Any], name: str, step: int) -> dict[str, Any]:
    """Move a question one place up (`step` -1) or down (+1). From the top or bottom of a page it goes to the end
    of the page before or the start of the page after; in a panel it stays in the panel."""
    if step not in (-1, 1):
        raise DomainError(_("Kies omhoog of omlaag."))
    definition = copy.deepcopy(definition)
    number, container, question = _find(definition, name)
    index = container.index(question)
    if 0 <= index + step < len(container):
        container[index], container[index + step] = container[index + step], container[index]
        return definition
    pages = _pages(definition)
    if container is not _elements(pages[number]) or not 0 <= number + step < len(pages):
        raise DomainError(_("Deze vraag staat al bovenaan.") if step < 0 else _("Deze vraag staat al onderaan."))
    _take(definition, name)
    del container[index]
    target = pages[number + step].setdefault("elements", [])
    target.insert(len(target) if step < 0 else 0, question)
    return definition


def move_to_page(definition: dict[str, Any], name: str, page: int) -> dict[str, Any]:
    """Move a question to the end of page `page` (an index)."""
    definition = copy.deepcopy(definition)
    target = _page(definition, page)
    number, container, index, question = _take(definition, name)
    if number == page:
        raise DomainError(_("De vraag staat al op deze pagina."))
    del container[index]
    target.setdefault("elements", []).append(question)
    return definition


def add_page(
    definition: dict[str, Any], *, position: int, title: Text, kind: str, question_title: Text
) -> tuple[dict[str, Any], str]:
    """A new page at `position` (an index; past the end: last) with its first question, since a page is never
    empty. Returns the new definition and the question's name."""
    definition = copy.deepcopy(definition)
    stored = _stored_text(None, title, TITLE_MAX, _("de pagina"))
    question = _new_question(definition, kind, question_title, ())
    pages = definition.setdefault("pages", [])
    page = {"name": _new_page_name(definition, title[0]), "title": stored, "elements": [question]}
    pages.insert(max(0, min(position, len(pages))), page)
    return definition, question["name"]


def rename_page(definition: dict[str, Any], page: int, title: Text) -> dict[str, Any]:
    """The page's title (Dutch, English); its name stays."""
    definition = copy.deepcopy(definition)
    target = _page(definition, page)
    target["title"] = _stored_text(target.get("title"), title, TITLE_MAX, _("de pagina"))
    return definition
