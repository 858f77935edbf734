"""The park overview page and the city overview: content per role, filters, sorting, and a fixed number of
statements however many parks there are."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import event

from app import audit
from app.auth.models import Role
from app.cameras.models import Camera, CameraNetwork, CameraType
from app.extensions import db as _db
from app.parks.models import Company
from app.parks.services import active_cycle
from tests.factories import make_member, make_membership, make_organisation, make_park, make_user

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[5.05, 52.10], [5.07, 52.10], [5.07, 52.11], [5.05, 52.11], [5.05, 52.10]]],
}


def main_of(response) -> str:
    """The page's main content, without the header's park links."""
    body = response.get_data(as_text=True)
    return body[body.index('<main id="main"') : body.index("</main>")]


@contextmanager
def count_statements():
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(_db.engine, "before_cursor_execute", record)


def _parks(municipality, n: int, *, prefix: str = "Park"):
    parks = []
    for i in range(n):
        park = make_park(name=f"{prefix} {i:04d}", municipality=municipality)
        park.area_lat, park.area_lon = 52.0 + i / 1000, 5.0
        park.companies.append(Company(name=f"Bedrijf {i}", street="Weg", house_number=1, postcode="3542AB"))
        network = CameraNetwork(park=park, name=f"Netwerk {i}")
        network.cameras.append(Camera(code="C01", type=CameraType.FIXED, lat=52.0 + i / 1000, lon=5.0))
        _db.session.add(network)
        parks.append(park)
    return parks


def test_city_overview_uses_a_fixed_number_of_statements(login_as, db):
    """No per-park queries: the page (with its camera layer) costs as many statements for 200 parks as for 10."""
    sizes = {}
    for n, name in ((10, "Gemeente A"), (200, "Gemeente B")):
        municipality = make_organisation(name=name)
        _parks(municipality, n, prefix=name)
        officer = make_user()
        make_membership(officer, Role.MUNICIPALITY, municipality=municipality)
        client = login_as(officer)
        client.get("/parken/")
        with count_statements() as statements:
            response = client.get("/parken/?sort=companies")
        assert response.status_code == 200
        assert f"{n} parken" in response.get_data(as_text=True)
        assert response.get_data(as_text=True).count('"code": "C01"') == n  # every park's camera on the map
        sizes[n] = len(statements)
    assert sizes[10] == sizes[200], sizes


def test_city_overview_filters_sorts_and_pages(login_as, db):
    utrecht, amersfoort = make_organisation(name="Gemeente Utrecht"), make_organisation(name="Gemeente Amersfoort")
    parks = _parks(utrecht, 60)
    elsewhere = make_park(name="De Hoef", municipality=amersfoort)
    active_cycle(parks[5]).current_step = 3
    active_cycle(parks[5]).step_started_at = datetime.now(UTC) - timedelta(days=40)
    advisor = make_user()
    make_membership(advisor, Role.MUNICIPALITY, municipality=utrecht)
    make_membership(advisor, Role.ADVISOR, park=elsewhere)
    client = login_as(advisor)
    first = main_of(client.get("/parken/"))
    assert "61 parken" in first and "Pagina 1 van 2" in first
    step3 = main_of(client.get("/parken/?stap=3"))
    assert "1 park" in step3 and "Park 0005" in step3 and "40" in step3
    by_name = main_of(client.get("/parken/?q=hoef"))
    assert "De Hoef" in by_name and "Park 0001" not in by_name
    by_municipality = main_of(client.get(f"/parken/?gemeente={amersfoort.id}"))
    assert "1 park" in by_municipality
    assert client.get("/parken/?stap=99&gemeente=abc&sort=hack&richting=x&page=-4").status_code == 200
    by_step = main_of(client.get("/parken/?sort=step&richting=af"))
    table = by_step[by_step.index("<table") :]
    assert table.index("Park 0005") < table.index("Park 0000")  # step 3 before step 1


def test_city_overview_only_shows_parks_the_user_oversees(login_as, db):
    mine, theirs = make_park(name="Mijn park"), make_park(name="Hun park")
    advisor = make_member(Role.ADVISOR, mine)
    make_membership(advisor, Role.ENTREPRENEUR, park=theirs)  # a member there, but not as overseer
    body = main_of(login_as(advisor).get("/parken/"))
    assert "Mijn park" in body and "Hun park" not in body


def test_entrepreneur_gets_the_plain_list(login_as, db, park):
    body = login_as(make_member(Role.ENTREPRENEUR, park)).get("/parken/").get_data(as_text=True)
    assert park.name in body and "Stap van de actieve cyclus" not in body


def test_park_page_shows_map_data_steps_stakeholders_and_activity(login_as, db, park):
    park.area = SQUARE
    park.companies.append(
        Company(name="</script><b>Hack</b>", street="Weg", house_number=1, postcode="3542AB", lat=52.105, lon=5.06)
    )
    advisor = make_member(Role.ADVISOR, park)
    audit.record(advisor, "parks.area_set", park, park=park)
    body = login_as(advisor).get(f"/parken/{park.id}").get_data(as_text=True)
    assert 'id="park-map-data"' in body
    assert "</script><b>" not in body  # the JSON block is escaped
    assert "Afbakening gebied" in body and "Continuering" in body
    assert "Gebied ingetekend of gewijzigd" in body
    assert "Er zijn nog geen bijeenkomsten gepland." in body


def test_park_page_links_managers_to_the_survey_and_partners_to_its_results(login_as, db, park):
    advisor_page = login_as(make_member(Role.ADVISOR, park)).get(f"/parken/{park.id}").get_data(as_text=True)
    partner_page = login_as(make_member(Role.PARTNER, park)).get(f"/parken/{park.id}").get_data(as_text=True)
    assert f'href="/parken/{park.id}/enquete/"' in advisor_page
    assert f'href="/parken/{park.id}/enquete/"' not in partner_page
    assert f'href="/parken/{park.id}/enquete/resultaten/"' in partner_page  # partners read the results


def test_city_map_leaves_out_cameras_beyond_a_city_until_filtered(login_as, db, admin, monkeypatch):
    """The country's cameras would make the admin's page megabytes: beyond CAMERA_MAP_MAX_PARKS listed parks the
    map has no camera layer and the page says how to get it; a narrower filter brings the cameras back."""
    monkeypatch.setattr("app.parks.views.CAMERA_MAP_MAX_PARKS", 3)
    utrecht, amersfoort = make_organisation(name="Gemeente Utrecht"), make_organisation(name="Gemeente Amersfoort")
    _parks(utrecht, 3, prefix="Utrecht")
    _parks(amersfoort, 1, prefix="Amersfoort")
    client = login_as(admin)
    everything = client.get("/parken/").get_data(as_text=True)
    assert '"code": "C01"' not in everything
    assert "bij ten hoogste 3 parken" in everything
    one_city = client.get(f"/parken/?gemeente={utrecht.id}").get_data(as_text=True)
    assert one_city.count('"code": "C01"') == 3
    assert "bij ten hoogste" not in one_city
