from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.models import DigestFrequency, Membership, Role, User
from app.awards.models import Award
from app.awards.services import find_award, valid_until_for
from app.cameras.models import Camera, CameraHealth, CameraNetwork, CameraOutage, FootageDecision, FootageRequest
from app.clock import LOCAL_TIME, easter, local_day, working_day_from
from app.demo import DEMO_PASSWORD
from app.demo.seed import seed_demo_data
from app.inventory.models import Figure, Finding, Inspection, ScanEntry
from app.jobs.models import JobRun, RunStatus
from app.mail.models import MailStatus, OutboxMail
from app.meetings.models import Meeting, MeetingKind
from app.parks import steps
from app.parks.models import Park
from app.parks.services import active_cycle
from app.plans import versions
from app.plans.models import CalendarItem, Goal, Plan, PlanAction, PlanVersion, Theme
from app.plans.services import find_plan
from app.stakeholders.models import Organisation, OrganisationType, PpsRole, Stakeholder
from app.surveys import results
from app.surveys.definition import validate_answers
from app.surveys.models import InvitationStatus, Survey, SurveyInvitation, SurveyResponse, SurveyStatus
from app.surveys.response_rate import response_rate
from app.surveys.services import current_survey
from tests.conftest import Client


def _counts(db) -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (
            User,
            Park,
            Organisation,
            Membership,
            AuditEvent,
            OutboxMail,
            Survey,
            SurveyInvitation,
            SurveyResponse,
            Figure,
            ScanEntry,
            Inspection,
            Finding,
            Goal,
            Plan,
            PlanAction,
            PlanVersion,
            CalendarItem,
            CameraNetwork,
            Camera,
            FootageRequest,
        )
    }


def test_seed_demo_is_complete_and_idempotent(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert DEMO_PASSWORD in result.output and "adviseur@" in result.output
    first = _counts(db)
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert _counts(db) == first

    types = set(db.session.scalars(select(Organisation.type)))
    assert types == set(OrganisationType)
    roles = set(db.session.scalars(select(Membership.role)))
    assert roles == set(Role)
    assert db.session.scalar(select(func.count(Park.id))) >= 3
    assert db.session.scalar(select(User).where(User.is_admin)) is not None

    # mail and jobs: invitations waiting in the outbox, one failed mail, several digest choices
    invited = db.session.scalars(select(User).where(User.password_hash.is_(None))).all()
    assert len(invited) >= 2
    queued = {m.recipient for m in db.session.scalars(select(OutboxMail).where(OutboxMail.status == MailStatus.QUEUED))}
    assert {u.email for u in invited} <= queued
    assert db.session.scalar(select(func.count(OutboxMail.id)).where(OutboxMail.status == MailStatus.FAILED)) == 1
    # the run that gave up, and an earlier one whose scheduler died mid-way
    cut_off, delivery = db.session.scalars(select(JobRun).where(JobRun.job == "mail.deliver").order_by(JobRun.id))
    assert (delivery.status, delivery.done, delivery.failed) == (RunStatus.FAILED, 0, 1)
    assert cut_off.status == RunStatus.ABANDONED and cut_off.holder
    assert set(db.session.scalars(select(User.digest_frequency))) == set(DigestFrequency)

    # the process: every park has its active cycle; the demo parks are at different steps, with areas and companies
    steps = {p.name: active_cycle(p).current_step for p in db.session.scalars(select(Park))}
    assert steps["Lage Weide"] == 3 and steps["Papendorp"] == 1 and steps["Cartesiusweg"] == 8
    assert len(set(steps.values())) >= 4
    lage_weide = db.session.scalar(select(Park).where(Park.name == "Lage Weide"))
    assert lage_weide.area is not None and len(lage_weide.companies) >= 5
    assert len(active_cycle(lage_weide).stakeholders) == 4 and len(active_cycle(lage_weide).transitions) == 2

    # the survey: running on the park at the inventory step, closed with its report on a park past it
    running = current_survey(lage_weide)
    assert running.status == SurveyStatus.OPEN and running.public_token is not None  # its public link is on
    statuses = [i.status for i in running.invitations]
    assert len(statuses) == len(lage_weide.companies)
    assert {InvitationStatus.USED, InvitationStatus.OPENED, InvitationStatus.INVITED} <= set(statuses)
    cartesiusweg = db.session.scalar(select(Park).where(Park.name == "Cartesiusweg"))
    done = current_survey(cartesiusweg)
    assert done.status == SurveyStatus.CLOSED and done.report_ready_at is not None and done.conclusions
    with app.test_request_context():
        rate = response_rate(running).total
        assert (rate.invited, rate.completed) == (len(statuses), statuses.count(InvitationStatus.USED))
        shown = results.aggregate(done, include_text=False)
        assert not shown.suppressed and shown.responses >= results.min_group() * 3
    for survey in (running, done):
        responses = db.session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == survey.id)).all()
        used = sum(i.status == InvitationStatus.USED for i in survey.invitations)
        assert sum(not r.via_public_link for r in responses) == used  # one response per used personal link
        for response in responses:
            assert validate_answers(survey.definition, response.answers) == response.answers
    assert active_cycle(cartesiusweg).current_step > 3 and steps["Lage Weide"] == 3

    # inventory, goals and plan: Lage Weide is gathering its inventory, Cartesiusweg has an adopted plan
    with app.test_request_context():
        inventory = {c.label: c.met for c in step_report(lage_weide, 3)}
        assert inventory["De politie heeft haar cijfers voor het park aangeleverd"]
        assert not inventory["Elke deelnemer heeft zijn top-3 voor de gebiedsscan ingevuld"]  # two still to do
        assert all(c.met for number in (3, 4, 6) for c in step_report(cartesiusweg, number))
    walks = db.session.scalars(select(Inspection).where(Inspection.cycle_id == active_cycle(lage_weide).id)).all()
    assert len(walks) == 2 and all(walk.findings for walk in walks)
    goals = db.session.scalars(select(Goal).where(Goal.cycle_id == active_cycle(cartesiusweg).id)).all()
    assert {goal.theme for goal in goals} == set(Theme) and all(goal.baseline is not None for goal in goals)
    plan = find_plan(active_cycle(cartesiusweg))
    assert len(plan.actions) >= 10 and all(action.owners for action in plan.actions)
    assert len({action.status for action in plan.actions}) >= 4  # done, started, delayed, planned
    assert plan.adopted_version is not None and versions.diff(plan).added  # a finding became an action since
    assert db.session.scalar(select(func.count(CalendarItem.id))) >= 5

    # cameras: two networks with their cameras, one footage request handed over on a written demand, one refused
    networks = db.session.scalars(select(CameraNetwork)).all()
    assert {n.park.name for n in networks} == {"Lage Weide", "Cartesiusweg"} and all(n.cameras for n in networks)
    assert all(n.retention_days <= 28 for n in networks)
    requests = db.session.scalars(select(FootageRequest)).all()
    assert {r.decision for r in requests} == set(FootageDecision)
    assert all(r.demand_reference for r in requests if r.decision == FootageDecision.PROVIDED)
    # the video system's report of last week for every camera, a defect camera still offline and a night's gap
    reported = set(db.session.scalars(select(CameraHealth.camera_id)))
    assert reported == {camera.id for network in networks for camera in network.cameras}
    outages = db.session.scalars(select(CameraOutage)).all()
    assert any(o.ended_at is None for o in outages) and any(o.ended_at is not None for o in outages)


