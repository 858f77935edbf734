"""The communication and activity calendar (step 6): items with their rules, the secret iCal feed read back with
the icalendar library, and who may do what."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.errors import DomainError, NotAllowed
from app.parks.models import CycleStatus
from app.parks.services import active_cycle, start_cycle
from app.plans import calendar, ical
from app.plans.models import CalendarFeed, CalendarItem, CalendarKind
from app.stakeholders.models import OrganisationType, PpsRole, Stakeholder
from tests.factories import make_member, make_organisation, make_user
from tests.parks.test_overview import count_statements

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
MANAGERS = {Role.ADVISOR, Role.MUNICIPALITY}


@pytest.fixture
def advisor(park):
    return make_member(Role.ADVISOR, park, name="Anouk Adviseur")


@pytest.fixture
def police(db, park):
    """The police as a stakeholder of the park's active cycle, represented by a user."""
    stakeholder = Stakeholder(
        cycle=active_cycle(park),
        organisation=make_organisation(name="Politie Midden-Nederland", type=OrganisationType.POLITIE),
        role=PpsRole.POLITIE,
        representative_user=make_user(name="Wendy Wijkagent"),
    )
    db.session.add(stakeholder)
    db.session.flush()
    return stakeholder


def _add(actor, cycle, **overrides):
    values = {
        "kind": CalendarKind.ALERT,
        "title": "Alertavond inbraakpreventie",
        "on": date(2027, 3, 4),
        "starts_at": time(19, 30),
        "ends_at": time(21, 0),
        "audience": "Alle ondernemers",
        "description": "In de kantine van Van Hal.\nMet de wijkagent.",
    } | overrides
    return calendar.add_item(actor, cycle, calendar.ItemValues(**values))


# Items ---------------------------------------------------------------------------------------------------------


def test_an_item_is_added_with_its_fields_and_audited(db, park, advisor, police):
    item = _add(advisor, active_cycle(park), owner=police, title="  Alertavond   inbraakpreventie ")
    assert (item.title, item.kind, item.on) == ("Alertavond inbraakpreventie", CalendarKind.ALERT, date(2027, 3, 4))
    assert (item.starts_at, item.ends_at, item.owner, item.audience) == (
        time(19, 30),
        time(21),
        police,
        "Alle ondernemers",
    )
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "calendar.item_added")).one()
    assert (event.park_id, event.subject_type, event.subject_id) == (park.id, "calendar_items", str(item.id))
    assert event.details == {"title": "Alertavond inbraakpreventie", "on": "2027-03-04", "kind": "alertavond"}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "   "}, "Geef de activiteit een titel."),
        ({"title": "x" * 201}, "De titel is te lang"),
        ({"on": None}, "Kies een datum."),
        ({"on": date(1999, 12, 31)}, "Kies een datum tussen 2000 en 2100."),
        ({"on": date(2101, 1, 1)}, "Kies een datum tussen 2000 en 2100."),
        ({"starts_at": None, "ends_at": time(12)}, "Geef ook een begintijd"),
        ({"starts_at": time(12), "ends_at": time(12)}, "De eindtijd moet na de begintijd liggen."),
        ({"starts_at": time(12), "ends_at": time(11, 59)}, "De eindtijd moet na de begintijd liggen."),
        ({"audience": "x" * 201}, "De doelgroep is te lang"),
        ({"description": "x" * 5001}, "De toelichting is te lang"),
        ({"kind": "feest"}, "Kies een soort activiteit."),
    ],
)
def test_items_that_break_a_rule_are_refused(db, park, advisor, overrides, message):
    with pytest.raises(DomainError) as refused:
        _add(advisor, active_cycle(park), **overrides)
    assert message in refused.value.message
    assert db.session.scalars(select(CalendarItem)).all() == []


def test_all_day_items_have_no_time(db, park, advisor):
    item = _add(advisor, active_cycle(park), kind=CalendarKind.PRESS, starts_at=None, ends_at=None)
    assert item.starts_at is None and calendar.time_label(item) == "hele dag"
    assert calendar.time_label(_add(advisor, active_cycle(park), ends_at=None)) == "19:30"
    assert calendar.time_label(_add(advisor, active_cycle(park))) == "19:30\u201321:00"


