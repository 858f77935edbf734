"""The schouw report as a PDF: per walk its round, participants, the map with numbered findings, the findings
table and the photos. One function for the download on the walk's page and for the dossier's schouwrapport."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from flask_babel import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, Spacer, Table, TableStyle

from app.inventory import photos
from app.inventory.inspections import actions_of
from app.inventory.models import Finding, Inspection
from app.parks.models import Cycle
from app.plans.services import FINDING_THEMES
from app.reports.layout import build_pdf, paragraph, table_style_commands
from app.reports.maps import map_flowable
from app.reports.wording import long_date, park_place

#: photos printed per finding: the report is for the meeting, the platform keeps them all
PHOTOS_PER_FINDING = 3
PHOTO_WIDTH = 52 * mm
PHOTO_HEIGHT = 39 * mm
MAP_WIDTH_MM = 170
MAP_HEIGHT_MM = 95


@dataclass(frozen=True)
class FindingLine:
    number: int
    category: str
    what: str
    place: str
    theme: str
    severity: str
    responsible: str
    status: str
    #: the photos' JPEG content
    photos: list[bytes]


def place_text(finding: Finding) -> str:
    """Where the finding is: its point in degrees (north, east), or that it has none."""
    if finding.lat is None or finding.lon is None:
        return _("geen plek op de kaart")
    return f"{finding.lat:.5f}, {finding.lon:.5f}"


def finding_lines(findings: list[Finding]) -> list[FindingLine]:
    """The findings numbered in their order (the numbers of the markers on the map), with the owners of the
    plan action made from a finding as the ones responsible (its owners)."""
    actions = actions_of(findings)
    lines = []
    for number, finding in enumerate(findings, start=1):
        action = actions.get(finding.id)
        theme = FINDING_THEMES.get(finding.category)
        if action is None:
            responsible = _("nog geen actie in het plan")
        else:
            responsible = ", ".join(o.organisation.name for o in action.owners) or _("actie zonder eigenaar")
        what = f"{finding.category.label}: {finding.description}"
        if finding.suggested_action:
            what += "\n" + _("Voorstel: %(action)s", action=finding.suggested_action)
        status = (
            _("opgelost op %(date)s", date=long_date(finding.resolved_on))
            if finding.resolved_on
            else finding.status.label
        )
        stored = [photos.read(photo) for photo in finding.photos[:PHOTOS_PER_FINDING]]
        lines.append(
            FindingLine(
                number=number,
                category=finding.category.label,
                what=what,
                place=place_text(finding),
                theme=theme.label if theme else "—",
                severity=finding.severity.label,
                responsible=responsible,
                status=status,
                photos=[jpeg for jpeg in stored if jpeg is not None],
            )
        )
    return lines


def _findings_table(lines: list[FindingLine]) -> Table:
    header = [_("Nr."), _("Bevinding"), _("Plek"), _("Thema"), _("Ernst"), _("Eigenaar"), _("Status")]
    data = [
        [paragraph(h, "cell_head") for h in header],
        *(
            [paragraph(line.number, "cell")]
            + [
                paragraph(v, "cell")
                for v in (line.what, line.place, line.theme, line.severity, line.responsible, line.status)
            ]
            for line in lines
        ),
    ]
    widths = [9 * mm, 56 * mm, 22 * mm, 20 * mm, 17 * mm, 26 * mm, 20 * mm]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT", spaceAfter=3 * mm, splitInRow=1)
    table.setStyle(TableStyle(table_style_commands()))
    return table


def _photo(jpeg: bytes) -> Image:
    """A thumbnail that keeps the photo's proportions within PHOTO_WIDTH x PHOTO_HEIGHT."""
    image = Image(BytesIO(jpeg), width=PHOTO_WIDTH, height=PHOTO_HEIGHT, kind="proportional")
    image.hAlign = "LEFT"
    return image


def _photos(lines: list[FindingLine]) -> list[Flowable]:
    """Per finding with photos: its number and the thumbnails side by side."""
    blocks: list[Flowable] = []
    for line in lines:
        if not line.photos:
            continue
        row = [_photo(jpeg) for jpeg in line.photos]
        grid = Table([row], colWidths=[PHOTO_WIDTH + 4 * mm] * len(row), hAlign="LEFT")
        grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        # the caption is a heading: it stays with its photos
        caption = _("Bevinding %(n)s: %(category)s", n=line.number, category=line.category)
        blocks += [paragraph(caption, "h4"), grid, Spacer(1, 3 * mm)]
    return blocks


def inspection_flowables(inspection: Inspection) -> list[Flowable]:
    """One walk: date and round, participants and notes, the map, the findings and their photos."""
    park = inspection.cycle.park
    findings = list(inspection.findings)
    flowables: list[Flowable] = [
        paragraph(
            _("Schouw van %(date)s, %(light)s", date=long_date(inspection.held_on), light=inspection.light.label), "h2"
        ),
        paragraph(_("Deelnemers: %(names)s", names=inspection.participants or "—")),
    ]
    if inspection.notes:
        flowables.append(paragraph(inspection.notes))
    if not findings:
        return [*flowables, paragraph(_("Geen bevindingen."))]
    lines = finding_lines(findings)
    # a map without one finding on it shows nothing the walk found
    placed = any(f.lat is not None and f.lon is not None for f in findings)
    drawn = placed and map_flowable(
        park, companies=False, findings=findings, width_mm=MAP_WIDTH_MM, height_mm=MAP_HEIGHT_MM
    )
    if drawn:
        flowables += [
            paragraph(_("Kaart"), "h3"),
            drawn,
            paragraph(_("De nummers op de kaart zijn de nummers van de bevindingen in de tabel."), "small"),
        ]
    flowables += [paragraph(_("Bevindingen"), "h3"), _findings_table(lines)]
    pictures = _photos(lines)
    if pictures:
        flowables += [paragraph(_("Foto's"), "h3"), *pictures]
    return flowables


def inspections_report_pdf(cycle: Cycle, inspections: list[Inspection], *, compress: bool = True) -> bytes:
    """The schouw report of `inspections` (one walk from its page, or all of a cycle's walks for the dossier)."""
    park = cycle.park
    if len(inspections) == 1:
        walk = inspections[0]
        title = _("Schouwrapport %(park)s, %(date)s", park=park.name, date=long_date(walk.held_on))
    else:
        title = _("Schouwrapport %(park)s", park=park.name)
    flowables: list[Flowable] = [
        paragraph(title, "title"),
        paragraph(park_place(park.name, park.municipality.name)),
        paragraph(
            _(
                "Cyclus %(n)s (%(start)s tot en met %(end)s)",
                n=cycle.number,
                start=long_date(cycle.starts_on) if cycle.starts_on else "—",
                end=long_date(cycle.ends_on) if cycle.ends_on else "—",
            ),
            "small",
        ),
    ]
    for inspection in inspections:
        flowables += inspection_flowables(inspection)
    return build_pdf(title, flowables, compress=compress)
