"""Partner figures per park, source and period: the yearly view, entry, import with preview and export."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.current import current_actor
from app.auth.decorators import requires
from app.auth.policy import ensure_may_edit_figures
from app.clock import local_today
from app.extensions import db
from app.forms import Confirm, confirmation_page, form_view, render_form, submit
from app.imports import CREATE, REJECT, UNCHANGED, UPDATE
from app.imports import pages as import_pages
from app.imports.pages import Column
from app.inventory import figures
from app.inventory.categories import CATEGORIES, category_label
from app.inventory.forms import FigureForm, FigureImportForm
from app.inventory.models import Figure, FigureImport, FigureSource
from app.pages import file_slug
from app.parks.loading import load_in_park, load_park
from app.parks.models import Park

bp = Blueprint("figures", __name__, url_prefix="/parken/<int:park_id>/cijfers")


def _now() -> datetime:
    return datetime.now(UTC)


def load_figure(park_id: int, figure_id: int) -> Figure:
    return load_in_park(Figure, park_id, figure_id).obj


def load_import(park_id: int, import_id: int) -> FigureImport:
    return load_in_park(FigureImport, park_id, import_id).obj


@bp.route("/")
@requires("inventory.view", load=load_park)
def index(park: Park):
    return render_template(
        "inventory/figures/index.html",
        park=park,
        tables=figures.yearly_tables(park),
        may_edit=bool(figures.sources_for(current_user, park)),
    )


def _figure_rows(park: Park, sources: list[FigureSource]) -> list[dict[str, Any]]:
    return [
        {
            "figure": figure,
            "source": figure.source.label,
            "category": category_label(figure.source, figure.category),
            "period": figures.quarter_label(figure.quarter),
            "editable": figure.source in sources,
        }
        for figure in figures.figure_list(park)
    ]


@bp.route("/invoeren", methods=["GET", "POST"])
@requires("figures.edit", load=load_park)
@form_view
def entry(park: Park):
    today = local_today()
    sources = figures.ensure_enters_figures(current_actor(), park)
    form = FigureForm(today=today, sources=sources)
    if request.method == "GET":
        _prefill(form, park, sources)
    if form.validate_on_submit():
        # a source the form does not offer this user (a forged post) is a 403, before anything is written
        ensure_may_edit_figures(current_actor(), park, form.source)
        saved = submit(form, lambda: figures.save_figure(current_actor(), park, form.values(), today=today))
        if saved.ok:
            _figure, outcome = saved.value
            message = {
                CREATE: _("Het cijfer is opgeslagen."),
                UPDATE: _("Het cijfer is gecorrigeerd."),
                UNCHANGED: _("Dit cijfer stond er al; er is niets veranderd."),
            }[outcome]
            flash(message, "success")
            return redirect(url_for("figures.entry", park_id=park.id))
    return render_form(
        "inventory/figures/entry.html",
        form,
        park=park,
        rows=_figure_rows(park, sources),
        own_only=len(sources) < len(FigureSource),
    )


def _prefill(form: FigureForm, park: Park, sources: list[FigureSource]) -> None:
    """A correction link carries ?figuur=<id>: the form starts with that figure (of a source the user may
    write); else with last year."""
    figure_id = request.args.get("figuur", type=int)
    figure = db.session.get(Figure, figure_id) if figure_id and 0 < figure_id < 2**31 else None
    if figure is None or figure.park_id != park.id or figure.source not in sources:
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
    question = Confirm(
        _("Het cijfer voor %(category)s in %(year)s verwijderen?", category=label, year=year), _("Ja, verwijderen")
    )
    # a partner is asked only about their own organisation's figures (the rest is a 403, as without asking)
    ensure_may_edit_figures(current_actor(), park, figure.source)
    if (page := confirmation_page(question, url_for("figures.entry", park_id=park.id))) is not None:
        return page
    figures.delete_figure(current_actor(), figure)
    db.session.commit()
    flash(_("Het cijfer voor %(category)s in %(year)s is verwijderd.", category=label, year=year), "success")
    return redirect(url_for("figures.entry", park_id=park.id))


def _categories(sources: list[FigureSource]) -> list[tuple[FigureSource, list[tuple[str, str]]]]:
    return [(source, [(key, str(label)) for key, label in CATEGORIES.get(source, {}).items()]) for source in sources]


@bp.route("/importeren", methods=["GET", "POST"])
@requires("figures.edit", load=load_park)
@form_view
def import_upload(park: Park):
    sources = figures.ensure_enters_figures(current_actor(), park)
    return import_pages.upload(
        FigureImportForm,
        "inventory/figures/import.html",
        park,
        preview=lambda filename, data: figures.preview_import(
            current_actor(), park, filename, data, now=_now(), today=local_today()
        ),
        sources=_categories(sources),
    )


def _preview_cells(row: dict[str, Any]) -> dict[str, Any]:
    values = row["values"]
    try:
        source = FigureSource(values.get("source"))
        source_text, category_text = source.label, category_label(source, str(values.get("category", "")))
    except ValueError:
        source_text, category_text = str(values.get("source", "")) or "—", str(values.get("category", "")) or "—"
    quarter = values.get("quarter")
    if row["outcome"] == REJECT:
        period = " ".join(str(values.get(name, "")) for name in ("year", "quarter")).strip()
        note = row["reason"]
    else:
        period = f"{values['year']}, {figures.quarter_label(quarter)}"
        note = (
            _("Was %(previous)s", previous=row["previous"])
            if row["outcome"] == UPDATE and row["previous"] is not None
            else ""
        )
    return {
        "source": source_text,
        "category": category_text,
        "period": period or "—",
        "count": str(values.get("count", "")) or "—",
        "note": note,
    }


@bp.route("/importeren/<int:import_id>")
@requires("figures.edit", load=load_import)
def import_preview(figure_import: FigureImport):
    figures.ensure_enters_figures(current_actor(), figure_import.park)
    return import_pages.preview(
        "inventory/figures/preview.html",
        figure_import,
        columns=[
            Column(_("Bron"), "source"),
            Column(_("Categorie"), "category"),
            Column(_("Periode"), "period"),
            Column(_("Aantal"), "count", numeric=True),
        ],
        row_cells=_preview_cells,
    )


@bp.route("/importeren/<int:import_id>/bevestigen", methods=["POST"])
@requires("figures.edit", load=load_import)
def import_confirm(figure_import: FigureImport):
    # rows of another organisation's source (someone else's preview) are a 403 here, not a message after the fact
    figures.ensure_may_import(current_actor(), figure_import)
    return import_pages.confirm(
        figure_import, lambda: figures.apply_import(current_actor(), figure_import, now=_now(), today=local_today())
    )


@bp.route("/exporteren")
@requires("inventory.view", load=load_park)
def export(park: Park):
    response = send_file(
        io.BytesIO(figures.export_csv(park)),
        mimetype="text/csv",
        as_attachment=True,
        download_name=f"cijfers-{file_slug(park.name)}-{local_today().isoformat()}.csv",
    )
    response.headers["Cache-Control"] = "no-store"
    return response
