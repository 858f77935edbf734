"""GET /api/v1/parks/<id>/surveys and .../surveys/<survey_id>/results: the park's surveys and their k-anonymous
aggregates, as the results page shows them (never raw answers, never free text)."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api.resource_schemas import SurveyResultsSchema, SurveySummarySchema
from app.api.resources import page_of
from app.api.setup import Blueprint
from app.auth.decorators import load_or_404
from app.auth.policy import results_shown
from app.parks.models import Cycle, Park
from app.surveys import results
from app.surveys.models import Survey

blp = Blueprint(
    "api-surveys",
    __name__,
    url_prefix="/api/v1/parks",
    description="Enterprise surveys: status, response counts and k-anonymous results.",
)


class SurveyRow:
    """A survey with what the token's user may know of it."""

    def __init__(self, survey: Survey) -> None:
        self.survey, self.results_available = survey, results_shown(survey)
        self.responses = results.released(survey).count if self.results_available else None

    def __getattr__(self, name: str):
        return getattr(self.survey, name)


@blp.route("/<int:park_id>/surveys", action="surveys.results")
@blp.etag
@blp.response(200, SurveySummarySchema(many=True))
@blp.paginate()
def list_surveys(pagination_parameters, park: Park):
    """The park's surveys, newest first (surveys.results: the process owners, partners and the auditor). The number
    of responses, as the results, once a survey is closed: the answers the results show."""
    query = (
        select(Survey)
        .join(Cycle, Survey.cycle_id == Cycle.id)
        .where(Survey.park_id == park.id)
        .order_by(Cycle.number.desc(), Survey.id.desc())
        .options(selectinload(Survey.cycle))
    )
    return [SurveyRow(survey) for survey in page_of(query, pagination_parameters)]


def _survey(park: Park, survey_id: int) -> Survey:
    """A survey of the park (of any of its cycles); another park's is a 404."""
    survey = load_or_404(Survey, survey_id)
    if survey.park_id != park.id:
        abort(404)
    return survey


@blp.route("/<int:park_id>/surveys/<int:survey_id>/results", action="surveys.results", load=_survey)
@blp.etag
@blp.response(200, SurveyResultsSchema)
def survey_results(park: Park, survey: Survey):
    """The survey's results as the results page shows them (surveys.results): per question the counts and
    percentages, means, matrix rows, key figures per sector and the change since the previous cycle's survey.

    Groups of fewer than k respondents are held back (`suppressed`); free-text answers are never given. Until the
    survey is closed the answer is a 403, for every role.
    """
    results.ensure_shown(survey)
    return results.aggregate(survey, include_text=False)
