"""The two-year action plan of a park's cycle (step 6): its actions, owners, quarters and status."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app import audit
from app.auth.models import User
from app.auth.policy import ensure_can, may_update_action, owns_action
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.inventory.models import Finding, FindingCategory, FindingStatus, Inspection
from app.parks.models import Cycle, CycleStatus
from app.plans import quarters
from app.plans.models import ActionNote, ActionStatus, Goal, Plan, PlanAction, Theme
from app.stakeholders.models import PpsRole, Stakeholder

TITLE_MAX = 200
DESCRIPTION_MAX = 5_000


def ensure_open(cycle: Cycle) -> None:
    if cycle.status != CycleStatus.ACTIVE:
        raise DomainError(_("Deze cyclus is afgesloten: het plan ligt vast."))


def find_plan(cycle: Cycle) -> Plan | None:
    return db.session.scalar(select(Plan).where(Plan.cycle_id == cycle.id))


def plan_for(cycle: Cycle, *, today: date, actor: User | None = None) -> Plan:
    """The cycle's plan, made (without an audit row: an empty plan changes nothing) when it has none yet.
    Its first quarter is the calendar quarter of `today`; the plan's editors may move it. Made by `actor`, the
    camera quality checks' major findings that waited for the park's plan become actions in it at once
    (`app.cameras.findings.plan_created`)."""
    plan = find_plan(cycle)
    if plan is None:
        plan = Plan(cycle=cycle, starts_on=quarters.quarter_start(today))
        db.session.add(plan)
        db.session.flush()
        if actor is not None:
            # imported here: the camera findings build on this module's add_action
            from app.cameras.findings import plan_created

            plan_created(actor, plan, today=today)
    return plan


def apply_changes(obj: Any, values: Mapping[str, Any]) -> list[str]:
    """Set the attributes whose cleaned value differs from the object's; returns their names, for the audit row
    (none: nothing changed, nothing to record)."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


def clean_title(title: str | None) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Geef de actie een titel."))
    if len(title) > TITLE_MAX:
        raise DomainError(_("De titel is te lang (hoogstens %(n)s tekens).", n=TITLE_MAX))
    return title


def clean_description(text: str | None) -> str:
    text = (text or "").strip()
    if len(text) > DESCRIPTION_MAX:
        raise DomainError(_("De toelichting is te lang (hoogstens %(n)s tekens).", n=DESCRIPTION_MAX))
    return text


def check_quarter(number: int | None) -> int:
    if number is None or not 1 <= number <= quarters.QUARTERS:
        raise DomainError(_("Kies een kwartaal van 1 tot en met %(n)s.", n=quarters.QUARTERS))
    return number


def check_owners(plan: Plan, owners: Iterable[Stakeholder]) -> list[Stakeholder]:
    # in the order the relationship loads them, so that what is in memory reads the same as what is stored
    owners = sorted(dict.fromkeys(owners), key=lambda owner: owner.id or 0)
    if any(owner.cycle_id != plan.cycle_id for owner in owners):
        raise DomainError(_("Een eigenaar moet een deelnemer van deze cyclus zijn."))
    return owners


def check_goals(plan: Plan, goals: Iterable[Goal]) -> list[Goal]:
    goals = sorted(dict.fromkeys(goals), key=lambda goal: goal.id or 0)
    if any(goal.cycle_id != plan.cycle_id for goal in goals):
        raise DomainError(_("Een doel moet bij deze cyclus horen."))
    return goals


