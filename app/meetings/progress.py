"""The quarterly progress report of the continuation (step 8) as a PDF: plain data first (`progress_document`),
then the flowables on the platform's page template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table, TableStyle
from sqlalchemy import select

from app.cameras.checks import network_of, shown_label
from app.cameras.models import QualityCheck, Score
from app.extensions import db
from app.goals.services import goal_row, goals_of
from app.meetings.quarterly import FINDING_SCORES, owners_text, plan_actions
from app.plans import quarters
from app.plans.models import OPEN_STATUSES, ActionStatus, Plan, PlanAction, Theme
from app.reports.layout import (
    FONT,
    HOUSE_COLOUR,
    MUTED_COLOUR,
    build_pdf,
    paragraph,
    styles,
    table_style_commands,
    text,
)
from app.reports.wording import park_place


@dataclass(frozen=True)
class ActionLine:
    title: str
    theme: str
    owners: str
    due: str
    status: str
    #: why an overdue action is late, as its owners noted it ("" elsewhere)
    reason: str = ""


@dataclass(frozen=True)
class ThemeSection:
    """One theme's part of the report: done in the quarter, overdue with the reason, planned for the next."""

    theme: str
    done: list[ActionLine]
    overdue: list[ActionLine]
    next: list[ActionLine]

    @property
    def empty(self) -> bool:
        return not (self.done or self.overdue or self.next)


@dataclass(frozen=True)
class ThemeRow:
    theme: str
    total: int
    done: int
    open: int
    overdue: int


@dataclass(frozen=True)
class GoalLine:
    title: str
    theme: str
    baseline: str
    target: str
    latest: str
    status: str
    #: the numbers for the chart (None: not measured)
    baseline_value: float | None = None
    target_value: float | None = None
    latest_value: float | None = None
    direction: str = ""


@dataclass(frozen=True)
class CheckLine:
    done_on: str
    major: int
    minor: int
    remarks: str


@dataclass(frozen=True)
class FindingLine:
    done_on: str
    criterion: str
    score: str
    note: str


@dataclass(frozen=True)
class ProgressDocument:
    title: str
    park: str
    municipality: str
    cycle_number: int
    number: int
    quarter_label: str
    period: str
    made_on: str
    #: actions still open and due before this day count as overdue
    overdue_before: str
    #: (status label, count) for every status, dropped actions included
    status_counts: list[tuple[str, int]]
    #: the plan's actions, dropped ones left out
    total: int
    done: int
    themes: list[ThemeRow]
    done_in_quarter: list[ActionLine]
    overdue: list[ActionLine]
    goals: list[GoalLine]
    has_network: bool
    checks: list[CheckLine]
    findings: list[FindingLine]
    #: None after the plan's last quarter
    next_label: str | None
    next_actions: list[ActionLine]
    #: per theme (themes without an action in any of the three lists included), actions without a theme last
    sections: list[ThemeSection]


def quarter_label(plan: Plan, number: int) -> str:
    return quarters.label(plan.starts_on, number)


def current_number(plan: Plan, *, today: date) -> int:
    """The plan quarter that holds `today`: the first before the plan starts, the last after its two years."""
    number = quarters.number_on(plan.starts_on, today)
    if number is not None:
        return number
    return 1 if today < plan.starts_on else quarters.QUARTERS


def delay_reason(action: PlanAction) -> str:
    """Why an action is late: the note with which it was last set to "vertraagd", else its latest note, with the
    day it was written; "" when nobody wrote one."""
    notes = [note for note in action.notes if note.text.strip()]
    delayed = [note for note in notes if note.status == ActionStatus.DELAYED]
    if not notes:
        return ""
    note = (delayed or notes)[-1]
    return _("%(text)s (%(date)s)", text=" ".join(note.text.split()), date=format_date(note.written_on, "long"))


def _line(action: PlanAction, *, reason: bool = False) -> ActionLine:
    return ActionLine(
        title=action.title,
        theme=action.theme.label if action.theme else "—",
        owners=owners_text(action),
        due=format_date(action.due_on, "long"),
        status=action.status.label,
        reason=(delay_reason(action) or _("geen reden opgegeven")) if reason else "",
    )


def _sections(done: list[PlanAction], overdue: list[PlanAction], following: list[PlanAction]) -> list[ThemeSection]:
    sections = []
    for theme in [*Theme, None]:
        section = ThemeSection(
            theme=theme.label if theme else _("Zonder thema"),
            done=[_line(a) for a in done if a.theme == theme],
            overdue=[_line(a, reason=True) for a in overdue if a.theme == theme],
            next=[_line(a) for a in following if a.theme == theme],
        )
        if theme is not None or not section.empty:
            sections.append(section)
    return sections