def test_the_owner_must_be_a_stakeholder_of_the_cycle(db, park, other_park, advisor):
    elsewhere = Stakeholder(
        cycle=active_cycle(other_park), organisation=make_organisation(name="Elders"), role=PpsRole.OVERIG
    )
    db.session.add(elsewhere)
    db.session.flush()
    with pytest.raises(DomainError, match="deelnemer van deze cyclus"):
        _add(advisor, active_cycle(park), owner=elsewhere)


def test_only_managers_edit_the_calendar(db, park, role):
    user = make_member(role, park)
    cycle = active_cycle(park)
    if role in MANAGERS:
        assert _add(user, cycle).id
        return
    with pytest.raises(NotAllowed):
        _add(user, cycle)
    item = _add(make_member(Role.ADVISOR, park), cycle)
    with pytest.raises(NotAllowed):
        calendar.update_item(user, item, calendar.ItemValues(kind=item.kind, title="Anders", on=item.on))
    with pytest.raises(NotAllowed):
        calendar.delete_item(user, item)
    for service in (calendar.enable_feed, calendar.renew_feed, calendar.disable_feed):
        with pytest.raises(NotAllowed):
            service(user, park)


def test_update_records_what_changed_and_nothing_without_a_change(db, park, advisor, police):
    item = _add(advisor, active_cycle(park))
    same = {
        "kind": item.kind,
        "title": item.title,
        "on": item.on,
        "starts_at": item.starts_at,
        "ends_at": item.ends_at,
        "audience": item.audience,
        "description": item.description,
    }
    calendar.update_item(advisor, item, calendar.ItemValues(**same))
    assert not db.session.scalars(select(AuditEvent).where(AuditEvent.action == "calendar.item_updated")).all()
    calendar.update_item(advisor, item, calendar.ItemValues(**(same | {"on": date(2027, 3, 11), "owner": police})))
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "calendar.item_updated")).one()
    assert event.details["changed"] == ["on", "owner"] and event.details["on"] == "2027-03-11"
    assert (item.on, item.owner) == (date(2027, 3, 11), police)


def test_delete_takes_the_item_off_and_is_audited(db, park, advisor):
    item = _add(advisor, active_cycle(park))
    item_id = item.id
    calendar.delete_item(advisor, item)
    assert db.session.get(CalendarItem, item_id) is None
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "calendar.item_deleted")).one()
    assert event.subject_id == str(item_id) and event.details["title"] == "Alertavond inbraakpreventie"


def test_a_closed_cycle_is_read_only(db, park, advisor):
    cycle = active_cycle(park)
    item = _add(advisor, cycle)
    cycle.status = CycleStatus.CLOSED
    db.session.flush()
    with pytest.raises(DomainError, match="afgesloten"):
        _add(advisor, cycle)
    with pytest.raises(DomainError, match="afgesloten"):
        calendar.update_item(advisor, item, calendar.ItemValues(kind=item.kind, title="Anders", on=item.on))
    with pytest.raises(DomainError, match="afgesloten"):
        calendar.delete_item(advisor, item)


def test_items_are_listed_upcoming_first_then_past(db, park, advisor):
    cycle = active_cycle(park)
    today = date(2027, 3, 10)
    evening = _add(advisor, cycle, title="Avond", on=today, starts_at=time(19))
    morning = _add(advisor, cycle, title="Ochtend", on=today, starts_at=time(9), ends_at=None)
    all_day = _add(advisor, cycle, title="Persbericht", on=today, starts_at=None, ends_at=None)
    later = _add(advisor, cycle, title="Later", on=date(2027, 6, 1))
    long_ago = _add(advisor, cycle, title="Lang geleden", on=date(2026, 1, 1))
    yesterday = _add(advisor, cycle, title="Gisteren", on=date(2027, 3, 9))
    upcoming, past = calendar.split_items(calendar.cycle_items(cycle), today=today)
    assert upcoming == [all_day, morning, evening, later]
    assert past == [yesterday, long_ago]


# The feed ------------------------------------------------------------------------------------------------------


