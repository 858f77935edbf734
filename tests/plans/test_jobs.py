"""The plan's reminders: actions due this quarter, overdue actions and calendar items coming up, handed to the
users' digests once per item, recipient and date, and delivered through a real SMTP server."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from app.auth.models import DigestFrequency, Role
from app.extensions import db as _db
from app.jobs.registry import JOBS
from app.jobs.services import execute
from app.mail.jobs import deliver_due
from app.notifications.models import Notification
from app.parks.models import CycleStatus, ParkStatus
from app.parks.services import active_cycle
from app.plans.models import ActionStatus, CalendarItem, CalendarKind
from app.stakeholders.models import PpsRole
from tests.factories import make_member, make_membership, make_organisation, make_park, make_user
from tests.mail.conftest import smtp_server  # noqa: F401 - the real SMTP server fixture
from tests.plans.test_tracking import make_action, make_plan, make_stakeholder

NOW = datetime(2027, 5, 10, 4, 30, tzinfo=UTC)  # Monday 06:30 in Amsterdam; 2027-Q2
JOB_NAMES = ("plans.actions_due", "plans.actions_overdue", "calendar.upcoming")


@pytest.fixture
def world(db):
    """Lage Weide (Utrecht) with its advisor, the municipality's officer, an entrepreneur who owns nothing, the
    police (represented by Wendy) and the fire brigade (a name only); a plan from 2027-Q1 with an action of every
    kind. And De Hoef elsewhere, with its own advisor and a late action."""
    utrecht = make_organisation(name="Gemeente Utrecht")
    park = make_park(name="Lage Weide", municipality=utrecht)
    people = {
        "advisor": make_member(Role.ADVISOR, park, name="Anouk Adviseur", email="anouk@example.nl"),
        "officer": make_user(name="Gerrit Gemeente", email="gerrit@example.nl"),
        "entrepreneur": make_member(Role.ENTREPRENEUR, park, name="Olga Ondernemer", email="olga@example.nl"),
        "wendy": make_user(name="Wendy Wijkagent", email="wendy@example.nl"),
    }
    make_membership(people["officer"], Role.MUNICIPALITY, municipality=utrecht)
    police = make_stakeholder(park, "Politie Midden-Nederland", user=people["wendy"])
    fire = make_stakeholder(park, "Brandweer", role=PpsRole.BRANDWEER)
    plan = make_plan(park, starts_on=date(2027, 1, 1))
    actions = {
        "late": make_action(plan, "Verlichting Atoomweg herstellen", quarter=1, owners=[police]),
        "late_done": make_action(plan, "Gereed", quarter=1, status=ActionStatus.DONE, owners=[police]),
        "due": make_action(
            plan, "Camera's bij de ingang", quarter=2, status=ActionStatus.STARTED, owners=[police, fire]
        ),
        "due_dropped": make_action(plan, "Vervallen", quarter=2, status=ActionStatus.DROPPED, owners=[police]),
        "later": make_action(plan, "Later", quarter=3, owners=[police]),
    }
    hoef = make_park(name="De Hoef", municipality=make_organisation(name="Gemeente Amersfoort"))
    people["bert"] = make_member(Role.ADVISOR, hoef, name="Bert", email="bert@example.nl")
    actions["hoef_late"] = make_action(make_plan(hoef), "Hekwerk", quarter=1)
    return {"park": park, "police": police, "fire": fire, "plan": plan, **people, **actions}


def _notifications(db, kind: str | None = None) -> list[Notification]:
    query = select(Notification).order_by(Notification.id)
    if kind:
        query = query.where(Notification.kind == kind)
    db.session.expire_all()
    return list(db.session.scalars(query))


def _by_user(notifications) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for notification in notifications:
        result.setdefault(notification.user.name, []).append(notification.text)
    return result


def test_the_jobs_are_registered_in_the_morning_before_the_digests(app):
    for name in JOB_NAMES:
        trigger = JOBS[name].trigger
        assert "hour='6'" in str(trigger) and str(trigger.timezone) == "Europe/Amsterdam"


def test_owners_hear_of_their_actions_due_this_quarter_once(db, world):
    job = JOBS["plans.actions_due"]
    first = execute(job, now=NOW)
    assert (first.done, first.skipped, first.error) == (1, 0, None)
    (notification,) = _notifications(db, "plans.actions_due")
    assert notification.user == world["wendy"] and notification.park == world["park"]
    assert notification.heading == "Acties die dit kwartaal klaar moeten zijn"
    assert notification.text == "Camera's bij de ingang, K2 (2e kw. 2027): klaar uiterlijk 30 juni 2027, status Bezig."
    assert notification.path == f"/parken/{world['park'].id}/plan/"
    assert not notification.required
    again = execute(job, now=NOW + timedelta(days=1))
    assert (again.done, again.skipped) == (0, 1)
    assert len(_notifications(db)) == 1
    # next quarter, the next quarter's action
    execute(job, now=datetime(2027, 7, 1, 4, 30, tzinfo=UTC))
    assert [n.text.split(",")[0] for n in _notifications(db, "plans.actions_due")] == [
        "Camera's bij de ingang",
        "Later",
    ]


def test_the_line_is_written_in_the_users_language(db, world):
    world["wendy"].locale = "en"
    execute(JOBS["plans.actions_due"], now=NOW)
    (notification,) = _notifications(db)
    assert "June 30, 2027" in notification.text


def test_overdue_actions_go_to_managers_and_owners_once_per_due_date(db, world):
    job = JOBS["plans.actions_overdue"]
    run = execute(job, now=NOW)
    assert (run.done, run.error) == (4, None)
    received = _by_user(_notifications(db, "plans.actions_overdue"))
    line = (
        "Verlichting Atoomweg herstellen, K1 (1e kw. 2027): had uiterlijk 31 maart 2027 klaar moeten zijn; "
        "eigenaar: Politie Midden-Nederland."
    )
    assert received == {
        "Anouk Adviseur": [line],
        "Gerrit Gemeente": [line],
        "Wendy Wijkagent": [line],
        "Bert": [
            "Hekwerk, K1 (1e kw. 2027): had uiterlijk 31 maart 2027 klaar moeten zijn; eigenaar: nog geen eigenaar."
        ],
    }
    assert all(n.required for n in _notifications(db))
    assert (execute(job, now=NOW + timedelta(days=1)).done, len(_notifications(db))) == (0, 4)

    # moved to the next quarter: reported again once that date has passed too
    late = world["late"]
    late.quarter, late.due_on = 2, date(2027, 6, 30)
    world["due"].status = ActionStatus.DONE
    db.session.commit()
    assert execute(job, now=NOW + timedelta(days=30)).done == 0
    assert execute(job, now=datetime(2027, 7, 1, 4, 30, tzinfo=UTC)).done == 3
    assert len(_notifications(db)) == 7


def test_overdue_skips_closed_cycles_ended_roles_and_blocked_users(db, world):
    world["officer"].memberships[0].ends_on = NOW.date() - timedelta(days=1)
    world["wendy"].is_active = False
    hoef_cycle = world["hoef_late"].plan.cycle
    hoef_cycle.status = CycleStatus.CLOSED
    db.session.commit()
    execute(JOBS["plans.actions_overdue"], now=NOW)
    assert set(_by_user(_notifications(db))) == {"Anouk Adviseur"}


def _item(park, title: str, on: date, *, owner=None, starts_at=None) -> CalendarItem:
    item = CalendarItem(
        cycle=active_cycle(park), kind=CalendarKind.ALERT, title=title, on=on, starts_at=starts_at, owner=owner
    )
    _db.session.add(item)
    _db.session.flush()
    return item


def test_owners_hear_of_calendar_items_a_few_days_ahead(app, db, world, monkeypatch):
    park, police, fire = world["park"], world["police"], world["fire"]
    _item(park, "Alertavond", date(2027, 5, 13), owner=police, starts_at=time(19, 30))
    _item(park, "Vandaag", date(2027, 5, 10), owner=police)
    _item(park, "Over tien dagen", date(2027, 5, 20), owner=police)
    _item(park, "Gisteren", date(2027, 5, 9), owner=police)
    _item(park, "Zonder eigenaar", date(2027, 5, 11))
    _item(park, "Eigenaar zonder account", date(2027, 5, 11), owner=fire)
    job = JOBS["calendar.upcoming"]
    assert execute(job, now=NOW).done == 2
    texts = [n.text for n in _notifications(db, "calendar.upcoming")]
    assert texts == [
        "Vandaag (Alertavond) op maandag 10 mei 2027.",
        "Alertavond (Alertavond) op donderdag 13 mei 2027 om 19:30.",
    ]
    notification = _notifications(db)[0]
    assert notification.user == world["wendy"] and notification.path == f"/parken/{park.id}/kalender/"
    assert execute(job, now=NOW + timedelta(hours=1)).done == 0
    monkeypatch.setitem(app.config, "CALENDAR_REMINDER_DAYS", 14)
    assert execute(job, now=NOW + timedelta(hours=2)).done == 1
    assert _notifications(db)[-1].text.startswith("Over tien dagen")


def test_the_digest_mail_arrives_and_a_rerun_adds_nothing(app, db, world, smtp_server):  # noqa: F811
    _item(world["park"], "Alertavond inbraakpreventie", date(2027, 5, 12), owner=world["police"])
    world["advisor"].digest_frequency = DigestFrequency.DAILY
    db.session.commit()

    def run_everything(now):
        results = [execute(JOBS[name], now=now).done for name in JOB_NAMES]
        results.append(execute(JOBS["notifications.daily_digest"], now=now + timedelta(minutes=30)).done)
        results.append(execute(JOBS["notifications.weekly_digest"], now=now + timedelta(minutes=30)).done)
        return results, deliver_due(now + timedelta(minutes=31))

    assert run_everything(NOW) == ([1, 4, 1, 1, 3], 4)
    messages = {message["To"]: message for message in smtp_server.inbox.messages}
    assert set(messages) == {"anouk@example.nl", "gerrit@example.nl", "wendy@example.nl", "bert@example.nl"}
    wendy = messages["wendy@example.nl"].get_body(("plain",)).get_content()
    assert messages["wendy@example.nl"]["Subject"] == "Uw weekoverzicht van Veilig Bedrijventerrein"
    assert "Beste Wendy Wijkagent," in wendy and "== Lage Weide ==" in wendy
    for text in (
        "Acties die dit kwartaal klaar moeten zijn",
        "Camera's bij de ingang, K2 (2e kw. 2027): klaar uiterlijk 30 juni 2027, status Bezig.",
        "Achterstallige acties",
        "Verlichting Atoomweg herstellen, K1 (1e kw. 2027): had uiterlijk 31 maart 2027",
        "Activiteiten op de kalender die eraan komen",
        "Alertavond inbraakpreventie (Alertavond) op woensdag 12 mei 2027.",
        f"http://127.0.0.1:5000/parken/{world['park'].id}/kalender/",
    ):
        assert text in wendy, text
    anouk = messages["anouk@example.nl"]
    assert anouk["Subject"] == "Uw dagoverzicht van Veilig Bedrijventerrein"
    assert "Verlichting Atoomweg herstellen" in anouk.get_body(("plain",)).get_content()

    # the scheduler restarts and runs everything again: no new items, no new mail
    assert run_everything(NOW + timedelta(hours=1)) == ([0, 0, 0, 0, 0], 0)
    assert len(smtp_server.inbox.messages) == 4


def test_a_paused_park_gets_no_action_or_calendar_reminders(db, world):
    world["park"].status = ParkStatus.PAUSED
    _item(world["park"], "Alertavond", NOW.date() + timedelta(days=2), owner=world["police"])
    db.session.commit()
    for name in JOB_NAMES:
        execute(JOBS[name], now=NOW)
    # only De Hoef's advisor hears of De Hoef's late action
    assert set(_by_user(_notifications(db))) == {"Bert"}
