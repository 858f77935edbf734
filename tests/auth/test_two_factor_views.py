"""The second factor's pages: the code after the password, forced set-up, remembered devices, the profile section and
the admin's pages."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from app.auth import two_factor
from app.auth.models import Role, SecondFactor, TrustedDevice
from app.auth.services import ThrottlePolicy
from tests.factories import PASSWORD, make_membership, make_organisation, make_park, make_user

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def code(steps_ahead: int = 0) -> str:
    return pyotp.TOTP(SECRET).at(time.time() + 30 * steps_ahead)


@pytest.fixture
def enrolled(app, db):
    user = make_user(email="tessa@example.nl", name="Tessa")
    two_factor.confirm_enrolment(
        user,
        SECRET,
        code(-1),
        now=datetime.now(UTC),
        policy=ThrottlePolicy.from_config(app.config),
        secret_key=app.config["SECRET_KEY"],
    )
    return user


def sign_in(client, email: str = "tessa@example.nl", **query):
    return client.post("/inloggen", query_string=query, data={"email": email, "password": PASSWORD})


def is_signed_in(client) -> bool:
    return client.get("/profiel").status_code == 200


def test_the_password_alone_does_not_sign_in_a_user_with_a_second_factor(client, enrolled):
    response = sign_in(client, next="/parken/")
    assert response.headers["Location"] == "/inloggen/code"
    assert not is_signed_in(client)
    response = client.post("/inloggen/code", data={"code": code()})
    assert response.headers["Location"] == "/parken/"
    assert is_signed_in(client)


def test_a_wrong_code_is_a_message_and_counts(client, db, enrolled):
    sign_in(client)
    response = client.post("/inloggen/code", data={"code": "12345"})
    assert response.status_code == 400
    assert "Deze code klopt niet" in response.get_data(as_text=True)
    assert not is_signed_in(client)


@pytest.mark.parametrize(
    "data,status",
    [({}, 422), ({"code": "1" * 500}, 422), ({"code": "12\x0034"}, 422), ({"code": "€€€ <script>"}, 400)],
)
def test_bad_input_on_the_code_page_is_a_4xx_never_a_500(client, enrolled, data, status):
    sign_in(client)
    assert client.post("/inloggen/code", data=data).status_code == status


def test_the_code_page_without_a_password_first_goes_back_to_sign_in(client, db):
    for path in ("/inloggen/code", "/inloggen/tweestapsverificatie-instellen"):
        response = client.get(path)
        assert response.headers["Location"] == "/inloggen"


def test_the_half_done_sign_in_expires(app, client, enrolled, monkeypatch):
    sign_in(client)
    monkeypatch.setitem(app.config, "TWO_FACTOR_PENDING_TIME", timedelta(seconds=-1))
    response = client.post("/inloggen/code", data={"code": code()})
    assert response.headers["Location"] == "/inloggen"
    assert not is_signed_in(client)


def test_codes_are_rate_limited(app, client, enrolled, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_LIMIT_PER_USER", "2/hour")
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES", 100)
    sign_in(client)
    for _ in range(2):
        client.post("/inloggen/code", data={"code": "000001"})
    response = client.post("/inloggen/code", data={"code": code()})
    assert response.status_code == 429
    assert "te veel codes" in response.get_data(as_text=True)


def test_a_remembered_browser_skips_the_code_until_revoked(client, db, enrolled):
    sign_in(client)
    response = client.post("/inloggen/code", data={"code": code(), "remember": "y"})
    cookie = response.headers["Set-Cookie"]
    assert "vb_device=" in cookie and "HttpOnly" in cookie and "Max-Age=2592000" in cookie
    client.post("/uitloggen")
    assert sign_in(client).headers["Location"] == "/"
    assert is_signed_in(client)

    page = client.get("/profiel/tweestapsverificatie").get_data(as_text=True)
    assert "Vergeten" in page
    device = db.session.scalar(select(TrustedDevice))
    client.post(f"/profiel/apparaten/{device.id}/vergeten")
    client.post("/uitloggen")
    assert sign_in(client).headers["Location"] == "/inloggen/code"


def test_another_users_device_is_a_404(client, db, enrolled):
    two_factor.remember_device(enrolled, label="Chrome", now=datetime.now(UTC), secret_key="testing-secret-key")
    device = db.session.scalar(select(TrustedDevice))
    client.login(make_user())
    assert client.post(f"/profiel/apparaten/{device.id}/vergeten").status_code == 404
    assert db.session.get(TrustedDevice, device.id) is not None


def test_a_required_user_sets_it_up_before_getting_in(client, db):
    user = make_user(email="carla@example.nl")
    make_membership(user, Role.CAMERA_OFFICER, park=make_park())
    assert sign_in(client, "carla@example.nl").headers["Location"] == "/inloggen/tweestapsverificatie-instellen"
    assert not is_signed_in(client)
    page = client.get("/inloggen/tweestapsverificatie-instellen").get_data(as_text=True)
    assert "<svg" in page and "data:" not in page
    secret = re.search(r"data-totp-secret>([A-Z2-7 ]+)<", page).group(1).replace(" ", "")
    response = client.post("/inloggen/tweestapsverificatie-instellen", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    assert len(re.findall(r"<li><code>[a-z2-9]{5}-[a-z2-9]{5}</code></li>", response.get_data(as_text=True))) == 10
    assert is_signed_in(client)
    assert db.session.get(SecondFactor, user.id) is not None


def test_an_optional_user_enrols_regenerates_and_disables_from_the_profile(client, db, outbox):
    user = make_user()
    client.login(user)
    assert "Staat uit." in client.get("/profiel").get_data(as_text=True)
    page = client.get("/profiel/tweestapsverificatie/instellen").get_data(as_text=True)
    secret = re.search(r"data-totp-secret>([A-Z2-7 ]+)<", page).group(1).replace(" ", "")
    wrong = client.post("/profiel/tweestapsverificatie/instellen", data={"code": "000000x"})
    assert wrong.status_code == 400
    assert db.session.get(SecondFactor, user.id) is None
    client.post("/profiel/tweestapsverificatie/instellen", data={"code": pyotp.TOTP(secret).now()})
    assert db.session.get(SecondFactor, user.id) is not None

    # without the confirmation nothing changes; with it, new codes are shown once
    assert "Ja, nieuwe herstelcodes" in client.post("/profiel/tweestapsverificatie/herstelcodes").get_data(as_text=True)
    regenerated = client.post("/profiel/tweestapsverificatie/herstelcodes", data={"bevestigd": "ja"})
    assert regenerated.status_code == 200 and "Uw herstelcodes" in regenerated.get_data(as_text=True)
    client.post("/profiel/tweestapsverificatie/uitzetten", data={"bevestigd": "ja"})
    assert db.session.get(SecondFactor, user.id) is None
    assert [mail.subject for mail in outbox()] == [
        "Tweestapsverificatie ingesteld",
        "Nieuwe herstelcodes aangemaakt",
        "Tweestapsverificatie uitgezet",
    ]


def test_the_admin_resets_a_second_factor_and_others_may_not(client, db, admin, enrolled):
    path = f"/beheer/gebruikers/{enrolled.id}/tweestapsverificatie-resetten"
    client.login(make_user())
    assert client.post(path, data={"bevestigd": "ja"}).status_code == 403
    client.login(admin)
    assert "Tweestapsverificatie resetten" in client.get(f"/beheer/gebruikers/{enrolled.id}").get_data(as_text=True)
    client.post(path, data={"bevestigd": "ja"})
    assert db.session.get(SecondFactor, enrolled.id) is None


def test_the_admin_chooses_the_roles_per_organisation(client, db, admin):
    organisation = make_organisation()
    client.login(admin)
    path = f"/beheer/organisaties/{organisation.id}/tweestapsverificatie"
    response = client.post(path, data={"two_factor-roles": ["advisor", "partner"]})
    assert response.status_code == 302
    assert two_factor.required_roles(organisation) == {Role.ADVISOR, Role.PARTNER}
    assert client.post(path, data={"two_factor-roles": ["nonsense"]}).status_code == 422
    # no box ticked: none required (the form then sends only its token)
    assert client.post(path, data={"two_factor-csrf_token": client.csrf_token()}).status_code == 302
    assert two_factor.required_roles(organisation) == set()
    page = client.get(f"/beheer/organisaties/{organisation.id}").get_data(as_text=True)
    assert "Tweestapsverificatie verplicht voor" in page
