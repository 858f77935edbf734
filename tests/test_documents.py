"""Every document the demo can produce, fetched through its real route as a user who may: each PDF passes qpdf's
check, its first page rendered is not blank, and its text (every page) has no doubled words, placeholders, empty
signature lines, "None"/"nan", ISO or numeric dates, or a singular count with a plural noun; the same in English,
where no Dutch fixed phrase may leak into a document that has an English version."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import docx
import openpyxl
import pikepdf
import pypdfium2
import pytest
from reportlab.platypus import Paragraph
from sqlalchemy import select

from app.auth.models import User
from app.awards.signing import preview as signing_preview
from app.cameras.evaluations import evaluations_of
from app.cameras.models import CameraNetwork
from app.demo.seed import seed_demo_data
from app.extensions import db as _db
from app.inventory.models import Inspection
from app.mail.services import Draft, render_draft
from app.meetings.models import Meeting
from app.meetings.services import invitation_mail as meeting_mail
from app.parks.models import Park
from app.parks.services import active_cycle
from app.plans.calendar import enable_feed
from app.ratelimit import limiter
from app.reports.layout import build_pdf, styles
from app.surveys.invitations import invitation_mail, reminder_mail
from app.surveys.models import Survey
from tests.conftest import is_postgres, rolled_back_connection
from tests.dossier.test_dossier import EVERY_FILE

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: the share of a first page (rendered at 50 dpi) that must not be white: the page template's header and footer
#: alone make 0.9 %, with a title 1.8 %; the shortest real first page (the survey report's cover) 3.8 %
INK_SHARE = 0.025


@dataclass(frozen=True)
class Document:
    #: a name for the test id and the failure message
    key: str
    #: the demo user (local part) who downloads it
    user: str
    #: the path, with {park} for the park's id, {survey}, {evaluation}, {inspection}, {feed}, and {locale} for a
    #: document whose language is chosen in its link
    path: str
    park: str
    #: a file inside the ZIP the path returns
    member: str | None = None
    #: why the document's language is not its reader's (then it is not checked for Dutch in the English run)
    language_of: str = ""
    #: placeholders the document holds on purpose (for its reader to fill in), as a pattern: present, and not
    #: counted as defects
    intended: str | None = None


MAIL_KINDS = ("survey-invitation", "survey-reminder", "meeting-invitation", "meeting-cancelled", "award-request")
DOSSIER = "/parken/{park}/dossier/download"
#: the PDFs of the dossier ZIP
DOSSIER_FILES = sorted(name for name in EVERY_FILE if name.endswith(".pdf"))
DOCUMENTS = [
    Document("enquêterapport", "gemeente", "/parken/{park}/enquete/resultaten/rapport.pdf", "Cartesiusweg"),
    Document(
        "enquête-antwoorden.xlsx",
        "beheer",  # the raw answers are the advisor's, and the demo has no advisor on Cartesiusweg any more
        "/parken/{park}/enquete/resultaten/exporteren?format=xlsx",
        "Cartesiusweg",
    ),
    Document(
        "uitnodigingsbrieven",
        "adviseur",
        "/parken/{park}/enquete/uitnodigingen/brieven.pdf",
        "Lage Weide",
        language_of="each company's (the English letter is checked as briefvoorbeeld)",
    ),
    Document(
        "intentieverklaring-getekend", "gemeente", "/parken/{park}/deelnemers/intentieverklaring.pdf", "Cartesiusweg"
    ),
    Document(
        "intentieverklaring-te-tekenen", "adviseur", "/parken/{park}/deelnemers/intentieverklaring.pdf", "Lage Weide"
    ),
    Document("bedrijven.xlsx", "adviseur", "/parken/{park}/bedrijven/exporteren?format=xlsx", "Lage Weide"),
    Document("actieplan", "gemeente", "/parken/{park}/plan/actieplan.pdf", "Cartesiusweg"),
    Document("voortgangsrapport-k1", "gemeente", "/parken/{park}/voortgangsrapport/kwartaal-1.pdf", "Cartesiusweg"),
    Document("voortgangsrapport-k2", "gemeente", "/parken/{park}/voortgangsrapport/kwartaal-2.pdf", "Cartesiusweg"),
    Document("certificaat", "gemeente", "/parken/{park}/waardering/certificaat.pdf", "Cartesiusweg"),
    Document("oorkondes", "gemeente", "/parken/{park}/waardering/oorkondes.pdf", "Cartesiusweg"),
    Document(
        "persbericht",
        "gemeente",
        "/parken/{park}/waardering/persbericht.txt",
        "Cartesiusweg",
        language_of="the text its author saved (the English press release is checked as persbericht.docx)",
    ),
    Document(
        "persbericht.docx",
        "gemeente",
        "/parken/{park}/waardering/persbericht.docx?taal={locale}",
        "Cartesiusweg",
        # the quote each partner gives the press
        intended=r"\[(Citaat van|Quote from) [^\]\n]+\]",
    ),
    Document("briefvoorbeeld", "adviseur", "/parken/{park}/enquete/brief/voorbeeld.pdf?taal={locale}", "Lage Weide"),
    Document("actieplan.docx", "gemeente", "/parken/{park}/plan/actieplan.docx", "Cartesiusweg"),
    Document("acties.xlsx", "gemeente", "/parken/{park}/plan/acties.xlsx", "Cartesiusweg"),
    Document("schouwrapport", "gemeente", "/parken/{park}/schouw/{inspection}/schouwrapport.pdf", "Cartesiusweg"),
    Document(
        "camera-evaluatie", "gemeente", "/parken/{park}/cameras/evaluaties/{evaluation}/rapport.pdf", "Cartesiusweg"
    ),
    Document("kalender.ics", "gemeente", "/kalender/{feed}.ics", "Cartesiusweg"),
    Document("dashboard.xlsx", "gemeente", "/dashboard/dashboard.xlsx", "Cartesiusweg"),
    *(Document(f"dossier-{name}", "gemeente", DOSSIER, "Cartesiusweg", member=name) for name in DOSSIER_FILES),
    # a park at the start of its process: the index lists what is missing, and why
    Document("dossier-00-inhoud-leeg", "beheer", DOSSIER, "Haarrijn", member="00-inhoud.pdf"),
]
LOCALES = ("nl", "en")


@pytest.fixture(scope="module")
def produced(app) -> Iterator[dict[tuple[str, str], tuple[str, bytes]]]:
    """The demo seeded once for the module, and every document fetched in Dutch and in English:
    (locale, key) -> (content type, bytes)."""
    with app.app_context():
        limiter(app).reset()
        if is_postgres(app):
            with rolled_back_connection():
                yield _produce(app)
        else:
            _db.create_all()
            try:
                yield _produce(app)
            finally:
                _db.session.remove()
                _db.drop_all()
        limiter(app).reset()


def _produce(app) -> dict[tuple[str, str], tuple[str, bytes]]:
    seed_demo_data(now=datetime.now(UTC))
    _db.session.commit()
    parks = {park.name: park for park in _db.session.scalars(select(Park))}
    users = {user.email.split("@")[0]: user for user in _db.session.scalars(select(User))}
    found: dict[tuple[str, str], tuple[str, bytes]] = {}
    zips: dict[tuple[str, str, str], bytes] = {}
    for document in DOCUMENTS:
        park = parks[document.park]
        for locale in LOCALES:
            path = document.path.format(
                park=park.id,
                survey=_survey_id(park),
                evaluation=_evaluation_id(park),
                inspection=_inspection_id(park),
                feed=_feed_token(park, users),
                locale=locale,
            )
            if document.member and (locale, document.user, path) in zips:
                found[(locale, document.key)] = (PDF, _member(zips[(locale, document.user, path)], document.member))
                continue
            client = app.test_client()
            client.login(users[document.user])
            with client.session_transaction() as session:
                session["lang"] = locale
            response = client.get(path)
            assert response.status_code == 200, f"{document.key} ({locale}): {path} answered {response.status_code}"
            if document.member:
                zips[(locale, document.user, path)] = response.data
                found[(locale, document.key)] = (PDF, _member(response.data, document.member))
            else:
                found[(locale, document.key)] = (response.mimetype, response.data)
    with app.test_request_context():
        for kind, draft in _mail_drafts(parks, users).items():
            for locale in LOCALES:
                rendered = render_draft(replace(draft, locale=locale))
                found[(locale, f"mail-{kind}")] = ("mail", f"{rendered.subject}\n{rendered.text_body}".encode())
    return found


def _mail_drafts(parks: dict[str, Park], users: dict[str, User]) -> dict[str, Draft]:
    """One mail of every kind an area builds as a draft, to a demo recipient (rendered in both languages after)."""
    lage_weide, cartesiusweg = active_cycle(parks["Lage Weide"]), active_cycle(parks["Cartesiusweg"])
    survey = _db.session.get(Survey, _survey_id(parks["Lage Weide"]))
    invitation = next(i for i in survey.invitations if i.company is not None and i.company.email)
    example = "https://vb.example.nl/enquete/voorbeeld"
    meeting = _db.session.scalars(
        select(Meeting).where(Meeting.cycle_id == lage_weide.id).order_by(Meeting.starts_at)
    ).first()
    attendee = meeting.attendees[0]
    signatory = next(s for s in cartesiusweg.stakeholders if s.signatory_email)
    now = datetime.now(UTC)
    return {
        "survey-invitation": invitation_mail(invitation, link_for=lambda _i: example),
        "survey-reminder": reminder_mail(invitation, link_for=lambda _i: example),
        "meeting-invitation": meeting_mail(users["adviseur"], meeting, attendee, now=now),
        "meeting-cancelled": meeting_mail(users["adviseur"], meeting, attendee, now=now, cancel=True),
        "award-request": signing_preview(signatory),
    }


def _survey_id(park: Park) -> int | None:
    return _db.session.scalar(
        select(Survey.id).where(Survey.cycle_id == active_cycle(park).id).order_by(Survey.id.desc()).limit(1)
    )


def _feed_token(park: Park, users: dict[str, User]) -> str:
    """The park's calendar feed, turned on by the municipality (the address is its own key: no login)."""
    token = enable_feed(users["gemeente"], park).token
    _db.session.commit()
    return token


