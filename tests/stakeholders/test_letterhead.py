"""An organisation's letterhead ("Briefpapier en logo"): who may set it, the service's checks and audit, the logo
stored like every photo and served only after the check, and the pages."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.auth.policy import may_edit_organisation
from app.errors import DomainError, NotAllowed
from app.extensions import db as _db
from app.stakeholders import letterhead
from app.stakeholders.logos import FOLDER, read_logo
from app.stakeholders.models import OrganisationType
from tests.conftest import stored_keys
from tests.factories import image_bytes, make_member, make_membership, make_organisation, make_user

NOT_AN_IMAGE = b"MZ\x90\x00 this is a program, not a logo"


@pytest.fixture
def stored(upload_storage):
    """stored() -> the stored names of the logos; the test runs with a fresh upload folder and a fresh bucket."""
    return lambda: [key.removeprefix(f"{FOLDER}/") for key in stored_keys(upload_storage, FOLDER)]


@pytest.fixture
def municipality(park):
    return park.municipality


@pytest.fixture
def officer(park, municipality):
    """The municipality officer, who works for the park's municipality."""
    return make_member(Role.MUNICIPALITY, park, name="Gerda Gemeente", organisation=municipality)


# Who may --------------------------------------------------------------------------------------------------------


def test_who_may_set_an_organisations_letterhead(park, municipality, officer, admin):
    police = make_organisation(name="Politie", type=OrganisationType.POLITIE)
    partner = make_member(Role.PARTNER, park, organisation=police)
    entrepreneur = make_member(Role.ENTREPRENEUR, park, organisation=municipality)
    stranger = make_user(organisation=municipality)  # works there, but holds no role
    expired = make_user(organisation=municipality)
    make_membership(expired, Role.MUNICIPALITY, park=park, ends_on=date.today() - timedelta(days=1))

    assert may_edit_organisation(admin, municipality) and may_edit_organisation(admin, police)
    assert may_edit_organisation(officer, municipality) and not may_edit_organisation(officer, police)
    assert may_edit_organisation(partner, police) and not may_edit_organisation(partner, municipality)
    assert not may_edit_organisation(entrepreneur, municipality)
    assert not may_edit_organisation(stranger, municipality)
    assert not may_edit_organisation(expired, municipality)
    assert not may_edit_organisation(None, municipality)
    officer.is_active = False
    assert not may_edit_organisation(officer, municipality)


# The service ----------------------------------------------------------------------------------------------------


def test_the_letterhead_is_set_cleaned_and_audited(db, municipality, officer):
    letterhead.update_letterhead(
        officer,
        municipality,
        address="  Postbus 16200 \r\n\r\n3500   CE Utrecht\n",
        signatory_name=" drs.  J. Jansen ",
        signatory_function="burgemeester",
    )
    assert municipality.letter_address == "Postbus 16200\n3500 CE Utrecht"
    assert (municipality.signatory_name, municipality.signatory_function) == ("drs. J. Jansen", "burgemeester")
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "stakeholders.letterhead_updated")).one()
    assert event.actor_id == officer.id and event.details["signatory"] == "drs. J. Jansen"


@pytest.mark.parametrize(
    ("address", "name", "function", "message"),
    [
        ("Postbus 1", "", "burgemeester", "naam van de ondertekenaar"),
        ("1\n2\n3\n4\n5", "J. Jansen", "", "hoogstens 4 regels"),
        ("x" * 81, "J. Jansen", "", "hoogstens 80 tekens"),
        ("", "J" * 201, "", "te lang"),
    ],
)
def test_a_letterhead_that_cannot_be_printed_is_refused(db, municipality, officer, address, name, function, message):
    with pytest.raises(DomainError, match=message):
        letterhead.update_letterhead(
            officer, municipality, address=address, signatory_name=name, signatory_function=function
        )


def test_someone_elses_letterhead_is_not_allowed(db, park, municipality):
    partner = make_member(Role.PARTNER, park, organisation=make_organisation(type=OrganisationType.POLITIE))
    with pytest.raises(NotAllowed):
        letterhead.update_letterhead(partner, municipality, address="", signatory_name="X", signatory_function="")
    with pytest.raises(NotAllowed):
        letterhead.set_logo(partner, municipality, image_bytes())


def test_a_logo_is_checked_stored_replaced_and_removed(db, municipality, officer, stored):
    first, previous = letterhead.set_logo(officer, municipality, image_bytes("PNG", size=(300, 100), mode="RGBA"))
    assert previous is None and municipality.logo_name == first
    assert stored() == [first]
    with Image.open(io.BytesIO(read_logo(municipality))) as jpeg:
        assert jpeg.format == "JPEG"

    second, previous = letterhead.set_logo(officer, municipality, image_bytes())
    assert previous == first and municipality.logo_name == second
    with pytest.raises(DomainError):
        letterhead.set_logo(officer, municipality, NOT_AN_IMAGE)
    assert municipality.logo_name == second

    assert letterhead.remove_logo(officer, municipality) == second
    assert municipality.logo_name is None
    with pytest.raises(DomainError, match="geen logo"):
        letterhead.remove_logo(officer, municipality)
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("stakeholders.logo%"))).all()
    assert sorted(actions) == ["stakeholders.logo_removed", "stakeholders.logo_set", "stakeholders.logo_set"]


