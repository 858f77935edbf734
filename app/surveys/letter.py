"""The mayor's letter that invites each company to the survey, on the municipality's letterhead: its logo, return
address and signatory, the company's address where a window envelope shows it, and the personal link printed to be
typed and as a QR code. Plain data first, then the PDF; each letter numbers its own pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import BaseDocTemplate

from app.clock import local_today
from app.parks.models import Company
from app.reports.layout import FONT, FONT_BOLD, MUTED_COLOUR, TEXT_COLOUR, DeferredCanvas, styles, text
from app.reports.wording import place_name
from app.stakeholders.logos import read_logo
from app.stakeholders.models import Organisation
from app.surveys.models import Survey, SurveyInvitation

QR_SIZE = 32 * mm
#: the letter's own page: the left edge of the address block where a window envelope (C5/6, window left) shows it
PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 22 * mm
RIGHT = 20 * mm
TOP = 15 * mm
BOTTOM = 20 * mm
#: the logo's box at the top left; the sender's column at the right
LOGO_WIDTH, LOGO_HEIGHT = 55 * mm, 24 * mm
SENDER_X = 130 * mm
#: the return address line, then the address block (from the top of the page): inside the envelope's window
RETURN_TOP = 48 * mm
ADDRESS_TOP = 53 * mm
ADDRESS_WIDTH = 85 * mm
#: date, reference and subject, then the text
REFERENCE_TOP = 95 * mm
TEXT_TOP = 123 * mm
#: the closing phrases a text may already end with (so that it is not said twice)
CLOSINGS = ("met vriendelijke groet", "hoogachtend", "kind regards", "yours sincerely", "yours faithfully")
LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class Letter:
    """One company's letter, every phrase in its language: letterhead, address block, reference lines, the
    paragraphs of the text, the closing and signatory, and the link."""

    sender: str
    #: the municipality's logo (JPEG content), None without one
    logo: bytes | None
    return_address: list[str]
    address: list[str]
    references: list[tuple[str, str]]
    paragraphs: list[str]
    closing: str
    signatory: list[str]
    link: str
    language: str


def place_of(survey: Survey) -> str:
    """The place in the address block: the register keeps none, so the park's municipality without "Gemeente"."""
    return place_name(survey.park.municipality.name)


def fill(template: str, *, name: str, link: str, closes_on: str) -> str:
    """The letter text with {naam}, {link} and {sluitdatum} filled in.

    Plain replacement, not str.format: the text is typed by an advisor and may hold other braces.
    """
    return template.replace("{naam}", name).replace("{link}", link).replace("{sluitdatum}", closes_on)


def language_of(invitation: SurveyInvitation) -> str:
    """The language of the company's letter: its contact's, Dutch when the register says nothing else."""
    language = invitation.company.language if invitation.company is not None else "nl"
    return language if language in LANGUAGES else "nl"


def sample_invitation(language: str) -> SurveyInvitation:
    """An invitation of an example company in `language`, for a preview before any company is invited (never
    stored: it belongs to no survey)."""
    company = Company(
        name=_("Voorbeeldbedrijf B.V."),
        street=_("Voorbeeldstraat"),
        house_number=1,
        house_number_addition="",
        postcode="1234AB",
        language=language,
    )
    return SurveyInvitation(link_id="", company=company)


def letter_template(survey: Survey, language: str) -> str:
    """The text the advisor wrote for companies in `language`; the English one falls back on the default."""
    if language == "en":
        from app.surveys.services import DEFAULT_LETTER_EN  # services imports invitations, which imports this

        return survey.letter_text_en or DEFAULT_LETTER_EN
    return survey.letter_text or ""


def signatory_lines(survey: Survey) -> list[str]:
    """Who signs: the survey's own signatory when the advisor set one (an alderman, say), else the name and
    function the municipality set on its letterhead, else the office itself ("De burgemeester van Utrecht"),
    as a municipality signs a letter whose signer is not known: never an empty signature."""
    own = (survey.letter_signatory or "").strip()
    if own:
        return [own]
    municipality = survey.park.municipality
    lines = [
        line.strip() for line in (municipality.signatory_name, municipality.signatory_function) if line and line.strip()
    ]
    return lines or [_("De burgemeester van %(place)s", place=place_of(survey))]


def has_signatory(organisation: Organisation) -> bool:
    """Whether the organisation's letterhead names who signs."""
    return bool(organisation.signatory_name.strip())