def add_action(
    actor: User,
    plan: Plan,
    *,
    title: str,
    quarter: int | None,
    owners: Iterable[Stakeholder] = (),
    description: str = "",
    theme: Theme | None = None,
    goals: Iterable[Goal] = (),
    catalogue_key: str | None = None,
    finding: Finding | None = None,
    permission: str = "plans.edit",
) -> PlanAction:
    """Add an action to the plan: from the catalogue (`catalogue_key`), an inspection finding or free text.

    Advisors and the municipality (`plans.edit`); a camera quality check adds its major findings with
    `permission="cameras.checks"`, so that the camera officer need not edit the plan. The owners must be
    stakeholders and the goals goals of the plan's cycle; an action may start without an owner (step 6 is not
    complete until every action has one). Raises DomainError for an empty or too long title, a quarter outside 1-8
    or a closed cycle.
    """
    ensure_can(actor, permission, plan.cycle.park)
    ensure_open(plan.cycle)
    number = check_quarter(quarter)
    # everything is checked before the action exists: a refused action must not linger in the plan's collection
    values = {
        "title": clean_title(title),
        "description": clean_description(description),
        "owners": check_owners(plan, owners),
        "goals": check_goals(plan, goals),
    }
    action = PlanAction(
        plan=plan,
        theme=theme,
        quarter=number,
        due_on=quarters.quarter(plan.starts_on, number).last_day,
        catalogue_key=catalogue_key,
        finding=finding,
        **values,
    )
    db.session.add(action)
    audit.record(
        actor,
        "plans.action_added",
        action,
        park=plan.cycle.park,
        details={"title": action.title, "quarter": number, "finding": finding.id if finding else None},
    )
    db.session.flush()
    return action


# Who may update an action ----------------------------------------------------------------------------------


def ensure_may_update(actor: User, action: PlanAction) -> None:
    """Raise NotAllowed unless `may_update_action(actor, action)`."""
    ensure_can(actor, "actions.update", action.plan.cycle.park)
    if not may_update_action(actor, action):
        raise NotAllowed(_("Alleen de eigenaar van deze actie en de procesbegeleiders kunnen haar bijwerken."))


def actions_of(user: User, plan: Plan) -> list[PlanAction]:
    """The plan's actions the user owns (through their organisation or as representative)."""
    return [action for action in plan.actions if owns_action(user, action)]


# Adding actions --------------------------------------------------------------------------------------------

#: the theme an inspection finding's action gets, by the finding's category: litter and overgrown greenery make a
#: park unclean, broken lights, fences, paving, signs and decay make it not intact, the rest is about safety
FINDING_THEMES: dict[FindingCategory, Theme | None] = {
    FindingCategory.DUMPING: Theme.SCHOON,
    FindingCategory.GROEN: Theme.SCHOON,
    FindingCategory.VERLICHTING: Theme.HEEL,
    FindingCategory.HEKWERK: Theme.HEEL,
    FindingCategory.BESTRATING: Theme.HEEL,
    FindingCategory.BEBORDING: Theme.HEEL,
    FindingCategory.LEEGSTAND: Theme.HEEL,
    FindingCategory.CAMERA: Theme.VEILIG,
    FindingCategory.BRANDRISICO: Theme.VEILIG,
    FindingCategory.VERKEER: Theme.VEILIG,
    FindingCategory.PARKEREN: Theme.VEILIG,
    FindingCategory.OVERIG: None,
}


def ordered_stakeholders(cycle: Cycle) -> list[Stakeholder]:
    """The cycle's stakeholders in the order of their role in the partnership, then by name."""
    order = list(PpsRole)
    return sorted(cycle.stakeholders, key=lambda s: (order.index(s.role), s.organisation.name.lower(), s.id))


def typical_owners(cycle: Cycle, role: PpsRole | None) -> list[Stakeholder]:
    """The stakeholders of the cycle that have the role a measure is typically owned by."""
    return [s for s in ordered_stakeholders(cycle) if role is not None and s.role == role]


def add_from_catalogue(actor: User, plan: Plan, keys: Iterable[str], *, quarter: int | None) -> list[PlanAction]:
    """Add one action per catalogue measure (the shipped ones and the park's own, by key) in `quarter`, with the
    measure's title, description and theme, owned by the stakeholders that have the measure's typical role (none
    when no stakeholder has it). Advisors and the municipality (`plans.edit`). DomainError when no measure was
    chosen or a key is not in the park's catalogue; nothing is added then."""
    from app.plans.catalogue import find_measure

    keys = list(dict.fromkeys(k for k in keys if k))
    if not keys:
        raise DomainError(_("Kies een of meer maatregelen uit de catalogus."))
    park = plan.cycle.park
    measures = [find_measure(park, key) for key in keys]
    if any(measure is None for measure in measures):
        raise DomainError(_("Deze maatregel staat niet (meer) in de catalogus."))
    return [
        add_action(
            actor,
            plan,
            title=measure.title,
            description=measure.description,
            theme=measure.theme,
            quarter=quarter,
            owners=typical_owners(plan.cycle, measure.typical_owner),
            catalogue_key=measure.key,
        )
        for measure in measures
        if measure is not None
    ]


