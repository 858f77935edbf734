"""Survey results: the numbers per question, k-anonymity, free text for the advisor only, the comparison with
the previous cycle, the response rate, the raw export, the conclusions and step 3's criterion."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app import audit
from app.audit.models import AuditEvent
from app.audit.services import RESPONDENT_LABEL
from app.auth.models import Role
from app.auth.policy import results_shown
from app.errors import DomainError, NotAllowed
from app.parks import steps
from app.parks.models import CycleStatus
from app.parks.services import active_cycle, start_cycle
from app.surveys import export, report, results, services
from app.surveys.definition import load_default
from app.surveys.models import InvitationStatus, Survey, SurveyContact, SurveyResponse, SurveyStatus
from app.surveys.response_rate import response_rate
from app.surveys.responses import ANSWERED
from tests.factories import make_company, make_invitation, make_member, make_response

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
REMARK = "De verlichting bij Atoomweg 50 is al maanden kapot"

#: five hand-made responses; the expected numbers below are counted by hand
FIVE = [
    {
        "sector": "productie",
        "safe_day": 4,
        "safe_dark": 2,
        "grade": 7,
        "hours": ["overdag", "avond"],
        "victimisation": {"inbraak": "nee", "vernieling": "1"},
        "nuisance": {"zwerfvuil": "veel", "verlichting": "geen"},
        "know_where": True,
        "remarks": REMARK,
    },
    {
        "sector": "productie",
        "safe_day": 5,
        "safe_dark": 3,
        "grade": 8,
        "hours": ["overdag"],
        "victimisation": {"inbraak": "1", "vernieling": "nee"},
        "nuisance": {"zwerfvuil": "enige", "verlichting": "geen"},
        "know_where": False,
    },
    {
        "sector": "bouw",
        "safe_day": 3,
        "safe_dark": 1,
        "grade": 5,
        "hours": ["overdag", "nacht"],
        "victimisation": {"inbraak": "nee", "vernieling": "nee"},
        "nuisance": {"zwerfvuil": "geen", "verlichting": "veel"},
        "know_where": True,
    },
    {
        "sector": "productie",
        "safe_day": 4,
        "safe_dark": 2,
        "grade": 6,
        "hours": ["weekend"],
        "victimisation": {"inbraak": "2-3", "vernieling": "vaker"},
        "nuisance": {"zwerfvuil": "veel", "verlichting": "enige"},
        "know_where": True,
        "why_not": ["other"],
        "why_not-Comment": "Politie kwam niet",
    },
    {
        "sector": "horeca",
        "safe_day": 2,
        "safe_dark": 1,
        "grade": 4,
        "hours": ["avond", "nacht"],
        "victimisation": {"inbraak": "nee", "vernieling": "nee"},
        "nuisance": {"zwerfvuil": "geen", "verlichting": "geen"},
        "know_where": False,
    },
]


def add_responses(survey: Survey, answers: list[dict], *, period: int = 1) -> None:
    for answer in answers:
        make_response(survey, answer, period=period)


def shares(question: results.QuestionResult) -> dict:
    return {s.value: (s.count, round(s.percent, 1)) for s in question.shares}


def rows(question: results.QuestionResult) -> dict:
    return {r.value: (r.any.count, round(r.any.percent, 1)) for r in question.rows if not r.suppressed}


@pytest.fixture
def advisor(park):
    return make_member(Role.ADVISOR, park, name="Anna Adviseur")


@pytest.fixture
def answering(survey):
    """The open survey with FIVE answers: no results yet."""
    add_responses(survey, FIVE)
    return survey


@pytest.fixture
def answered(answering):
    """The survey with FIVE answers, closed: results for who may see them."""
    answering.status = SurveyStatus.CLOSED
    return answering


# Counting --------------------------------------------------------------------------------------------------


def test_counts_and_percentages_per_question(app, answered):
    with app.test_request_context():
        result = results.aggregate(answered, include_text=False)
    assert (result.responses, result.suppressed, result.k) == (5, False, 5)

    sector = result.question("sector")
    assert shares(sector) == {
        "productie": (3, 60.0),
        "groothandel_logistiek": (0, 0.0),
        "bouw": (1, 20.0),
        "zakelijke_dienstverlening": (0, 0.0),
        "detailhandel": (0, 0.0),
        "horeca": (1, 20.0),
        "overig": (0, 0.0),
    }
    assert sector.shares[0].label == "Productie en industrie"
    # several answers per respondent: the percentages add up to more than 100
    hours = result.question("hours")
    assert hours.multiple and shares(hours) == {
        "overdag": (3, 60.0),
        "avond": (2, 40.0),
        "nacht": (2, 40.0),
        "weekend": (1, 20.0),
    }
    assert shares(result.question("know_where")) == {True: (3, 60.0), False: (2, 40.0)}
    assert [s.label for s in result.question("know_where").shares] == ["Ja", "Nee"]
    # questions nobody answered say so instead of showing zeros
    assert result.question("damage").suppressed and result.question("damage").answered == 0


def test_safety_feeling_distributions_and_means(app, answered):
    with app.test_request_context():
        result = results.aggregate(answered, include_text=False)
    day, dark = result.safety
    assert (day.name, dark.name) == ("safe_day", "safe_dark")
    assert shares(day) == {1: (0, 0.0), 2: (1, 20.0), 3: (1, 20.0), 4: (2, 40.0), 5: (1, 20.0)}
    assert shares(dark) == {1: (2, 40.0), 2: (2, 40.0), 3: (1, 20.0), 4: (0, 0.0), 5: (0, 0.0)}
    assert day.shares[0].label == "1 (zeer onveilig)" and day.shares[-1].label == "5 (zeer veilig)"
    assert round(day.mean, 2) == 3.6 and round(dark.mean, 2) == 1.8
    assert round(result.grade.mean, 2) == 6.0
    with app.test_request_context():
        assert (day.mean_text, dark.mean_text) == ("3,6", "1,8")


def test_victimisation_per_crime_type_and_nuisance_per_theme(app, answered):
    with app.test_request_context():
        result = results.aggregate(answered, include_text=False)
    # a victim: any answer but the first column ("nee")
    assert rows(result.victimisation) == {"inbraak": (2, 40.0), "vernieling": (2, 40.0)}
    # rows nobody answered are held back, not shown as 0 %
    assert {r.value for r in result.victimisation.rows if r.suppressed} >= {"overval", "cybercrime"}
    assert (result.victims_any.count, result.victims_any.percent) == (3, 60.0)
    assert rows(result.themes) == {"zwerfvuil": (3, 60.0), "verlichting": (2, 40.0)}
    zwerfvuil = next(r for r in result.themes.rows if r.value == "zwerfvuil")
    assert [(s.value, s.count) for s in zwerfvuil.shares] == [("geen", 2), ("enige", 1), ("veel", 2)]
    assert result.themes.columns == ["Geen overlast", "Enige overlast", "Veel overlast"]


# k-anonymity -----------------------------------------------------------------------------------------------


def test_fewer_than_k_responses_show_nothing(app, survey):
    add_responses(survey, FIVE[:4])
    survey.status = SurveyStatus.CLOSED
    with app.test_request_context():
        result = results.aggregate(survey, include_text=True)
    assert result.suppressed and result.responses == 4
    assert result.questions == [] and result.sectors == [] and result.victims_any is None

    add_responses(survey, FIVE[4:])
    with app.test_request_context():
        assert not results.aggregate(survey, include_text=True).suppressed


def test_k_comes_from_the_configuration(app, monkeypatch, answered):
    monkeypatch.setitem(app.config, "SURVEY_MIN_GROUP", 6)
    with app.test_request_context():
        assert results.aggregate(answered, include_text=False).suppressed
    # bouw and horeca (1 each) are held back, and together they reach k, so productie can be shown
    monkeypatch.setitem(app.config, "SURVEY_MIN_GROUP", 2)
    with app.test_request_context():
        result = results.aggregate(answered, include_text=False)
    assert [(s.label, s.suppressed, s.count) for s in result.sectors] == [
        ("Productie en industrie", False, 3),
        ("Bouw", True, None),
        ("Horeca", True, None),
    ]


def _sector_answers(counts: dict[str | None, int]) -> list[dict]:
    answers = []
    for sector, n in counts.items():
        for i in range(n):
            answer = {"safe_day": 2 + i % 3, "victimisation": {"inbraak": "1" if i % 2 else "nee"}}
            if sector:
                answer["sector"] = sector
            answers.append(answer)
    return answers


def test_small_sectors_are_held_back_and_so_is_the_next_smallest(app, survey):
    # horeca alone (1) could be read off as "everyone" minus the sectors shown: bouw (5) is held back too
    add_responses(survey, _sector_answers({"productie": 6, "bouw": 5, "horeca": 1}))
    survey.status = SurveyStatus.CLOSED
    with app.test_request_context():
        sectors = {s.label: s for s in results.aggregate(survey, include_text=False).sectors}
    assert list(sectors) == ["Productie en industrie", "Bouw", "Horeca"]
    assert (sectors["Productie en industrie"].suppressed, sectors["Productie en industrie"].count) == (False, 6)
    assert round(sectors["Productie en industrie"].safe_day, 2) == 3.0
    assert round(sectors["Productie en industrie"].victims, 1) == 50.0
    assert sectors["Bouw"].suppressed and sectors["Bouw"].count is None and sectors["Bouw"].safe_day is None
    assert sectors["Horeca"].suppressed


def test_held_back_sectors_that_together_reach_k_leave_the_others_shown(app, survey):
    add_responses(survey, _sector_answers({"productie": 6, "bouw": 2, None: 3}))
    survey.status = SurveyStatus.CLOSED
    with app.test_request_context():
        sectors = [(s.label, s.suppressed) for s in results.aggregate(survey, include_text=False).sectors]
    assert sectors == [("Productie en industrie", False), ("Bouw", True), ("Niet ingevuld", True)]


def test_a_question_fewer_than_k_answered_is_held_back(app, answered):
    with app.test_request_context():
        why_not = results.aggregate(answered, include_text=False).question("why_not")
    assert why_not.suppressed and why_not.answered == 1 and why_not.shares == []


# Free text -------------------------------------------------------------------------------------------------


def test_free_text_only_when_asked_for(app, answered):
    with app.test_request_context():
        plain = results.aggregate(answered, include_text=False)
        raw = results.aggregate(answered, include_text=True)
    assert all(not q.free_text for q in plain.questions)
    assert "remarks" not in {q.name for q in plain.questions}
    assert raw.question("remarks").texts == [REMARK]
    assert raw.question("hotspots").texts == []
    assert raw.question("why_not-Comment").texts == ["Politie kwam niet"]


@pytest.mark.parametrize(("role", "sees_text"), [(Role.ADVISOR, True), (Role.MUNICIPALITY, False)])
def test_results_page_shows_free_text_to_the_advisor_only(login_as, park, answered, role, sees_text):
    page = login_as(make_member(role, park)).get(f"/parken/{park.id}/enquete/resultaten/").get_data(as_text=True)
    assert (REMARK in page) is sees_text
    assert ("Politie kwam niet" in page) is sees_text
    assert "60,0" in page and "Productie en industrie" in page
    assert 'style="' not in page  # the Content-Security-Policy forbids inline styles


def test_results_page_holds_back_too_few_answers(login_as, park, survey):
    add_responses(survey, FIVE[:4])
    survey.status = SurveyStatus.CLOSED
    page = login_as(make_member(Role.PARTNER, park)).get(f"/parken/{park.id}/enquete/resultaten/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "te weinig antwoorden om te tonen" in text and "Er zijn 4 antwoorden, minder dan 5" in text


def test_results_page_without_a_survey(login_as, park):
    page = login_as(make_member(Role.AUDITOR, park)).get(f"/parken/{park.id}/enquete/resultaten/")
    assert page.status_code == 200 and "Er is nog geen enquête" in page.get_data(as_text=True)
    assert f'href="/parken/{park.id}/enquete/"' not in page.get_data(as_text=True)


def test_results_page_without_a_survey_leads_the_advisor_to_making_one(login_as, park):
    """Step 3's checklist links here while there is no survey yet: the advisor is not left without a way on."""
    page = login_as(make_member(Role.ADVISOR, park)).get(f"/parken/{park.id}/enquete/resultaten/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Er is nog geen enquête" in text
    assert f'<a class="utrecht-link" href="/parken/{park.id}/enquete/">Enquête aanmaken</a>' in text


# Comparison with the previous cycle ------------------------------------------------------------------------


@pytest.fixture
def two_cycles(db, park):
    """A closed survey in cycle 1 with five responses, and a closed one in cycle 2 with FIVE."""
    first = active_cycle(park)
    earlier = Survey(
        park=park,
        cycle=first,
        title="Nulmeting 2024",
        definition=load_default(),
        status=SurveyStatus.CLOSED,
        opens_on=date(2024, 3, 1),
        closes_on=date(2024, 3, 31),
    )
    db.session.add(earlier)
    db.session.flush()
    before = [dict(answer) for answer in FIVE]
    before[0] = {**before[0], "know_where": False}  # 2 of 5 knew where to report (40 %), now 3 of 5
    before[3] = {**before[3], "victimisation": {"inbraak": "nee", "vernieling": "nee"}}  # inbraak 20 %, now 40 %
    add_responses(earlier, before)
    first.status = CycleStatus.CLOSED
    db.session.flush()
    second = start_cycle(park, number=2, today=date(2026, 1, 1), now=NOW)
    definition = load_default()
    # "pay" became a multiple choice: a different question, not compared
    for page in definition["pages"]:
        for element in page["elements"]:
            if element["name"] == "pay":
                element["type"] = "checkbox"
    current = Survey(
        park=park,
        cycle=second,
        title="Herhaalmeting 2026",
        definition=definition,
        status=SurveyStatus.CLOSED,
        opens_on=date(2026, 2, 1),
        closes_on=date(2026, 3, 31),
    )
    db.session.add(current)
    db.session.flush()
    add_responses(current, [{**answer, "pay": ["ja"]} for answer in FIVE])
    return earlier, current


def test_change_in_percentage_points_since_the_previous_cycle(app, two_cycles):
    earlier, current = two_cycles
    assert results.previous_survey(current).id == earlier.id
    assert results.previous_survey(earlier) is None
    with app.test_request_context():
        result = results.aggregate(current, include_text=False)
    assert (result.previous.title, result.previous.cycle_number, result.previous.responses) == (
        "Nulmeting 2024",
        1,
        5,
    )
    know_where = result.question("know_where")
    assert know_where.compared
    assert {s.value: round(s.change, 1) for s in know_where.shares} == {True: 20.0, False: -20.0}
    inbraak = next(r for r in result.victimisation.rows if r.value == "inbraak")
    assert round(inbraak.any.change, 1) == 20.0
    assert round(result.victims_any.change, 1) == 20.0  # 2 of 5 victims then, 3 of 5 now
    assert result.question("safe_day").mean_change == 0
    pay = result.question("pay")
    assert not pay.compared and all(s.change is None for s in pay.shares)
    with app.test_request_context():
        assert [s.change_text for s in know_where.shares] == ["+20,0", "\u221220,0"]


def test_no_comparison_with_a_previous_survey_that_had_too_few_answers(app, db, two_cycles):
    earlier, current = two_cycles
    db.session.delete(db.session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == earlier.id)).first())
    db.session.flush()
    with app.test_request_context():
        result = results.aggregate(current, include_text=False)
    assert result.previous.responses == 4
    assert not any(q.compared for q in result.questions) and result.victims_any.change is None


