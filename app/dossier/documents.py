"""The audit dossier's own documents (those no other area prints yet): the area map, the stakeholder list, the
inspection walks, the goals, the plan's progress, the meeting minutes, the camera compliance summary and the index.

Each turns one cycle's data into flowables on the platform's page template (`app.reports.layout`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle
from sqlalchemy import select

from app.cameras.legal import compliance
from app.cameras.models import CameraNetwork
from app.cameras.networks import summary
from app.clock import LOCAL_TIME
from app.extensions import db
from app.goals.services import goal_row, goals_of
from app.inventory.models import Inspection
from app.meetings.models import Meeting
from app.parks.models import Cycle, Park
from app.plans import quarters
from app.plans.models import ActionStatus, Plan
from app.plans.services import ordered_stakeholders
from app.reports.layout import build_pdf, paragraph, table_style_commands
from app.reports.maps import map_flowable
from app.reports.wording import long_date, park_place

#: the maps' size on the portrait page: the area map fills it, the others share it with text
MAP_WIDTH_MM = 170
AREA_MAP_HEIGHT_MM = 180
MAP_HEIGHT_MM = 120


def _table(header: Sequence[str], rows: Iterable[Sequence[object]], widths: Sequence[float] | None = None) -> Table:
    data = [[paragraph(h, "cell_head") for h in header], *([paragraph(cell, "cell") for cell in row] for row in rows)]
    # a row may split over pages: a long decision or note is taller than a page
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT", spaceAfter=3 * mm, splitInRow=1)
    table.setStyle(TableStyle(table_style_commands()))
    return table


def _heading(title: str, cycle: Cycle) -> list[Flowable]:
    park = cycle.park
    return [
        paragraph(title, "title"),
        paragraph(park_place(park.name, park.municipality.name)),
        paragraph(
            _(
                "Cyclus %(n)s (%(start)s tot en met %(end)s)",
                n=cycle.number,
                start=long_date(cycle.starts_on),
                end=long_date(cycle.ends_on),
            ),
            "small",
        ),
    ]


# The area ---------------------------------------------------------------------------------------------------


def _with_caption(picture: Flowable | None, caption: str) -> list[Flowable]:
    """A map with a line under it, kept together; nothing when the park has no area drawn."""
    if picture is None:
        return []
    return [KeepTogether([Spacer(1, 2 * mm), picture, Spacer(1, 2 * mm), paragraph(caption, "small")])]


def area_geojson(park: Park) -> bytes:
    """The park's boundary as a GeoJSON Feature (WGS84) with the park's name."""
    feature = {
        "type": "Feature",
        "properties": {"park": park.name, "gemeente": park.municipality.name},
        "geometry": park.area,
    }
    return json.dumps(feature, ensure_ascii=False, indent=2).encode("utf-8")


def area_pdf(cycle: Cycle) -> bytes:
    park = cycle.park
    assert park.area is not None
    title = _("Gebiedskaart %(park)s", park=park.name)
    flowables = [
        *_heading(title, cycle),
        *_with_caption(
            map_flowable(park, width_mm=MAP_WIDTH_MM, height_mm=AREA_MAP_HEIGHT_MM),
            _("De grens van het gebied zoals die in het platform is ingetekend, met de bedrijven uit het register."),
        ),
        paragraph(_("Bedrijven in het register: %(n)s", n=len(park.companies))),
    ]
    return build_pdf(title, flowables)


# Stakeholders -----------------------------------------------------------------------------------------------


def stakeholders_pdf(cycle: Cycle) -> bytes:
    """Every organisation of the cycle with its role, representative, signatory and whether it signed the
    declaration of intent."""
    title = _("Deelnemers %(park)s", park=cycle.park.name)
    stakeholders = ordered_stakeholders(cycle)
    signed = sum(1 for s in stakeholders if s.declaration_signed_on)
    rows = [
        (
            s.organisation.name,
            s.role.label,
            s.representative_display or "—",
            "\n".join(v for v in (s.signatory_name, s.signatory_function) if v) or "—",
            _("%(date)s door %(name)s", date=long_date(s.declaration_signed_on), name=s.declaration_signed_by or "—")
            if s.declaration_signed_on
            else _("nog niet"),
        )
        for s in stakeholders
    ]
    flowables = [
        *_heading(title, cycle),
        paragraph(
            _("Alle %(total)s deelnemers hebben de intentieverklaring ondertekend.", total=len(stakeholders))
            if signed == len(stakeholders)
            else ngettext(
                "%(num)s van de %(total)s deelnemers heeft de intentieverklaring ondertekend.",
                "%(num)s van de %(total)s deelnemers hebben de intentieverklaring ondertekend.",
                signed,
                total=len(stakeholders),
            )
        ),
        _table(
            [_("Organisatie"), _("Rol"), _("Vertegenwoordiger"), _("Tekenbevoegde"), _("Intentieverklaring getekend")],
            rows,
            [60 * mm, 42 * mm, 52 * mm, 52 * mm, 51 * mm],
        ),
    ]
    # five columns of names want a landscape page: a long organisation name never breaks in two
    return build_pdf(title, flowables, landscape=True)


# Inspection walks -------------------------------------------------------------------------------------------


def inspections_of(cycle: Cycle) -> list[Inspection]:
    """The cycle's walks, oldest first (the order a report reads them in)."""
    return list(
        db.session.scalars(
            select(Inspection).where(Inspection.cycle_id == cycle.id).order_by(Inspection.held_on, Inspection.id)
        )
    )


