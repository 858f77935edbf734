import pytest

from app.auth.models import Role
from app.stakeholders.models import OrganisationType
from tests.factories import make_member, make_organisation


@pytest.fixture
def advisor(park):
    return make_member(Role.ADVISOR, park, name="Anouk Adviseur")


@pytest.fixture
def police(db):
    return make_organisation(name="Politie Midden-Nederland", type=OrganisationType.POLITIE)