def test_results_page_shows_the_change(login_as, park, two_cycles):
    page = login_as(make_member(Role.MUNICIPALITY, park)).get(f"/parken/{park.id}/enquete/resultaten/")
    text = page.get_data(as_text=True)
    assert "Vergeleken met de vorige enquête: Nulmeting 2024 (cyclus 1, 5 antwoorden)" in text
    assert "+20,0" in text


# Response rate ---------------------------------------------------------------------------------------------


@pytest.fixture
def invited(db, survey, park):
    plan = [
        ("bouw", InvitationStatus.USED),
        ("bouw", InvitationStatus.OPENED),
        ("bouw", InvitationStatus.INVITED),
        ("horeca", InvitationStatus.USED),
        ("horeca", InvitationStatus.REVOKED),
        (None, InvitationStatus.USED),
    ]
    for number, (sector, status) in enumerate(plan, start=1):
        company = make_company(park, name=f"Bedrijf {number}", house_number=number, sector=sector)
        make_invitation(survey, company=company, sector=sector, status=status)
    return survey


def answered_at(survey, *moments: datetime) -> None:
    """The audit log's record of answers at these moments, as `submit_response` writes it."""
    for moment in moments:
        audit.record_anonymous(ANSWERED, survey, park_id=survey.park_id, actor_label=RESPONDENT_LABEL, now=moment)