def open_findings(cycle: Cycle) -> list[Finding]:
    """The cycle's open inspection findings that no action of the plan takes up yet, oldest inspection first."""
    taken = select(PlanAction.finding_id).where(PlanAction.finding_id.is_not(None))
    return list(
        db.session.scalars(
            select(Finding)
            .join(Inspection, Finding.inspection_id == Inspection.id)
            .where(
                Inspection.cycle_id == cycle.id,
                Finding.status == FindingStatus.OPEN,
                Finding.id.not_in(taken),
            )
            .order_by(Inspection.held_on, Finding.id)
        )
    )


def finding_title(finding: Finding) -> str:
    """An action's title for a finding: its suggested action, else its category and description, shortened."""
    text = " ".join((finding.suggested_action or "").split())
    if not text:
        text = f"{finding.category.label}: {' '.join(finding.description.split())}"
    return text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1].rstrip() + "…"


def add_from_finding(
    actor: User, plan: Plan, finding: Finding, *, quarter: int | None, owners: Iterable[Stakeholder] = ()
) -> PlanAction:
    """Make an open inspection finding of the plan's cycle an action (title from its suggested action, theme from
    its category, the finding's description as the description). Advisors and the municipality (`plans.edit`).
    Refused: a finding of another cycle, a resolved one, or one that already has an action."""
    if finding.inspection.cycle_id != plan.cycle_id:
        raise DomainError(_("Deze bevinding hoort bij een andere cyclus."))
    if finding.status != FindingStatus.OPEN:
        raise DomainError(_("Deze bevinding is al opgelost."))
    if db.session.scalar(select(PlanAction.id).where(PlanAction.finding_id == finding.id).limit(1)) is not None:
        raise DomainError(_("Voor deze bevinding staat al een actie in het plan."))
    return add_action(
        actor,
        plan,
        title=finding_title(finding),
        description=finding.description,
        theme=FINDING_THEMES.get(finding.category),
        quarter=quarter,
        owners=owners,
        finding=finding,
    )


# Changing actions ------------------------------------------------------------------------------------------


def _park(action: PlanAction):
    return action.plan.cycle.park


def _summary(action: PlanAction) -> dict[str, object]:
    return {
        "title": action.title,
        "description": action.description,
        "theme": action.theme.value if action.theme else None,
        "quarter": action.quarter,
        "owners": [owner.organisation.name for owner in action.owners],
        "goals": [goal.title for goal in action.goals],
    }


def update_action(
    actor: User,
    action: PlanAction,
    *,
    title: str,
    description: str = "",
    theme: Theme | None = None,
    owners: Iterable[Stakeholder] = (),
    goals: Iterable[Goal] = (),
    quarter: int | None,
) -> PlanAction:
    """Change what an action is: title, description, theme, owners, goals and quarter. Advisors and the
    municipality (`plans.edit`); owners only change the status and write notes. The rules of `add_action` apply;
    the audit row holds the fields that changed, old and new."""
    plan = action.plan
    ensure_can(actor, "plans.edit", plan.cycle.park)
    ensure_open(plan.cycle)
    before = _summary(action)
    number = check_quarter(quarter)
    action.title, action.description = clean_title(title), clean_description(description)
    action.theme = theme
    action.owners = check_owners(plan, owners)
    action.goals = check_goals(plan, goals)
    action.quarter, action.due_on = number, quarters.quarter(plan.starts_on, number).last_day
    after = _summary(action)
    changed = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if changed:
        audit.record(actor, "plans.action_updated", action, park=plan.cycle.park, details=changed)
    db.session.flush()
    return action


