"""The company register of a park: list, edit, import (with preview) and export."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from app.auth.current import current_actor
from app.auth.decorators import requires
from app.auth.policy import can
from app.clock import local_today
from app.errors import DomainError
from app.extensions import db
from app.forms import Confirm, confirmation_page, form_view, render_form, submit
from app.imports import REJECT, UPDATE
from app.imports import pages as import_pages
from app.imports.pages import Column
from app.pages import file_slug, page_number, safe_next_url
from app.parks import companies
from app.parks.company_forms import CompanyForm, ImportForm
from app.parks.geometry import point_test
from app.parks.loading import load_in_park, load_park
from app.parks.models import Company, CompanyImport, Park

bp = Blueprint("companies", __name__, url_prefix="/parken/<int:park_id>/bedrijven")
PER_PAGE = 50
EXPORT_TYPES = {
    "csv": "text/csv",  # werkzeug adds "; charset=utf-8"
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _now() -> datetime:
    return datetime.now(UTC)


def load_company(park_id: int, company_id: int) -> Company:
    return load_in_park(Company, park_id, company_id).obj


def load_import(park_id: int, import_id: int) -> CompanyImport:
    return load_in_park(CompanyImport, park_id, import_id).obj


def _back_to_list(park: Park):
    """Back to the list page the button was on (its search and page), else the list itself."""
    return redirect(safe_next_url(request.form.get("next")) or url_for("companies.index", park_id=park.id))


@bp.route("/")
@requires("companies.view", load=load_park)
def index(park: Park):
    q = request.args.get("q", "").strip()[:200]
    only_outside = request.args.get("buiten") == "1"
    outside_ids = {company.id for company in companies.companies_outside(park)}
    query = select(Company).where(Company.park_id == park.id).order_by(Company.name, Company.id)
    if q:
        postcode = "".join(q.split()).upper()
        query = query.where(
            or_(
                func.lower(Company.name).contains(q.lower(), autoescape=True),
                func.lower(Company.street).contains(q.lower(), autoescape=True),
                Company.postcode.contains(postcode, autoescape=True),
                Company.kvk_number.contains(postcode, autoescape=True),
            )
        )
    if only_outside:
        query = query.where(Company.id.in_(outside_ids))
    page = db.paginate(query, page=page_number(), per_page=PER_PAGE, error_out=False)
    inside = point_test(park.area)

    def area_status(company: Company) -> str:
        if company.lat is None or company.lon is None:
            return "unknown"
        if company.id in outside_ids:
            return "outside"
        return "accepted" if company.outside_accepted and not inside(company.lat, company.lon) else "inside"

    return render_template(
        "parks/companies/index.html",
        park=park,
        page=page,
        q=q,
        only_outside=only_outside,
        outside_count=len(outside_ids),
        area_status={company.id: area_status(company) for company in page.items},
        may_edit=can(current_user, "companies.edit", park),
        list_url=request.full_path.rstrip("?"),
        sector_label=companies.sector_label,
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@requires("companies.edit", load=load_park)
@form_view
def new(park: Park):
    form = CompanyForm()
    if form.validate_on_submit():
        created = submit(form, lambda: companies.create_company(current_actor(), park, form.values(), now=_now()))
        if created.ok:
            flash(_("%(name)s is toegevoegd aan het register.", name=created.value.name), "success")
            return redirect(url_for("companies.index", park_id=park.id))
    return render_form("parks/companies/form.html", form, park=park, company=None)


@bp.route("/<int:company_id>", methods=["GET", "POST"])
@requires("companies.edit", load=load_company)
@form_view
def edit(company: Company):
    park = company.park
    form = CompanyForm(obj=company)
    if request.method == "GET":
        form.postcode.data = company.postcode_display
    if form.validate_on_submit():
        saved = submit(form, lambda: companies.update_company(current_actor(), company, form.values()))
        if saved.ok:
            flash(_("De gegevens van %(name)s zijn opgeslagen.", name=company.name), "success")
            return redirect(url_for("companies.index", park_id=park.id))
    return render_form("parks/companies/form.html", form, park=park, company=company)


@bp.route("/<int:company_id>/verwijderen", methods=["POST"])
@requires("companies.edit", load=load_company)
def delete(company: Company):
    park, name = company.park, company.name
    question = Confirm(_("%(name)s uit het register verwijderen?", name=name), _("Ja, verwijderen"))
    if (page := confirmation_page(question, url_for("companies.index", park_id=park.id))) is not None:
        return page
    companies.delete_company(current_actor(), company)
    db.session.commit()
    flash(_("%(name)s is uit het register verwijderd.", name=name), "success")
    return _back_to_list(park)


@bp.route("/<int:company_id>/hoort-bij-park", methods=["POST"])
@requires("companies.edit", load=load_company)
def accept_outside(company: Company):
    park = company.park
    try:
        companies.accept_outside(current_actor(), company)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _back_to_list(park)
    db.session.commit()
    flash(_("%(name)s hoort bij het park, ook al ligt het buiten het gebied.", name=company.name), "success")
    return _back_to_list(park)


@bp.route("/importeren", methods=["GET", "POST"])
@requires("companies.edit", load=load_park)
@form_view
def import_upload(park: Park):
    return import_pages.upload(
        ImportForm,
        "parks/companies/import.html",
        park,
        preview=lambda filename, data: companies.preview_import(current_actor(), park, filename, data, now=_now()),
    )


def _address_text(values: dict[str, Any]) -> str:
    number = f"{values.get('house_number', '')}{values.get('house_number_addition', '') or ''}"
    postcode = str(values.get("postcode", ""))
    if len(postcode) == 6 and postcode[:4].isdigit():
        postcode = f"{postcode[:4]} {postcode[4:]}"
    street = f"{values.get('street', '')} {number}".strip()
    return ", ".join(part for part in (street, postcode) if part)


def _preview_cells(row: dict[str, Any]) -> dict[str, Any]:
    if row["outcome"] == REJECT:
        note = row["reason"]
    elif row["outcome"] == UPDATE:
        note = _("Wijzigt: %(fields)s", fields=", ".join(str(companies.FIELD_LABELS[f]) for f in row["changes"]))
    else:
        note = ""
    return {"name": row["values"].get("name") or "—", "address": _address_text(row["values"]) or "—", "note": note}


@bp.route("/importeren/<int:import_id>")
@requires("companies.edit", load=load_import)
def import_preview(company_import: CompanyImport):
    return import_pages.preview(
        "parks/companies/preview.html",
        company_import,
        columns=[Column(_("Naam"), "name"), Column(_("Adres"), "address")],
        row_cells=_preview_cells,
    )


@bp.route("/importeren/<int:import_id>/bevestigen", methods=["POST"])
@requires("companies.edit", load=load_import)
def import_confirm(company_import: CompanyImport):
    return import_pages.confirm(
        company_import, lambda: companies.apply_import(current_actor(), company_import, now=_now())
    )


@bp.route("/exporteren")
@requires("companies.view", load=load_park)
def export(park: Park):
    kind = request.args.get("format", "csv")
    if kind not in EXPORT_TYPES:
        abort(400)
    data = companies.export_csv(park) if kind == "csv" else companies.export_xlsx(park)
    response = send_file(
        io.BytesIO(data),
        mimetype=EXPORT_TYPES[kind],
        as_attachment=True,
        download_name=f"bedrijven-{file_slug(park.name)}-{local_today().isoformat()}.{kind}",
    )
    response.headers["Cache-Control"] = "no-store"  # contact details: not for a shared cache
    return response