def test_response_rate_overall_and_per_sector(app, db, monkeypatch, invited):
    monkeypatch.setitem(app.config, "SURVEY_MIN_GROUP", 1)
    add_responses(invited, FIVE[:3])
    make_response(invited, via_public_link=True)
    with app.test_request_context():
        rate = response_rate(invited)
        assert (rate.total.invited, rate.total.opened, rate.total.completed) == (5, 4, 3)
        assert rate.total.rate == 60.0 and rate.total.rate_text == "60,0"
        assert [(r.label, r.invited, r.opened, r.completed) for r in rate.sectors] == [
            ("Bouw", 3, 2, 1),  # the register's sector by its name in the reader's language
            ("Horeca", 1, 1, 1),
            ("Sector onbekend", 1, 1, 1),
        ]
    assert (rate.responses, rate.via_personal_links, rate.via_public_link, rate.merged_sectors) == (4, 3, 1, 0)


def test_answers_through_the_public_link_are_counted_apart_under_the_k_rule(app, db, monkeypatch, survey):
    add_responses(survey, FIVE)
    make_response(survey, via_public_link=True)
    with app.test_request_context():
        rate = response_rate(survey)
    # one public answer is a group below k, and five personal ones would give it away: neither is shown
    assert (rate.responses, rate.via_personal_links, rate.via_public_link) == (6, None, None)
    for _ in range(4):
        make_response(survey, via_public_link=True)
    with app.test_request_context():
        rate = response_rate(survey)
    assert (rate.via_personal_links, rate.via_public_link) == (5, 5)


