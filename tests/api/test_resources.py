"""Parks, companies and partner figures through the API: per-park permissions, pagination, filters, ETags, and
figures that go both ways between the API and the web page."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from app.api.models import ApiScope
from app.auth.models import Role
from app.extensions import db as _db
from app.inventory.models import Figure, FigureSource
from app.parks.models import Cycle
from app.stakeholders.models import OrganisationType
from tests.api.test_access import assert_problem
from tests.factories import (
    make_company,
    make_member,
    make_membership,
    make_organisation,
    make_park,
    make_partner,
    make_user,
)

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[5.10, 52.10], [5.11, 52.10], [5.11, 52.11], [5.10, 52.11], [5.10, 52.10]]],
}
LAST_YEAR = date.today().year - 1


def test_parks_lists_only_the_parks_the_user_may_view(api_as, db, park, other_park):
    user = make_member(Role.PARTNER, park)
    body = api_as(user).get("/api/v1/parks/").get_json()
    assert [p["name"] for p in body] == ["Lage Weide"]
    assert body[0]["active_cycle"]["step"] == 1
    assert body[0]["active_cycle"]["step_name"] == "Afbakening gebied"
    assert "area" not in body[0]


def test_parks_filter_by_municipality(api_as, db):
    utrecht, nieuwegein = make_organisation(name="Utrecht"), make_organisation(name="Nieuwegein")
    make_park(name="A", municipality=utrecht)
    make_park(name="B", municipality=nieuwegein)
    make_park(name="C", municipality=utrecht)
    api = api_as(make_user(is_admin=True))
    assert [p["name"] for p in api.get(f"/api/v1/parks/?municipality_id={utrecht.id}").get_json()] == ["A", "C"]
    assert [p["name"] for p in api.get("/api/v1/parks/").get_json()] == ["A", "B", "C"]


def test_municipality_wide_membership_sees_its_parks(api_as, db):
    utrecht = make_organisation(name="Utrecht")
    make_park(name="A", municipality=utrecht)
    make_park(name="B")
    user = make_user()
    make_membership(user, Role.MUNICIPALITY, municipality=utrecht)
    assert [p["name"] for p in api_as(user).get("/api/v1/parks/").get_json()] == ["A"]


def test_park_detail_has_area_and_active_step(api_as, db, park):
    park.area, park.area_lat, park.area_lon = SQUARE, 52.105, 5.105
    cycle = _db.session.scalar(select(Cycle).where(Cycle.park_id == park.id))
    cycle.current_step = 3
    body = api_as(make_member(Role.ADVISOR, park)).get(f"/api/v1/parks/{park.id}").get_json()
    assert body["area"] == SQUARE
    assert body["area_point"] == {"lat": 52.105, "lon": 5.105}
    assert body["active_cycle"] | {"step_started_at": None, "starts_on": None, "ends_on": None} == {
        "number": 1,
        "step": 3,
        "step_name": "Inventarisatie",
        "status": "active",
        "step_started_at": None,
        "starts_on": None,
        "ends_on": None,
    }
    assert body["municipality"]["id"] == park.municipality_id


def test_another_parks_id_is_404_and_a_missing_permission_403(api_as, db, park, other_park):
    entrepreneur = api_as(make_member(Role.ENTREPRENEUR, park))
    for url in (
        f"/api/v1/parks/{other_park.id}",
        f"/api/v1/parks/{other_park.id}/companies",
        f"/api/v1/parks/{other_park.id}/figures",
        "/api/v1/parks/2147483648",
        "/api/v1/parks/0",
    ):
        assert_problem(entrepreneur.get(url), 404)
    assert entrepreneur.get(f"/api/v1/parks/{park.id}").status_code == 200
    assert entrepreneur.get(f"/api/v1/parks/{park.id}/figures").status_code == 200
    assert_problem(entrepreneur.get(f"/api/v1/parks/{park.id}/companies"), 403)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.ADVISOR, 200),
        (Role.MUNICIPALITY, 200),
        (Role.AUDITOR, 200),
        (Role.PARTNER, 403),
        (Role.ENTREPRENEUR, 403),
        (Role.CAMERA_OFFICER, 403),
    ],
)
def test_companies_follow_companies_view(api_as, db, park, role, status):
    make_company(park, name="Transport Van Dam", email="info@vandam.nl")
    response = api_as(make_member(role, park)).get(f"/api/v1/parks/{park.id}/companies")
    assert response.status_code == status
    if status == 200:
        assert [(c["name"], c["email"]) for c in response.get_json()] == [("Transport Van Dam", "info@vandam.nl")]


def test_an_expired_membership_gives_no_access(api_as, db, park):
    user = make_user()
    make_membership(user, Role.ADVISOR, park=park, ends_on=date(2020, 1, 1))
    assert_problem(api_as(user).get(f"/api/v1/parks/{park.id}"), 404)


def test_pagination_headers_and_pages(api_as, db, park):
    for number in range(5):
        make_company(park, name=f"Bedrijf {number}", house_number=number + 1)
    api = api_as(make_member(Role.ADVISOR, park))
    response = api.get(f"/api/v1/parks/{park.id}/companies?page=2&page_size=2")
    assert [c["name"] for c in response.get_json()] == ["Bedrijf 2", "Bedrijf 3"]
    meta = json.loads(response.headers["X-Pagination"])
    assert meta == {
        "total": 5,
        "total_pages": 3,
        "first_page": 1,
        "last_page": 3,
        "page": 2,
        "previous_page": 1,
        "next_page": 3,
    }
    links = response.headers["Link"]
    assert 'page=3&page_size=2>; rel="next"' in links and 'page=1&page_size=2>; rel="prev"' in links
    assert api.get(f"/api/v1/parks/{park.id}/companies?page=99999999999999999999").get_json() == []
    assert_problem(api.get(f"/api/v1/parks/{park.id}/companies?page_size=101"), 422)


def test_etag_gives_304_until_the_data_changes(api_as, db, park):
    api = api_as(make_member(Role.ADVISOR, park))
    first = api.get(f"/api/v1/parks/{park.id}/figures")
    etag = first.headers["ETag"]
    again = api.get(f"/api/v1/parks/{park.id}/figures", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    _db.session.add(Figure(park=park, source=FigureSource.POLITIE, category="overval", year=LAST_YEAR, count=2))
    _db.session.commit()
    changed = api.get(f"/api/v1/parks/{park.id}/figures", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    for url in ("/api/v1/parks/", f"/api/v1/parks/{park.id}", f"/api/v1/parks/{park.id}/companies"):
        tag = api.get(url).headers["ETag"]
        assert api.get(url, headers={"If-None-Match": tag}).status_code == 304


def test_figures_read_with_filters(api_as, db, park):
    for year, source, category in (
        (2021, FigureSource.POLITIE, "overval"),
        (2023, FigureSource.POLITIE, "overval"),
        (2023, FigureSource.BRANDWEER, next(iter(_categories(FigureSource.BRANDWEER)))),
    ):
        _db.session.add(Figure(park=park, source=source, category=category, year=year, count=year - 2000))
    api = api_as(make_member(Role.PARTNER, park))
    everything = api.get(f"/api/v1/parks/{park.id}/figures").get_json()
    assert len(everything) == 3 and everything[0]["source_label"] == "Politie"
    assert [f["year"] for f in api.get(f"/api/v1/parks/{park.id}/figures?year_from=2022").get_json()] == [2023, 2023]
    police = api.get(f"/api/v1/parks/{park.id}/figures?source=politie&year_to=2022").get_json()
    assert [(f["category"], f["year"], f["count"]) for f in police] == [("overval", 2021, 21)]


def _categories(source):
    from app.inventory.categories import CATEGORIES

    return CATEGORIES[source]


def test_figure_written_through_the_api_shows_on_the_web_page(api_as, login_as, db, park):
    partner = make_partner(park)
    api = api_as(partner, ApiScope.WRITE)
    body = {"source": "politie", "category": "overval", "year": LAST_YEAR, "quarter": 0, "count": 1234}
    created = api.post(f"/api/v1/parks/{park.id}/figures", json=body)
    assert created.status_code == 201
    assert created.get_json() | {"id": 0, "created_at": ""} == body | {
        "id": 0,
        "created_at": "",
        "source_label": "Politie",
        "category_label": "Overval",
    }
    corrected = api.post(f"/api/v1/parks/{park.id}/figures", json=body | {"count": 1235})
    assert corrected.status_code == 200 and corrected.get_json()["id"] == created.get_json()["id"]
    page = login_as(partner).get(f"/parken/{park.id}/cijfers/").get_data(as_text=True)
    assert "Overval" in page and "1.235" in page
    figure = _db.session.scalar(select(Figure))
    assert figure.entered_by_id == partner.id


def test_figure_entered_on_the_web_page_shows_in_the_api(api_as, login_as, db, park):
    advisor = make_member(Role.ADVISOR, park)
    response = login_as(advisor).post(
        f"/parken/{park.id}/cijfers/invoeren",
        data={"category": "politie:overval", "year": str(LAST_YEAR), "quarter": "2", "count": "17"},
    )
    assert response.status_code == 302
    figures = api_as(advisor).get(f"/api/v1/parks/{park.id}/figures").get_json()
    assert [(f["source"], f["category"], f["year"], f["quarter"], f["count"]) for f in figures] == [
        ("politie", "overval", LAST_YEAR, 2, 17)
    ]


def test_figure_rules_are_the_inventorys(api_as, db, park):
    api = api_as(make_member(Role.ADVISOR, park), ApiScope.WRITE)
    url = f"/api/v1/parks/{park.id}/figures"
    wrong = assert_problem(
        api.post(url, json={"source": "politie", "category": "onzin", "year": 1990, "count": 2}), 422
    )
    assert {e["field"] for e in wrong["errors"]} == {"category", "year"}
    assert all(e["location"] == "json" for e in wrong["errors"])
    missing = assert_problem(api.post(url, json={"source": "politie"}), 422)
    assert {e["field"] for e in missing["errors"]} == {"category", "year", "count"}
    assert (
        api.post(
            url, json={"source": "politie", "category": "overval", "year": LAST_YEAR, "quarter": 1, "count": 2}
        ).status_code
        == 201
    )
    # a year total beside quarter counts would count twice: the inventory refuses it
    mixing = assert_problem(
        api.post(url, json={"source": "politie", "category": "overval", "year": LAST_YEAR, "count": 9}), 422
    )
    assert "kwartaal" in mixing["detail"]
    assert_problem(api.post(url, data="geen json", headers={"Content-Type": "text/plain"}), 415)
    assert _db.session.scalar(select(Figure).where(Figure.quarter == 0)) is None


@pytest.mark.parametrize(
    ("role", "status"), [(Role.PARTNER, 201), (Role.MUNICIPALITY, 201), (Role.ENTREPRENEUR, 403), (Role.AUDITOR, 403)]
)
def test_writing_figures_follows_figures_edit(api_as, db, park, role, status):
    police = make_organisation(type=OrganisationType.POLITIE)
    api = api_as(make_member(role, park, organisation=police), ApiScope.WRITE)
    body = {"source": "politie", "category": "overval", "year": LAST_YEAR, "count": 5}
    assert api.post(f"/api/v1/parks/{park.id}/figures", json=body).status_code == status


def test_a_partner_writes_only_their_own_organisations_figures(api_as, db, park):
    _db.session.add(
        Figure(park=park, source=FigureSource.MOR, category="afvaldumping", year=LAST_YEAR, quarter=0, count=4)
    )
    api = api_as(make_partner(park), ApiScope.WRITE)
    url = f"/api/v1/parks/{park.id}/figures"
    for source, category in (("brandweer", "buitenbrand"), ("mor", "afvaldumping")):
        body = {"source": source, "category": category, "year": LAST_YEAR, "count": 40}
        refused = assert_problem(api.post(url, json=body), 403)
        assert "zijn van een andere organisatie; er is niets opgeslagen." in refused["detail"]
    body = {"source": "politie", "category": "overval", "year": LAST_YEAR, "count": 5}
    assert api.post(url, json=body).status_code == 201
    _db.session.expire_all()
    stored = {(f.source.value, f.count) for f in _db.session.scalars(select(Figure))}
    assert stored == {("mor", 4), ("politie", 5)}


def test_writing_to_another_park_is_404(api_as, db, park, other_park):
    api = api_as(make_partner(park), ApiScope.WRITE)
    body = {"source": "politie", "category": "overval", "year": LAST_YEAR, "count": 5}
    assert_problem(api.post(f"/api/v1/parks/{other_park.id}/figures", json=body), 404)
    assert _db.session.scalar(select(Figure)) is None


def test_an_auditors_read_is_audited(api_as, db, park):
    from app.audit.models import AuditEvent

    api_as(make_member(Role.AUDITOR, park)).get(f"/api/v1/parks/{park.id}/companies")
    event = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auditor.viewed"))
    assert event is not None and event.park_id == park.id
    assert event.details == {"path": f"/api/v1/parks/{park.id}/companies", "api": True}