def _paragraphs(body: str) -> tuple[list[str], str]:
    """The text's paragraphs and the closing phrase: the text's own last paragraph when it is one."""
    paragraphs = [part.strip() for part in body.replace("\r\n", "\n").split("\n\n") if part.strip()]
    if paragraphs and paragraphs[-1].lower().rstrip(",. ") in CLOSINGS:
        return paragraphs[:-1], paragraphs[-1]
    return paragraphs, _("Met vriendelijke groet,")


def letter_data(survey: Survey, invitation: SurveyInvitation, link: str, *, today: date | None = None) -> Letter:
    """The letter for one invitation (whose company must still be in the register), in the company's language:
    call it within `force_locale(language_of(invitation))`, as `letter_pdf` does."""
    company = invitation.company
    if company is None:
        raise ValueError("an invitation without a company has no address")
    language = language_of(invitation)
    municipality = survey.park.municipality
    closes_on = format_date(survey.closes_on, format="long") if survey.closes_on else _("nader te bepalen")
    body = fill(letter_template(survey, language), name=company.name, link=link, closes_on=closes_on)
    paragraphs, closing = _paragraphs(body)
    number = f"{company.house_number}{company.house_number_addition or ''}"
    place = place_of(survey)
    return_lines = [line.strip() for line in municipality.letter_address.splitlines() if line.strip()]
    return Letter(
        sender=municipality.name,
        logo=read_logo(municipality),
        return_address=return_lines,
        address=[company.name, f"{company.street} {number}", f"{company.postcode_display} {place}"],
        references=[
            (_("Datum"), f"{place}, {format_date(today or local_today(), format='long')}"),
            (_("Kenmerk"), f"ENQ-{survey.id or 0}-{company.id or 0}"),
            (_("Onderwerp"), _("Uitnodiging enquête veiligheid %(park)s", park=survey.park.name)),
        ],
        paragraphs=paragraphs,
        closing=closing,
        signatory=signatory_lines(survey),
        link=link,
        language=language,
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


def _draw_fitted(canvas: Canvas, x: float, y: float, value: str, font: str, size: float, width: float) -> None:
    """Draw one line, in a smaller size when it is wider than `width` (down to 7 points), cut off beyond that:
    an address line must stay inside the envelope's window."""
    fitted = max(7.0, min(size, size * width / max(canvas.stringWidth(value, font, size), 1)))
    while value and canvas.stringWidth(value, font, fitted) > width:
        value = value[:-1]
    canvas.setFont(font, fitted)
    canvas.drawString(x, y, value)


class Letterhead(Flowable):
    """The top of a letter's first page, drawn where a municipal letter has it: the logo (or the name) top left,
    the sender top right, the return address and the company's address in the envelope's window, then date,
    reference and subject. The first thing on its page, so that the positions are measured from the page's top."""

    def __init__(self, letter: Letter, width: float):
        super().__init__()
        self.letter = letter
        self.width = width
        self.height = TEXT_TOP - TOP

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def _y(self, from_top: float) -> float:
        """A height on this flowable for a distance from the page's top."""
        return self.height - (from_top - TOP)

    def draw(self):
        canvas: Canvas = self.canv
        letter = self.letter
        canvas.saveState()
        canvas.setFillColor(TEXT_COLOUR)
        if letter.logo is not None:
            canvas.drawImage(
                ImageReader(BytesIO(letter.logo)),
                0,
                self._y(TOP + LOGO_HEIGHT),
                LOGO_WIDTH,
                LOGO_HEIGHT,
                preserveAspectRatio=True,
                anchor="nw",
            )
        else:
            canvas.setFont(FONT_BOLD, 16)
            canvas.drawString(0, self._y(TOP + 8 * mm), letter.sender)
        sender_x = SENDER_X - LEFT
        y = self._y(TOP + 4 * mm)
        canvas.setFont(FONT_BOLD, 9)
        canvas.drawString(sender_x, y, letter.sender)
        canvas.setFont(FONT, 8.5)
        canvas.setFillColor(MUTED_COLOUR)
        for line in letter.return_address:
            y -= 11
            canvas.drawString(sender_x, y, line)
        if letter.return_address:
            canvas.setFont(FONT, 7)
            canvas.drawString(0, self._y(RETURN_TOP), _("Retouradres") + " " + ", ".join(letter.return_address))
        canvas.setFillColor(TEXT_COLOUR)
        y = self._y(ADDRESS_TOP + 4 * mm)
        for line in letter.address:
            _draw_fitted(canvas, 0, y, line, FONT, 10, ADDRESS_WIDTH)
            y -= 14
        y = self._y(REFERENCE_TOP + 4 * mm)
        for label, value in letter.references:
            canvas.setFont(FONT, 8)
            canvas.setFillColor(MUTED_COLOUR)
            canvas.drawString(0, y, label)
            canvas.setFillColor(TEXT_COLOUR)
            font = FONT_BOLD if label == letter.references[-1][0] else FONT
            _draw_fitted(canvas, 25 * mm, y, value, font, 10, self.width - 25 * mm)
            y -= 15
        canvas.restoreState()


class _LetterStart(Flowable):
    """Draws nothing; tells the canvas that a new letter starts on this page (its pages are numbered apart)."""

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self.canv.start_letter()


class _LetterCanvas(DeferredCanvas):
    """Each letter of two or more pages says "1/2", "2/2" on them; a letter of one page says nothing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._letter = 0

    def start_letter(self) -> None:
        self._letter += 1

    def mark(self) -> object:
        return self._letter

    def number_page(self, position: int, count: int) -> None:
        if count > 1:
            self.setFont(FONT, 8)
            self.setFillColor(MUTED_COLOUR)
            self.drawRightString(PAGE_WIDTH - RIGHT, BOTTOM - 8 * mm, f"{position}/{count}")


def _link_box(letter: Letter, width: float) -> Table:
    """The personal link as a person types it, and its QR code, in a box."""
    sheet = styles()
    link_style = ParagraphStyle("link", parent=sheet["body"], fontName="Courier-Bold", fontSize=12, leading=16)
    words = [
        Paragraph(text(_("Uw persoonlijke link naar de enquête")), sheet["h3"]),
        Paragraph(text(letter.link), link_style),
        Paragraph(
            text(_("Typ de link over in uw browser (hoofdletters en streepjes maken niet uit) of scan de QR-code.")),
            sheet["small"],
        ),
        Paragraph(
            text(_("Deze link is alleen voor uw bedrijf en werkt één keer. Uw antwoorden worden anoniem verwerkt.")),
            sheet["small"],
        ),
    ]
    table = Table([[words, qr_code(letter.link)]], colWidths=[width - QR_SIZE - 8 * mm, QR_SIZE + 8 * mm])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#9aa5b1")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 3 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
            ]
        )
    )
    return table


def letter_flowables(letter: Letter, width: float) -> list[Flowable]:
    """One letter: the letterhead, the text, the closing and signatory, then the link and its QR code. A long
    text runs on to a second page rather than being made small."""
    body = styles()["body"]
    content: list[Flowable] = [_LetterStart(), Letterhead(letter, width)]
    content.extend(Paragraph(_lines(paragraph), body) for paragraph in letter.paragraphs)
    content.append(
        KeepTogether(
            [
                Spacer(1, 2 * mm),
                Paragraph(text(letter.closing), body),
                Spacer(1, 12 * mm),  # room for the signature in ink
                Paragraph(_lines("\n".join(letter.signatory)), body),
            ]
        )
    )
    content += [CondPageBreak(QR_SIZE + 16 * mm), Spacer(1, 6 * mm), _link_box(letter, width)]
    return content


def _frame(doc: BaseDocTemplate) -> Frame:
    # without padding: the letterhead measures its positions from the page's top
    return Frame(
        LEFT, BOTTOM, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0
    )


def letter_title(survey: Survey) -> str:
    return _("Uitnodiging enquête %(park)s", park=survey.park.name)


def letter_pdf(
    survey: Survey,
    invitations: Iterable[SurveyInvitation],
    *,
    link_for: Callable[[SurveyInvitation], str],
    today: date | None = None,
    compress: bool = True,
) -> bytes:
    """The letters for `invitations` (in the order given, each on its own sheets) as one PDF.

    `link_for` gives an invitation's printed link (absolute). Invitations whose company has left the register
    have no address and are left out. Each letter is in its company's language (`language_of`), text and fixed
    phrases alike, whoever prints it.
    """
    buffer = BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=LEFT,
        rightMargin=RIGHT,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=letter_title(survey),
        author=survey.park.municipality.name,
        lang="nl",
        pageCompression=1 if compress else 0,
    )
    doc.addPageTemplates([PageTemplate(id="letter", frames=[_frame(doc)])])
    flowables: list[Flowable] = []
    for invitation in invitations:
        if invitation.company is None:
            continue
        if flowables:
            flowables.append(PageBreak())
        with force_locale(language_of(invitation)):
            letter = letter_data(survey, invitation, link_for(invitation), today=today)
            flowables.extend(letter_flowables(letter, doc.width))
    if not flowables:
        flowables.append(Paragraph(text(_("Er zijn geen brieven om af te drukken.")), styles()["body"]))
    doc.build(flowables, canvasmaker=_LetterCanvas)
    return buffer.getvalue()
