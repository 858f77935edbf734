"""GET /api/v1/parks/<id>/goals: the goals of the park's active cycle with baseline, target and latest value."""

from __future__ import annotations

from app.api.resource_schemas import GoalQuerySchema, GoalSchema
from app.api.resources import page_of_list
from app.api.setup import Blueprint
from app.goals import services as goals
from app.parks.models import Park
from app.parks.services import active_cycle

blp = Blueprint(
    "api-goals", __name__, url_prefix="/api/v1/parks", description="The measurable goals of the park's active cycle."
)


@blp.route("/<int:park_id>/goals", action="plans.view")
@blp.etag
@blp.arguments(GoalQuerySchema, location="query", as_kwargs=True)
@blp.response(200, GoalSchema(many=True))
@blp.paginate()
def list_goals(pagination_parameters, park: Park, theme=None):
    """The goals by theme (plans.view, as the goals page): indicator, baseline, target, deadline and the latest
    value with whether it reaches the target; filtered by theme."""
    found = [goal for goal in goals.goals_of(active_cycle(park)) if theme is None or goal.theme == theme]
    return page_of_list(found, pagination_parameters)
