"""GET and PATCH /api/v1/parks/<id>/actions: the actions of the active cycle's plan; their owners update them."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api.access import api_user
from app.api.resource_schemas import ActionDetailSchema, ActionQuerySchema, ActionSchema, ActionUpdateSchema
from app.api.resources import page_of, page_of_list
from app.api.setup import Blueprint
from app.auth.decorators import load_or_404
from app.clock import local_today
from app.parks.models import CycleStatus, Park
from app.parks.services import active_cycle
from app.plans import services
from app.plans.models import Plan, PlanAction
from app.stakeholders.models import Stakeholder

blp = Blueprint(
    "api-actions",
    __name__,
    url_prefix="/api/v1/parks",
    description="The actions of the two-year action plan of the park's active cycle.",
)


def _action(park: Park, action_id: int) -> PlanAction:
    """An action of the park's active cycle's plan; any other (another park's, a closed cycle's) is a 404."""
    action = load_or_404(PlanAction, action_id)
    cycle = action.plan.cycle
    if cycle.park_id != park.id or cycle.status != CycleStatus.ACTIVE:
        abort(404)
    return action


def _action_to_update(park: Park, action_id: int) -> PlanAction:
    """`_action`, for a user who may update it: its owners and the plan's editors (403 for anyone else)."""
    action = _action(park, action_id)
    services.ensure_may_update(api_user(), action)
    return action


@blp.route("/<int:park_id>/actions", action="plans.view")
@blp.etag
@blp.arguments(ActionQuerySchema, location="query", as_kwargs=True)
@blp.response(200, ActionSchema(many=True))
@blp.paginate()
def list_actions(
    pagination_parameters, park: Park, status=None, theme=None, quarter=None, due_after=None, due_before=None
):
    """The plan's actions by quarter (plans.view: everyone on the park); an empty list while there is no plan.

    Filtered by status, theme, plan quarter (1-8) and due date (`due_after`, `due_before`, both inclusive).
    """
    plan = services.find_plan(active_cycle(park))
    if plan is None:
        return page_of_list([], pagination_parameters)
    query = (
        select(PlanAction)
        .where(PlanAction.plan_id == plan.id)
        .order_by(PlanAction.quarter, PlanAction.id)
        .options(
            selectinload(PlanAction.owners).joinedload(Stakeholder.organisation),
            selectinload(PlanAction.goals),
            selectinload(PlanAction.plan).selectinload(Plan.cycle),
        )
    )
    if status is not None:
        query = query.where(PlanAction.status == status)
    if theme is not None:
        query = query.where(PlanAction.theme == theme)
    if quarter is not None:
        query = query.where(PlanAction.quarter == quarter)
    if due_after is not None:
        query = query.where(PlanAction.due_on >= due_after)
    if due_before is not None:
        query = query.where(PlanAction.due_on <= due_before)
    return page_of(query, pagination_parameters)


@blp.route("/<int:park_id>/actions/<int:action_id>", action="plans.view", load=_action)
@blp.etag
@blp.response(200, ActionDetailSchema)
def get_action(park: Park, action: PlanAction):
    """One action with its progress notes (plans.view). 404 for an action of another park or a closed cycle."""
    return action


@blp.route("/<int:park_id>/actions/<int:action_id>", methods=["PATCH"], action="actions.update", load=_action_to_update)
@blp.arguments(ActionUpdateSchema)
@blp.response(200, ActionDetailSchema)
def update_action(values: dict, park: Park, action: PlanAction):
    """Give the action a new status, or write a progress note (a read-write token), as the action's page does.

    The plan's editors (advisors, the municipality) on any action, partners and entrepreneurs on the actions their
    organisation owns or they represent (actions.update; 403 otherwise). With `status` the `note` goes with the
    status change (dropping an action needs it: the reason); without `status` the `note` is a progress note.
    A refused change (the status it already has, no reason for dropping) is a 422.
    """
    actor = api_user()
    note = values.get("note") or ""
    if values.get("status") is not None:
        services.change_status(actor, action, status=values["status"], note=note, today=local_today())
    else:
        services.add_note(actor, action, text=note, today=local_today())
    return action
