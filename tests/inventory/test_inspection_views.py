"""The schouw pages: walks, findings on the map, status, the action button, and who may do what."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.clock import local_today
from app.extensions import db as _db
from app.inventory.models import Finding, FindingStatus, Inspection
from app.parks.models import CycleStatus
from app.parks.services import active_cycle
from app.plans.models import PlanAction
from tests.factories import make_member
from tests.inventory.conftest import make_finding, make_inspection

WALKERS = {Role.ADVISOR, Role.MUNICIPALITY, Role.PARTNER, Role.ENTREPRENEUR}


def _url(park, suffix=""):
    return f"/parken/{park.id}/schouw/{suffix}"


@pytest.fixture
def walk(park) -> Inspection:
    return make_inspection(park)


@pytest.fixture
def finding(walk) -> Finding:
    return make_finding(walk)


def test_pages_by_role(login_as, park, other_park, walk, finding, role):
    client = login_as(make_member(role, park))
    for suffix, allowed in [
        ("", set(Role)),
        ("nieuw", WALKERS),
        (f"{walk.id}", set(Role)),
        (f"{walk.id}/schouwrapport.pdf", set(Role)),
        (f"{walk.id}/bewerken", WALKERS),
        (f"{walk.id}/bevindingen/nieuw", WALKERS),
        (f"bevindingen/{finding.id}", set(Role)),
    ]:
        assert client.get(_url(park, suffix)).status_code == (200 if role in allowed else 403), suffix
        # the member has no role on the other park, and the walk and finding are not there either: 404
        assert client.get(_url(other_park, suffix)).status_code == 404, suffix


def test_posts_by_readers_are_refused_and_change_nothing(login_as, park, walk, finding):
    client = login_as(make_member(Role.AUDITOR, park))
    for suffix, data in [
        ("nieuw", {"held_on": "2026-01-05", "light": "dag"}),
        (f"{walk.id}/bewerken", {"held_on": "2026-01-05", "light": "dag"}),
        (f"{walk.id}/verwijderen", {}),
        (f"{walk.id}/bevindingen/nieuw", {"category": "groen", "severity": "laag", "description": "x"}),
        (f"bevindingen/{finding.id}", {"category": "groen", "severity": "laag", "description": "x"}),
        (f"bevindingen/{finding.id}/status", {"status": "opgelost"}),
        (f"bevindingen/{finding.id}/verwijderen", {}),
        (f"bevindingen/{finding.id}/actie", {}),
        (f"bevindingen/{finding.id}/fotos", {}),
    ]:
        assert client.post(_url(park, suffix), data=data).status_code == 403, suffix
    _db.session.expire_all()
    assert len(_db.session.scalars(select(Inspection)).all()) == 1
    assert _db.session.get(Finding, finding.id).description == "Lantaarnpaal kapot bij de ingang"


def test_objects_of_another_park_are_404(login_as, park, other_park, advisor):
    foreign_walk = make_inspection(other_park)
    foreign_finding = make_finding(foreign_walk)
    client = login_as(advisor)
    for suffix in [f"{foreign_walk.id}", f"{foreign_walk.id}/bewerken", f"bevindingen/{foreign_finding.id}"]:
        assert client.get(_url(park, suffix)).status_code == 404, suffix
    for suffix in [f"{foreign_walk.id}/verwijderen", f"bevindingen/{foreign_finding.id}/verwijderen"]:
        assert client.post(_url(park, suffix)).status_code == 404, suffix


def test_a_walk_is_recorded_and_a_finding_added_through_the_pages(login_as, park, with_area):
    client = login_as(make_member(Role.PARTNER, park))
    index = client.get(_url(park)).get_data(as_text=True)
    assert "Er is in deze cyclus nog geen schouw vastgelegd." in index and "Schouw vastleggen" in index
    today = local_today().isoformat()
    response = client.post(
        _url(park, "nieuw"), data={"held_on": today, "light": "donker", "participants": "Peter\nOlga", "notes": ""}
    )
    assert response.status_code == 302
    walk_url = response.headers["Location"]
    assert re.fullmatch(rf"{_url(park)}\d+", walk_url)
    detail = client.get(walk_url).get_data(as_text=True)
    assert "In het donker" in detail and "Bevinding toevoegen" in detail
    form = client.get(walk_url + "/bevindingen/nieuw").get_data(as_text=True)
    assert 'data-lat-field="lat"' in form and 'id="finding-map-data"' in form
    response = client.post(
        walk_url + "/bevindingen/nieuw",
        data={
            "category": "dumping",
            "severity": "hoog",
            "description": "Dumping achter de loods",
            "suggested_action": "Ruimen",
            "lat": "52.105",
            "lon": "5.071",
        },
    )
    assert response.status_code == 302
    assert re.fullmatch(rf"{_url(park)}bevindingen/\d+", response.headers["Location"])
    detail = client.get(walk_url).get_data(as_text=True)
    assert "Dumping achter de loods" in detail
    data = json.loads(re.search(r'id="inspection-map-data">(.*?)</script>', detail, re.S).group(1))
    assert data["area"]["type"] == "Polygon"
    assert [(f["lat"], f["lon"]) for f in data["points"]] == [(52.105, 5.071)]
    assert data["points"][0]["url"].startswith(_url(park, "bevindingen/"))
    assert "style=" not in detail


def test_a_wrong_finding_keeps_the_input_with_422(login_as, park, with_area, walk):
    client = login_as(make_member(Role.ADVISOR, park))
    data = {"category": "groen", "severity": "laag", "description": "Heg te hoog", "lat": "52.2", "lon": "5.07"}
    response = client.post(_url(park, f"{walk.id}/bevindingen/nieuw"), data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "meer dan 250 meter buiten het park" in body and "Heg te hoog" in body and 'value="52.2"' in body
    response = client.post(_url(park, f"{walk.id}/bevindingen/nieuw"), data=data | {"description": ""})
    assert response.status_code == 422 and "Beschrijf wat er is gezien." in response.get_data(as_text=True)
    assert _db.session.scalars(select(Finding)).all() == []


def test_a_future_walk_is_refused_with_422(login_as, park):
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    response = login_as(make_member(Role.ADVISOR, park)).post(
        _url(park, "nieuw"), data={"held_on": tomorrow, "light": "dag"}
    )
    assert response.status_code == 422 and "in de toekomst" in response.get_data(as_text=True)
    response = login_as(make_member(Role.ADVISOR, park)).post(_url(park, "nieuw"), data={"held_on": "", "light": "dag"})
    assert response.status_code == 422 and "Vul de datum van de schouw in." in response.get_data(as_text=True)


def test_a_walk_and_a_finding_are_edited_through_the_pages(login_as, park, walk, finding):
    client = login_as(make_member(Role.ENTREPRENEUR, park))
    edit = client.get(_url(park, f"{walk.id}/bewerken")).get_data(as_text=True)
    assert "Peter Politie" in edit
    response = client.post(
        _url(park, f"{walk.id}/bewerken"), data={"held_on": "2026-01-10", "light": "dag", "participants": "Olga"}
    )
    assert response.status_code == 302
    page = client.get(_url(park, f"bevindingen/{finding.id}")).get_data(as_text=True)
    assert "Bevinding aanpassen" in page and 'value="52.105"' in page
    data = {"category": "hekwerk", "severity": "laag", "description": "Hek staat open", "lat": "", "lon": ""}
    assert client.post(_url(park, f"bevindingen/{finding.id}"), data=data).status_code == 302
    _db.session.expire_all()
    assert (walk.participants, finding.description, finding.lat) == ("Olga", "Hek staat open", None)


def test_resolve_and_reopen_through_the_buttons(login_as, park, walk, finding):
    client = login_as(make_member(Role.PARTNER, park))
    page = client.get(_url(park, f"bevindingen/{finding.id}")).get_data(as_text=True)
    assert "Markeren als opgelost" in page
    response = client.post(_url(park, f"bevindingen/{finding.id}/status"), data={"status": "opgelost"})
    assert response.headers["Location"].endswith(_url(park, str(walk.id)))
    detail = client.get(_url(park, str(walk.id))).get_data(as_text=True)
    assert "Opgelost op" in detail
    client.post(_url(park, f"bevindingen/{finding.id}/status"), data={"status": "open"})
    _db.session.expire_all()
    assert finding.status == FindingStatus.OPEN
    response = client.post(_url(park, f"bevindingen/{finding.id}/status"), data={"status": "x"}, follow_redirects=True)
    assert "Kies open of opgelost." in response.get_data(as_text=True)


def test_the_action_button_makes_one_action_and_links_to_it(login_as, park, walk, finding):
    partner = login_as(make_member(Role.PARTNER, park))
    assert "Actie maken in het uitvoeringsplan" not in partner.get(_url(park, f"bevindingen/{finding.id}")).get_data(
        as_text=True
    )
    client = login_as(make_member(Role.MUNICIPALITY, park))
    page = client.get(_url(park, f"bevindingen/{finding.id}")).get_data(as_text=True)
    assert "Actie maken in het uitvoeringsplan" in page
    response = client.post(_url(park, f"bevindingen/{finding.id}/actie"), follow_redirects=True)
    body = response.get_data(as_text=True)
    action = _db.session.scalars(select(PlanAction)).one()
    assert f"De actie {action.title} staat in het uitvoeringsplan." in body
    assert f'href="/parken/{park.id}/plan/#actie-{action.id}"' in body
    assert "Actie maken in het uitvoeringsplan" not in body
    detail = client.get(_url(park, str(walk.id))).get_data(as_text=True)
    assert f"#actie-{action.id}" in detail
    again = client.post(_url(park, f"bevindingen/{finding.id}/actie"), follow_redirects=True)
    assert "Voor deze bevinding staat al een actie in het plan." in again.get_data(as_text=True)
    assert len(_db.session.scalars(select(PlanAction)).all()) == 1


def test_deleting_through_the_pages(login_as, park, walk, finding):
    client = login_as(make_member(Role.ADVISOR, park))
    finding_page = client.get(_url(park, f"bevindingen/{finding.id}")).get_data(as_text=True)
    assert f'action="{_url(park, f"bevindingen/{finding.id}/verwijderen")}"' in finding_page
    walk_page = client.get(_url(park, str(walk.id))).get_data(as_text=True)
    assert f'action="{_url(park, f"{walk.id}/verwijderen")}"' in walk_page and "Deze schouw verwijderen" in walk_page
    response = client.post(_url(park, f"bevindingen/{finding.id}/verwijderen"))
    assert response.headers["Location"].endswith(_url(park, str(walk.id)))
    response = client.post(_url(park, f"{walk.id}/verwijderen"), follow_redirects=True)
    assert "De schouw is verwijderd." in response.get_data(as_text=True)
    assert _db.session.scalars(select(Inspection)).all() == []


def test_a_closed_cycle_shows_its_walks_read_only(login_as, park, walk, finding):
    active_cycle(park).status = CycleStatus.CLOSED
    _db.session.flush()
    client = login_as(make_member(Role.ADVISOR, park))
    page = client.get(_url(park, f"bevindingen/{finding.id}")).get_data(as_text=True)
    assert "Bevinding aanpassen" not in page and "Markeren als opgelost" not in page
    assert "Actie maken" not in page
    assert "Bevinding toevoegen" not in client.get(_url(park, str(walk.id))).get_data(as_text=True)
    response = client.post(
        _url(park, f"bevindingen/{finding.id}/status"), data={"status": "opgelost"}, follow_redirects=True
    )
    assert "afgesloten" in response.get_data(as_text=True)


def test_every_inventory_page_sends_anonymous_visitors_to_login_and_unknown_parks_are_404(
    client, login_as, park, admin, walk, finding
):
    pages = [
        "cijfers/",
        "cijfers/invoeren",
        "cijfers/importeren",
        "cijfers/exporteren",
        "gebiedsscan/",
        "schouw/",
        "schouw/nieuw",
        f"schouw/{walk.id}",
        f"schouw/bevindingen/{finding.id}",
    ]
    for page in pages:
        response = client.get(f"/parken/{park.id}/{page}")
        assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen"), page
        assert login_as(admin).get(f"/parken/{park.id}/{page}").status_code == 200, page
        assert login_as(admin).get(f"/parken/{2**31}/{page}").status_code == 404, page


def test_a_resolved_finding_offers_no_action_button(login_as, park, finding):
    finding.status = FindingStatus.RESOLVED
    _db.session.flush()
    page = login_as(make_member(Role.ADVISOR, park)).get(_url(park, f"bevindingen/{finding.id}")).get_data(as_text=True)
    assert "Actie maken in het uitvoeringsplan" not in page and "Weer openen" in page
