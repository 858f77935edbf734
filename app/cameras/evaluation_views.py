"""The half-yearly evaluation of a park's camera network and its report."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import DateField, IntegerField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.auth.current import current_actor
from app.auth.decorators import requires
from app.auth.policy import can
from app.cameras import evaluations
from app.cameras.checks import network_of
from app.cameras.models import Evaluation, EvaluationDecision
from app.clock import local_today
from app.errors import DomainError
from app.forms import Form, choices, form_view, render_form, run_and_commit
from app.pages import file_slug
from app.parks.loading import InPark, load_in_park, load_park
from app.parks.models import Park

bp = Blueprint("camera_evaluations", __name__, url_prefix="/parken/<int:park_id>/cameras/evaluaties")

YES_NO = (("ja", _l("Voldaan")), ("nee", _l("Niet voldaan")))


def _evaluation_form(**kwargs) -> Form:
    fields = {
        "period_start": DateField(_l("Begin van de periode"), validators=[InputRequired()]),
        "period_end": DateField(
            _l("Einde van de periode"),
            validators=[InputRequired()],
            description=_l("Een evaluatie wordt pas vastgelegd als de periode voorbij is."),
        ),
        "incidents_seen": IntegerField(
            _l("Incidenten gezien door de meldkamer in de periode"),
            validators=[InputRequired(), NumberRange(min=0, max=evaluations.INCIDENTS_MAX)],
        ),
        "decision": RadioField(
            _l("Besluit"),
            description=_l(
                "Doorgaan kan alleen als noodzaak, proportionaliteit en subsidiariteit voldaan zijn; anders kiest u "
                "aanpassen of stoppen en onderbouwt u waarom."
            ),
            choices=choices((d.value, d.label) for d in EvaluationDecision),
            validators=[InputRequired(message=_l("Kies een besluit."))],
        ),
        "reasoning": TextAreaField(
            _l("Onderbouwing van het besluit"),
            validators=[InputRequired(message=_l("Onderbouw het besluit.")), Length(max=evaluations.REASONING_MAX)],
        ),
    }
    for key, _label in evaluations.CRITERIA:
        fields[f"met_{key}"] = RadioField(
            _l("Voldaan?"), choices=choices(YES_NO), validators=[InputRequired(message=_l("Kies voldaan of niet."))]
        )
        fields[f"note_{key}"] = TextAreaField(
            _l("Toelichting"), validators=[Optional(), Length(max=evaluations.NOTE_MAX)]
        )
    return type("EvaluationForm", (Form,), fields)(**kwargs)


def load_evaluation(park_id: int, evaluation_id: int) -> InPark[Evaluation]:
    return load_in_park(Evaluation, park_id, evaluation_id, lambda e, park: e.network.park_id == park.id)


@bp.route("/")
@requires("cameras.view", load=load_park)
def index(park: Park):
    network = network_of(park)
    return render_template(
        "cameras/evaluations/index.html",
        park=park,
        network=network,
        items=evaluations.evaluations_of(network) if network else [],
        can_evaluate=can(current_user, "cameras.evaluate", park),
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@requires("cameras.evaluate", load=load_park)
@form_view
def create(park: Park):
    network = network_of(park)
    if network is None and request.method != "POST":
        abort(404)
    today = local_today()
    start, end = evaluations.half_year_before(today)
    form = _evaluation_form(data={"period_start": start, "period_end": end} if request.method != "POST" else None)
    if form.validate_on_submit():

        def call() -> Evaluation:
            if network is None:
                raise DomainError(_("Dit park heeft geen cameranetwerk."))
            return evaluations.record_evaluation(
                current_actor(),
                network,
                period_start=form.period_start.data,
                period_end=form.period_end.data,
                answers={
                    key: (form[f"met_{key}"].data == "ja", form[f"note_{key}"].data or "")
                    for key, _label in evaluations.CRITERIA
                },
                incidents_seen=form.incidents_seen.data,
                decision=EvaluationDecision(form.decision.data),
                reasoning=form.reasoning.data or "",
                today=today,
            )

        def refused(error: DomainError) -> None:
            field = getattr(error, "field", None)
            (form[field].errors if field else form.form_errors).append(error.message)

        done = run_and_commit(call, refused)
        if done.ok:
            flash(_("De evaluatie is vastgelegd."), "success")
            return redirect(url_for(".detail", park_id=park.id, evaluation_id=done.value.id))
    rows = [(label, form[f"met_{key}"], form[f"note_{key}"]) for key, label in evaluations.CRITERIA]
    return render_form("cameras/evaluations/form.html", form, park=park, network=network, rows=rows)


@bp.route("/<int:evaluation_id>")
@requires("cameras.view", load=load_evaluation)
def detail(loaded: InPark[Evaluation]):
    evaluation = loaded.obj
    return render_template(
        "cameras/evaluations/detail.html",
        park=loaded.park,
        evaluation=evaluation,
        criteria=evaluations.criteria_rows(evaluation),
        figures=evaluations.figure_rows(evaluation),
    )


@bp.route("/<int:evaluation_id>/rapport.pdf")
@requires("cameras.view", load=load_evaluation)
def report(loaded: InPark[Evaluation]):
    evaluation = loaded.obj
    return send_file(
        BytesIO(evaluations.evaluation_pdf(evaluation)),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"evaluatie-camera-{file_slug(loaded.park.name)}-{evaluation.period_start.isoformat()}.pdf",
    )
