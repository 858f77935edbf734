"""The survey's response rate, results, report and export."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import BooleanField, TextAreaField
from wtforms.validators import Length

from app.auth.current import current_actor
from app.auth.decorators import requires
from app.auth.policy import can, results_shown
from app.clock import local_today
from app.forms import Form, button_action, form_view, render_form, submit
from app.pages import file_slug
from app.parks.loading import load_park
from app.parks.models import Park
from app.surveys import jobs, report, results
from app.surveys.export import export_csv, export_xlsx
from app.surveys.models import Survey
from app.surveys.response_rate import response_rate
from app.surveys.services import current_survey

bp = Blueprint("survey_results", __name__, url_prefix="/parken/<int:park_id>/enquete/resultaten")

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ReminderForm(Form):
    """Only the CSRF token: the button says it all."""


class ConclusionsForm(Form):
    conclusions = TextAreaField(
        _l("Conclusies"),
        validators=[Length(max=report.CONCLUSIONS_MAX)],
        description=_l("Komen in het rapport onder “Conclusies”. Een lege regel begint een nieuwe alinea."),
    )
    ready = BooleanField(_l("Het rapport is klaar"))


def _survey_or_404(park: Park) -> Survey:
    survey = current_survey(park)
    if survey is None:
        abort(404)
    return survey


@bp.route("/")
@requires("surveys.results", load=load_park)
def index(park: Park):
    survey = current_survey(park)
    if survey is None:
        # the step 3 checklist links here: who may make the survey is shown the way to do so
        can_manage = can(current_actor(), "surveys.manage", park)
        return render_template("surveys/results/index.html", park=park, survey=None, can_manage=can_manage)
    actor = current_actor()
    shown = results_shown(survey)
    aggregate = results.aggregate(survey, include_text=can(actor, "surveys.raw", park)) if shown else None
    return render_template(
        "surveys/results/index.html",
        park=park,
        survey=survey,
        results=aggregate,
        rate=response_rate(survey).total if shown else None,
        can_manage=can(actor, "surveys.manage", park),
        can_export=can(actor, "surveys.raw", park) and aggregate is not None and not aggregate.suppressed,
        suppressed_text=str(results.SUPPRESSED),
        comparison=aggregate.comparison if aggregate is not None else None,
    )


def _response_page(park: Park, form: ReminderForm | None = None):
    survey = current_survey(park)
    context = {"park": park, "survey": survey}
    if survey is not None:
        context |= {
            "rate": response_rate(survey),
            "due": len(jobs.due_reminders(datetime.now(UTC), survey=survey)),
            "reminder_days": jobs.reminder_days(),
        }
    if form is None:
        return render_template("surveys/results/response.html", form=ReminderForm(), **context)
    return render_form("surveys/results/response.html", form, **context)


@bp.route("/respons")
@requires("surveys.manage", load=load_park)
def response(park: Park):
    return _response_page(park)


@bp.route("/herinneren", methods=["POST"])
@requires("surveys.manage", load=load_park)
@form_view
def remind(park: Park):
    form = ReminderForm()
    if not form.validate_on_submit():
        return _response_page(park, form)
    survey = _survey_or_404(park)
    return button_action(
        lambda: jobs.send_reminders_now(current_actor(), survey, now=datetime.now(UTC)),
        lambda sent: ngettext(
            "Er staat %(num)s herinnering klaar om te worden verstuurd.",
            "Er staan %(num)s herinneringen klaar om te worden verstuurd.",
            sent,
        ),
        url_for("survey_results.response", park_id=park.id),
    )


@bp.route("/conclusies", methods=["GET", "POST"])
@requires("surveys.manage", load=load_park)
@form_view
def conclusions(park: Park):
    survey = current_survey(park)
    form = ConclusionsForm()
    if survey is not None and not form.is_submitted():
        form.conclusions.data = survey.conclusions
        form.ready.data = survey.report_ready_at is not None
    if form.validate_on_submit():
        if survey is None:
            abort(404)
        saved = submit(
            form,
            lambda: report.save_conclusions(
                current_actor(),
                survey,
                conclusions=form.conclusions.data or "",
                ready=form.ready.data,
                now=datetime.now(UTC),
            ),
            field=form.ready,
        )
        if saved.ok:
            if survey.report_ready_at is not None:
                flash(_("De conclusies zijn opgeslagen en het rapport is klaar."), "success")
            else:
                flash(_("De conclusies zijn opgeslagen."), "success")
            return redirect(url_for("survey_results.conclusions", park_id=park.id))
    return render_form("surveys/results/conclusions.html", form, park=park, survey=survey)


@bp.route("/rapport.pdf")
@requires("surveys.results", load=load_park)
def report_pdf(park: Park):
    survey = _survey_or_404(park)
    results.ensure_shown(survey)
    return send_file(
        BytesIO(report.report_pdf(survey)),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"enquete-rapport-{file_slug(park.name)}-{local_today().isoformat()}.pdf",
    )


@bp.route("/contacten")
@requires("surveys.manage", load=load_park)
def contacts(park: Park):
    survey = current_survey(park)
    return render_template(
        "surveys/results/contacts.html",
        park=park,
        survey=survey,
        contacts=results.contacts(survey) if survey is not None else [],
    )


@bp.route("/exporteren")
@requires("surveys.raw", load=load_park)
def export(park: Park):
    kind = request.args.get("format", "csv")
    if kind not in EXPORT_TYPES:
        abort(400)
    survey = _survey_or_404(park)
    data = export_csv(survey) if kind == "csv" else export_xlsx(survey)
    response = send_file(
        BytesIO(data),
        mimetype=EXPORT_TYPES[kind],
        as_attachment=True,
        download_name=f"enquete-antwoorden-{file_slug(park.name)}-{local_today().isoformat()}.{kind}",
    )
    response.headers["Cache-Control"] = "no-store"  # raw answers: not for a shared cache
    return response