# Goals and progress -----------------------------------------------------------------------------------------


def goals_pdf(cycle: Cycle) -> bytes:
    """The cycle's goals: indicator, baseline, the latest measurement, target, deadline and whether it is met."""
    title = _("Doelen %(park)s", park=cycle.park.name)
    rows = []
    for goal in goals_of(cycle):
        row = goal_row(goal)
        rows.append(
            (
                f"{goal.title}\n({goal.theme.label})",
                goal.indicator,
                row.baseline,
                row.latest,
                row.target,
                long_date(goal.deadline),
                row.status_text,
            )
        )
    flowables = [
        *_heading(title, cycle),
        _table(
            [
                _("Doel"),
                _("Indicator"),
                _("Nulmeting"),
                _("Laatste meting"),
                _("Streefwaarde"),
                _("Streefdatum"),
                _("Stand"),
            ],
            rows,
            [50 * mm, 55 * mm, 28 * mm, 28 * mm, 28 * mm, 30 * mm, 38 * mm],
        ),
    ]
    # seven columns want a landscape page: "Streefwaarde" and "9 meldingen" never break in two
    return build_pdf(title, flowables, landscape=True)


def progress_pdf(plan: Plan, *, today: date) -> bytes:
    """How far the plan is: the actions per status, the actions past their date, and every action's state."""
    cycle = plan.cycle
    title = _("Voortgang uitvoeringsplan %(park)s", park=cycle.park.name)
    counts = Counter(action.status for action in plan.actions)
    overdue = [
        a for a in plan.actions if a.status not in (ActionStatus.DONE, ActionStatus.DROPPED) and a.due_on < today
    ]
    flowables = [
        *_heading(title, cycle),
        paragraph(_("Stand op %(date)s", date=long_date(today)), "h3"),
        _table(
            [_("Status"), _("Acties")], [(status.label, counts[status]) for status in ActionStatus], [60 * mm, 30 * mm]
        ),
        paragraph(_("Acties over de datum: %(n)s", n=len(overdue)), "h2"),
    ]
    if overdue:
        flowables.append(
            _table(
                [_("Actie"), _("Uiterlijk"), _("Status")],
                [(a.title, long_date(a.due_on), a.status.label) for a in overdue],
                [100 * mm, 40 * mm, 30 * mm],
            )
        )
    flowables += [
        paragraph(_("Alle acties"), "h2"),
        _table(
            [_("Kwartaal"), _("Actie"), _("Eigenaren"), _("Uiterlijk"), _("Status")],
            [
                (
                    quarters.label(a.plan.starts_on, a.quarter),
                    a.title,
                    ", ".join(o.organisation.name for o in a.owners) or "—",
                    long_date(a.due_on),
                    _("%(status)s op %(date)s", status=a.status.label, date=long_date(a.done_on))
                    if a.done_on
                    else a.status.label,
                )
                for a in plan.actions
            ],
            [18 * mm, 62 * mm, 40 * mm, 25 * mm, 25 * mm],
        ),
    ]
    return build_pdf(title, flowables)


# Meetings ---------------------------------------------------------------------------------------------------


