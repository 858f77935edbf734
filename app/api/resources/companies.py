"""GET /api/v1/parks/<id>/companies: the park's company register (companies.view); POST …/companies/import:
rows added or updated as an uploaded register file would (companies.edit)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.api.access import api_user
from app.api.resource_schemas import CompanyImportResultSchema, CompanyImportSchema
from app.api.resources import page_of
from app.api.schemas import CompanySchema
from app.api.setup import Blueprint
from app.parks import companies
from app.parks.models import Company, Park

blp = Blueprint("api-companies", __name__, url_prefix="/api/v1/parks", description="The company register of a park.")


@blp.route("/<int:park_id>/companies", action="companies.view")
@blp.etag
@blp.response(200, CompanySchema(many=True))
@blp.paginate()
def list_companies(pagination_parameters, park: Park):
    """The park's companies by name (companies.view: advisors, the municipality and the auditor)."""
    query = select(Company).where(Company.park_id == park.id).order_by(Company.name, Company.id)
    return page_of(query, pagination_parameters)


@blp.route("/<int:park_id>/companies/import", methods=["POST"], action="companies.edit")
@blp.arguments(CompanyImportSchema)
@blp.response(200, CompanyImportResultSchema)
def import_companies(values: dict, park: Park):
    """Add and update companies (companies.edit, a read-write token) by the rules of the register's file import:
    a row matches a company by KvK number, else by address and name. Each row comes back with its outcome;
    rejected rows change nothing. With dry_run the rows are only checked."""
    checked, counts = companies.import_records(
        api_user(), park, values["companies"], source="API", apply=not values["dry_run"], now=datetime.now(UTC)
    )
    rows = [{"row": row["row"], "outcome": row["outcome"], "reason": row["reason"]} for row in checked.rows]
    return {"applied": not values["dry_run"], "counts": counts, "rows": rows}
