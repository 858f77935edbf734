"""Every SurveyJS documentation example in tests/surveys/examples, answered by generated respondents, has its
results, report and export: each question that carries an answer is in the results (whole or in parts) and in the
export's columns, and the report is made."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from app.surveys import export, results
from app.surveys.conditions import ConditionPlan
from app.surveys.definition import answer_key_of, questions, validate_answers, validate_definition
from app.surveys.report import report_pdf
from app.surveys.sample import generated_answers
from tests.stakeholders import pdf_text
from tests.surveys.test_results_types import closed_with

EXAMPLES = sorted((Path(__file__).parent / "examples").glob("*.json"))
RESPONDENTS = 6


@pytest.fixture
def k2(app, monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_MIN_GROUP", 2)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_every_documentation_example_has_results_a_report_and_an_export(app, k2, survey, path):
    definition = validate_definition(path.read_text(encoding="utf-8"))
    rng, plan = random.Random(path.stem), ConditionPlan(definition)
    answers = [generated_answers(definition, rng, plan) for _ in range(RESPONDENTS)]
    with app.test_request_context():
        answers = [validate_answers(definition, given) for given in answers]  # as the server stores them
    closed_with(survey, answers, definition)
    keys = {answer_key_of(question) for question in questions(definition)}
    with app.test_request_context():
        shown = results.aggregate(survey, include_text=True)
        header, rows = export.export_table(survey)
        words = pdf_text(report_pdf(survey, compress=False))
    assert shown.responses == RESPONDENTS and not shown.suppressed
    covered = {result.part_of or result.name for result in shown.questions}
    answered = {key for key in keys if any(key in given for given in answers)}
    assert answered <= covered
    assert len(rows) == RESPONDENTS
    assert all(any(column == key or column.startswith(f"{key}.") for column in header) for key in keys)
    assert survey.title in words
