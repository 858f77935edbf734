"""Password resets and invitations are rate-limited (issue 17): per address and per client for resets, per invited
address and per inviting user for invitations; a limited reset looks the same as any other."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import create_app, ratelimit
from app.auth.models import Role, User
from app.extensions import db as _db
from app.parks.services import active_cycle
from app.stakeholders.models import OrganisationType, PpsRole, Stakeholder
from tests.databases import throwaway_database_url
from tests.factories import PASSWORD, make_member, make_organisation, make_user

#: the start of a clock hour, so that all requests of a test fall in one window of the hourly limits
HOUR = 3600.0 * 493_000
NEUTRAL = "Als dit adres bij ons bekend is, ontvangt u binnen enkele minuten een e-mail met een link."


@pytest.fixture
def clock(monkeypatch):
    """The limiter's clock, at the start of an hour; `clock[0] += seconds` moves it."""
    moment = [HOUR]
    monkeypatch.setattr(ratelimit, "now", lambda: moment[0])
    return moment


def _reset(client, email: str, ip: str = "203.0.113.1"):
    return client.post("/wachtwoord-vergeten", data={"email": email}, environ_base={"REMOTE_ADDR": ip})


def _users(db) -> int:
    return db.session.scalar(select(func.count(User.id)))


# Password resets -----------------------------------------------------------------------------------------------


def test_thirty_resets_for_one_address_queue_three_mails_and_answer_alike(client, db, outbox, clock):
    make_user(email="olga@example.nl")
    # from thirty clients, so that only the address's limit counts
    answers = [_reset(client, "olga@example.nl", ip=f"203.0.113.{n}") for n in range(1, 31)]
    assert {(answer.status_code, answer.headers["Location"]) for answer in answers} == {(302, "/inloggen")}
    assert [mail.recipient for mail in outbox()] == ["olga@example.nl"] * 3
    # a limited request says what every request says, for a known and an unknown address alike
    client.get("/inloggen")  # the flashed messages so far
    for email in ("olga@example.nl", "OLGA@Example.nl", "nobody@example.nl"):
        answer = client.post(
            "/wachtwoord-vergeten", data={"email": email}, environ_base={"REMOTE_ADDR": "198.51.100.1"}
        )
        assert (answer.status_code, answer.headers["Location"]) == (302, "/inloggen")
        assert NEUTRAL in client.get("/inloggen").get_data(as_text=True)
    assert len(outbox()) == 3
    clock[0] += 3600  # the next hour
    assert _reset(client, "Olga@Example.NL").status_code == 302
    assert len(outbox()) == 4


def test_one_client_gets_ten_resets_an_hour_then_a_clear_429(client, db, outbox, clock):
    for n in range(30):
        make_user(email=f"invitee{n}@example.nl")
    answers = [_reset(client, f"invitee{n}@example.nl") for n in range(30)]
    assert [answer.status_code for answer in answers] == [302] * 10 + [429] * 20
    assert len(outbox()) == 10
    refused = answers[-1]
    assert refused.headers["Retry-After"] == "3600"
    assert (
        "Er zijn vanaf uw verbinding te veel nieuwe wachtwoorden aangevraagd. Probeer het over 60 minuten opnieuw."
        in refused.get_data(as_text=True)
    )
    # it counts every request of the client, an unknown address too: the refusal reveals no account
    assert _reset(client, "nobody@example.nl").status_code == 429
    # another client is not held up
    assert _reset(client, "invitee29@example.nl", ip="198.51.100.7").status_code == 302
    assert len(outbox()) == 11
    with client.session_transaction() as session:
        session["lang"] = "en"
    clock[0] += 3599
    english = _reset(client, "invitee0@example.nl").get_data(as_text=True)
    assert "Too many new passwords were requested from your connection. Try again in 1 minute." in english


# Invitations ---------------------------------------------------------------------------------------------------


