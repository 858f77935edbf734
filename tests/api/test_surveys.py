"""Survey aggregates through the API: the k-anonymous results only (never raw answers or free text), shown to
partners and the auditor once the survey is closed, per-park permissions."""

from __future__ import annotations

import json
from datetime import date

import pytest

from app.api.models import ApiScope
from app.auth.models import Role
from app.extensions import db as _db
from app.parks.services import active_cycle
from app.surveys.definition import load_default
from app.surveys.models import Survey, SurveyResponse, SurveyStatus
from tests.api.test_access import assert_problem
from tests.factories import make_member
from tests.surveys.test_results import FIVE, REMARK
from tests.surveys.test_results_types import ANSWERS, DEFINITION


def make_survey(park, *, status=SurveyStatus.CLOSED, answers=(), title="Enquête veiligheid") -> Survey:
    survey = Survey(
        park=park,
        cycle=active_cycle(park),
        title=title,
        definition=load_default(),
        status=status,
        opens_on=date(2026, 2, 1),
        closes_on=date(2026, 3, 1),
    )
    _db.session.add(survey)
    _db.session.flush()
    for answer in answers:
        _db.session.add(SurveyResponse(survey_id=survey.id, answers=answer))
    _db.session.commit()
    return survey


def _url(park, suffix=""):
    return f"/api/v1/parks/{park.id}/surveys{suffix}"


def test_results_are_the_k_anonymous_aggregates_without_free_text(api_as, db, park):
    survey = make_survey(park, answers=FIVE)
    # the advisor may read free text on the results page; the API never gives it
    response = api_as(make_member(Role.ADVISOR, park)).get(_url(park, f"/{survey.id}/results"))
    assert response.status_code == 200
    body = response.get_json()
    assert (body["survey_id"], body["responses"], body["k"], body["suppressed"]) == (survey.id, 5, 5, False)
    by_name = {q["name"]: q for q in body["questions"]}
    sector = {s["value"]: (s["count"], round(s["percent"], 1)) for s in by_name["sector"]["shares"]}
    assert sector["productie"] == (3, 60.0) and sector["bouw"] == (1, 20.0)
    assert {s["value"]: s["count"] for s in by_name["know_where"]["shares"]} == {True: 3, False: 2}
    assert by_name["safe_day"]["mean"] == pytest.approx(3.6)
    victimisation = {r["value"]: r["any"] for r in by_name["victimisation"]["rows"]}
    assert victimisation["inbraak"]["count"] == 2
    # sectors of fewer than five people are held back; here every one is
    assert body["sectors"] and all(s["suppressed"] and s["count"] is None for s in body["sectors"])
    text = json.dumps(body, ensure_ascii=False)
    assert REMARK not in text and "Politie kwam niet" not in text
    assert "remarks" not in by_name and "why_not-Comment" not in by_name


def test_fewer_than_k_responses_show_nothing(api_as, db, park):
    survey = make_survey(park, answers=FIVE[:4])
    body = api_as(make_member(Role.PARTNER, park)).get(_url(park, f"/{survey.id}/results")).get_json()
    assert (body["responses"], body["suppressed"], body["questions"], body["sectors"]) == (4, True, [], [])


def test_everyone_sees_results_once_closed(api_as, db, park):
    survey = make_survey(park, status=SurveyStatus.OPEN, answers=FIVE)
    for role in (Role.PARTNER, Role.AUDITOR, Role.MUNICIPALITY, Role.ADVISOR):
        api = api_as(make_member(role, park))
        refused = assert_problem(api.get(_url(park, f"/{survey.id}/results")), 403)
        assert refused["detail"] == "De resultaten zijn te zien zodra de enquête is gesloten."
        listed = api.get(_url(park)).get_json()
        assert listed[0]["results_available"] is False and listed[0]["responses"] is None
    survey.status = SurveyStatus.CLOSED
    _db.session.commit()
    for role in (Role.PARTNER, Role.ADVISOR):
        api = api_as(make_member(role, park))
        assert api.get(_url(park, f"/{survey.id}/results")).status_code == 200
        assert api.get(_url(park)).get_json()[0]["responses"] == 5


