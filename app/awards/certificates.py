"""The award's certificates as PDFs (landscape A4, framed, without the report header and page numbers): the park's
certificate with the partners, their logos and every signatory, and one personal oorkonde per working-group member.
Plain data first (`certificate_data`), then the flowables."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from io import BytesIO
from math import ceil

from flask_babel import format_date
from flask_babel import gettext as _
from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, HRFlowable, Image, KeepInFrame, PageBreak, Paragraph, Spacer, Table, TableStyle

from app.auth.models import User
from app.awards.models import Award
from app.clock import local_day
from app.extensions import db
from app.parks.models import Park, Track
from app.reports.layout import FONT_BOLD, HOUSE_COLOUR, MUTED_COLOUR, TEXT_COLOUR, build_plain_pdf, styles, text
from app.stakeholders.logos import read_logo
from app.stakeholders.models import PpsRole

#: the name of what the park receives, per track (proper names: the same in every language)
TITLES = {Track.PVO: "Waardering Veilig Bedrijventerrein", Track.KVO: "Keurmerk Veilig Ondernemen"}


def award_title(park: Park) -> str:
    return TITLES[park.track or Track.PVO]


@dataclass(frozen=True)
class Signatory:
    name: str
    function: str
    organisation: str
    signed_on: str


@dataclass(frozen=True)
class Member:
    name: str
    #: the organisation, or the member's role in the working group
    detail: str


@dataclass(frozen=True)
class CertificateData:
    title: str
    park: str
    #: the municipality organisation's name as it is ("Gemeente Utrecht")
    municipality: str
    period: str
    #: every partner organisation, in the order of the stakeholder list
    partners: list[str]
    #: the partners' logos (those that have one), in the same order
    logos: list[bytes]
    signatories: list[Signatory]
    #: who signs the personal oorkondes: those who signed the award for the municipality and for the entrepreneurs
    oorkonde_signatories: list[Signatory]
    members: list[Member]


def working_group(award: Award) -> list[Member]:
    """The cycle's working group: each stakeholder's representative (a user or a name), and the chair and secretary,
    each person once (by name)."""
    cycle = award.cycle
    members: dict[str, Member] = {}
    for role, user_id in ((_("voorzitter van de werkgroep"), cycle.chair_id), (_("secretaris"), cycle.secretary_id)):
        user = db.session.get(User, user_id) if user_id else None
        if user is not None:
            members.setdefault(user.name, Member(user.name, role))
    for stakeholder in cycle.stakeholders:
        name = stakeholder.representative_display
        if name:
            members.setdefault(name, Member(name, stakeholder.organisation.name))
    return list(members.values())


def certificate_data(award: Award) -> CertificateData:
    """What the certificates show. Only for a granted award (every stakeholder signed): ValueError otherwise."""
    if award.awarded_on is None or award.valid_until is None:
        raise ValueError("the award has not been granted")
    park = award.cycle.park
    period = _(
        "Geldig van %(start)s tot en met %(end)s",
        start=format_date(award.awarded_on, "long"),
        end=format_date(award.valid_until, "long"),
    )
    stakeholders = award.cycle.stakeholders
    order = {stakeholder.id: index for index, stakeholder in enumerate(stakeholders)}
    signatures = sorted(award.signatures, key=lambda s: order.get(s.stakeholder_id, len(order)))
    signatories = [
        Signatory(
            name=s.name,
            function=s.function,
            organisation=s.stakeholder.organisation.name,
            signed_on=format_date(local_day(s.signed_at), "long"),
        )
        for s in signatures
    ]
    hosts = [
        signatory
        for signature, signatory in zip(signatures, signatories, strict=True)
        if signature.stakeholder.role in (PpsRole.GEMEENTE, PpsRole.ONDERNEMERS)
    ]
    return CertificateData(
        title=award_title(park),
        park=park.name,
        municipality=park.municipality.name,
        period=period,
        partners=[s.organisation.name for s in stakeholders],
        logos=[jpeg for s in stakeholders if (jpeg := read_logo(s.organisation)) is not None],
        signatories=signatories,
        oorkonde_signatories=hosts or signatories,
        members=working_group(award),
    )


#: the certificate's accent next to the house colour: a muted gold for the frame and the rules
GOLD = colors.HexColor("#a8843a")
#: the frame's outer and inner lines, from the paper's edge
OUTER_INSET = 9 * mm
INNER_INSET = 12 * mm
#: the content's margin from the paper's edge (inside the frame)
CONTENT_MARGIN = 20 * mm
#: at most this many signature blocks side by side
SIGNATURES_PER_ROW = 5


def _frame(canvas: Canvas, doc) -> None:
    """The certificate's border: a house-coloured outer line, a thin gold inner line and gold corner marks."""
    width, height = doc.pagesize
    canvas.saveState()
    canvas.setStrokeColor(HOUSE_COLOUR)
    canvas.setLineWidth(2.5)
    canvas.rect(OUTER_INSET, OUTER_INSET, width - 2 * OUTER_INSET, height - 2 * OUTER_INSET)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.8)
    canvas.rect(INNER_INSET, INNER_INSET, width - 2 * INNER_INSET, height - 2 * INNER_INSET)
    canvas.setFillColor(GOLD)
    size = 3.2 * mm
    for x in (INNER_INSET, width - INNER_INSET):
        for y in (INNER_INSET, height - INNER_INSET):
            path = canvas.beginPath()
            path.moveTo(x, y - size)
            path.lineTo(x + size, y)
            path.lineTo(x, y + size)
            path.lineTo(x - size, y)
            path.close()
            canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