def move_action(
    actor: User,
    action: PlanAction,
    *,
    quarter: int | None,
    from_owner: Stakeholder | None = None,
    to_owner: Stakeholder | None = None,
) -> PlanAction:
    """Move an action to another quarter and, in the stakeholder x quarter matrix, from one owner's row to
    another's: `to_owner` takes the place of `from_owner` (or joins the owners when the action had none or
    `from_owner` is not one of them). Advisors and the municipality (`plans.edit`)."""
    plan = action.plan
    ensure_can(actor, "plans.edit", plan.cycle.park)
    ensure_open(plan.cycle)
    number = check_quarter(quarter)
    before = (action.quarter, [o.organisation.name for o in action.owners])
    if to_owner is not None and to_owner not in action.owners:
        owners = list(action.owners)
        if from_owner is not None and from_owner in owners:
            owners[owners.index(from_owner)] = to_owner
        else:
            owners.append(to_owner)
        action.owners = check_owners(plan, owners)
    action.quarter, action.due_on = number, quarters.quarter(plan.starts_on, number).last_day
    after = (action.quarter, [o.organisation.name for o in action.owners])
    if after != before:
        audit.record(
            actor,
            "plans.action_moved",
            action,
            park=plan.cycle.park,
            details={"quarter": [before[0], after[0]], "owners": [before[1], after[1]]},
        )
    db.session.flush()
    return action


def _note(
    actor: User,
    action: PlanAction,
    code: str,
    details: dict[str, object],
    *,
    text: str,
    today: date,
    status: ActionStatus | None = None,
) -> ActionNote:
    """Write a dated note by the actor on the action (with the status it was given, if any) and its audit row."""
    entry = ActionNote(
        written_on=today, author_id=actor.id, author_label=actor.name or actor.email, text=text, status=status
    )
    action.notes.append(entry)
    audit.record(actor, code, action, park=_park(action), details={"title": action.title, **details})
    db.session.flush()
    return entry


def change_status(actor: User, action: PlanAction, *, status: ActionStatus, note: str = "", today: date) -> ActionNote:
    """Give an action a new status, noted with the day, the author and the note (an ActionNote).

    Dropping an action needs the reason (the note); done records the day it was done and leaving done clears it.
    The plan's editors on any action, partners and entrepreneurs on the actions they own (NotAllowed otherwise);
    only in the active cycle. DomainError for the status it already has.
    """
    ensure_may_update(actor, action)
    ensure_open(action.plan.cycle)
    status = ActionStatus(status)
    if status == action.status:
        raise DomainError(_("De actie heeft deze status al."))
    text = clean_description(note)
    if status == ActionStatus.DROPPED and not text:
        raise DomainError(_("Geef de reden waarom de actie vervalt."))
    previous = action.status
    action.status = status
    action.done_on = today if status == ActionStatus.DONE else None
    action.drop_reason = text if status == ActionStatus.DROPPED else ""
    return _note(
        actor,
        action,
        "plans.action_status_changed",
        {"from": previous.value, "to": status.value, "note": text[:500]},
        text=text,
        status=status,
        today=today,
    )


def add_note(actor: User, action: PlanAction, *, text: str, today: date) -> ActionNote:
    """Write a dated progress note on an action. Who may update the action (see `change_status`); the text is
    required and at most DESCRIPTION_MAX characters."""
    ensure_may_update(actor, action)
    ensure_open(action.plan.cycle)
    text = clean_description(text)
    if not text:
        raise DomainError(_("Schrijf wat er met de actie is gebeurd."))
    return _note(actor, action, "plans.action_note_added", {"text": text[:500]}, text=text, today=today)


def delete_action(actor: User, action: PlanAction) -> None:
    """Take an action out of the plan with its notes (an adopted version keeps it; the diff shows it removed).
    Advisors and the municipality (`plans.edit`), in the active cycle only."""
    plan = action.plan
    ensure_can(actor, "plans.edit", plan.cycle.park)
    ensure_open(plan.cycle)
    audit.record(actor, "plans.action_deleted", action, park=plan.cycle.park, details=_summary(action))
    db.session.delete(action)
    db.session.flush()
    db.session.expire(plan, ["actions"])


