"""Role x endpoint: who gets 200, 403, 404 or the login page, on their own park and on another park."""

from __future__ import annotations

import pytest

from app.auth.models import Role
from tests.factories import make_member, make_user

# (path template, roles that get 200 on their own park); other roles get 403; admins always 200.
MANAGERS = {Role.ADVISOR, Role.MUNICIPALITY}
PARK_PAGES = [
    ("/parken/{park}", set(Role)),
    ("/parken/{park}/gebied/", set(Role)),
    ("/parken/{park}/bedrijven/", MANAGERS | {Role.AUDITOR}),
    ("/parken/{park}/bedrijven/nieuw", MANAGERS),
    ("/parken/{park}/bedrijven/importeren", MANAGERS),
    ("/parken/{park}/bedrijven/exporteren?format=csv", MANAGERS | {Role.AUDITOR}),
    ("/parken/{park}/deelnemers/", set(Role)),
    ("/parken/{park}/deelnemers/intentieverklaring.pdf", set(Role)),
    ("/parken/{park}/enquete/uitnodigingen/", MANAGERS),
]
ADMIN_PAGES = [
    "/beheer/",
    "/beheer/gebruikers",
    "/beheer/gebruikers/nieuw",
    "/beheer/organisaties",
    "/beheer/parken/nieuw",
]


@pytest.mark.parametrize(("template", "allowed"), PARK_PAGES)
def test_park_pages_by_role(login_as, park, other_park, role, template, allowed):
    client = login_as(make_member(role, park))
    assert client.get(template.format(park=park.id)).status_code == (200 if role in allowed else 403)
    assert client.get(template.format(park=other_park.id)).status_code == 403


@pytest.mark.parametrize("template", [t for t, _ in PARK_PAGES])
def test_park_pages_for_unknown_ids_are_404(login_as, admin, template):
    client = login_as(admin)
    for bad in ("999999", str(2**31), str(2**80)):
        assert client.get(template.format(park=bad)).status_code == 404


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_are_for_admins_only(login_as, park, admin, role, path):
    assert login_as(make_member(role, park)).get(path).status_code == 403
    assert login_as(admin).get(path).status_code == 200


def test_every_page_sends_anonymous_visitors_to_login(client, park):
    for path in [t.format(park=park.id) for t, _ in PARK_PAGES] + ADMIN_PAGES + ["/", "/parken/", "/audit/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/inloggen"), path


def test_audit_page_by_role(login_as, park, role):
    response = login_as(make_member(role, park)).get("/audit/")
    assert response.status_code == (200 if role in {Role.ADVISOR, Role.MUNICIPALITY} else 403)


def test_user_without_memberships_sees_an_explanation(login_as, db):
    body = login_as(make_user()).get("/").get_data(as_text=True)
    assert "nog geen rol" in body