class _Spaced(Flowable):
    """One centred line in spaced capitals (the kind of document: CERTIFICAAT, OORKONDE)."""

    def __init__(self, value: str, size: float = 11):
        super().__init__()
        self.value, self.size = value.upper(), size

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, self.size * 1.6

    def draw(self):
        spacing = self.size * 0.45
        canvas = self.canv
        canvas.setFont(FONT_BOLD, self.size)
        canvas.setFillColor(GOLD)
        text_width = canvas.stringWidth(self.value, FONT_BOLD, self.size) + spacing * (len(self.value) - 1)
        canvas.drawString((self.width - text_width) / 2, self.size * 0.4, self.value, charSpace=spacing)


@cache
def _styles() -> dict[str, ParagraphStyle]:
    body = styles()["body"]

    def centred(name: str, size: float, **values) -> ParagraphStyle:
        values.setdefault("leading", size * 1.25)
        return ParagraphStyle(f"cert_{name}", parent=body, fontSize=size, alignment=TA_CENTER, spaceAfter=0, **values)

    return {
        "title": centred("title", 30, fontName=FONT_BOLD, textColor=HOUSE_COLOUR),
        "intro": centred("intro", 12, fontName="Helvetica-Oblique", textColor=MUTED_COLOUR),
        "name": centred("name", 32, fontName=FONT_BOLD, textColor=TEXT_COLOUR),
        "line": centred("line", 13),
        "text": centred("text", 10.5, leading=14),
        "partners": centred("partners", 10.5, leading=14, fontName=FONT_BOLD, textColor=HOUSE_COLOUR),
        "period": centred("period", 12, fontName=FONT_BOLD),
        "signed_on": centred("signed_on", 8.5, fontName="Helvetica-Oblique", textColor=MUTED_COLOUR),
        "signer": centred("signer", 10.5, fontName=FONT_BOLD),
        "signer_small": centred("signer_small", 9, fontName=FONT_BOLD),
        "detail": centred("detail", 9, leading=11.5),
        "detail_small": centred("detail_small", 8, leading=10),
    }


def _rule() -> HRFlowable:
    return HRFlowable(width=70 * mm, thickness=1, color=GOLD, spaceBefore=3 * mm, spaceAfter=4 * mm, hAlign="CENTER")


def _logo_row(logos: list[bytes], width: float) -> Table | None:
    """The partners' logos side by side, each fitted into an equal slot (smaller when there are many); None when
    no partner has a logo."""
    if not logos:
        return None
    slot = min(48 * mm, width / len(logos))
    height = 18 * mm if len(logos) <= 5 else 13 * mm
    cells = []
    for jpeg in logos:
        with PILImage.open(BytesIO(jpeg)) as image:
            pixels_wide, pixels_high = image.size
        scale = min((slot - 5 * mm) / pixels_wide, height / pixels_high)
        cells.append(Image(BytesIO(jpeg), width=pixels_wide * scale, height=pixels_high * scale))
    row = Table([cells], colWidths=[slot] * len(logos), rowHeights=[height], hAlign="CENTER")
    row.setStyle(
        TableStyle(
            [
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return row


def _signature_block(signatory: Signatory, *, small: bool) -> Table:
    """Room for a pen above a line (the copy handed over at the ceremony is signed by hand as well), under it the
    name, function and organisation, and the date the signatory signed on the platform."""
    sheet = _styles()
    detail = sheet["detail_small" if small else "detail"]
    rows = [
        [""],
        [Paragraph(text(signatory.name), sheet["signer_small" if small else "signer"])],
        [Paragraph(text(signatory.function), detail)],
        [Paragraph(text(signatory.organisation), detail)],
        [Paragraph(text(_("getekend op %(date)s", date=signatory.signed_on)), sheet["signed_on"])],
    ]
    block = Table(rows, rowHeights=[(7 if small else 11) * mm, None, None, None, None])
    block.setStyle(
        TableStyle(
            [
                ("LINEABOVE", (0, 1), (-1, 1), 0.75, TEXT_COLOUR),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, 1), 1.5 * mm),
                ("TOPPADDING", (0, -1), (-1, -1), 1 * mm),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return block


def _signature_grid(signatories: list[Signatory], width: float) -> Table:
    """The signature blocks in rows of at most five, the rows as even as possible (7 makes 4 and 3)."""
    rows_needed = ceil(len(signatories) / SIGNATURES_PER_ROW)
    per_row = ceil(len(signatories) / rows_needed)
    small = len(signatories) > SIGNATURES_PER_ROW
    column = min(62 * mm, width / per_row)
    rows = []
    for start in range(0, len(signatories), per_row):
        row: list[Flowable | str] = [_signature_block(s, small=small) for s in signatories[start : start + per_row]]
        rows.append(row + [""] * (per_row - len(row)))
    grid = Table(rows, colWidths=[column] * per_row, hAlign="CENTER")
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                # a gap between the lines of neighbouring blocks
                ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
                ("TOPPADDING", (0, 1), (-1, -1), 3 * mm),
            ]
        )
    )
    return grid


def _page(content: list[Flowable | None], width: float, height: float) -> Table:
    """One page's content, shrunk to fit if it must (many partners) and centred vertically inside the frame."""
    fitted = KeepInFrame(width, height, [f for f in content if f is not None], mode="shrink", hAlign="CENTER")
    page = Table([[fitted]], colWidths=[width], rowHeights=[height])
    page.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                *(
                    (side, (0, 0), (-1, -1), 0)
                    for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
                ),
            ]
        )
    )
    return page