def _themes(actions: list[PlanAction], overdue_ids: set[int]) -> list[ThemeRow]:
    rows = []
    for theme in [*Theme, None]:
        counted = [a for a in actions if a.theme == theme and a.status != ActionStatus.DROPPED]
        if theme is None and not counted:
            continue
        rows.append(
            ThemeRow(
                theme=theme.label if theme else _("Zonder thema"),
                total=len(counted),
                done=sum(a.status == ActionStatus.DONE for a in counted),
                open=sum(a.status in OPEN_STATUSES for a in counted),
                overdue=sum(a.id in overdue_ids for a in counted),
            )
        )
    return rows


def _checks(plan: Plan, first: date, last: date) -> tuple[bool, list[CheckLine], list[FindingLine]]:
    network = network_of(plan.cycle.park)
    if network is None:
        return False, [], []
    done = db.session.scalars(
        select(QualityCheck)
        .where(QualityCheck.network_id == network.id, QualityCheck.done_on >= first, QualityCheck.done_on <= last)
        .order_by(QualityCheck.done_on, QualityCheck.id)
    ).all()
    checks, findings = [], []
    for check in done:
        day = format_date(check.done_on, "long")
        scores = sorted(
            (s for s in check.scores if s.score in FINDING_SCORES),
            key=lambda s: (FINDING_SCORES.index(s.score), s.id),
        )
        checks.append(
            CheckLine(
                done_on=day,
                major=sum(s.score == Score.MAJOR for s in scores),
                minor=sum(s.score == Score.MINOR for s in scores),
                remarks=" ".join(check.remarks.split()) or "—",
            )
        )
        findings += [
            FindingLine(day, shown_label(check, s.criterion), s.score.label, " ".join(s.note.split()) or "—")
            for s in scores
        ]
    return True, checks, findings


def progress_document(plan: Plan, number: int, *, today: date) -> ProgressDocument:
    """What the progress report of plan quarter `number` (1-8) says on `today`: the actions per status and per
    theme, the actions done in the quarter, the overdue actions (still open and due before the quarter's end, or
    before today in the current quarter), the goals with their latest value against the target, the camera checks
    done in the quarter with their findings, and the next quarter's actions (dropped ones left out)."""
    cycle = plan.cycle
    park = cycle.park
    quarter = quarters.quarter(plan.starts_on, number)
    overdue_before = min(today, quarter.last_day + timedelta(days=1))
    actions = plan_actions(plan)
    overdue = [a for a in actions if a.status in OPEN_STATUSES and a.due_on < overdue_before]
    done_in_quarter = [
        a
        for a in actions
        if a.status == ActionStatus.DONE and quarter.first_day <= (a.done_on or date.min) <= quarter.last_day
    ]
    counted = [a for a in actions if a.status != ActionStatus.DROPPED]
    has_network, checks, findings = _checks(plan, quarter.first_day, quarter.last_day)
    following = number + 1 if number < quarters.QUARTERS else None
    next_actions = [a for a in counted if following is not None and a.quarter == following]
    return ProgressDocument(
        title=_("Voortgangsrapport %(park)s, %(quarter)s", park=park.name, quarter=quarter_label(plan, number)),
        park=park.name,
        municipality=park.municipality.name,
        cycle_number=cycle.number,
        number=number,
        quarter_label=quarter_label(plan, number),
        period=_(
            "%(first)s tot en met %(last)s",
            first=format_date(quarter.first_day, "long"),
            last=format_date(quarter.last_day, "long"),
        ),
        made_on=format_date(today, "long"),
        overdue_before=format_date(overdue_before, "long"),
        status_counts=[(status.label, sum(a.status == status for a in actions)) for status in ActionStatus],
        total=len(counted),
        done=sum(a.status == ActionStatus.DONE for a in counted),
        themes=_themes(actions, {a.id for a in overdue}),
        done_in_quarter=[_line(a) for a in done_in_quarter],
        overdue=[_line(a, reason=True) for a in overdue],
        goals=[
            GoalLine(
                title=row.goal.title,
                theme=row.goal.theme.label,
                baseline=row.baseline,
                target=row.target,
                latest=row.latest,
                status=row.status_text,
                baseline_value=row.goal.baseline,
                target_value=row.goal.target,
                latest_value=row.goal.latest_value,
                direction=row.goal.direction.label,
            )
            for row in map(goal_row, goals_of(cycle))
        ],
        has_network=has_network,
        checks=checks,
        findings=findings,
        next_label=quarter_label(plan, following) if following else None,
        next_actions=[_line(a) for a in next_actions],
        sections=_sections(done_in_quarter, overdue, next_actions),
    )