def held_meetings(cycle: Cycle) -> list[Meeting]:
    """The cycle's meetings whose minutes are recorded (held), not cancelled, in date order."""
    return list(
        db.session.scalars(
            select(Meeting)
            .where(Meeting.cycle_id == cycle.id, Meeting.minutes_at.is_not(None), Meeting.cancelled_at.is_(None))
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )


def _when(value: datetime) -> str:
    local = value.astimezone(LOCAL_TIME)
    return _("%(date)s om %(time)s", date=long_date(local.date()), time=local.strftime("%H:%M"))


def meetings_pdf(cycle: Cycle, meetings: list[Meeting]) -> bytes:
    """Per held meeting: date, kind, place, who attended and who did not, the minutes and the decisions."""
    title = _("Verslagen van de werkgroep %(park)s", park=cycle.park.name)
    flowables = _heading(title, cycle)
    for meeting in meetings:
        present = [a.name for a in meeting.attendees if a.attended]
        absent = [a.name for a in meeting.attendees if a.attended is False]
        block: list[Flowable] = [
            paragraph(f"{meeting.title}", "h2"),
            paragraph(_("%(kind)s, %(when)s", kind=meeting.kind.label, when=_when(meeting.starts_at))),
        ]
        if meeting.location:
            block.append(paragraph(_("Plaats: %(place)s", place=meeting.location)))
        block += [
            paragraph(_("Aanwezig: %(names)s", names=", ".join(present) or "—")),
            paragraph(_("Afwezig: %(names)s", names=", ".join(absent) or "—")),
        ]
        flowables.append(KeepTogether(block))
        flowables += [paragraph(_("Verslag"), "h3"), paragraph(meeting.minutes or "—")]
        if meeting.decisions:
            flowables += [
                paragraph(_("Besluiten"), "h3"),
                _table(
                    [_("Nr."), _("Besluit"), _("Actie in het plan")],
                    [
                        (decision.position, decision.text, decision.action.title if decision.action else "—")
                        for decision in meeting.decisions
                    ],
                    [12 * mm, 100 * mm, 58 * mm],
                ),
            ]
    return build_pdf(title, flowables)


# Cameras ----------------------------------------------------------------------------------------------------


def cameras_pdf(cycle: Cycle, network: CameraNetwork, *, today: date) -> bytes:
    """The camera network's key facts and its legal frame's compliance panel on `today`."""
    park = cycle.park
    title = _("Cameratoezicht %(park)s: naleving", park=park.name)
    facts = summary(park)
    flowables = [
        *_heading(title, cycle),
        paragraph(network.name, "h2"),
        paragraph(_("Eigenaar (verwerkingsverantwoordelijke): %(name)s", name=network.owner_name or "—")),
        paragraph(_("Meldkamer: %(name)s", name=network.monitoring_party or "—")),
        paragraph(_("Actieve camera's: %(n)s", n=facts.active)),
        *_with_caption(
            map_flowable(park, companies=False, cameras=True, width_mm=MAP_WIDTH_MM, height_mm=MAP_HEIGHT_MM),
            _("De camera's in gebruik, naar soort."),
        ),
        paragraph(_("Juridisch kader op %(date)s", date=long_date(today)), "h2"),
        _table(
            [_("Onderdeel"), _("Stand"), _("Gedaan op"), _("Nodig op"), _("Toelichting")],
            [
                (i.label, i.status.label, long_date(i.done_on), long_date(i.due_on), i.note or "—")
                for i in compliance(network, today)
            ],
            [40 * mm, 25 * mm, 30 * mm, 30 * mm, 45 * mm],
        ),
    ]
    return build_pdf(title, flowables)


# The index --------------------------------------------------------------------------------------------------


def index_pdf(
    cycle: Cycle, entries: list[tuple[str, str, str]], missing: list[tuple[str, str]], *, today: date
) -> bytes:
    """The dossier's first page: what is in the ZIP (file, title, description) and what is missing and why."""
    title = _("Auditdossier %(park)s", park=cycle.park.name)
    flowables = [
        *_heading(title, cycle),
        paragraph(_("Samengesteld op %(date)s voor de certificering (KVO-B).", date=long_date(today))),
        paragraph(_("In dit dossier"), "h2"),
        _table([_("Bestand"), _("Document"), _("Omschrijving")], entries, [45 * mm, 45 * mm, 80 * mm]),
        paragraph(_("Ontbreekt"), "h2"),
    ]
    if missing:
        flowables.append(_table([_("Document"), _("Reden")], missing, [60 * mm, 110 * mm]))
    else:
        flowables.append(paragraph(_("Er ontbreekt niets.")))
    return build_pdf(title, flowables)
