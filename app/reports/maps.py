"""Printed maps of a park: its boundary with companies, cameras or findings over the background tiles, as a PNG."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

import reportlab
from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.units import mm
from reportlab.platypus import Flowable
from reportlab.platypus import Image as ImageFlowable

from app.cameras.models import CameraStatus, CameraType
from app.cameras.networks import network_of
from app.inventory.models import Finding, Severity
from app.parks.models import Park
from app.reports import tiles
from app.reports.tiles import TILE_SIZE, Tile, TileSource

HOUSE_RGB = (0x24, 0x57, 0x8F)
EARTH_CIRCUMFERENCE = 40_075_016.686  # metres at the equator (Web Mercator's sphere)
MAX_ZOOM = 19
#: the printed size of one background tile pixel: about that of a screen, so the map's labels stay readable
TILE_PIXEL_MM = 0.2
#: room around the area and the markers, as a share of their extent on each side
MARGIN = 0.12
SCALE_STEPS = (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000)
FONT_DIR = Path(reportlab.__file__).parent / "fonts"

COMPANY_STYLE = ("circle", (0x3B, 0x3B, 0x3B))
CAMERA_STYLES = {
    CameraType.FIXED: ("square", (0x6A, 0x3D, 0x9A)),
    CameraType.FLEXIBLE: ("diamond", (0x1B, 0x9E, 0x77)),
    CameraType.ANPR: ("pentagon", (0xD9, 0x5F, 0x02)),
}
FINDING_COLOURS = {
    Severity.HIGH: (0xD7, 0x19, 0x1C),
    Severity.MEDIUM: (0xF2, 0x8E, 0x2B),
    Severity.LOW: (0xF2, 0xCF, 0x1D),
}


@dataclass(frozen=True)
class Marker:
    lat: float
    lon: float
    label: str
    shape: str
    colour: tuple[int, int, int]
    #: printed beside the symbol: a finding's number in the report's table ("" for none)
    number: str = ""


@dataclass(frozen=True)
class MapView:
    """One printed map as plain data: the image size, the zoom and the window onto the zoom's world pixels (Web
    Mercator, 256 per tile), the area's polygons ([lon, lat] rings, outer first) and the markers."""

    width_px: int
    height_px: int
    dpi: int
    zoom: int
    left: float
    top: float
    #: world pixels (at the zoom) per image pixel
    per_px: float
    polygons: list[list[list[list[float]]]]
    markers: list[Marker]

    def tiles(self) -> list[Tile]:
        """The tiles under the window, row by row."""
        last = 2**self.zoom - 1
        first_x, first_y = int(self.left // TILE_SIZE), max(int(self.top // TILE_SIZE), 0)
        end_x = int((self.left + self.width_px * self.per_px) // TILE_SIZE)
        end_y = min(int((self.top + self.height_px * self.per_px) // TILE_SIZE), last)
        return [(self.zoom, x, y) for y in range(first_y, end_y + 1) for x in range(first_x, end_x + 1)]

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        """Where a WGS84 point falls on the image, in image pixels from the top left."""
        world = TILE_SIZE * 2**self.zoom
        x, y = _mercator(lon, lat)
        return (x * world - self.left) / self.per_px, (y * world - self.top) / self.per_px

    def metres_per_px(self) -> float:
        """Ground distance of one image pixel at the window's middle (Mercator stretches it with latitude)."""
        world = TILE_SIZE * 2**self.zoom
        middle = (self.top + self.height_px * self.per_px / 2) / world
        lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * middle))))
        return EARTH_CIRCUMFERENCE * math.cos(math.radians(lat)) / world * self.per_px

    def px(self, millimetres: float) -> int:
        return max(1, round(millimetres * self.dpi / 25.4))


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator in the unit square: x east from 180° W, y south from the top of the world."""
    lat = max(min(lat, 85.0511), -85.0511)
    sin = math.sin(math.radians(lat))
    return (lon + 180) / 360, 0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)


def _polygons(area: dict[str, Any]) -> list[list[list[list[float]]]]:
    """The polygons of a Polygon or MultiPolygon geometry, each as its rings (outer first) of [lon, lat]."""
    if area.get("type") == "Polygon":
        return [area["coordinates"]]
    if area.get("type") == "MultiPolygon":
        return list(area["coordinates"])
    return []


def markers_of(
    park: Park, *, companies: bool = True, cameras: bool = False, findings: Iterable[Finding] | None = None
) -> list[Marker]:
    """The park's companies, its cameras in use (by type) and the given inspection findings (by severity), those
    with a position. A finding is numbered by its place in `findings` (from 1, a finding without a position
    keeping its number), as the report's table numbers them."""
    markers = []
    if companies:
        shape, colour = COMPANY_STYLE
        markers += [
            Marker(c.lat, c.lon, _("Bedrijf"), shape, colour)
            for c in park.companies
            if c.lat is not None and c.lon is not None
        ]
    # grouped by type and severity (the worst first), so that the legend lists them in that order
    if cameras and (network := network_of(park)) is not None:
        for kind, (shape, colour) in CAMERA_STYLES.items():
            markers += [
                Marker(c.lat, c.lon, str(kind.label), shape, colour)
                for c in network.cameras
                if c.type == kind and c.status != CameraStatus.REMOVED
            ]
    placed = [(n, f) for n, f in enumerate(findings or (), start=1) if f.lat is not None and f.lon is not None]
    for severity, colour in FINDING_COLOURS.items():
        label = _("Bevinding, ernst %(severity)s", severity=str(severity.label).lower())
        markers += [
            Marker(f.lat, f.lon, label, "triangle", colour, str(n)) for n, f in placed if f.severity == severity
        ]
    return markers


