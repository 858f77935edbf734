"""The rules of the meetings: times in local time stored in UTC, who may run them (the chair and secretary among the
entrepreneurs), a closed cycle is read-only, invitees, minutes, and decisions that become actions in the plan."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.auth.policy import runs_meetings
from app.clock import LOCAL_TIME
from app.errors import DomainError, NotAllowed
from app.meetings import services
from app.meetings.models import MeetingKind
from app.parks.models import CycleStatus
from app.parks.services import active_cycle
from app.plans.models import Theme
from app.plans.services import plan_for
from app.stakeholders.models import PpsRole
from tests.factories import make_member
from tests.meetings.conftest import AGENDA, NOW, schedule

AFTER = datetime(2026, 3, 12, 21, 30, tzinfo=UTC)  # the evening of the working session, after it


def audit_rows(db, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


# Scheduling --------------------------------------------------------------------------------------------------


def test_a_meeting_is_scheduled_in_local_time_and_stored_in_utc(db, park, cycle, advisor):
    meeting = schedule(advisor, cycle, title="  Werksessie   veiligheid ")
    assert meeting.title == "Werksessie veiligheid"
    # 12 March is winter time: Amsterdam is UTC+1
    assert meeting.starts_at == datetime(2026, 3, 12, 18, 30, tzinfo=UTC)
    assert meeting.ends_at == datetime(2026, 3, 12, 20, 0, tzinfo=UTC)
    assert meeting.agenda == AGENDA and meeting.location == "Kantine Van Hal Transport, Atoomweg 50"
    assert len(meeting.uid) == 32 and int(meeting.uid, 16) >= 0 and meeting.sequence == 0
    assert meeting.minutes_at is None and meeting.cancelled_at is None and meeting.created_by_id == advisor.id
    (event,) = audit_rows(db, "meetings.scheduled")
    assert (event.park_id, event.subject_type, event.subject_id) == (park.id, "meetings", str(meeting.id))
    assert event.details["title"] == "Werksessie veiligheid" and event.details["kind"] == "werksessie"


def test_summer_time_and_the_title_from_the_kind(db, cycle, advisor):
    meeting = schedule(advisor, cycle, kind=MeetingKind.KICKOFF, title="   ", on=date(2026, 6, 4), agenda=[])
    assert meeting.title == "Kick-off"
    assert meeting.starts_at == datetime(2026, 6, 4, 17, 30, tzinfo=UTC)  # CEST: UTC+2
    assert meeting.agenda == []


def test_two_meetings_get_different_uids(db, cycle, advisor):
    assert schedule(advisor, cycle).uid != schedule(advisor, cycle).uid


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_at": time(19, 30)}, "De eindtijd moet na de begintijd liggen."),
        ({"ends_at": time(18, 0)}, "De eindtijd moet na de begintijd liggen."),
        ({"starts_at": None}, "Geef een begintijd en een eindtijd."),
        ({"ends_at": None}, "Geef een begintijd en een eindtijd."),
        ({"on": None}, "Kies een datum."),
        ({"on": date(1999, 12, 31)}, "Kies een datum tussen 2000 en 2100."),
        ({"title": "x" * 201}, "De titel is te lang"),
        ({"location": "x" * 301}, "De locatie is te lang"),
        ({"agenda": [{"title": "x" * 301}]}, "Een agendapunt is te lang"),
        ({"agenda": [{"title": f"Punt {n}"} for n in range(41)]}, "De agenda heeft te veel punten"),
        ({"kind": "borrel"}, "Kies een soort vergadering."),
    ],
)
def test_values_that_break_a_rule_are_refused(db, cycle, advisor, overrides, message):
    with pytest.raises(DomainError, match=message):
        schedule(advisor, cycle, **overrides)
    assert services.cycle_meetings(cycle) == []


def test_the_agenda_text_box_round_trips():
    text = (
        "Opening en mededelingen\nResultaten van de schouw\n  Toelichting door de wijkagent\n"
        "\tFoto's van de Atoomweg\n\nRondvraag\n"
    )
    agenda = services.parse_agenda(text)
    assert agenda == AGENDA
    assert services.parse_agenda(services.agenda_text(agenda)) == agenda
    # a note before any item has nothing to belong to: it becomes an item
    assert services.parse_agenda("  Los punt") == [{"title": "Los punt", "note": ""}]


# Who may run the meetings --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.MUNICIPALITY])
def test_managers_schedule(db, park, cycle, role):
    assert schedule(make_member(role, park), cycle).id


def test_an_entrepreneur_schedules_only_as_chair_or_secretary(db, park, cycle, chair):
    assert schedule(chair, cycle).id
    secretary = db.session.get(type(chair), cycle.secretary_id)
    assert schedule(secretary, cycle).id
    other = make_member(Role.ENTREPRENEUR, park)
    assert not runs_meetings(other, cycle)
    with pytest.raises(NotAllowed, match="voorzitter en de secretaris"):
        schedule(other, cycle)


@pytest.mark.parametrize("role", [Role.PARTNER, Role.CAMERA_OFFICER, Role.AUDITOR])
def test_other_roles_do_not_schedule(db, park, cycle, role):
    with pytest.raises(NotAllowed):
        schedule(make_member(role, park), cycle)


def test_an_advisor_of_another_park_does_not_schedule(db, park, other_park, cycle):
    with pytest.raises(NotAllowed):
        schedule(make_member(Role.ADVISOR, other_park), cycle)


def test_a_former_chair_no_longer_runs_the_meetings(db, park, cycle, chair, advisor):
    meeting = schedule(chair, cycle)
    cycle.chair_id = None
    with pytest.raises(NotAllowed):
        services.update_meeting(chair, meeting, services.MeetingValues(**_same(meeting)), now=NOW)


def _same(meeting, **overrides) -> dict:
    from app.clock import LOCAL_TIME

    start, end = meeting.starts_at.astimezone(LOCAL_TIME), meeting.ends_at.astimezone(LOCAL_TIME)
    return {
        "kind": meeting.kind,
        "title": meeting.title,
        "on": start.date(),
        "starts_at": start.time(),
        "ends_at": end.time(),
        "location": meeting.location,
        "agenda": meeting.agenda,
    } | overrides


def test_a_closed_cycle_refuses_every_write(db, park, cycle, advisor, core):
    meeting = schedule(advisor, cycle)
    services.add_invitees(advisor, meeting, stakeholders=[core[PpsRole.GEMEENTE]])
    plan_for(cycle, today=date(2026, 1, 5))
    cycle.status = CycleStatus.CLOSED
    db.session.flush()
    attendee = meeting.attendees[0]
    writes = [
        lambda: schedule(advisor, cycle),
        lambda: services.update_meeting(advisor, meeting, services.MeetingValues(**_same(meeting, title="X")), now=NOW),
        lambda: services.add_invitees(advisor, meeting, people=[("Kees", "kees@example.nl")]),
        lambda: services.remove_invitee(advisor, meeting, attendee, now=NOW),
        lambda: services.send_invitations(advisor, meeting, now=NOW),
        lambda: services.cancel_meeting(advisor, meeting, now=NOW),
        lambda: services.record_attendance(advisor, meeting, {attendee.id: True}, now=AFTER),
        lambda: services.record_minutes(advisor, meeting, "Verslag", now=AFTER),
        lambda: services.record_decision(advisor, meeting, "Besluit", now=AFTER),
    ]
    for write in writes:
        with pytest.raises(DomainError, match="Deze cyclus is afgesloten"):
            write()
    assert meeting.title == "Werksessie veiligheid" and meeting.minutes_at is None and meeting.cancelled_at is None


# Changing and cancelling -------------------------------------------------------------------------------------


def test_a_change_before_the_invitations_keeps_the_sequence(db, cycle, advisor):
    meeting = schedule(advisor, cycle)
    changed = services.update_meeting(
        advisor, meeting, services.MeetingValues(**_same(meeting, location="Gemeentehuis")), now=NOW
    )
    assert changed == ["location"] and meeting.sequence == 0
    (event,) = audit_rows(db, "meetings.changed")
    assert event.details["changed"] == ["location"]
    assert services.update_meeting(advisor, meeting, services.MeetingValues(**_same(meeting)), now=NOW) == []
    assert len(audit_rows(db, "meetings.changed")) == 1  # saving without a change records nothing


def test_each_change_after_the_invitations_raises_the_sequence(db, cycle, advisor, core):
    meeting = schedule(advisor, cycle)
    services.add_invitees(advisor, meeting, stakeholders=[core[PpsRole.GEMEENTE]])
    services.send_invitations(advisor, meeting, now=NOW)
    services.update_meeting(advisor, meeting, services.MeetingValues(**_same(meeting, starts_at=time(20))), now=NOW)
    assert meeting.sequence == 1 and meeting.starts_at == datetime(2026, 3, 12, 19, 0, tzinfo=UTC)
    services.update_meeting(advisor, meeting, services.MeetingValues(**_same(meeting, agenda=[])), now=NOW)
    assert meeting.sequence == 2 and meeting.agenda == []


def test_cancel_keeps_the_meeting_marked_and_refuses_twice(db, cycle, advisor):
    meeting = schedule(advisor, cycle)
    assert services.cancel_meeting(advisor, meeting, now=NOW) == 0  # nobody was invited: nobody is mailed
    assert meeting.cancelled_at == NOW and meeting.sequence == 0
    assert services.cycle_meetings(cycle) == [meeting]
    assert audit_rows(db, "meetings.cancelled")[0].details["mailed"] == 0
    with pytest.raises(DomainError, match="geannuleerd"):
        services.cancel_meeting(advisor, meeting, now=NOW)
    with pytest.raises(DomainError, match="geannuleerd"):
        services.update_meeting(advisor, meeting, services.MeetingValues(**_same(meeting, title="Y")), now=NOW)
    with pytest.raises(DomainError, match="geannuleerd"):
        services.record_minutes(advisor, meeting, "Toch", now=AFTER)


def test_a_held_meeting_is_not_cancelled(db, cycle, advisor):
    meeting = schedule(advisor, cycle)
    services.record_minutes(advisor, meeting, "Verslag", now=AFTER)
    with pytest.raises(DomainError, match="gehouden"):
        services.cancel_meeting(advisor, meeting, now=AFTER)


# Invitees ------------------------------------------------------------------------------------------------------


def test_invitees_are_the_representatives_and_others_by_email(db, cycle, advisor, core):
    meeting = schedule(advisor, cycle)
    added = services.add_invitees(
        advisor,
        meeting,
        stakeholders=[core[PpsRole.POLITIE], core[PpsRole.GEMEENTE]],
        people=services.parse_people("Jan Jansen <jan@drukkerij.example>\nsecretaris@ovlw.example\n"),
    )
    assert [(a.name, a.email, a.stakeholder) for a in added] == [
        ("Wendy Wijkagent", "wendy@politie.example", core[PpsRole.POLITIE]),
        ("Gerrit Gemeente", "gerrit@utrecht.example", core[PpsRole.GEMEENTE]),
        ("Jan Jansen", "jan@drukkerij.example", None),
        ("secretaris", "secretaris@ovlw.example", None),
    ]
    assert added[0].user_id == core[PpsRole.POLITIE].representative_user_id
    assert all(a.invited_at is None and a.attended is None for a in added)
    # the same people again, in another case, are skipped
    again = services.add_invitees(
        advisor, meeting, stakeholders=[core[PpsRole.POLITIE]], people=[("Jan", "JAN@drukkerij.example")]
    )
    assert again == [] and len(meeting.attendees) == 4
    (event,) = audit_rows(db, "meetings.invitees_added")
    assert event.details["emails"][0] == "wendy@politie.example"


def test_invitees_that_cannot_be_invited_are_refused(db, park, other_park, cycle, advisor, core):
    meeting = schedule(advisor, cycle)
    core[PpsRole.BRANDWEER].representative_email = None
    with pytest.raises(DomainError, match="Veiligheidsregio Utrecht heeft geen vertegenwoordiger met een e-mailadres"):
        services.add_invitees(advisor, meeting, stakeholders=[core[PpsRole.BRANDWEER]])
    from app.stakeholders.models import Stakeholder
    from tests.factories import make_organisation

    stranger = Stakeholder(
        cycle=active_cycle(other_park),
        organisation=make_organisation(),
        role=PpsRole.OVERIG,
        representative_name="Iemand",
        representative_email="iemand@example.nl",
    )
    db.session.add(stranger)
    db.session.flush()
    with pytest.raises(DomainError, match="alleen deelnemers van deze cyclus"):
        services.add_invitees(advisor, meeting, stakeholders=[stranger])
    with pytest.raises(DomainError, match="Geen geldig e-mailadres op de regel: Kees van Hal"):
        services.parse_people("Kees van Hal")
    with pytest.raises(DomainError, match="geen geldig e-mailadres"):
        services.add_invitees(advisor, meeting, people=[("X", "x@@y")])
    assert meeting.attendees == []


def test_removing_an_invitee_who_had_an_invitation_sends_a_cancellation(db, cycle, advisor, core, outbox):
    meeting = schedule(advisor, cycle)
    services.add_invitees(advisor, meeting, stakeholders=[core[PpsRole.GEMEENTE], core[PpsRole.BRANDWEER]])
    services.send_invitations(advisor, meeting, now=NOW)
    services.remove_invitee(advisor, meeting, meeting.attendees[1], now=NOW)
    assert [a.email for a in meeting.attendees] == ["gerrit@utrecht.example"]
    mails = outbox()
    assert [m.recipient for m in mails] == ["gerrit@utrecht.example", "bram@vru.example", "bram@vru.example"]
    assert mails[-1].subject.startswith("Geannuleerd:")
    assert audit_rows(db, "meetings.invitee_removed")[0].details["email"] == "bram@vru.example"


# Invitations ---------------------------------------------------------------------------------------------------


def test_invitations_go_one_per_invitee_in_their_language(db, park, cycle, advisor, core, outbox):
    meeting = schedule(advisor, cycle)
    services.add_invitees(advisor, meeting, stakeholders=[core[PpsRole.POLITIE], core[PpsRole.ONDERNEMERS]])
    assert services.send_invitations(advisor, meeting, now=NOW) == 2
    mails = outbox()
    assert [(m.recipient, m.locale) for m in mails] == [("wendy@politie.example", "en"), ("kees@vanhal.example", "nl")]
    kees = mails[1]
    assert kees.subject == "Uitnodiging: Werksessie veiligheid (Lage Weide)"
    assert "Beste Kees van Hal," in kees.text_body and "Anouk Adviseur nodigt u uit" in kees.text_body
    assert "donderdag 12 maart 2026, 19:30-21:00" in kees.text_body
    assert "2. Resultaten van de schouw" in kees.text_body
    assert f"/parken/{park.id}/vergaderingen/{meeting.id}" in kees.text_body
    assert [(a.filename, a.content_type) for a in kees.attachments] == [("uitnodiging.ics", "text/calendar")]
    assert all(a.invited_at == NOW for a in meeting.attendees) and meeting.invitations_sent_at == NOW
    (event,) = audit_rows(db, "meetings.invited")
    assert event.details["count"] == 2 and event.details["sequence"] == 0


def test_invitations_need_invitees_and_a_meeting_that_is_still_to_come(db, cycle, advisor, core):
    meeting = schedule(advisor, cycle)
    with pytest.raises(DomainError, match="Nodig eerst deelnemers uit"):
        services.send_invitations(advisor, meeting, now=NOW)
    services.add_invitees(advisor, meeting, stakeholders=[core[PpsRole.GEMEENTE]])
    services.record_minutes(advisor, meeting, "Verslag", now=AFTER)
    with pytest.raises(DomainError, match="al gehouden"):
        services.send_invitations(advisor, meeting, now=AFTER)


def test_an_update_is_sent_as_a_change_and_a_cancellation_to_who_was_invited(db, cycle, advisor, core, outbox):
    meeting = schedule(advisor, cycle)
    services.add_invitees(advisor, meeting, stakeholders=[core[PpsRole.GEMEENTE]])
    services.send_invitations(advisor, meeting, now=NOW)
    services.add_invitees(advisor, meeting, people=[("Later Toegevoegd", "later@example.nl")])
    services.update_meeting(advisor, meeting, services.MeetingValues(**_same(meeting, location="Stadhuis")), now=NOW)
    services.send_invitations(advisor, meeting, now=NOW + timedelta(hours=1))
    assert [m.subject.split(":")[0] for m in outbox()] == ["Uitnodiging", "Gewijzigd", "Gewijzigd"]
    assert "is gewijzigd" in outbox()[1].text_body
    assert services.cancel_meeting(advisor, meeting, now=NOW + timedelta(hours=2)) == 2
    cancellations = outbox()[3:]
    assert [m.recipient for m in cancellations] == ["gerrit@utrecht.example", "later@example.nl"]
    assert all(m.subject == "Geannuleerd: Werksessie veiligheid (Lage Weide)" for m in cancellations)
    assert "gaat niet door" in cancellations[0].text_body
    assert cancellations[0].attachments[0].filename == "annulering.ics"
    assert meeting.sequence == 2  # the change and the cancellation


# After the meeting -----------------------------------------------------------------------------------------------


def test_attendance_minutes_and_decisions_wait_until_the_meeting_began(db, cycle, advisor, core):
    meeting = schedule(advisor, cycle)
    services.add_invitees(advisor, meeting, stakeholders=[core[PpsRole.GEMEENTE]])
    attendee = meeting.attendees[0]
    for write in (
        lambda: services.record_attendance(advisor, meeting, {attendee.id: True}, now=NOW),
        lambda: services.record_minutes(advisor, meeting, "Verslag", now=NOW),
        lambda: services.record_decision(advisor, meeting, "Besluit", now=NOW),
    ):
        with pytest.raises(DomainError, match="nog niet begonnen"):
            write()


def test_attendance_is_recorded_per_invitee(db, cycle, advisor, core):
    meeting = schedule(advisor, cycle)
    services.add_invitees(advisor, meeting, stakeholders=[core[PpsRole.GEMEENTE], core[PpsRole.POLITIE]])
    gerrit, wendy = meeting.attendees
    services.record_attendance(advisor, meeting, {gerrit.id: True, wendy.id: False}, now=AFTER)
    assert (gerrit.attended, wendy.attended) == (True, False)
    (event,) = audit_rows(db, "meetings.attendance_recorded")
    assert event.details["attended"] == {"gerrit@utrecht.example": True, "wendy@politie.example": False}
    services.record_attendance(advisor, meeting, {wendy.id: None}, now=AFTER)
    assert (gerrit.attended, wendy.attended) == (True, None)
    with pytest.raises(DomainError, match="hoort niet bij deze vergadering"):
        services.record_attendance(advisor, meeting, {999_999: True}, now=AFTER)


def test_minutes_make_the_meeting_held_once(db, cycle, advisor):
    meeting = schedule(advisor, cycle)
    with pytest.raises(DomainError, match="Schrijf het verslag"):
        services.record_minutes(advisor, meeting, "   ", now=AFTER)
    services.record_minutes(advisor, meeting, " Iedereen was er.\nDe schouw is besproken. ", now=AFTER)
    assert meeting.minutes == "Iedereen was er.\nDe schouw is besproken." and meeting.minutes_at == AFTER
    services.record_minutes(advisor, meeting, "Gecorrigeerd verslag", now=AFTER + timedelta(days=2))
    assert meeting.minutes == "Gecorrigeerd verslag" and meeting.minutes_at == AFTER  # held when first recorded
    assert [e.details["first"] for e in audit_rows(db, "meetings.minutes_recorded")] == [True, False]
    upcoming, past = services.split_meetings(services.cycle_meetings(cycle), now=NOW)
    assert upcoming == [] and past == [meeting]  # held, though its time is still to come
    assert services.state_label(meeting, now=AFTER) == "Gehouden, met verslag"


def test_a_decision_becomes_an_action_in_the_plan(db, park, cycle, advisor, core):
    plan = plan_for(cycle, today=date(2026, 1, 5))
    meeting = schedule(advisor, cycle)
    decision = services.record_decision(
        advisor,
        meeting,
        "De verlichting aan de Atoomweg wordt hersteld.",
        now=AFTER,
        action=services.ActionValues(
            title="Verlichting Atoomweg herstellen",
            quarter=2,
            theme=Theme.HEEL,
            owners=[core[PpsRole.GEMEENTE]],
        ),
    )
    action = decision.action
    assert decision.action_id == action.id and decision.position == 1
    assert action in plan.actions
    assert (action.title, action.quarter, action.theme, action.owners) == (
        "Verlichting Atoomweg herstellen",
        2,
        Theme.HEEL,
        [core[PpsRole.GEMEENTE]],
    )
    assert action.due_on == date(2026, 6, 30)
    assert "Besluit van Werksessie veiligheid op 12 maart 2026" in action.description
    assert audit_rows(db, "plans.action_added")[0].details["title"] == "Verlichting Atoomweg herstellen"
    (event,) = audit_rows(db, "meetings.decision_recorded")
    assert event.details["action"] == action.id
    # a decision without an action, and the action's title taken from the decision when left empty
    plain = services.record_decision(advisor, meeting, "Volgende keer bij de brandweer.", now=AFTER)
    assert plain.action is None and plain.position == 2
    titled = services.record_decision(
        advisor, meeting, "Camera bij de ingang", now=AFTER, action=services.ActionValues(title="", quarter=3)
    )
    assert titled.action.title == "Camera bij de ingang" and titled.action.owners == []
    assert [d.position for d in meeting.decisions] == [1, 2, 3]


def test_a_decision_needs_a_plan_to_become_an_action(db, cycle, advisor):
    meeting = schedule(advisor, cycle)
    with pytest.raises(DomainError, match="nog geen uitvoeringsplan"):
        services.record_decision(
            advisor, meeting, "Camera bij de ingang", now=AFTER, action=services.ActionValues(title="", quarter=1)
        )
    assert meeting.decisions == []
    with pytest.raises(DomainError, match="Schrijf het besluit op"):
        services.record_decision(advisor, meeting, "  ", now=AFTER)


def test_the_action_rules_of_the_plan_still_apply(db, cycle, advisor):
    plan_for(cycle, today=date(2026, 1, 5))
    meeting = schedule(advisor, cycle)
    with pytest.raises(DomainError, match="kwartaal"):
        services.record_decision(
            advisor, meeting, "Iets doen", now=AFTER, action=services.ActionValues(title="", quarter=9)
        )
    with pytest.raises(DomainError, match="De titel is te lang"):
        services.record_decision(
            advisor, meeting, "x" * 300, now=AFTER, action=services.ActionValues(title="", quarter=1)
        )
    assert meeting.decisions == []


def test_the_chair_turns_a_decision_into_an_action(db, cycle, chair):
    """The chair may not edit the plan (plans.edit), but a decision of the meeting they run reaches it."""
    plan = plan_for(cycle, today=date(2026, 1, 5))
    meeting = schedule(chair, cycle)
    decision = services.record_decision(
        chair, meeting, "Buurtapp starten", now=AFTER, action=services.ActionValues(title="", quarter=1)
    )
    assert decision.action in plan.actions


# Lists ---------------------------------------------------------------------------------------------------------


def test_upcoming_first_soonest_first_then_the_rest_most_recent_first(db, cycle, advisor):
    late = schedule(advisor, cycle, title="Later", on=date(2026, 5, 1))
    soon = schedule(advisor, cycle, title="Binnenkort", on=date(2026, 3, 20))
    old = schedule(advisor, cycle, title="Vorige maand", on=date(2026, 2, 1))
    older = schedule(advisor, cycle, title="Januari", on=date(2026, 1, 15))
    gone = schedule(advisor, cycle, title="Afgelast", on=date(2026, 4, 1))
    services.cancel_meeting(advisor, gone, now=NOW)
    services.record_minutes(advisor, old, "Verslag", now=NOW)
    upcoming, past = services.split_meetings(services.cycle_meetings(cycle), now=NOW)
    assert upcoming == [soon, late]
    assert past == [gone, old, older]
    assert [services.state_label(m, now=NOW) for m in past] == [
        "Geannuleerd",
        "Gehouden, met verslag",
        "Verslag nog vastleggen",
    ]


def test_a_held_meeting_cannot_move_into_the_future(db, cycle, advisor):
    meeting = schedule(advisor, cycle)
    services.record_minutes(advisor, meeting, "Verslag", now=AFTER)
    later = meeting.starts_at.astimezone(LOCAL_TIME).date() + timedelta(days=60)
    with pytest.raises(DomainError, match="kan niet naar later verschuiven"):
        services.update_meeting(advisor, meeting, services.MeetingValues(**_same(meeting, on=later)), now=AFTER)
    # its place may still be corrected
    assert services.update_meeting(
        advisor, meeting, services.MeetingValues(**_same(meeting, location="Zaal 2")), now=AFTER
    ) == ["location"]
