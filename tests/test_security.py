"""The security checklist (issue 10.3): headers, sessions, signed links and the login lock-out, one test per point."""

from __future__ import annotations

import re
import secrets
import time
from datetime import UTC, datetime, timedelta

import pytest
from itsdangerous import TimestampSigner

from app import create_app
from app.auth import services
from app.auth.models import Role
from app.errors import DomainError
from tests.factories import PASSWORD, make_company, make_member, make_user

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
POLICY = services.ThrottlePolicy(max_failures=3, lock_duration=timedelta(minutes=15))
SECRET = "s3cret-for-tokens"
OLGA = {"email": "olga@example.nl", "password": PASSWORD}
NEW_PASSWORD = {"password": "brand new passphrase", "confirm": "brand new passphrase"}


@pytest.fixture
def later(monkeypatch):
    """later(delta): from now on, every signed cookie and link is checked as if `delta` had passed."""

    def move(delta: timedelta) -> None:
        shifted = int(time.time() + delta.total_seconds())
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: shifted)

    return move


@pytest.fixture
def production(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(32))
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("BASE_URL", "http://localhost")  # the test client's host: production serves no other
    return create_app("production")


def _fresh_client(client, cookie: str | None = None):
    """Another browser, holding `cookie` as its session cookie."""
    other = client.application.test_client()
    if cookie is not None:
        other.set_cookie("session", cookie)
    return other


def _is_logged_in(client) -> bool:
    return client.get("/").status_code == 200


def _link(mail) -> str:
    return re.search(r"http://127\.0\.0\.1:5000(/\S+)", mail.text_body).group(1)  # BASE_URL, not the request


def _reset_link(client, outbox) -> str:
    client.post("/wachtwoord-vergeten", data={"email": OLGA["email"]})
    return _link(outbox()[-1])


def _login(email, password, now=NOW):
    return services.authenticate(email, password, now=now, policy=POLICY, ip="127.0.0.1")


# Headers ------------------------------------------------------------------------------------------


def _csp(response) -> dict[str, set[str]]:
    directives = (part.split() for part in response.headers["Content-Security-Policy"].split(";") if part.strip())
    return {name: set(sources) for name, *sources in directives}


@pytest.fixture
def every_kind_of_response(login_as, park):
    """One response of each kind a browser can get: page, errors, redirect, download, API, static file."""
    member = login_as(make_member(Role.AUDITOR, park))
    make_company(park)
    anonymous = member.application.test_client()
    responses = {
        "html page": member.get(f"/parken/{park.id}"),
        "404": member.get("/bestaat-niet"),
        "403": member.get("/beheer/gebruikers"),
        "redirect": anonymous.get("/parken/"),
        "download": member.get(f"/parken/{park.id}/bedrijven/exporteren?format=csv"),
        "api": anonymous.get(f"/api/v1/parks/{park.id}"),
        "static file": anonymous.get("/static/favicon.svg"),
    }
    for response in responses.values():
        response.close()  # the static file's handle; the headers stay readable
    statuses = {kind: response.status_code for kind, response in responses.items()}
    assert statuses == {
        "html page": 200,
        "404": 404,
        "403": 403,
        "redirect": 302,
        "download": 200,
        "api": 401,
        "static file": 200,
    }
    assert responses["download"].headers["Content-Disposition"].startswith("attachment")
    return responses


def test_csp_forbids_inline_script_and_framing_on_every_response(every_kind_of_response):
    for kind, response in every_kind_of_response.items():
        csp = _csp(response)
        assert csp["script-src"] == {"'self'"}, kind  # so no 'unsafe-inline', 'unsafe-eval' or other hosts
        assert csp["default-src"] == {"'self'"}, kind
        assert csp["object-src"] == {"'none'"}, kind
        assert csp["base-uri"] == {"'self'"}, kind
        assert csp["form-action"] == {"'self'"}, kind
        assert csp["frame-ancestors"] == {"'none'"}, kind
        assert not any("unsafe" in source for sources in csp.values() for source in sources), kind


def test_nosniff_and_referrer_policy_on_every_response(every_kind_of_response):
    for kind, response in every_kind_of_response.items():
        assert response.headers["X-Content-Type-Options"] == "nosniff", kind
        assert response.headers["Referrer-Policy"] == "same-origin", kind


