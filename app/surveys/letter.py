"""The mayor's letter that invites each company to the survey: one A4 page per company, with its personal link
printed and as a QR code. Plain data first, then the PDF on the platform's page template."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepInFrame, PageBreak, Paragraph, Spacer

from app.reports.layout import build_pdf, styles, text
from app.surveys.models import Survey, SurveyInvitation

QR_SIZE = 38 * mm
#: the register keeps no language per company, and the letter text is written in Dutch
LETTER_LOCALE = "nl"


@dataclass(frozen=True)
class Letter:
    """One company's letter: the address block, the paragraphs of the text, the signatory and the link."""

    address: list[str]
    paragraphs: list[str]
    signatory: str
    link: str


def place_of(survey: Survey) -> str:
    """The place in the address block: the register keeps none, so the park's municipality without "Gemeente"."""
    name = survey.park.municipality.name
    return name.removeprefix("Gemeente ").strip() or name


def fill(template: str, *, name: str, link: str, closes_on: str) -> str:
    """The letter text with {naam}, {link} and {sluitdatum} filled in.

    Plain replacement, not str.format: the text is typed by an advisor and may hold other braces.
    """
    return template.replace("{naam}", name).replace("{link}", link).replace("{sluitdatum}", closes_on)


def letter_data(survey: Survey, invitation: SurveyInvitation, link: str) -> Letter:
    """The letter for one invitation (whose company must still be in the register)."""
    company = invitation.company
    if company is None:
        raise ValueError("an invitation without a company has no address")
    closes_on = format_date(survey.closes_on, format="long") if survey.closes_on else _("nader te bepalen")
    body = fill(survey.letter_text or "", name=company.name, link=link, closes_on=closes_on)
    paragraphs = [part.strip() for part in body.replace("\r\n", "\n").split("\n\n") if part.strip()]
    number = f"{company.house_number}{company.house_number_addition or ''}"
    return Letter(
        address=[company.name, f"{company.street} {number}", f"{company.postcode_display} {place_of(survey)}"],
        paragraphs=paragraphs,
        signatory=survey.letter_signatory or "",
        link=link,
    )


def qr_code(value: str, size: float = QR_SIZE) -> Drawing:
    """`value` as a QR code of `size` points square (ReportLab's QR widget, error correction level M)."""
    widget = QrCodeWidget(value, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    return drawing


def _lines(value: str) -> str:
    """Paragraph markup for a text whose single line breaks are kept."""
    return "<br/>".join(text(line) for line in value.split("\n"))


def letter_flowables(letter: Letter) -> list[Flowable]:
    """One letter laid out to fit one page: address, text, signatory, then the link and its QR code."""
    sheet = styles()
    content: list[Flowable] = [
        Spacer(1, 8 * mm),
        Paragraph("<br/>".join(text(line) for line in letter.address), sheet["body"]),
        Spacer(1, 14 * mm),
    ]
    content.extend(Paragraph(_lines(paragraph), sheet["body"]) for paragraph in letter.paragraphs)
    if letter.signatory:
        content += [Spacer(1, 6 * mm), Paragraph(_lines(letter.signatory), sheet["body"])]
    content += [
        Spacer(1, 10 * mm),
        Paragraph(text(_("Uw persoonlijke link naar de enquête")), sheet["h3"]),
        Paragraph(text(letter.link), sheet["body"]),
        Paragraph(text(_("Of scan deze QR-code met de camera van uw telefoon:")), sheet["body"]),
        qr_code(letter.link),
        Paragraph(
            text(_("Deze link is alleen voor uw bedrijf en werkt één keer. Uw antwoorden worden anoniem verwerkt.")),
            sheet["small"],
        ),
    ]
    # a long text is made smaller rather than running onto a second page: each company gets exactly one
    return [KeepInFrame(0, 0, content, mode="shrink")]


def letter_title(survey: Survey) -> str:
    return _("Uitnodiging enquête %(park)s", park=survey.park.name)


def letter_pdf(
    survey: Survey,
    invitations: Iterable[SurveyInvitation],
    *,
    link_for: Callable[[SurveyInvitation], str],
    locale: str = LETTER_LOCALE,
    compress: bool = True,
) -> bytes:
    """The letters for `invitations` (in the order given, one page each) as one PDF.

    `link_for` gives an invitation's personal link (absolute). Invitations whose company has left the register
    have no address and are left out. The fixed phrases are in `locale`, whoever prints the letters, so that
    they match the letter text.
    """
    with force_locale(locale):
        flowables: list[Flowable] = []
        for invitation in invitations:
            if invitation.company is None:
                continue
            if flowables:
                flowables.append(PageBreak())
            flowables.extend(letter_flowables(letter_data(survey, invitation, link_for(invitation))))
        if not flowables:
            flowables.append(Paragraph(text(_("Er zijn geen brieven om af te drukken.")), styles()["body"]))
        return build_pdf(letter_title(survey), flowables, compress=compress)
