from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from app import benchdata
from app.auth.models import User
from app.awards.models import Award
from app.cameras.models import Camera, CameraNetwork, QualityCheck
from app.clock import local_today
from app.parks.models import Company, Cycle, CycleStatus, Park
from app.plans.models import OPEN_STATUSES, Goal, Plan, PlanAction
from app.surveys.definition import validate_answers
from app.surveys.models import InvitationStatus, Survey, SurveyInvitation, SurveyResponse, SurveyStatus

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _generate(app, *args: str):
    return app.test_cli_runner().invoke(args=["bench-data", "--parks", "3", *args])


def _count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_generates_every_park_with_two_cycles_and_their_contents(app, db):
    result = _generate(app)
    assert result.exit_code == 0, result.output
    assert "Generated 3 parks" in result.output
    assert _count(db, Park) == 3
    assert _count(db, Park, Park.area.is_(None)) == 0
    for park in db.session.scalars(select(Park)):
        assert [(c.number, c.status) for c in park.cycles] == [(1, CycleStatus.CLOSED), (2, CycleStatus.ACTIVE)]
        assert len(park.companies) >= 10
    assert _count(db, Goal) == 3 * 2 * 4
    assert _count(db, Plan) == 3 * 2
    assert _count(db, PlanAction) >= 3 * 2 * 12
    overdue = _count(
        db,
        PlanAction,
        PlanAction.plan_id.in_(
            select(Plan.id).join(Cycle, Cycle.id == Plan.cycle_id).where(Cycle.status == CycleStatus.ACTIVE)
        ),
        PlanAction.status.in_(OPEN_STATUSES),
        PlanAction.due_on < local_today(),
    )
    assert overdue > 0
    assert _count(db, CameraNetwork) == 2  # every other park
    assert _count(db, Camera) >= 2 * 3
    assert _count(db, QualityCheck, QualityCheck.done_on.is_not(None)) == 2
    # an award for every cycle past step 7: the closed ones' ran out, an active one's is still valid
    past_step_7 = _count(db, Cycle, Cycle.current_step == 8)
    assert _count(db, Award) == past_step_7 >= 3
    assert _count(db, Award, Award.valid_until < local_today()) == 3


def test_answers_fit_the_questionnaire_and_match_the_used_invitations(app, db):
    assert _generate(app).exit_code == 0
    surveys = db.session.scalars(select(Survey)).all()
    assert sorted(s.status for s in surveys) == sorted([SurveyStatus.CLOSED, SurveyStatus.OPEN] * 3)
    for survey in surveys:
        responses = db.session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == survey.id)).all()
        assert responses
        for response in responses:
            assert validate_answers(survey.definition, response.answers) == response.answers
        used = _count(
            db,
            SurveyInvitation,
            SurveyInvitation.survey_id == survey.id,
            SurveyInvitation.status == InvitationStatus.USED,
        )
        assert used == sum(not r.via_public_link for r in responses)
        assert (survey.public_token is not None) == (survey.status == SurveyStatus.OPEN)


def test_the_pages_work_on_the_generated_data(app, db, login_as):
    assert _generate(app).exit_code == 0
    officer = db.session.scalar(select(User).where(User.email == benchdata.OFFICER_EMAIL))
    park = db.session.scalar(
        select(Park).where(Park.municipality_id == officer.memberships[0].municipality_id).order_by(Park.id)
    )
    client = login_as(officer)
    for path in (
        "/parken/",
        "/voortgang/",
        "/voortgang/achterstallig",
        f"/parken/{park.id}",
        "/dashboard/",
        "/dashboard/dashboard.xlsx",
    ):
        assert client.get(path).status_code == 200, path
    matrix = client.get(f"/parken/{park.id}/plan/matrix")
    assert matrix.status_code == 200
    assert "Actie 1" in matrix.get_data(as_text=True)
    token = db.session.scalar(
        select(Survey.public_token).where(Survey.park_id == park.id, Survey.status == SurveyStatus.OPEN)
    )
    assert client.get(f"/enquete/open/{token}").status_code == 200


def test_refuses_a_database_with_parks_unless_forced(app, db):
    assert _generate(app).exit_code == 0
    refused = _generate(app)
    assert refused.exit_code != 0
    assert "already holds 3 parks" in refused.output
    assert _count(db, Park) == 3
    forced = _generate(app, "--force")
    assert forced.exit_code == 0, forced.output
    assert _count(db, Park) == 6


def _fingerprint(db) -> tuple:
    return (
        tuple(db.session.scalars(select(Company.kvk_number).order_by(Company.id))),
        tuple(db.session.scalars(select(PlanAction.status).order_by(PlanAction.id))),
        # not the tokens: they are made from ids, which PostgreSQL does not hand out again after a rollback
        tuple(db.session.scalars(select(SurveyInvitation.status).order_by(SurveyInvitation.id))),
    )


def _generated(db, seed: int) -> tuple:
    """The fingerprint of 3 parks generated with `seed`, rolled back afterwards (no commit: generate() flushes)."""
    nested = db.session.begin_nested()
    benchdata.generate(parks=3, seed=seed, today=TODAY, now=NOW, force=False)
    fingerprint = _fingerprint(db)
    nested.rollback()
    return fingerprint


def test_the_same_seed_gives_the_same_data(app, db):
    first = _generated(db, seed=5)
    assert first[0]
    assert _count(db, Park) == 0
    assert _generated(db, seed=5) == first
    assert _generated(db, seed=6) != first