def test_hsts_only_outside_development(production, monkeypatch, tmp_path, client):
    response = production.test_client().get("/inloggen")
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    assert "https://service.pdok.nl" in response.headers["Content-Security-Policy"]  # the map tiles' host
    monkeypatch.setattr("app.config.INSTANCE_DIR", tmp_path)
    # a page that needs no table (the login page lists the identity providers; this database is empty)
    development = create_app("development").test_client().get("/wachtwoord-vergeten")
    assert development.status_code == 200
    assert "Strict-Transport-Security" not in development.headers
    assert "Strict-Transport-Security" not in client.get("/inloggen").headers


# Session cookie -----------------------------------------------------------------------------------


def test_session_cookie_is_secure_httponly_and_lax_outside_development(production, client):
    cookie = production.test_client().get("/inloggen").headers["Set-Cookie"]  # the CSRF token starts a session
    assert {"Secure", "HttpOnly", "SameSite=Lax"} <= {part.strip() for part in cookie.split(";")}
    assert "Secure" not in client.get("/inloggen").headers["Set-Cookie"]  # plain http in development and tests


def test_session_ends_after_its_lifetime(app, client, db, later):
    make_user(email=OLGA["email"])
    client.post("/inloggen", data=OLGA)
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
    assert lifetime == timedelta(hours=12)
    assert _is_logged_in(client)
    later(lifetime + timedelta(minutes=1))
    assert not _is_logged_in(client)


# Session fixation ---------------------------------------------------------------------------------


def test_login_starts_a_fresh_session_keeping_only_the_language(client, db):
    make_user(email=OLGA["email"])
    client.post("/taal", data={"lang": "en", "next": "/inloggen"})
    client.csrf_token()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        before = dict(session)
    assert before["lang"] == "en" and "csrf_token" in before
    cookie_before = client.get_cookie("session").value
    client.post("/inloggen", data=OLGA)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") != before["csrf_token"]
        assert session["lang"] == "en"
    assert client.get_cookie("session").value != cookie_before


def test_a_session_cookie_planted_before_login_stays_anonymous(client, db):
    make_user(email=OLGA["email"])
    attacker = _fresh_client(client)
    attacker.get("/inloggen")
    planted = attacker.get_cookie("session").value
    victim = _fresh_client(client, planted)
    victim.post("/inloggen", data=OLGA)
    assert _is_logged_in(victim)
    assert not _is_logged_in(_fresh_client(client, planted))


# Logout and other sessions ------------------------------------------------------------------------


def test_logout_invalidates_the_old_session_cookie(client, db):
    make_user(email=OLGA["email"])
    client.post("/inloggen", data=OLGA)
    stolen = client.get_cookie("session").value
    assert client.post("/uitloggen").status_code == 302
    assert not _is_logged_in(_fresh_client(client, stolen))  # the session row its token names is gone


def test_signing_out_everywhere_ends_the_sessions_on_other_devices(client, db):
    """Signing out ends this device's session only (tests/auth/test_sessions.py); "Overal uitloggen" ends them all,
    and every stolen cookie with them."""
    make_user(email=OLGA["email"])
    laptop, phone = _fresh_client(client), _fresh_client(client)
    laptop.post("/inloggen", data=OLGA)
    phone.post("/inloggen", data=OLGA)
    stolen = phone.get_cookie("session").value
    laptop.post("/profiel/sessies/overal-uitloggen", data={"bevestigd": "ja"})
    assert not _is_logged_in(phone)
    assert not _is_logged_in(_fresh_client(client, stolen))


def test_a_password_reset_ends_every_other_session(client, db, outbox):
    make_user(email=OLGA["email"])
    thief = _fresh_client(client)
    thief.post("/inloggen", data=OLGA)
    assert _is_logged_in(thief)
    assert client.post(_reset_link(client, outbox), data=NEW_PASSWORD).status_code == 302
    assert not _is_logged_in(thief)


# Signed links -------------------------------------------------------------------------------------