def test_sectors_with_fewer_than_k_completed_are_merged(app, monkeypatch, invited):
    # k = 4: every sector completed 1, 3 together: too few even merged, so there is no breakdown at all (not even
    # of a sector nobody from answered)
    make_invitation(invited, company=None, sector="zorg")
    monkeypatch.setitem(app.config, "SURVEY_MIN_GROUP", 4)
    with app.test_request_context():
        rate = response_rate(invited)
    assert (rate.sectors, rate.merged_sectors) == ([], 4)
    # k = 3: the three together make a group of k
    monkeypatch.setitem(app.config, "SURVEY_MIN_GROUP", 3)
    with app.test_request_context():
        rate = response_rate(invited)
    assert [(r.label, r.completed) for r in rate.sectors] == [("zorg", 0), ("Overige sectoren samen", 3)]
    assert rate.merged_sectors == 3


def test_a_merged_row_reaches_k_or_takes_the_next_smallest_sector(app, db, monkeypatch, survey, park):
    plan = {"bouw": 4, "horeca": 3, "transport": 1, "zorg": 0}
    for sector, completed in plan.items():
        for number in range(5):
            company = make_company(park, name=f"{sector} {number}", house_number=number + 1, sector=sector)
            status = InvitationStatus.USED if number < completed else InvitationStatus.INVITED
            make_invitation(survey, company=company, sector=sector, status=status)
    monkeypatch.setitem(app.config, "SURVEY_MIN_GROUP", 3)
    with app.test_request_context():
        rate = response_rate(survey)
    # transport (1) alone is below k and would be "total minus the rest": horeca (3, the smallest shown) joins it;
    # zorg (none completed) describes nobody and stays
    assert [(r.label, r.invited, r.completed) for r in rate.sectors] == [
        ("Bouw", 5, 4),
        ("zorg", 5, 0),  # a sector the survey does not know stays as typed
        ("Overige sectoren samen", 10, 4),
    ]
    assert rate.merged_sectors == 2


