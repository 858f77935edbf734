"""Printed maps: the background from a (local) tile server and its cache, and the map without it."""

from __future__ import annotations

import math
import os
import socket
import time
from dataclasses import replace
from io import BytesIO

import docx
import pytest
from docx.shared import Mm
from PIL import Image
from reportlab.lib.units import mm

from app.cameras.models import Camera, CameraNetwork, CameraStatus, CameraType
from app.extensions import db as _db
from app.inventory.models import Finding, FindingCategory, Severity
from app.reports import maps, tiles
from tests import factories
from tests.tileserver import LAND

AREA = {
    "type": "Polygon",
    "coordinates": [[[5.05, 52.10], [5.07, 52.10], [5.07, 52.11], [5.05, 52.11], [5.05, 52.10]]],
}
OFFLINE_BACKGROUND = (250, 250, 248)


@pytest.fixture
def mapped(park):
    park.area = AREA
    factories.make_company(park, lat=52.105, lon=5.06)
    _db.session.flush()
    return park


def _image(png: bytes) -> Image.Image:
    return Image.open(BytesIO(png)).convert("RGB")


def _render(park, **options) -> Image.Image:
    return _image(maps.map_png(park, **({"width_mm": 120, "height_mm": 90} | options)))


def _has_dark_text_in_the_top_middle(image: Image.Image) -> bool:
    """The note sits in the top middle, where nothing else is drawn."""
    width = image.width
    strip = image.crop((width * 0.4, 3, width * 0.6, image.height * 0.08))
    return any(max(pixel) < 100 for pixel in strip.get_flattened_data())


def _outside_the_area(image: Image.Image) -> set[tuple[int, int, int]]:
    """The colours left of the area, below the legend: background only."""
    strip = image.crop((image.width * 0.01, image.height * 0.3, image.width * 0.08, image.height * 0.7))
    return set(strip.get_flattened_data())


#: the generated land colour, lightened by a fifth as the map does with its background
LIGHTENED_LAND = tuple(round(c * 0.8 + 255 * 0.2) for c in LAND)


def test_a_park_without_an_area_has_no_map(app, park):
    assert maps.map_png(park, width_mm=100, height_mm=80) is None
    assert maps.map_flowable(park, width_mm=100, height_mm=80) is None


def test_the_tests_print_no_background_and_say_so(app, mapped):
    image = _render(mapped)
    assert image.size == (round(120 * 200 / 25.4), round(90 * 200 / 25.4))
    assert _outside_the_area(image) == {OFFLINE_BACKGROUND}
    assert _has_dark_text_in_the_top_middle(image)


