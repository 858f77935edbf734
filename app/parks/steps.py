"""The step machine of the PPS cycle (design §2): steps, their exit criteria, completing and reopening.

A criterion is one decorated function of the cycle, in the `criteria` module of the area whose data it reads, so
adding one is a one-function change:

    @criterion(3, _l("De politiecijfers zijn ingevoerd"), order=20, fix="inventory.figures")
    def police_figures_entered(cycle: Cycle) -> Check:
        ...

`order` is its place in the step's checklist; `fix` names the endpoint (taking `park_id`) where a user repairs what
is missing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app import audit
from app.auth.models import User
from app.auth.policy import ensure_can
from app.errors import DomainError
from app.extensions import db
from app.parks.models import Cycle, CycleStatus, StepTransition

LAST_STEP = 8
STEP_NAMES = {
    1: _l("Afbakening gebied"),
    2: _l("Samenstelling deelnemers"),
    3: _l("Inventarisatie"),
    4: _l("Doelstelling"),
    5: _l("Deelnemers betrekken"),
    6: _l("Uitvoeringsplan"),
    7: _l("Waardering"),
    8: _l("Continuering"),
}


@dataclass(frozen=True)
class Check:
    met: bool
    #: what is missing or what was found, shown under the criterion
    detail: str = ""


@dataclass(frozen=True)
class Criterion:
    step: int
    order: int
    label: object  # a lazy translation
    fix: str | None
    fix_label: object  # the link's text, a lazy translation (None without `fix`)
    check: Callable[[Cycle], Check]


#: each step's criteria, in the order of its checklist
CRITERIA: dict[int, list[Criterion]] = {step: [] for step in STEP_NAMES}


def criterion(step: int, label: object, *, order: int, fix: str | None = None, fix_label: object = None):
    """Register the decorated function `(cycle) -> Check | bool` as an exit criterion of `step`, at place `order`.

    A step's criteria come from several areas, registered in whatever order their modules are imported; `order`
    keeps the checklist (and the refusal listing what is missing) the same regardless. Places go in tens, so a new
    criterion fits between two others; two criteria of a step at one place raise ValueError. `fix` is the endpoint
    of the page where the criterion is met, linked with `fix_label` ("Gebied intekenen"): a link of its own, since
    the criterion's label is a statement, not something to go to.
    """
    if (fix is None) != (fix_label is None):
        raise ValueError("a criterion's page (fix) and its link text (fix_label) come together")

    def register(function: Callable[[Cycle], Check | bool]) -> Callable[[Cycle], Check | bool]:
        @functools.wraps(function)
        def check(cycle: Cycle) -> Check:
            result = function(cycle)
            return result if isinstance(result, Check) else Check(met=bool(result))

        criteria = CRITERIA[step]
        if any(item.order == order for item in criteria):
            raise ValueError(f"step {step} already has a criterion at place {order}")
        criteria.append(Criterion(step=step, order=order, label=label, fix=fix, fix_label=fix_label, check=check))
        criteria.sort(key=lambda item: item.order)
        return function

    return register


@dataclass(frozen=True)
class CriterionResult:
    label: str
    met: bool
    detail: str
    fix: str | None
    fix_label: str | None = None


@dataclass(frozen=True)
class StepReport:
    number: int
    name: str
    #: "done", "current" or "upcoming"
    state: str
    criteria: list[CriterionResult]

    @property
    def ready(self) -> bool:
        return all(c.met for c in self.criteria)

    @property
    def missing(self) -> list[CriterionResult]:
        return [c for c in self.criteria if not c.met]


def evaluate(cycle: Cycle, step: int) -> list[CriterionResult]:
    results = []
    for item in CRITERIA[step]:
        check = item.check(cycle)
        results.append(
            CriterionResult(
                label=str(item.label),
                met=check.met,
                detail=check.detail,
                fix=item.fix,
                fix_label=str(item.fix_label) if item.fix_label is not None else None,
            )
        )
    return results


def report(cycle: Cycle) -> list[StepReport]:
    """All eight steps of the cycle: done, current (with its checklist) or upcoming.

    Only the current step's criteria are evaluated: done steps were checked when completed, and the criteria
    of later steps often read data that does not exist yet.
    """
    reports = []
    for number, name in STEP_NAMES.items():
        if number < cycle.current_step:
            state = "done"
        elif number == cycle.current_step:
            state = "current"
        else:
            state = "upcoming"
        criteria = evaluate(cycle, number) if state == "current" else []
        reports.append(StepReport(number=number, name=str(name), state=state, criteria=criteria))
    return reports


def complete_step(actor: User, cycle: Cycle, *, now: datetime, note: str = "") -> StepTransition:
    """Complete the cycle's current step and make the next one current.

    Advisors and the municipality only; the cycle must be active, the step cannot be the last (continuation
    ends with the re-calibration, not with a completion), and every exit criterion must hold: otherwise
    DomainError lists what is missing. Recorded in the cycle's history and the audit log.
    """
    ensure_can(actor, "steps.complete", cycle.park)
    _ensure_active(cycle)
    step = cycle.current_step
    if step >= LAST_STEP:
        raise DomainError(_("De laatste stap loopt door tot de herijking; die sluit de cyclus af."))
    missing = [c.label for c in evaluate(cycle, step) if not c.met]
    if missing:
        raise DomainError(
            ngettext(
                "Stap %(step)s kan nog niet worden afgerond. Nog niet voldaan: %(missing)s",
                "Stap %(step)s kan nog niet worden afgerond. Nog niet voldaan: %(missing)s",
                len(missing),
                step=step,
                missing="; ".join(missing),
            )
        )
    return _transition(actor, cycle, step=step, action="completed", to_step=step + 1, now=now, note=note)


def reopen_step(actor: User, cycle: Cycle, *, now: datetime, reason: str) -> StepTransition:
    """Reopen the last completed step (the one before the current), with a reason. Advisors and municipality."""
    ensure_can(actor, "steps.complete", cycle.park)
    _ensure_active(cycle)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Geef een reden op om een stap te heropenen."))
    if cycle.current_step <= 1:
        raise DomainError(_("Er is nog geen afgeronde stap om te heropenen."))
    step = cycle.current_step - 1
    return _transition(actor, cycle, step=step, action="reopened", to_step=step, now=now, note=reason)


def _ensure_active(cycle: Cycle) -> None:
    if cycle.status != CycleStatus.ACTIVE:
        raise DomainError(_("Deze cyclus is afgesloten en kan niet meer veranderen."))


def _transition(actor: User, cycle: Cycle, *, step: int, action: str, to_step: int, now: datetime, note: str):
    transition = StepTransition(
        cycle=cycle, step=step, action=action, actor_id=actor.id, actor_label=actor.name, at=now, note=note.strip()
    )
    db.session.add(transition)
    cycle.current_step = to_step
    cycle.step_started_at = now
    audit.record(
        actor,
        f"cycles.step_{action}",
        cycle,
        park=cycle.park,
        details={"cycle": cycle.number, "step": step, "note": note.strip()[:500]},
    )
    db.session.flush()
    return transition
