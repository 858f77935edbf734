"""The one page template every PDF of the platform uses: A4, Helvetica, the house colour, a header with the
platform name and the document title, and a footer with "page x of y"."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import cache
from io import BytesIO
from xml.sax.saxutils import escape

from flask_babel import get_locale
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape as landscape_of
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, KeepTogether, PageTemplate, Paragraph
from reportlab.platypus.doctemplate import BaseDocTemplate
from reportlab.platypus.flowables import _listWrapOn

PLATFORM_NAME = "Veilig Bedrijventerrein"
HOUSE_COLOUR = colors.HexColor("#24578f")
TEXT_COLOUR = colors.HexColor("#1a1a1a")
MUTED_COLOUR = colors.HexColor("#555555")
FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
MARGIN = 20 * mm
HEADER_HEIGHT = 14 * mm
FOOTER_HEIGHT = 12 * mm


@cache
def styles() -> StyleSheet1:
    """The platform's paragraph styles: title, h2, h3, h4 (the headings kept with the next flowable), body,
    small, cell, cell_head."""
    sheet = StyleSheet1()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, textColor=TEXT_COLOUR, spaceAfter=6)
    sheet.add(body)
    sheet.add(
        ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=18, leading=23, textColor=HOUSE_COLOUR, spaceAfter=10
        )
    )
    sheet.add(
        ParagraphStyle(
            "h2",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=13,
            leading=17,
            textColor=HOUSE_COLOUR,
            spaceBefore=10,
            spaceAfter=6,
            keepWithNext=1,
        )
    )
    # a heading never stands alone at the bottom of a page: it moves to the next page with what follows it
    sheet.add(
        ParagraphStyle("h3", parent=body, fontName=FONT_BOLD, fontSize=11, leading=15, spaceAfter=4, keepWithNext=1)
    )
    # a caption over a part of a section (a table, a chart, a row of photos), kept with it like a heading
    sheet.add(
        ParagraphStyle(
            "h4",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=9.5,
            leading=13,
            textColor=MUTED_COLOUR,
            spaceAfter=3,
            keepWithNext=1,
        )
    )
    sheet.add(ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=MUTED_COLOUR))
    sheet.add(ParagraphStyle("cell", parent=body, fontSize=9, leading=12, spaceAfter=0, alignment=TA_LEFT))
    sheet.add(ParagraphStyle("cell_head", parent=body, fontName=FONT_BOLD, fontSize=9, leading=12, spaceAfter=0))
    return sheet


def text(value: object) -> str:
    """A value as Paragraph markup: user input must never be read as ReportLab's mini-HTML."""
    return escape(text_of(value))


def table_style_commands() -> list[tuple]:
    """The house look of a data table whose first row is the header."""
    return [
        ("BACKGROUND", (0, 0), (-1, 0), HOUSE_COLOUR),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#c8d3e0")),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]


class DeferredCanvas(Canvas):
    """Keeps every page until the document is done, so that what only the whole document knows (how many pages
    there are) can be drawn on each: `mark` names the part a page belongs to, `number_page` draws its number."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[tuple[dict, object]] = []

    def mark(self) -> object:
        """What the current page belongs to: pages with the same mark are numbered together."""
        return None

    def number_page(self, position: int, count: int) -> None:
        """Draw that the current page is number `position` (from 1) of the `count` pages of its part."""

    def showPage(self):
        self._pages.append((dict(self.__dict__), self.mark()))
        self._startPage()

    def save(self):
        counts = Counter(mark for _state, mark in self._pages)
        seen: Counter = Counter()
        for state, mark in self._pages:
            self.__dict__.update(state)
            seen[mark] += 1
            self.number_page(seen[mark], counts[mark])
            super().showPage()
        super().save()


class _NumberedCanvas(DeferredCanvas):
    """The footer's "page x of y"."""

    def number_page(self, position: int, count: int) -> None:
        width, _height = self._pagesize
        self.setFont(FONT, 8)
        self.setFillColor(MUTED_COLOUR)
        label = _("Pagina %(page)s van %(total)s", page=position, total=count)
        self.drawRightString(width - MARGIN, MARGIN - 8 * mm, label)


def _decorate(title: str):
    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = doc.pagesize
        canvas.saveState()
        top = height - MARGIN + 4 * mm
        canvas.setFillColor(HOUSE_COLOUR)
        canvas.setFont(FONT_BOLD, 10)
        canvas.drawString(MARGIN, top, PLATFORM_NAME)
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED_COLOUR)
        canvas.drawRightString(width - MARGIN, top, title[:110])
        canvas.setStrokeColor(HOUSE_COLOUR)
        canvas.setLineWidth(1.5)
        canvas.line(MARGIN, top - 3 * mm, width - MARGIN, top - 3 * mm)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, MARGIN - 4 * mm, width - MARGIN, MARGIN - 4 * mm)
        canvas.setFont(FONT, 8)
        canvas.drawString(MARGIN, MARGIN - 8 * mm, PLATFORM_NAME)
        canvas.restoreState()

    return draw


