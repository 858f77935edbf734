"""The company register: field rules, editing, companies outside the area, and who may see or change it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.errors import DomainError, NotAllowed
from app.parks import companies
from app.parks.models import Company
from tests.factories import make_company, make_member, make_park

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
# A small park near Utrecht: lon 5.05-5.07, lat 52.10-52.11
AREA = {
    "type": "Polygon",
    "coordinates": [[[5.05, 52.10], [5.07, 52.10], [5.07, 52.11], [5.05, 52.11], [5.05, 52.10]]],
}
INSIDE = (52.105, 5.06)
OUTSIDE = (52.2, 5.3)
VALID = {
    "name": "Bakkerij De Korenaar",
    "kvk_number": "30123456",
    "street": "Industrieweg",
    "house_number": "12",
    "house_number_addition": "",
    "postcode": "3542 AD",
    "sector": "Voedingsmiddelen",
    "email": "info@korenaar.nl",
    "lat": "",
    "lon": "",
}


def _actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# --- field rules --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("3542 AD", "3542AD"),
        ("3542ad", "3542AD"),
        (" 3542  Ad ", "3542AD"),
        ("9999ZZ", "9999ZZ"),
        ("1000 aa", "1000AA"),
    ],
)
def test_postcode_is_normalised(raw, stored):
    clean, errors = companies.check_company(VALID | {"postcode": raw})
    assert errors == {}
    assert clean["postcode"] == stored


@pytest.mark.parametrize(
    "raw",
    [
        "0123 AB",
        "123 AB",
        "1234 A",
        "12345 AB",
        "ABCD 12",
        "1234 SA",
        "1234 sd",
        "1234SS",
        "1234-AB",
        "\uff11\uff12\uff13\uff14AB",
    ],
)
def test_invalid_postcodes_are_refused(raw):
    _clean, errors = companies.check_company(VALID | {"postcode": raw})
    assert "postcode" in errors


def test_missing_postcode_says_so():
    assert companies.check_company(VALID | {"postcode": "  "})[1]["postcode"] == "Vul de postcode in."


@pytest.mark.parametrize(
    ("raw", "stored"), [("30123456", "30123456"), ("3012 3456", "30123456"), (" 01234567 ", "01234567"), ("", None)]
)
def test_kvk_number_has_eight_digits_after_removing_spaces(raw, stored):
    clean, errors = companies.check_company(VALID | {"kvk_number": raw})
    assert errors == {}
    assert clean["kvk_number"] == stored


@pytest.mark.parametrize("raw", ["1234567", "123456789", "3012345a", "30-123456", "KvK 30123456"])
def test_invalid_kvk_numbers_are_refused(raw):
    _clean, errors = companies.check_company(VALID | {"kvk_number": raw})
    assert errors == {"kvk_number": "Een KvK-nummer bestaat uit 8 cijfers."}


def test_name_and_street_are_required_and_limited():
    errors = companies.check_company(VALID | {"name": " ", "street": ""})[1]
    assert errors == {"name": "Vul de naam in.", "street": "Vul de straat in."}
    errors = companies.check_company(VALID | {"name": "x" * 201, "street": "y" * 201})[1]
    assert set(errors) == {"name", "street"}
    clean = companies.check_company(VALID | {"name": "  Bakkerij\tDe Korenaar "})[0]
    assert clean["name"] == "Bakkerij De Korenaar"


@pytest.mark.parametrize(
    ("number", "addition", "expected"),
    [
        ("12", "", (12, "")),
        ("99999", "", (99999, "")),
        ("12a", "", (12, "a")),
        ("12 - bis", "", (12, "bis")),
        ("7", "B", (7, "B")),
    ],
)
def test_house_number_and_addition(number, addition, expected):
    clean, errors = companies.check_company(VALID | {"house_number": number, "house_number_addition": addition})
    assert errors == {}
    assert (clean["house_number"], clean["house_number_addition"]) == expected


@pytest.mark.parametrize("number", ["", "0", "-3", "100000", "twaalf", "1.5", "12-14"])
def test_invalid_house_numbers_are_refused(number):
    assert "house_number" in companies.check_company(VALID | {"house_number": number})[1]


def test_addition_is_at_most_ten_characters():
    errors = companies.check_company(VALID | {"house_number_addition": "abcdefghijk"})[1]
    assert errors == {"house_number_addition": "De toevoeging is te lang (maximaal 10 tekens)."}


@pytest.mark.parametrize(
    ("raw", "stored"), [("info@korenaar.nl", "info@korenaar.nl"), ("", None), ("Info@KORENAAR.nl", "info@korenaar.nl")]
)
def test_email_is_optional_and_normalised(raw, stored):
    clean, errors = companies.check_company(VALID | {"email": raw})
    assert errors == {}
    assert clean["email"] == stored


@pytest.mark.parametrize("raw", ["geen-adres", "info@", "@korenaar.nl", "info@korenaar", "a b@korenaar.nl"])
def test_invalid_email_is_refused(raw):
    assert companies.check_company(VALID | {"email": raw})[1] == {"email": "Dit is geen geldig e-mailadres."}


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        ("52.105", "5.06", (52.105, 5.06)),
        ("52,105", "5,06", (52.105, 5.06)),
        ("", "", (None, None)),
        (52.1, 5.2, (52.1, 5.2)),
    ],
)
def test_coordinates(lat, lon, expected):
    clean, errors = companies.check_company(VALID | {"lat": lat, "lon": lon})
    assert errors == {}
    assert (clean["lat"], clean["lon"]) == expected


def test_coordinates_come_in_pairs_are_numbers_and_lie_in_the_netherlands():
    assert "lon" in companies.check_company(VALID | {"lat": "52.1", "lon": ""})[1]
    assert "lat" in companies.check_company(VALID | {"lat": "", "lon": "5.1"})[1]
    assert companies.check_company(VALID | {"lat": "noord", "lon": "5.1"})[1] == {
        "lat": "De breedtegraad is geen getal."
    }
    assert companies.check_company(VALID | {"lat": "52.1", "lon": "nan"})[1] == {"lon": "De lengtegraad is geen getal."}
    errors = companies.check_company(VALID | {"lat": "48.85", "lon": "2.35"})[1]  # Paris
    assert "niet in Nederland" in errors["lat"] and "verwisseld" not in errors["lat"]
    errors = companies.check_company(VALID | {"lat": "5.06", "lon": "52.1"})[1]
    assert "verwisseld" in errors["lat"]


def test_clean_values_stay_the_same_when_checked_again():
    clean = companies.clean_company(VALID | {"lat": "52,1051234567", "lon": "5.06"})
    assert clean["lat"] == 52.1051235
    assert companies.clean_company(clean) == clean


def test_clean_company_raises_with_every_problem():
    with pytest.raises(DomainError) as error:
        companies.clean_company(VALID | {"name": "", "postcode": "0000 AA"})
    assert "Vul de naam in." in error.value.message and "postcode" in error.value.message


# --- editing ------------------------------------------------------------------------------------------------


def test_advisor_creates_updates_and_deletes_a_company(db, park):
    advisor = make_member(Role.ADVISOR, park)
    company = companies.create_company(advisor, park, VALID, now=NOW)
    assert (company.postcode, company.house_number, company.kvk_number, company.lat) == ("3542AD", 12, "30123456", None)
    assert company.created_at == NOW
    assert company.address == "Industrieweg 12, 3542 AD"

    companies.update_company(advisor, company, VALID | {"email": "", "house_number": "14b"})
    assert (company.email, company.house_number, company.house_number_addition) == (None, 14, "b")

    companies.delete_company(advisor, company)
    assert db.session.scalars(select(Company)).all() == []
    assert _actions(db) == ["companies.created", "companies.updated", "companies.deleted"]


def test_update_without_changes_writes_no_audit_row(db, park):
    advisor = make_member(Role.MUNICIPALITY, park)
    company = companies.create_company(advisor, park, VALID, now=NOW)
    companies.update_company(advisor, company, VALID | {"postcode": "3542ad"})
    assert _actions(db) == ["companies.created"]


def test_same_name_on_the_same_address_is_refused(db, park):
    advisor = make_member(Role.ADVISOR, park)
    companies.create_company(advisor, park, VALID, now=NOW)
    with pytest.raises(DomainError, match="Op dit adres staat al een bedrijf met deze naam"):
        companies.create_company(advisor, park, VALID | {"kvk_number": "", "name": "bakkerij de  korenaar"}, now=NOW)
    # another company on the same address is fine
    companies.create_company(advisor, park, VALID | {"kvk_number": "", "name": "Kapsalon Knip"}, now=NOW)


def test_a_kvk_number_belongs_to_one_company_of_the_register(db, park, other_park):
    advisor = make_member(Role.ADVISOR, park)
    companies.create_company(advisor, park, VALID, now=NOW)
    with pytest.raises(DomainError, match="hoort al bij Bakkerij De Korenaar"):
        companies.create_company(advisor, park, VALID | {"name": "Filiaal", "house_number": "3"}, now=NOW)
    second = companies.create_company(advisor, park, VALID | {"name": "Filiaal", "kvk_number": ""}, now=NOW)
    with pytest.raises(DomainError):
        companies.update_company(advisor, second, VALID | {"name": "Filiaal"})
    # another park's register is another register
    make_member(Role.ADVISOR, other_park, email="b@example.nl")
    admin_made = companies.create_company(make_member(Role.ADVISOR, other_park), other_park, VALID, now=NOW)
    assert admin_made.park_id == other_park.id


def test_invalid_input_is_refused_by_the_service(db, park):
    advisor = make_member(Role.ADVISOR, park)
    with pytest.raises(DomainError, match="Een KvK-nummer bestaat uit 8 cijfers"):
        companies.create_company(advisor, park, VALID | {"kvk_number": "123"}, now=NOW)
    assert db.session.scalars(select(Company)).all() == []


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ENTREPRENEUR, Role.PARTNER, Role.CAMERA_OFFICER])
def test_only_advisors_and_the_municipality_change_the_register(db, park, role):
    user = make_member(role, park)
    company = make_company(park)
    with pytest.raises(NotAllowed):
        companies.create_company(user, park, VALID, now=NOW)
    with pytest.raises(NotAllowed):
        companies.update_company(user, company, VALID)
    with pytest.raises(NotAllowed):
        companies.delete_company(user, company)
    with pytest.raises(NotAllowed):
        companies.accept_outside(user, company)


def test_advisor_of_another_park_cannot_change_this_register(db, park, other_park):
    advisor = make_member(Role.ADVISOR, other_park)
    with pytest.raises(NotAllowed):
        companies.create_company(advisor, park, VALID, now=NOW)


# --- outside the area ---------------------------------------------------------------------------------------


def test_companies_outside_the_area(db, park):
    park.area = AREA
    inside = make_company(park, name="Binnen", lat=INSIDE[0], lon=INSIDE[1])
    outside = make_company(park, name="Buiten", lat=OUTSIDE[0], lon=OUTSIDE[1])
    on_edge = make_company(park, name="Op de grens", lat=52.10, lon=5.06)
    unknown = make_company(park, name="Zonder punt")
    accepted = make_company(park, name="Geaccepteerd", lat=OUTSIDE[0], lon=OUTSIDE[1], outside_accepted=True)
    assert companies.companies_outside(park) == [outside]
    assert {inside, on_edge, unknown, accepted}.isdisjoint(companies.companies_outside(park))


def test_without_an_area_every_company_with_coordinates_is_outside(db, park):
    located = make_company(park, name="Met punt", lat=INSIDE[0], lon=INSIDE[1])
    make_company(park, name="Zonder punt")
    assert companies.companies_outside(park) == [located]


def test_accept_outside(db, park):
    park.area = AREA
    advisor = make_member(Role.ADVISOR, park)
    outside = make_company(park, name="Buiten", lat=OUTSIDE[0], lon=OUTSIDE[1])
    companies.accept_outside(advisor, outside)
    assert outside.outside_accepted and companies.companies_outside(park) == []
    assert _actions(db) == ["companies.outside_accepted"]
    # moving the point asks the question again
    companies.update_company(advisor, outside, VALID | {"lat": "52.3", "lon": "5.3"})
    assert not outside.outside_accepted
    assert companies.companies_outside(park) == [outside]


def test_accept_outside_is_refused_inside_or_without_coordinates(db, park):
    park.area = AREA
    advisor = make_member(Role.ADVISOR, park)
    with pytest.raises(DomainError, match="binnen het gebied"):
        companies.accept_outside(advisor, make_company(park, name="Binnen", lat=INSIDE[0], lon=INSIDE[1]))
    with pytest.raises(DomainError, match="geen coördinaten"):
        companies.accept_outside(advisor, make_company(park, name="Zonder"))


# --- pages --------------------------------------------------------------------------------------------------

VIEWERS = {Role.ADVISOR, Role.MUNICIPALITY, Role.AUDITOR}
EDITORS = {Role.ADVISOR, Role.MUNICIPALITY}


def test_register_pages_by_role(login_as, park, other_park, role):
    company = make_company(park)
    client = login_as(make_member(role, park))
    base = f"/parken/{park.id}/bedrijven"
    assert client.get(f"{base}/").status_code == (200 if role in VIEWERS else 403)
    assert client.get(f"{base}/exporteren?format=csv").status_code == (200 if role in VIEWERS else 403)
    for path in (f"{base}/nieuw", f"{base}/{company.id}", f"{base}/importeren"):
        assert client.get(path).status_code == (200 if role in EDITORS else 403), path
    # another park's register is closed, whatever the role here: as if that park did not exist
    assert client.get(f"/parken/{other_park.id}/bedrijven/").status_code == 404
    assert client.get(f"/parken/{other_park.id}/bedrijven/nieuw").status_code == 404


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ENTREPRENEUR])
def test_readers_and_others_cannot_change_through_the_pages(login_as, db, park, role):
    company = make_company(park, lat=OUTSIDE[0], lon=OUTSIDE[1])
    client = login_as(make_member(role, park))
    base = f"/parken/{park.id}/bedrijven"
    assert client.post(f"{base}/nieuw", data={**VALID}).status_code == 403
    assert client.post(f"{base}/{company.id}", data={**VALID}).status_code == 403
    assert client.post(f"{base}/{company.id}/verwijderen", data={"bevestigd": "ja"}).status_code == 403
    assert client.post(f"{base}/{company.id}/hoort-bij-park").status_code == 403
    db.session.expire_all()
    assert db.session.get(Company, company.id).name == "Transport Van Dam"
    assert not db.session.get(Company, company.id).outside_accepted


def test_auditor_sees_the_register_without_edit_buttons(login_as, park):
    make_company(park, name="Transport Van Dam", lat=OUTSIDE[0], lon=OUTSIDE[1])
    body = login_as(make_member(Role.AUDITOR, park)).get(f"/parken/{park.id}/bedrijven/").get_data(as_text=True)
    assert "Transport Van Dam" in body and "Buiten het gebied" in body
    assert "Bedrijf toevoegen" not in body and "Hoort erbij" not in body


def test_advisor_of_park_a_cannot_touch_park_b(login_as, db, park, other_park):
    foreign = make_company(other_park, name="Elders BV")
    client = login_as(make_member(Role.ADVISOR, park))
    # through park B's own address: park B is not visible, so it is not found
    assert client.get(f"/parken/{other_park.id}/bedrijven/{foreign.id}").status_code == 404
    assert (
        client.post(f"/parken/{other_park.id}/bedrijven/{foreign.id}/verwijderen", data={"bevestigd": "ja"}).status_code
        == 404
    )
    # through park A's address: that company is not there
    assert client.get(f"/parken/{park.id}/bedrijven/{foreign.id}").status_code == 404
    assert (
        client.post(f"/parken/{park.id}/bedrijven/{foreign.id}/verwijderen", data={"bevestigd": "ja"}).status_code
        == 404
    )
    assert client.post(f"/parken/{park.id}/bedrijven/{foreign.id}", data={**VALID}).status_code == 404
    assert "Elders BV" not in client.get(f"/parken/{park.id}/bedrijven/").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Company, foreign.id).name == "Elders BV"


def test_unknown_ids_are_404(login_as, admin, park):
    client = login_as(admin)
    for bad in ("999999", str(2**31), str(2**80)):
        assert client.get(f"/parken/{park.id}/bedrijven/{bad}").status_code == 404
        assert (
            client.post(f"/parken/{park.id}/bedrijven/{bad}/verwijderen", data={"bevestigd": "ja"}).status_code == 404
        )
        assert client.get(f"/parken/{park.id}/bedrijven/importeren/{bad}").status_code == 404
        assert client.get(f"/parken/{bad}/bedrijven/").status_code == 404
    assert client.get(f"/parken/{park.id}/bedrijven/abc").status_code == 404


def test_wrong_methods_are_405(login_as, admin, park):
    company = make_company(park)
    client = login_as(admin)
    assert client.get(f"/parken/{park.id}/bedrijven/{company.id}/verwijderen").status_code == 405
    assert client.get(f"/parken/{park.id}/bedrijven/{company.id}/hoort-bij-park").status_code == 405
    assert client.post(f"/parken/{park.id}/bedrijven/exporteren").status_code == 405


def test_anonymous_visitors_go_to_the_login(client, park):
    response = client.get(f"/parken/{park.id}/bedrijven/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen")


def test_add_a_company_through_the_form(login_as, db, park):
    client = login_as(make_member(Role.ADVISOR, park))
    response = client.post(f"/parken/{park.id}/bedrijven/nieuw", data=VALID | {"lat": "52,105", "lon": "5,06"})
    assert response.status_code == 302
    company = db.session.scalars(select(Company)).one()
    assert (company.postcode, company.lat, company.lon) == ("3542AD", 52.105, 5.06)
    listing = client.get(f"/parken/{park.id}/bedrijven/").get_data(as_text=True)
    assert "Bakkerij De Korenaar is toegevoegd aan het register." in listing
    assert "Industrieweg 12, 3542 AD" in listing
    assert company.language == "nl"  # the form's default


def test_the_form_sets_the_contacts_language(login_as, db, park):
    client = login_as(make_member(Role.ADVISOR, park))
    assert "Taal contactpersoon" in client.get(f"/parken/{park.id}/bedrijven/nieuw").get_data(as_text=True)
    assert client.post(f"/parken/{park.id}/bedrijven/nieuw", data=VALID | {"language": "en"}).status_code == 302
    assert db.session.scalars(select(Company)).one().language == "en"
    response = client.post(f"/parken/{park.id}/bedrijven/nieuw", data=VALID | {"name": "Ander", "language": "xx"})
    assert response.status_code == 422 and "De taal is Nederlands (nl) of Engels (en)." in response.get_data(
        as_text=True
    )


def test_form_shows_the_rules_per_field(login_as, db, park):
    client = login_as(make_member(Role.ADVISOR, park))
    response = client.post(
        f"/parken/{park.id}/bedrijven/nieuw",
        data=VALID | {"postcode": "0123 AB", "kvk_number": "123", "email": "nee", "lat": "52.1"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in (
        "Een postcode bestaat uit 4 cijfers",
        "Een KvK-nummer bestaat uit 8 cijfers.",
        "Dit is geen geldig e-mailadres.",
        "allebei in, of geen van beide",
    ):
        assert message in body
    assert 'aria-invalid="true"' in body
    assert db.session.scalars(select(Company)).all() == []


def test_duplicate_from_the_form_is_a_message(login_as, db, park):
    make_company(park, name="Bakkerij De Korenaar", house_number=12)
    response = login_as(make_member(Role.ADVISOR, park)).post(
        f"/parken/{park.id}/bedrijven/nieuw", data=VALID | {"kvk_number": ""}
    )
    assert response.status_code == 422
    assert "Op dit adres staat al een bedrijf met deze naam" in response.get_data(as_text=True)


def test_edit_delete_and_accept_through_the_pages(login_as, db, park):
    park.area = AREA
    company = make_company(park, lat=OUTSIDE[0], lon=OUTSIDE[1])
    client = login_as(make_member(Role.ADVISOR, park))
    base = f"/parken/{park.id}/bedrijven"
    page = client.get(f"{base}/{company.id}").get_data(as_text=True)
    assert 'value="3542 AD"' in page and 'value="Transport Van Dam"' in page

    listing = client.get(f"{base}/?buiten=1").get_data(as_text=True)
    assert "Buiten het gebied" in listing and "Hoort erbij" in listing
    response = client.post(f"{base}/{company.id}/hoort-bij-park", data={"next": f"{base}/?buiten=1"})
    assert response.status_code == 302 and response.headers["Location"] == f"{base}/?buiten=1"
    db.session.expire_all()
    assert db.session.get(Company, company.id).outside_accepted
    # accepting again, or a point inside, is a message, not an error page
    company_inside = make_company(park, name="Binnen", lat=INSIDE[0], lon=INSIDE[1])
    response = client.post(f"{base}/{company_inside.id}/hoort-bij-park", data={"next": "https://evil.example/"})
    assert response.status_code == 302 and response.headers["Location"] == f"{base}/"
    assert "ligt binnen het gebied" in client.get(f"{base}/").get_data(as_text=True)

    response = client.post(f"{base}/{company.id}", data=VALID | {"name": "Transport Van Dam & Zn"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Company, company.id).name == "Transport Van Dam & Zn"

    company_id = company.id
    assert client.post(f"{base}/{company_id}/verwijderen", data={"bevestigd": "ja"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Company, company_id) is None


def test_list_search_and_pages(login_as, db, park):
    for number in range(1, 56):
        make_company(park, name=f"Bedrijf {number:02d}", house_number=number)
    make_company(park, name="Zeefdrukkerij 100%", house_number=100, kvk_number="30999999", postcode="3542ZZ")
    client = login_as(make_member(Role.ADVISOR, park))
    base = f"/parken/{park.id}/bedrijven/"
    first = client.get(base).get_data(as_text=True)
    assert "56 bedrijven" in first and "Pagina 1 van 2" in first and f"{base}?page=2" in first
    assert "Bedrijf 51" not in first and "Bedrijf 51" in client.get(f"{base}?page=2").get_data(as_text=True)
    # the page links keep the search
    searched = client.get(base, query_string={"q": "Bedrijf"}).get_data(as_text=True)
    assert f"{base}?q=Bedrijf&amp;page=2" in searched
    back = client.get(base, query_string={"q": "Bedrijf", "page": 2}).get_data(as_text=True)
    assert f"{base}?q=Bedrijf&amp;page=1" in back and "Bedrijf 55" in back
    for q in ("zeefdruk", "100%", "3542 zz", "30999999"):
        body = client.get(base, query_string={"q": q}).get_data(as_text=True)
        assert "Zeefdrukkerij" in body and "Bedrijf 01" not in body, q
    assert "Geen bedrijven gevonden." in client.get(f"{base}?q=_").get_data(as_text=True)
    assert client.get(f"{base}?page=999999999999").status_code == 200


def test_a_register_of_another_park_is_untouched_by_this_one(db, park):
    other = make_park(name="Elders")
    make_company(other, name="Elders BV")
    assert companies.companies_outside(park) == []


def test_sector_is_optional_and_limited():
    assert companies.check_company(VALID | {"sector": "  "})[0]["sector"] is None
    errors = companies.check_company(VALID | {"sector": "x" * 101})[1]
    assert errors == {"sector": "De sector is te lang (maximaal 100 tekens)."}


def test_a_known_sector_is_shown_in_the_readers_language(app):
    from flask_babel import force_locale

    from app.parks.companies import sector_label

    with app.test_request_context():
        assert sector_label("groothandel/logistiek") == "Groothandel, transport en logistiek"
        with force_locale("en"):
            assert sector_label("groothandel/logistiek") == "Wholesale, transport and logistics"
            assert sector_label("Zakelijke dienstverlening") == "Business services"
            assert sector_label("kapsalon") == "kapsalon"  # typed in the register: shown as typed
        assert sector_label(None) == "—"
