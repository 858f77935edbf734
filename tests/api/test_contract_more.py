"""The contract of the plan, goal, survey, camera, meeting and quality-check operations with data behind them:
schemathesis generates requests with a read-write token of the municipality (who may read and write all of them)
and checks that no answer is a 5xx and every answer is what the OpenAPI document promises."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from app.api.models import ApiScope
from app.auth.models import Role
from app.cameras import checks, health, networks
from app.cameras.models import Score
from app.extensions import db as _db
from app.goals import services as goals
from app.meetings import services as meetings
from app.parks.services import active_cycle
from app.plans import services
from app.plans.models import Direction, GoalSource, Theme
from app.stakeholders.models import OrganisationType, PpsRole, Stakeholder
from app.surveys.definition import load_default
from app.surveys.models import Survey, SurveyResponse, SurveyStatus
from tests.api.test_contract import CHECKS
from tests.cameras.conftest import AREA, NETWORK_VALUES, camera_values
from tests.factories import make_member, make_organisation, make_park
from tests.meetings.conftest import values
from tests.surveys.test_results import FIVE

PATHS = ("/actions", "/goals", "/surveys", "/cameras", "/meetings")
TODAY = date(2026, 1, 10)


@pytest.fixture
def contract(app, db, make_token, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "100000/minute")
    park = make_park(name="Lage Weide")
    park.area = AREA
    make_park(name="Papendorp")
    cycle = active_cycle(park)
    cycle.starts_on, cycle.ends_on = date(2026, 1, 1), date(2027, 12, 31)
    user = make_member(Role.MUNICIPALITY, park, organisation=park.municipality)
    officer = make_member(Role.CAMERA_OFFICER, park)
    police = Stakeholder(
        organisation=make_organisation(name="Politie", type=OrganisationType.POLITIE), role=PpsRole.POLITIE
    )
    cycle.stakeholders.append(police)
    _db.session.flush()
    plan = services.plan_for(cycle, today=TODAY)
    for quarter, theme in ((1, Theme.VEILIG), (2, None), (3, Theme.HEEL)):
        action = services.add_action(
            user, plan, title=f"Actie {quarter}", quarter=quarter, owners=[police], theme=theme
        )
    services.add_note(user, action, text="Begonnen", today=TODAY)
    goal = goals.create_goal(
        user,
        cycle,
        goals.GoalFields(
            theme=Theme.VEILIG,
            title="Minder inbraken",
            indicator="Inbraken per jaar",
            source=GoalSource.MANUAL,
            direction=Direction.DOWN,
            target=5,
            baseline=12,
            deadline=date(2027, 12, 31),
        ),
        today=TODAY,
    )
    goals.record_measurement(user, goal, measured_on=date(2026, 6, 1), value=4, today=date(2026, 6, 2))
    survey = Survey(park=park, cycle=cycle, title="Enquête", definition=load_default(), status=SurveyStatus.CLOSED)
    _db.session.add(survey)
    _db.session.flush()
    for answer in FIVE * 2:
        _db.session.add(SurveyResponse(survey_id=survey.id, answers=answer))
    network = networks.save_network(officer, park, NETWORK_VALUES)
    networks.save_camera(officer, network, camera_values())
    health.import_health_records(
        officer,
        network,
        [(0, {"camera": "C01", "start": "2026-03-01T00:00", "end": "2026-03-02T00:00", "uptime": "90", "gaps": ""})],
        source="test",
    )
    check = checks.open_check(network, today=TODAY)
    scores = {c["key"]: (Score.OK, "") for c in check.criteria} | {"masking": (Score.MINOR, "Verschoven")}
    checks.record_check(officer, check, scores, today=TODAY)
    meeting = meetings.schedule_meeting(user, cycle, values())
    meetings.cancel_meeting(user, meeting, now=datetime(2026, 3, 10, tzinfo=UTC))
    meetings.schedule_meeting(user, cycle, values(on=date(2026, 4, 9)))
    secret = make_token(user, ApiScope.WRITE)
    _db.session.commit()
    return {"park_id": park.id, "secret": secret, "action_id": action.id, "survey_id": survey.id}


def test_the_plan_survey_camera_and_meeting_operations_keep_the_contract(app, contract):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [
        result.ok()
        for result in schema.get_all_operations()
        if any(f"{{park_id}}{path}" in result.ok().path for path in PATHS)
    ]
    assert len(operations) == 11
    headers = {"Authorization": f"Bearer {contract['secret']}"}
    ids = {"park_id": contract["park_id"], "action_id": contract["action_id"], "survey_id": contract["survey_id"]}
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
            def check(case):
                # half of the ids point at the seeded rows, so that 200s are tested too, not only 404s
                for name, value in ids.items():
                    given_value = (case.path_parameters or {}).get(name)
                    if isinstance(given_value, int) and given_value % 2 == 0:
                        case.path_parameters[name] = value
                case.call_and_validate(headers=headers, checks=CHECKS)

            check()
    # valid writes, which random data seldom are
    by_key = {(op.method.upper(), op.path.removeprefix("/api/v1/parks/{park_id}")): op for op in operations}
    patch = by_key[("PATCH", "/actions/{action_id}")].Case(
        path_parameters={"park_id": contract["park_id"], "action_id": contract["action_id"]},
        body={"status": "gereed", "note": "Klaar"},
        media_type="application/json",
    )
    assert patch.call_and_validate(headers=headers, checks=CHECKS).status_code in (200, 422)
    period = {"camera": "C01", "start": "2026-03-02T00:00", "end": "2026-03-03T00:00", "uptime": 99.5, "gaps": []}
    post = by_key[("POST", "/cameras/health")].Case(
        path_parameters={"park_id": contract["park_id"]}, body={"periods": [period]}, media_type="application/json"
    )
    assert post.call_and_validate(headers=headers, checks=CHECKS).status_code == 200