class _HeadingWithNext(KeepTogether):
    """What a heading (keepWithNext) is kept with: when the whole does not fit, the heading stays on this page if
    the start of what follows fits below it (a long table splits after its first rows, a paragraph after its first
    lines), and moves to the next page with it otherwise. Plain KeepTogether would move a heading with a long table
    to a new page every time and leave the rest of this one white."""

    def split(self, aW, aH):
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        if aH < self._H and len(self._content) > 1:
            *heads, following = self._content
            gap = max(heads[-1].getSpaceAfter(), following.getSpaceBefore())
            room = aH - _listWrapOn(heads, aW, self.canv)[1] - gap
            if room > 0:
                following.wrapOn(self.canv, aW, room)
                parts = following.splitOn(self.canv, aW, room)
                if parts:
                    return [*heads, *parts]
        return super().split(aW, aH)


def build_pdf(title: str, flowables: list[Flowable], *, landscape: bool = False, compress: bool = True) -> bytes:
    """Lay out `flowables` on the platform's A4 page template and return the PDF.

    `compress=False` writes the page streams as plain text (for tests that read the PDF's words).
    """
    buffer = BytesIO()
    doc = _document(
        buffer,
        title,
        landscape=landscape,
        margins=(MARGIN + HEADER_HEIGHT - 6 * mm, MARGIN, MARGIN + FOOTER_HEIGHT - 8 * mm, MARGIN),
        compress=compress,
    )
    doc.keepTogetherClass = _HeadingWithNext
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_decorate(title))])
    doc.build(list(flowables), canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


def build_plain_pdf(
    title: str,
    flowables: list[Flowable],
    *,
    landscape: bool = False,
    margin: float = MARGIN,
    on_page: Callable[[Canvas, BaseDocTemplate], None] | None = None,
    compress: bool = True,
) -> bytes:
    """Lay out `flowables` on A4 without the platform's header, footer and page numbers (for documents that are
    not reports, like a certificate); `on_page` draws what every page has behind the flowables (a frame)."""
    buffer = BytesIO()
    doc = _document(buffer, title, landscape=landscape, margins=(margin,) * 4, compress=compress)
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page or (lambda canvas, doc: None))])
    doc.build(list(flowables))
    return buffer.getvalue()


def _document(
    buffer: BytesIO, title: str, *, landscape: bool, margins: tuple[float, float, float, float], compress: bool
) -> BaseDocTemplate:
    """An A4 document (portrait or landscape) with the platform's metadata; margins top, right, bottom, left."""
    top, right, bottom, left = margins
    return BaseDocTemplate(
        buffer,
        pagesize=landscape_of(A4) if landscape else A4,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=title,
        author=PLATFORM_NAME,
        creator=PLATFORM_NAME,
        lang=str(get_locale() or "nl"),
        pageCompression=1 if compress else 0,
    )


def paragraph(value: object, style: str = "body") -> Paragraph:
    """A paragraph of plain text (never read as markup) in one of the platform's styles; its line breaks stay."""
    return Paragraph("<br/>".join(text(line) for line in text_of(value).split("\n")), styles()[style])


def text_of(value: object) -> str:
    return "" if value is None else str(value)


def heading(value: object, style: str = "h2") -> Paragraph:
    return paragraph(value, style)
