"""The home page: one section per role, and the pages across parks that managers follow."""

from __future__ import annotations

import pytest

from app.auth.models import Role
from tests.factories import make_member, make_user


@pytest.mark.parametrize(
    ("role", "links", "cameras"),
    [
        (Role.MUNICIPALITY, True, True),
        (Role.ADVISOR, True, True),
        (Role.CAMERA_OFFICER, False, True),
        (Role.PARTNER, False, False),
    ],
)
def test_managers_find_the_overviews_on_their_home_page(login_as, park, role, links, cameras):
    page = login_as(make_member(role, park)).get("/").get_data(as_text=True)
    assert f'href="/parken/{park.id}"' in page
    assert ('href="/voortgang/"' in page) is links
    assert ('href="/parken/"' in page) is links
    assert ('href="/cameras/"' in page) is cameras


def test_user_without_memberships_sees_an_explanation(login_as, db):
    body = login_as(make_user()).get("/").get_data(as_text=True)
    assert "nog geen rol" in body
