"""The company register of a park: list, edit, import (with preview) and export."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from werkzeug.utils import secure_filename

from app.auth.decorators import load_or_404, requires
from app.auth.models import User
from app.auth.policy import can
from app.clock import local_today
from app.errors import DomainError
from app.extensions import db
from app.forms import form_view, render_form, submit
from app.parks import companies
from app.parks.company_forms import CompanyForm, ImportForm
from app.parks.geometry import point_test
from app.parks.models import Company, CompanyImport, Park
from app.web import page_number, safe_next_url

bp = Blueprint("companies", __name__, url_prefix="/parken/<int:park_id>/bedrijven")
PER_PAGE = 50
PREVIEW_PER_PAGE = 100
# the file plus the multipart envelope; the app-wide MAX_CONTENT_LENGTH is smaller than an import may be
MAX_UPLOAD_REQUEST = companies.MAX_IMPORT_BYTES + 64 * 1024
EXPORT_TYPES = {
    "csv": "text/csv",  # werkzeug adds "; charset=utf-8"
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _actor() -> User:
    return current_user._get_current_object()


def _now() -> datetime:
    return datetime.now(UTC)


def load_park(park_id: int) -> Park:
    return load_or_404(Park, park_id)


def load_company(park_id: int, company_id: int) -> Company:
    park = load_or_404(Park, park_id)
    company = load_or_404(Company, company_id)
    if company.park_id != park.id:
        abort(404)
    return company


def load_import(park_id: int, import_id: int) -> CompanyImport:
    park = load_or_404(Park, park_id)
    company_import = load_or_404(CompanyImport, import_id)
    if company_import.park_id != park.id:
        abort(404)
    return company_import


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
        page_args={key: value for key, value in (("q", q), ("buiten", "1" if only_outside else "")) if value},
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@requires("companies.edit", load=load_park)
@form_view
def new(park: Park):
    form = CompanyForm()
    if form.validate_on_submit():
        created = submit(form, lambda: companies.create_company(_actor(), park, form.values(), now=_now()))
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
        saved = submit(form, lambda: companies.update_company(_actor(), company, form.values(), now=_now()))
        if saved.ok:
            flash(_("De gegevens van %(name)s zijn opgeslagen.", name=company.name), "success")
            return redirect(url_for("companies.index", park_id=park.id))
    return render_form("parks/companies/form.html", form, park=park, company=company)


@bp.route("/<int:company_id>/verwijderen", methods=["POST"])
@requires("companies.edit", load=load_company)
def delete(company: Company):
    park, name = company.park, company.name
    companies.delete_company(_actor(), company, now=_now())
    db.session.commit()
    flash(_("%(name)s is uit het register verwijderd.", name=name), "success")
    return _back_to_list(park)


@bp.route("/<int:company_id>/hoort-bij-park", methods=["POST"])
@requires("companies.edit", load=load_company)
def accept_outside(company: Company):
    park = company.park
    try:
        companies.accept_outside(_actor(), company, now=_now())
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
    if request.method == "POST":
        request.max_content_length = MAX_UPLOAD_REQUEST
        if (request.content_length or 0) > MAX_UPLOAD_REQUEST:
            # refused before the body is read: a browser sends the size first
            form = ImportForm(formdata=None)
            form.file.errors = [
                _(
                    "Het bestand is groter dan %(mb)s MB. Splits het in kleinere bestanden.",
                    mb=companies.MAX_IMPORT_MB,
                )
            ]
            return render_template("parks/companies/import.html", form=form, park=park), 413
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.stream.read(companies.MAX_IMPORT_BYTES + 1)
        checked = submit(
            form,
            lambda: companies.preview_import(_actor(), park, upload.filename or "", data, now=_now()),
            field=form.file,
        )
        if checked.ok:
            return redirect(url_for("companies.import_preview", park_id=park.id, import_id=checked.value.id))
    return render_form("parks/companies/import.html", form, park=park)


@dataclass(frozen=True)
class RowsPage:
    """One page of a list in memory, with what the pagination needs."""

    items: list[Any]
    page: int
    pages: int
    total: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def _paginate(items: list[Any], per_page: int) -> RowsPage:
    pages = max((len(items) + per_page - 1) // per_page, 1)
    page = min(page_number(), pages)
    return RowsPage(items[(page - 1) * per_page : page * per_page], page, pages, len(items))


def _address_text(values: dict[str, Any]) -> str:
    number = f"{values.get('house_number', '')}{values.get('house_number_addition', '') or ''}"
    postcode = str(values.get("postcode", ""))
    if len(postcode) == 6 and postcode[:4].isdigit():
        postcode = f"{postcode[:4]} {postcode[4:]}"
    street = f"{values.get('street', '')} {number}".strip()
    return ", ".join(part for part in (street, postcode) if part)


def _preview_row(row: dict[str, Any]) -> dict[str, Any]:
    if row["outcome"] == companies.REJECT:
        note = row["reason"]
    elif row["outcome"] == companies.UPDATE:
        note = _("Wijzigt: %(fields)s", fields=", ".join(str(companies.FIELD_LABELS[f]) for f in row["changes"]))
    else:
        note = ""
    return {
        "row": row["row"],
        "outcome": row["outcome"],
        "label": str(companies.OUTCOME_LABELS[row["outcome"]]),
        "name": row["values"].get("name") or "—",
        "address": _address_text(row["values"]) or "—",
        "note": note,
    }


@bp.route("/importeren/<int:import_id>")
@requires("companies.edit", load=load_import)
def import_preview(company_import: CompanyImport):
    outcome = request.args.get("uitkomst")
    if outcome not in companies.OUTCOMES:
        outcome = None
    rows = [row for row in company_import.rows if outcome is None or row["outcome"] == outcome]
    page = _paginate(rows, PREVIEW_PER_PAGE)
    counts = companies.import_counts(company_import.rows)
    return render_template(
        "parks/companies/preview.html",
        park=company_import.park,
        company_import=company_import,
        counts=counts,
        outcome_labels={key: str(label) for key, label in companies.OUTCOME_LABELS.items()},
        outcome=outcome,
        page=page,
        rows=[_preview_row(row) for row in page.items],
        page_args={"uitkomst": outcome} if outcome else {},
        changes=counts[companies.CREATE] + counts[companies.UPDATE],
    )


@bp.route("/importeren/<int:import_id>/bevestigen", methods=["POST"])
@requires("companies.edit", load=load_import)
def import_confirm(company_import: CompanyImport):
    park = company_import.park
    try:
        counts = companies.apply_import(_actor(), company_import, now=_now())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        if company_import.applied_at is not None:
            return redirect(url_for("companies.index", park_id=park.id))
        return redirect(url_for("companies.import_upload", park_id=park.id))
    db.session.commit()
    flash(
        _(
            "De import is verwerkt: %(created)s toegevoegd, %(updated)s bijgewerkt, %(unchanged)s ongewijzigd, "
            "%(rejected)s afgewezen.",
            created=counts[companies.CREATE],
            updated=counts[companies.UPDATE],
            unchanged=counts[companies.UNCHANGED],
            rejected=counts[companies.REJECT],
        ),
        "success",
    )
    return redirect(url_for("companies.index", park_id=park.id))


@bp.route("/exporteren")
@requires("companies.view", load=load_park)
def export(park: Park):
    kind = request.args.get("format", "csv")
    if kind not in EXPORT_TYPES:
        abort(400)
    data = companies.export_csv(park) if kind == "csv" else companies.export_xlsx(park)
    slug = secure_filename(park.name).lower().replace("_", "-") or str(park.id)
    response = send_file(
        io.BytesIO(data),
        mimetype=EXPORT_TYPES[kind],
        as_attachment=True,
        download_name=f"bedrijven-{slug}-{local_today().isoformat()}.{kind}",
    )
    response.headers["Cache-Control"] = "no-store"  # contact details: not for a shared cache
    return response
