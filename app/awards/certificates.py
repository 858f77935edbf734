"""The award's certificates as PDFs (landscape A4): the park's certificate with every signatory, and one personal
certificate per working-group member. Plain data first (`certificate_data`), then the flowables."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from flask_babel import format_date
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from app.auth.models import User
from app.awards.models import Award
from app.clock import local_day
from app.extensions import db
from app.parks.models import Park, Track
from app.reports.layout import FONT_BOLD, HOUSE_COLOUR, MUTED_COLOUR, build_pdf, styles, table_style_commands, text

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
    municipality: str
    period: str
    signatories: list[Signatory]
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
    signatories = [
        Signatory(
            name=s.name,
            function=s.function,
            organisation=s.stakeholder.organisation.name,
            signed_on=format_date(local_day(s.signed_at), "long"),
        )
        for s in award.signatures
    ]
    return CertificateData(
        title=award_title(park),
        park=park.name,
        municipality=park.municipality.name,
        period=period,
        signatories=signatories,
        members=working_group(award),
    )


@cache
def _centred() -> dict[str, ParagraphStyle]:
    body = styles()["body"]
    return {
        "title": ParagraphStyle(
            "cert_title",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=26,
            leading=32,
            alignment=TA_CENTER,
            textColor=HOUSE_COLOUR,
            spaceAfter=8,
        ),
        "name": ParagraphStyle(
            "cert_name", parent=body, fontName=FONT_BOLD, fontSize=22, leading=28, alignment=TA_CENTER, spaceAfter=6
        ),
        "line": ParagraphStyle("cert_line", parent=body, fontSize=12, leading=16, alignment=TA_CENTER),
        "small": ParagraphStyle(
            "cert_small", parent=body, fontSize=9, leading=12, alignment=TA_CENTER, textColor=MUTED_COLOUR
        ),
    }


def _logo_box() -> Table:
    """An empty framed box where the partners' logos go when the certificate is printed."""
    box = Table(
        [[Paragraph(text(_("Ruimte voor de logo's van de partners")), _centred()["small"])]],
        colWidths=[120 * mm],
        rowHeights=[22 * mm],
        hAlign="CENTER",
    )
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.75, MUTED_COLOUR),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f4f6f9")),
            ]
        )
    )
    return box


def _signatories_table(signatories: list[Signatory]) -> Table:
    sheet = styles()
    rows = [[_("Naam"), _("Functie"), _("Organisatie"), _("Getekend op")]]
    rows += [
        [Paragraph(text(value), sheet["cell"]) for value in (s.name, s.function, s.organisation, s.signed_on)]
        for s in signatories
    ]
    table = Table(rows, colWidths=["24%", "24%", "32%", "20%"], repeatRows=1)
    table.setStyle(TableStyle(table_style_commands()))
    return table


def certificate_pdf(award: Award, *, compress: bool = True) -> bytes:
    """The park's certificate: title, park, municipality, period of validity, a box for the logos and every
    signatory with function, organisation and date."""
    data = certificate_data(award)
    centred = _centred()
    flowables: list[Flowable] = [
        _logo_box(),
        Spacer(1, 6 * mm),
        Paragraph(text(data.title), centred["title"]),
        Paragraph(text(_("toegekend aan bedrijventerrein")), centred["line"]),
        Paragraph(text(data.park), centred["name"]),
        Paragraph(text(_("gemeente: %(name)s", name=data.municipality)), centred["line"]),
        Paragraph(text(data.period), centred["line"]),
        Spacer(1, 5 * mm),
        Paragraph(
            text(_("Ondertekend door de partners van de samenwerking voor een veilig bedrijventerrein:")),
            centred["small"],
        ),
        Spacer(1, 2 * mm),
        _signatories_table(data.signatories),
    ]
    return build_pdf(f"{data.title} {data.park}", flowables, landscape=True, compress=compress)


def personal_certificates_pdf(award: Award, *, compress: bool = True) -> bytes:
    """One page per working-group member with their name, the park and the period of validity."""
    data = certificate_data(award)
    centred = _centred()
    flowables: list[Flowable] = []
    for index, member in enumerate(data.members):
        if index:
            flowables.append(PageBreak())
        flowables += [
            _logo_box(),
            Spacer(1, 10 * mm),
            Paragraph(text(data.title), centred["title"]),
            Paragraph(text(_("Oorkonde voor")), centred["line"]),
            Paragraph(text(member.name), centred["name"]),
            Paragraph(text(member.detail), centred["line"]),
            Spacer(1, 6 * mm),
            Paragraph(
                text(
                    _(
                        "als lid van de werkgroep die bedrijventerrein %(park)s (%(municipality)s) samen veilig houdt.",
                        park=data.park,
                        municipality=data.municipality,
                    )
                ),
                centred["line"],
            ),
            Paragraph(text(data.period), centred["line"]),
        ]
    if not flowables:
        flowables.append(Paragraph(text(_("De werkgroep heeft nog geen leden.")), centred["line"]))
    return build_pdf(_("Persoonlijke oorkondes %(park)s", park=data.park), flowables, landscape=True, compress=compress)