def test_reset_link_is_single_use(client, db, outbox):
    make_user(email=OLGA["email"])
    link = _reset_link(client, outbox)
    assert client.post(link, data=NEW_PASSWORD).status_code == 302
    again = client.post(link, data={"password": "the attacker's phrase", "confirm": "the attacker's phrase"})
    assert again.status_code == 400
    assert "al gebruikt" in again.get_data(as_text=True)
    login = client.post("/inloggen", data={"email": OLGA["email"], "password": NEW_PASSWORD["password"]})
    assert login.status_code == 302  # the first use set the password, the second changed nothing


def test_invitation_link_is_single_use(db):
    user = make_user(password=None)
    token = services.make_token(user, services.INVITATION, secret_key=SECRET)
    assert services.user_for_token(token, services.INVITATION, secret_key=SECRET, max_age=timedelta(days=7)) is user
    services.set_password(user, "my new long password")
    with pytest.raises(DomainError, match="al gebruikt"):
        services.user_for_token(token, services.INVITATION, secret_key=SECRET, max_age=timedelta(days=7))


@pytest.mark.parametrize(
    ("path", "purpose", "max_age"),
    [
        ("/wachtwoord-herstellen/", services.PASSWORD_RESET, "PASSWORD_RESET_MAX_AGE"),
        ("/uitnodiging/", services.INVITATION, "INVITATION_MAX_AGE"),
    ],
)
def test_links_expire_after_their_max_age(app, client, db, later, path, purpose, max_age):
    user = make_user(email=OLGA["email"], password=None if purpose == services.INVITATION else PASSWORD)
    link = path + services.make_token(user, purpose, secret_key=app.secret_key)
    later(app.config[max_age] - timedelta(minutes=1))
    assert client.get(link).status_code == 200
    later(app.config[max_age] + timedelta(minutes=1))
    expired = client.post(link, data=NEW_PASSWORD)
    assert expired.status_code == 400
    assert "verlopen" in expired.get_data(as_text=True)


def test_tampered_or_misused_links_are_refused(app, client, db):
    user = make_user()
    token = services.make_token(user, services.PASSWORD_RESET, secret_key=app.secret_key)
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    for link in (
        "/wachtwoord-herstellen/not-a-real-token",
        f"/wachtwoord-herstellen/{tampered}",
        f"/uitnodiging/{token}",  # a reset link is no invitation
        "/wachtwoord-herstellen/" + services.make_token(user, services.PASSWORD_RESET, secret_key="another key"),
    ):
        response = client.get(link)
        assert response.status_code == 400, link
        assert "ongeldig" in response.get_data(as_text=True), link


def test_reset_link_stops_working_once_the_password_changed_another_way(client, db, outbox):
    user = make_user(email=OLGA["email"])
    link = _reset_link(client, outbox)
    services.set_password(user, "changed by the admin's CLI")
    response = client.get(link)
    assert response.status_code == 400
    assert "al gebruikt" in response.get_data(as_text=True)


# Lock-out -----------------------------------------------------------------------------------------


def test_lockout_after_repeated_failures_says_when_to_retry(app, client, db):
    make_user(email=OLGA["email"])
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        response = client.post("/inloggen", data={"email": OLGA["email"], "password": "nope"})
    assert response.status_code == 429
    minutes = int(app.config["LOGIN_LOCK_DURATION"].total_seconds() // 60)
    assert f"Probeer het over {minutes} minuten opnieuw." in response.get_data(as_text=True)
    right_password = client.post("/inloggen", data=OLGA)
    assert right_password.status_code == 429
    assert not _is_logged_in(client)


def test_lockout_refuses_the_right_password_until_it_lifts(db):
    make_user(email=OLGA["email"])
    for _ in range(POLICY.max_failures - 1):
        with pytest.raises(DomainError):
            _login(OLGA["email"], "wrong")
    with pytest.raises(services.LoginLocked) as locked:
        _login(OLGA["email"], "wrong")
    assert locked.value.until == NOW + POLICY.lock_duration
    with pytest.raises(services.LoginLocked) as still_locked:
        _login(OLGA["email"], PASSWORD, now=NOW + timedelta(minutes=5))
    assert "10 minuten" in still_locked.value.message
    # after the lock, the right password works again and resets the count
    assert _login(OLGA["email"], PASSWORD, now=NOW + timedelta(minutes=16)).email == OLGA["email"]
