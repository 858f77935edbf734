"""Importing register rows through the API: the file import's rules, a dry run, rejected rows, and permissions."""

from __future__ import annotations

from sqlalchemy import select

from app.api.models import ApiScope
from app.auth.models import Role
from app.extensions import db as _db
from app.parks.models import Company, CompanyImport
from tests.factories import make_member

ROWS = [
    {
        "name": "Van Hal Transport",
        "street": "Atoomweg",
        "house_number": "12",
        "postcode": "3542 AB",
        "sector": "logistiek",
    },
    {"name": "Bakkerij De Zon", "street": "Isotopenweg", "house_number": "3a", "postcode": "3542AC"},
    {"name": "Fout BV", "street": "Atoomweg", "house_number": "1", "postcode": "35AB12"},
]


def _url(park) -> str:
    return f"/api/v1/parks/{park.id}/companies/import"


def _names(park) -> set[str]:
    _db.session.expire_all()
    return set(_db.session.scalars(select(Company.name).where(Company.park_id == park.id)))


def test_rows_are_added_as_a_file_would_add_them_and_show_on_the_register(api_as, login_as, db, park):
    advisor = make_member(Role.ADVISOR, park)
    response = api_as(advisor, ApiScope.WRITE).post(_url(park), json={"companies": ROWS})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["applied"] is True
    assert body["counts"] == {"create": 2, "update": 0, "unchanged": 0, "reject": 1}
    assert [row["outcome"] for row in body["rows"]] == ["create", "create", "reject"]
    assert "postcode" in body["rows"][2]["reason"].lower()
    assert _names(park) == {"Van Hal Transport", "Bakkerij De Zon"}
    page = login_as(advisor).get(f"/parken/{park.id}/bedrijven/").get_data(as_text=True)
    assert "Van Hal Transport" in page and "Bakkerij De Zon" in page
    # the same rows again: unchanged; a changed sector updates the company
    again = api_as(advisor, ApiScope.WRITE).post(_url(park), json={"companies": [ROWS[0] | {"sector": "bouw"}]})
    assert again.get_json()["counts"]["update"] == 1
    company = db.session.scalar(select(Company).where(Company.name == "Van Hal Transport"))
    assert company.sector == "bouw"


def test_a_dry_run_checks_and_changes_nothing(api_as, db, park):
    advisor = make_member(Role.ADVISOR, park)
    response = api_as(advisor, ApiScope.WRITE).post(_url(park), json={"companies": ROWS, "dry_run": True})
    assert response.status_code == 200
    assert response.get_json()["applied"] is False and response.get_json()["counts"]["create"] == 2
    assert _names(park) == set()
    assert db.session.scalar(select(CompanyImport.applied_at)) is None


def test_who_may_import(api_as, db, park, other_park):
    advisor = make_member(Role.ADVISOR, park)
    partner = make_member(Role.PARTNER, park)
    assert api_as(advisor, ApiScope.READ).post(_url(park), json={"companies": ROWS}).status_code == 403
    assert api_as(partner, ApiScope.WRITE).post(_url(park), json={"companies": ROWS}).status_code == 403
    assert api_as(advisor, ApiScope.WRITE).post(_url(other_park), json={"companies": ROWS}).status_code == 404
    unknown_field = api_as(advisor, ApiScope.WRITE).post(_url(park), json={"companies": [ROWS[0] | {"x": "1"}]})
    assert unknown_field.status_code == 422
    assert unknown_field.headers["Content-Type"].startswith("application/problem+json")
    assert _names(park) == set()
