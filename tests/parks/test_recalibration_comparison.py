"""The new cycle's survey compared with the previous cycle's: both cycles' k-anonymous figures side by side, small
groups held back, on the results page as "Vergelijking met de vorige meting"."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.extensions import db
from app.parks import recalibration
from app.surveys.models import Survey, SurveyResponse, SurveyStatus
from app.surveys.results import compare
from tests.factories import make_member
from tests.parks.test_recalibration import NOW, TODAY, park_at_step_8

#: the previous cycle: safe_day 2,3,4,4,5 (40 % answer 4); know_where yes for 3 of 5; burglary for 2 of 5
BEFORE = [
    {"safe_day": 4, "know_where": True, "victimisation": {"inbraak": "nee"}, "grade": 7},
    {"safe_day": 5, "know_where": False, "victimisation": {"inbraak": "1"}, "grade": 8},
    {"safe_day": 3, "know_where": True, "victimisation": {"inbraak": "nee"}, "grade": 5},
    {"safe_day": 4, "know_where": True, "victimisation": {"inbraak": "2-3"}, "grade": 6},
    {"safe_day": 2, "know_where": False, "victimisation": {"inbraak": "nee"}, "grade": 4},
]
#: the new cycle: safe_day 4,4,4,5,5 (60 % answer 4); everyone knows where to report; burglary for 1 of 5;
#: only three give a grade (a group smaller than k)
AFTER = [
    {"safe_day": 4, "know_where": True, "victimisation": {"inbraak": "nee"}, "grade": 8},
    {"safe_day": 4, "know_where": True, "victimisation": {"inbraak": "nee"}, "grade": 9},
    {"safe_day": 4, "know_where": True, "victimisation": {"inbraak": "1"}, "grade": 7},
    {"safe_day": 5, "know_where": True, "victimisation": {"inbraak": "nee"}},
    {"safe_day": 5, "know_where": True, "victimisation": {"inbraak": "nee"}},
]


@pytest.fixture
def advisor(park):
    return make_member(Role.ADVISOR, park, name="Anouk Adviseur")


def _recalibrated(park, advisor, before: list[dict], after: list[dict]) -> tuple[Survey, Survey]:
    """The previous cycle's closed survey with `before` and the new cycle's survey, closed with `after`."""
    made = park_at_step_8(park, with_survey_answers=before)
    new = recalibration.recalibrate(advisor, park, today=TODAY, now=NOW)
    survey = db.session.scalar(select(Survey).where(Survey.cycle_id == new.id))
    survey.status, survey.opens_on, survey.closes_on = SurveyStatus.CLOSED, date(2028, 2, 1), date(2028, 3, 1)
    for answers in after:
        db.session.add(SurveyResponse(survey_id=survey.id, answers=answers))
    db.session.flush()
    return made["survey"], survey


def _rows(question) -> dict:
    return {row.label: (row.previous_text, row.current_text, row.change_text) for row in question.rows}


def test_both_cycles_figures_per_closed_question(app, park, advisor):
    previous, current = _recalibrated(park, advisor, BEFORE, AFTER)
    with app.test_request_context():
        comparison = compare(current, previous)
        questions = {q.name: q for q in comparison.questions}
        safe_day = _rows(questions["safe_day"])
        know_where = _rows(questions["know_where"])
        burglary = _rows(questions["victimisation"])

    assert (comparison.previous_cycle, comparison.current_cycle) == (1, 2)
    assert (comparison.previous_responses, comparison.current_responses, comparison.suppressed) == (5, 5, False)
    assert safe_day["4"] == ("40,0", "60,0", "+20,0")
    assert safe_day["2"] == ("20,0", "0,0", "\u221220,0")
    assert (questions["safe_day"].previous_mean_text, questions["safe_day"].current_mean_text) == ("3,6", "4,4")
    assert know_where["Ja"] == ("60,0", "100,0", "+40,0")
    assert burglary["Inbraak in het pand"] == ("40,0", "20,0", "\u221220,0")
    # free-text questions are never compared; questions nobody answered are held back
    assert "remarks" not in questions and "hotspots" not in questions
    assert questions["size"].suppressed and questions["size"].rows == []


def test_small_groups_are_held_back(app, park, advisor):
    previous, current = _recalibrated(park, advisor, BEFORE, AFTER)
    with app.test_request_context():
        comparison = compare(current, previous)
    questions = {q.name: q for q in comparison.questions}
    # three grades in the new cycle: fewer than k, so neither cycle's grades are shown
    assert questions["grade"].suppressed and questions["grade"].rows == []
    assert questions["grade"].previous_mean is None and questions["grade"].current_mean is None
    # a matrix row that fewer than k answered is held back on both sides
    theft = next(r for r in questions["victimisation"].rows if r.label == "Diefstal van of uit een bedrijfsvoertuig")
    assert theft.suppressed and (theft.previous, theft.current) == (None, None)


def test_nothing_is_compared_with_a_survey_of_fewer_than_k(app, park, advisor):
    previous, current = _recalibrated(park, advisor, BEFORE[:4], AFTER)
    with app.test_request_context():
        comparison = compare(current, previous)
    assert comparison.suppressed and comparison.questions == []
    assert (comparison.previous_responses, comparison.k) == (4, 5)


def test_the_results_page_shows_the_comparison(park, advisor, login_as):
    _recalibrated(park, advisor, BEFORE, AFTER)
    text = login_as(advisor).get(f"/parken/{park.id}/enquete/resultaten/").get_data(as_text=True)
    assert "Vergelijking met de vorige meting" in text
    section = text[text.index('id="comparison-heading"') : text.index('id="all-heading"')]
    assert "Cyclus 1 (%)" in section and "Cyclus 2 (%)" in section
    assert '<td class="utrecht-table__cell">40,0</td>' in section
    assert '<td class="utrecht-table__cell">60,0</td>' in section
    assert "+20,0" in section


def test_the_results_page_says_when_the_previous_survey_is_too_small(park, advisor, login_as):
    _recalibrated(park, advisor, BEFORE[:4], AFTER)
    text = login_as(advisor).get(f"/parken/{park.id}/enquete/resultaten/").get_data(as_text=True)
    assert "Vergelijking met de vorige meting" in text
    assert 'id="comparison-suppressed"' in text
    section = text[text.index('id="comparison-heading"') : text.index('id="all-heading"')]
    assert "40,0" not in section


def test_no_comparison_without_a_previous_cycle(park, advisor, login_as):
    made = park_at_step_8(park, with_survey_answers=BEFORE)
    made["survey"].status = SurveyStatus.CLOSED
    text = login_as(advisor).get(f"/parken/{park.id}/enquete/resultaten/").get_data(as_text=True)
    assert "Alle vragen" in text
    assert "Vergelijking met de vorige meting" not in text