def test_answers_over_time_in_stretches_of_at_least_k(app, db, monkeypatch, survey):
    monkeypatch.setitem(app.config, "SURVEY_MIN_GROUP", 2)
    answered_at(
        survey,
        datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
        datetime(2026, 3, 2, 23, 30, tzinfo=UTC),  # 3 March in Amsterdam
        datetime(2026, 3, 4, 12, 0, tzinfo=UTC),
        datetime(2026, 3, 4, 13, 0, tzinfo=UTC),
        datetime(2026, 3, 6, 9, 0, tzinfo=UTC),
    )
    with app.test_request_context():
        stretches = response_rate(survey).over_time
    assert [(s.first, s.last, s.count, s.cumulative) for s in stretches] == [
        (date(2026, 3, 2), date(2026, 3, 3), 2, 2),
        (date(2026, 3, 4), date(2026, 3, 4), 2, 4),
        (date(2026, 3, 6), date(2026, 3, 6), None, None),  # one answer since: not shown
    ]


def test_response_page_shows_counts_and_never_companies(login_as, park, invited):
    page = login_as(make_member(Role.MUNICIPALITY, park)).get(f"/parken/{park.id}/enquete/resultaten/respons")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "60,0" in text
    assert "3 sectoren met minder dan 5 ingevulde enquêtes zijn niet apart getoond." in text  # 3 in all: none
    assert "Bedrijf 1" not in text and "bouw" not in text
    assert 'style="' not in text


def test_response_page_shows_the_channels_only_when_neither_is_small(login_as, db, park, survey):
    survey.public_token = "openbare-link-van-de-test-enquete"
    add_responses(survey, FIVE)
    make_response(survey, via_public_link=True)
    client = login_as(make_member(Role.ADVISOR, park))
    text = client.get(f"/parken/{park.id}/enquete/resultaten/respons").get_data(as_text=True)
    assert "niet apart getoond: langs een van beide kwamen minder dan 5 antwoorden" in text
    assert 'id="rate-public"' not in text and 'id="rate-personal"' not in text
    for _ in range(4):
        make_response(survey, via_public_link=True)
    text = client.get(f"/parken/{park.id}/enquete/resultaten/respons").get_data(as_text=True)
    assert 'id="rate-personal">5<' in text and 'id="rate-public">5<' in text
    assert "niet apart getoond: langs" not in text


# Which answers are shown -----------------------------------------------------------------------------------


def test_held_back_groups():
    sizes = {"a": 6, "b": 5, "c": 1, "d": 0}
    assert results.held_back(sizes, 5) == {"c", "b"}  # c alone would be total minus a and b
    assert results.held_back({"a": 6, "b": 3, "c": 2}, 5) == {"b", "c"}  # together they reach k
    assert results.held_back({"a": 2, "b": 2}, 5) == {"a", "b"}
    assert results.held_back({"a": 5, "b": 0}, 5) == set()


def test_nothing_is_shown_while_the_first_period_runs(app, answering, advisor):
    with app.test_request_context():
        assert not results_shown(answering)
        assert results.released(answering) == results.Released(period=0, count=0, held_back=0)
        assert results.response_answers(answering) == []
        with pytest.raises(NotAllowed):
            results.ensure_shown(answering)


