"""Partner figures per park, source and period: the yearly view, entry, import with preview and export."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.utils import secure_filename

from app.auth.decorators import load_or_404, requires
from app.auth.models import User
from app.auth.policy import can
from app.clock import local_today
from app.errors import DomainError
from app.extensions import db
from app.forms import form_view, render_form, submit
from app.imports import MAX_IMPORT_BYTES, MAX_IMPORT_MB
from app.inventory import figures
from app.inventory.categories import CATEGORIES, category_label
from app.inventory.forms import FigureForm, FigureImportForm
from app.inventory.models import Figure, FigureImport, FigureSource
from app.parks.models import Park
from app.web import page_number

bp = Blueprint("figures", __name__, url_prefix="/parken/<int:park_id>/cijfers")
PREVIEW_PER_PAGE = 100
# the file plus the multipart envelope; the app-wide MAX_CONTENT_LENGTH is smaller than an import may be
MAX_UPLOAD_REQUEST = MAX_IMPORT_BYTES + 64 * 1024


def _actor() -> User:
    return current_user._get_current_object()


def _now() -> datetime:
    return datetime.now(UTC)


def load_park(park_id: int) -> Park:
    return load_or_404(Park, park_id)


def load_figure(park_id: int, figure_id: int) -> Figure:
    park = load_or_404(Park, park_id)
    figure = load_or_404(Figure, figure_id)
    if figure.park_id != park.id:
        abort(404)
    return figure


def load_import(park_id: int, import_id: int) -> FigureImport:
    park = load_or_404(Park, park_id)
    figure_import = load_or_404(FigureImport, import_id)
    if figure_import.park_id != park.id:
        abort(404)
    return figure_import


@bp.route("/")
@requires("inventory.view", load=load_park)
def index(park: Park):
    return render_template(
        "inventory/figures/index.html",
        park=park,
        tables=figures.yearly_tables(park),
        may_edit=can(current_user, "figures.edit", park),
    )


def _figure_rows(park: Park) -> list[dict[str, Any]]:
    return [
        {
            "figure": figure,
            "source": figure.source.label,
            "category": category_label(figure.source, figure.category),
            "period": figures.quarter_label(figure.quarter),
        }
        for figure in figures.figure_list(park)
    ]


@bp.route("/invoeren", methods=["GET", "POST"])
@requires("figures.edit", load=load_park)
@form_view
def entry(park: Park):
    today = local_today()
    form = FigureForm(today=today)
    if request.method == "GET":
        _prefill(form, park)
    if form.validate_on_submit():
        saved = submit(form, lambda: figures.save_figure(_actor(), park, form.values(), today=today))
        if saved.ok:
            _figure, outcome = saved.value
            message = {
                figures.CREATE: _("Het cijfer is opgeslagen."),
                figures.UPDATE: _("Het cijfer is gecorrigeerd."),
                figures.UNCHANGED: _("Dit cijfer stond er al; er is niets veranderd."),
            }[outcome]
            flash(message, "success")
            return redirect(url_for("figures.entry", park_id=park.id))
    return render_form("inventory/figures/entry.html", form, park=park, rows=_figure_rows(park))


def _prefill(form: FigureForm, park: Park) -> None:
    """A correction link carries ?figuur=<id>: the form starts with that figure; else with last year."""
    figure_id = request.args.get("figuur", type=int)
    figure = db.session.get(Figure, figure_id) if figure_id and 0 < figure_id < 2**31 else None
    if figure is None or figure.park_id != park.id:
        form.year.data = str(local_today().year - 1)
        return
    form.category.data = f"{figure.source.value}:{figure.category}"
    form.year.data = str(figure.year)
    form.quarter.data = str(figure.quarter or "")
    form.count.data = str(figure.count)


@bp.route("/<int:figure_id>/verwijderen", methods=["POST"])
@requires("figures.edit", load=load_figure)
def delete(figure: Figure):
    park = figure.park
    label = category_label(figure.source, figure.category)
    year = figure.year
    figures.delete_figure(_actor(), figure)
    db.session.commit()
    flash(_("Het cijfer voor %(category)s in %(year)s is verwijderd.", category=label, year=year), "success")
    return redirect(url_for("figures.entry", park_id=park.id))


def _sources() -> list[tuple[FigureSource, list[tuple[str, str]]]]:
    return [
        (source, [(key, str(label)) for key, label in CATEGORIES.get(source, {}).items()]) for source in FigureSource
    ]


@bp.route("/importeren", methods=["GET", "POST"])
@requires("figures.edit", load=load_park)
@form_view
def import_upload(park: Park):
    if request.method == "POST":
        request.max_content_length = MAX_UPLOAD_REQUEST
        if (request.content_length or 0) > MAX_UPLOAD_REQUEST:
            # refused before the body is read: a browser sends the size first
            form = FigureImportForm(formdata=None)
            form.file.errors = [
                _("Het bestand is groter dan %(mb)s MB. Splits het in kleinere bestanden.", mb=MAX_IMPORT_MB)
            ]
            return render_template("inventory/figures/import.html", form=form, park=park, sources=_sources()), 413
    form = FigureImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.stream.read(MAX_IMPORT_BYTES + 1)
        checked = submit(
            form,
            lambda: figures.preview_import(
                _actor(), park, upload.filename or "", data, now=_now(), today=local_today()
            ),
            field=form.file,
        )
        if checked.ok:
            return redirect(url_for("figures.import_preview", park_id=park.id, import_id=checked.value.id))
    return render_form("inventory/figures/import.html", form, park=park, sources=_sources())


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


def _preview_row(row: dict[str, Any]) -> dict[str, Any]:
    values = row["values"]
    try:
        source = FigureSource(values.get("source"))
        source_text, category_text = source.label, category_label(source, str(values.get("category", "")))
    except ValueError:
        source_text, category_text = str(values.get("source", "")) or "—", str(values.get("category", "")) or "—"
    quarter = values.get("quarter")
    if row["outcome"] == figures.REJECT:
        period = " ".join(str(values.get(name, "")) for name in ("year", "quarter")).strip()
        note = row["reason"]
    else:
        period = f"{values['year']}, {figures.quarter_label(quarter)}"
        note = (
            _("Was %(previous)s", previous=row["previous"])
            if row["outcome"] == figures.UPDATE and row["previous"] is not None
            else ""
        )
    return {
        "row": row["row"],
        "outcome": row["outcome"],
        "label": str(figures.OUTCOME_LABELS[row["outcome"]]),
        "source": source_text,
        "category": category_text,
        "period": period or "—",
        "count": str(values.get("count", "")) or "—",
        "note": note,
    }


@bp.route("/importeren/<int:import_id>")
@requires("figures.edit", load=load_import)
def import_preview(figure_import: FigureImport):
    outcome = request.args.get("uitkomst")
    if outcome not in figures.OUTCOMES:
        outcome = None
    rows = [row for row in figure_import.rows if outcome is None or row["outcome"] == outcome]
    page = _paginate(rows, PREVIEW_PER_PAGE)
    counts = figures.import_counts(figure_import.rows)
    return render_template(
        "inventory/figures/preview.html",
        park=figure_import.park,
        figure_import=figure_import,
        counts=counts,
        outcome_labels={key: str(label) for key, label in figures.OUTCOME_LABELS.items()},
        outcome=outcome,
        page=page,
        rows=[_preview_row(row) for row in page.items],
        page_args={"uitkomst": outcome} if outcome else {},
        changes=counts[figures.CREATE] + counts[figures.UPDATE],
    )


@bp.route("/importeren/<int:import_id>/bevestigen", methods=["POST"])
@requires("figures.edit", load=load_import)
def import_confirm(figure_import: FigureImport):
    park = figure_import.park
    try:
        counts = figures.apply_import(_actor(), figure_import, now=_now(), today=local_today())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        if figure_import.applied_at is not None:
            return redirect(url_for("figures.index", park_id=park.id))
        return redirect(url_for("figures.import_upload", park_id=park.id))
    db.session.commit()
    flash(
        _(
            "De import is verwerkt: %(created)s toegevoegd, %(updated)s bijgewerkt, %(unchanged)s ongewijzigd, "
            "%(rejected)s afgewezen.",
            created=counts[figures.CREATE],
            updated=counts[figures.UPDATE],
            unchanged=counts[figures.UNCHANGED],
            rejected=counts[figures.REJECT],
        ),
        "success",
    )
    return redirect(url_for("figures.index", park_id=park.id))


@bp.route("/exporteren")
@requires("inventory.view", load=load_park)
def export(park: Park):
    slug = secure_filename(park.name).lower().replace("_", "-") or str(park.id)
    response = send_file(
        io.BytesIO(figures.export_csv(park)),
        mimetype="text/csv",
        as_attachment=True,
        download_name=f"cijfers-{slug}-{local_today().isoformat()}.csv",
    )
    response.headers["Cache-Control"] = "no-store"
    return response