def _evaluation_id(park: Park) -> int | None:
    network = _db.session.scalar(select(CameraNetwork).where(CameraNetwork.park_id == park.id))
    evaluations = evaluations_of(network) if network is not None else []
    return evaluations[0].id if evaluations else None


def _inspection_id(park: Park) -> int | None:
    return _db.session.scalar(
        select(Inspection.id).where(Inspection.cycle_id == active_cycle(park).id).order_by(Inspection.id).limit(1)
    )


def _member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert name in archive.namelist(), f"{name} is not in the dossier: {archive.namelist()}"
        return archive.read(name)


# Reading a document --------------------------------------------------------------------------------------------


def pdf_problems(data: bytes) -> list[str]:
    """What qpdf's check finds wrong with the PDF's structure."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return pdf.check_pdf_syntax()


def pdf_pages(data: bytes) -> tuple[list[str], float]:
    """The text of every page, and the share of ink on the first page rendered at 50 dpi."""
    document = pypdfium2.PdfDocument(data)
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        first = document[0]
        image = first.render(scale=50 / 72).to_pil().convert("L")
        first.close()
        histogram = image.histogram()
        return pages, sum(histogram[:250]) / sum(histogram)
    finally:
        document.close()


def ics_text(data: bytes) -> str:
    """The texts of an iCalendar file that people read (summary, description, location), unfolded and unescaped."""
    unfolded = data.decode("utf-8").replace("\r\n ", "").replace("\r\n", "\n")
    values = [
        line.split(":", 1)[1]
        for line in unfolded.splitlines()
        if line.startswith(("SUMMARY", "DESCRIPTION", "LOCATION"))
    ]
    return "\n".join(v.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";") for v in values)


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def xlsx_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    lines = []
    for sheet in book.worksheets:
        lines.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            # a date cell is a date, which the spreadsheet shows the reader's way: not text to check
            lines.append("\t".join("" if value is None or isinstance(value, date) else str(value) for value in row))
    return "\n".join(lines)


# The wording rules ---------------------------------------------------------------------------------------------

#: on one line (a chart's labels or a table's cells stand on lines or in tab-separated cells of their own)
DOUBLED = re.compile(r"\b([^\W\d_]{2,}) +\1\b", re.IGNORECASE)
PLACEHOLDER = re.compile(
    r"\{\{|\}\}|\{[a-z_]+\}|%\([a-z_]+\)[sd]|\[[^\]\n]{0,40}\]|\bTODO\b|\bTBD\b|\bxxx\b|Lorem ipsum|"
    r"Ruimte voor|Space for|nader te bepalen|to be determined",
    re.IGNORECASE,
)
#: the organisation's name after the word the sentence already says: "gemeente Gemeente Utrecht" and its English
MUNICIPALITY_TWICE = re.compile(r"\b(gemeente|municipality of):? +Gemeente\b", re.IGNORECASE)
#: Python's None, pandas' nan, JavaScript's null and undefined ("None of these" is an English answer)
EMPTY_VALUE = re.compile(r"\bNone\b(?! of\b)|\b(nan|NaN|null|undefined)\b")
SIGNATURE_LABEL = (
    r"(Handtekening|Naam|Functie|Datum|Getekend door|Ondertekend door|Signature|Name|Position|Date|Signed by)"
)
EMPTY_SIGNATURE = re.compile(SIGNATURE_LABEL + r":[ \t]*(?:\n|$)")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
NUMERIC_DATE = re.compile(r"\b\d{1,2}-\d{1,2}-\d{4}\b")
SINGULAR = {
    "nl": re.compile(
        r"(?<![\d,.])\b1 (deelnemers|bedrijven|antwoorden|respondenten|enquêtes|organisaties|acties|meldingen|dagen|"
        r"weken|maanden|jaren|partijen|sectoren|controles|bevindingen|camera's|vergaderingen|doelen|inbraken)\b"
    ),
    "en": re.compile(
        r"(?<![\d,.])\b1 (participants|companies|answers|respondents|surveys|organisations|actions|reports|days|"
        r"weeks|months|years|parties|sectors|checks|findings|cameras|meetings|goals|burglaries)\b"
    ),
}
#: Dutch fixed phrases of the documents that have an English version: none may show in the English one
DUTCH_PHRASES = re.compile(
    r"(?<![-@.])\b(Pagina \d|tot en met|Cyclus \d|Deelnemende organisaties|Ondertekening|Handtekening|Methode|Respons|"
    r"Samengesteld op|Organisatie|gemeente|Besluit|deelnemers|ondertekend|antwoorden)\b"
)


def defects(text: str, locale: str) -> list[str]:
    """What is wrong with a document's text, each with the words around it."""
    found = []

    def around(match: re.Match) -> str:
        start, end = max(match.start() - 30, 0), min(match.end() + 30, len(text))
        return " ".join(text[start:end].split())

    rules = [
        ("doubled word", DOUBLED),
        ("municipality named twice", MUNICIPALITY_TWICE),
        ("placeholder", PLACEHOLDER),
        ("empty value", EMPTY_VALUE),
        ("empty signature line", EMPTY_SIGNATURE),
        ("ISO date", ISO_DATE),
        ("numeric date", NUMERIC_DATE),
        ("singular count with a plural noun", SINGULAR[locale]),
    ]
    for name, rule in rules:
        found += [f"{name}: …{around(m)}…" for m in rule.finditer(text)]
    if locale == "en":
        found += [f"Dutch in the English document: …{around(m)}…" for m in DUTCH_PHRASES.finditer(text)]
    return found


