"""A new park without an admin: advisors and municipality officers register parks in their own municipalities."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Membership, Role
from app.auth.policy import roles_on
from app.errors import DomainError, NotAllowed
from app.parks.models import Park, Track
from app.parks.services import create_park, municipalities_for_new_park
from app.stakeholders.models import OrganisationType
from tests.factories import make_membership, make_organisation, make_park, make_user

NOW = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)


@pytest.fixture
def cities(db):
    return make_organisation(name="Gemeente Amersfoort"), make_organisation(name="Gemeente Utrecht")


def test_an_advisor_may_create_parks_in_the_municipalities_of_the_parks_they_advise(db, cities):
    amersfoort, utrecht = cities
    advisor = make_user()
    make_membership(advisor, Role.ADVISOR, park=make_park(municipality=amersfoort))
    assert municipalities_for_new_park(advisor, today=NOW.date()) == [amersfoort]

    park = create_park(advisor, name=" Eemhaven ", municipality=amersfoort, now=NOW, track=Track.KVO)

    assert (park.name, park.track, park.cycles[0].current_step) == ("Eemhaven", Track.KVO, 1)
    # the advisor of single parks becomes the new park's advisor: it is theirs to run from the start
    assert roles_on(advisor, park, today=NOW.date()) == {Role.ADVISOR}
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "parks.park_created")).one()
    assert event.details == {"name": "Eemhaven", "track": "kvo", "member_as": "advisor"}
    with pytest.raises(NotAllowed):
        create_park(advisor, name="Elders", municipality=utrecht, now=NOW)


def test_a_municipality_officer_needs_no_extra_role_on_the_park_they_create(db, cities):
    amersfoort, _utrecht = cities
    officer = make_user()
    make_membership(officer, Role.MUNICIPALITY, municipality=amersfoort)

    park = create_park(officer, name="Isselt", municipality=amersfoort, now=NOW)

    assert roles_on(officer, park, today=NOW.date()) == {Role.MUNICIPALITY}
    assert db.session.scalars(select(Membership).where(Membership.park_id == park.id)).all() == []


@pytest.mark.parametrize("role", [Role.ENTREPRENEUR, Role.PARTNER, Role.CAMERA_OFFICER, Role.AUDITOR])
def test_other_roles_may_create_no_park(db, cities, role):
    amersfoort, _utrecht = cities
    user = make_user()
    make_membership(user, role, park=make_park(municipality=amersfoort))
    assert municipalities_for_new_park(user, today=NOW.date()) == []
    with pytest.raises(NotAllowed):
        create_park(user, name="Eemhaven", municipality=amersfoort, now=NOW)


def test_an_expired_role_counts_for_nothing(db, cities):
    amersfoort, _utrecht = cities
    advisor = make_user()
    make_membership(advisor, Role.ADVISOR, park=make_park(municipality=amersfoort), ends_on=NOW.date().replace(day=1))
    assert municipalities_for_new_park(advisor, today=NOW.date()) == []


def test_names_are_unique_per_municipality_and_parks_lie_in_a_municipality(db, cities):
    amersfoort, _utrecht = cities
    admin = make_user(is_admin=True)
    create_park(admin, name="Eemhaven", municipality=amersfoort, now=NOW)
    with pytest.raises(DomainError, match="al een park"):
        create_park(admin, name="Eemhaven", municipality=amersfoort, now=NOW)
    with pytest.raises(DomainError, match="gemeente"):
        create_park(admin, name="Elders", municipality=make_organisation(type=OrganisationType.POLITIE), now=NOW)


def test_the_page_offers_the_users_municipalities_and_creates_the_park(login_as, db, cities):
    amersfoort, utrecht = cities
    advisor = make_user()
    make_membership(advisor, Role.ADVISOR, park=make_park(municipality=amersfoort))
    client = login_as(advisor)

    page = client.get("/parken/nieuw")
    assert page.status_code == 200
    assert "Gemeente Amersfoort" in page.text and "Gemeente Utrecht" not in page.text
    response = client.post(
        "/parken/nieuw", data={"name": "Eemhaven", "municipality_id": str(amersfoort.id), "track": "pvo"}
    )
    park = db.session.scalars(select(Park).where(Park.name == "Eemhaven")).one()
    assert response.status_code == 302 and response.location.endswith(f"/parken/{park.id}")
    assert client.get(response.location).status_code == 200

    # a municipality not offered (forged), a name taken, a track that does not exist: 422, nothing written
    for data in (
        {"name": "Elders", "municipality_id": str(utrecht.id), "track": "pvo"},
        {"name": "Eemhaven", "municipality_id": str(amersfoort.id), "track": "pvo"},
        {"name": "Anders", "municipality_id": str(amersfoort.id), "track": "gold"},
        {"name": "", "municipality_id": str(amersfoort.id), "track": "pvo"},
    ):
        assert client.post("/parken/nieuw", data=data).status_code == 422
    assert db.session.scalar(select(Park).where(Park.name.in_(["Elders", "Anders"]))) is None


def test_the_page_is_refused_to_who_may_create_no_park(login_as, db, cities):
    amersfoort, _utrecht = cities
    entrepreneur = make_user()
    make_membership(entrepreneur, Role.ENTREPRENEUR, park=make_park(municipality=amersfoort))
    client = login_as(entrepreneur)
    assert client.get("/parken/nieuw").status_code == 403
    assert client.post("/parken/nieuw", data={"name": "X", "municipality_id": str(amersfoort.id)}).status_code == 403