def start_options(plan: Plan, *, today: date) -> list[quarters.Quarter]:
    """The calendar quarters the plan may start in: from a year before the cycle's start (or today) to a year
    after, as the first quarter of a two-year plan."""
    first = quarters.quarter_start(min(plan.cycle.starts_on, today))
    first = date(first.year - 1, first.month, 1)
    last = date(max(plan.cycle.starts_on, today).year + 1, 12, 31)
    options, day = [], first
    while day <= last:
        options.append(quarters.quarter(day, 1))
        day = quarters.quarter(day, 2).first_day
    return options


def set_start(actor: User, plan: Plan, *, starts_on: date | None, today: date) -> Plan:
    """Let the plan's first quarter start on `starts_on` (the first day of one of `start_options`); every action
    keeps its plan quarter and gets that quarter's new last day as due date. Advisors and the municipality
    (`plans.edit`), in the active cycle only."""
    ensure_can(actor, "plans.edit", plan.cycle.park)
    ensure_open(plan.cycle)
    if starts_on is None or starts_on not in {q.first_day for q in start_options(plan, today=today)}:
        raise DomainError(_("Kies het kwartaal waarin het plan begint uit de lijst."))
    if starts_on == plan.starts_on:
        return plan
    before = plan.starts_on
    plan.starts_on = starts_on
    for action in plan.actions:
        action.due_on = quarters.quarter(starts_on, action.quarter).last_day
    audit.record(
        actor,
        "plans.start_moved",
        plan,
        park=plan.cycle.park,
        details={"from": before.isoformat(), "to": starts_on.isoformat()},
    )
    db.session.flush()
    return plan


# The plan's views as plain data ----------------------------------------------------------------------------


def preload(plan: Plan) -> Plan:
    """Load the plan's actions with their owners (and their organisations) and goals in a few statements, so that
    a page or document listing them does not query per action."""
    actions = db.session.scalars(
        select(PlanAction)
        .where(PlanAction.plan_id == plan.id)
        .order_by(PlanAction.quarter, PlanAction.id)
        .options(
            selectinload(PlanAction.owners).joinedload(Stakeholder.organisation),
            selectinload(PlanAction.goals),
        )
    ).all()
    # the plan holds them: the session keeps loaded objects only as long as something refers to them
    set_committed_value(plan, "actions", actions)
    for action in actions:
        set_committed_value(action, "plan", plan)
    return plan


@dataclass(frozen=True)
class MatrixRow:
    """A stakeholder's row of the stakeholder x quarter matrix (stakeholder None: actions without an owner)."""

    stakeholder: Stakeholder | None
    cells: list[list[PlanAction]]

    @property
    def count(self) -> int:
        return sum(len(cell) for cell in self.cells)


def matrix(plan: Plan) -> list[MatrixRow]:
    """Per stakeholder of the cycle (in role order) its actions per quarter 1-8; an integral action appears in the
    row of each owner, actions without an owner in a last row of their own (only when there are such actions)."""
    rows = {s.id: MatrixRow(s, [[] for _n in range(quarters.QUARTERS)]) for s in ordered_stakeholders(plan.cycle)}
    orphans = MatrixRow(None, [[] for _n in range(quarters.QUARTERS)])
    for action in plan.actions:
        for owner in action.owners:
            if owner.id in rows:
                rows[owner.id].cells[action.quarter - 1].append(action)
        if not action.owners:
            orphans.cells[action.quarter - 1].append(action)
    return [*rows.values(), *([orphans] if orphans.count else [])]


@dataclass(frozen=True)
class TimelineQuarter:
    quarter: quarters.Quarter
    actions: list[PlanAction]
    current: bool
    past: bool


def timeline(plan: Plan, *, today: date) -> list[TimelineQuarter]:
    """The eight quarters in order with their actions; the quarter holding `today` is current."""
    now = quarters.number_on(plan.starts_on, today)
    return [
        TimelineQuarter(
            quarter=q,
            actions=[a for a in plan.actions if a.quarter == q.number],
            current=q.number == now,
            past=q.last_day < today,
        )
        for q in quarters.quarters(plan.starts_on)
    ]
