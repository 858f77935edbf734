"""Step 8 guided (issue 19 §5): its informative criteria and deadlines on the park page, the herijking's meetings
that move on and its undo by an admin, closed cycles browsable read-only, and pausing a park."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.awards.models import Award
from app.demo.seed import seed_demo_data
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.meetings import criteria as meeting_criteria
from app.meetings import services as meeting_services
from app.meetings.models import MeetingAttendee, MeetingKind
from app.parks import criteria as park_criteria
from app.parks import pause, recalibration, steps
from app.parks.demo import PAUSE_REASON
from app.parks.models import Cycle, CycleStatus, Park, ParkStatus, Track
from app.parks.services import active_cycle
from app.plans import criteria as plan_criteria
from app.plans.models import ActionNote, ActionStatus
from tests.factories import make_member
from tests.meetings.test_quarterly_agenda import at, continuing, make_meeting
from tests.parks.test_recalibration import CONFIRM, NOW, TODAY, park_at_step_8
from tests.plans.test_tracking import make_action, make_plan

AUGUST = date(2027, 8, 10)  # 2027-Q3


@pytest.fixture
def advisor(park):
    return make_member(Role.ADVISOR, park, name="Anouk Adviseur")


def _today(monkeypatch, day: date) -> None:
    for module in (meeting_criteria, plan_criteria, park_criteria):
        monkeypatch.setattr(module, "local_today", lambda: day)


def _check(cycle, function):
    return next(c for c in steps.CRITERIA[8] if c.check.__name__ == function.__name__).check(cycle)


# The criteria of step 8 ---------------------------------------------------------------------------------------


@pytest.fixture
def awarded(park):
    """Lage Weide in continuation since its award of 1 February 2027."""
    cycle = continuing(park)
    db.session.add(Award(cycle=cycle, awarded_on=date(2027, 2, 1), valid_until=date(2029, 2, 1)))
    db.session.flush()
    return cycle


def test_a_quarterly_meeting_held_in_each_past_quarter_of_this_year(park, awarded, monkeypatch):
    _today(monkeypatch, AUGUST)
    make_meeting(awarded, at(date(2027, 3, 10)), held=True)
    make_meeting(awarded, at(date(2027, 5, 10)))  # planned, never held: does not count
    check = _check(awarded, meeting_criteria.quarterly_meetings_held)
    assert (check.met, check.detail) == (False, "zonder overleg: 2e kw. 2027")

    make_meeting(awarded, at(date(2027, 6, 10)), held=True)
    check = _check(awarded, meeting_criteria.quarterly_meetings_held)
    assert (check.met, check.detail) == (True, "2 kwartalen")


def test_the_quarters_count_from_the_award(park, awarded, monkeypatch):
    _today(monkeypatch, date(2027, 3, 20))
    check = _check(awarded, meeting_criteria.quarterly_meetings_held)
    assert check.met and "nog geen afgelopen kwartaal" in check.detail


def test_the_progress_report_is_discussed_in_this_quarters_meeting(park, awarded, monkeypatch):
    _today(monkeypatch, AUGUST)
    check = _check(awarded, meeting_criteria.progress_reported)
    assert (check.met, check.detail) == (False, "nog geen kwartaaloverleg gepland in 3e kw. 2027")
    planned = make_meeting(awarded, at(date(2027, 9, 1)))
    check = _check(awarded, meeting_criteria.progress_reported)
    assert (check.met, check.detail) == (False, "gepland op 1 september 2027")
    planned.starts_at = at(date(2027, 7, 20))
    planned.minutes, planned.minutes_at = "Besproken", at(date(2027, 7, 20))
    db.session.flush()
    check = _check(awarded, meeting_criteria.progress_reported)
    assert (check.met, check.detail) == (True, "besproken op 20 juli 2027")


def test_open_actions_of_past_quarters_need_an_update_of_the_last_quarter(park, awarded, monkeypatch):
    _today(monkeypatch, AUGUST)
    plan = make_plan(park, starts_on=date(2027, 1, 1))
    late = make_action(plan, "Verlichting", quarter=1)
    make_action(plan, "Klaar", quarter=1, status=ActionStatus.DONE)
    make_action(plan, "Dit kwartaal", quarter=3)
    db.session.add(ActionNote(action=late, written_on=date(2027, 3, 1), author_label="Anouk", text="Oud"))
    db.session.flush()
    check = _check(awarded, plan_criteria.actions_updated)
    assert (check.met, check.detail) == (False, "1 open actie zonder recente update")
    db.session.add(ActionNote(action=late, written_on=date(2027, 5, 2), author_label="Anouk", text="Loopt"))
    db.session.flush()
    db.session.expire(late)
    check = _check(awarded, plan_criteria.actions_updated)
    assert (check.met, check.detail) == (True, "1 open actie bijgewerkt")


def test_the_herijking_is_due_two_years_after_the_award_on_the_pvo_track(park, awarded, monkeypatch):
    [due] = recalibration.deadlines(awarded, today=TODAY)
    assert (due.kind, due.on) == ("herijking", date(2029, 2, 1))
    assert (
        recalibration.deadline_text(due, today=date(2029, 1, 30)) == "Herijking uiterlijk 1 februari 2029: nog 2 dagen"
    )
    _today(monkeypatch, date(2029, 2, 5))
    check = _check(awarded, park_criteria.herijking_on_time)
    assert (check.met, check.detail) == (False, "Herijking uiterlijk 1 februari 2029: 4 dagen over tijd")


def test_without_an_award_the_cycles_planned_end_counts(park):
    cycle = continuing(park)
    [due] = recalibration.deadlines(cycle, today=TODAY)
    assert due.on == date(2027, 12, 31)


def test_the_kvo_track_shows_the_yearly_evaluation_and_the_re_audit(park, awarded):
    park.track = Track.KVO
    award = db.session.scalar(select(Award).where(Award.cycle_id == awarded.id))
    award.valid_until = date(2030, 2, 1)
    found = recalibration.deadlines(awarded, today=date(2028, 3, 1))
    assert [(d.kind, d.on) for d in found] == [("evaluation", date(2029, 2, 1)), ("reaudit", date(2030, 2, 1))]
    assert [d.kind for d in recalibration.deadlines(awarded, today=date(2029, 3, 1))] == ["reaudit"]


def test_the_park_page_shows_step_8_informative_with_its_links(park, awarded, advisor, login_as):
    text = login_as(advisor).get(f"/parken/{park.id}").text
    assert "Stap 8 loopt door tot de herijking" in text
    assert "Herijking uiterlijk 1 februari 2029" in text
    # met or not, each criterion links its page
    assert f'href="/parken/{park.id}/vergaderingen/"' in text
    assert f'href="/parken/{park.id}/voortgangsrapport/">Naar het voortgangsrapport' in text
    assert f'href="/parken/{park.id}/herijking">Naar de herijking' in text
    assert "Herijking voorbereiden" in text
    assert "Stap 8 afronden" not in text


def test_a_partner_sees_the_checklist_without_the_herijking(park, awarded, login_as):
    text = login_as(make_member(Role.PARTNER, park)).get(f"/parken/{park.id}").text
    assert "Stap 8 loopt door tot de herijking" in text
    assert "Naar de herijking" not in text and "Herijking voorbereiden" not in text


# Meetings that move on ------------------------------------------------------------------------------------------


@pytest.fixture
def setup(park):
    made = park_at_step_8(park)
    police = made["stakeholders"]["police"]
    planned = make_meeting(made["cycle"], datetime(2028, 2, 10, 13, tzinfo=UTC), title="Kwartaaloverleg februari")
    planned.attendees.append(MeetingAttendee(stakeholder_id=police.id, name="Wim Wijkagent", email="wim@politie.nl"))
    db.session.flush()
    made["planned"] = planned
    return made


def test_the_preview_names_actions_survey_and_meetings(park, setup):
    preview = recalibration.preview(park, now=NOW)
    assert [a.title for a in preview.actions] == [
        "Camera's bij de toegangswegen",
        "Collectieve beveiliging inkopen",
        "Brandoefening",
    ]
    assert (preview.survey.title, preview.survey_responses) == ("Enquête 2026", 1)
    assert preview.meetings == [setup["planned"]]


def test_planned_meetings_move_to_the_new_cycle_with_their_invitees(park, advisor, setup):
    new = recalibration.recalibrate(advisor, park, today=TODAY, now=NOW)
    meeting = setup["planned"]
    assert meeting.cycle is new
    [attendee] = meeting.attendees
    police = next(s for s in new.stakeholders if s.organisation_id == setup["stakeholders"]["police"].organisation_id)
    assert attendee.stakeholder_id == police.id
    # the meeting of October 2027 had passed: it stays with the old cycle
    assert [m.title for m in meeting_services.cycle_meetings(setup["cycle"])] == ["Kwartaaloverleg"]
    assert meeting_services.upcoming_park_meetings(park, now=NOW) == [meeting]


def test_the_page_asks_to_confirm_and_shows_what_happens(park, advisor, setup, login_as):
    text = login_as(advisor).get(f"/parken/{park.id}/herijking").text
    assert "Brandoefening" in text and "Collectieve beveiliging inkopen" in text
    assert "vergeleken met die van “Enquête 2026” (gesloten, 1 antwoord)" in text
    assert "Kwartaaloverleg februari" in text
    assert "Ik heb gelezen wat er gebeurt" in text
    assert "Herijking uiterlijk 1 november 2028" in text


# Undoing a herijking --------------------------------------------------------------------------------------------


@pytest.fixture
def recalibrated(park, advisor, setup):
    new = recalibration.recalibrate(advisor, park, today=TODAY, now=NOW)
    db.session.flush()
    return new


def test_an_admin_undoes_the_herijking_within_a_day(park, admin, setup, recalibrated):
    old = recalibration.undo_recalibration(admin, park, now=NOW + timedelta(hours=23))
    db.session.flush()
    db.session.expire_all()
    assert old.id == setup["cycle"].id and active_cycle(park).id == old.id
    assert (old.status, old.ends_on, old.current_step) == (CycleStatus.ACTIVE, date(2027, 12, 31), 8)
    assert [c.number for c in db.session.scalars(select(Cycle).where(Cycle.park_id == park.id))] == [1]
    assert not [t for t in old.transitions if t.note == recalibration.NOTE]
    meeting = setup["planned"]
    assert meeting.cycle_id == old.id
    assert meeting.attendees[0].stakeholder_id == setup["stakeholders"]["police"].id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cycles.recalibration_undone"))
    assert (event.park_id, event.subject_id, event.details["removed"]) == (park.id, str(old.id), 2)
    # and the herijking can run again
    assert recalibration.preview(park, now=NOW).refusal is None


def test_the_undo_is_refused_after_a_day(park, admin, recalibrated):
    with pytest.raises(DomainError, match="langer dan 24 uur"):
        recalibration.undo_recalibration(admin, park, now=NOW + timedelta(hours=25))


def test_the_undo_is_refused_once_something_was_recorded(park, admin, advisor, recalibrated):
    pause.pause_park(advisor, park, reason="Even stil", now=NOW)
    with pytest.raises(DomainError, match="Park gepauzeerd"):
        recalibration.undo_recalibration(admin, park, now=NOW + timedelta(hours=1))


def test_the_undo_is_for_admins_only(park, advisor, recalibrated):
    with pytest.raises(NotAllowed):
        recalibration.undo_recalibration(advisor, park, now=NOW)


def test_nothing_to_undo_without_a_herijking(park, admin, setup):
    assert "geen herijking" in recalibration.undo_refusal(park, now=NOW)


def test_the_undo_page(park, admin, advisor, setup, login_as, monkeypatch):
    monkeypatch.setattr("app.parks.history_views._now", lambda: NOW + timedelta(hours=1))
    recalibration.recalibrate(advisor, park, today=TODAY, now=NOW)
    client = login_as(admin)
    assert "Herijking ongedaan maken (beheerder, binnen 24 uur)" in client.get(f"/parken/{park.id}/geschiedenis").text
    assert login_as(advisor).get(f"/parken/{park.id}/herijking/ongedaan-maken").status_code == 403
    assert "ongedaan maken" not in login_as(advisor).get(f"/parken/{park.id}/geschiedenis").text
    assert client.post(f"/parken/{park.id}/herijking/ongedaan-maken", data=CONFIRM, csrf=False).status_code == 400
    unconfirmed = client.post(f"/parken/{park.id}/herijking/ongedaan-maken")
    assert unconfirmed.status_code == 422 and "Vink aan dat u de herijking ongedaan wilt maken." in unconfirmed.text
    response = client.post(f"/parken/{park.id}/herijking/ongedaan-maken", data=CONFIRM)
    assert response.status_code == 302
    db.session.expire_all()
    assert active_cycle(park).number == 1
    again = client.post(f"/parken/{park.id}/herijking/ongedaan-maken", data=CONFIRM)
    assert again.status_code == 422 and "geen herijking om ongedaan te maken" in again.text


# Closed cycles, read-only ---------------------------------------------------------------------------------------


def test_a_closed_cycle_is_browsable_read_only(park, other_park, setup, recalibrated, login_as):
    db.session.commit()
    partner = login_as(make_member(Role.PARTNER, park))
    history = partner.get(f"/parken/{park.id}/geschiedenis").text
    assert f'href="/parken/{park.id}/geschiedenis/cyclus-1"' in history
    # the park page links the closed cycles too
    assert f'href="/parken/{park.id}/geschiedenis/cyclus-1"' in partner.get(f"/parken/{park.id}").text
    page = partner.get(f"/parken/{park.id}/geschiedenis/cyclus-1")
    assert page.status_code == 200
    text = page.text
    assert "kan niet meer veranderen" in text
    assert "Kwartaaloverleg" in text and "Verlichting Atoomweg" in text and "Enquête 2026" in text
    assert "Toegekend op 1 nov 2026, geldig tot 1 nov 2028" in text
    assert "<form" not in text.split('id="read-only"')[1]
    assert partner.get(f"/parken/{park.id}/geschiedenis/cyclus-2").status_code == 302
    assert partner.get(f"/parken/{park.id}/geschiedenis/cyclus-9").status_code == 404
    assert partner.get(f"/parken/{park.id}/geschiedenis/cyclus-{2**40}").status_code == 404
    outsider = login_as(make_member(Role.ADVISOR, other_park))
    assert outsider.get(f"/parken/{park.id}/geschiedenis/cyclus-1").status_code == 404


def test_every_write_to_a_closed_cycle_is_refused(park, advisor, setup, recalibrated, login_as):
    old = setup["cycle"]
    values = meeting_services.MeetingValues(
        kind=MeetingKind.QUARTERLY, title="Te laat", on=date(2028, 3, 1), starts_at=None, ends_at=None
    )
    with pytest.raises(DomainError):
        meeting_services.schedule_meeting(advisor, old, values)
    with pytest.raises(DomainError, match="afgesloten"):
        steps.complete_step(advisor, old, now=NOW)
    with pytest.raises(DomainError, match="afgesloten"):
        steps.reopen_step(advisor, old, now=NOW, reason="Toch niet")
    db.session.commit()
    # a held meeting of the closed cycle opens, its edit page does not
    meeting = meeting_services.cycle_meetings(old)[0]
    client = login_as(advisor)
    assert client.get(f"/parken/{park.id}/vergaderingen/{meeting.id}").status_code == 200
    assert client.get(f"/parken/{park.id}/vergaderingen/{meeting.id}/wijzigen").status_code == 404


# Pausing a park -------------------------------------------------------------------------------------------------


def test_pause_and_resume_with_a_reason_audited(park, advisor):
    pause.pause_park(advisor, park, reason="  Werkgroep ligt stil tot de verkiezingen ", now=NOW)
    assert (park.status, park.status_reason, park.status_changed_at) == (
        ParkStatus.PAUSED,
        "Werkgroep ligt stil tot de verkiezingen",
        NOW,
    )
    assert not pause.gets_reminders(park)
    with pytest.raises(DomainError, match="niet actief"):
        pause.pause_park(advisor, park, reason="Nog eens", now=NOW)
    pause.resume_park(advisor, park, reason="Nieuwe voorzitter", now=NOW + timedelta(days=30))
    assert park.status == ParkStatus.ACTIVE and pause.gets_reminders(park)
    with pytest.raises(DomainError, match="niet gepauzeerd"):
        pause.resume_park(advisor, park, reason="Nog eens", now=NOW)
    events = db.session.execute(
        select(AuditEvent.action, AuditEvent.details).where(AuditEvent.park_id == park.id).order_by(AuditEvent.id)
    ).all()
    assert [tuple(e) for e in events] == [
        ("parks.paused", {"reason": "Werkgroep ligt stil tot de verkiezingen"}),
        ("parks.resumed", {"reason": "Nieuwe voorzitter"}),
    ]


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_a_pause_needs_a_reason(park, advisor, reason):
    with pytest.raises(DomainError):
        pause.pause_park(advisor, park, reason=reason, now=NOW)
    assert park.status == ParkStatus.ACTIVE


@pytest.mark.parametrize("role", [Role.ENTREPRENEUR, Role.PARTNER, Role.CAMERA_OFFICER, Role.AUDITOR])
def test_only_advisors_and_the_municipality_pause(park, role):
    with pytest.raises(NotAllowed):
        pause.pause_park(make_member(role, park), park, reason="Stil", now=NOW)


def _pause_form(reason="Werkgroep ligt stil", confirm=True) -> dict:
    return {"pause-reason": reason, **({"pause-confirm": "y"} if confirm else {})}


def test_the_park_page_pauses_and_explains(park, other_park, advisor, login_as):
    client = login_as(advisor)
    assert "Park pauzeren" in client.get(f"/parken/{park.id}").text
    unconfirmed = client.post(f"/parken/{park.id}/pauzeren", data=_pause_form(confirm=False))
    assert unconfirmed.status_code == 422 and "Vink aan dat u de status van het park wilt wijzigen." in unconfirmed.text
    assert client.post(f"/parken/{park.id}/pauzeren", data=_pause_form(reason="")).status_code == 422
    assert client.post(f"/parken/{park.id}/pauzeren", data=_pause_form(), csrf=False).status_code == 400
    db.session.expire_all()
    assert park.status == ParkStatus.ACTIVE

    assert client.post(f"/parken/{park.id}/pauzeren", data=_pause_form()).status_code == 302
    text = client.get(f"/parken/{park.id}").text
    assert "Dit park is gepauzeerd sinds" in text and "Reden: Werkgroep ligt stil" in text
    assert "stuurt het platform geen herinneringen" in text
    assert "Pauze beëindigen" in text
    # pausing again is refused with a reason, not a 500
    again = client.post(f"/parken/{park.id}/pauzeren", data=_pause_form())
    assert again.status_code == 422 and "niet actief" in again.text
    assert client.post(f"/parken/{park.id}/hervatten", data=_pause_form(reason="Weer aan de slag")).status_code == 302
    db.session.expire_all()
    assert (park.status, park.status_reason) == (ParkStatus.ACTIVE, "Weer aan de slag")

    partner = login_as(make_member(Role.PARTNER, park))
    assert "Park pauzeren" not in partner.get(f"/parken/{park.id}").text
    assert partner.post(f"/parken/{park.id}/pauzeren", data=_pause_form()).status_code == 403
    outsider = login_as(make_member(Role.ADVISOR, other_park))
    assert outsider.post(f"/parken/{park.id}/pauzeren", data=_pause_form()).status_code == 404
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.park_id == park.id)) == 2


# The demo -------------------------------------------------------------------------------------------------------


def test_the_demo_shows_a_park_in_step_8_and_a_paused_park(db):
    seed_demo_data(now=NOW)
    seed_demo_data(now=NOW + timedelta(days=1))  # idempotent: paused once, at the first seed
    parks = {park.name: park for park in db.session.scalars(select(Park))}
    paused = parks["Nieuw Overvecht"]
    assert (paused.status, paused.status_reason, paused.status_changed_at) == (ParkStatus.PAUSED, PAUSE_REASON, NOW)
    continuing_park = active_cycle(parks["Cartesiusweg"])
    assert continuing_park.current_step == 8
    assert len(steps.evaluate(continuing_park, 8)) == 4


def test_the_plain_park_list_explains_a_pause(park, advisor, login_as):
    entrepreneur = make_member(Role.ENTREPRENEUR, park)
    assert 'id="paused-explained"' not in login_as(entrepreneur).get("/parken/").text
    pause.pause_park(advisor, park, reason="Geen voorzitter", now=NOW)
    text = login_as(entrepreneur).get("/parken/").text
    assert "Gepauzeerd" in text and "Geen voorzitter" in text
    assert "Het platform stuurt dan geen herinneringen" in text
