"""Signing in through the test provider process: the flow, every check on its answer, key rotation, being down."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role, User
from app.sso.models import IdentityLink
from tests.sso.conftest import authorize, query_of, sign_in


def _actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_first_sign_in_with_a_mapped_group_creates_the_account_with_the_role(client, db, world):
    response = sign_in(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    user = db.session.scalar(select(User).where(User.email == "sso.gemeente@example.nl"))
    assert user is not None and user.password_hash is None
    assert [(m.role, m.municipality) for m in user.memberships] == [(Role.MUNICIPALITY, world.municipality)]
    assert user.organisation == world.municipality
    link = db.session.scalar(select(IdentityLink))
    assert (link.subject, link.user, link.provider) == ("test-user-1", user, world.provider)
    assert "Welkom, Sanne SSO" in client.get("/").get_data(as_text=True)
    assert {"sso.account_created", "sso.linked", "auth.role_granted", "sso.login"} <= set(_actions(db))


def test_the_request_carries_pkce_state_and_nonce(client, db, world):
    _callback, start = authorize(client)
    query = query_of(start.headers["Location"])
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) >= 43
    assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32
    assert query["scope"].split() == ["openid", "email", "profile"]


def test_an_unmapped_person_gets_a_clear_page_and_no_account(client, db, world, op):
    op.set_user(sub="stranger", email="stranger@example.nl", groups=["iets-anders"])
    response = sign_in(client)
    assert response.status_code == 403
    body = response.get_data(as_text=True)
    assert "U bent bekend bij Test-inlogdienst, maar heeft nog geen toegang" in body
    assert db.session.scalar(select(User).where(User.email == "stranger@example.nl")) is None
    assert db.session.scalar(select(IdentityLink)) is None
    assert "sso.login_failed" in _actions(db)
    assert client.get("/").status_code == 302  # not signed in


def test_an_existing_account_is_not_linked_by_its_email_alone(client, db, world, op):
    from tests.factories import make_user

    make_user(email="sso.gemeente@example.nl", name="Bestaand")
    response = sign_in(client)
    assert response.status_code == 403
    assert "niet gekoppeld aan Test-inlogdienst" in response.get_data(as_text=True)
    assert db.session.scalar(select(IdentityLink)) is None


def test_the_subject_not_the_email_identifies_the_person(client, db, world, op):
    assert sign_in(client).status_code == 302
    client.post("/uitloggen")
    # same subject, new address at the provider: still the same account
    op.set_user(email="nieuw.adres@example.nl")
    assert sign_in(client).status_code == 302
    assert db.session.scalar(select(User).where(User.email == "nieuw.adres@example.nl")) is None
    assert len(db.session.scalars(select(User)).all()) == 1


def test_group_mapping_is_re_evaluated_at_every_sign_in(client, db, world, op):
    from tests.factories import make_membership

    assert sign_in(client).status_code == 302
    user = db.session.scalar(select(User).where(User.email == "sso.gemeente@example.nl"))
    park = world.municipality  # a role an admin gave by hand stays
    make_membership(user, Role.ADVISOR, municipality=park)
    client.post("/uitloggen")
    op.set_user(groups=[])
    assert sign_in(client).status_code == 302
    db.session.expire_all()
    assert [m.role for m in user.memberships] == [Role.ADVISOR]
    client.post("/uitloggen")
    op.set_user(groups=["vb-gemeente"])
    sign_in(client)
    db.session.expire_all()
    assert sorted(m.role.value for m in user.memberships) == ["advisor", "municipality"]


def test_a_wrong_state_is_refused(client, db, world):
    callback, _start = authorize(client)
    tampered = callback.replace("state=", "state=x")
    response = client.get(tampered)
    assert response.status_code == 400
    assert "Deze inlogpoging is verlopen of kwam niet van deze site" in response.get_data(as_text=True)
    assert db.session.scalar(select(User)) is None


def test_a_callback_without_an_attempt_is_refused(client, db, world):
    response = client.get("/inloggen/met/test/terug?code=abc&state=def")
    assert response.status_code == 400


def test_a_replayed_code_is_refused(client, db, world, app):
    callback, _start = authorize(client)
    assert client.get(callback).status_code == 302
    client.post("/uitloggen")
    # the same answer again, in a browser that started an attempt with the same state
    other = app.test_client()
    other_callback, _ = authorize(other)
    state = query_of(other_callback)["state"]
    code = query_of(callback)["code"]
    response = other.get(f"/inloggen/met/test/terug?code={code}&state={state}")
    assert response.status_code == 400
    assert "weigerde de inlogcode (al gebruikt of verlopen)" in response.get_data(as_text=True)


def test_a_bad_signature_is_refused(client, db, world, op):
    op.misbehave_next("bad_signature")
    response = sign_in(client)
    assert response.status_code == 400
    assert "niet geldig ondertekend" in response.get_data(as_text=True)
    assert db.session.scalar(select(User)) is None


def test_an_expired_token_is_refused(client, db, world, op):
    op.misbehave_next("expired")
    response = sign_in(client)
    assert response.status_code == 400
    assert "is verlopen" in response.get_data(as_text=True)


def test_a_token_from_an_unknown_issuer_is_refused(client, db, world, op):
    op.misbehave_next("wrong_issuer")
    response = sign_in(client)
    assert response.status_code == 400
    assert "onbekende uitgever" in response.get_data(as_text=True)


def test_a_discovery_naming_another_issuer_is_refused(client, db, world):
    world.provider.issuer = world.provider.issuer + "/"
    response = client.get("/inloggen/met/test")
    assert response.status_code == 503
    assert "de issuer of de endpoints kloppen niet" in response.get_data(as_text=True)


def test_discovery_and_keys_are_cached_and_fetched_again_after_a_key_rotation(client, db, world, op, app):
    assert sign_in(client).status_code == 302
    client.post("/uitloggen")
    assert sign_in(client).status_code == 302
    client.post("/uitloggen")
    assert (op.stats()["discovery"], op.stats()["jwks"]) == (1, 1)
    op.rotate_key()
    assert sign_in(client).status_code == 302  # the new kid is not in the cached set: fetched again
    assert op.stats()["jwks"] == 2


def test_the_provider_being_down_is_a_clear_message_beside_the_password_form(client, db, world):
    world.provider.issuer = "http://127.0.0.1:9"  # nothing listens there
    response = client.get("/inloggen/met/test")
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Test-inlogdienst is op dit moment niet bereikbaar" in body
    assert 'name="password"' in body


def test_the_provider_going_down_during_the_sign_in(client, db, world, op):
    callback, _start = authorize(client)
    op.stop()
    try:
        response = client.get(callback)
    finally:
        op.start()
    assert response.status_code == 503
    assert "niet bereikbaar" in response.get_data(as_text=True)


def test_an_unknown_or_disabled_provider_is_a_404(client, db, world):
    assert client.get("/inloggen/met/bestaat-niet").status_code == 404
    world.provider.enabled = False
    assert client.get("/inloggen/met/test").status_code == 404


def test_the_login_page_offers_the_enabled_providers(client, db, world):
    body = client.get("/inloggen").get_data(as_text=True)
    assert "Inloggen met Test-inlogdienst" in body
    assert 'href="/inloggen/met/test"' in body


def test_logout_ends_the_provider_session_too(client, db, world, op):
    assert sign_in(client).status_code == 302
    response = client.post("/uitloggen")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "U bent uitgelogd" in body
    location = html.unescape(re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', body).group(1))
    assert location.startswith(f"{op.issuer}/logout?")
    query = query_of(location)
    assert query["post_logout_redirect_uri"] == "http://127.0.0.1:5000/inloggen"  # BASE_URL, not the request
    assert query["id_token_hint"].count(".") == 2
    assert client.get("/").status_code == 302  # the local session has ended


def test_a_password_logout_stays_local(client, db, world):
    from tests.factories import PASSWORD, make_user

    make_user(email="olga@example.nl")
    client.post("/inloggen", data={"email": "olga@example.nl", "password": PASSWORD})
    assert client.post("/uitloggen").headers["Location"] == "/inloggen"


def test_control_characters_in_the_claims_never_reach_the_database(client, db, world, op):
    op.set_user(name="Sanne\x00 SSO", email="sso\x00@example.nl")
    response = sign_in(client)
    assert response.status_code == 403  # no usable verified address: no account
    op.set_user(sub="onderwerp\x00", name="Sanne\x00 SSO")
    response = sign_in(client)
    assert response.status_code == 400
    op.set_user(name="Sanne\x01 SSO")
    assert sign_in(client).status_code == 302
    assert db.session.scalar(select(User.name)) == "Sanne SSO"


def test_hostile_provider_names_and_answers_are_4xx(client, db, world):
    assert client.get("/inloggen/met/%00").status_code == 404
    assert client.get("/inloggen/met/" + "a" * 500).status_code == 404
    _callback, _start = authorize(client)
    response = client.get("/inloggen/met/test/terug?state=%00&code=" + "x" * 5000)
    assert response.status_code == 400
    _callback, _start = authorize(client)
    assert client.get("/inloggen/met/test/terug?error=access_denied&state=x").status_code == 400
