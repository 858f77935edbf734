"""The declaration of intent (intentieverklaring) of a park's partnership: plain data first, then the PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.auth.models import User
from app.extensions import db
from app.parks.models import Cycle
from app.reports.layout import build_pdf, styles, table_style_commands, text
from app.reports.wording import long_date, municipality_phrase
from app.stakeholders.models import PpsRole


@dataclass(frozen=True)
class Party:
    organisation: str
    role: str
    representative: str | None


@dataclass(frozen=True)
class Signatory:
    organisation: str
    name: str | None
    function: str | None
    #: when and by whom the party signed (recorded from the signed paper), None while it has not
    signed_on: date | None = None
    signed_by: str | None = None


@dataclass(frozen=True)
class Declaration:
    park: str
    municipality: str
    cycle_number: int
    parties: list[Party]
    signatories: list[Signatory]
    chair: str | None
    secretary: str | None

    @property
    def title(self) -> str:
        return _("Intentieverklaring Veilig Bedrijventerrein %(park)s", park=self.park)


def _user_name(user_id: int | None) -> str | None:
    user = db.session.get(User, user_id) if user_id is not None else None
    return user.name if user is not None else None


def declaration_data(cycle: Cycle) -> Declaration:
    """What the declaration says for this cycle: every stakeholder is a party and signs (with its authorised
    signatory when one is named, else with blank lines to fill in by hand)."""
    order = list(PpsRole)
    stakeholders = sorted(cycle.stakeholders, key=lambda s: (order.index(s.role), s.organisation.name.lower()))
    return Declaration(
        park=cycle.park.name,
        municipality=cycle.park.municipality.name,
        cycle_number=cycle.number,
        parties=[Party(s.organisation.name, s.role.label, s.representative_display) for s in stakeholders],
        signatories=[
            Signatory(
                s.organisation.name,
                s.signatory_name,
                s.signatory_function,
                s.declaration_signed_on,
                s.declaration_signed_by,
            )
            for s in stakeholders
        ],
        chair=_user_name(cycle.chair_id),
        secretary=_user_name(cycle.secretary_id),
    )


def _signature_block(signatory: Signatory) -> Flowable:
    """A party's signature: as recorded when it signed, else lines to sign on by hand (the line under
    "Handtekening" is drawn, so that the row is never an empty label)."""
    sheet = styles()
    line = "_" * 38
    if signatory.signed_on is not None:
        signed = _("getekend door %(name)s", name=signatory.signed_by or signatory.name or signatory.organisation)
        date_cell, signature = long_date(signatory.signed_on), signed
    else:
        date_cell, signature = line, line
    rows = [
        [Paragraph(text(signatory.organisation), sheet["h3"]), ""],
        [Paragraph(text(_("Naam:")), sheet["cell"]), Paragraph(text(signatory.name or line), sheet["cell"])],
        [Paragraph(text(_("Functie:")), sheet["cell"]), Paragraph(text(signatory.function or line), sheet["cell"])],
        [Paragraph(text(_("Datum:")), sheet["cell"]), Paragraph(text(date_cell), sheet["cell"])],
        [Paragraph(text(_("Handtekening:")), sheet["cell"]), Paragraph(text(signature), sheet["cell"])],
    ]
    table = Table(rows, colWidths=[32 * mm, 90 * mm], rowHeights=[None, None, None, 9 * mm, 18 * mm])
    table.setStyle(
        TableStyle(
            [
                ("SPAN", (0, 0), (-1, 0)),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return KeepTogether([table, Spacer(1, 8 * mm)])


def declaration_flowables(data: Declaration) -> list[Flowable]:
    """The declaration laid out: title, the standard text, the parties, the working group, a signature block
    per party."""
    sheet = styles()
    flowables: list[Flowable] = [
        Paragraph(text(data.title), sheet["title"]),
        Paragraph(
            text(
                _(
                    "De ondergetekende partijen spreken de intentie uit om samen te werken aan een schoon, heel en "
                    "veilig bedrijventerrein %(park)s in %(municipality)s.",
                    park=data.park,
                    municipality=municipality_phrase(data.municipality),
                )
            ),
            sheet["body"],
        ),
        Paragraph(
            text(
                _(
                    "Zij doen dat volgens de aanpak van het Keurmerk Veilig Ondernemen en het proces Veilig "
                    "Bedrijventerrein: samen de veiligheid op het terrein in kaart brengen, doelen stellen, een "
                    "uitvoeringsplan opstellen en uitvoeren, en de resultaten regelmatig bespreken en bijstellen."
                )
            ),
            sheet["body"],
        ),
        Paragraph(
            text(
                _(
                    "Iedere partij wijst een vertegenwoordiger aan die namens haar deelneemt aan de werkgroep, en "
                    "draagt naar vermogen bij aan de maatregelen die de partijen samen afspreken. Deze verklaring "
                    "legt een gezamenlijke intentie vast en schept geen juridische verplichtingen."
                )
            ),
            sheet["body"],
        ),
        Paragraph(text(_("Deelnemende organisaties")), sheet["h2"]),
    ]
    if data.parties:
        rows = [
            [
                Paragraph(text(_("Organisatie")), sheet["cell_head"]),
                Paragraph(text(_("Rol")), sheet["cell_head"]),
                Paragraph(text(_("Vertegenwoordiger")), sheet["cell_head"]),
            ]
        ] + [
            [
                Paragraph(text(p.organisation), sheet["cell"]),
                Paragraph(text(p.role), sheet["cell"]),
                Paragraph(text(p.representative or "—"), sheet["cell"]),
            ]
            for p in data.parties
        ]
        table = Table(rows, colWidths=[60 * mm, 50 * mm, 54 * mm], repeatRows=1)
        table.setStyle(TableStyle(table_style_commands()))
        flowables.append(table)
    else:
        flowables.append(Paragraph(text(_("Er zijn nog geen deelnemende organisaties.")), sheet["body"]))
    if data.chair or data.secretary:
        flowables.append(Paragraph(text(_("Werkgroep")), sheet["h2"]))
        if data.chair:
            flowables.append(Paragraph(text(_("Voorzitter: %(name)s", name=data.chair)), sheet["body"]))
        if data.secretary:
            flowables.append(Paragraph(text(_("Secretaris: %(name)s", name=data.secretary)), sheet["body"]))
    if data.signatories:
        flowables.append(Paragraph(text(_("Ondertekening")), sheet["h2"]))
        flowables.append(
            Paragraph(
                text(_("Aldus overeengekomen en ondertekend door de tekenbevoegden van de deelnemende organisaties.")),
                sheet["body"],
            )
        )
        flowables.append(Spacer(1, 4 * mm))
        flowables.extend(_signature_block(s) for s in data.signatories)
    return flowables


def declaration_pdf(cycle: Cycle, *, compress: bool = True) -> bytes:
    """The declaration of intent of the cycle as a PDF on the platform's page template."""
    data = declaration_data(cycle)
    return build_pdf(data.title, declaration_flowables(data), compress=compress)