def test_the_rules_catch_what_they_are_for():
    bad = (
        "bedrijventerrein Cartesiusweg in de gemeente Gemeente Utrecht.\nNaam: Jan\nHandtekening:\n"
        "Datum: 6-10-2026 op 6 oktober 2026, gemaakt 2026-10-06. 1 van de 4 deelnemers hebben; 1 deelnemers. "
        "Waarde: None. Ruimte voor uw logo. {{ park }}"
    )
    found = " | ".join(defects(bad, "nl"))
    for expected in (
        "doubled word: …",
        "gemeente Gemeente Utrecht",
        "empty signature line",
        "numeric date",
        "ISO date",
        "singular count with a plural noun: …",
        "empty value",
        "Ruimte voor",
        "{{ park }}",
    ):
        assert expected in found, expected
    assert found.count("empty signature line") == 1  # "Naam: Jan" is filled in
    good = "In totaal is 1 ingevulde enquête verwerkt; 14,1 procent. Alle 4 deelnemers hebben getekend op 9 juli 2026."
    assert defects(good, "nl") == []
    assert defects("Cycle 1 (May 20, 2026 to May 19, 2028)", "en") == []
    assert defects("Pagina 1 van 2", "en") == ["Dutch in the English document: …Pagina 1 van 2…"]
    assert defects("Response: 80 %. None of these.", "en") == []
    assert defects("More information: contact@gemeente-utrecht.example.", "en") == []
    assert "municipality named twice" in defects("Cartesiusweg, municipality of Gemeente Utrecht", "en")[0]
    assert "placeholder" in defects("Space for the partners' logos", "en")[0]


