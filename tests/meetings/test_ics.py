"""The meeting as iCalendar: the .ics of every invitation, update and cancellation read back with the icalendar
library, a real SMTP delivery with its attachment, and the meetings in the park's calendar feed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar

from app.auth.models import Role
from app.mail.jobs import deliver_due
from app.meetings import services
from app.parks.models import CycleStatus
from app.parks.services import active_cycle, start_cycle
from app.plans import calendar, ical
from app.stakeholders.models import PpsRole
from tests.factories import make_member
from tests.mail.conftest import smtp_server  # noqa: F401 - the real SMTP server fixture
from tests.meetings.conftest import NOW, schedule, values

HOST = "127.0.0.1"  # the host of the test configuration's BASE_URL


def event_of(data: bytes):
    parsed = Calendar.from_ical(data)
    (event,) = parsed.walk("VEVENT")
    return parsed, event


def invited(advisor, cycle, core, **overrides):
    meeting = schedule(advisor, cycle, **overrides)
    services.add_invitees(advisor, meeting, stakeholders=[core[PpsRole.ONDERNEMERS]])
    services.send_invitations(advisor, meeting, now=NOW)
    return meeting


def test_the_invitation_is_a_request_with_uid_sequence_and_utc_times(db, cycle, advisor, core, outbox):
    meeting = invited(advisor, cycle, core)
    parsed, event = event_of(outbox()[0].attachments[0].data)
    assert str(parsed["METHOD"]) == "REQUEST" and parsed["VERSION"] == "2.0"
    assert str(event["UID"]) == f"meeting-{meeting.uid}@{HOST}"
    assert event.decoded("SEQUENCE") == 0
    assert event.decoded("DTSTART") == datetime(2026, 3, 12, 18, 30, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 3, 12, 20, 0, tzinfo=UTC)
    assert event["DTSTART"].to_ical() == b"20260312T183000Z"  # UTC, no time zone needed
    assert event.decoded("DTSTAMP") == NOW
    assert str(event["SUMMARY"]) == "Werksessie veiligheid"
    assert str(event["LOCATION"]) == "Kantine Van Hal Transport, Atoomweg 50"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["DESCRIPTION"]) == (
        "Soort: Werksessie\n\nAgenda:\n1. Opening en mededelingen\n2. Resultaten van de schouw\n"
        "   Toelichting door de wijkagent\n   Foto's van de Atoomweg\n3. Rondvraag"
    )
    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:anouk@pvo.example" and organizer.params["CN"] == "Anouk Adviseur"
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:kees@vanhal.example"
    assert attendee.params["CN"] == "Kees van Hal" and attendee.params["RSVP"] == "TRUE"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION" and attendee.params["ROLE"] == "REQ-PARTICIPANT"


def test_an_update_keeps_the_uid_with_a_higher_sequence_and_a_cancel_removes_it(db, cycle, advisor, core, outbox):
    meeting = invited(advisor, cycle, core)
    services.update_meeting(advisor, meeting, values(location="Stadhuis, zaal 2", on=date(2026, 3, 19)), now=NOW)
    services.send_invitations(advisor, meeting, now=NOW + timedelta(minutes=5))
    services.cancel_meeting(advisor, meeting, now=NOW + timedelta(minutes=10))
    first, update, cancel = (event_of(mail.attachments[0].data) for mail in outbox())
    assert str(update[1]["UID"]) == str(first[1]["UID"]) == str(cancel[1]["UID"])
    assert str(update[0]["METHOD"]) == "REQUEST" and update[1].decoded("SEQUENCE") == 1
    assert update[1].decoded("DTSTART") == datetime(2026, 3, 19, 18, 30, tzinfo=UTC)
    assert str(update[1]["LOCATION"]) == "Stadhuis, zaal 2"
    assert str(cancel[0]["METHOD"]) == "CANCEL" and cancel[1].decoded("SEQUENCE") == 2
    assert str(cancel[1]["STATUS"]) == "CANCELLED"


def test_text_is_escaped_and_long_lines_are_folded(db, cycle, advisor, core, outbox):
    long_title = "Bespreking van de camera's, de verlichting; en de hekken " * 3
    invited(
        advisor,
        cycle,
        core,
        title="Werksessie; camera's, hekken",
        agenda=[{"title": long_title.strip(), "note": ""}],
    )
    data = outbox()[0].attachments[0].data
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded at 75 octets (RFC 5545 3.1)
    assert b"SUMMARY:Werksessie\\; camera's\\, hekken" in data
    _parsed, event = event_of(data)
    assert str(event["SUMMARY"]) == "Werksessie; camera's, hekken"
    assert long_title.strip() in str(event["DESCRIPTION"])


def test_an_invitation_reaches_a_real_smtp_server_with_its_ics(app, db, cycle, advisor, core, smtp_server):  # noqa: F811
    meeting = schedule(advisor, cycle)
    services.add_invitees(advisor, meeting, stakeholders=[core[PpsRole.ONDERNEMERS], core[PpsRole.POLITIE]])
    services.send_invitations(advisor, meeting, now=NOW)
    db.session.commit()
    assert deliver_due(NOW + timedelta(minutes=1)) == 2
    messages = {message["To"]: message for message in smtp_server.inbox.messages}
    kees = messages["kees@vanhal.example"]
    assert kees["Subject"] == "Uitnodiging: Werksessie veiligheid (Lage Weide)"
    assert "Beste Kees van Hal," in kees.get_body(("plain",)).get_content()
    (attachment,) = list(kees.iter_attachments())
    assert attachment.get_content_type() == "text/calendar" and attachment.get_filename() == "uitnodiging.ics"
    parsed, event = event_of(attachment.get_payload(decode=True))
    assert str(parsed["METHOD"]) == "REQUEST" and str(event["UID"]) == f"meeting-{meeting.uid}@{HOST}"
    assert event.decoded("DTSTART") == datetime(2026, 3, 12, 18, 30, tzinfo=UTC)
    # the police's representative reads English: the mail is marked so (its words follow the translations)
    assert messages["wendy@politie.example"]["Content-Language"] == "en"
    assert kees["Content-Language"] == "nl"


def test_the_feed_holds_the_meetings_that_are_not_cancelled(db, park, other_park, cycle, advisor, core):
    meeting = invited(advisor, cycle, core)
    dropped = schedule(advisor, cycle, title="Afgelaste sessie")
    services.cancel_meeting(advisor, dropped, now=NOW)
    schedule(make_member(Role.ADVISOR, other_park), active_cycle(other_park), title="Ander park")
    parsed = Calendar.from_ical(ical.feed_ics(park, host="vb.example.nl", now=NOW))
    events = {str(e["SUMMARY"]): e for e in parsed.walk("VEVENT")}
    assert set(events) == {"Werksessie veiligheid"}
    event = events["Werksessie veiligheid"]
    assert str(event["UID"]) == f"meeting-{meeting.uid}@vb.example.nl"
    assert event.decoded("DTSTART") == datetime(2026, 3, 12, 18, 30, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 3, 12, 20, 0, tzinfo=UTC)
    assert "Agenda:" in str(event["DESCRIPTION"])
    # the feed is read without a login: it names no people
    assert "ORGANIZER" not in event and "ATTENDEE" not in event
    assert b"kees" not in ical.feed_ics(park, host="vb.example.nl", now=NOW)


def test_the_feed_leaves_out_the_meetings_of_a_closed_cycle(db, park, cycle, advisor):
    schedule(advisor, cycle, title="Vorige cyclus")
    cycle.status = CycleStatus.CLOSED
    db.session.flush()
    start_cycle(park, number=2, today=date(2028, 1, 1), now=NOW)
    parsed = Calendar.from_ical(ical.feed_ics(park, host="vb.example.nl", now=NOW))
    assert parsed.walk("VEVENT") == []


def test_the_feed_address_serves_the_meeting(client, db, park, cycle, advisor):
    meeting = schedule(advisor, cycle)
    token = calendar.enable_feed(advisor, park).token
    response = client.get(f"/kalender/{token}.ics")
    assert response.status_code == 200
    (event,) = Calendar.from_ical(response.data).walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{meeting.uid}@{HOST}" and str(event["SUMMARY"]) == "Werksessie veiligheid"


def test_the_organizer_stays_who_planned_the_meeting(db, park, cycle, advisor, core, outbox):
    meeting = invited(advisor, cycle, core)
    officer = make_member(Role.MUNICIPALITY, park, name="Gerrit Gemeente", email="gerrit@utrecht.example")
    services.cancel_meeting(officer, meeting, now=NOW)
    _parsed, event = event_of(outbox()[-1].attachments[0].data)
    assert str(event["ORGANIZER"]) == "mailto:anouk@pvo.example"
    assert "Gerrit Gemeente" in outbox()[-1].text_body  # the mail is signed by who sent it
