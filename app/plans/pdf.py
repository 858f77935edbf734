"""The action plan as a PDF for the adoption meeting: plain data first (`plan_document`), then the flowables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from app.auth.models import User
from app.extensions import db
from app.goals.services import goal_row, goals_by_theme
from app.parks.models import Cycle, Park
from app.plans import quarters
from app.plans.models import Plan
from app.plans.services import matrix, ordered_stakeholders
from app.reports.layout import build_pdf, paragraph, styles, table_style_commands, text
from app.reports.maps import map_flowable
from app.reports.wording import park_place


@dataclass(frozen=True)
class Contact:
    organisation: str
    role: str
    contact: str


@dataclass(frozen=True)
class GoalLine:
    title: str
    indicator: str
    baseline: str
    target: str
    deadline: str


@dataclass(frozen=True)
class ActionLine:
    title: str
    theme: str
    owners: str
    goals: str
    status: str


@dataclass(frozen=True)
class QuarterBlock:
    label: str
    actions: list[ActionLine]


@dataclass(frozen=True)
class Adoption:
    number: int
    adopted_on: str
    adopted_by: str
    meeting: str


@dataclass(frozen=True)
class PlanDocument:
    title: str
    park: str
    municipality: str
    cycle_number: int
    period: str
    made_on: str
    chair: str
    secretary: str
    contacts: list[Contact]
    goals: list[tuple[str, list[GoalLine]]]
    quarters: list[QuarterBlock]
    matrix_header: list[str]
    matrix_rows: list[list[str]]
    adoption: Adoption | None
    #: the plan changed since it was adopted
    changed_since: bool


def _name(user_id: int | None) -> str:
    user = db.session.get(User, user_id) if user_id is not None else None
    return user.name if user is not None else _("nog niet gekozen")


def quarter_label(plan: Plan, number: int) -> str:
    return quarters.label(plan.starts_on, number)


def plan_document(plan: Plan, *, today: date) -> PlanDocument:
    """What the action plan says: cover, roles, goals per theme, actions per quarter, the stakeholder x quarter
    matrix, and the adoption record (or that it is a draft)."""
    from app.plans.versions import diff

    cycle: Cycle = plan.cycle
    park = cycle.park
    first, last = quarters.quarter(plan.starts_on, 1), quarters.quarter(plan.starts_on, quarters.QUARTERS)
    blocks = []
    for number in range(1, quarters.QUARTERS + 1):
        lines = [
            ActionLine(
                title=action.title,
                theme=action.theme.label if action.theme else "—",
                owners=", ".join(o.organisation.name for o in action.owners) or _("nog geen eigenaar"),
                goals=", ".join(g.title for g in action.goals) or "—",
                status=action.status.label,
            )
            for action in plan.actions
            if action.quarter == number
        ]
        blocks.append(QuarterBlock(quarter_label(plan, number), lines))
    rows = []
    for row in matrix(plan):
        label = row.stakeholder.organisation.name if row.stakeholder else _("Zonder eigenaar")
        rows.append([label, *("\n".join(a.title for a in cell) for cell in row.cells)])
    version = plan.adopted_version
    changes = diff(plan)
    return PlanDocument(
        title=_("Uitvoeringsplan %(park)s", park=park.name),
        park=park.name,
        municipality=park.municipality.name,
        cycle_number=cycle.number,
        period=_("%(first)s tot en met %(last)s", first=first.label, last=last.label),
        made_on=format_date(today, "long"),
        chair=_name(cycle.chair_id),
        secretary=_name(cycle.secretary_id),
        contacts=[
            Contact(s.organisation.name, s.role.label, s.representative_display or _("nog niet gekozen"))
            for s in ordered_stakeholders(cycle)
        ],
        goals=[
            (
                theme.label,
                [
                    GoalLine(
                        title=row.goal.title,
                        indicator=row.goal.indicator,
                        baseline=row.baseline,
                        target=row.target,
                        deadline=format_date(row.goal.deadline, "long"),
                    )
                    for row in map(goal_row, goals)
                ],
            )
            for theme, goals in goals_by_theme(cycle)
        ],
        quarters=blocks,
        matrix_header=[_("Deelnemer"), *(q.label for q in quarters.quarters(plan.starts_on))],
        matrix_rows=rows,
        adoption=Adoption(
            number=version.number,
            adopted_on=format_date(version.adopted_on, "long"),
            adopted_by=version.adopted_by_label,
            meeting=version.meeting,
        )
        if version
        else None,
        changed_since=bool(changes and not changes.empty),
    )


def _cell(value: object, style: str = "cell") -> Paragraph:
    """A table cell; line breaks in the value stay line breaks."""
    return Paragraph("<br/>".join(text(line) for line in str(value).split("\n")), styles()[style])


def _table(header: list[str], rows: list[list[object]], widths: list[float], *, split_rows: bool = False) -> Table:
    data = [[_cell(h, "cell_head") for h in header], *([_cell(c) for c in row] for row in rows)]
    # `split_rows`: a row may split over pages (a matrix cell of one owner's many actions in a quarter can be taller
    # than a page); elsewhere a row stays whole, so that no sliver of a row starts the next page
    table = Table(
        data, colWidths=widths, repeatRows=1, hAlign="LEFT", spaceAfter=3 * mm, splitInRow=1 if split_rows else 0
    )
    table.setStyle(TableStyle(table_style_commands()))
    return table


def plan_flowables(data: PlanDocument) -> list[Flowable]:
    """The plan laid out on landscape pages: cover, roles, goals, actions per quarter, matrix, adoption."""
    flowables: list[Flowable] = [
        paragraph(data.title, "title"),
        paragraph(park_place(data.park, data.municipality)),
        paragraph(_("Cyclus %(n)s, plan voor %(period)s", n=data.cycle_number, period=data.period)),
    ]
    if data.adoption:
        status = _(
            "Vastgesteld in de %(meeting)s op %(date)s (versie %(n)s).",
            meeting=data.adoption.meeting,
            date=data.adoption.adopted_on,
            n=data.adoption.number,
        )
        if data.changed_since:
            status += " " + _("Het plan is sindsdien gewijzigd; deze uitdraai toont het plan zoals het nu is.")
    else:
        status = _("Concept: dit plan is nog niet vastgesteld.")
    flowables += [paragraph(status, "h3"), paragraph(_("Gemaakt op %(date)s.", date=data.made_on), "small")]

    flowables.append(paragraph(_("Rollen"), "h2"))
    flowables.append(paragraph(_("Voorzitter: %(name)s", name=data.chair)))
    flowables.append(paragraph(_("Secretaris: %(name)s", name=data.secretary)))
    if data.contacts:
        flowables.append(
            _table(
                [_("Deelnemer"), _("Rol"), _("Contactpersoon")],
                [[c.organisation, c.role, c.contact] for c in data.contacts],
                [95 * mm, 70 * mm, 90 * mm],
            )
        )
    else:
        flowables.append(paragraph(_("Er doen nog geen organisaties mee.")))

    flowables += [CondPageBreak(40 * mm), paragraph(_("Doelen"), "h2")]
    for theme, goals in data.goals:
        flowables.append(paragraph(theme, "h3"))
        if not goals:
            flowables.append(paragraph(_("Nog geen doel voor dit thema.")))
            continue
        flowables.append(
            _table(
                [_("Doel"), _("Indicator"), _("Nulmeting"), _("Streefwaarde"), _("Streefdatum")],
                [[g.title, g.indicator, g.baseline, g.target, g.deadline] for g in goals],
                [70 * mm, 85 * mm, 30 * mm, 30 * mm, 40 * mm],
            )
        )

    flowables += [PageBreak(), paragraph(_("Acties per kwartaal"), "h2")]
    for block in data.quarters:
        heading = paragraph(block.label, "h3")
        if not block.actions:
            flowables.append(KeepTogether([heading, paragraph(_("Geen acties in dit kwartaal."))]))
            continue
        table = _table(
            [_("Actie"), _("Thema"), _("Eigenaren"), _("Doelen"), _("Status")],
            [[a.title, a.theme, a.owners, a.goals, a.status] for a in block.actions],
            [85 * mm, 30 * mm, 60 * mm, 55 * mm, 25 * mm],
        )
        flowables += [CondPageBreak(30 * mm), heading, table]

    flowables += [PageBreak(), paragraph(_("Overzicht per deelnemer en kwartaal"), "h2")]
    if data.matrix_rows:
        widths = [45 * mm] + [26 * mm] * quarters.QUARTERS
        flowables.append(_table(data.matrix_header, data.matrix_rows, widths, split_rows=True))
    else:
        flowables.append(paragraph(_("Er doen nog geen organisaties mee en er zijn nog geen acties.")))

    flowables += [Spacer(1, 6 * mm), paragraph(_("Vaststelling"), "h2")]
    if data.adoption:
        flowables.append(
            _table(
                [_("Versie"), _("Datum"), _("Vergadering"), _("Vastgelegd door")],
                [[data.adoption.number, data.adoption.adopted_on, data.adoption.meeting, data.adoption.adopted_by]],
                [25 * mm, 50 * mm, 120 * mm, 60 * mm],
            )
        )
    else:
        flowables.append(paragraph(_("Concept: dit plan is nog niet vastgesteld.")))
    return flowables


def _area_appendix(park: Park) -> list[Flowable]:
    """The map of the area the plan is for, on a page of its own after the plan; nothing when no area is drawn."""
    picture = map_flowable(park, width_mm=250, height_mm=125)
    return [PageBreak(), paragraph(_("Het gebied"), "h2"), picture] if picture is not None else []


def plan_pdf(plan: Plan, *, today: date, compress: bool = True) -> bytes:
    """The action plan as a landscape PDF on the platform's page template, with the area map after it."""
    data = plan_document(plan, today=today)
    flowables = plan_flowables(data) + _area_appendix(plan.cycle.park)
    return build_pdf(data.title, flowables, landscape=True, compress=compress)
