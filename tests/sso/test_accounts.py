"""Linking through an invitation, and the organisations whose people may sign in only through their provider."""

from __future__ import annotations

from sqlalchemy import select

from app.auth import services as auth_services
from app.auth.models import Role, User
from app.sso.models import IdentityLink
from app.stakeholders.models import OrganisationType
from tests.factories import PASSWORD, make_membership, make_organisation, make_park, make_user
from tests.sso.conftest import sign_in


def _invitation_token(app, user) -> str:
    return auth_services.make_token(user, auth_services.INVITATION, secret_key=app.config["SECRET_KEY"])


def test_the_invitation_page_offers_the_providers(client, db, world, app):
    invited = make_user(email="iemand@example.nl", password=None)
    token = _invitation_token(app, invited)
    body = client.get(f"/uitnodiging/{token}").get_data(as_text=True)
    assert "Inloggen met Test-inlogdienst" in body
    assert f"/inloggen/met/test?uitnodiging={token}" in body


def test_an_invitation_links_the_subject_to_the_invited_account(client, db, world, app, op):
    invited = make_user(email="iemand@example.nl", name="Iemand", password=None)
    make_membership(invited, Role.PARTNER, park=make_park(municipality=world.municipality))
    # the provider knows the person by another address and without a mapped group: the invitation decides
    op.set_user(sub="partner-7", email="p.iemand@politie.example", groups=[])
    response = sign_in(client, f"/inloggen/met/test?uitnodiging={_invitation_token(app, invited)}")
    assert response.status_code == 302
    link = db.session.scalar(select(IdentityLink))
    assert (link.subject, link.user_id) == ("partner-7", invited.id)
    assert "Welkom, Iemand" in client.get("/").get_data(as_text=True)
    client.post("/uitloggen")
    # from now on the subject alone signs in to that account
    assert sign_in(client).status_code == 302
    assert len(db.session.scalars(select(User)).all()) == 1


def test_a_forged_invitation_link_is_refused(client, db, world):
    response = client.get("/inloggen/met/test?uitnodiging=vals")
    assert response.status_code == 400
    assert "Deze link is ongeldig." in response.get_data(as_text=True)


def test_an_account_links_to_one_subject_per_provider(client, db, world, app, op):
    invited = make_user(email="iemand@example.nl", password=None)
    token = _invitation_token(app, invited)
    op.set_user(sub="eerste", groups=[])
    assert sign_in(client, f"/inloggen/met/test?uitnodiging={token}").status_code == 302
    client.post("/uitloggen")
    op.set_user(sub="tweede", groups=[])
    response = sign_in(client, f"/inloggen/met/test?uitnodiging={token}")
    assert response.status_code == 400
    assert len(db.session.scalars(select(IdentityLink)).all()) == 1


def test_a_blocked_account_does_not_sign_in(client, db, world):
    assert sign_in(client).status_code == 302
    client.post("/uitloggen")
    db.session.scalar(select(User)).is_active = False
    response = sign_in(client)
    assert response.status_code == 403
    assert "geblokkeerd" in response.get_data(as_text=True)


def test_password_login_switched_off_refuses_the_password_but_not_the_provider(client, db, world):
    user = make_user(email="ambtenaar@example.nl", organisation=world.municipality)
    world.municipality.password_login = False
    response = client.post("/inloggen", data={"email": "ambtenaar@example.nl", "password": PASSWORD})
    assert response.status_code == 400
    assert "logt in via de eigen inlogdienst" in response.get_data(as_text=True)
    assert user.last_login_at is None
    # a wrong password still gets the usual answer, which reveals nothing
    response = client.post("/inloggen", data={"email": "ambtenaar@example.nl", "password": "fout"})
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar." in response.get_data(as_text=True)
    assert sign_in(client).status_code == 302


def test_entrepreneurs_keep_their_password(client, db, world):
    user = make_user(email="ondernemer@example.nl", organisation=world.municipality)
    make_membership(user, Role.ENTREPRENEUR, park=make_park(municipality=world.municipality))
    world.municipality.password_login = False
    response = client.post("/inloggen", data={"email": "ondernemer@example.nl", "password": PASSWORD})
    assert response.status_code == 302


def test_other_organisations_keep_the_password_form(client, db, world):
    make_user(email="politie@example.nl", organisation=make_organisation(type=OrganisationType.POLITIE))
    world.municipality.password_login = False
    response = client.post("/inloggen", data={"email": "politie@example.nl", "password": PASSWORD})
    assert response.status_code == 302
