"""The half-yearly evaluation of a park's camera network (design §3): the municipal camera policy's criteria weighed
against the period's figures, and the decision to continue, adjust or end, with its reasoning; and its report."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle
from sqlalchemy import func, select

from app import audit
from app.auth.models import User
from app.auth.policy import ensure_can
from app.cameras.models import (
    CameraNetwork,
    CheckScore,
    Evaluation,
    EvaluationDecision,
    FootageDecision,
    FootageRequest,
    QualityCheck,
    Score,
)
from app.errors import DomainError
from app.extensions import db
from app.reports.layout import build_pdf, heading, styles, table_style_commands, text

NOTE_MAX = 2_000
REASONING_MAX = 10_000
INCIDENTS_MAX = 100_000

#: the policy criteria of the municipal camera policy: (key, label)
CRITERIA: tuple[tuple[str, object], ...] = (
    ("urgent_need", _l("Er is een dringende noodzaak")),
    ("proportionality", _l("Proportionaliteit: de inbreuk op de privacy staat in verhouding tot het doel")),
    ("subsidiarity", _l("Subsidiariteit: het doel is niet met lichtere middelen te bereiken")),
    ("package", _l("Cameratoezicht is onderdeel van een pakket maatregelen")),
    ("more_problems", _l("Er speelt meer dan één probleem")),
    ("incident_analysis", _l("Er is een actuele analyse van de incidenten")),
    ("follow_up", _l("De opvolging van beelden en meldingen is afgesproken")),
)

#: the criteria the policy weighs first: when one of them is not met, the cameras cannot simply stay as they are
POLICY_KEYS: tuple[str, ...] = ("urgent_need", "proportionality", "subsidiarity")
POLICY_NAMES = {
    "urgent_need": _l("noodzaak"),
    "proportionality": _l("proportionaliteit"),
    "subsidiarity": _l("subsidiariteit"),
}


class EvaluationRefused(DomainError):
    """An evaluation refused by a rule about one of its fields (`field`: the form field the message belongs to)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


FIGURE_LABELS = {
    "footage_requests": _l("Verzoeken om beelden"),
    "footage_provided": _l("Waarvan verstrekt"),
    "checks_done": _l("Uitgevoerde kwaliteitscontroles"),
    "major_findings": _l("Grote afwijkingen bij de controles"),
    "incidents_seen": _l("Incidenten gezien door de meldkamer"),
}


def half_year_before(today: date) -> tuple[date, date]:
    """The last calendar half-year that ended before `today`."""
    if today.month <= 6:
        return date(today.year - 1, 7, 1), date(today.year - 1, 12, 31)
    return date(today.year, 1, 1), date(today.year, 6, 30)


def period_figures(network: CameraNetwork, start: date, end: date) -> dict[str, int]:
    """The figures of the period gathered from the platform: footage requests received (and provided), quality
    checks done and their major findings."""
    requests = select(FootageRequest).where(
        FootageRequest.network_id == network.id, FootageRequest.received_on.between(start, end)
    )
    count = db.session.scalar(select(func.count()).select_from(requests.subquery())) or 0
    provided = (
        db.session.scalar(
            select(func.count()).select_from(
                requests.where(FootageRequest.decision == FootageDecision.PROVIDED).subquery()
            )
        )
        or 0
    )
    done = (QualityCheck.network_id == network.id) & QualityCheck.done_on.between(start, end)
    checks_done = db.session.scalar(select(func.count(QualityCheck.id)).where(done)) or 0
    major = (
        db.session.scalar(
            select(func.count(CheckScore.id)).join(QualityCheck).where(done, CheckScore.score == Score.MAJOR)
        )
        or 0
    )
    return {
        "footage_requests": count,
        "footage_provided": provided,
        "checks_done": checks_done,
        "major_findings": major,
    }


def evaluations_of(network: CameraNetwork) -> list[Evaluation]:
    return list(
        db.session.scalars(
            select(Evaluation).where(Evaluation.network_id == network.id).order_by(Evaluation.period_start.desc())
        )
    )


