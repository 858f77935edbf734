"""The plan as a spreadsheet and as a Word document, opened again with openpyxl and python-docx; and the plan PDF's
headings and long tables across page breaks."""

from __future__ import annotations

from datetime import date, time
from io import BytesIO

import pypdfium2
from docx import Document
from flask_babel import force_locale
from openpyxl import load_workbook

from app.auth.models import Role
from app.plans import calendar, exports, pdf, services, versions
from app.plans.models import CalendarKind, Theme
from app.stakeholders.models import PpsRole
from tests.factories import make_member
from tests.plans.conftest import TODAY, set_goal


def _fill(plan, advisor, core):
    goal = set_goal(advisor, plan.cycle, theme=Theme.VEILIG, title="Minder inbraken")
    services.add_action(
        advisor,
        plan,
        title="Alertavond",
        quarter=3,
        theme=Theme.VEILIG,
        owners=[core[PpsRole.POLITIE]],
        goals=[goal],
    )
    services.add_action(advisor, plan, title='=HYPERLINK("x")', quarter=1, theme=Theme.SCHOON)
    services.add_action(advisor, plan, title="Nog zonder thema", quarter=8)
    calendar.add_item(
        advisor,
        plan.cycle,
        calendar.ItemValues(
            kind=CalendarKind.ALERT,
            title="Alertavond ondernemers",
            on=date(2026, 10, 6),
            starts_at=time(19, 30),
            ends_at=time(21, 0),
            audience="Ondernemers",
            owner=core[PpsRole.POLITIE],
            description="",
        ),
    )
    return goal