def map_view(
    area: dict[str, Any], markers: Sequence[Marker], *, width_mm: float, height_mm: float, dpi: int, max_tiles: int
) -> MapView:
    """The window that shows the area and the markers with some room around them, at the zoom whose tile pixels
    print at about TILE_PIXEL_MM, or lower when that would take more than `max_tiles` tiles."""
    polygons = _polygons(area)
    points = [_mercator(lon, lat) for polygon in polygons for ring in polygon for lon, lat in ring]
    points += [_mercator(m.lon, m.lat) for m in markers]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    width_px, height_px = round(width_mm * dpi / 25.4), round(height_mm * dpi / 25.4)
    # the unit square's share per image pixel that fits both extents (never zero, even for a single point)
    extent = max((max(xs) - min(xs)) / width_px, (max(ys) - min(ys)) / height_px, 1e-11) * (1 + 2 * MARGIN)
    wanted = TILE_PIXEL_MM / (25.4 / dpi)  # image pixels per tile pixel
    zoom = min(MAX_ZOOM, max(0, round(math.log2(1 / (extent * TILE_SIZE * wanted)))))
    centre_x, centre_y = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    while True:
        world = TILE_SIZE * 2**zoom
        view = MapView(
            width_px=width_px,
            height_px=height_px,
            dpi=dpi,
            zoom=zoom,
            left=centre_x * world - width_px * extent * world / 2,
            top=centre_y * world - height_px * extent * world / 2,
            per_px=extent * world,
            polygons=polygons,
            markers=list(markers),
        )
        if len(view.tiles()) <= max_tiles or zoom == 0:
            return view
        zoom -= 1


# Rendering --------------------------------------------------------------------------------------------------


@cache
def _font(size_px: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / ("VeraBd.ttf" if bold else "Vera.ttf")), size_px)


def _background(view: MapView, images: dict[Tile, Image.Image]) -> Image.Image:
    """The tiles stitched and cut to the window, a little lighter so that the boundary and markers stand out."""
    keys = view.tiles()
    first_x, first_y = min(x for _z, x, _y in keys), min(y for _z, _x, y in keys)
    columns = max(x for _z, x, _y in keys) - first_x + 1
    rows = max(y for _z, _x, y in keys) - first_y + 1
    mosaic = Image.new("RGB", (columns * TILE_SIZE, rows * TILE_SIZE), "white")
    for (_z, x, y), image in images.items():
        mosaic.paste(image, ((x - first_x) * TILE_SIZE, (y - first_y) * TILE_SIZE))
    left, top = view.left - first_x * TILE_SIZE, view.top - first_y * TILE_SIZE
    box = (left, top, left + view.width_px * view.per_px, top + view.height_px * view.per_px)
    window = mosaic.resize((view.width_px, view.height_px), Image.Resampling.LANCZOS, box=box)
    return Image.blend(window, Image.new("RGB", window.size, "white"), 0.2).convert("RGBA")


def _symbol(draw: ImageDraw.ImageDraw, view: MapView, x: float, y: float, shape: str, colour: tuple) -> None:
    radius, rim = view.px(1.8), view.px(0.35)
    outline = {"fill": (*colour, 255), "outline": (255, 255, 255, 255), "width": rim}
    if shape == "circle":
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), **outline)
    elif shape == "square":
        side = radius * 0.9
        draw.rectangle((x - side, y - side, x + side, y + side), **outline)
    else:
        sides, rotation = {"diamond": (4, 45), "pentagon": (5, 0), "triangle": (3, 0)}[shape]
        draw.regular_polygon((x, y, radius * 1.2), sides, rotation=rotation, **outline)