def _area() -> tuple[float, float]:
    """The width and height a landscape A4 page leaves inside the content margin and the frame's padding (6 pt a
    side, and a point to spare)."""
    width, height = landscape(A4)
    return width - 2 * CONTENT_MARGIN - 13, height - 2 * CONTENT_MARGIN - 13


def certificate_pdf(award: Award, *, compress: bool = True) -> bytes:
    """The park's certificate on one page: title, park, municipality, partners, their logos, the period of
    validity and every signatory with function, organisation and date."""
    data = certificate_data(award)
    sheet = _styles()
    width, height = _area()
    content = [
        _Spaced(_("Certificaat")),
        Spacer(1, 2 * mm),
        Paragraph(text(data.title), sheet["title"]),
        _rule(),
        Paragraph(text(_("toegekend aan bedrijventerrein")), sheet["intro"]),
        Spacer(1, 2 * mm),
        Paragraph(text(data.park), sheet["name"]),
        Spacer(1, 1.5 * mm),
        Paragraph(text(data.municipality), sheet["line"]),
        Spacer(1, 5 * mm),
        Paragraph(
            text(
                _(
                    "door de partners die samen een uitvoeringsplan vaststelden om het terrein schoon, heel en veilig "
                    "te houden:"
                )
            ),
            sheet["text"],
        ),
        Paragraph(text(" · ".join(data.partners)), sheet["partners"]),
        Spacer(1, 4 * mm),
        Paragraph(text(data.period), sheet["period"]),
        Spacer(1, 6 * mm),
        _logo_row(data.logos, width),
        Spacer(1, 7 * mm),
        _signature_grid(data.signatories, width),
    ]
    return build_plain_pdf(
        f"{data.title} {data.park}",
        [_page(content, width, height)],
        landscape=True,
        margin=CONTENT_MARGIN,
        on_page=_frame,
        compress=compress,
    )


def personal_certificates_pdf(award: Award, *, compress: bool = True) -> bytes:
    """One oorkonde per working-group member (a page each): their name, what they did for which park, the award
    and its validity, the partners' logos, signed by those who signed the award for the municipality and for the
    entrepreneurs."""
    data = certificate_data(award)
    sheet = _styles()
    width, height = _area()
    pages: list[Flowable] = []
    for member in data.members:
        if pages:
            pages.append(PageBreak())
        content = [
            _Spaced(_("Oorkonde")),
            Spacer(1, 3 * mm),
            Paragraph(text(_("uitgereikt aan")), sheet["intro"]),
            Spacer(1, 2 * mm),
            Paragraph(text(member.name), sheet["name"]),
            Spacer(1, 1.5 * mm),
            Paragraph(text(member.detail), sheet["line"]),
            _rule(),
            Paragraph(
                text(
                    _(
                        "voor de inzet in de werkgroep die bedrijventerrein %(park)s (%(municipality)s) samen schoon, "
                        "heel en veilig houdt. Met deze inzet heeft het terrein de %(title)s behaald.",
                        park=data.park,
                        municipality=data.municipality,
                        title=data.title,
                    )
                ),
                sheet["line"],
            ),
            Spacer(1, 4 * mm),
            Paragraph(text(data.period), sheet["period"]),
            Spacer(1, 7 * mm),
            _logo_row(data.logos, width),
            Spacer(1, 7 * mm),
            _signature_grid(data.oorkonde_signatories, width),
        ]
        pages.append(_page(content, width, height))
    if not pages:
        pages.append(Paragraph(text(_("De werkgroep heeft nog geen leden.")), _styles()["line"]))
    return build_plain_pdf(
        _("Persoonlijke oorkondes %(park)s", park=data.park),
        pages,
        landscape=True,
        margin=CONTENT_MARGIN,
        on_page=_frame,
        compress=compress,
    )
