"""A questionnaire's conditions, evaluated on the server as survey-core evaluates them in the browser.

`ConditionPlan(definition)` parses every condition of a checked definition once (`visibleIf`, `enableIf` and
`requiredIf` of pages, panels and questions, `choicesVisibleIf`/`choicesEnableIf` and a choice's own
`visibleIf`/`enableIf`, expression validators); `plan.verdict(answers)` then works out, for one submission,
which questions the respondent saw, which were required and read-only, which choices were offered, and what
survey-core would have refused on completing. `test_conditions_differential.py` holds this to survey-core.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext as _

from app.surveys.expressions import (
    UNDEFINED,
    ExpressionSyntaxError,
    Node,
    expression_problems,
    is_value_empty,
    lookup_in,
    mark_strict,
    parse,
    run_condition,
    split_path,
)

PANEL = "panel"
DYNAMIC_PANEL = "paneldynamic"
#: questions whose answer holds entries that each answer a template of questions, with the prefix by which a
#: template question's condition names another question of the same entry ({panel.x}, {row.x})
ENTRY_PREFIXES = {DYNAMIC_PANEL: "panel", "matrixdynamic": "row", "matrixdropdown": "row", "multipletext": "row"}
#: the fewest rows or panels survey-core shows (adding empty ones to a shorter answer)
MIN_COUNTS = {"matrixdynamic": "minRowCount", DYNAMIC_PANEL: "minPanelCount"}
#: question types whose answer is one or more of its choices
SELECT_TYPES = frozenset({"radiogroup", "checkbox", "dropdown", "tagbox", "imagepicker", "ranking"})
#: the conditions of pages, panels and questions
CONDITIONS = ("visibleIf", "enableIf", "requiredIf")
CHOICE_CONDITIONS = ("choicesVisibleIf", "choicesEnableIf")
#: the suffix survey-core strips from a variable name to reach a question's plain value
UNWRAPPED = "-unwrapped"
ITEM_VARIABLES = frozenset({"item", "choice", "self"})
#: where SurveyJS keeps the text typed for "other" or a question's comment
COMMENT_SUFFIX = "-Comment"


def answer_key_of(question: dict[str, Any]) -> str:
    """Where a question's answer is stored: its valueName, else its name."""
    return question.get("valueName") or question["name"]


def cell_question(matrix: dict[str, Any], column: dict[str, Any]) -> dict[str, Any]:
    """A column of a matrixdropdown or matrixdynamic as the question its cells are: its own cellType (or the
    matrix's, or a dropdown) and its own choices (or the matrix's)."""
    column = named(column)
    kind = column.get("cellType", "default")
    if kind == "default":
        kind = matrix.get("cellType", "dropdown")
    cell = {**column, "type": kind}
    if "choices" not in cell and "choices" in matrix:
        cell["choices"] = matrix["choices"]
    return cell


def named(entry: Any) -> dict[str, Any]:
    """A matrix column or multipletext item: SurveyJS also takes one given as just its name."""
    return entry if isinstance(entry, dict) else {"name": entry}


def matrix_columns(question: dict[str, Any]) -> list[dict[str, Any]]:
    """A (checked) matrixdropdown's or matrixdynamic's columns, each as an object with a name."""
    return [named(entry) for entry in question.get("columns") or []]


def _parse_or_none(text: Any) -> Node | None:
    """A condition's tree; survey-core ignores a condition it cannot parse (the element keeps its default)."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return parse(text)
    except ExpressionSyntaxError:
        return None


@dataclass(eq=False)
class _Choice:
    value: Any
    visible_if: Node | None
    enable_if: Node | None


@dataclass(eq=False)
class _Element:
    """A page, panel or question with its parsed conditions."""

    kind: str
    source: dict[str, Any]
    parent: _Element | None
    conditions: dict[str, Node | None]
    children: list[_Element] = field(default_factory=list)
    key: str = ""
    choices: list[_Choice] = field(default_factory=list)
    extra_choices: list[str] = field(default_factory=list)
    choice_conditions: dict[str, Node | None] = field(default_factory=dict)
    validators: list[Node | None] = field(default_factory=list)
    #: a dynamic panel's template questions, a matrix's columns or a multiple text's items: checked for each
    #: entry of its answer (`entries`)
    template: ConditionPlan | None = None


def _choice_items(question: dict[str, Any]) -> list[_Choice]:
    items = []
    for item in question.get("choices") or []:
        if isinstance(item, dict):
            items.append(
                _Choice(item.get("value"), _parse_or_none(item.get("visibleIf")), _parse_or_none(item.get("enableIf")))
            )
        else:
            items.append(_Choice(item, None, None))
    return items


def _extra_choices(question: dict[str, Any]) -> list[str]:
    """The items SurveyJS adds after the choices, in its order."""
    flags = (
        ("none", ("showNoneItem", "hasNone")),
        ("refused", ("showRefuseItem",)),
        ("dontknow", ("showDontKnowItem",)),
        ("other", ("showOtherItem", "hasOther")),
    )
    return [value for value, keys in flags if any(question.get(key) for key in keys)]


def _expression_validators(question: dict[str, Any]) -> list[Node | None]:
    """Each blocking expression validator's tree (None for one survey-core cannot parse: that one always fails)."""
    validators = []
    given = question.get("validators")
    for validator in given if isinstance(given, list) else []:
        if not isinstance(validator, dict) or validator.get("type") != "expression":
            continue
        if validator.get("notificationType", "error") != "error":
            continue
        text = validator.get("expression")
        if not isinstance(text, str) or not text:
            continue
        validators.append(_parse_or_none(text))
    return validators