def _table(header: list[str], rows: list[list[object]], widths: list[float]) -> Table:
    def cell(value: object, style: str = "cell") -> Paragraph:
        return Paragraph(text(value), styles()[style])

    data = [[cell(h, "cell_head") for h in header], *([cell(c) for c in row] for row in rows)]
    # a row may split over pages: a check's remarks may be taller than a page
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT", spaceAfter=3 * mm, splitInRow=1)
    table.setStyle(TableStyle(table_style_commands()))
    return table


def _actions(lines: list[ActionLine], empty: str) -> list[Flowable]:
    if not lines:
        return [paragraph(empty)]
    return [
        _table(
            [_("Actie"), _("Eigenaren"), _("Uiterlijk"), _("Status")],
            [[a.title, a.owners, a.due, a.status] for a in lines],
            [74 * mm, 44 * mm, 28 * mm, 20 * mm],
        )
    ]


def _overdue(lines: list[ActionLine]) -> list[Flowable]:
    if not lines:
        return [paragraph(_("Geen achterstallige acties."))]
    return [
        _table(
            [_("Actie"), _("Eigenaren"), _("Uiterlijk"), _("Reden van de vertraging")],
            [[a.title, a.owners, a.due, a.reason] for a in lines],
            [48 * mm, 34 * mm, 26 * mm, 58 * mm],
        )
    ]


def _section(section: ThemeSection, data: ProgressDocument) -> list[Flowable]:
    flowables: list[Flowable] = [paragraph(section.theme, "h3")]
    if section.empty:
        return [*flowables, paragraph(_("Geen acties gereed, achterstallig of gepland voor dit thema."))]
    flowables += [
        paragraph(_("Gereed in dit kwartaal"), "h4"),
        *_actions(section.done, _("Geen acties gereed gemeld in dit kwartaal.")),
        paragraph(_("Achterstallig"), "h4"),
        *_overdue(section.overdue),
    ]
    if data.next_label is not None:
        flowables += [
            paragraph(_("Gepland in %(quarter)s", quarter=data.next_label), "h4"),
            *_actions(section.next, _("Geen acties gepland in het volgende kwartaal.")),
        ]
    return flowables


CHART_WIDTH = 82 * mm
CHART_HEIGHT = 30 * mm
BASELINE_COLOUR = colors.HexColor("#9aa5b1")
TARGET_COLOUR = colors.HexColor("#2e7d32")


def goal_chart(goal: GoalLine) -> Drawing:
    """Baseline, latest value and target of a goal as three horizontal bars, each with its value written as on the
    goal's page ("18,8 %")."""
    values = [goal.baseline_value, goal.latest_value, goal.target_value]
    drawing = Drawing(CHART_WIDTH, CHART_HEIGHT)
    chart = HorizontalBarChart()
    chart.x, chart.y = 24 * mm, 2 * mm
    chart.width, chart.height = CHART_WIDTH - 24 * mm - 20 * mm, CHART_HEIGHT - 4 * mm
    chart.data = [[value or 0 for value in values]]
    chart.categoryAxis.categoryNames = [_("Nulmeting"), _("Laatste meting"), _("Streefwaarde")]
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.strokeColor = MUTED_COLOUR
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max([v for v in values if v is not None] + [1]) * 1.15
    chart.valueAxis.visible = 0
    chart.barWidth = 6
    chart.groupSpacing = 4
    chart.bars.strokeColor = None
    for index, colour in enumerate((BASELINE_COLOUR, HOUSE_COLOUR, TARGET_COLOUR)):
        chart.bars[(0, index)].fillColor = colour
    chart.barLabelFormat = "values"
    written = [goal.baseline, goal.latest, goal.target]
    chart.barLabelArray = [[_("niet gemeten") if v is None else w for v, w in zip(values, written, strict=True)]]
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    drawing.add(chart)
    return drawing