def test_the_background_comes_from_the_tile_server(app, mapped, tile_server):
    image = _render(mapped)
    assert tile_server.requests and all(path.startswith("/15/") for path in tile_server.requests)
    assert len(tile_server.requests) == len(set(tile_server.requests)) <= app.config["MAP_TILE_MAX"]
    # the generated land shows around the area and under its translucent fill
    assert any(max(abs(a - b) for a, b in zip(c, LIGHTENED_LAND, strict=True)) <= 2 for c in _outside_the_area(image))
    centre = image.getpixel((image.width // 2, image.height // 2))
    assert centre != _render_offline_centre(mapped) and max(centre) < 245
    assert not _has_dark_text_in_the_top_middle(image)


def _render_offline_centre(park) -> tuple[int, int, int]:
    image = maps.render(maps.map_view(park.area, [], width_mm=120, height_mm=90, dpi=200, max_tiles=48), None, "")
    image = _image(image)
    return image.getpixel((image.width // 2, image.height // 2))


def test_the_tiles_are_asked_for_honestly(app, mapped, tile_server):
    _render(mapped)
    assert tile_server.agents and all(a.startswith("Veilig Bedrijventerrein") for a in tile_server.agents)


def test_the_second_map_comes_from_the_cache(app, mapped, tile_server):
    first = _render(mapped)
    asked = len(tile_server.requests)
    second = _render(mapped)
    assert len(tile_server.requests) == asked
    assert first.tobytes() == second.tobytes()


def test_an_expired_tile_is_fetched_again(app, mapped, tile_server, tmp_path):
    _render(mapped)
    asked = len(tile_server.requests)
    old = time.time() - 31 * 86400
    for path in (tmp_path / "tiles").rglob("*.png"):
        os.utime(path, (old, old))
    _render(mapped)
    assert len(tile_server.requests) == 2 * asked


def test_the_cache_file_names_are_safe_whatever_the_template(tmp_path):
    source = tiles.TileSource("https://x/../../{z}/{x}/{y}?k=/etc", tmp_path, 60, 1, 1, "test")
    path = source.cache_path((15, 1, 2))
    assert path.parent.parent == tmp_path and path.name.endswith(".png") and ".." not in path.name
    assert path != tiles.TileSource("https://y/{z}/{x}/{y}", tmp_path, 60, 1, 1, "test").cache_path((15, 1, 2))


@pytest.mark.parametrize("mode", ["error", "garbage"])
def test_a_failing_tile_server_leaves_the_map_without_background(app, mapped, tile_server, tmp_path, mode):
    tile_server.mode = mode
    image = _render(mapped)
    assert tile_server.requests
    assert _outside_the_area(image) == {OFFLINE_BACKGROUND}
    assert _has_dark_text_in_the_top_middle(image)
    assert not list((tmp_path / "tiles").rglob("*.png"))  # nothing broken is kept


def test_a_failed_server_is_left_alone_for_a_while(app, mapped, tile_server, monkeypatch):
    tile_server.mode = "error"
    _render(mapped)
    asked = len(tile_server.requests)
    tile_server.mode = "ok"
    image = _render(mapped)
    assert len(tile_server.requests) == asked and _has_dark_text_in_the_top_middle(image)
    monkeypatch.setattr(tiles, "_failed_until", {})  # the while has passed
    image = _render(mapped)
    assert len(tile_server.requests) > asked and not _has_dark_text_in_the_top_middle(image)


def test_a_tile_server_that_is_down_leaves_the_map_without_background(app, mapped, tile_server, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setitem(app.config, "MAP_TILE_URL", f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png")
    image = _render(mapped)
    assert _outside_the_area(image) == {OFFLINE_BACKGROUND} and _has_dark_text_in_the_top_middle(image)


def test_a_slow_tile_server_is_not_waited_for(app, mapped, tile_server):
    tile_server.mode, tile_server.delay = "slow", 3
    started = time.monotonic()
    image = _render(mapped)
    # each tile waits at most the timeout (0.5 s), all of them together at most the budget (1.5 s)
    assert time.monotonic() - started < 2.5
    assert _has_dark_text_in_the_top_middle(image)


def test_the_zoom_is_lowered_to_keep_the_tile_count(app):
    generous = maps.map_view(AREA, [], width_mm=170, height_mm=200, dpi=200, max_tiles=48)
    frugal = maps.map_view(AREA, [], width_mm=170, height_mm=200, dpi=200, max_tiles=6)
    assert len(generous.tiles()) <= 48 and len(frugal.tiles()) <= 6 < len(generous.tiles())
    assert frugal.zoom < generous.zoom


def test_the_map_is_true_to_scale(app):
    view = maps.map_view(AREA, [], width_mm=170, height_mm=200, dpi=200, max_tiles=48)
    (left, bottom), (right, top) = view.point(5.05, 52.10), view.point(5.07, 52.11)
    # 0.02 degrees of longitude at 52.105° N on the sphere, 0.01 degrees of latitude
    assert (right - left) * view.metres_per_px() == pytest.approx(
        0.02 * 111_195 * math.cos(math.radians(52.105)), rel=0.01
    )
    assert (bottom - top) * view.metres_per_px() == pytest.approx(0.01 * 111_195, rel=0.01)
    # north up, the whole area inside the image with room around it
    assert 0 < left < right < view.width_px and 0 < top < bottom < view.height_px


def test_the_markers_are_the_companies_cameras_in_use_and_placed_findings_worst_first(app, mapped):
    network = CameraNetwork(park=mapped, name="Netwerk")
    network.cameras += [
        Camera(code="C1", type=CameraType.FIXED, lat=52.104, lon=5.052),
        Camera(code="C2", type=CameraType.ANPR, lat=52.108, lon=5.068),
        Camera(code="C3", type=CameraType.FLEXIBLE, lat=52.101, lon=5.065, status=CameraStatus.REMOVED),
    ]
    _db.session.add(network)
    _db.session.flush()
    findings = [
        Finding(category=FindingCategory.VERLICHTING, severity=Severity.MEDIUM, description="w", lat=52.102, lon=5.06),
        Finding(category=FindingCategory.VERLICHTING, severity=Severity.HIGH, description="x", lat=52.103, lon=5.06),
        Finding(category=FindingCategory.VERLICHTING, severity=Severity.LOW, description="y"),
    ]
    markers = maps.markers_of(mapped, companies=True, cameras=True, findings=findings)
    assert [m.label for m in markers] == [
        "Bedrijf",
        "Vaste camera",
        "Kentekencamera (ANPR)",
        "Bevinding, ernst hoog (urgent)",
        "Bevinding, ernst middel",
    ]
    assert len({(m.shape, m.colour) for m in markers}) == 5
    assert maps.markers_of(mapped, companies=False) == []


def test_a_finding_carries_its_number_in_the_list_and_it_is_printed_beside_it(app, mapped):
    findings = [
        Finding(category=FindingCategory.VERLICHTING, severity=Severity.LOW, description="no place"),
        Finding(category=FindingCategory.VERLICHTING, severity=Severity.LOW, description="x", lat=52.103, lon=5.06),
    ]
    (marker,) = maps.markers_of(mapped, companies=False, findings=findings)
    assert marker.number == "2"
    view = maps.map_view(AREA, [marker], width_mm=120, height_mm=90, dpi=200, max_tiles=48)
    x, y = view.point(5.06, 52.103)
    offset = view.px(2.2)
    beside = (x + offset, y - offset * 2.5, x + offset + view.px(3), y - offset / 2)
    numbered = _image(maps.render(view, None, "")).crop(beside)
    unnumbered = _image(maps.render(replace(view, markers=[replace(marker, number="")]), None, "")).crop(beside)

    def dark(image: Image.Image) -> int:
        return sum(max(pixel) < 60 for pixel in image.get_flattened_data())

    assert dark(numbered) > dark(unnumbered) + 10


def test_a_camera_is_drawn_in_its_type_colour(app, mapped):
    network = CameraNetwork(park=mapped, name="Netwerk")
    network.cameras.append(Camera(code="K1", type=CameraType.ANPR, lat=52.108, lon=5.068))
    _db.session.add(network)
    _db.session.flush()
    png = maps.map_png(mapped, companies=False, cameras=True, width_mm=120, height_mm=90)
    view = maps.map_view(
        AREA, maps.markers_of(mapped, companies=False, cameras=True), width_mm=120, height_mm=90, dpi=200, max_tiles=48
    )
    x, y = view.point(5.068, 52.108)
    assert _image(png).getpixel((round(x), round(y))) == maps.CAMERA_STYLES[CameraType.ANPR][1]


def test_the_attribution_is_printed_decoded(app, mapped, tile_server, monkeypatch):
    printed = []
    monkeypatch.setattr(maps, "render", lambda view, background, attribution: printed.append(attribution) or b"")
    maps.map_png(mapped, width_mm=50, height_mm=50)
    assert printed == ["Kaartgegevens © Kadaster (BRT Achtergrondkaart)"]


def test_a_linked_attribution_prints_as_text():
    assert maps.plain('<a href="https://www.kadaster.nl">Kaartgegevens &copy; Kadaster</a>') == (
        "Kaartgegevens © Kadaster"
    )


def test_the_png_goes_into_a_pdf_and_a_docx(app, mapped):
    flowable = maps.map_flowable(mapped, width_mm=150, height_mm=100)
    assert (flowable.drawWidth, flowable.drawHeight) == (150 * mm, 100 * mm)
    document = docx.Document()
    document.add_picture(BytesIO(maps.map_png(mapped, width_mm=150, height_mm=100)), width=Mm(150))
    out = BytesIO()
    document.save(out)
    assert docx.Document(BytesIO(out.getvalue())).inline_shapes[0].width == Mm(150)


def test_a_hole_in_the_area_is_left_clear(app, park):
    ring = [[5.05, 52.10], [5.07, 52.10], [5.07, 52.11], [5.05, 52.11], [5.05, 52.10]]
    hole = [[5.058, 52.104], [5.062, 52.104], [5.062, 52.106], [5.058, 52.106], [5.058, 52.104]]
    other = [[5.08, 52.10], [5.09, 52.10], [5.09, 52.11], [5.08, 52.10]]
    park.area = {"type": "MultiPolygon", "coordinates": [[ring, hole], [other]]}
    image = _render(park, companies=False)
    view = maps.map_view(park.area, [], width_mm=120, height_mm=90, dpi=200, max_tiles=48)
    assert image.getpixel(tuple(round(v) for v in view.point(5.06, 52.105))) == OFFLINE_BACKGROUND
    assert image.getpixel(tuple(round(v) for v in view.point(5.052, 52.105))) != OFFLINE_BACKGROUND
    assert image.getpixel(tuple(round(v) for v in view.point(5.087, 52.102))) != OFFLINE_BACKGROUND
