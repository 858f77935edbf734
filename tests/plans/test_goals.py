"""Goals (step 4): validation, the indicator's value from the survey (k-anonymous) or the figures, the baseline
filled from the source, measurements and the latest value."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.errors import DomainError, NotAllowed
from app.extensions import db as _db
from app.goals import services as goals
from app.inventory.models import Figure, FigureSource
from app.parks import steps
from app.parks.models import CycleStatus
from app.parks.services import start_cycle
from app.plans import services
from app.plans.models import Direction, Goal, GoalSource, Theme
from app.surveys.definition import load_default
from app.surveys.models import Survey, SurveyStatus
from tests.factories import make_member
from tests.plans.conftest import TODAY, set_goal
from tests.surveys.test_results import FIVE, add_responses


def make_survey(cycle, answers, *, status=SurveyStatus.CLOSED, title="Enquête 2026", closes_on=date(2026, 2, 28)):
    survey = Survey(
        park=cycle.park,
        cycle=cycle,
        title=title,
        definition=load_default(),
        status=status,
        opens_on=date(2026, 2, 1),
        closes_on=closes_on,
    )
    _db.session.add(survey)
    _db.session.flush()
    add_responses(survey, answers)
    return survey


def figure(park, year, quarter, count, category="inbraak_bedrijf", source=FigureSource.POLITIE):
    _db.session.add(Figure(park=park, source=source, category=category, year=year, quarter=quarter, count=count))
    _db.session.flush()


#: a goal measured by the survey: the share of respondents that feel (very) safe after dark, up to 75%
SAFE_AFTER_DARK = {
    "theme": Theme.VEILIG,
    "title": "Ondernemers voelen zich na donker veiliger",
    "indicator": "Aandeel dat zich na donker (zeer) veilig voelt",
    "source": GoalSource.SURVEY,
    "source_ref": "safe_dark:2,3",
    "direction": Direction.UP,
    "target": 75,
    "baseline": None,
}


def new_goal(actor, cycle, **overrides):
    return set_goal(actor, cycle, **(SAFE_AFTER_DARK | overrides))


# Reading the source ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "value"),
    [
        ("safe_dark:2,3", 60.0),  # 2, 3, 1, 2, 1
        ("safe_day:4,5", 60.0),  # 4, 5, 3, 4, 2
        ("victimisation.inbraak:1,2-3,vaker", 40.0),  # a row of a matrix question
        ("know_where:true", 60.0),  # a yes/no question
        ("hours:nacht", 40.0),  # a multiple-choice question: who ticked it
        ("nuisance.zwerfvuil:veel", 40.0),
    ],
)
def test_a_survey_indicator_is_the_share_of_respondents(db, cycle, advisor, ref, value):
    survey = make_survey(cycle, FIVE)
    goal = new_goal(advisor, cycle, source_ref=ref)
    assert goal.source_ref == ref
    reading = goals.indicator_value(goal, today=TODAY)
    assert (reading.value, reading.on) == (value, survey.closes_on)
    assert reading.note == "Enquête 2026: 5 antwoorden"
    # the baseline came from the same reading, with the unit of a share
    assert (goal.baseline, goal.baseline_note, goal.unit) == (value, reading.note, "%")


def test_too_few_answers_give_no_value(db, cycle, advisor):
    make_survey(cycle, FIVE[:4])
    goal = new_goal(advisor, cycle)
    assert goals.indicator_value(goal, today=TODAY) is None
    assert goal.baseline is None


def test_a_question_fewer_than_k_answered_gives_no_value(db, cycle, advisor):
    make_survey(cycle, FIVE)  # only one respondent answered why_not
    goal = new_goal(advisor, cycle, source_ref="why_not:other")
    assert goals.indicator_value(goal, today=TODAY) is None


def test_only_a_closed_survey_counts_else_the_previous_cycles(db, park, cycle, advisor):
    make_survey(cycle, FIVE, title="Nulmeting 2026")
    cycle.status = CycleStatus.CLOSED
    _db.session.flush()
    second = start_cycle(park, number=2, today=date(2028, 1, 1), now=datetime(2028, 1, 1, tzinfo=UTC))
    make_survey(second, [{**a, "safe_dark": 5} for a in FIVE], status=SurveyStatus.OPEN, title="Lopend")
    goal = new_goal(advisor, second, deadline=date(2029, 12, 31), today=date(2028, 3, 1))
    assert (goal.baseline, goal.baseline_note) == (60.0, "Nulmeting 2026: 5 antwoorden")


def test_a_figure_indicator_is_the_count_of_the_latest_complete_year(db, park, cycle, advisor):
    figure(park, 2024, 0, 12)
    for quarter, count in ((1, 3), (2, 2), (3, 4), (4, 1)):
        figure(park, 2025, quarter, count)
    figure(park, 2026, 1, 9)  # the running year is not complete
    figure(park, 2025, 0, 99, source=FigureSource.MOR, category="afvaldumping")  # another source
    goal = new_goal(
        advisor,
        cycle,
        source=GoalSource.FIGURE,
        source_ref="politie:inbraak_bedrijf",
        target=5,
        direction=Direction.DOWN,
    )
    reading = goals.indicator_value(goal, today=TODAY)
    assert (reading.value, reading.on) == (10.0, date(2025, 12, 31))
    assert reading.note == "Politie, Inbraak in bedrijfspand, 2025"
    assert goal.baseline == 10.0 and goal.unit == ""
    # a category without figures in a complete year counted none
    goal.source_ref = "politie:overval"
    assert goals.indicator_value(goal, today=TODAY).value == 0.0


def test_a_year_with_missing_quarters_is_not_complete(db, park, cycle, advisor):
    figure(park, 2024, 0, 12)
    for quarter in (1, 2, 3):
        figure(park, 2025, quarter, 5)
    goal = new_goal(advisor, cycle, source=GoalSource.FIGURE, source_ref="politie:inbraak_bedrijf", target=5)
    assert goals.indicator_value(goal, today=TODAY).value == 12.0
    # the year figure wins over quarters of the same year
    figure(park, 2025, 0, 14)
    figure(park, 2025, 4, 1)
    assert goals.indicator_value(goal, today=TODAY).value == 14.0


def test_a_manual_goal_has_no_source_value(db, cycle, advisor):
    goal = new_goal(advisor, cycle, source=GoalSource.MANUAL, source_ref="safe_dark:4", baseline=7.5, unit="cijfer")
    assert goal.source_ref == ""
    assert goals.indicator_value(goal, today=TODAY) is None
    assert (goal.baseline, goal.unit) == (7.5, "cijfer")


# Checking the input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "  "}, "title", "titel"),
        ({"indicator": ""}, "indicator", "indicator"),
        ({"target": None}, "target", "Vul bij de streefwaarde een getal in"),
        ({"target": float("nan")}, "target", "getal"),
        ({"target": 120}, "target", "percentage van 0 tot 100"),
        ({"baseline": -1}, "baseline", "percentage"),
        ({"deadline": date(2025, 12, 31)}, "deadline", "streefdatum tussen"),
        ({"deadline": date(2033, 1, 1)}, "deadline", "streefdatum tussen"),
        ({"deadline": None}, "deadline", "streefdatum"),
        ({"source_ref": "safe_dark"}, "source_ref", "vraag:antwoorden"),
        ({"source_ref": "bestaatniet:1"}, "source_ref", "geen vraag bestaatniet"),
        ({"source_ref": "safe_dark:9"}, "source_ref", "geen antwoord 9"),
        ({"source_ref": "victimisation:1"}, "source_ref", "een rij"),
        ({"source_ref": "victimisation.brand:1"}, "source_ref", "een rij"),
        ({"source_ref": "hotspots:x"}, "source_ref", "geen antwoorden die een percentage"),
        ({"source": GoalSource.FIGURE, "source_ref": "politie:bestaatniet"}, "source_ref", "bron:categorie"),
        ({"source": GoalSource.FIGURE, "source_ref": "brandweer"}, "source_ref", "bron:categorie"),
        ({"source": GoalSource.FIGURE, "source_ref": "politie:inbraak_bedrijf", "target": -1}, "target", "0 of meer"),
        ({"title": "x" * 301}, "title", "te lang"),
    ],
)
def test_invalid_goals_are_refused_with_the_field(db, cycle, advisor, overrides, field, message):
    with pytest.raises(goals.FieldError, match=message) as refused:
        new_goal(advisor, cycle, **overrides)
    assert refused.value.field == field
    assert db.session.scalar(select(Goal)) is None


def test_references_are_normalised(db, cycle, advisor):
    goal = new_goal(advisor, cycle, source_ref=" safe_dark: 2 , 3 ,2 ")
    assert goal.source_ref == "safe_dark:2,3"


def test_the_form_lists_valid_references(db, cycle):
    choices = {c.subject: c for c in goals.survey_choices(cycle)}
    assert "safe_dark" in choices and "victimisation.inbraak" in choices
    assert "hotspots" not in choices and "victimisation" not in choices
    assert [value for value, _label in choices["know_where"].answers] == ["true", "false"]
    for choice in choices.values():  # every example is accepted
        goals.check_survey_ref(choice.example, load_default())
    refs = dict(goals.figure_choices())
    assert refs["politie:inbraak_bedrijf"] == "Politie: Inbraak in bedrijfspand"
    for ref in refs:
        goals.parse_figure_ref(ref)


def test_only_managers_set_goals_and_only_in_the_active_cycle(db, park, cycle, role):
    user = make_member(role, park)
    if role in {Role.ADVISOR, Role.MUNICIPALITY}:
        new_goal(user, cycle, source=GoalSource.MANUAL, baseline=1)
    else:
        with pytest.raises(NotAllowed):
            new_goal(user, cycle, source=GoalSource.MANUAL, baseline=1)


def test_a_closed_cycle_keeps_its_goals(db, cycle, advisor):
    goal = new_goal(advisor, cycle, source=GoalSource.MANUAL, baseline=1)
    cycle.status = CycleStatus.CLOSED
    with pytest.raises(DomainError, match="afgesloten"):
        goals.update_goal(advisor, goal, _fields(goal, title="Anders"), today=TODAY)
    with pytest.raises(DomainError, match="afgesloten"):
        goals.record_measurement(advisor, goal, 3, TODAY, today=TODAY)
    assert goals.refresh_latest(goal, today=TODAY) is False


def _fields(goal, **overrides) -> goals.GoalFields:
    fields = {
        "theme": goal.theme,
        "title": goal.title,
        "indicator": goal.indicator,
        "source": goal.source,
        "source_ref": goal.source_ref,
        "unit": goal.unit,
        "direction": goal.direction,
        "target": goal.target,
        "deadline": goal.deadline,
        "baseline": goal.baseline,
        "baseline_note": goal.baseline_note,
    } | overrides
    return goals.GoalFields(**fields)


# Baseline, measurements and the latest value ---------------------------------------------------------------


def test_an_emptied_baseline_is_filled_from_the_source_again(db, cycle, advisor):
    goal = new_goal(advisor, cycle, source=GoalSource.MANUAL, baseline=10, baseline_note="eigen telling")
    make_survey(cycle, FIVE)
    goals.update_goal(
        advisor, goal, _fields(goal, source=GoalSource.SURVEY, source_ref="safe_dark:2,3", baseline=None), today=TODAY
    )
    assert (goal.baseline, goal.baseline_note) == (60.0, "Enquête 2026: 5 antwoorden")
    # typed by hand, it stays as typed
    goals.update_goal(advisor, goal, _fields(goal, baseline=55.5, baseline_note="herteld"), today=TODAY)
    assert (goal.baseline, goal.baseline_note) == (55.5, "herteld")
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "plans.goal_saved").order_by(AuditEvent.id)
    ).all()
    assert [e.details["created"] for e in events] == [True, False, False]


def test_refresh_baseline_from_the_source(db, cycle, advisor):
    goal = new_goal(advisor, cycle)
    assert goal.baseline is None  # no survey yet
    with pytest.raises(DomainError, match="geen waarde"):
        goals.refresh_baseline(advisor, goal, today=TODAY)
    make_survey(cycle, FIVE)
    reading = goals.refresh_baseline(advisor, goal, today=TODAY)
    assert goal.baseline == reading.value == 60.0
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plans.goal_baseline_refreshed"))


def test_measurements_make_the_latest_value(db, cycle, advisor):
    goal = new_goal(advisor, cycle, source=GoalSource.MANUAL, baseline=40, target=60, unit="%")
    assert goal.on_target is None
    goals.record_measurement(advisor, goal, 50, date(2026, 3, 1), "telling maart", today=TODAY)
    assert (goal.latest_value, goal.latest_on, goal.on_target) == (50, date(2026, 3, 1), False)
    goals.record_measurement(advisor, goal, 65, date(2026, 3, 9), today=TODAY)
    assert (goal.latest_value, goal.on_target) == (65, True)
    # an older measurement entered later does not replace the latest
    goals.record_measurement(advisor, goal, 30, date(2026, 2, 1), today=TODAY)
    assert goal.latest_value == 65
    goals.delete_measurement(advisor, goal.measurements[1])  # the 65 of 9 March
    assert (goal.latest_value, goal.latest_on) == (50, date(2026, 3, 1))
    assert goals.goal_row(goal).status_text == "streefwaarde nog niet gehaald"
    assert goals.goal_row(goal).latest == "50\u00a0%"
    with pytest.raises(goals.FieldError, match="meetdatum") as refused:
        goals.record_measurement(advisor, goal, 1, date(2026, 3, 11), today=TODAY)  # tomorrow
    assert refused.value.field == "measured_on"
    with pytest.raises(goals.FieldError, match="getal"):
        goals.record_measurement(advisor, goal, None, TODAY, today=TODAY)


def test_lower_is_better(db, cycle, advisor):
    goal = new_goal(advisor, cycle, source=GoalSource.MANUAL, baseline=12, target=8, direction=Direction.DOWN)
    goals.record_measurement(advisor, goal, 8, TODAY, today=TODAY)
    assert goal.on_target is True
    goals.record_measurement(advisor, goal, 9, TODAY, today=TODAY)
    assert goal.on_target is False


def test_refresh_latest_takes_new_readings_once(db, cycle, advisor):
    make_survey(cycle, FIVE, title="Nulmeting")
    goal = new_goal(advisor, cycle)
    # the reading the baseline came from is not a new measurement
    assert goals.refresh_latest(goal, today=TODAY) is False
    assert goal.latest_value is None
    later = [{**answer, "safe_dark": 3} for answer in FIVE]
    make_survey(cycle, later, title="Eenmeting", closes_on=date(2026, 3, 9))
    assert goals.refresh_latest(goal, today=TODAY) is True
    assert (goal.latest_value, goal.latest_on, goal.on_target) == (100.0, date(2026, 3, 9), True)
    assert goals.refresh_latest(goal, today=TODAY) is False  # idempotent
    assert len(goal.measurements) == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plans.goal_refreshed"))
    assert event.actor_id is None and event.details["value"] == 100.0
    assert goals.refresh_cycle(advisor, cycle, today=TODAY) == 0


def test_deleting_a_goal_keeps_the_actions(db, cycle, advisor, plan):
    goal = new_goal(advisor, cycle, source=GoalSource.MANUAL, baseline=1)
    goals.record_measurement(advisor, goal, 2, TODAY, today=TODAY)
    action = services.add_action(advisor, plan, title="Verlichting", quarter=1, goals=[goal])
    goals.delete_goal(advisor, goal)
    assert db.session.scalar(select(Goal)) is None
    assert action.goals == []
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plans.goal_deleted"))


def test_goals_are_listed_per_theme(db, cycle, advisor):
    new_goal(advisor, cycle, theme=Theme.SCHOON, source=GoalSource.MANUAL, baseline=1, title="Minder zwerfvuil")
    new_goal(advisor, cycle, theme=Theme.VEILIG, source=GoalSource.MANUAL, baseline=1)
    themes = goals.goals_by_theme(cycle)
    assert [theme for theme, _goals in themes] == list(Theme)
    assert [[g.title for g in items] for _t, items in themes] == [
        ["Minder zwerfvuil"],
        [],
        ["Ondernemers voelen zich na donker veiliger"],
        [],
    ]


def test_step_4_is_met_with_a_goal_per_theme_with_a_baseline(db, cycle, advisor):
    def met():
        return {c.label: c.met for c in steps.evaluate(cycle, 4)}[
            "Elk thema heeft een doel met indicator, nulmeting en streefwaarde"
        ]

    for theme in list(Theme)[:3]:
        new_goal(advisor, cycle, theme=theme, source=GoalSource.MANUAL, baseline=1)
    last = new_goal(advisor, cycle, theme=Theme.MELDINGSBEREIDHEID)  # no survey: no baseline yet
    assert not met()
    make_survey(cycle, FIVE)
    goals.refresh_baseline(advisor, last, today=TODAY)
    assert met()


# Choosing the indicator from a list --------------------------------------------------------------------------


def test_the_indicator_is_chosen_from_a_list_with_the_baseline_of_each_option(db, park, cycle):
    make_survey(cycle, FIVE)  # safe_dark answered 2, 3, 1, 2, 1
    figure(park, 2025, 0, 7)
    groups = goals.indicator_groups(cycle, today=TODAY)
    options = {option.value: (group.label, option) for group in groups for option in group.options}
    assert (
        groups[0].label == "Eigen meting"
        and options["handmatig|"][1].label == "Eigen meting: de waarden vult u zelf in"
    )
    group, option = options["enquete|safe_dark:4,5"]  # the two highest of the scale together
    assert group == "Enquête: Hoe veilig voelt u zich na donker op het bedrijventerrein?"
    assert option.label == "4 of 5 (zeer veilig) — nulmeting: 0\u00a0%"
    assert options["enquete|safe_dark:1,2"][1].label == "1 (zeer onveilig) of 2 — nulmeting: 80\u00a0%"
    assert options["enquete|safe_dark:3"][1].baseline == "20\u00a0%"
    group, option = options["cijfers|politie:inbraak_bedrijf"]
    assert (group, option.label) == ("Cijfers: Politie", "Inbraak in bedrijfspand — nulmeting: 7 in 2025")
    assert options["cijfers|brandweer:brand_gebouw"][1].baseline == "nog geen waarde"
    # the stored reference is the value after the source: nothing changes in what a goal keeps
    assert goals.parse_choice("enquete|safe_dark:4,5") == (GoalSource.SURVEY, "safe_dark:4,5")


def test_an_older_combination_of_answers_stays_in_the_list(db, cycle):
    make_survey(cycle, FIVE)
    groups = goals.indicator_groups(cycle, today=TODAY, current="enquete|safe_dark:1,3")
    option = next(o for g in groups for o in g.options if o.value == "enquete|safe_dark:1,3")
    assert option.label == "1 (zeer onveilig) of 3 — nulmeting: 60\u00a0%"


@pytest.mark.parametrize("posted", ["", "nonsense", "cameras|x", "|safe_dark:4,5"])
def test_a_choice_not_from_the_list_is_refused(posted):
    with pytest.raises(goals.FieldError) as refused:
        goals.parse_choice(posted)
    assert refused.value.field == "source_ref"


def test_the_source_is_named_in_words(db, cycle, advisor):
    make_survey(cycle, FIVE)
    goal = new_goal(advisor, cycle, source_ref="safe_dark:4,5")
    assert goals.source_name(goal) == "Hoe veilig voelt u zich na donker op het bedrijventerrein?: 4 of 5 (zeer veilig)"
    goal.source, goal.source_ref = GoalSource.FIGURE, "mor:afvaldumping"
    assert goals.source_name(goal) == "Meldingen openbare ruimte (MOR): Afvaldumping"
