from __future__ import annotations

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Membership, Role, User
from app.parks.models import Park
from app.stakeholders.models import Organisation, OrganisationType
from tests.factories import make_membership, make_organisation, make_user


def _audit_actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action)))


def test_admin_lists_and_searches_users(login_as, admin, db):
    make_user(email="olga@example.nl", name="Olga Ondernemer")
    make_user(email="peter@example.nl", name="Peter Politie")
    body = login_as(admin).get("/beheer/gebruikers?q=olga").get_data(as_text=True)
    assert "Olga Ondernemer" in body and "Peter Politie" not in body


def test_invite_refuses_duplicate_address_with_a_message(login_as, admin, db, outbox):
    make_user(email="olga@example.nl")
    response = login_as(admin).post(
        "/beheer/gebruikers/nieuw",
        data={"email": "olga@example.nl", "name": "Olga", "organisation_id": "0", "locale": "nl"},
    )
    assert response.status_code == 422
    assert "Er bestaat al een account met dit e-mailadres." in response.get_data(as_text=True)
    assert outbox() == []


def test_admin_edits_a_user(login_as, admin, db):
    police = make_organisation(name="Politie Midden-Nederland", type=OrganisationType.POLITIE)
    user = make_user(name="Peter")
    response = login_as(admin).post(
        f"/beheer/gebruikers/{user.id}",
        data={"user-name": "Peter Politie", "user-organisation_id": str(police.id), "user-is_active": "y"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(User, user.id)
    assert (saved.name, saved.organisation_id, saved.is_admin) == ("Peter Politie", police.id, False)
    assert "auth.user_updated" in _audit_actions(db)


def test_admin_grants_and_revokes_a_role(login_as, admin, park, db):
    user = make_user()
    client = login_as(admin)
    response = client.post(
        f"/beheer/gebruikers/{user.id}/rollen",
        data={"membership-role": "advisor", "membership-scope": f"park:{park.id}"},
    )
    assert response.status_code == 302
    membership = db.session.scalars(select(Membership).where(Membership.user_id == user.id)).one()
    assert (membership.role, membership.park_id) == (Role.ADVISOR, park.id)
    assert client.post(f"/beheer/rollen/{membership.id}/intrekken").status_code == 302
    assert db.session.scalars(select(Membership).where(Membership.user_id == user.id)).all() == []
    assert {"auth.role_granted", "auth.role_revoked"} <= set(_audit_actions(db))


def test_role_grant_errors_are_shown_on_the_user_page(login_as, admin, park, db):
    user = make_user()
    response = login_as(admin).post(
        f"/beheer/gebruikers/{user.id}/rollen",
        data={"membership-role": "auditor", "membership-scope": f"park:{park.id}"},
    )
    assert response.status_code == 422
    assert "vul een einddatum in" in response.get_data(as_text=True)
    response = login_as(admin).post(
        f"/beheer/gebruikers/{user.id}/rollen", data={"membership-role": "wizard", "membership-scope": "park:999"}
    )
    assert response.status_code == 422


def test_municipality_wide_role(login_as, admin, park, db):
    user = make_user()
    login_as(admin).post(
        f"/beheer/gebruikers/{user.id}/rollen",
        data={"membership-role": "municipality", "membership-scope": f"gemeente:{park.municipality_id}"},
    )
    membership = db.session.scalars(select(Membership).where(Membership.user_id == user.id)).one()
    assert membership.municipality_id == park.municipality_id and membership.park_id is None


def test_resend_invitation(login_as, admin, db, outbox):
    invited = make_user(password=None)
    assert login_as(admin).post(f"/beheer/gebruikers/{invited.id}/uitnodiging").status_code == 302
    assert [mail.recipient for mail in outbox()] == [invited.email]
    active = make_user()
    assert login_as(admin).post(f"/beheer/gebruikers/{active.id}/uitnodiging").status_code == 400


def test_organisations_are_created_and_renamed(login_as, admin, db):
    client = login_as(admin)
    assert client.post("/beheer/organisaties", data={"name": "Douane Utrecht", "type": "douane"}).status_code == 302
    duplicate = client.post("/beheer/organisaties", data={"name": "Douane Utrecht", "type": "douane"})
    assert duplicate.status_code == 422
    organisation = db.session.scalars(select(Organisation)).one()
    assert (
        client.post(
            f"/beheer/organisaties/{organisation.id}", data={"name": "Douane Midden", "type": "douane"}
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(Organisation, organisation.id).name == "Douane Midden"
    assert client.post("/beheer/organisaties", data={"name": "X", "type": "secret-service"}).status_code == 422


def test_park_page_shows_members_only_to_managers(login_as, park, db):
    advisor = make_user(name="Anouk Adviseur")
    make_membership(advisor, Role.ADVISOR, park=park)
    entrepreneur = make_user(name="Olga Ondernemer")
    make_membership(entrepreneur, Role.ENTREPRENEUR, park=park)
    assert "Olga Ondernemer" in login_as(advisor).get(f"/parken/{park.id}").get_data(as_text=True)
    assert "Anouk Adviseur" not in login_as(entrepreneur).get(f"/parken/{park.id}").get_data(as_text=True)


def test_merge_shows_what_moves_then_merges_on_confirmation(login_as, admin, park, db):
    from tests.factories import make_park

    keep = make_organisation(name="Gemeente Utrecht")
    duplicate = make_organisation(name="Gemeente  Utrecht.")
    employee = make_user(organisation=duplicate)
    moved_park = make_park(name="Papendorp", municipality=duplicate)
    duplicate_id = duplicate.id
    client = login_as(admin)
    edit = client.get(f"/beheer/organisaties/{duplicate.id}").get_data(as_text=True)
    assert f"/beheer/organisaties/{duplicate.id}/samenvoegen" in edit
    choose = client.get(f"/beheer/organisaties/{duplicate.id}/samenvoegen").get_data(as_text=True)
    assert "Opnemen in Gemeente Utrecht (Gemeente)" in choose  # the look-alike is offered first
    preview = client.get(f"/beheer/organisaties/{duplicate.id}/samenvoegen?into={keep.id}")
    body = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "1 gebruikers die voor de organisatie werken" in body and "1 parken in de gemeente" in body
    assert "Ja, Gemeente  Utrecht. opnemen in Gemeente Utrecht" in body.replace("&nbsp;", " ")
    assert db.session.get(Organisation, duplicate.id) is not None  # looking changes nothing
    response = client.post(f"/beheer/organisaties/{duplicate.id}/samenvoegen", data={"into": str(keep.id)})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/beheer/organisaties/{keep.id}")
    db.session.expire_all()
    assert db.session.get(Organisation, duplicate_id) is None
    assert db.session.get(User, employee.id).organisation_id == keep.id
    assert db.session.get(Park, moved_park.id).municipality_id == keep.id
    assert "stakeholders.organisations_merged" in _audit_actions(db)


def test_a_refused_merge_changes_nothing_and_says_why(login_as, admin, db):
    police = make_organisation(name="Politie Utrecht", type=OrganisationType.POLITIE)
    douane = make_organisation(name="Douane Utrecht", type=OrganisationType.DOUANE)
    client = login_as(admin)
    preview = client.get(f"/beheer/organisaties/{douane.id}/samenvoegen?into={police.id}").get_data(as_text=True)
    assert "Maak het soort eerst gelijk." in preview and "Ja, Douane Utrecht opnemen" not in preview
    refused = client.post(
        f"/beheer/organisaties/{douane.id}/samenvoegen", data={"into": str(police.id)}, follow_redirects=True
    )
    assert "Maak het soort eerst gelijk." in refused.get_data(as_text=True)
    missing = client.post(f"/beheer/organisaties/{douane.id}/samenvoegen", data={"into": "999999"})
    assert missing.status_code == 303
    assert client.post(f"/beheer/organisaties/{douane.id}/samenvoegen", data={}, csrf=False).status_code == 400
    assert db.session.get(Organisation, douane.id) is douane
    assert "stakeholders.organisations_merged" not in _audit_actions(db)


def test_only_admins_merge(login_as, park, db):
    from tests.factories import make_member

    duplicate = make_organisation(name="Politie X", type=OrganisationType.POLITIE)
    client = login_as(make_member(Role.ADVISOR, park))
    assert client.get(f"/beheer/organisaties/{duplicate.id}/samenvoegen").status_code == 403
    assert client.post(f"/beheer/organisaties/{duplicate.id}/samenvoegen", data={"into": "1"}).status_code == 403
    assert db.session.get(Organisation, duplicate.id) is duplicate