def _ondernemers(cycle):
    return next(s for s in cycle.stakeholders if s.role == PpsRole.ONDERNEMERS)


def test_demo_is_consistent_with_the_rules(app, db):
    """Cartesiusweg's entrepreneurs have their own association, every partner signed the declaration of intent at
    the kick-off (within the cycle), the partners' people have names, no demo meeting falls on a weekend day or
    a holiday (the quarterly meeting was once on 26 December), and every award counts as long as its track says."""
    seed_demo_data(now=datetime.now(UTC))
    cartesiusweg = db.session.scalar(select(Park).where(Park.name == "Cartesiusweg"))
    cycle = active_cycle(cartesiusweg)
    association = _ondernemers(cycle).organisation
    assert association.name == "Ondernemersvereniging Cartesiusweg"
    assert association.type == OrganisationType.ONDERNEMERSVERENIGING
    network = db.session.scalar(select(CameraNetwork).where(CameraNetwork.park_id == cartesiusweg.id))
    assert network.owner_name == association.name
    kickoff = db.session.scalar(
        select(Meeting).where(Meeting.cycle_id == cycle.id, Meeting.kind == MeetingKind.KICKOFF)
    )
    for stakeholder in cycle.stakeholders:
        assert stakeholder.declaration_signed_on == local_day(kickoff.starts_at) >= cycle.starts_on
        assert stakeholder.declaration_signed_by == stakeholder.signatory_name
        for name in (stakeholder.representative_name, stakeholder.signatory_name):
            assert not name.startswith(("Contactpersoon ", "Directeur ")), name
    for meeting in db.session.scalars(select(Meeting)):
        day = local_day(meeting.starts_at)
        assert working_day_from(day) == day, (meeting.title, day)
    quarterly = db.session.scalar(select(Meeting).where(Meeting.kind == MeetingKind.QUARTERLY))
    assert quarterly.cycle_id == cycle.id
    for award in db.session.scalars(select(Award).where(Award.awarded_on.is_not(None))):
        assert award.valid_until == valid_until_for(award.cycle.park, award.awarded_on), award.cycle.park.name


