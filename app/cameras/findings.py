"""What becomes of a quality check's major finding in the park's action plan (issue 19 §6): an action in the plan of
the park's active cycle at once, or, on a park without a plan, queued until the plan is made (`plan_created`, which
`app.plans.services.plan_for` calls when it makes a plan); never silently nothing."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.cameras.models import CameraNetwork, CheckScore, FindingPlanState, QualityCheck, Score
from app.extensions import db
from app.parks.models import Cycle, CycleStatus, Park
from app.plans import quarters
from app.plans.models import Plan, PlanAction, Theme
from app.plans.services import add_action, find_plan


def label_of(check: QualityCheck, key: str) -> str:
    """A criterion's label as stored with the check (Dutch, as planned)."""
    return next((c["label"] for c in check.criteria if c["key"] == key), key)


def park_plan(park: Park) -> Plan | None:
    """The plan of the park's active cycle; None when the park has no active cycle or that cycle no plan yet."""
    cycle = db.session.scalar(select(Cycle).where(Cycle.park_id == park.id, Cycle.status == CycleStatus.ACTIVE))
    return find_plan(cycle) if cycle is not None else None


def _make_action(actor: User, plan: Plan, score: CheckScore, *, permission: str, today: date) -> PlanAction:
    """The action a major finding becomes: theme "veilig", the plan quarter that holds `today` (the first outside
    the plan's two years), owned by the network's operator when it is a stakeholder of the plan's cycle."""
    check = score.check
    network = check.network
    label = label_of(check, score.criterion)
    return add_action(
        actor,
        plan,
        title=_("Camerakwaliteit: %(criterion)s", criterion=label),
        quarter=quarters.number_on(plan.starts_on, today) or 1,
        owners=[s for s in plan.cycle.stakeholders if network.operator_id and s.organisation_id == network.operator_id],
        description=f"{label}: {score.note}".strip(),
        theme=Theme.VEILIG,
        permission=permission,
    )


def place_finding(actor: User, score: CheckScore, *, today: date) -> None:
    """Put a major finding of a check being recorded in the plan: an action in the plan of the park's active cycle
    (added as the camera officer, `cameras.checks`), or queued (`FindingPlanState.QUEUED`) when there is no plan
    yet; `plan_created` turns it into an action once the plan is made."""
    plan = park_plan(score.check.network.park)
    if plan is None:
        score.plan_state = FindingPlanState.QUEUED
        return
    action = _make_action(actor, plan, score, permission="cameras.checks", today=today)
    score.action_id, score.plan_state = action.id, FindingPlanState.ACTION


def queued_findings(network: CameraNetwork) -> list[CheckScore]:
    """The network's major findings that wait for the park's plan, oldest check first."""
    return list(
        db.session.scalars(
            select(CheckScore)
            .join(QualityCheck)
            .where(
                QualityCheck.network_id == network.id,
                CheckScore.plan_state == FindingPlanState.QUEUED,
                CheckScore.score == Score.MAJOR,
            )
            .order_by(QualityCheck.done_on, QualityCheck.id, CheckScore.id)
        )
    )


def plan_created(actor: User, plan: Plan, *, today: date) -> list[PlanAction]:
    """A plan was just made for a cycle: every major finding of the park's camera network that waits for the plan
    becomes an action in it, as `place_finding` would have made it, by whoever made the plan (who may edit it,
    `plans.edit`). Audits `cameras.findings_planned` per check. Returns the actions made."""
    network = db.session.scalar(select(CameraNetwork).where(CameraNetwork.park_id == plan.cycle.park_id))
    if network is None:
        return []
    made: list[PlanAction] = []
    by_check: dict[int, list[int]] = {}
    for score in queued_findings(network):
        action = _make_action(actor, plan, score, permission="plans.edit", today=today)
        score.action_id, score.plan_state = action.id, FindingPlanState.ACTION
        made.append(action)
        by_check.setdefault(score.check_id, []).append(action.id)
    for check_id, actions in by_check.items():
        audit.record(
            actor,
            "cameras.findings_planned",
            db.session.get(QualityCheck, check_id),
            park=plan.cycle.park,
            details={"plan": plan.id, "actions": actions},
        )
    db.session.flush()
    return made


def plan_counts(check: QualityCheck) -> tuple[int, int]:
    """(queued, made into an action) major findings of a done check."""
    queued = sum(s.plan_state == FindingPlanState.QUEUED for s in check.scores)
    made = sum(s.plan_state == FindingPlanState.ACTION for s in check.scores)
    return queued, made