def _goals(goals: list[GoalLine]) -> list[Flowable]:
    """The charts two by two, then the same numbers as a table (the text for who cannot see the charts)."""
    cells = [
        [paragraph(f"{g.title} ({g.theme})", "cell_head"), paragraph(g.direction, "small"), goal_chart(g)]
        for g in goals
    ]
    rows = [cells[i : i + 2] + [[]] * (2 - len(cells[i : i + 2])) for i in range(0, len(cells), 2)]
    grid = Table(rows, colWidths=[85 * mm, 85 * mm], hAlign="LEFT", spaceAfter=3 * mm)
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))
    return [
        grid,
        paragraph(_("De cijfers bij de grafieken"), "h4"),
        _table(
            [_("Doel"), _("Thema"), _("Nulmeting"), _("Laatste meting"), _("Streefwaarde"), _("Stand")],
            [[g.title, g.theme, g.baseline, g.latest, g.target, g.status] for g in goals],
            [40 * mm, 30 * mm, 20 * mm, 21 * mm, 25 * mm, 30 * mm],
        ),
    ]


def progress_flowables(data: ProgressDocument) -> list[Flowable]:
    """The report on portrait pages: plan progress, per theme what was done, is overdue and comes next, the goals'
    indicators against baseline and target, camera checks."""
    flowables: list[Flowable] = [
        paragraph(data.title, "title"),
        paragraph(park_place(data.park, data.municipality)),
        paragraph(
            _(
                "Cyclus %(n)s, %(quarter)s: %(period)s",
                n=data.cycle_number,
                quarter=data.quarter_label,
                period=data.period,
            )
        ),
        paragraph(_("Gemaakt op %(date)s.", date=data.made_on), "small"),
        paragraph(_("Voortgang van het plan"), "h2"),
        paragraph(
            _(
                "%(done)s van de %(total)s acties zijn gereed (vervallen acties tellen niet mee).",
                done=data.done,
                total=data.total,
            )
        ),
        _table([_("Status"), _("Acties")], [[label, count] for label, count in data.status_counts], [60 * mm, 25 * mm]),
        _table(
            [_("Thema"), _("Acties"), _("Gereed"), _("Open"), _("Achterstallig")],
            [[r.theme, r.total, r.done, r.open, r.overdue] for r in data.themes],
            [60 * mm, 25 * mm, 25 * mm, 25 * mm, 30 * mm],
        ),
        CondPageBreak(40 * mm),
        paragraph(_("Per thema"), "h2"),
        paragraph(
            _(
                "Achterstallig: acties die nog open staan en vóór %(date)s klaar hadden moeten zijn.",
                date=data.overdue_before,
            ),
            "small",
        ),
    ]
    if data.next_label is None:
        flowables.append(paragraph(_("Dit is het laatste kwartaal van het plan.")))
    for section in data.sections:
        flowables += _section(section, data)
    flowables += [CondPageBreak(40 * mm), paragraph(_("Doelen"), "h2")]
    if data.goals:
        flowables += _goals(data.goals)
    else:
        flowables.append(paragraph(_("Er zijn nog geen doelen gesteld.")))
    flowables += [CondPageBreak(40 * mm), paragraph(_("Cameracontroles in dit kwartaal"), "h2")]
    if not data.has_network:
        flowables.append(paragraph(_("Dit park heeft geen cameranetwerk.")))
    elif not data.checks:
        flowables.append(paragraph(_("Geen controles uitgevoerd in dit kwartaal.")))
    else:
        flowables.append(
            _table(
                [_("Datum"), _("Grote afwijkingen"), _("Kleine afwijkingen"), _("Opmerkingen")],
                [[c.done_on, c.major, c.minor, c.remarks] for c in data.checks],
                [35 * mm, 30 * mm, 30 * mm, 75 * mm],
            )
        )
        if data.findings:
            flowables += [
                paragraph(_("Bevindingen"), "h3"),
                _table(
                    [_("Datum"), _("Criterium"), _("Score"), _("Toelichting")],
                    [[f.done_on, f.criterion, f.score, f.note] for f in data.findings],
                    [35 * mm, 50 * mm, 30 * mm, 55 * mm],
                ),
            ]
        else:
            flowables.append(paragraph(_("De controles vonden geen afwijkingen.")))
    return flowables


def progress_pdf(plan: Plan, number: int, *, today: date, compress: bool = True) -> bytes:
    """The progress report of plan quarter `number` as a portrait PDF on the platform's page template."""
    data = progress_document(plan, number, today=today)
    return build_pdf(data.title, progress_flowables(data), compress=compress)
