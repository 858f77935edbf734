"""Personal API tokens: created in the profile and shown once, stored hashed, revoked, last use recorded."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.api import tokens
from app.api.models import ApiScope, ApiToken
from app.audit.models import AuditEvent
from app.auth.models import Role
from app.errors import DomainError, NotAllowed
from tests.factories import make_member, make_membership, make_user

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def test_create_stores_only_the_hash_and_a_prefix(db, park):
    user = make_member(Role.ADVISOR, park)
    created = tokens.create_token(user, name="  Dashboard   raad ", scope=ApiScope.WRITE, now=NOW)
    token = created.token
    assert created.secret.startswith("vbt_") and len(created.secret) > 40
    assert token.token_hash == hashlib.sha256(created.secret.encode()).hexdigest()
    assert created.secret not in (token.token_hash, token.prefix)
    assert created.secret.startswith(token.prefix) and len(token.prefix) < len(created.secret)
    assert token.name == "Dashboard raad"
    assert token.scope == ApiScope.WRITE
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "api.token_created"))
    assert event.subject_id == str(token.id) and created.secret not in str(event.details)


def test_create_refuses_an_empty_name(db):
    with pytest.raises(DomainError):
        tokens.create_token(make_user(), name="  ", scope=ApiScope.READ, now=NOW)


def test_control_characters_in_the_name_become_spaces(db):
    """PostgreSQL cannot store a NUL: a name from the form never carries one."""
    created = tokens.create_token(make_user(), name="Dash\x00board\tgemeente\x7f", scope=ApiScope.READ, now=NOW)
    assert created.token.name == "Dash board gemeente"
    with pytest.raises(DomainError):
        tokens.create_token(make_user(), name="\x00\x01", scope=ApiScope.READ, now=NOW)


def test_authenticate_finds_the_token_and_records_last_use_once_a_minute(db):
    user = make_user()
    created = tokens.create_token(user, name="x", scope=ApiScope.READ, now=NOW)
    assert tokens.authenticate(created.secret, now=NOW) == created.token
    assert created.token.last_used_at == NOW
    assert tokens.authenticate(created.secret, now=NOW + timedelta(seconds=30)) == created.token
    assert created.token.last_used_at == NOW  # not written again within the minute
    tokens.authenticate(created.secret, now=NOW + timedelta(minutes=2))
    assert created.token.last_used_at == NOW + timedelta(minutes=2)


def test_authenticate_refuses_wrong_revoked_and_inactive(db):
    user = make_user()
    created = tokens.create_token(user, name="x", scope=ApiScope.READ, now=NOW)
    assert tokens.authenticate(created.secret + "x", now=NOW) is None
    assert tokens.authenticate("", now=NOW) is None
    assert tokens.authenticate(created.token.token_hash, now=NOW) is None  # the stored hash is no secret
    user.is_active = False
    assert tokens.authenticate(created.secret, now=NOW) is None
    user.is_active = True
    tokens.revoke_token(user, created.token, now=NOW)
    assert created.token.revoked_at == NOW
    assert tokens.authenticate(created.secret, now=NOW) is None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "api.token_revoked")) is not None


def test_only_the_owner_revokes(db):
    created = tokens.create_token(make_user(), name="x", scope=ApiScope.READ, now=NOW)
    with pytest.raises(NotAllowed):
        tokens.revoke_token(make_user(), created.token, now=NOW)
    assert created.token.revoked_at is None


def test_profile_links_to_the_tokens_page(login_as, db):
    page = login_as(make_user()).get("/profiel").get_data(as_text=True)
    assert "/profiel/api-sleutels/" in page


def test_create_in_the_profile_shows_the_secret_once(login_as, db, park):
    user = make_member(Role.PARTNER, park)
    client = login_as(user)
    response = client.post("/profiel/api-sleutels/", data={"name": "Dashboard", "scope": "write"})
    assert response.status_code == 200
    token = db.session.scalar(select(ApiToken))
    body = response.get_data(as_text=True)
    secret = body.split('id="new-secret" type="text" value="', 1)[1].split('"', 1)[0]
    assert secret.startswith("vbt_") and tokens.hash_secret(secret) == token.token_hash
    assert token.scope == ApiScope.WRITE and token.user_id == user.id
    assert response.headers["Cache-Control"] == "no-store"
    again = client.get("/profiel/api-sleutels/").get_data(as_text=True)
    assert secret not in again
    assert token.prefix in again and "Dashboard" in again and "nooit" in again


def test_create_without_name_shows_the_error(login_as, db):
    response = login_as(make_user()).post("/profiel/api-sleutels/", data={"name": "", "scope": "read"})
    assert response.status_code == 422
    assert db.session.scalar(select(ApiToken)) is None


def test_revoke_in_the_profile(login_as, db, make_token):
    user = make_user()
    secret = make_token(user)
    token = db.session.scalar(select(ApiToken))
    client = login_as(user)
    response = client.post(f"/profiel/api-sleutels/{token.id}/intrekken")
    assert response.status_code == 302
    db.session.refresh(token)
    assert token.revoked_at is not None
    assert tokens.authenticate(secret, now=datetime.now(UTC)) is None


def test_revoke_needs_the_csrf_token(login_as, db, make_token):
    user = make_user()
    make_token(user)
    token = db.session.scalar(select(ApiToken))
    response = login_as(user).post(f"/profiel/api-sleutels/{token.id}/intrekken", csrf=False)
    assert response.status_code == 400
    db.session.refresh(token)
    assert token.revoked_at is None


def test_another_users_token_cannot_be_revoked(login_as, db, make_token):
    make_token(make_user())
    token = db.session.scalar(select(ApiToken))
    response = login_as(make_user()).post(f"/profiel/api-sleutels/{token.id}/intrekken")
    assert response.status_code == 404
    db.session.refresh(token)
    assert token.revoked_at is None


def test_tokens_page_needs_a_login(client, db):
    assert client.get("/profiel/api-sleutels/").status_code == 302


# Who may make a token that writes ----------------------------------------------------------------------------

#: the roles that write something through the API (written out, not derived from the policy)
WRITERS = {Role.ADVISOR, Role.MUNICIPALITY, Role.PARTNER, Role.ENTREPRENEUR, Role.CAMERA_OFFICER}


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_only_a_role_that_writes_through_the_api_gets_a_write_token(db, park, role):
    user = make_member(role, park)
    assert tokens.may_write(user) == (role in WRITERS)
    if role in WRITERS:
        assert tokens.create_token(user, name="x", scope=ApiScope.WRITE, now=NOW).token.scope == ApiScope.WRITE
    else:
        with pytest.raises(DomainError, match="alleen leest"):
            tokens.create_token(user, name="x", scope=ApiScope.WRITE, now=NOW)
    assert tokens.create_token(user, name="y", scope=ApiScope.READ, now=NOW).token.scope == ApiScope.READ


def test_any_membership_that_writes_counts_and_expired_ones_do_not(db, park, other_park):
    auditor = make_member(Role.AUDITOR, park)
    assert not tokens.may_write(make_user()) and not tokens.may_write(auditor)
    make_membership(auditor, Role.PARTNER, park=other_park, ends_on=date.today() - timedelta(days=1))
    assert not tokens.may_write(auditor)
    make_membership(auditor, Role.MUNICIPALITY, municipality=other_park.municipality)
    assert tokens.may_write(auditor)
    assert tokens.may_write(make_user(is_admin=True))


def test_the_page_offers_an_auditor_only_a_read_token_and_refuses_a_forged_write(login_as, db, park):
    client = login_as(make_member(Role.AUDITOR, park))
    page = client.get("/profiel/api-sleutels/").get_data(as_text=True)
    assert 'value="read"' in page and 'value="write"' not in page
    assert "Uw rollen geven geen rechten om via de API gegevens te wijzigen." in page
    response = client.post("/profiel/api-sleutels/", data={"name": "Dossier", "scope": "write"})
    assert response.status_code == 422
    assert "Maak een sleutel die alleen leest." in response.get_data(as_text=True)
    assert db.session.scalar(select(ApiToken)) is None
    assert client.post("/profiel/api-sleutels/", data={"name": "Dossier", "scope": "read"}).status_code == 200
    assert db.session.scalar(select(ApiToken)).scope == ApiScope.READ


def test_the_page_offers_a_writer_both_and_refuses_an_unknown_scope(login_as, db, park):
    client = login_as(make_member(Role.PARTNER, park))
    page = client.get("/profiel/api-sleutels/").get_data(as_text=True)
    assert 'value="read"' in page and 'value="write"' in page
    response = client.post("/profiel/api-sleutels/", data={"name": "Koppeling", "scope": "admin"})
    assert response.status_code == 422 and "Kies alleen lezen" in response.get_data(as_text=True)
    assert db.session.scalar(select(ApiToken)) is None
