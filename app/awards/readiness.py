"""Whether a cycle is ready for its award: steps 1-6 complete, and per step what is still missing."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from app.parks.models import Cycle
from app.parks.steps import STEP_NAMES, CriterionResult, evaluate

#: the steps that must be complete before the signatures are requested
STEPS_BEFORE_AWARD = range(1, 7)


@dataclass(frozen=True)
class StepReadiness:
    number: int
    name: str
    complete: bool
    #: the criteria that do not hold (empty for a complete step)
    missing: list[CriterionResult]


def step_readiness(cycle: Cycle, step: int) -> StepReadiness:
    """One step as the stepper sees it: complete when the cycle is past it, or when it has exit criteria and all of
    them hold (a step without criteria is complete only once the advisor completed it)."""
    name = str(STEP_NAMES[step])
    if cycle.current_step > step:
        return StepReadiness(step, name, True, [])
    results = evaluate(cycle, step)
    missing = [result for result in results if not result.met]
    return StepReadiness(step, name, bool(results) and not missing, missing)


def readiness(cycle: Cycle) -> list[StepReadiness]:
    """Steps 1 to 6 of the cycle, each complete or with what is missing."""
    return [step_readiness(cycle, step) for step in STEPS_BEFORE_AWARD]


def is_ready(steps: list[StepReadiness]) -> bool:
    return all(step.complete for step in steps)


def missing_text(steps: list[StepReadiness]) -> str:
    """What is missing, in one sentence per incomplete step, for a refusal."""
    parts = []
    for step in steps:
        if step.complete:
            continue
        if step.missing:
            parts.append(
                _(
                    "stap %(n)s (%(name)s): %(missing)s",
                    n=step.number,
                    name=step.name,
                    missing="; ".join(c.label + (f" ({c.detail})" if c.detail else "") for c in step.missing),
                )
            )
        else:
            parts.append(_("stap %(n)s (%(name)s) is nog niet afgerond", n=step.number, name=step.name))
    return _("Nog niet klaar voor de waardering: %(missing)s.", missing=" — ".join(parts))