def _boundary(image: Image.Image, view: MapView) -> Image.Image:
    """The area in a light translucent house colour with a solid edge; holes stay clear."""
    fill = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(fill)
    rings = [[[view.point(lon, lat) for lon, lat in ring] for ring in polygon] for polygon in view.polygons]
    for outer, *holes in rings:
        draw.polygon(outer, fill=(*HOUSE_RGB, 55))
        for hole in holes:
            draw.polygon(hole, fill=(0, 0, 0, 0))
    image = Image.alpha_composite(image, fill)
    draw = ImageDraw.Draw(image)
    for polygon in rings:
        for ring in polygon:
            draw.line([*ring, ring[0]], fill=(*HOUSE_RGB, 255), width=view.px(0.7), joint="curve")
    return image


def _panel(image: Image.Image, box: tuple[float, float, float, float]) -> ImageDraw.ImageDraw:
    """A white, nearly opaque box to print on; returns a drawer for the image."""
    veil = Image.new("RGBA", image.size, (0, 0, 0, 0))
    ImageDraw.Draw(veil).rectangle(box, fill=(255, 255, 255, 225), outline=(120, 120, 120, 255), width=1)
    image.alpha_composite(veil)
    return ImageDraw.Draw(image)


def _legend(image: Image.Image, view: MapView) -> None:
    entries = list(dict.fromkeys((m.label, m.shape, m.colour) for m in view.markers))
    font = _font(view.px(2.6))
    pad, line = view.px(2), view.px(4.2)
    labels = [_("Grens van het gebied"), *(label for label, _shape, _colour in entries)]
    width = pad * 3 + view.px(4) + max(font.getlength(label) for label in labels)
    draw = _panel(image, (pad, pad, pad + width, pad * 2 + line * len(labels)))
    x, y = pad * 2 + view.px(2), pad * 1.5 + line / 2
    draw.rectangle(
        (x - view.px(2), y - view.px(1.3), x + view.px(2), y + view.px(1.3)),
        fill=(0xD4, 0xDD, 0xE9, 255),
        outline=(*HOUSE_RGB, 255),
        width=view.px(0.5),
    )
    for index, label in enumerate(labels):
        row = y + index * line
        if index:
            _label, shape, colour = entries[index - 1]
            _symbol(draw, view, x, row, shape, colour)
        draw.text((x + view.px(4), row), label, font=font, fill=(26, 26, 26, 255), anchor="lm")


def _scale_bar(image: Image.Image, view: MapView) -> None:
    """A bar of a round length (at most a third of the map's width) in two halves, bottom left."""
    metres_per_px = view.metres_per_px()
    length = max([s for s in SCALE_STEPS if s / metres_per_px <= view.width_px / 3] or [SCALE_STEPS[0]])
    bar = length / metres_per_px
    font = _font(view.px(2.6))
    label = f"{length // 1000} km" if length >= 1000 else f"{length} m"
    pad, height = view.px(2), view.px(1.2)
    bottom = view.height_px - pad
    right = pad * 2 + bar + max(font.getlength(label) / 2, pad)
    draw = _panel(image, (pad, bottom - pad * 2 - height - view.px(3), right + pad, bottom))
    x, y = pad * 2, bottom - pad - height
    black, white = (26, 26, 26, 255), (255, 255, 255, 255)
    draw.rectangle((x, y, x + bar / 2, y + height), fill=black, outline=black)
    draw.rectangle((x + bar / 2, y, x + bar, y + height), fill=white, outline=black)
    draw.text((x, y - view.px(0.8)), "0", font=font, fill=black, anchor="ls")
    draw.text((x + bar, y - view.px(0.8)), label, font=font, fill=black, anchor="ms")


def _north_arrow(image: Image.Image, view: MapView) -> None:
    pad, size = view.px(2), view.px(5)
    right = view.width_px - pad
    draw = _panel(image, (right - size - pad * 2, pad, right, pad * 2 + size * 1.9))
    x, top = right - pad - size / 2, pad * 1.5 + view.px(3.5)
    black = (26, 26, 26, 255)
    draw.text((x, pad * 1.4), "N", font=_font(view.px(3.2), bold=True), fill=black, anchor="mt")
    draw.polygon([(x, top), (x + size / 2, top + size * 1.1), (x, top + size * 0.8)], fill=black)
    draw.polygon([(x, top), (x - size / 2, top + size * 1.1), (x, top + size * 0.8)], outline=black, width=2)