@dataclass
class QuestionState:
    """What survey-core showed and checked for one question in one submission."""

    visible: bool
    required: bool
    read_only: bool
    choices: list[Any] | None
    enabled: list[Any] | None
    errors: list[str]


@dataclass
class Verdict:
    questions: dict[str, QuestionState]
    #: (kind, question) for each reason survey-core would not have completed with these answers:
    #: "hidden" (an answer to a question that was not shown), "required", "one" (a required page or panel
    #: without an answer to any of its questions shown), "validator" (an expression validator failed) and
    #: "choice" (a choice that was not offered or was disabled)
    problems: list[tuple[str, dict[str, Any]]]

    @property
    def accept(self) -> bool:
        return not self.problems


Path = list[tuple[str, float | None]]


@dataclass(frozen=True)
class _Reference:
    """A variable name worked out once: its path, and the question it names (the longest dotted prefix that is a
    question's valueName, without case) with where that prefix ends."""

    path: Path
    question: _Element | None = None
    stop: int = 0


class _SurveyScope:
    """Variables as SurveyModel resolves them: a question's value (and what lies inside it), else the answers."""

    def __init__(
        self, plan: ConditionPlan, answers: dict[str, Any], now: datetime, outer: _SurveyScope | None = None
    ) -> None:
        # an entry (a dynamic panel's, a matrix row) is a scope of its own: its answers, {panel.x} or {row.x}
        # (the plan's prefix), then the survey's (`outer`)
        self.plan, self.answers, self.now, self.outer = plan, answers, now, outer

    def value_of(self, question: _Element) -> Any:
        return self.answers.get(question.key, UNDEFINED)

    def lookup(self, name: str) -> tuple[bool, Any]:
        reference = self.plan.reference(name)
        if self.outer is not None and len(reference.path) > 1 and reference.path[0][0] == self.plan.prefix:
            return lookup_in(self.answers, reference.path[1:])
        if reference.question is not None:
            path, stop = reference.path, reference.stop
            found, value = self._in_question(reference.question, path[stop + 1 :], path[stop][1])
            if found:
                return found, value
        if self.outer is not None:
            return self.outer.lookup(name)
        return lookup_in(self.answers, reference.path)

    def _in_question(self, question: _Element, rest: Path, index: float | None) -> tuple[bool, Any]:
        value = self.value_of(question)
        if not rest:
            if index is not None and index > -1 and isinstance(value, list):
                value = value[int(index)] if index < len(value) else UNDEFINED
            return True, value
        if not _answered(value):
            return False, UNDEFINED
        if index is not None and index >= 0:
            if not isinstance(value, list):
                return False, UNDEFINED
            value = value[int(index)] if index < len(value) else UNDEFINED
        return lookup_in(value, rest)


class _QuestionScope:
    """Variables as a question resolves them for its own conditions and validators: {self}, names inside its own
    object value, then the survey's."""

    def __init__(self, survey: _SurveyScope, question: _Element) -> None:
        self.survey, self.question, self.now = survey, question, survey.now

    def own(self) -> Any:
        return self.survey.value_of(self.question)

    def lookup(self, name: str) -> tuple[bool, Any]:
        own = self.own()
        if name == "self":
            return True, own
        if isinstance(own, dict | list) and not is_value_empty(own):
            found, value = lookup_in(own, self.survey.plan.reference(name).path)
            if found:
                return found, value
        return self.survey.lookup(name)