def test_answers_after_reopening_count_once_there_are_k_of_them(app, answered, advisor):
    """Results before and after opening the survey again must never differ by fewer than k answers: the invitation
    list shows which companies answered meanwhile."""
    today = date.today()
    with app.test_request_context():
        assert results.released(answered) == results.Released(period=1, count=5, held_back=0)
        services.reopen_survey(advisor, answered, closes_on=today + timedelta(days=7), today=today)
        add_responses(answered, FIVE[:2], period=2)
        # open again: the results of the first period stay, the new answers are not shown
        assert results_shown(answered)
        assert results.aggregate(answered, include_text=True).responses == 5
        services.close_survey(advisor, answered, today=today)
        result = results.aggregate(answered, include_text=True)
        assert (result.responses, result.held_back) == (5, 2)
        assert result.question("remarks").texts == [REMARK]  # not twice: the second REMARK is held back
        assert "2 antwoorden kwamen binnen nadat de enquête opnieuw was geopend" in result.held_back_text
        assert len(export.export_table(answered)[1]) == 5

        services.reopen_survey(advisor, answered, closes_on=today + timedelta(days=7), today=today)
        add_responses(answered, FIVE[2:5], period=3)
        services.close_survey(advisor, answered, today=today)
        # periods 2 and 3 together bring 5: shown together
        assert results.released(answered) == results.Released(period=3, count=10, held_back=0)
        assert results.aggregate(answered, include_text=True).question("remarks").texts == [REMARK, REMARK]


def test_a_first_period_with_too_few_is_shown_with_the_next(app, survey, advisor):
    today = date.today()
    add_responses(survey, FIVE[:3])
    services.close_survey(advisor, survey, today=today)
    with app.test_request_context():
        assert results.released(survey) == results.Released(period=0, count=0, held_back=3)
        assert results.aggregate(survey, include_text=False).suppressed
        services.reopen_survey(advisor, survey, closes_on=today + timedelta(days=7), today=today)
        add_responses(survey, FIVE[3:], period=2)
        services.close_survey(advisor, survey, today=today)
        assert results.released(survey) == results.Released(period=2, count=5, held_back=0)


# Who may ask to be contacted -------------------------------------------------------------------------------


def test_contacts_are_listed_apart_from_the_answers(db, login_as, park, answered, advisor):
    for name, email, phone in (("Zeger Zwart", None, "06 12345678"), ("anna de Boer", "anna@example.nl", None)):
        db.session.add(SurveyContact(survey_id=answered.id, name=name, email=email, phone=phone, remark="Graag"))
    db.session.flush()
    page = login_as(advisor).get(f"/parken/{park.id}/enquete/resultaten/contacten")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert text.index("anna de Boer") < text.index("Zeger Zwart")  # by name, not in the order they answered
    assert 'href="mailto:anna@example.nl"' in text and 'href="tel:0612345678"' in text
    assert REMARK not in text and "Productie en industrie" not in text  # no answers here
    for role in (Role.PARTNER, Role.AUDITOR, Role.ENTREPRENEUR):
        assert (
            login_as(make_member(role, park)).get(f"/parken/{park.id}/enquete/resultaten/contacten").status_code == 403
        )


# Who may see what ------------------------------------------------------------------------------------------

MANAGERS = {Role.ADVISOR, Role.MUNICIPALITY}
RESULTS = MANAGERS | {Role.PARTNER, Role.AUDITOR}
PAGES = [
    ("/", RESULTS),
    ("/respons", MANAGERS),
    ("/conclusies", MANAGERS),
    ("/rapport.pdf", RESULTS),
    ("/contacten", MANAGERS),
    ("/exporteren?format=csv", {Role.ADVISOR}),
    ("/exporteren?format=xlsx", {Role.ADVISOR}),
]


@pytest.mark.parametrize(("path", "allowed"), PAGES)
def test_pages_by_role(login_as, park, other_park, answered, role, path, allowed):
    client = login_as(make_member(role, park))
    assert client.get(f"/parken/{park.id}/enquete/resultaten{path}").status_code == (200 if role in allowed else 403)
    assert client.get(f"/parken/{other_park.id}/enquete/resultaten{path}").status_code == 404


@pytest.mark.parametrize("role", sorted(RESULTS))
def test_everyone_sees_results_once_the_survey_is_closed(db, login_as, park, answering, role):
    """The advisor too: while the survey runs, the results after each answer, next to the invitation list, would
    show what that company answered."""
    client = login_as(make_member(role, park))
    base = f"/parken/{park.id}/enquete/resultaten"
    page = client.get(f"{base}/").get_data(as_text=True)
    assert "De resultaten zijn te zien zodra de enquête is gesloten" in page
    assert "60,0" not in page and "Productie en industrie" not in page and 'id="responses-count"' not in page
    assert REMARK not in page and "exporteren" not in page
    refused = client.get(f"{base}/rapport.pdf")
    assert refused.status_code == 403 and "zodra de enquête is gesloten" in refused.get_data(as_text=True)
    if role == Role.ADVISOR:
        refused = client.get(f"{base}/exporteren?format=csv")
        assert refused.status_code == 400 and "minstens 5" in refused.get_data(as_text=True)

    answering.status = SurveyStatus.CLOSED
    db.session.commit()
    page = client.get(f"{base}/").get_data(as_text=True)
    assert "zodra de enquête is gesloten" not in page and "60,0" in page and "Productie en industrie" in page
    assert client.get(f"{base}/rapport.pdf").status_code == 200