def test_an_invitation_goes_to_one_address_three_times_an_hour(login_as, db, admin, outbox, clock):
    client = login_as(admin)
    invited = client.post(
        "/beheer/gebruikers/nieuw",
        data={"email": "nina@example.nl", "name": "Nina Nieuw", "organisation_id": "0", "locale": "nl"},
    )
    assert invited.status_code == 302
    nina = db.session.scalar(select(User).where(User.email == "nina@example.nl"))
    answers = [client.post(f"/beheer/gebruikers/{nina.id}/uitnodiging") for _ in range(29)]
    assert [answer.status_code for answer in answers] == [302] * 2 + [429] * 27
    assert [mail.recipient for mail in outbox()] == ["nina@example.nl"] * 3
    refused = answers[-1]
    assert refused.headers["Retry-After"] == "3600"
    assert (
        "Naar nina@example.nl zijn in korte tijd al te veel uitnodigingen gestuurd. Probeer het over 60 minuten "
        "opnieuw." in refused.get_data(as_text=True)
    )


def test_one_inviter_sends_twenty_invitations_an_hour(login_as, db, admin, outbox, clock):
    client = login_as(admin)
    answers = [
        client.post(
            "/beheer/gebruikers/nieuw",
            data={"email": f"invitee{n}@example.nl", "name": f"Invitee {n}", "organisation_id": "0", "locale": "nl"},
        )
        for n in range(30)
    ]
    assert [answer.status_code for answer in answers] == [302] * 20 + [422] * 10
    assert len(outbox()) == 20
    assert "U heeft in korte tijd te veel uitnodigingen verstuurd." in answers[-1].get_data(as_text=True)
    # a refused invitation leaves no account behind
    assert db.session.scalar(select(User.id).where(User.email == "invitee29@example.nl")) is None
    # another admin is not held up
    assert (
        login_as(make_user(is_admin=True))
        .post(
            "/beheer/gebruikers/nieuw",
            data={"email": "invitee29@example.nl", "name": "Invitee 29", "organisation_id": "0", "locale": "nl"},
        )
        .status_code
        == 302
    )
    assert len(outbox()) == 21


def test_an_advisor_inviting_representatives_is_limited_too(login_as, db, park, outbox, clock, monkeypatch, app):
    monkeypatch.setitem(app.config, "INVITATION_LIMIT_PER_INVITER", "2/hour")
    police = make_organisation(name="Politie Midden-Nederland", type=OrganisationType.POLITIE)
    stakeholder = Stakeholder(organisation=police, role=PpsRole.POLITIE)
    active_cycle(park).stakeholders.append(stakeholder)
    client = login_as(make_member(Role.ADVISOR, park))
    before = _users(db)
    answers = [
        client.post(
            f"/parken/{park.id}/deelnemers/{stakeholder.id}/uitnodigen",
            data={"invite-name": f"Agent {n}", "invite-email": f"agent{n}@politie.example", "invite-locale": "nl"},
        )
        for n in range(3)
    ]
    assert [answer.status_code for answer in answers] == [302, 302, 422]
    assert "U heeft in korte tijd te veel uitnodigingen verstuurd." in answers[-1].get_data(as_text=True)
    assert len(outbox()) == 2 and _users(db) == before + 2


# Login lock-out ------------------------------------------------------------------------------------------------


def test_two_instances_on_one_database_share_the_login_lock_out(tmp_path):
    """The failed logins count in the database (login_throttles), not in a process: failures spread over two app
    instances lock the address on both, with or without Redis."""
    with throwaway_database_url(tmp_path, "shared_lock_out") as url:
        settings = {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False}
        instances = [create_app(settings), create_app(settings)]
        with instances[0].app_context():
            _db.create_all()
            make_user(email="olga@example.nl")
            _db.session.commit()

        def login(n: int, password: str):
            data = {"email": "olga@example.nl", "password": password}
            return instances[n % 2].test_client().post("/inloggen", data=data)

        try:
            failures = [login(n, "wrong password").status_code for n in range(5)]
            assert failures == [400] * 4 + [429]
            assert [login(n, PASSWORD).status_code for n in range(2)] == [429, 429]
        finally:
            for instance in instances:
                with instance.app_context():
                    _db.engine.dispose()