def test_when_the_row_cannot_be_written_the_new_logo_file_is_removed(db, municipality, officer, stored, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(letterhead.audit, "record", broken)
    with pytest.raises(RuntimeError):
        letterhead.set_logo(officer, municipality, image_bytes())
    assert stored() == []


# The pages ------------------------------------------------------------------------------------------------------


def _url(organisation, suffix: str = "briefpapier") -> str:
    return f"/organisaties/{organisation.id}/{suffix}"


def test_the_officer_sets_the_letterhead_and_logo_through_the_page(login_as, municipality, officer, stored):
    client = login_as(officer)
    profile = client.get("/profiel").get_data(as_text=True)
    assert f'href="{_url(municipality)}"' in profile

    page = client.get(_url(municipality))
    assert page.status_code == 200 and "Nog geen logo" in page.get_data(as_text=True)
    response = client.post(
        _url(municipality),
        data={
            "letter_address": "Postbus 1\n3500 AA Utrecht",
            "signatory_name": "J. Jansen",
            "signatory_function": "burgemeester",
        },
    )
    assert response.status_code == 302
    _db.session.expire_all()
    assert municipality.signatory_name == "J. Jansen" and municipality.letter_address == "Postbus 1\n3500 AA Utrecht"

    response = client.post(
        _url(municipality, "briefpapier/logo"), data={"logo": (io.BytesIO(image_bytes("PNG")), "logo.png")}
    )
    assert response.status_code == 302
    _db.session.expire_all()
    first = municipality.logo_name
    page = client.get(_url(municipality)).get_data(as_text=True)
    assert f'src="{_url(municipality, "logo.jpg")}"' in page
    served = client.get(_url(municipality, "logo.jpg"))
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"

    # replaced: the old file goes once the new one is committed
    client.post(_url(municipality, "briefpapier/logo"), data={"logo": (io.BytesIO(image_bytes()), "nieuw.jpg")})
    _db.session.expire_all()
    assert municipality.logo_name != first and stored() == [municipality.logo_name]

    # removed, after the confirmation
    assert client.post(_url(municipality, "briefpapier/logo/verwijderen")).status_code == 200  # the question
    assert stored() != []
    response = client.post(_url(municipality, "briefpapier/logo/verwijderen"), data={"bevestigd": "ja"})
    assert response.status_code == 302
    _db.session.expire_all()
    assert municipality.logo_name is None and stored() == []


def test_a_file_that_is_no_image_is_refused_with_a_message(login_as, municipality, officer, stored):
    response = login_as(officer).post(
        _url(municipality, "briefpapier/logo"), data={"logo": (io.BytesIO(NOT_AN_IMAGE), "logo.png")}
    )
    assert response.status_code == 422
    assert "geen foto" in response.get_data(as_text=True)
    _db.session.expire_all()
    assert municipality.logo_name is None and stored() == []


def test_a_new_logo_is_removed_when_the_commit_fails(login_as, municipality, officer, failing_commit, stored):
    client = login_as(officer)
    with pytest.raises(RuntimeError, match="database gone"):
        client.post(_url(municipality, "briefpapier/logo"), data={"logo": (io.BytesIO(image_bytes()), "logo.jpg")})
    assert len(failing_commit) == 2 and stored() == []


def test_an_invalid_letterhead_is_shown_with_its_message(login_as, municipality, officer):
    response = login_as(officer).post(
        _url(municipality), data={"letter_address": "", "signatory_name": "", "signatory_function": "burgemeester"}
    )
    assert response.status_code == 422
    assert "Vul ook de naam van de ondertekenaar in." in response.get_data(as_text=True)


def test_others_get_no_letterhead_page_nor_logo(login_as, park, municipality, officer, stored):
    letterhead.set_logo(officer, municipality, image_bytes())
    _db.session.commit()
    entrepreneur = make_member(Role.ENTREPRENEUR, park, organisation=municipality)
    partner = make_member(Role.PARTNER, park, organisation=make_organisation(type=OrganisationType.POLITIE))
    for user in (entrepreneur, partner):
        client = login_as(user)
        assert client.get(_url(municipality)).status_code == 403
        assert client.get(_url(municipality, "logo.jpg")).status_code == 403
        assert client.post(_url(municipality), data={"signatory_name": "X"}).status_code == 403
        assert f'href="{_url(municipality)}"' not in client.get("/profiel").get_data(as_text=True)
    _db.session.expire_all()
    assert municipality.signatory_name == ""


def test_the_admin_reaches_every_organisations_letterhead(login_as, admin, municipality):
    client = login_as(admin)
    page = client.get(f"/beheer/organisaties/{municipality.id}").get_data(as_text=True)
    assert f'href="{_url(municipality)}"' in page
    assert client.get(_url(municipality)).status_code == 200