class _ItemScope:
    """{item} (or {choice}) is the choice's value; other names are the question's."""

    def __init__(self, owner: _QuestionScope, value: Any) -> None:  # only for choices with conditions
        self.owner, self.value, self.now = owner, value, owner.now

    def lookup(self, name: str) -> tuple[bool, Any]:
        if name.lower() in ITEM_VARIABLES:
            return True, self.value
        return self.owner.lookup(name)


def _has_choice_conditions(question: _Element) -> bool:
    return any(question.choice_conditions.values()) or any(c.visible_if or c.enable_if for c in question.choices)


def _answered(value: Any) -> bool:
    """Question.isEmpty: an answer of only spaces counts as none."""
    if value is UNDEFINED:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    return value is not UNDEFINED and not is_value_empty(value)


class ConditionPlan:
    """The conditions of a checked definition, parsed once; a frozen survey's plan never changes, so keep it."""

    def __init__(self, definition: dict[str, Any], prefix: str = "", cells: bool = False) -> None:
        """`prefix` and `cells` are for a template (`entries`): how its questions name one another, and whether
        they are the cells (or items) of one answer: survey-core keeps a hidden cell's value, and a problem names
        the matrix, which is what the respondent sees."""
        self.prefix, self.cells = prefix, cells
        self.pages: list[_Element] = []
        self.questions: list[_Element] = []
        self.by_value_name: dict[str, _Element] = {}
        for page in definition.get("pages") or []:
            element = self._element("page", page, None)
            self.pages.append(element)
            self._add_children(element, page.get("elements") or [])
        self._references: dict[str, _Reference] = {}
        self.elements = self._all()
        for element in self.elements:
            nodes = [*element.conditions.values(), *element.choice_conditions.values(), *element.validators]
            nodes += [node for choice in element.choices for node in (choice.visible_if, choice.enable_if)]
            for node in nodes:
                if node is not None:
                    mark_strict(node, self._is_ranking)
        # what does not depend on the answers is worked out here, once
        self._static = {id(e): self._own_state(e, None) for e in self.elements if not any(e.conditions.values())}
        self._static_choices = {
            id(question): self._choices(question, None)
            for question in self.questions
            if question.source.get("type") in SELECT_TYPES and not _has_choice_conditions(question)
        }

    def reference(self, name: str) -> _Reference:
        """What a variable name refers to (worked out once per name)."""
        reference = self._references.get(name)
        if reference is None:
            reference = self._references[name] = self._resolve(name)
        return reference

    def _resolve(self, name: str) -> _Reference:
        path = split_path(name)
        end = 0
        while end < len(path) - 1 and path[end][1] is None:
            end += 1
        for stop in range(end, -1, -1):
            prefix = ".".join(part for part, _index in path[: stop + 1])
            question = self.by_value_name.get(prefix.removesuffix(UNWRAPPED).lower())
            if question is not None:
                return _Reference(path, question, stop)
        return _Reference(path)

    def _is_ranking(self, name: str) -> bool:
        question = self.reference(name).question
        return question is not None and question.source.get("type") == "ranking"

    def _element(self, kind: str, source: dict[str, Any], parent: _Element | None) -> _Element:
        return _Element(kind, source, parent, {key: _parse_or_none(source.get(key)) for key in CONDITIONS})

    def _add_children(self, parent: _Element, elements: list[dict[str, Any]]) -> None:
        for source in elements:
            if not isinstance(source, dict):
                continue
            if source.get("type") == PANEL:
                panel = self._element("panel", source, parent)
                parent.children.append(panel)
                self._add_children(panel, source.get("elements") or [])
                continue
            question = self._element("question", source, parent)
            question.key = answer_key_of(source)
            if source.get("type") in SELECT_TYPES:
                question.choices = _choice_items(source)
                question.extra_choices = _extra_choices(source)
                question.choice_conditions = {key: _parse_or_none(source.get(key)) for key in CHOICE_CONDITIONS}
            question.validators = _expression_validators(source)
            question.template = _template(source)
            parent.children.append(question)
            self.questions.append(question)
            self.by_value_name.setdefault(question.key.lower(), question)

    # one submission -------------------------------------------------------------------------------------

    def verdict(
        self,
        answers: dict[str, Any],
        now: datetime | None = None,
        outer: _SurveyScope | None = None,
        read_only: bool = False,
    ) -> Verdict:
        """What survey-core makes of `answers` (cleaned, `survey.data`-shaped) at `now` (default: the current time;
        today() is the day in the Netherlands). The entries of a dynamic panel, a matrix or a multiple text are
        checked with its template (`entries` names their questions' states)."""
        survey, outer_read_only = _SurveyScope(self, answers, now or datetime.now(UTC), outer), read_only
        own = dict(self._static)
        memo: dict[Any, bool] = {}
        for element in self.elements:
            if id(element) not in own:
                scope = _QuestionScope(survey, element) if element.kind == "question" else survey
                own[id(element)] = self._own_state(element, scope, memo)
        choices = dict(self._static_choices)
        for question in self.questions:
            if question.source.get("type") in SELECT_TYPES and id(question) not in choices:
                choices[id(question)] = self._choices(question, _QuestionScope(survey, question))
        visible = self._visibility(own, choices)
        # an entry's questions are read-only where their owner is (`read_only`)
        read_only = self._read_only(own, outer_read_only)
        states: dict[str, QuestionState] = {}
        problems: list[tuple[str, dict[str, Any]]] = []
        shown_keys = set()
        for question in self.questions:
            shown = self._shown(question, visible)
            if shown:
                shown_keys.add(question.key)
            listed = choices.get(id(question))
            state = QuestionState(
                visible=shown,
                required=own[id(question)]["required"],
                read_only=read_only[id(question)],
                choices=listed[0] if listed else None,
                enabled=listed[1] if listed else None,
                errors=self._errors(question, own, read_only, survey) if shown else [],
            )
            states[question.source["name"]] = state
        for question in self.questions:
            state = states[question.source["name"]]
            value = survey.value_of(question)
            answered = _answered(value)
            comment = _answered(answers.get(question.key + COMMENT_SUFFIX, UNDEFINED))
            if (answered or comment) and question.key not in shown_keys and not self.cells:
                problems.append(("hidden", question.source))
            if not state.visible:
                continue
            problems.extend((error, question.source) for error in state.errors)
            if state.enabled is not None and answered:
                chosen = value if isinstance(value, list) else [value]
                if any(
                    not any(item == allowed and type(item) is type(allowed) for allowed in state.enabled)
                    for item in chosen
                ):
                    problems.append(("choice", question.source))
            for prefix, _key, entry in entries(question, value):
                inner = question.template.verdict(entry, survey.now, survey, state.read_only)
                states.update((prefix + name, item) for name, item in inner.questions.items())
                cells = question.template.cells
                problems.extend((kind, question.source if cells else part) for kind, part in inner.problems)
        problems.extend(("one", element.source) for element in self._unanswered(own, visible, read_only, survey))
        return Verdict(states, problems)

    def _unanswered(
        self, own: dict[int, dict[str, bool]], visible: dict[int, bool], read_only: dict[int, bool], survey: Any
    ) -> list[_Element]:
        """The required pages and panels shown, not read-only, none of whose shown questions was answered
        (PanelModelBase.validateRequired: "answer at least one question")."""
        missing = []
        for element in self.elements:
            if element.kind == "question" or not own[id(element)]["required"] or read_only[id(element)]:
                continue
            if not self._shown(element, visible):
                continue
            inside = [q for q in self._questions_in(element) if self._shown(q, visible)]
            if inside and not any(_answered(survey.value_of(question)) for question in inside):
                missing.append(element)
        return missing

    @staticmethod
    def _questions_in(element: _Element) -> list[_Element]:
        found = []
        for child in element.children:
            found += [child] if child.kind == "question" else ConditionPlan._questions_in(child)
        return found

    def _all(self) -> list[_Element]:
        elements: list[_Element] = []

        def walk(element: _Element) -> None:
            elements.append(element)
            for child in element.children:
                walk(child)

        for page in self.pages:
            walk(page)
        return elements

    @staticmethod
    def _own_state(element: _Element, scope: Any, memo: dict[Any, bool] | None = None) -> dict[str, bool]:
        """The element's own visible, read-only and required flags: its property, or its condition's result. A
        condition text met before in this submission is not run again (questionnaires repeat them), unless the
        element's own answer could change its meaning ({self}, names inside an object answer)."""
        source, conditions = element.source, element.conditions
        state = {
            "visible": source.get("visible", True) is not False,
            "read_only": source.get("readOnly") is True,
            "required": source.get("isRequired") is True,
        }
        shared = not isinstance(scope, _QuestionScope) or not isinstance(scope.own(), dict | list)
        for key, flag in (("visibleIf", "visible"), ("enableIf", "read_only"), ("requiredIf", "required")):
            node = conditions[key]
            if node is None:
                continue
            text = source[key]
            memo_key = text if shared and "self" not in text else (text, id(element))
            result = memo.get(memo_key) if memo is not None else None
            if result is None:
                result = run_condition(node, scope)
                if memo is not None:
                    memo[memo_key] = result
            state[flag] = not result if flag == "read_only" else result
        return state

    @staticmethod
    def _choices(question: _Element, scope: _QuestionScope | None) -> tuple[list[Any], list[Any]]:
        """The choices offered (a choice's own visibleIf, else the question's choicesVisibleIf) and, of those,
        the ones that could be picked (likewise enableIf / choicesEnableIf); SurveyJS's own items last."""
        offered, enabled = [], []
        visible_if = question.choice_conditions.get("choicesVisibleIf")
        enable_if = question.choice_conditions.get("choicesEnableIf")
        for choice in question.choices:
            item_scope = _ItemScope(scope, choice.value) if scope is not None else None
            shown_rule = choice.visible_if or visible_if
            if shown_rule is not None and not run_condition(shown_rule, item_scope):
                continue
            offered.append(choice.value)
            enable_rule = choice.enable_if or enable_if
            if enable_rule is None or run_condition(enable_rule, item_scope):
                enabled.append(choice.value)
        offered.extend(question.extra_choices)
        enabled.extend(question.extra_choices)
        return offered, enabled

    def _visibility(self, own: dict[int, dict[str, bool]], choices: dict[int, tuple[list, list]]) -> dict[int, bool]:
        """isVisible of every element: a question's own flag (hidden too when hideIfChoicesEmpty and no choice is
        offered); a page's or panel's own flag and at least one visible element inside."""
        visible: dict[int, bool] = {}

        def compute(element: _Element) -> bool:
            if element.kind == "question":
                result = own[id(element)]["visible"]
                if result and element.source.get("hideIfChoicesEmpty") and id(element) in choices:
                    result = bool(choices[id(element)][0])
            else:
                inner = [compute(child) for child in element.children]
                result = own[id(element)]["visible"] and any(inner)
            visible[id(element)] = result
            return result

        for page in self.pages:
            compute(page)
        return visible

    def _read_only(self, own: dict[int, dict[str, bool]], outer: bool) -> dict[int, bool]:
        read_only: dict[int, bool] = {}
        for element in self.elements:
            inherited = read_only[id(element.parent)] if element.parent is not None else outer
            read_only[id(element)] = own[id(element)]["read_only"] or inherited
        return read_only

    @staticmethod
    def _shown(question: _Element, visible: dict[int, bool]) -> bool:
        element: _Element | None = question
        while element is not None:
            if not visible[id(element)]:
                return False
            element = element.parent
        return True

    @staticmethod
    def _errors(
        question: _Element, own: dict[int, dict[str, bool]], read_only: dict[int, bool], survey: _SurveyScope
    ) -> list[str]:
        """Question.hasErrors as the survey runs it on completing: nothing on a read-only question; a required
        question without an answer; otherwise each failing expression validator."""
        if read_only[id(question)]:
            return []
        if own[id(question)]["required"] and not _answered(survey.value_of(question)):
            return ["required"]
        errors: list[str] = []
        if not question.validators:
            return errors
        scope = _QuestionScope(survey, question)
        for validator in question.validators:
            if validator is None or not run_condition(validator, scope):
                errors.append("validator")
        return errors


