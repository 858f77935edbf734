from __future__ import annotations

import re

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import DigestFrequency, Role, User
from tests.factories import PASSWORD, make_member, make_user


def _link(mail) -> str:
    return re.search(r"http://127\.0\.0\.1:5000(/\S+)", mail.text_body).group(1)  # BASE_URL, not the request


def test_login_with_right_password_goes_home(client, db):
    make_user(email="olga@example.nl", name="Olga")
    response = client.post("/inloggen", data={"email": "olga@example.nl", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = client.get("/")
    assert "Welkom, Olga" in home.get_data(as_text=True)


def test_wrong_password_shows_the_error_and_keeps_the_address(client, db):
    make_user(email="olga@example.nl")
    response = client.post("/inloggen", data={"email": "olga@example.nl", "password": "nope"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar." in body
    assert 'value="olga@example.nl"' in body
    assert "nope" not in body
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.login_failed")) is not None


def test_missing_fields_give_a_message_not_an_error(client, db):
    response = client.post("/inloggen", data={})
    assert response.status_code == 422
    assert "utrecht-form-field--invalid" in response.get_data(as_text=True)


def test_login_redirects_only_to_local_next(client, db):
    make_user(email="olga@example.nl")
    data = {"email": "olga@example.nl", "password": PASSWORD}
    assert client.post("/inloggen?next=/parken/", data=data).headers["Location"] == "/parken/"
    client.post("/uitloggen")
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        assert client.post(f"/inloggen?next={evil}", data=data).headers["Location"] == "/"
        client.post("/uitloggen")


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/parken/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/inloggen?next=")


def test_invitation_flow(client, db, admin, outbox):
    admin_client = client.login(admin)
    response = admin_client.post(
        "/beheer/gebruikers/nieuw",
        data={"email": "new@example.nl", "name": "Nina Nieuw", "organisation_id": "0", "locale": "en"},
    )
    assert response.status_code == 302
    (mail,) = outbox()
    assert mail.recipient == "new@example.nl"
    assert mail.subject == "Invitation to Veilig Bedrijventerrein"  # in the invitee's language
    link = _link(mail)
    admin_client.post("/uitloggen")

    page = client.get(link)
    assert page.status_code == 200 and "new@example.nl" in page.get_data(as_text=True)
    mismatch = client.post(link, data={"password": "a long enough phrase", "confirm": "something else"})
    assert mismatch.status_code == 422
    done = client.post(link, data={"password": "a long enough phrase", "confirm": "a long enough phrase"})
    assert done.status_code == 302
    assert (
        client.post("/inloggen", data={"email": "new@example.nl", "password": "a long enough phrase"}).status_code
        == 302
    )
    client.post("/uitloggen")
    reused = client.get(link)
    assert reused.status_code == 400
    assert "al gebruikt" in reused.get_data(as_text=True)


def test_password_reset_flow_and_no_account_enumeration(client, db, outbox):
    make_user(email="olga@example.nl")
    unknown = client.post("/wachtwoord-vergeten", data={"email": "nobody@example.nl"}, follow_redirects=True)
    known = client.post("/wachtwoord-vergeten", data={"email": "olga@example.nl"}, follow_redirects=True)
    message = "Als dit adres bij ons bekend is"
    assert message in unknown.get_data(as_text=True) and message in known.get_data(as_text=True)
    (mail,) = outbox()
    link = _link(mail)
    assert (
        client.post(link, data={"password": "brand new passphrase", "confirm": "brand new passphrase"}).status_code
        == 302
    )
    assert client.post("/inloggen", data={"email": "olga@example.nl", "password": PASSWORD}).status_code == 400
    assert (
        client.post("/inloggen", data={"email": "olga@example.nl", "password": "brand new passphrase"}).status_code
        == 302
    )
    client.post("/uitloggen")
    assert client.get(link).status_code == 400


def test_profile_update(login_as, db, park):
    user = make_member(Role.ENTREPRENEUR, park, name="Olga")
    client = login_as(user)
    page = client.get("/profiel")
    assert "Lage Weide" in page.get_data(as_text=True)
    response = client.post(
        "/profiel", data={"name": "Olga de Vries", "locale": "en", "digest_frequency": "daily"}, follow_redirects=True
    )
    assert "Your details have been saved." in response.get_data(as_text=True)
    db.session.expire_all()
    saved = db.session.get(User, user.id)
    assert (saved.name, saved.locale, saved.digest_frequency) == ("Olga de Vries", "en", DigestFrequency.DAILY)


def test_profile_refuses_unknown_language(login_as, db):
    client = login_as(make_user())
    assert client.post("/profiel", data={"name": "X", "locale": "xx", "digest_frequency": "weekly"}).status_code == 422
    assert client.post("/profiel", data={"name": "X", "locale": "nl", "digest_frequency": "hourly"}).status_code == 422
