"""Plausible generated answers to a questionnaire: for the demo data, the benchmarks and tests that need volume."""

from __future__ import annotations

import random
from typing import Any

from app.surveys.conditions import ConditionPlan, Verdict, entries
from app.surveys.definition import COMMENT_SUFFIX, answer_key_of, cell_question, matrix_columns, questions, rating_scale

REMARKS = [
    "Slechte verlichting bij de ingang van het terrein.",
    "Vaak vrachtwagens die 's nachts op de stoep parkeren.",
    "Het zwerfvuil langs het water wordt steeds erger.",
    "Graag vaker surveillance in het weekend.",
    "Camera's bij de in- en uitgang zouden helpen.",
    "Wij weten niet bij wie we verdachte situaties moeten melden.",
]
TOWNS = ["Utrecht", "Amersfoort", "Zeist"]
#: how often `generated_answers` draws at most
DRAWS = 50


def _values(items: list[Any]) -> list[Any]:
    return [item["value"] if isinstance(item, dict) else item for item in items]


def _answer_count_limit(question: dict[str, Any]) -> list[int]:
    return [v["maxCount"] for v in question.get("validators", []) if v.get("type") == "answercount" and "maxCount" in v]


def any_answer(question: dict[str, Any], rng: random.Random) -> Any:
    """A valid answer to a (checked) question of any accepted type, shaped as SurveyJS stores it."""
    kind = question["type"]
    values = _values(question.get("choices", []))
    if kind in ("radiogroup", "dropdown") or (kind == "imagepicker" and not question.get("multiSelect")):
        return rng.choice(values)
    if kind in ("checkbox", "tagbox", "imagepicker"):
        high = min(question.get("maxSelectedChoices") or len(values), len(values), *_answer_count_limit(question))
        return rng.sample(values, rng.randint(max(1, question.get("minSelectedChoices", 0)), high))
    if kind == "ranking":
        if question.get("selectToRankEnabled"):
            return rng.sample(values, rng.randint(1, question.get("maxSelectedChoices") or len(values)))
        return rng.sample(values, len(values))
    if kind == "rating":
        return rng.choice(rating_scale(question) or [1])
    if kind == "boolean":
        if "valueTrue" in question:
            return rng.choice([question["valueTrue"], question["valueFalse"]])
        return rng.random() < 0.5
    if kind == "slider":
        low, step = question.get("min", 0), question.get("step", 1)
        pick = [low + step * rng.randint(0, int((question.get("max", 100) - low) / step)) for _ in range(2)]
        return sorted(pick) if question.get("sliderType") == "range" else pick[0]
    if kind == "text" and question.get("inputType") in ("number", "range"):
        return rng.randint(question.get("min", 18), question.get("max", 120))
    if kind == "text" and question.get("inputType") == "email":
        return rng.choice(["iemand@example.nl", "a.b@bedrijf.example.com"])
    if kind == "text" and question.get("inputType") == "date":
        return "2026-01-31"
    if kind in ("text", "comment"):
        return rng.choice(TOWNS)
    if kind == "matrix":
        return {str(row): rng.choice(_values(question["columns"])) for row in _values(question["rows"])}
    if kind in ("matrixdropdown", "matrixdynamic"):
        columns = [cell_question(question, column) for column in matrix_columns(question)]

        def row() -> dict[str, Any]:
            return {column["name"]: any_answer(column, rng) for column in columns if column["type"] != "expression"}

        if kind == "matrixdropdown":
            return {str(value): row() for value in _values(question["rows"])}
        count = question.get("minRowCount") or question.get("rowCount", 2)
        return [row() for _ in range(min(count, question.get("maxRowCount", count)))]
    if kind == "multipletext":
        return {item["name"]: any_answer({**item, "type": "text"}, rng) for item in question["items"]}
    if kind == "paneldynamic":
        template = questions({"pages": [{"elements": question["templateElements"]}]})
        count = question.get("minPanelCount") or question.get("panelCount") or rng.randint(1, 3)
        count = min(count, question.get("maxPanelCount", count))
        return [{answer_key_of(inner): any_answer(inner, rng) for inner in template} for _ in range(count)]
    raise ValueError(kind)