def test_seed_demo_sets_right_what_an_older_demo_wrote(app, db):
    """A database seeded by the older demo: running seed-demo again gives Cartesiusweg its own association, the
    people their names, dates the declaration at the kick-off and moves the quarterly meeting off the holiday."""
    now = datetime.now(UTC)
    seed_demo_data(now=now)
    cartesiusweg = db.session.scalar(select(Park).where(Park.name == "Cartesiusweg"))
    cycle = active_cycle(cartesiusweg)
    lage_weide = db.session.scalar(select(Organisation).where(Organisation.name == "Ondernemersvereniging Lage Weide"))
    # what the older demo wrote
    stakeholder = _ondernemers(cycle)
    stakeholder.organisation = lage_weide
    for each in cycle.stakeholders:
        each.representative_name = f"Contactpersoon {each.organisation.name}"
        each.signatory_name = each.declaration_signed_by = f"Directeur {each.organisation.name}"
        each.declaration_signed_on = cycle.starts_on - timedelta(days=40)
    quarterly = db.session.scalar(select(Meeting).where(Meeting.kind == MeetingKind.QUARTERLY))
    boxing_day = date(local_day(now).year + 1, 12, 26)
    quarterly.starts_at = datetime(boxing_day.year, 12, 26, 15, 0, tzinfo=UTC)
    quarterly.ends_at = quarterly.starts_at + timedelta(hours=1, minutes=30)
    secretary = db.session.scalar(select(User).where(User.email.startswith("secretaris@")))
    secretary.organisation = lage_weide
    chair = db.session.scalar(select(User).where(User.email.startswith("ondernemer@")))
    signatures = {s.stakeholder_id: s for s in find_award(cycle).signatures}
    signatures[stakeholder.id].user_id, signatures[stakeholder.id].name = chair.id, chair.name
    by_link = next(s for s in signatures.values() if s.user_id is None)
    by_link.name, by_link.function = "Directeur Veiligheidsregio Utrecht (brandweer)", "Directeur"
    adopted = find_plan(cycle).adopted_version
    adopted.meeting = "werkgroepvergadering van 7-10-2026"  # the plan then read "van 7-10-2026 op 7 oktober 2026"
    db.session.flush()

    seed_demo_data(now=now)
    db.session.expire_all()
    assert _ondernemers(cycle).organisation.name == "Ondernemersvereniging Cartesiusweg"
    assert secretary.organisation.name == "Ondernemersvereniging Cartesiusweg"
    for each in cycle.stakeholders:
        assert not each.representative_name.startswith("Contactpersoon ")
        assert each.declaration_signed_by == each.signatory_name and not each.signatory_name.startswith("Directeur ")
        assert each.declaration_signed_on >= cycle.starts_on
    # the association's signature is by its own member, the one through the link under the signatory's name
    assert (signatures[stakeholder.id].name, signatures[stakeholder.id].function) == ("Sanne Secretaris", "Secretaris")
    signed_by_link = db.session.get(Stakeholder, by_link.stakeholder_id)
    assert (by_link.name, by_link.function) == (signed_by_link.signatory_name, signed_by_link.signatory_function)
    assert adopted.meeting == "werkgroepvergadering"
    moved = local_day(quarterly.starts_at)
    assert moved > boxing_day and working_day_from(moved) == moved
    assert quarterly.starts_at.astimezone(LOCAL_TIME).hour == 16  # at the same hour


def test_working_days_skip_weekends_and_dutch_holidays():
    assert easter(2026) == date(2026, 4, 5) and easter(2027) == date(2027, 3, 28)
    assert working_day_from(date(2026, 12, 26)) == date(2027, 1, 4)  # Christmas week, New Year, a weekend
    assert working_day_from(date(2026, 5, 14)) == date(2026, 5, 15)  # Ascension Day
    assert working_day_from(date(2026, 4, 27)) == date(2026, 4, 28)  # King's Day
    assert working_day_from(date(2025, 4, 26)) == date(2025, 4, 28)  # King's Day on the Saturday, then a Sunday
    assert working_day_from(date(2026, 10, 6)) == date(2026, 10, 6)


def step_report(park, number):
    return steps.evaluate(active_cycle(park), number)


def test_every_demo_account_can_log_in(app, db):
    accounts = seed_demo_data(now=datetime.now(UTC))
    db.session.commit()
    for email, _description, password in accounts:
        client: Client = app.test_client()
        response = client.post("/inloggen", data={"email": email, "password": password})
        assert response.status_code == 302, email


def test_create_admin(app, db):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "Root@Example.nl", "--name", "Root"],
        input="a long admin password\na long admin password\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "root@example.nl"))
    assert user.is_admin and user.has_password
    short = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "x@example.nl", "--name", "X"], input="short\nshort\n"
    )
    assert short.exit_code != 0 and "12" in short.output