def test_the_spreadsheet_has_one_row_per_action_under_a_filtered_frozen_header(app, db, plan, advisor, core):
    _fill(plan, advisor, core)
    with app.test_request_context():
        data = exports.plan_xlsx(services.preload(plan))
    sheet = load_workbook(BytesIO(data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Actie", "Thema", "Eigenaar", "Contactpersoon", "Kwartaal", "Status", "Doel"]
    assert rows[1] == ['=HYPERLINK("x")', "Schoon", "nog geen eigenaar", "—", "K1 (1e kw. 2026)", "Gepland", "—"]
    assert sheet["A2"].data_type == "s"  # a title is never a formula
    assert rows[2] == [
        "Alertavond",
        "Veilig",
        "Politie Midden-Nederland",
        "Contact politie",
        "K3 (3e kw. 2026)",
        "Gepland",
        "Minder inbraken",
    ]
    assert rows[3][:2] == ["Nog zonder thema", "Zonder thema"] and len(rows) == 4
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:G4"
    assert sheet.column_dimensions["A"].width >= 40
    assert sheet.print_title_rows == "$1:$1"  # printed, the header row repeats on every page


def test_the_spreadsheet_speaks_english_for_an_english_user(app, db, plan, advisor, core):
    _fill(plan, advisor, core)
    with app.test_request_context(), force_locale("en"):
        data = exports.plan_xlsx(services.preload(plan))
    rows = [[c.value for c in row] for row in load_workbook(BytesIO(data)).active.iter_rows()]
    assert rows[0][:2] == ["Action", "Theme"] and rows[0][4] == "Quarter"
    assert rows[2][4] == "Q3 (Q3 2026)"


def test_the_word_document_has_goals_actions_per_theme_the_calendar_and_repeating_headers(app, db, plan, advisor, core):
    _fill(plan, advisor, core)
    versions.adopt(advisor, plan, meeting="werkgroepvergadering", adopted_on=TODAY, today=TODAY)
    with app.test_request_context():
        data = exports.plan_docx(services.preload(plan), today=date(2026, 10, 6))
    document = Document(BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Uitvoeringsplan Lage Weide"
    assert "Cyclus 1, plan voor K1 (1e kw. 2026) tot en met K8 (4e kw. 2027)" in paragraphs
    assert "Vastgesteld in de werkgroepvergadering op 10 maart 2026 (versie 1)." in paragraphs
    assert "Gemaakt op 6 oktober 2026." in paragraphs
    for heading in ("Doelen", "Acties per thema", "Veilig", "Zonder thema", "Communicatie- en activiteitenkalender"):
        assert heading in paragraphs
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert ["Politie Midden-Nederland", "Politie", "Contact politie"] in cells
    assert ["Minder inbraken", "Inbraken per jaar", "12", "5", "31 december 2027"] in cells
    assert [
        "Alertavond",
        "Politie Midden-Nederland",
        "Contact politie",
        "K3 (3e kw. 2026)",
        "Gepland",
        "Minder inbraken",
    ] in cells
    assert [
        "6 oktober 2026",
        "19:30\u201321:00",
        "Alertavond",
        "Alertavond ondernemers",
        "Ondernemers",
        "Politie Midden-Nederland",
    ] in cells
    for table in document.tables:
        assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader"), "every table repeats its header row"
    assert "Kaart van het gebied" not in paragraphs and not document.inline_shapes  # no area drawn yet


def test_the_word_document_shows_the_map_of_a_drawn_area(app, db, plan, park):
    park.area = {"type": "Polygon", "coordinates": [[[5.06, 52.1], [5.08, 52.1], [5.08, 52.11], [5.06, 52.1]]]}
    with app.test_request_context():
        document = Document(BytesIO(exports.plan_docx(services.preload(plan), today=TODAY)))
    assert document.paragraphs[-2].text == "Kaart van het gebied" and len(document.inline_shapes) == 1


def test_downloads_on_the_plan_page(login_as, park, plan, advisor, core):
    _fill(plan, advisor, core)
    client = login_as(make_member(Role.ENTREPRENEUR, park))
    page = client.get(f"/parken/{park.id}/plan/").get_data(as_text=True)
    assert f"/parken/{park.id}/plan/acties.xlsx" in page and f"/parken/{park.id}/plan/actieplan.docx" in page
    response = client.get(f"/parken/{park.id}/plan/acties.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert "acties-lage-weide.xlsx" in response.headers["Content-Disposition"]
    response = client.get(f"/parken/{park.id}/plan/actieplan.docx")
    assert response.status_code == 200 and Document(BytesIO(response.data)).paragraphs[0].text


# Page breaks -------------------------------------------------------------------------------------------------


def _page_lines(data: bytes) -> list[list[str]]:
    document = pypdfium2.PdfDocument(data)
    pages = []
    for page in document:
        lines = [line.strip() for line in page.get_textpage().get_text_range().splitlines() if line.strip()]
        pages.append(lines)
    return pages


def test_no_page_ends_with_a_heading_and_long_tables_repeat_their_header(app, db, plan, advisor, core):
    # a table over several pages in quarter 1 and in the matrix; then goals added one by one under "Schoon", so
    # that the headings after them ("Heel", "Veilig", ...) come to fall at every height of the page
    for n in range(40):
        services.add_action(advisor, plan, title=f"Surveillance ronde {n}", quarter=1, owners=[core[PpsRole.POLITIE]])
    headings = {"Rollen", "Doelen", "Acties per kwartaal", "Overzicht per deelnemer en kwartaal", "Vaststelling"}
    with app.test_request_context():
        headings |= {pdf.quarter_label(plan, n) for n in range(1, 9)} | {theme.label for theme in Theme}
    for theme in (Theme.HEEL, Theme.VEILIG, Theme.MELDINGSBEREIDHEID):
        set_goal(advisor, plan.cycle, theme=theme, title=f"Doel {theme.label}")
    for count in range(1, 13):
        set_goal(advisor, plan.cycle, theme=Theme.SCHOON, title=f"Schoon doel {count} " + "met een lange naam " * 4)
        with app.test_request_context():
            pages = _page_lines(pdf.plan_pdf(services.preload(plan), today=TODAY))
        for number, lines in enumerate(pages, start=1):
            body = [line for line in lines if not line.startswith(("Pagina ", "Veilig Bedrijventerrein"))]
            assert body[-1] not in headings, f"{count} goals: page {number} ends with the heading {body[-1]!r}"
    table_pages = [lines for lines in pages if any("Surveillance ronde" in line for line in lines)]
    assert len(table_pages) >= 3, "the quarter's table and the matrix each run over more than one page"
    for lines in table_pages:
        assert "Actie Thema Eigenaren Doelen Status" in lines or any(
            line.startswith("Deelnemer K1") for line in lines
        ), "a table's header repeats on every page it spans"