def test_a_first_page_with_only_the_page_template_and_a_title_counts_as_blank(app):
    with app.test_request_context():
        title = "Intentieverklaring Veilig Bedrijventerrein Cartesiusweg"
        data = build_pdf(title, [Paragraph(title, styles()["title"])])
    assert pdf_pages(data)[1] < INK_SHARE


@pytest.mark.parametrize(
    ("document", "locale"),
    [pytest.param(document, locale, id=f"{locale}-{document.key}") for locale in LOCALES for document in DOCUMENTS],
)
def test_document(produced, document: Document, locale: str):
    kind, data = produced[(locale, document.key)]
    if kind == PDF:
        assert data.startswith(b"%PDF"), f"{document.key} is no PDF"
        assert pdf_problems(data) == [], f"{document.key}: qpdf finds {pdf_problems(data)}"
        pages, ink = pdf_pages(data)
        assert ink > INK_SHARE, f"{document.key}: the first page is (nearly) blank ({ink:.1%} ink)"
        text = "\n".join(pages)
    elif kind == DOCX:
        text = docx_text(data)
    elif kind == XLSX:
        text = xlsx_text(data)
    elif kind == "text/calendar":
        text = ics_text(data)
    else:
        assert kind == "text/plain", f"{document.key}: an unexpected type {kind}"
        text = data.decode("utf-8")
    assert text.strip(), f"{document.key} has no text"
    if document.intended:
        text, intended = re.subn(document.intended, "", text)
        assert intended, f"{document.key} lacks its placeholders to fill in"
    language = "nl" if document.language_of and locale == "en" else locale
    assert defects(text, language) == [], f"{document.key} ({locale})"