def _template(source: dict[str, Any]) -> ConditionPlan | None:
    """The questions of one entry: a dynamic panel's template, a matrix's columns (whose values survey-core keeps
    when the cell is hidden), a multiple text's items (text questions)."""
    kind = source.get("type")
    if kind == DYNAMIC_PANEL:
        elements = _listed(source.get("templateElements"))
    elif kind in ("matrixdynamic", "matrixdropdown"):
        elements = [cell_question(source, column) for column in matrix_columns(source)]
        elements = [cell for cell in elements if cell["type"] != "expression"]
    elif kind == "multipletext":
        elements = [{**named(item), "type": "text"} for item in _listed(source.get("items"))]
    else:
        return None
    return ConditionPlan({"pages": [{"elements": elements}]}, ENTRY_PREFIXES[kind], kind != DYNAMIC_PANEL)


def entries(question: _Element, value: Any) -> list[tuple[str, Any, dict[str, Any]]]:
    """The entries of a (shown) question with a template, as survey-core checks them: (the prefix of their
    questions' names in `Verdict.questions`, where the entry sits in `value`, the entry's answers).

    A dynamic panel's and matrixdynamic's entries are the list's ("name[0].", 0, {...}) and empty ones up to its
    minimum count (a matrixdynamic without an answer has only those: its rows were removed); a matrixdropdown has
    one per row of `rows` ("name[0].", "row value", {...}), answered or not; a multiple text has one, its value
    ("name.", None, {...})."""
    kind, name = question.source.get("type"), question.source["name"]
    if question.template is None:
        return []
    if kind == "multipletext":
        return [(f"{name}.", None, value if isinstance(value, dict) else {})]
    if kind == "matrixdropdown":
        rows = value if isinstance(value, dict) else {}
        return [
            (f"{name}[{index}].", str(row), _entry(rows.get(str(row))))
            for index, row in enumerate(_item_values(question.source.get("rows")))
        ]
    if kind == "matrixdynamic" and value is UNDEFINED:
        # survey-core sends no answer both for rows left empty (which the page refuses) and for rows the
        # respondent removed (which it takes): taken as removed, down to the fewest the matrix keeps
        value = []
    if not isinstance(value, list):
        return []
    value = value + [{}] * (question.source.get(MIN_COUNTS[kind], 0) - len(value))
    return [(f"{name}[{index}].", index, _entry(entry)) for index, entry in enumerate(value)]


