"""The action plan besides the PDF: a spreadsheet of the actions (XLSX) and an editable document (DOCX)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from flask_babel import format_date
from flask_babel import gettext as _

from app.plans import calendar as plan_calendar
from app.plans import quarters
from app.plans.models import Plan, PlanAction, Theme
from app.plans.pdf import plan_document
from app.reports.maps import map_png
from app.reports.wording import park_place

#: the columns of the spreadsheet with their widths in characters
COLUMN_WIDTHS = (48, 18, 34, 26, 24, 12, 40)


@dataclass(frozen=True)
class ActionRow:
    title: str
    theme: str
    owners: str
    people: str
    quarter: str
    status: str
    goals: str


def action_headers() -> list[str]:
    return [_("Actie"), _("Thema"), _("Eigenaar"), _("Contactpersoon"), _("Kwartaal"), _("Status"), _("Doel")]


def action_row(plan: Plan, action: PlanAction) -> ActionRow:
    """One action as the documents print it: the owning organisations and, where a stakeholder named one, its
    contact person."""
    return ActionRow(
        title=action.title,
        theme=action.theme.label if action.theme else _("Zonder thema"),
        owners=", ".join(o.organisation.name for o in action.owners) or _("nog geen eigenaar"),
        people=", ".join(filter(None, (o.representative_display for o in action.owners))) or "—",
        quarter=quarters.label(plan.starts_on, action.quarter),
        status=action.status.label,
        goals=", ".join(g.title for g in action.goals) or "—",
    )


def actions_by_theme(plan: Plan) -> list[tuple[str, list[ActionRow]]]:
    """The plan's actions per theme (in the themes' order, actions without a theme last), by quarter."""
    groups = []
    for theme in [*Theme, None]:
        rows = [action_row(plan, a) for a in plan.actions if a.theme == theme]
        if rows or theme is not None:
            groups.append((theme.label if theme else _("Zonder thema"), rows))
    return groups


# The spreadsheet ----------------------------------------------------------------------------------------------


def plan_xlsx(plan: Plan) -> bytes:
    """One row per action under a header row that stays in view and filters; texts stored as text, never as
    formulas (a title that starts with "=" stays that title)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = _("Acties")[:31]
    sheet.append(action_headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="24578F")
    for action in plan.actions:
        row = action_row(plan, action)
        sheet.append([row.title, row.theme, row.owners, row.people, row.quarter, row.status, row.goals])
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    # printed: landscape, one page wide, the header row on every page
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMN_WIDTHS))}{sheet.max_row}"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# The document ----------------------------------------------------------------------------------------------


def _repeat_header(row) -> None:
    """Mark a table row as the header Word repeats at the top of every page the table runs onto."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _table(document, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, value in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(value).bold = True
    _repeat_header(table.rows[0])
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value


def plan_docx(plan: Plan, *, today: date) -> bytes:
    """The plan as a Word document the working group can edit: title, period, adoption, roles, goals and actions
    per theme, the communication and activity calendar, and the map of the area."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    data = plan_document(plan, today=today)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    document.core_properties.title = data.title
    document.core_properties.author = data.municipality

    document.add_heading(data.title, level=0)
    document.add_paragraph(park_place(data.park, data.municipality))
    document.add_paragraph(_("Cyclus %(n)s, plan voor %(period)s", n=data.cycle_number, period=data.period))
    if data.adoption:
        document.add_paragraph(
            _(
                "Vastgesteld in de %(meeting)s op %(date)s (versie %(n)s).",
                meeting=data.adoption.meeting,
                date=data.adoption.adopted_on,
                n=data.adoption.number,
            )
        )
    else:
        document.add_paragraph(_("Concept: dit plan is nog niet vastgesteld."))
    document.add_paragraph(_("Gemaakt op %(date)s.", date=data.made_on))

    document.add_heading(_("Rollen"), level=1)
    document.add_paragraph(_("Voorzitter: %(name)s", name=data.chair))
    document.add_paragraph(_("Secretaris: %(name)s", name=data.secretary))
    if data.contacts:
        _table(
            document,
            [_("Deelnemer"), _("Rol"), _("Contactpersoon")],
            [[c.organisation, c.role, c.contact] for c in data.contacts],
        )

    document.add_heading(_("Doelen"), level=1)
    for theme, goals in data.goals:
        document.add_heading(theme, level=2)
        if not goals:
            document.add_paragraph(_("Nog geen doel voor dit thema."))
            continue
        _table(
            document,
            [_("Doel"), _("Indicator"), _("Nulmeting"), _("Streefwaarde"), _("Streefdatum")],
            [[g.title, g.indicator, g.baseline, g.target, g.deadline] for g in goals],
        )

    document.add_heading(_("Acties per thema"), level=1)
    headers = action_headers()
    for theme, actions in actions_by_theme(plan):
        document.add_heading(theme, level=2)
        if not actions:
            document.add_paragraph(_("Geen acties voor dit thema."))
            continue
        _table(
            document,
            [headers[0], headers[2], headers[3], headers[4], headers[5], headers[6]],
            [[a.title, a.owners, a.people, a.quarter, a.status, a.goals] for a in actions],
        )

    document.add_heading(_("Communicatie- en activiteitenkalender"), level=1)
    items = plan_calendar.cycle_items(plan.cycle)
    if items:
        _table(
            document,
            [_("Datum"), _("Tijd"), _("Soort"), _("Wat"), _("Voor wie"), _("Eigenaar")],
            [
                [
                    format_date(item.on, "long"),
                    plan_calendar.time_label(item),
                    item.kind.label,
                    item.title,
                    item.audience or "—",
                    item.owner.organisation.name if item.owner else "—",
                ]
                for item in items
            ],
        )
    else:
        document.add_paragraph(_("Er staat nog niets in de kalender."))

    picture = map_png(plan.cycle.park, width_mm=170, height_mm=110)
    if picture is not None:
        document.add_heading(_("Kaart van het gebied"), level=1)
        document.add_picture(BytesIO(picture), width=Mm(170))
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
