"""Signed-in sessions: one row per browser, idle timeouts by role, the absolute lifetime, the sessions page and
"sign out everywhere"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth import sessions, two_factor
from app.auth.models import Role, UserSession
from app.errors import NotAllowed
from app.jobs.registry import JOBS
from tests.factories import PASSWORD, make_member, make_membership, make_park, make_user

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)


def _sign_in(app, email: str, user_agent: str = FIREFOX):
    client = app.test_client()
    response = client.post("/inloggen", data={"email": email, "password": PASSWORD}, headers={"User-Agent": user_agent})
    assert response.status_code == 302
    return client


def _rows(db, user) -> list[UserSession]:
    db.session.expire_all()
    return list(db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)))


def _signed_in(client) -> bool:
    return client.get("/profiel").status_code == 200


def test_a_sign_in_is_a_session_row_with_its_device_and_only_a_hash_of_its_token(app, db):
    user = make_user(email="olga@example.nl")
    client = _sign_in(app, "olga@example.nl")
    (row,) = _rows(db, user)
    assert row.method == "password" and "Firefox" in row.user_agent and row.ip == "127.0.0.1"
    with client.session_transaction() as cookie:
        token = cookie[sessions.SESSION_FIELD]
    assert row.token_hash == sessions.hash_token(token) != token


def test_signing_out_ends_this_browser_only(app, db):
    user = make_user(email="olga@example.nl")
    laptop = _sign_in(app, "olga@example.nl")
    phone = _sign_in(app, "olga@example.nl", IPHONE)
    assert len(_rows(db, user)) == 2
    laptop.post("/uitloggen")
    assert not _signed_in(laptop)
    assert _signed_in(phone)
    (row,) = _rows(db, user)
    assert "iPhone" in row.user_agent


def test_a_cookie_without_a_live_session_row_signs_no_one_in(app, db, login_as):
    user = make_user()
    client = login_as(user)
    assert _signed_in(client)
    db.session.execute(UserSession.__table__.delete())
    db.session.flush()
    assert not _signed_in(client)
    bare = app.test_client()
    with bare.session_transaction() as cookie:  # a cookie from before sessions had rows
        cookie["_user_id"] = user.session_key
    assert not _signed_in(bare)


@pytest.mark.parametrize(
    ("make", "idle_allowed"),
    [
        (lambda: make_user(is_admin=True), timedelta(minutes=30)),
        (lambda: make_member(Role.CAMERA_OFFICER, make_park()), timedelta(minutes=30)),
        (lambda: make_member(Role.ADVISOR, make_park()), timedelta(hours=8)),
        (lambda: make_member(Role.ENTREPRENEUR, make_park()), timedelta(hours=8)),
    ],
    ids=["admin", "camera officer", "advisor", "entrepreneur"],
)
def test_the_idle_timeout_depends_on_the_role(app, db, login_as, make, idle_allowed):
    user = make()
    now = datetime.now(UTC)
    active, idle = login_as(user), login_as(user)
    with time_machine.travel(now + idle_allowed - timedelta(minutes=2), tick=False):
        assert _signed_in(active)
    with time_machine.travel(now + idle_allowed + timedelta(minutes=2), tick=False):
        assert _signed_in(active)  # it was active two minutes before the idle one's time ran out: on the go
        response = idle.get("/profiel", follow_redirects=True)
    assert "inloggen" in response.request.path
    assert "U was een tijd niet actief en bent daarom uitgelogd." in response.get_data(as_text=True)
    assert len(_rows(db, user)) == 1


def test_an_expired_camera_role_no_longer_shortens_the_idle_timeout(app, db):
    user = make_user()
    make_membership(user, Role.CAMERA_OFFICER, park=make_park(), ends_on=datetime.now(UTC).date() - timedelta(days=1))
    assert sessions.idle_timeout(user) == app.config["SESSION_IDLE_TIMEOUT"]


def test_the_absolute_lifetime_ends_even_an_active_session(app, db, login_as):
    user = make_member(Role.ADVISOR, make_park())
    client = login_as(user)
    now = datetime.now(UTC)
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
    for hours in range(1, int(lifetime.total_seconds() // 3600)):
        with time_machine.travel(now + timedelta(hours=hours), tick=False):
            assert _signed_in(client)
    with time_machine.travel(now + lifetime + timedelta(minutes=1), tick=False):
        assert not _signed_in(client)


def test_the_timeouts_come_from_the_environment(monkeypatch):
    from app.config import DevelopmentConfig

    monkeypatch.setenv("SESSION_IDLE_MINUTES_PRIVILEGED", "15")
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "120")
    monkeypatch.setenv("SESSION_LIFETIME_MINUTES", "600")
    settings = DevelopmentConfig.load()
    assert settings["SESSION_IDLE_TIMEOUT_PRIVILEGED"] == timedelta(minutes=15)
    assert settings["SESSION_IDLE_TIMEOUT"] == timedelta(hours=2)
    assert settings["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=10)


def test_a_page_view_writes_the_last_activity_at_most_once_a_minute(app, db, login_as):
    user = make_user()
    client = login_as(user)
    (row,) = _rows(db, user)
    first = row.last_seen_at
    client.get("/profiel")
    assert _rows(db, user)[0].last_seen_at == first
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=2), tick=False):
        client.get("/profiel")
    assert _rows(db, user)[0].last_seen_at > first


def test_the_sessions_page_lists_devices_and_ends_another_one(app, db):
    user = make_user(email="olga@example.nl")
    laptop = _sign_in(app, "olga@example.nl")
    phone = _sign_in(app, "olga@example.nl", IPHONE)
    page = laptop.get("/profiel/sessies").get_data(as_text=True)
    assert "Firefox op Windows" in page and "(dit apparaat)" in page
    assert "Safari op iOS" in page and "Wachtwoord" in page
    phone_row = next(row for row in _rows(db, user) if "iPhone" in row.user_agent)
    response = laptop.post(f"/profiel/sessies/{phone_row.id}/beeindigen", follow_redirects=True)
    assert "De sessie is beëindigd" in response.get_data(as_text=True)
    assert not _signed_in(phone)
    assert _signed_in(laptop)
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "auth.session_ended")) == 1


def test_no_one_ends_someone_elses_session(app, db, login_as):
    olga = make_user(email="olga@example.nl")
    victim = _sign_in(app, "olga@example.nl")
    (row,) = _rows(db, olga)
    attacker_user = make_user()
    attacker = login_as(attacker_user)
    assert attacker.post(f"/profiel/sessies/{row.id}/beeindigen").status_code == 404
    assert attacker.post("/profiel/sessies/999999/beeindigen").status_code == 404
    assert _signed_in(victim)
    with pytest.raises(NotAllowed):
        sessions.end_one(attacker_user, row)


def test_ending_a_session_needs_the_csrf_token(app, db):
    olga = make_user(email="olga@example.nl")
    laptop = _sign_in(app, "olga@example.nl")
    phone = _sign_in(app, "olga@example.nl", IPHONE)
    phone_row = next(row for row in _rows(db, olga) if "iPhone" in row.user_agent)
    assert laptop.post(f"/profiel/sessies/{phone_row.id}/beeindigen", csrf=False).status_code == 400
    assert laptop.post("/profiel/sessies/overal-uitloggen", data={"bevestigd": "ja"}, csrf=False).status_code == 400
    assert _signed_in(phone) and _signed_in(laptop)


def test_sign_out_everywhere_asks_first_then_ends_every_session(app, db):
    user = make_user(email="olga@example.nl")
    laptop = _sign_in(app, "olga@example.nl")
    phone = _sign_in(app, "olga@example.nl", IPHONE)
    question = laptop.post("/profiel/sessies/overal-uitloggen")
    assert question.status_code == 200 and "Op al uw apparaten uitloggen, ook hier?" in question.get_data(as_text=True)
    assert _signed_in(phone)
    done = laptop.post("/profiel/sessies/overal-uitloggen", data={"bevestigd": "ja"}, follow_redirects=True)
    assert "U bent op al uw apparaten uitgelogd." in done.get_data(as_text=True)
    assert not _signed_in(laptop) and not _signed_in(phone)
    assert _rows(db, user) == []
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "auth.signed_out_everywhere")) == 1


def test_sign_out_everywhere_also_forgets_the_remembered_devices(app, db):
    olga = make_user(email="olga@example.nl")
    other = make_user()
    now = datetime.now(UTC)
    for user in (olga, other):
        two_factor.remember_device(user, label="Firefox op Windows", now=now, secret_key=app.secret_key)
    laptop = _sign_in(app, "olga@example.nl")
    laptop.post("/profiel/sessies/overal-uitloggen", data={"bevestigd": "ja"})
    db.session.expire_all()
    assert two_factor.devices_of(olga, now=now) == []
    assert len(two_factor.devices_of(other, now=now)) == 1


def test_a_new_password_ends_every_session(app, db):
    user = make_user(email="olga@example.nl")
    phone = _sign_in(app, "olga@example.nl", IPHONE)
    sessions.end_all(user)
    db.session.commit()
    assert not _signed_in(phone)


def test_the_hourly_job_deletes_ended_sessions_only(app, db, login_as):
    old, fresh = make_user(), make_user()
    now = datetime.now(UTC)
    login_as(fresh)
    with time_machine.travel(now - timedelta(hours=9), tick=False):
        login_as(old)
    assert "auth.expired_sessions" in JOBS
    assert JOBS["auth.expired_sessions"].run(now) == 1
    assert JOBS["auth.expired_sessions"].run(now) == 0
    assert _rows(db, old) == [] and len(_rows(db, fresh)) == 1


def test_the_hourly_job_deletes_expired_remembered_devices(app, db):
    user = make_user()
    now = datetime.now(UTC)
    for days_ago in (31, 29):
        two_factor.remember_device(user, label="Firefox", now=now - timedelta(days=days_ago), secret_key="k")
    assert JOBS["auth.expired_sessions"].run(now) == 1
    assert len(two_factor.devices_of(user, now=now - timedelta(days=60))) == 1


@pytest.mark.parametrize(
    ("agent", "words"),
    [
        (FIREFOX, "Firefox op Windows"),
        (IPHONE, "Safari op iOS"),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
            "Chrome op Linux",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 "
            "Safari/537.36 Edg/126.0",
            "Edge op Windows",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
            "Chrome op Android",
        ),
        ("curl/8.0", "Onbekend apparaat"),
        ("", "Onbekend apparaat"),
    ],
)
def test_devices_are_described_in_words(app, agent, words):
    with app.test_request_context():
        assert sessions.describe_device(agent) == words
