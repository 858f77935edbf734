"""Adopting the plan (vaststellen) at a meeting: a numbered version with a snapshot of its content, and the
differences between the plan as it is now and the adopted version.

The snapshot holds what the plan says: per action its title, description, theme, quarter (with the calendar
quarter), owners by name and goals by title, and its status at adoption. The diff compares what the plan says,
not how far it got: status changes are progress, shown with the actions, not changes to the plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import audit
from app.auth.models import User
from app.auth.policy import ensure_can
from app.errors import DomainError
from app.extensions import db
from app.plans import quarters
from app.plans.models import ActionStatus, Plan, PlanVersion, Theme
from app.plans.services import ensure_open

MEETING_MAX = 300
#: the fields the diff compares, with their labels
COMPARED = {
    "title": _l("Titel"),
    "description": _l("Toelichting"),
    "theme": _l("Thema"),
    "quarter": _l("Kwartaal"),
    "owners": _l("Eigenaren"),
    "goals": _l("Doelen"),
}


def snapshot(plan: Plan) -> dict[str, Any]:
    """The plan's content as plain JSON data (see the module)."""
    return {
        "starts_on": plan.starts_on.isoformat(),
        "actions": [
            {
                "id": action.id,
                "title": action.title,
                "description": action.description,
                "theme": action.theme.value if action.theme else None,
                "quarter": action.quarter,
                "calendar": quarters.quarter(plan.starts_on, action.quarter).calendar_label,
                "owners": [owner.organisation.name for owner in action.owners],
                "goals": [goal.title for goal in action.goals],
                "status": action.status.value,
                "drop_reason": action.drop_reason,
            }
            for action in plan.actions
        ],
    }


def adopt(actor: User, plan: Plan, *, meeting: str, adopted_on: date | None, today: date) -> PlanVersion:
    """Record that the plan was adopted at `meeting` on `adopted_on` (between the cycle's start and today) by
    `actor`, as the next numbered version with a snapshot. Adopting again after changes makes version n+1.

    Advisors and the municipality (`plans.adopt`), in the active cycle only. Refused: no meeting named, a plan
    without actions (dropped ones do not count), or a date outside that range.
    """
    cycle = plan.cycle
    ensure_can(actor, "plans.adopt", cycle.park)
    ensure_open(cycle)
    meeting = " ".join((meeting or "").split())
    if not meeting:
        raise DomainError(_("Noem de vergadering waarin het plan is vastgesteld."))
    if len(meeting) > MEETING_MAX:
        raise DomainError(_("Een ingevulde tekst is te lang (hoogstens %(n)s tekens).", n=MEETING_MAX))
    if not any(action.status != ActionStatus.DROPPED for action in plan.actions):
        raise DomainError(_("Een plan zonder acties kan niet worden vastgesteld."))
    if adopted_on is None or not cycle.starts_on <= adopted_on <= today:
        raise DomainError(
            _(
                "Kies de datum van de vergadering tussen %(first)s en vandaag.",
                first=format_date(cycle.starts_on, "long"),
            )
        )
    version = PlanVersion(
        number=len(plan.versions) + 1,
        adopted_on=adopted_on,
        adopted_by_id=actor.id,
        adopted_by_label=actor.name or actor.email,
        meeting=meeting,
        snapshot=snapshot(plan),
    )
    plan.versions.append(version)
    audit.record(
        actor,
        "plans.adopted",
        plan,
        park=cycle.park,
        details={
            "version": version.number,
            "meeting": meeting,
            "adopted_on": adopted_on.isoformat(),
            "actions": len(version.snapshot["actions"]),
        },
    )
    db.session.flush()
    return version


# Differences -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class ActionChange:
    """An action that is in both the version and the plan now, with the fields that differ."""

    id: int
    title: str
    changes: list[FieldChange]


@dataclass(frozen=True)
class PlanDiff:
    version: PlanVersion
    #: snapshot entries (plain dicts) of actions added since, and of actions removed since
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[ActionChange] = field(default_factory=list)
    #: the plan's first quarter moved
    start: FieldChange | None = None

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.start)


def shown(key: str, entry: dict[str, Any]) -> str:
    """A snapshot field as the reader sees it."""
    value = entry.get(key)
    if key == "theme":
        return Theme(value).label if value in {t.value for t in Theme} else "—"
    if key == "quarter":
        return quarters.label_of_key(value, entry.get("calendar", ""))
    if key in ("owners", "goals"):
        return ", ".join(value) if value else "—"
    return str(value) if value else "—"


def quarter_text(entry: dict[str, Any]) -> str:
    return shown("quarter", entry)


def diff(plan: Plan, version: PlanVersion | None = None) -> PlanDiff | None:
    """What changed in the plan since `version` (by default the last adopted one); None when never adopted."""
    version = version or plan.adopted_version
    if version is None:
        return None
    before, now = version.snapshot, snapshot(plan)
    old = {entry["id"]: entry for entry in before.get("actions", [])}
    new = {entry["id"]: entry for entry in now["actions"]}
    changed = []
    for action_id, entry in new.items():
        if action_id not in old:
            continue
        changes = [
            FieldChange(str(label), shown(key, old[action_id]), shown(key, entry))
            for key, label in COMPARED.items()
            if old[action_id].get(key) != entry.get(key)
        ]
        if changes:
            changed.append(ActionChange(action_id, entry["title"], changes))
    start = None
    if before.get("starts_on") != now["starts_on"]:
        start = FieldChange(
            str(_l("Begin van het plan")),
            _starts(before.get("starts_on")),
            _starts(now["starts_on"]),
        )
    return PlanDiff(
        version=version,
        added=[entry for action_id, entry in new.items() if action_id not in old],
        removed=[entry for action_id, entry in old.items() if action_id not in new],
        changed=changed,
        start=start,
    )


def _starts(value: str | None) -> str:
    if not value:
        return "—"
    return quarters.quarter(date.fromisoformat(value), 1).calendar_text
