"""The park's area: validation through set_area, the audit row, and the map page with its form and upload."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest
from shapely.geometry import Point, shape
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.auth.policy import MANAGERS
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.parks.area import set_area, summarize
from tests.factories import make_member, make_membership, make_user

NOW = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)


def rect(west: float, south: float, east: float, north: float) -> list[list[float]]:
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


# About 1.4 km by 1.1 km on Lage Weide, Utrecht: some 150 hectares.
SQUARE = {"type": "Polygon", "coordinates": [rect(5.05, 52.10, 5.07, 52.11)]}
OLD = {"type": "Polygon", "coordinates": [rect(5.10, 52.08, 5.11, 52.09)]}
TWO_SQUARES = {
    "type": "MultiPolygon",
    "coordinates": [[rect(5.05, 52.10, 5.07, 52.11)], [rect(5.08, 52.10, 5.09, 52.11)]],
}
WITH_HOLE = {"type": "Polygon", "coordinates": [rect(5.05, 52.10, 5.07, 52.11), rect(5.055, 52.102, 5.06, 52.105)]}

NOT_JSON = "Dit is geen geldige GeoJSON."
NOT_A_GEOMETRY = "Dit is geen geldige GeoJSON-geometrie."
SELF_INTERSECTING = "De grens snijdt zichzelf of is niet gesloten."
EMPTY = "Het gebied is leeg: teken minstens één vlak."
NOT_AN_AREA = "Een gebied is een vlak (polygoon); lijnen en punten kunnen niet."
OUTSIDE = "Het gebied ligt (deels) buiten Nederland."
TOO_BIG = "Het gebied is te groot voor een bedrijventerrein (meer dan 50 km²)."
TOO_SMALL = "Het gebied is te klein voor een bedrijventerrein (minder dan 0,1 hectare)."

BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[5.05, 52.10], [5.07, 52.11], [5.07, 52.10], [5.05, 52.11], [5.05, 52.10]]],
}
SWAPPED = {"type": "Polygon", "coordinates": [[[y, x] for x, y in rect(5.05, 52.10, 5.07, 52.11)]]}
INVALID = {
    "bow-tie": (BOW_TIE, SELF_INTERSECTING),
    "overlapping polygons": (
        {"type": "MultiPolygon", "coordinates": [[rect(5.05, 52.10, 5.07, 52.11)], [rect(5.06, 52.10, 5.08, 52.11)]]},
        SELF_INTERSECTING,
    ),
    "empty polygon": ({"type": "Polygon", "coordinates": []}, EMPTY),
    "empty collection": ({"type": "FeatureCollection", "features": []}, EMPTY),
    "outside the Netherlands": ({"type": "Polygon", "coordinates": [rect(2.34, 48.85, 2.36, 48.86)]}, OUTSIDE),
    "latitude and longitude swapped": (SWAPPED, OUTSIDE),
    "huge": ({"type": "Polygon", "coordinates": [rect(5.0, 52.0, 5.2, 52.1)]}, TOO_BIG),
    "tiny": ({"type": "Polygon", "coordinates": [rect(5.05, 52.10, 5.0502, 52.1001)]}, TOO_SMALL),
    "not JSON": ("{type: Polygon", NOT_JSON),
    "a JSON list": ("[1, 2]", NOT_JSON),
    "nested too deeply": ("[" * 100_000 + "]" * 100_000, NOT_JSON),
    "features not a list": ({"type": "FeatureCollection", "features": 5}, NOT_JSON),
    "a line": ({"type": "LineString", "coordinates": [[5.05, 52.10], [5.07, 52.11]]}, NOT_AN_AREA),
    "a point in a feature": (
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [5.05, 52.1]}},
        NOT_AN_AREA,
    ),
    "coordinates of text": ({"type": "Polygon", "coordinates": "5.05 52.10"}, NOT_A_GEOMETRY),
    "a feature without geometry": ({"type": "Feature", "geometry": None}, NOT_A_GEOMETRY),
}


def area_events() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "parks.area_set")))


@pytest.fixture
def advisor(park):
    return make_member(Role.ADVISOR, park, name="Anna Adviseur")


# -- the service -----------------------------------------------------------------------------------------------


def test_a_valid_polygon_is_stored_with_a_marker_point_inside_and_an_audit_row(park, advisor):
    set_area(advisor, park, json.dumps(SQUARE), now=NOW)

    assert park.area["type"] == "Polygon"
    assert shape(park.area).equals(shape(SQUARE))
    assert shape(park.area).contains(Point(park.area_lon, park.area_lat))
    [event] = area_events()
    assert (event.actor_id, event.park_id, event.subject_type, event.subject_id) == (
        advisor.id,
        park.id,
        "parks",
        str(park.id),
    )
    assert event.created_at == NOW
    assert event.details["type"] == "Polygon"
    assert event.details["polygons"] == 1
    assert event.details["holes"] == 0
    assert 140 < event.details["hectares"] < 160


def test_a_multipolygon_keeps_its_parts(park, advisor):
    set_area(advisor, park, TWO_SQUARES, now=NOW)

    assert park.area["type"] == "MultiPolygon"
    assert len(park.area["coordinates"]) == 2
    assert area_events()[0].details["polygons"] == 2


def test_a_polygon_with_a_hole_keeps_the_hole(park, advisor):
    set_area(advisor, park, WITH_HOLE, now=NOW)

    assert len(park.area["coordinates"]) == 2
    assert not shape(park.area).contains(Point(5.057, 52.103))
    assert shape(park.area).contains(Point(park.area_lon, park.area_lat))
    assert area_events()[0].details["holes"] == 1


def test_a_feature_is_unwrapped(park, advisor):
    set_area(advisor, park, {"type": "Feature", "properties": {"naam": "Lage Weide"}, "geometry": SQUARE}, now=NOW)

    assert park.area["type"] == "Polygon"
    assert "properties" not in park.area


def test_a_feature_collection_of_several_polygons_becomes_one_multipolygon(park, advisor):
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": polygon}}
            for polygon in TWO_SQUARES["coordinates"]
        ],
    }
    set_area(advisor, park, json.dumps(collection), now=NOW)

    assert park.area["type"] == "MultiPolygon"
    assert shape(park.area).equals(shape(TWO_SQUARES))


def test_a_new_boundary_replaces_the_old_one(park, advisor):
    set_area(advisor, park, OLD, now=NOW)
    set_area(advisor, park, SQUARE, now=NOW)

    assert shape(park.area).equals(shape(SQUARE))
    assert len(area_events()) == 2


@pytest.mark.parametrize("raw, message", INVALID.values(), ids=INVALID.keys())
def test_invalid_input_is_refused_with_a_dutch_message_and_the_old_boundary_stays(park, advisor, raw, message):
    set_area(advisor, park, OLD, now=NOW)
    old_point = (park.area_lat, park.area_lon)

    with pytest.raises(DomainError) as refused:
        set_area(advisor, park, raw, now=NOW)

    assert message in refused.value.message
    assert shape(park.area).equals(shape(OLD))
    assert (park.area_lat, park.area_lon) == old_point
    assert len(area_events()) == 1


def test_the_municipality_and_admins_may_set_the_area(park, admin):
    officer = make_user()
    make_membership(officer, Role.MUNICIPALITY, municipality=park.municipality)

    set_area(officer, park, SQUARE, now=NOW)
    set_area(admin, park, TWO_SQUARES, now=NOW)

    assert [e.actor_id for e in area_events()] == [officer.id, admin.id]


@pytest.mark.parametrize("role", sorted(set(Role) - MANAGERS, key=lambda r: r.value), ids=lambda r: r.value)
def test_other_roles_may_not_set_the_area(park, role):
    member = make_member(role, park)

    with pytest.raises(NotAllowed):
        set_area(member, park, SQUARE, now=NOW)

    assert park.area is None
    assert area_events() == []


def test_an_advisor_of_another_park_may_not_set_the_area(park, other_park):
    outsider = make_member(Role.ADVISOR, other_park)

    with pytest.raises(NotAllowed):
        set_area(outsider, park, SQUARE, now=NOW)


def test_summarize():
    assert summarize(None) is None
    summary = summarize(TWO_SQUARES)
    assert (summary.polygons, summary.holes) == (2, 0)
    assert 200 < summary.hectares < 240
    assert summarize(WITH_HOLE).holes == 1


# -- the page ----------------------------------------------------------------------------------------------------


def url(park_or_id) -> str:
    park_id = getattr(park_or_id, "id", park_or_id)
    return f"/parken/{park_id}/gebied/"


def reload(park):
    db.session.expire_all()
    return park


def test_advisor_sees_the_map_the_form_and_no_area_yet(login_as, park, advisor):
    response = login_as(advisor).get(url(park))

    assert response.status_code == 200
    page = response.text
    assert "Nog geen gebied ingetekend." in page
    assert 'id="area-map"' in page
    assert '<script type="application/json" id="area-data">null</script>' in page
    assert 'name="geojson"' in page
    assert 'name="upload"' in page
    assert "leaflet-geoman.js" in page
    assert "js/area-map.js" in page
    assert 'style="' not in page  # the CSP forbids inline styles


def test_the_page_describes_a_stored_area_in_words(login_as, park, advisor):
    park.area = TWO_SQUARES

    page = login_as(advisor).get(url(park)).text

    assert "Het gebied is ingetekend: 2 vlakken, samen ca. 2" in page
    assert "hectare." in page
    assert '"type": "MultiPolygon"' in page.split('id="area-data">')[1].split("</script>")[0]


@pytest.mark.parametrize("role", sorted(set(Role) - MANAGERS, key=lambda r: r.value), ids=lambda r: r.value)
def test_other_members_see_the_area_without_edit_controls_and_may_not_post(login_as, park, role):
    park.area = SQUARE
    client = login_as(make_member(role, park))

    response = client.get(url(park))
    assert response.status_code == 200
    assert "Het gebied is ingetekend: 1 vlak van ca. " in response.text
    assert 'id="area-data"' in response.text
    for control in ('name="geojson"', 'name="upload"', "leaflet-geoman.js", "Gebied opslaan"):
        assert control not in response.text

    assert client.post(url(park), data={"geojson": json.dumps(OLD)}).status_code == 403
    assert shape(reload(park).area).equals(shape(SQUARE))


def test_advisor_saves_the_drawn_or_pasted_geojson(login_as, park, advisor):
    client = login_as(advisor)

    response = client.post(url(park), data={"geojson": json.dumps(SQUARE)})

    assert response.status_code == 302
    assert response.headers["Location"].endswith(url(park))
    assert shape(reload(park).area).equals(shape(SQUARE))
    page = client.get(url(park)).text
    assert "Het gebied is opgeslagen." in page
    assert "Het gebied is ingetekend: 1 vlak van ca. 15" in page
    assert len(area_events()) == 1


def test_invalid_geojson_in_the_field_shows_the_message_and_keeps_the_old_boundary(login_as, park, advisor):
    park.area = OLD

    response = login_as(advisor).post(url(park), data={"geojson": json.dumps(BOW_TIE)})

    assert response.status_code == 422
    assert SELF_INTERSECTING in response.text
    assert 'aria-invalid="true"' in response.text
    # the refused drawing stays in the field, so the map shows it to be corrected
    assert "5.07, 52.11], [5.07, 52.1]" in response.text
    assert shape(reload(park).area).equals(shape(OLD))
    assert area_events() == []


def test_nothing_drawn_and_no_file(login_as, park, advisor):
    response = login_as(advisor).post(url(park), data={"geojson": "  "})

    assert response.status_code == 422
    assert "Teken een gebied op de kaart, plak GeoJSON of kies een bestand." in response.text


def post_multipart(client, path: str, fields: dict):
    """A multipart post (as the page's form sends) built in memory: the test client would spool a large body to
    a temporary file that it never closes."""
    boundary, body = encode_multipart({"csrf_token": client.csrf_token(), **fields})
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_a_large_but_allowed_field_is_read(login_as, park, advisor):
    # beyond Flask's default limit of 500 kB for a form field, within the page's 2 MB
    padded = json.dumps(SQUARE) + " " * 700_000

    response = post_multipart(login_as(advisor), url(park), {"geojson": padded})

    assert response.status_code == 302
    assert reload(park).area is not None


def test_a_field_larger_than_2_mb_is_refused(login_as, park, advisor):
    response = post_multipart(login_as(advisor), url(park), {"geojson": json.dumps(SQUARE) + " " * (2 * 1024 * 1024)})

    assert response.status_code == 413
    assert reload(park).area is None


def upload(content: bytes, filename: str = "gebied.geojson") -> dict:
    return {"geojson": "", "upload": FileStorage(io.BytesIO(content), filename)}


def test_advisor_uploads_a_geojson_file(login_as, park, advisor):
    collection = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": SQUARE}]}

    response = login_as(advisor).post(url(park), data=upload(json.dumps(collection).encode()))

    assert response.status_code == 302
    assert shape(reload(park).area).equals(shape(SQUARE))


def test_an_uploaded_file_goes_before_the_field(login_as, park, advisor):
    data = upload(b"\xef\xbb\xbf" + json.dumps(TWO_SQUARES).encode(), "Gebied.JSON") | {"geojson": json.dumps(OLD)}

    assert login_as(advisor).post(url(park), data=data).status_code == 302
    assert reload(park).area["type"] == "MultiPolygon"


@pytest.mark.parametrize(
    "content, filename, message",
    [
        (json.dumps(SQUARE).encode("utf-16"), "gebied.geojson", "Het bestand is geen tekst in UTF-8."),
        ("{'naam': 'Überweg'}".encode("latin-1"), "gebied.json", "Het bestand is geen tekst in UTF-8."),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "gebied.geojson", "Het bestand is geen tekst in UTF-8."),
        (json.dumps(SQUARE).encode(), "gebied.kml", "Kies een bestand dat eindigt op .geojson of .json."),
        (b"not json at all", "gebied.geojson", NOT_JSON),
        (json.dumps(SQUARE).encode() + b" " * (2 * 1024 * 1024), "gebied.geojson", "Het bestand is groter dan 2 MB."),
    ],
    ids=["utf-16", "latin-1", "binary", "wrong extension", "not json", "larger than 2 MB"],
)
def test_unusable_uploads_get_a_clear_message(login_as, park, advisor, content, filename, message):
    park.area = OLD

    response = post_multipart(login_as(advisor), url(park), upload(content, filename))

    assert response.status_code == 422
    assert message in response.text
    assert 'id="upload-error"' in response.text
    assert shape(reload(park).area).equals(shape(OLD))


def test_a_request_beyond_the_site_limit_gets_413(login_as, park, advisor):
    response = post_multipart(login_as(advisor), url(park), upload(b" " * (17 * 1024 * 1024)))

    assert response.status_code == 413
    assert reload(park).area is None


def test_a_post_without_csrf_token_changes_nothing(login_as, park, advisor):
    response = login_as(advisor).post(url(park), data={"geojson": json.dumps(SQUARE)}, csrf=False)

    assert response.status_code == 400
    assert reload(park).area is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_advisor_of_another_park_gets_404(login_as, park, other_park, method):
    outsider = make_member(Role.ADVISOR, other_park)

    response = getattr(login_as(outsider), method)(url(park), data={"geojson": json.dumps(SQUARE)})

    assert response.status_code == 404
    assert reload(park).area is None


@pytest.mark.parametrize("park_id", [999_999, 2**31, 10**30])
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_park_gives_404(login_as, admin, park_id, method):
    response = getattr(login_as(admin), method)(url(park_id), data={"geojson": json.dumps(SQUARE)})

    assert response.status_code == 404


def test_anonymous_users_are_sent_to_the_login_page(client, park):
    assert client.get(url(park)).status_code == 302
    assert client.post(url(park), data={"geojson": json.dumps(SQUARE)}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_the_role_matrix_on_the_page(login_as, park, role):
    member = make_member(role, park)

    response = login_as(member).post(url(park), data={"geojson": json.dumps(SQUARE)})

    assert response.status_code == (302 if role in MANAGERS else 403)