def _plausible(question: dict[str, Any], rng: random.Random) -> Any:
    """An answer as a company on a park would give it: the default questionnaire's types with its distributions
    (most companies never a victim, a grade towards the top), any other type as `any_answer`; None for a skip."""
    kind = question["type"]
    if kind == "checkbox":
        return [choice for choice in _values(question["choices"]) if rng.random() < 0.3] or None
    if kind == "rating" and "rateValues" not in question:
        low, high = question.get("rateMin", 1), question.get("rateMax", 5)
        return round(rng.triangular(low, high, high - (high - low) / 3))
    if kind == "matrix":
        # the first column is "no" / "no nuisance"; about half the companies tick another one somewhere
        first, *others = _values(question["columns"])
        exposure = rng.uniform(0, 0.15)
        return {
            str(row): rng.choice(others) if others and rng.random() < exposure else first
            for row in _values(question["rows"])
        }
    if kind in ("comment", "text") and question.get("inputType") not in ("number", "range", "email", "date"):
        return rng.choice(REMARKS) if rng.random() < 0.25 else None
    return any_answer(question, rng)


def _shown_in_entries(verdict: Verdict, question: Any, value: Any) -> Any:
    """The answer to a dynamic panel, a matrix or a multiple text without what its template hid in each entry
    (`entries`: the verdict names them "name[i].inner")."""
    shown = list(value) if isinstance(value, list) else dict(value) if isinstance(value, dict) else value
    for prefix, where, entry in entries(question, value):
        hidden = set()
        for inner in question.template.questions:
            state = verdict.questions.get(prefix + inner.source["name"])
            if state is not None and not state.visible:
                hidden |= {inner.key, inner.key + COMMENT_SUFFIX}
        kept = {key: answer for key, answer in entry.items() if key not in hidden}
        if where is None:
            shown = kept
        elif (isinstance(shown, dict) and where in shown) or (isinstance(shown, list) and where < len(shown)):
            # (the empty rows or panels survey-core adds are no part of the answer)
            shown[where] = kept
    return shown


def without_hidden(plan: ConditionPlan, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers a respondent could give: those to questions their earlier answers hide are dropped (hiding one
    may hide another), as SurveyJS clears them on completing; in each entry of a dynamic panel likewise, and in
    each matrix row (survey-core keeps a hidden cell's value, but a respondent would not have given it)."""
    while True:
        verdict = plan.verdict(answers)
        hidden = {answer_key_of(question) for kind, question in verdict.problems if kind == "hidden"}
        hidden |= {key + COMMENT_SUFFIX for key in hidden}
        shown = {key: value for key, value in answers.items() if key not in hidden}
        for question in plan.questions:
            if question.template is not None and question.key in shown:
                shown[question.key] = _shown_in_entries(verdict, question, shown[question.key])
        if shown == answers:
            return answers
        answers = shown


def generated_answers(definition: dict[str, Any], rng: random.Random, plan: ConditionPlan | None = None) -> dict:
    """One respondent who answers every question they are shown with `any_answer`; drawn again (a few times at
    most) while an expression validator refuses the draw, as a respondent corrects what the page refuses."""
    plan = plan or ConditionPlan(definition)
    for _attempt in range(DRAWS):
        answers: dict[str, Any] = {}
        for question in questions(definition):
            answers.setdefault(answer_key_of(question), any_answer(question, rng))
        answers = without_hidden(plan, answers)
        if plan.verdict(answers).accept:
            break
    return answers


def sample_answers(definition: dict[str, Any], rng: random.Random, plan: ConditionPlan | None = None) -> dict:
    """One respondent: most questions answered, a few skipped, most companies never a victim, and questions that
    would be hidden (a condition on an earlier answer that does not hold) left out."""
    answers: dict[str, Any] = {}
    for question in questions(definition):
        if rng.random() < 0.08:
            continue
        value = _plausible(question, rng)
        if value is not None:
            answers.setdefault(answer_key_of(question), value)
    return without_hidden(plan or ConditionPlan(definition), answers)