def _entry(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _item_values(items: Any) -> list[Any]:
    return [item.get("value") if isinstance(item, dict) else item for item in _listed(items)]


def _listed(value: Any) -> list[Any]:
    """A list property of a definition still being checked (which may hold anything)."""
    return value if isinstance(value, list) else []


def expressions_of(element: dict[str, Any]) -> list[tuple[str, Any]]:
    """Every expression one page, panel or question carries, as (property, text) for the definition checker to
    pass to `check_expression`: its conditions, its choices' conditions ("choices[2].visibleIf") and its
    expression validators ("validators[0].expression"). A dynamic panel's template questions are elements of
    their own (in `templateElements`)."""
    found = [(key, element[key]) for key in (*CONDITIONS, *CHOICE_CONDITIONS) if key in element]
    for index, choice in enumerate(_listed(element.get("choices"))):
        if isinstance(choice, dict):
            found += [(f"choices[{index}].{key}", choice[key]) for key in ("visibleIf", "enableIf") if key in choice]
    for index, validator in enumerate(_listed(element.get("validators"))):
        if isinstance(validator, dict) and validator.get("type") == "expression" and "expression" in validator:
            found.append((f"validators[{index}].expression", validator["expression"]))
    return found


def check_expression(text: Any, calculated: Collection[str] = ()) -> list[str]:
    """Why the server could not evaluate a condition as SurveyJS does, in Dutch (empty when it can): a syntax
    error, an unknown function, or a function or variable that reads the live form instead of the answers, or a
    calculated value (`calculated`: their names in lower case), which only the browser works out."""
    if not isinstance(text, str):
        return [_("een voorwaarde moet een tekst zijn")]
    problems = []
    for kind, detail in expression_problems(text, calculated):
        if kind == "syntax":
            problems.append(_('"%(text)s" is geen geldige voorwaarde', text=detail[:200]))
        elif kind == "function":
            problems.append(
                _('de functie "%(name)s" bestaat niet of hangt af van het formulier in de browser', name=detail)
            )
        else:
            problems.append(
                _(
                    'de variabele "%(name)s" hangt af van het formulier in de browser, niet van de antwoorden',
                    name=detail,
                )
            )
    return problems


def describe(kind: str, shown: str) -> str:
    """A problem of `Verdict.problems` in words, naming the question as the respondent knows it (`shown`)."""
    if kind == "hidden":
        return _('De vraag "%(name)s" werd niet getoond en hoort dus geen antwoord te hebben.', name=shown)
    if kind == "required":
        return _('De vraag "%(name)s" is verplicht.', name=shown)
    if kind == "one":
        return _('Beantwoord ten minste één vraag bij "%(name)s".', name=shown)
    if kind == "choice":
        return _('Bij de vraag "%(name)s" is een keuze gekozen die niet kon worden gekozen.', name=shown)
    return _('Het antwoord op de vraag "%(name)s" voldoet niet aan de controle van de vragenlijst.', name=shown)