def record_evaluation(
    actor: User,
    network: CameraNetwork,
    *,
    period_start: date | None,
    period_end: date | None,
    answers: Mapping[str, tuple[bool | None, str]],
    incidents_seen: int | None,
    decision: EvaluationDecision | None,
    reasoning: str,
    today: date,
) -> Evaluation:
    """Record the evaluation of the network over a period: per policy criterion met or not with a note, the
    incidents the monitoring party saw, the decision (continue, adjust, end) and its reasoning; the platform's
    figures of the period are stored with it as they are now.

    The camera policy: "continue" is refused when necessity, proportionality or subsidiarity is not met (the
    decision must then be "adjust" or "end", with its reasoning), and an evaluation is closed only after its period
    has ended (the day after `period_end` at the earliest).

    The camera officer and the municipality (`cameras.evaluate`). Raises DomainError (an `EvaluationRefused` naming
    the form field) for a period that is missing, reversed, longer than a year or not over yet, a criterion left
    unanswered, a missing decision or reasoning, "continue" while a policy criterion is not met, a negative number of
    incidents, or a period already evaluated.
    """
    ensure_can(actor, "cameras.evaluate", network.park)
    if period_start is None or period_end is None:
        raise EvaluationRefused(_("Geef het begin en het einde van de periode."), field="period_end")
    if period_end < period_start:
        raise EvaluationRefused(_("Het einde van de periode ligt voor het begin."), field="period_end")
    if (period_end - period_start).days > 366:
        raise EvaluationRefused(_("Een evaluatie beslaat hoogstens een jaar."), field="period_end")
    if period_start > today:
        raise EvaluationRefused(_("De periode is nog niet begonnen."), field="period_start")
    if period_end >= today:
        raise EvaluationRefused(
            _(
                "De periode loopt nog tot en met %(end)s: een evaluatie wordt pas vastgelegd als het halfjaar voorbij "
                "is.",
                end=format_date(period_end, "long"),
            ),
            field="period_end",
        )
    cleaned = {}
    for key, label in CRITERIA:
        met, note = answers.get(key, (None, ""))
        if met is None:
            raise DomainError(_("Beantwoord elk criterium; nog open: %(label)s.", label=label))
        note = (note or "").strip()
        if len(note) > NOTE_MAX:
            raise DomainError(_("Een toelichting is te lang (hoogstens %(n)s tekens).", n=NOTE_MAX))
        cleaned[key] = {"met": bool(met), "note": note}
    if incidents_seen is None or not 0 <= incidents_seen <= INCIDENTS_MAX:
        raise DomainError(_("Geef het aantal incidenten (0 of meer)."))
    if decision is None:
        raise EvaluationRefused(_("Kies een besluit: doorgaan, aanpassen of stoppen."), field="decision")
    not_met = [str(POLICY_NAMES[key]) for key in POLICY_KEYS if not cleaned[key]["met"]]
    if decision == EvaluationDecision.CONTINUE and not_met:
        raise EvaluationRefused(
            _(
                "Doorgaan kan niet: %(criteria)s is niet voldaan. Kies aanpassen of stoppen en onderbouw het besluit.",
                criteria=", ".join(not_met),
            ),
            field="decision",
        )
    reasoning = (reasoning or "").strip()
    if not reasoning:
        raise EvaluationRefused(_("Onderbouw het besluit."), field="reasoning")
    if len(reasoning) > REASONING_MAX:
        raise DomainError(_("De onderbouwing is te lang (hoogstens %(n)s tekens).", n=REASONING_MAX))
    exists = db.session.scalar(
        select(Evaluation.id).where(Evaluation.network_id == network.id, Evaluation.period_start == period_start)
    )
    if exists is not None:
        raise DomainError(_("Deze periode is al geëvalueerd."))
    figures = period_figures(network, period_start, period_end) | {"incidents_seen": incidents_seen}
    evaluation = Evaluation(
        network=network,
        period_start=period_start,
        period_end=period_end,
        answers=cleaned,
        figures=figures,
        decision=decision,
        reasoning=reasoning,
        decided_on=today,
        decided_by_id=actor.id,
        incidents_seen=incidents_seen,
    )
    db.session.add(evaluation)
    db.session.flush()
    audit.record(
        actor,
        "cameras.evaluation_decided",
        evaluation,
        park=network.park,
        details={
            "period_start": period_start.isoformat(),
            "period_end": period_end.isoformat(),
            "decision": decision.value,
            "criteria_met": sum(a["met"] for a in cleaned.values()),
        },
    )
    db.session.flush()
    return evaluation


def criteria_rows(evaluation: Evaluation) -> list[tuple[str, bool, str]]:
    """(label, met, note) per policy criterion, in the policy's order."""
    rows = []
    for key, label in CRITERIA:
        answer = evaluation.answers.get(key)
        if answer is not None:
            rows.append((str(label), bool(answer.get("met")), answer.get("note", "")))
    return rows


def figure_rows(evaluation: Evaluation) -> list[tuple[str, int]]:
    return [(str(label), evaluation.figures[key]) for key, label in FIGURE_LABELS.items() if key in evaluation.figures]


def evaluation_pdf(evaluation: Evaluation, *, compress: bool = True) -> bytes:
    """The evaluation report: period, figures, the criteria and the decision with its reasoning (`compress=False`:
    plain page streams, for tests)."""
    network = evaluation.network
    sheet = styles()
    title = _("Evaluatie cameratoezicht %(park)s", park=network.park.name)
    period = _(
        "Periode %(start)s tot en met %(end)s; besloten op %(date)s.",
        start=format_date(evaluation.period_start, "long"),
        end=format_date(evaluation.period_end, "long"),
        date=format_date(evaluation.decided_on, "long"),
    )
    figures = Table(
        [[_("Cijfer"), _("Aantal")], *[[text(label), str(value)] for label, value in figure_rows(evaluation)]],
        repeatRows=1,
    )
    figures.setStyle(TableStyle(table_style_commands()))
    criteria = Table(
        [
            [_("Criterium"), _("Voldaan"), _("Toelichting")],
            *[
                [
                    Paragraph(text(label), sheet["body"]),
                    _("ja") if met else _("nee"),
                    Paragraph(text(note), sheet["body"]),
                ]
                for label, met, note in criteria_rows(evaluation)
            ],
        ],
        repeatRows=1,
        colWidths=["45%", "12%", "43%"],
    )
    criteria.setStyle(TableStyle(table_style_commands()))
    flowables = [
        heading(title, "title"),
        Paragraph(text(network.name), sheet["body"]),
        Paragraph(text(period), sheet["body"]),
        Spacer(1, 8),
        heading(_("Cijfers over de periode")),
        figures,
        Spacer(1, 8),
        heading(_("Criteria van het camerabeleid")),
        criteria,
        Spacer(1, 8),
        heading(_("Besluit: %(decision)s", decision=evaluation.decision.label)),
        *[Paragraph(text(line), sheet["body"]) for line in evaluation.reasoning.splitlines() if line.strip()],
    ]
    return build_pdf(str(title), flowables, compress=compress)
