"""The meeting pages: who sees and who runs them per role, another park's meetings, and the forms from scheduling
to a decision that becomes an action."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.clock import local_today
from app.meetings import services
from app.meetings.models import Meeting, MeetingKind
from app.parks.models import CycleStatus
from app.parks.services import active_cycle
from app.plans.services import plan_for
from app.stakeholders.models import PpsRole
from tests.factories import make_member
from tests.meetings.conftest import schedule

MANAGERS = {Role.ADVISOR, Role.MUNICIPALITY}


def _form(**overrides) -> dict:
    return {
        "meeting-kind": "werksessie",
        "meeting-title": "Werksessie veiligheid",
        "meeting-on": "2030-03-12",
        "meeting-starts_at": "19:30",
        "meeting-ends_at": "21:00",
        "meeting-location": "Kantine Van Hal",
        "meeting-agenda": "Opening\nSchouw\n  Foto's van de Atoomweg\nRondvraag",
    } | overrides


def _past(advisor, cycle, **overrides):
    """A meeting that has begun (yesterday evening), so that its minutes can be recorded."""
    yesterday = local_today() - timedelta(days=1)
    return schedule(advisor, cycle, on=yesterday, now=datetime.now(UTC), **overrides)


def test_role_matrix(login_as, db, park, other_park, cycle, role):
    """Everyone on the park sees the meetings; managers run them; another park and its meeting are 404."""
    advisor = make_member(Role.ADVISOR, park)
    meeting = schedule(advisor, cycle, on=date(2030, 1, 10))
    other = schedule(make_member(Role.ADVISOR, other_park), active_cycle(other_park), on=date(2030, 1, 10))
    client = login_as(make_member(role, park))
    base = f"/parken/{park.id}/vergaderingen"
    runs = role in MANAGERS
    assert client.get(f"{base}/").status_code == 200
    assert client.get(f"{base}/{meeting.id}").status_code == 200
    assert client.get(f"/parken/{other_park.id}/vergaderingen/").status_code == 404
    assert client.get(f"{base}/{other.id}").status_code == 404
    assert client.get(f"{base}/nieuw").status_code == (200 if runs else 403)
    assert client.get(f"{base}/{meeting.id}/wijzigen").status_code == (200 if runs else 403)
    assert client.post(f"{base}/nieuw", data=_form()).status_code == (302 if runs else 403)
    assert client.post(f"{base}/{meeting.id}/uitnodigen").status_code == (302 if runs else 403)
    assert client.post(f"{base}/{meeting.id}/annuleren", data={"bevestigd": "ja"}).status_code == (302 if runs else 403)
    assert client.post(f"{base}/{other.id}/annuleren", data={"bevestigd": "ja"}).status_code == 404
    db.session.expire_all()
    assert (db.session.get(Meeting, meeting.id).cancelled_at is not None) == runs
    assert db.session.get(Meeting, other.id).cancelled_at is None


def test_the_chair_runs_the_meetings_but_another_entrepreneur_does_not(login_as, db, park, cycle, chair):
    base = f"/parken/{park.id}/vergaderingen"
    index = login_as(chair).get(f"{base}/").get_data(as_text=True)
    assert "Vergadering plannen" in index
    assert login_as(chair).post(f"{base}/nieuw", data=_form()).status_code == 302
    meeting = db.session.scalars(select(Meeting)).one()
    other = login_as(make_member(Role.ENTREPRENEUR, park))
    assert "Vergadering plannen" not in other.get(f"{base}/").get_data(as_text=True)
    assert other.get(f"{base}/nieuw").status_code == 403
    assert other.post(f"{base}/nieuw", data=_form()).status_code == 403
    assert other.post(f"{base}/{meeting.id}/verslag", data={"minutes-minutes": "x"}).status_code == 403
    page = other.get(f"{base}/{meeting.id}").get_data(as_text=True)
    assert "Werksessie veiligheid" in page and "Uitnodigen" not in page and "Vergadering annuleren" not in page


def test_anonymous_visitors_go_to_the_login(client, db, park):
    response = client.get(f"/parken/{park.id}/vergaderingen/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen")


def test_scheduling_through_the_form_stores_utc_and_lists_it(login_as, db, park, cycle, advisor):
    client = login_as(advisor)
    response = client.post(f"/parken/{park.id}/vergaderingen/nieuw", data=_form())
    meeting = db.session.scalars(select(Meeting)).one()
    assert response.headers["Location"] == f"/parken/{park.id}/vergaderingen/{meeting.id}"
    assert meeting.starts_at == datetime(2030, 3, 12, 18, 30, tzinfo=UTC)
    assert meeting.agenda == [
        {"title": "Opening", "note": ""},
        {"title": "Schouw", "note": "Foto's van de Atoomweg"},
        {"title": "Rondvraag", "note": ""},
    ]
    index = client.get(f"/parken/{park.id}/vergaderingen/").get_data(as_text=True)
    assert "Werksessie veiligheid" in index and "19:30\u201321:00" in index and "Gepland" in index
    page = client.get(f"/parken/{park.id}/vergaderingen/{meeting.id}").get_data(as_text=True)
    assert "dinsdag 12 maart 2030" in page and "Foto&#39;s van de Atoomweg" in page


def test_bad_input_is_refused_with_the_input_kept(login_as, db, park, cycle, advisor):
    client = login_as(advisor)
    response = client.post(f"/parken/{park.id}/vergaderingen/nieuw", data=_form(**{"meeting-ends_at": "19:00"}))
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "De eindtijd moet na de begintijd liggen." in body
    assert 'value="Kantine Van Hal"' in body
    assert db.session.scalars(select(Meeting)).all() == []


def test_a_quarterly_meeting_gets_the_agenda_generated_from_the_plan(login_as, db, park, cycle, advisor):
    client = login_as(advisor)
    page = client.get(f"/parken/{park.id}/vergaderingen/nieuw?soort=kwartaal").get_data(as_text=True)
    assert '<option selected value="kwartaal">' in page
    assert 'value="Kwartaaloverleg"' in page
    assert "Acties van " in page and "Besluiten van het vorige overleg" in page
    # posted with an empty agenda, the quarterly meeting still gets the generated one
    client.post(
        f"/parken/{park.id}/vergaderingen/nieuw",
        data=_form(**{"meeting-kind": "kwartaal", "meeting-title": "", "meeting-agenda": ""}),
    )
    meeting = db.session.scalars(select(Meeting)).one()
    assert meeting.kind == MeetingKind.QUARTERLY and meeting.title == "Kwartaaloverleg"
    assert meeting.agenda[0]["title"] == "Acties van 1e kw. 2030"  # the quarter of the meeting (no plan then)


def test_the_proposed_agenda_left_as_it_was_follows_the_meeting_into_its_quarter(
    login_as, db, park, cycle, advisor, monkeypatch
):
    from tests.plans.test_tracking import make_action, make_plan

    plan = make_plan(park, starts_on=date(2026, 1, 1))
    make_action(plan, "Camerabeelden evalueren", quarter=2)
    make_action(plan, "Bebording plaatsen", quarter=3)
    monkeypatch.setattr("app.meetings.views.local_today", lambda: date(2026, 5, 4))
    client = login_as(advisor)
    page = client.get(f"/parken/{park.id}/vergaderingen/nieuw?soort=kwartaal").get_data(as_text=True)
    proposed = page.split('name="meeting-agenda"')[1].split(">", 1)[1].split("</textarea>")[0]
    proposed = html.unescape(proposed).lstrip()
    assert proposed.startswith("Acties van K2 (2e kw. 2026)") and "Camerabeelden evalueren" in proposed
    # planned for July with the proposal untouched: the agenda is that of K3
    client.post(
        f"/parken/{park.id}/vergaderingen/nieuw",
        data=_form(**{"meeting-kind": "kwartaal", "meeting-on": "2026-07-09", "meeting-agenda": proposed}),
    )
    meeting = db.session.scalars(select(Meeting)).one()
    assert meeting.agenda[0]["title"] == "Acties van K3 (3e kw. 2026)"
    assert "Bebording plaatsen" in meeting.agenda[0]["note"] and "Camerabeelden" not in meeting.agenda[0]["note"]


def test_an_edited_agenda_is_kept(login_as, db, park, cycle, advisor):
    client = login_as(advisor)
    client.post(
        f"/parken/{park.id}/vergaderingen/nieuw",
        data=_form(**{"meeting-kind": "kwartaal", "meeting-agenda": "Eigen punt"}),
    )
    assert db.session.scalars(select(Meeting)).one().agenda == [{"title": "Eigen punt", "note": ""}]


def test_invite_send_and_edit_through_the_page(login_as, db, park, cycle, advisor, core, outbox):
    meeting = schedule(advisor, cycle, on=date(2030, 1, 10))
    client = login_as(advisor)
    base = f"/parken/{park.id}/vergaderingen/{meeting.id}"
    page = client.get(base).get_data(as_text=True)
    assert "Politie Midden-Nederland: Wendy Wijkagent" in page
    response = client.post(
        f"{base}/genodigden",
        data={
            "invite-stakeholders": [str(core[PpsRole.POLITIE].id), str(core[PpsRole.GEMEENTE].id)],
            "invite-people": "Jan Jansen <jan@drukkerij.example>",
        },
    )
    assert response.status_code == 302
    bad = client.post(f"{base}/genodigden", data={"invite-people": "Kees zonder adres"})
    assert bad.status_code == 422 and "Geen geldig e-mailadres op de regel: Kees zonder adres" in bad.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert [a.email for a in db.session.get(Meeting, meeting.id).attendees] == [
        "wendy@politie.example",
        "gerrit@utrecht.example",
        "jan@drukkerij.example",
    ]
    sent = client.post(f"{base}/uitnodigen", follow_redirects=True).get_data(as_text=True)
    assert "3 uitnodigingen verstuurd." in sent and "Uitnodigingen opnieuw versturen" in sent
    assert sorted(m.recipient for m in outbox()) == [
        "gerrit@utrecht.example",
        "jan@drukkerij.example",
        "wendy@politie.example",
    ]
    edited = client.post(f"{base}/wijzigen", data=_form(**{"meeting-on": "2030-01-17"}), follow_redirects=True)
    assert "Verstuur de uitnodigingen opnieuw" in edited.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).sequence == 1
    jan = db.session.get(Meeting, meeting.id).attendees[2].id
    assert client.post(f"{base}/genodigden/{jan}/verwijderen", data={"bevestigd": "ja"}).status_code == 302
    assert client.post(f"{base}/genodigden/{jan}/verwijderen", data={"bevestigd": "ja"}).status_code == 404  # gone


@pytest.mark.parametrize("attendee_id", ["2147483648", "99999999999999999999999"])
def test_an_invitee_id_out_of_range_is_a_404(login_as, db, park, cycle, advisor, attendee_id):
    meeting = schedule(advisor, cycle, on=date(2030, 1, 10))
    client = login_as(advisor)
    url = f"/parken/{park.id}/vergaderingen/{meeting.id}/genodigden/{attendee_id}/verwijderen"
    assert client.post(url).status_code == 404


def test_attendance_minutes_and_a_decision_that_becomes_an_action(login_as, db, park, cycle, advisor, core):
    plan = plan_for(cycle, today=local_today())
    meeting = _past(advisor, cycle)
    services.add_invitees(advisor, meeting, stakeholders=[core[PpsRole.POLITIE], core[PpsRole.GEMEENTE]])
    wendy, gerrit = meeting.attendees
    client = login_as(advisor)
    base = f"/parken/{park.id}/vergaderingen/{meeting.id}"
    assert (
        client.post(
            f"{base}/aanwezigheid", data={f"attended-{wendy.id}": "ja", f"attended-{gerrit.id}": "nee"}
        ).status_code
        == 302
    )
    assert client.post(f"{base}/aanwezigheid", data={f"attended-{wendy.id}": "misschien"}).status_code == 400
    assert client.post(f"{base}/verslag", data={"minutes-minutes": "De schouw is besproken."}).status_code == 302
    response = client.post(
        f"{base}/besluiten",
        data={
            "decision-text": "De verlichting aan de Atoomweg wordt hersteld.",
            "decision-make_action": "y",
            "decision-action_title": "Verlichting Atoomweg herstellen",
            "decision-theme": "heel",
            "decision-quarter": "2",
            "decision-owners": [str(core[PpsRole.GEMEENTE].id)],
        },
        follow_redirects=True,
    )
    body = response.get_data(as_text=True)
    assert "staat als actie in het uitvoeringsplan" in body
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    assert [a.attended for a in meeting.attendees] == [True, False]
    assert meeting.minutes == "De schouw is besproken." and meeting.minutes_at is not None
    (decision,) = meeting.decisions
    action = decision.action
    assert action.plan_id == plan.id and action.title == "Verlichting Atoomweg herstellen" and action.quarter == 2
    assert f'href="/parken/{park.id}/plan/acties/{action.id}"' in body
    assert "Gehouden, met verslag" in body


def test_a_decision_without_a_plan_gets_a_clear_message(login_as, db, park, cycle, advisor):
    meeting = _past(advisor, cycle)
    client = login_as(advisor)
    base = f"/parken/{park.id}/vergaderingen/{meeting.id}"
    page = client.get(base).get_data(as_text=True)
    assert "nog geen uitvoeringsplan" in page
    response = client.post(
        f"{base}/besluiten",
        data={"decision-text": "Camera bij de ingang", "decision-make_action": "y", "decision-quarter": "1"},
    )
    assert response.status_code == 422 and "nog geen uitvoeringsplan" in response.get_data(as_text=True)
    assert client.post(f"{base}/besluiten", data={"decision-text": "Camera bij de ingang"}).status_code == 302
    db.session.expire_all()
    assert [d.action_id for d in db.session.get(Meeting, meeting.id).decisions] == [None]


def test_a_closed_cycle_meeting_is_read_only(login_as, db, park, cycle, advisor):
    meeting = _past(advisor, cycle)
    services.record_minutes(advisor, meeting, "Verslag van toen", now=datetime.now(UTC))
    cycle.status = CycleStatus.CLOSED
    db.session.flush()
    client = login_as(advisor)
    base = f"/parken/{park.id}/vergaderingen/{meeting.id}"
    page = client.get(base).get_data(as_text=True)
    assert "Verslag van toen" in page and "Verslag opslaan" not in page and "Besluit vastleggen" not in page
    assert client.get(f"{base}/wijzigen").status_code == 404
    assert client.post(f"{base}/verslag", data={"minutes-minutes": "Anders"}).status_code == 404


@pytest.mark.parametrize("kind", ["", "onzin"])
def test_the_new_form_without_a_known_kind_starts_as_a_working_session(login_as, db, park, cycle, advisor, kind):
    page = login_as(advisor).get(f"/parken/{park.id}/vergaderingen/nieuw?soort={kind}").get_data(as_text=True)
    assert '<option selected value="werksessie">' in page


def test_the_park_page_links_the_meetings(login_as, db, park):
    page = login_as(make_member(Role.PARTNER, park)).get(f"/parken/{park.id}").get_data(as_text=True)
    assert f'href="/parken/{park.id}/vergaderingen/"' in page


def test_the_invitation_mail_is_previewed_without_sending(login_as, db, park, cycle, advisor, core, outbox):
    meeting = schedule(advisor, cycle, on=date(2030, 1, 10))
    client = login_as(advisor)
    url = f"/parken/{park.id}/vergaderingen/{meeting.id}/uitnodiging-voorbeeld"
    assert "Nodig eerst deelnemers uit." in client.get(url).get_data(as_text=True)
    services.add_invitees(advisor, meeting, stakeholders=[core[PpsRole.GEMEENTE]])
    db.session.commit()
    detail = client.get(f"/parken/{park.id}/vergaderingen/{meeting.id}").get_data(as_text=True)
    assert f'href="{url}"' in detail  # linked beside the send button
    response = client.get(url)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Er is niets verstuurd." in page
    assert "Uitnodiging: Werksessie veiligheid (Lage Weide)" in page and "uitnodiging.ics" in page
    assert "Wanneer: donderdag 10 januari 2030, 19:30-21:00" in page
    assert outbox() == [] and meeting.invitations_sent_at is None
    assert all(a.invited_at is None for a in meeting.attendees)