def test_posts_are_for_managers_only(login_as, park, answering):
    client = login_as(make_member(Role.PARTNER, park))
    base = f"/parken/{park.id}/enquete/resultaten"
    assert client.post(f"{base}/herinneren").status_code == 403
    assert client.post(f"{base}/conclusies", data={"conclusions": "x"}).status_code == 403


def test_export_and_report_of_a_park_without_a_survey_are_404(login_as, park):
    client = login_as(make_member(Role.ADVISOR, park))
    assert client.get(f"/parken/{park.id}/enquete/resultaten/rapport.pdf").status_code == 404
    assert client.get(f"/parken/{park.id}/enquete/resultaten/exporteren?format=csv").status_code == 404


def test_export_format_must_be_known(login_as, park, answered):
    response = login_as(make_member(Role.ADVISOR, park)).get(
        f"/parken/{park.id}/enquete/resultaten/exporteren?format=pdf"
    )
    assert response.status_code == 400


# Export ----------------------------------------------------------------------------------------------------


def _csv(response) -> list[dict]:
    table = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    return [dict(zip(table[0], row, strict=True)) for row in table[1:]]


def test_export_csv_one_row_per_response_and_flattened_columns(login_as, park, answered):
    add_responses(answered, [{"remarks": '=HYPERLINK("http://x")', "hotspots": "Hoek Atoomweg"}])
    response = login_as(make_member(Role.ADVISOR, park)).get(
        f"/parken/{park.id}/enquete/resultaten/exporteren?format=csv"
    )
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert header[:3] == ["openbare_link", "sector", "size"]  # no day or moment of answering
    for column in ("hours.overdag", "hours.weekend", "victimisation.inbraak", "nuisance.zwerfvuil", "why_not.other"):
        assert column in header
    assert header[-1] == "why_not-Comment"
    rows = _csv(response)
    assert len(rows) == 6
    first = next(row for row in rows if row["remarks"] == REMARK)
    assert (first["hours.overdag"], first["hours.avond"], first["hours.nacht"]) == ("1", "1", "0")
    assert (first["victimisation.inbraak"], first["victimisation.vernieling"], first["victimisation.overval"]) == (
        "nee",
        "1",
        "",
    )
    assert (first["know_where"], first["safe_day"]) == ("1", "4")
    last = next(row for row in rows if row["hotspots"] == "Hoek Atoomweg")
    assert last["remarks"] == '\'=HYPERLINK("http://x")'  # never a formula in a spreadsheet
    fourth = next(row for row in rows if row["why_not-Comment"])
    assert fourth["why_not.other"] == "1" and fourth["why_not-Comment"] == "Politie kwam niet"
    # in value order, not in the order of answering
    assert rows == sorted(rows, key=lambda row: list(row.values()))


def test_the_export_blanks_what_singles_out_fewer_than_k(app, monkeypatch, survey):
    """Sector and size describe a company as others can see it, and so does having used the public link: no
    combination of them may single out fewer than k rows."""
    monkeypatch.setitem(app.config, "SURVEY_MIN_GROUP", 3)
    plan = [("productie", "10-49")] * 3 + [("productie", "250+")] + [("bouw", "2-9")] * 2 + [("horeca", "1")]
    add_responses(survey, [{"sector": sector, "size": size, "grade": 6} for sector, size in plan])
    make_response(survey, {"sector": "bouw", "size": "2-9", "grade": 6}, via_public_link=True)
    survey.status = SurveyStatus.CLOSED
    with app.test_request_context():
        header, rows = export.export_table(survey)
    assert header[:3] == ["openbare_link", "sector", "size"]
    # the public-link flag goes first (bouw 2-9 then counts 3), then size (productie 250+ and horeca 1 alone);
    # the rows left blank (2) take the smallest group left, bouw 2-9, so that they number k too
    assert Counter((row[1], row[2], row[0]) for row in rows) == {
        ("productie", "10-49", 0): 3,
        (None, None, None): 5,
    }
    assert all(row[header.index("grade")] == 6 for row in rows)  # the answers themselves stay


def test_the_export_needs_k_answers(app, survey):
    add_responses(survey, FIVE[:4])
    survey.status = SurveyStatus.CLOSED
    with app.test_request_context(), pytest.raises(DomainError, match="minstens 5"):
        export.export_table(survey)


def test_generalised_blanks_from_the_last_column_until_every_group_has_k():
    blank = (None, None)
    keys = [("a", "x")] * 3 + [("a", "y")] + [("b", "z")] * 2
    # (a, y) loses y, then a; (b, z) likewise: together a blank group of 3
    assert export.generalised(keys, 3) == [("a", "x")] * 3 + [blank] * 3
    # one blank row takes the smallest group (the first of equals) along, to reach k
    keys = [("a", 1)] * 2 + [("a", 2)] * 2 + [("b", 1)]
    assert export.generalised(keys, 2) == [blank] * 2 + [("a", 2)] * 2 + [blank]
    assert export.generalised([("a",), ("b",)], 2) == [(None,), (None,)]
    assert export.generalised([], 5) == []