def test_survey_list(api_as, db, park):
    first = make_survey(park, answers=FIVE, title="Eerste enquête")
    second = make_survey(park, status=SurveyStatus.DRAFT, title="Tweede enquête")
    response = api_as(make_member(Role.ADVISOR, park)).get(_url(park, "?page_size=1"))
    assert [s["id"] for s in response.get_json()] == [second.id]
    assert json.loads(response.headers["X-Pagination"])["total"] == 2
    body = api_as(make_member(Role.ADVISOR, park)).get(_url(park)).get_json()
    assert [(s["id"], s["status"], s["responses"]) for s in body] == [
        (second.id, "draft", None),
        (first.id, "closed", 5),
    ]
    assert body[1] | {"id": 0} == {
        "id": 0,
        "title": "Eerste enquête",
        "cycle_number": 1,
        "status": "closed",
        "status_label": "Gesloten",
        "opens_on": "2026-02-01",
        "closes_on": "2026-03-01",
        "results_available": True,
        "responses": 5,
    }


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.ADVISOR, 200),
        (Role.MUNICIPALITY, 200),
        (Role.PARTNER, 200),
        (Role.AUDITOR, 200),
        (Role.ENTREPRENEUR, 403),
        (Role.CAMERA_OFFICER, 403),
    ],
)
def test_surveys_follow_surveys_results(api_as, db, park, role, status):
    survey = make_survey(park, answers=FIVE)
    api = api_as(make_member(role, park))
    assert api.get(_url(park)).status_code == status
    assert api.get(_url(park, f"/{survey.id}/results")).status_code == status


def test_another_parks_survey_is_404(api_as, db, park, other_park):
    survey = make_survey(park, answers=FIVE)
    stranger = api_as(make_member(Role.ADVISOR, other_park))
    assert_problem(stranger.get(_url(park)), 404)
    assert_problem(stranger.get(_url(park, f"/{survey.id}/results")), 404)
    assert_problem(stranger.get(_url(other_park, f"/{survey.id}/results")), 404)
    assert stranger.get(_url(other_park)).get_json() == []


def test_surveys_are_read_only(api_as, db, park):
    survey = make_survey(park, answers=FIVE)
    api = api_as(make_member(Role.ADVISOR, park), ApiScope.WRITE)
    assert_problem(api.post(_url(park, f"/{survey.id}/results"), json={}), 405)


def test_results_of_every_question_type(api_as, db, app, monkeypatch, park):
    """Parts of compound questions say what they are part of; a ranking's choices carry their mean position; a
    part fewer than k answered is held back; free-text parts are never given."""
    monkeypatch.setitem(app.config, "SURVEY_MIN_GROUP", 3)
    survey = make_survey(park, answers=ANSWERS)
    survey.definition = DEFINITION
    _db.session.commit()
    body = api_as(make_member(Role.PARTNER, park)).get(_url(park, f"/{survey.id}/results")).get_json()
    by_name = {q["name"]: q for q in body["questions"]}
    first = by_name["priorities"]["shares"][0]
    assert (first["value"], round(first["mean"], 2), first["count"]) == ("inbraak", 1.33, 2)
    assert by_name["tools"]["multiple"] is True and by_name["logo"]["multiple"] is False
    alarm = by_name["sites.alarm"]
    assert (alarm["part_of"], alarm["answered"], alarm["entries"], alarm["title"]) == (
        "sites",
        3,
        4,
        "Vestigingen \u2013 Alarm?",
    )
    assert by_name["costs.2024.amount"]["mean"] == 200.0 and by_name["costs.2025.amount"]["suppressed"] is True
    assert by_name["hours.max"]["mean"] == 17.0 and by_name["employees"]["part_of"] is None
    assert "costs.2024.note" not in by_name and "contact person.role" not in by_name
    assert "Ruit vernield" not in json.dumps(body, ensure_ascii=False)
