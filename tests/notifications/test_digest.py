"""Notifications handed to digests: grouped per park and kind, one mail per user per period, preferences kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import DigestFrequency, Role
from app.jobs.registry import JOBS
from app.jobs.services import execute
from app.notifications import notify
from app.notifications.models import Notification
from app.notifications.services import group_for_digest
from tests.factories import make_member, make_park, make_user

MONDAY_7 = datetime(2027, 3, 15, 6, 0, tzinfo=UTC)  # 07:00 in Amsterdam


def _notify(user, park, kind, text, *, required=False):
    # headings from the catalog, so that the language of the stored text can be checked
    headings = {"actions.due": _l("Geplande taken"), "cameras.check": _l("Logboek")}
    return notify(
        user,
        kind=kind,
        heading=headings[kind],
        text=text,
        path=f"/parken/{park.id}" if park else None,
        park=park,
        required=required,
    )


def test_grouping_per_park_then_kind(db):
    user = make_user()
    zuid, noord = make_park(name="Zuid"), make_park(name="Noord")
    items = [
        _notify(user, zuid, "cameras.check", "Camera Z1"),
        _notify(user, noord, "actions.due", "Verlichting Noord"),
        _notify(user, zuid, "actions.due", "Hekwerk Zuid"),
        _notify(user, None, "actions.due", "Algemene actie"),
        _notify(user, zuid, "actions.due", "Schouw Zuid"),
    ]
    sections = group_for_digest(items)
    assert [s.park.name if s.park else None for s in sections] == ["Noord", "Zuid", None]
    zuid_section = sections[1]
    assert [g.heading for g in zuid_section.groups] == ["Geplande taken", "Logboek"]
    assert [i.text for i in zuid_section.groups[0].items] == ["Hekwerk Zuid", "Schouw Zuid"]


def test_texts_are_written_in_the_users_language(db):
    user = make_user(locale="en")
    notification = _notify(user, make_park(), "actions.due", _l("Actie %(n)s", n=1))
    assert notification.heading == "Scheduled jobs"


def test_weekly_digest_sends_one_mail_per_user_and_week(db, outbox):
    park = make_park(name="Lage Weide")
    weekly = make_user(email="weekly@example.nl", name="Wim")
    daily = make_user(email="daily@example.nl")
    daily.digest_frequency = DigestFrequency.DAILY
    _notify(weekly, park, "actions.due", "Verlichting vervangen (Q1)")
    _notify(weekly, park, "cameras.check", "Camera C3 controleren")
    _notify(daily, park, "actions.due", "Iets voor de dagelijkse lezer")

    job = JOBS["notifications.weekly_digest"]
    first = execute(job, now=MONDAY_7)
    again = execute(job, now=MONDAY_7 + timedelta(hours=2))  # a restart on the same Monday
    assert (first.done, again.done, again.skipped) == (1, 0, 0)
    (mail,) = outbox()
    assert mail.recipient == "weekly@example.nl"
    assert mail.subject == "Uw weekoverzicht van Veilig Bedrijventerrein"
    assert "Beste Wim," in mail.text_body and "Er zijn 2 nieuwe punten voor u:" in mail.text_body
    assert mail.text_body.index("Lage Weide") < mail.text_body.index("Verlichting vervangen")
    assert f"http://127.0.0.1:5000/parken/{park.id}" in mail.text_body
    pending = db.session.scalars(select(Notification).where(Notification.digested_at.is_(None))).all()
    assert [n.text for n in pending] == ["Iets voor de dagelijkse lezer"]

    # a new item after the digest waits for next week's mail, which the same key does not block
    _notify(weekly, park, "actions.due", "Nieuw punt")
    assert execute(job, now=MONDAY_7 + timedelta(days=1)).skipped == 1
    assert execute(job, now=MONDAY_7 + timedelta(days=7)).done == 1
    assert len(outbox()) == 2


def test_daily_digest_for_daily_readers_only(db, outbox):
    park = make_park()
    daily = make_user(email="daily@example.nl", locale="en")
    daily.digest_frequency = DigestFrequency.DAILY
    weekly = make_user(email="weekly@example.nl")
    _notify(daily, park, "actions.due", "Replace lighting")
    _notify(weekly, park, "actions.due", "Verlichting")
    job = JOBS["notifications.daily_digest"]
    assert execute(job, now=MONDAY_7).done == 1
    assert execute(job, now=MONDAY_7 + timedelta(hours=5)).done == 0
    (mail,) = outbox()
    assert (mail.recipient, mail.locale) == ("daily@example.nl", "en")
    assert mail.subject == "Your daily overview from Veilig Bedrijventerrein"
    assert "There is 1 new item for you:" in mail.text_body


def test_no_digest_means_only_what_the_process_requires(db, outbox):
    park = make_park()
    quiet = make_user(email="quiet@example.nl")
    quiet.digest_frequency = DigestFrequency.NONE
    _notify(quiet, park, "actions.due", "Optioneel")
    job = JOBS["notifications.weekly_digest"]
    assert execute(job, now=MONDAY_7).done == 0
    assert outbox() == []
    _notify(quiet, park, "cameras.check", "DPIA verloopt", required=True)
    assert execute(job, now=MONDAY_7 + timedelta(days=7)).done == 1
    (mail,) = outbox()
    assert "DPIA verloopt" in mail.text_body and "Optioneel" not in mail.text_body


def test_blocked_users_get_no_digest(db, outbox):
    user = make_user()
    user.is_active = False
    _notify(user, make_park(), "actions.due", "x")
    assert execute(JOBS["notifications.weekly_digest"], now=MONDAY_7).done == 0


def test_profile_offers_the_digest_choice(login_as, park, db):
    body = login_as(make_member(Role.PARTNER, park)).get("/profiel").get_data(as_text=True)
    assert "Overzicht per e-mail" in body and "Eén overzicht per week" in body