def _note(image: Image.Image, view: MapView, text: str, *, bottom: bool) -> None:
    """A line of small print in a box: the attribution bottom right, or a note at the top in the middle."""
    font = _font(view.px(2.2 if bottom else 3))
    pad, width = view.px(1.2), font.getlength(text)
    if bottom:
        box = (view.width_px - width - pad * 2 - view.px(2), view.height_px - view.px(2) - pad * 2 - view.px(2.4))
    else:
        box = ((view.width_px - width) / 2 - pad, view.px(2))
    left, top = box
    height = font.size * 1.2 + pad * 2
    draw = _panel(image, (left, top, left + width + pad * 2, top + height))
    draw.text((left + pad, top + height / 2), text, font=font, fill=(60, 60, 60, 255), anchor="lm")


def render(view: MapView, background: dict[Tile, Image.Image] | None, attribution: str) -> bytes:
    """The map as a PNG: background (or blank, with a note that it is missing), area, markers, legend, scale bar,
    north arrow and the background's attribution."""
    if background is None:
        image = Image.new("RGBA", (view.width_px, view.height_px), (250, 250, 248, 255))
    else:
        image = _background(view, background)
    image = _boundary(image, view)
    draw = ImageDraw.Draw(image)
    for marker in view.markers:
        x, y = view.point(marker.lon, marker.lat)
        _symbol(draw, view, x, y, marker.shape, marker.colour)
        if marker.number:
            offset = view.px(2.2)
            draw.text(
                (x + offset, y - offset / 2),
                marker.number,
                font=_font(view.px(3), bold=True),
                fill=(26, 26, 26, 255),
                stroke_width=view.px(0.4),
                stroke_fill=(255, 255, 255, 255),
                anchor="ls",
            )
    _legend(image, view)
    _scale_bar(image, view)
    _north_arrow(image, view)
    if background is None:
        _note(image, view, _("Achtergrondkaart niet beschikbaar"), bottom=False)
    elif attribution:
        _note(image, view, attribution, bottom=True)
    ImageDraw.Draw(image).rectangle((0, 0, view.width_px - 1, view.height_px - 1), outline=(90, 90, 90, 255))
    out = BytesIO()
    image.convert("RGB").save(out, "PNG", dpi=(view.dpi, view.dpi), optimize=True)
    return out.getvalue()


def plain(attribution: str) -> str:
    """The attribution as printed text: the screen's version may hold links and entities (`&copy;`)."""
    return html.unescape(re.sub(r"<[^>]*>", "", attribution)).strip()


def tile_source() -> TileSource | None:
    """The configured background, or None when printed maps go without one."""
    config = current_app.config
    if not config["MAP_PRINT_TILES"] or not config["MAP_TILE_URL"]:
        return None
    return TileSource(
        url_template=config["MAP_TILE_URL"],
        cache_dir=Path(config["MAP_TILE_CACHE"]),
        max_age_seconds=timedelta(days=config["MAP_TILE_CACHE_DAYS"]).total_seconds(),
        timeout=config["MAP_TILE_TIMEOUT"],
        budget=config["MAP_TILE_BUDGET"],
        user_agent=f"Veilig Bedrijventerrein (kaarten in documenten; {config['BASE_URL']})",
    )


def map_png(
    park: Park,
    *,
    companies: bool = True,
    cameras: bool = False,
    findings: Iterable[Finding] | None = None,
    width_mm: float,
    height_mm: float,
    dpi: int = 200,
) -> bytes | None:
    """The park's map as a PNG of `width_mm` x `height_mm` at `dpi`, or None when the park has no area drawn. Without
    the background (switched off, server down or slow) it still shows everything else, and says so."""
    if not park.area:
        return None
    markers = markers_of(park, companies=companies, cameras=cameras, findings=findings)
    view = map_view(
        park.area,
        markers,
        width_mm=width_mm,
        height_mm=height_mm,
        dpi=dpi,
        max_tiles=current_app.config["MAP_TILE_MAX"],
    )
    source = tile_source()
    background = tiles.fetch(source, view.tiles()) if source is not None else None
    return render(view, background, plain(current_app.config["MAP_TILE_ATTRIBUTION"]))


def map_flowable(
    park: Park,
    *,
    companies: bool = True,
    cameras: bool = False,
    findings: Iterable[Finding] | None = None,
    width_mm: float,
    height_mm: float,
) -> Flowable | None:
    """The park's map as an image for a ReportLab document, or None when the park has no area drawn."""
    png = map_png(park, companies=companies, cameras=cameras, findings=findings, width_mm=width_mm, height_mm=height_mm)
    if png is None:
        return None
    return ImageFlowable(BytesIO(png), width=width_mm * mm, height=height_mm * mm)
