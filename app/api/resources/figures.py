"""GET and POST /api/v1/parks/<id>/figures: the partner figures of a park, through the inventory's services."""

from __future__ import annotations

from flask_smorest import abort

from app.api.access import api_user
from app.api.resources import page_of_list
from app.api.schemas import FigureInputSchema, FigureQuerySchema, FigureSchema
from app.api.setup import Blueprint
from app.clock import local_today
from app.imports import CREATE
from app.inventory import figures
from app.parks.models import Park

blp = Blueprint(
    "api-figures",
    __name__,
    url_prefix="/api/v1/parks",
    description="Partner figures: aggregated counts per source, category, year and quarter.",
)


@blp.route("/<int:park_id>/figures", action="inventory.view")
@blp.etag
@blp.arguments(FigureQuerySchema, location="query", as_kwargs=True)
@blp.response(200, FigureSchema(many=True))
@blp.paginate(page_size=100, max_page_size=500)
def list_figures(pagination_parameters, park: Park, source=None, year_from=None, year_to=None):
    """The park's counts (inventory.view), by source, category, year and quarter; filtered by source and years."""
    found = [
        figure
        for figure in figures.figure_list(park)
        if (source is None or figure.source == source)
        and (year_from is None or figure.year >= year_from)
        and (year_to is None or figure.year <= year_to)
    ]
    return page_of_list(found, pagination_parameters)


@blp.route("/<int:park_id>/figures", methods=["POST"], action="figures.edit", allow=figures.ensure_enters_figures)
@blp.arguments(FigureInputSchema)
@blp.response(201, FigureSchema, description="The count is new.")
@blp.alt_response(200, schema=FigureSchema, description="The count replaced another one, or was already there.")
def save_figure(values: dict, park: Park):
    """Enter or correct one count (figures.edit, a read-write token), as the page "Cijfers invoeren" does.

    The same source, category, year and quarter replace the count the park has. The inventory's rules apply:
    a 422 names the invalid fields, or says why the count cannot stand beside the others; a partner writes only
    their own organisation's source (police the police figures, and so on): another source is a 403.
    """
    today = local_today()
    _clean, errors = figures.check_figure(values, today=today)
    if errors:
        abort(422, errors={"json": {name: [message] for name, message in errors.items()}})
    figure, outcome = figures.save_figure(api_user(), park, values, today=today)
    return figure, 201 if outcome == CREATE else 200