@pytest.mark.parametrize(("kind", "locale"), [(kind, locale) for locale in LOCALES for kind in MAIL_KINDS])
def test_mail(produced, kind: str, locale: str):
    """The subject and text of each kind of mail, in the recipient's language, follow the same rules."""
    _type, data = produced[(locale, f"mail-{kind}")]
    assert defects(data.decode(), locale) == [], f"{kind} ({locale})"


#: routes whose file is data for another program, not a document for a reader (CSV for re-import, with ISO dates)
DATA_EXPORTS = {"figures.export"}
DOCUMENT_SUFFIXES = (".pdf", ".docx", ".xlsx", ".txt", ".ics", ".zip")


def test_every_download_route_is_covered(app):
    """A new route that sends a document gets its case here: every route whose path ends like a document, or that
    exports or downloads, is one of DOCUMENTS' endpoints."""
    adapter = app.url_map.bind("localhost")
    covered = {
        adapter.match(re.sub(r"\?.*", "", d.path).format(park=1, survey=1, evaluation=1, inspection=1, feed="x"))[0]
        for d in DOCUMENTS
    }
    writers = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.rule.endswith(DOCUMENT_SUFFIXES) or rule.rule.endswith(("/exporteren", "/download"))
    }
    assert writers - DATA_EXPORTS - covered == set()