def test_the_feed_is_turned_on_renewed_and_off(db, park, advisor):
    feed = calendar.enable_feed(advisor, park)
    first = feed.token
    assert len(first) == 43 and calendar.feed_for_token(first) is feed
    assert calendar.enable_feed(advisor, park).token == first  # on already: the address stays
    calendar.renew_feed(advisor, park)
    assert feed.token != first
    assert calendar.feed_for_token(first) is None
    calendar.disable_feed(advisor, park)
    assert calendar.find_feed(park) is None
    calendar.disable_feed(advisor, park)  # off already: nothing happens
    with pytest.raises(DomainError, match="staat uit"):
        calendar.renew_feed(advisor, park)
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["calendar.feed_enabled", "calendar.feed_renewed", "calendar.feed_disabled"]


def test_a_string_that_cannot_be_a_token_never_reaches_the_database(db, park, advisor):
    calendar.enable_feed(advisor, park)
    db.session.commit()
    with count_statements() as statements:
        for bad in ("", "x", "a" * 42, "a" * 44, "a" * 42 + "/", "a" * 42 + "=", "<script>", "\x00" * 43):
            assert calendar.feed_for_token(bad) is None
    assert statements == []


def test_the_feed_reads_back_as_a_calendar(db, park, other_park, advisor, police):
    cycle = active_cycle(park)
    evening = _add(advisor, cycle, owner=police)
    press = _add(
        advisor,
        cycle,
        kind=CalendarKind.PRESS,
        title="Persbericht: start enquête",
        on=date(2027, 2, 1),
        starts_at=None,
        ends_at=None,
        audience="",
        description="",
    )
    summer = _add(advisor, cycle, title="Zomerschouw", on=date(2027, 7, 1), starts_at=time(10), ends_at=None)
    _add(make_member(Role.ADVISOR, other_park), active_cycle(other_park), title="Ander park")

    data = ical.feed_ics(park, host="vb.example.nl", now=NOW)
    parsed = Calendar.from_ical(data)
    assert parsed["VERSION"] == "2.0" and "Veilig Bedrijventerrein" in str(parsed["PRODID"])
    assert str(parsed["X-WR-CALNAME"]) == "Lage Weide \u2013 Veilig Bedrijventerrein"
    assert str(parsed["X-WR-TIMEZONE"]) == "Europe/Amsterdam"
    (zone,) = parsed.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Amsterdam"
    events = {str(e["UID"]): e for e in parsed.walk("VEVENT")}
    assert set(events) == {f"calendar-item-{i.id}@vb.example.nl" for i in (evening, press, summer)}

    alert = events[f"calendar-item-{evening.id}@vb.example.nl"]
    assert str(alert["SUMMARY"]) == "Alertavond inbraakpreventie"
    start, end = alert.decoded("DTSTART"), alert.decoded("DTEND")
    assert start == datetime(2027, 3, 4, 19, 30, tzinfo=ical.LOCAL_TIME)
    assert start.astimezone(UTC) == datetime(2027, 3, 4, 18, 30, tzinfo=UTC)  # CET: UTC+1
    assert end - start == timedelta(hours=1, minutes=30)
    assert alert["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert alert.decoded("DTSTAMP") == NOW
    description = str(alert["DESCRIPTION"])
    assert "Soort: Alertavond" in description and "Doelgroep: Alle ondernemers" in description
    assert "Eigenaar: Politie Midden-Nederland" in description and "Met de wijkagent." in description
    assert "Wendy" not in description  # the organisation, never the person, goes into a feed without a login

    whole_day = events[f"calendar-item-{press.id}@vb.example.nl"]
    assert whole_day.decoded("DTSTART") == date(2027, 2, 1)
    assert not isinstance(whole_day.decoded("DTSTART"), datetime)
    assert whole_day.decoded("DTEND") == date(2027, 2, 2)
    assert str(whole_day["DESCRIPTION"]) == "Soort: Persbericht"

    summer_event = events[f"calendar-item-{summer.id}@vb.example.nl"]
    assert summer_event.decoded("DTSTART").astimezone(UTC) == datetime(2027, 7, 1, 8, 0, tzinfo=UTC)  # CEST
    assert "DTEND" not in summer_event

    # the UIDs stay the same on the next fetch, so apps update instead of duplicating
    again = Calendar.from_ical(ical.feed_ics(park, host="vb.example.nl", now=NOW + timedelta(hours=6)))
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == set(events)


def test_the_feed_holds_only_the_active_cycle(db, park, advisor):
    old = active_cycle(park)
    _add(advisor, old, title="Vorige cyclus")
    old.status = CycleStatus.CLOSED
    db.session.flush()
    new = start_cycle(park, number=2, today=date(2027, 1, 1), now=NOW)
    _add(advisor, new, title="Deze cyclus", starts_at=None, ends_at=None)
    parsed = Calendar.from_ical(ical.feed_ics(park, host="vb.example.nl", now=NOW))
    assert [str(e["SUMMARY"]) for e in parsed.walk("VEVENT")] == ["Deze cyclus"]
    assert parsed.walk("VTIMEZONE") == []  # no timed events: no time zone needed


# Views ---------------------------------------------------------------------------------------------------------


def _form(**overrides) -> dict:
    return {
        "item-kind": "alertavond",
        "item-title": "Alertavond",
        "item-on": "2027-03-04",
        "item-starts_at": "19:30",
        "item-ends_at": "21:00",
        "item-audience": "Ondernemers",
        "item-owner_id": "0",
        "item-description": "",
    } | overrides


def test_the_feed_needs_no_login_and_stops_when_renewed(client, db, park, advisor):
    _add(advisor, active_cycle(park))
    token = calendar.enable_feed(advisor, park).token
    response = client.get(f"/kalender/{token}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response.headers["Cache-Control"]
    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Alertavond inbraakpreventie"]
    assert str(events[0]["UID"]).endswith("@127.0.0.1")  # the host of BASE_URL
    calendar.renew_feed(advisor, park)
    assert client.get(f"/kalender/{token}.ics").status_code == 404
    assert client.get(f"/kalender/{calendar.find_feed(park).token}.ics").status_code == 200
    calendar.disable_feed(advisor, park)
    db.session.commit()
    for bad in (token, "x", "a" * 43, "<script>"):
        assert client.get(f"/kalender/{bad}.ics").status_code == 404


def test_everyone_on_the_park_reads_the_calendar_and_sees_the_feed_address(login_as, db, park, advisor):
    _add(advisor, active_cycle(park), description="Met <b>koffie</b>")
    token = calendar.enable_feed(advisor, park).token
    body = login_as(make_member(Role.ENTREPRENEUR, park)).get(f"/parken/{park.id}/kalender/").get_data(as_text=True)
    assert "Alertavond inbraakpreventie" in body and "19:30\u201321:00" in body
    assert "Met &lt;b&gt;koffie&lt;/b&gt;" in body
    assert f'value="http://127.0.0.1:5000/kalender/{token}.ics"' in body  # absolute, on BASE_URL
    assert "Activiteit toevoegen" not in body and "Nieuw adres maken" not in body
    manager = login_as(advisor).get(f"/parken/{park.id}/kalender/").get_data(as_text=True)
    assert "Activiteit toevoegen" in manager and "Nieuw adres maken" in manager
    # the auditor reads the calendar, but gets no address that would outlive the end of their access
    auditor = login_as(make_member(Role.AUDITOR, park)).get(f"/parken/{park.id}/kalender/").get_data(as_text=True)
    assert "Alertavond inbraakpreventie" in auditor and token not in auditor and "Agenda-abonnement" not in auditor


def test_manager_adds_an_item_through_the_form(login_as, db, park, advisor, police):
    client = login_as(advisor)
    response = client.post(f"/parken/{park.id}/kalender/toevoegen", data=_form(**{"item-owner_id": str(police.id)}))
    assert response.status_code == 302
    item = db.session.scalars(select(CalendarItem)).one()
    assert (item.title, item.starts_at, item.ends_at, item.owner_id) == (
        "Alertavond",
        time(19, 30),
        time(21),
        police.id,
    )
    page = client.get(f"/parken/{park.id}/kalender/").get_data(as_text=True)
    assert "Alertavond staat op de kalender." in page and "Politie Midden-Nederland" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"item-ends_at": "19:00"}, "De eindtijd moet na de begintijd liggen."),
        ({"item-starts_at": "", "item-ends_at": "19:00"}, "Geef ook een begintijd"),
        ({"item-on": "2027-02-30"}, "Dit veld is vereist."),
        ({"item-title": ""}, "Dit veld is vereist."),
        ({"item-starts_at": "25:00"}, "Ongeldige waarde voor tijd."),
        ({"item-owner_id": "999999"}, "Ongeldige keuze."),
        ({"item-kind": "feest"}, "Ongeldige keuze."),
    ],
)
def test_bad_input_is_refused_with_the_input_kept(login_as, db, park, advisor, overrides, message):
    response = login_as(advisor).post(
        f"/parken/{park.id}/kalender/toevoegen", data=_form(**{"item-audience": "Ondernemers en pers"} | overrides)
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in body
    assert 'value="Ondernemers en pers"' in body
    assert db.session.scalars(select(CalendarItem)).all() == []


def test_manager_edits_and_deletes_an_item(login_as, db, park, advisor):
    item = _add(advisor, active_cycle(park))
    client = login_as(advisor)
    url = f"/parken/{park.id}/kalender/{item.id}"
    form = client.get(url).get_data(as_text=True)
    assert 'value="Alertavond inbraakpreventie"' in form and 'value="19:30"' in form
    response = client.post(url, data=_form(**{"item-title": "Alertavond (verzet)", "item-on": "2027-03-11"}))
    assert response.status_code == 302
    db.session.expire_all()
    assert (item.title, item.on) == ("Alertavond (verzet)", date(2027, 3, 11))
    assert client.post(url, data=_form(**{"item-ends_at": "08:00"})).status_code == 422
    assert client.post(f"{url}/verwijderen", data={"bevestigd": "ja"}).status_code == 302
    assert db.session.scalars(select(CalendarItem)).all() == []


def test_an_item_of_another_park_or_cycle_is_not_found(login_as, db, park, other_park, advisor):
    theirs = _add(make_member(Role.ADVISOR, other_park), active_cycle(other_park))
    client = login_as(advisor)
    assert client.get(f"/parken/{park.id}/kalender/{theirs.id}").status_code == 404
    assert (
        client.post(f"/parken/{park.id}/kalender/{theirs.id}/verwijderen", data={"bevestigd": "ja"}).status_code == 404
    )
    mine = _add(advisor, active_cycle(park))
    active_cycle(park).status = CycleStatus.CLOSED
    db.session.flush()
    start_cycle(park, number=2, today=date(2027, 1, 1), now=NOW)
    assert client.get(f"/parken/{park.id}/kalender/{mine.id}").status_code == 404


def test_manager_switches_the_feed_with_buttons(login_as, db, park, advisor):
    client = login_as(advisor)
    url = f"/parken/{park.id}/kalender/abonnement"
    assert client.post(url, data={"actie": "aanzetten"}).status_code == 302
    first = calendar.find_feed(park).token
    assert client.post(url, data={"actie": "vernieuwen"}).status_code == 302
    db.session.expire_all()
    assert calendar.find_feed(park).token != first
    assert client.post(url, data={"actie": "uitzetten"}).status_code == 302
    assert db.session.scalars(select(CalendarFeed)).all() == []
    response = client.post(url, data={"actie": "vernieuwen"}, follow_redirects=True)
    assert "zet het eerst aan" in response.get_data(as_text=True)
    assert client.post(url, data={"actie": "hack"}).status_code == 400


def test_role_matrix(login_as, db, park, other_park, role):
    """Every role reads its own park's calendar; only managers change it; another park is 404."""
    item = _add(make_member(Role.ADVISOR, park), active_cycle(park))
    client = login_as(make_member(role, park))
    base = f"/parken/{park.id}/kalender"
    manager = role in MANAGERS
    assert client.get(f"{base}/").status_code == 200
    assert client.get(f"/parken/{other_park.id}/kalender/").status_code == 404
    assert client.get(f"{base}/{item.id}").status_code == (200 if manager else 403)
    assert client.post(f"{base}/toevoegen", data=_form()).status_code == (302 if manager else 403)
    assert client.post(f"{base}/abonnement", data={"actie": "aanzetten"}).status_code == (302 if manager else 403)
    assert client.post(f"{base}/{item.id}/verwijderen", data={"bevestigd": "ja"}).status_code == (
        302 if manager else 403
    )
    assert client.post(f"/parken/{other_park.id}/kalender/toevoegen", data=_form()).status_code == 404


def test_anonymous_visitors_go_to_the_login(client, db, park):
    response = client.get(f"/parken/{park.id}/kalender/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen")
    assert client.post(f"/parken/{park.id}/kalender/abonnement", data={"actie": "aanzetten"}).status_code == 302
    assert db.session.scalars(select(CalendarFeed)).all() == []