def test_export_xlsx(login_as, park, answered):
    response = login_as(make_member(Role.ADVISOR, park)).get(
        f"/parken/{park.id}/enquete/resultaten/exporteren?format=xlsx"
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.values)
    header = list(values[0])
    assert len(values) == 6 and "ingevuld_op" not in header
    first = next(dict(zip(header, row, strict=True)) for row in values[1:] if REMARK in row)
    assert first["grade"] == 7 and first["hours.avond"] == 1
    # five answers in all: sector and size are blanked everywhere (productie's 3 are fewer than k = 5)
    assert {row[header.index("sector")] for row in values[1:]} == {None}


# Conclusions and the report being ready --------------------------------------------------------------------


def test_conclusions_are_saved_and_the_report_is_ready_only_when_closed(app, db, answering, advisor):
    answered = answering
    with app.test_request_context():
        report.save_conclusions(
            advisor, answered, conclusions="  Inbraak is het grootste probleem.  ", ready=False, now=NOW
        )
        assert answered.conclusions == "Inbraak is het grootste probleem." and answered.report_ready_at is None
        with pytest.raises(DomainError, match="gesloten"):
            report.save_conclusions(advisor, answered, conclusions="x", ready=True, now=NOW)
        answered.status = SurveyStatus.CLOSED
        with pytest.raises(DomainError, match="Schrijf eerst de conclusies"):
            report.save_conclusions(advisor, answered, conclusions=" ", ready=True, now=NOW)
        report.save_conclusions(advisor, answered, conclusions="Inbraak.\x00\x07\n", ready=True, now=NOW)
        assert answered.report_ready_at == NOW and answered.conclusions == "Inbraak."
        report.save_conclusions(advisor, answered, conclusions="Inbraak!", ready=True, now=NOW + timedelta(days=1))
        assert answered.report_ready_at == NOW  # stays the moment it first became ready
        report.save_conclusions(advisor, answered, conclusions="Inbraak!", ready=False, now=NOW)
        assert answered.report_ready_at is None
        with pytest.raises(NotAllowed):
            report.save_conclusions(
                make_member(Role.PARTNER, answered.park), answered, conclusions="", ready=False, now=NOW
            )
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("surveys.%")).order_by(AuditEvent.id))
    assert [(e.action, e.details["ready"]) for e in events] == [
        ("surveys.conclusions_saved", False),
        ("surveys.report_ready", True),
        ("surveys.conclusions_saved", True),
        ("surveys.conclusions_saved", False),
    ]


def survey_criterion(cycle) -> steps.CriterionResult:
    return next(c for c in steps.evaluate(cycle, 3) if c.fix == "survey_results.index")


def test_conclusions_page_and_step_3_criterion(login_as, db, park, answering, advisor):
    answered = answering
    cycle = active_cycle(park)
    cycle.current_step = 3
    criterion = lambda: survey_criterion(cycle)  # noqa: E731
    assert (criterion().met, criterion().detail) == (False, "de enquête is nog niet gesloten")
    assert criterion().label == "De ondernemersenquête is gesloten en het rapport is klaar"

    client = login_as(advisor)
    url = f"/parken/{park.id}/enquete/resultaten/conclusies"
    assert "Het rapport is klaar" in client.get(url).get_data(as_text=True)
    refused = client.post(url, data={"conclusions": "Veel inbraak.", "ready": "y"})
    assert refused.status_code == 422
    assert "Het rapport kan pas klaar zijn als de enquête gesloten is." in refused.get_data(as_text=True)
    assert "Veel inbraak." in refused.get_data(as_text=True)  # the input stays

    answered.status = SurveyStatus.CLOSED
    assert criterion().detail == "het rapport is nog niet klaar gemeld"
    saved = client.post(url, data={"conclusions": "Veel inbraak.", "ready": "y"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert answered.conclusions == "Veel inbraak." and answered.report_ready_at is not None
    assert criterion().met
    page = client.get(f"/parken/{park.id}").get_data(as_text=True)
    assert "De ondernemersenquête is gesloten en het rapport is klaar" in page

    client.post(url, data={"conclusions": "Veel inbraak."})  # unticked: not ready any more
    db.session.expire_all()
    assert answered.report_ready_at is None and not criterion().met


def test_criterion_without_a_survey(db, park):
    assert (survey_criterion(active_cycle(park)).met, survey_criterion(active_cycle(park)).detail) == (
        False,
        "er is nog geen enquête",
    )


def test_criterion_looks_at_the_active_cycle_only(db, park, two_cycles):
    earlier, current = two_cycles
    earlier.report_ready_at = NOW
    assert not survey_criterion(current.cycle).met
    current.report_ready_at = NOW
    assert survey_criterion(current.cycle).met
