"""The cycle's goals per theme with baseline, target and latest value (step 4)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.auth.decorators import load_or_404, requires
from app.auth.models import User
from app.auth.policy import can
from app.clock import local_today
from app.errors import DomainError
from app.extensions import db
from app.forms import Form, Outcome, form_view, render_form
from app.parks.models import CycleStatus, Park
from app.parks.services import active_cycle
from app.plans import goals
from app.plans.forms import GoalForm, MeasurementForm
from app.plans.models import Direction, Goal, GoalMeasurement, GoalSource, Theme

bp = Blueprint("goals", __name__, url_prefix="/parken/<int:park_id>/doelen")


def _actor() -> User:
    return current_user._get_current_object()


def load_park(park_id: int) -> Park:
    return load_or_404(Park, park_id)


@dataclass(frozen=True)
class GoalRef:
    """A goal of the park's active cycle, with the park the policy checks."""

    park: Park
    goal: Goal


@dataclass(frozen=True)
class MeasurementRef:
    park: Park
    measurement: GoalMeasurement


def load_goal(park_id: int, goal_id: int) -> GoalRef:
    """A goal of the park's active cycle; any other (another park's, a closed cycle's) is a 404."""
    park = load_or_404(Park, park_id)
    goal = load_or_404(Goal, goal_id)
    if goal.cycle.park_id != park.id or goal.cycle.status != CycleStatus.ACTIVE:
        abort(404)
    return GoalRef(park, goal)


def load_measurement(park_id: int, measurement_id: int) -> MeasurementRef:
    park = load_or_404(Park, park_id)
    measurement = load_or_404(GoalMeasurement, measurement_id)
    cycle = measurement.goal.cycle
    if cycle.park_id != park.id or cycle.status != CycleStatus.ACTIVE:
        abort(404)
    return MeasurementRef(park, measurement)


@bp.route("/")
@requires("plans.view", load=load_park)
def index(park: Park):
    cycle = active_cycle(park)
    themes = [(theme, [goals.goal_row(g) for g in items]) for theme, items in goals.goals_by_theme(cycle)]
    return render_template(
        "plans/goals/index.html",
        park=park,
        cycle=cycle,
        themes=themes,
        missing=[theme for theme, rows in themes if not any(r.goal.baseline is not None for r in rows)],
        can_edit=can(_actor(), "goals.edit", park),
    )


@bp.route("/verversen", methods=["POST"])
@requires("goals.edit", load=load_park)
def refresh(park: Park):
    changed = goals.refresh_cycle(_actor(), active_cycle(park), today=local_today())
    db.session.commit()
    if changed:
        flash(
            ngettext("%(num)s doel heeft een nieuwe meting.", "%(num)s doelen hebben een nieuwe meting.", changed),
            "success",
        )
    else:
        flash(_("De bronnen hebben geen nieuwe waarden."), "info")
    return redirect(url_for("goals.index", park_id=park.id))


# Creating and editing --------------------------------------------------------------------------------------


def _goal_form(park: Park, goal: Goal | None = None, formdata=None) -> GoalForm:
    form = GoalForm(formdata=formdata, prefix="goal")
    if formdata is None:
        if goal is not None:
            form.theme.data, form.title.data, form.indicator.data = goal.theme.value, goal.title, goal.indicator
            form.source.data, form.source_ref.data = goal.source.value, goal.source_ref
            form.unit.data, form.direction.data = goal.unit, goal.direction.value
            form.baseline.data, form.baseline_note.data = goal.baseline, goal.baseline_note
            form.target.data, form.deadline.data = goal.target, goal.deadline
        else:
            theme = request.args.get("thema", "")
            form.theme.data = theme if theme in {t.value for t in Theme} else Theme.SCHOON.value
            form.deadline.data = active_cycle(park).ends_on
    return form


def _form_page(park: Park, form: GoalForm, goal: Goal | None):
    cycle = active_cycle(park)
    return render_form(
        "plans/goals/form.html",
        form,
        park=park,
        goal=goal,
        survey_choices=goals.survey_choices(cycle),
        figure_choices=goals.figure_choices(),
    )


def _values(form: GoalForm) -> dict:
    return {
        "theme": Theme(form.theme.data),
        "title": form.title.data,
        "indicator": form.indicator.data,
        "source": GoalSource(form.source.data),
        "source_ref": form.source_ref.data or "",
        "unit": form.unit.data or "",
        "direction": Direction(form.direction.data),
        "target": form.target.data,
        "deadline": form.deadline.data,
        "baseline": form.baseline.data,
        "baseline_note": form.baseline_note.data or "",
        "today": local_today(),
    }


def _save(form: Form, call) -> Outcome:
    """Run the service and commit; a refusal goes beside the field it is about (else above the form)."""
    try:
        value = call()
    except DomainError as error:
        db.session.rollback()
        field = getattr(form, error.field, None) if isinstance(error, goals.FieldError) else None
        (field.errors if field is not None else form.form_errors).append(error.message)
        return Outcome(ok=False)
    db.session.commit()
    return Outcome(ok=True, value=value)


@bp.route("/nieuw", methods=["GET", "POST"])
@requires("goals.edit", load=load_park)
@form_view
def new(park: Park):
    form = _goal_form(park, formdata=request.form if request.method == "POST" else None)
    if not form.validate_on_submit():
        return _form_page(park, form, None)
    saved = _save(form, lambda: goals.create_goal(_actor(), active_cycle(park), **_values(form)))
    if saved.ok:
        goal = saved.value
        flash(_("Het doel %(title)s is opgeslagen.", title=goal.title), "success")
        if goal.baseline is None and goal.source != GoalSource.MANUAL:
            flash(_("De bron heeft nog geen waarde voor de nulmeting. Vul die later in of haal haar op."), "info")
        return redirect(url_for("goals.detail", park_id=park.id, goal_id=goal.id))
    return _form_page(park, form, None)


@bp.route("/<int:goal_id>/bewerken", methods=["GET", "POST"])
@requires("goals.edit", load=load_goal)
@form_view
def edit(ref: GoalRef):
    form = _goal_form(ref.park, ref.goal, request.form if request.method == "POST" else None)
    if form.validate_on_submit() and _save(form, lambda: goals.update_goal(_actor(), ref.goal, **_values(form))).ok:
        flash(_("Het doel %(title)s is opgeslagen.", title=ref.goal.title), "success")
        return redirect(url_for("goals.detail", park_id=ref.park.id, goal_id=ref.goal.id))
    return _form_page(ref.park, form, ref.goal)


# One goal --------------------------------------------------------------------------------------------------


def _measurement_form(formdata=None) -> MeasurementForm:
    form = MeasurementForm(formdata=formdata, prefix="measurement")
    if formdata is None:
        form.measured_on.data = local_today()
    return form


def _detail_page(ref: GoalRef, submitted: Form | None = None, measurement_form: MeasurementForm | None = None):
    can_edit = can(_actor(), "goals.edit", ref.park)
    context = {
        "park": ref.park,
        "goal": ref.goal,
        "row": goals.goal_row(ref.goal),
        "can_edit": can_edit,
        "measurements": sorted(ref.goal.measurements, key=lambda m: (m.measured_on, m.id), reverse=True),
        "value_text": goals.value_text,
    }
    if can_edit:
        context["measurement_form"] = measurement_form or _measurement_form()
    if submitted is None:
        return render_template("plans/goals/detail.html", **context)
    return render_form("plans/goals/detail.html", submitted, **context)


@bp.route("/<int:goal_id>")
@requires("plans.view", load=load_goal)
def detail(ref: GoalRef):
    return _detail_page(ref)


@bp.route("/<int:goal_id>/meting", methods=["POST"])
@requires("goals.edit", load=load_goal)
@form_view
def measure(ref: GoalRef):
    form = _measurement_form(request.form)
    if form.validate_on_submit():
        recorded = _save(
            form,
            lambda: goals.record_measurement(
                _actor(), ref.goal, form.value.data, form.measured_on.data, form.note.data or "", today=local_today()
            ),
        )
        if recorded.ok:
            flash(_("De meting is vastgelegd."), "success")
            return redirect(url_for("goals.detail", park_id=ref.park.id, goal_id=ref.goal.id))
    return _detail_page(ref, form, form)


@bp.route("/<int:goal_id>/nulmeting", methods=["POST"])
@requires("goals.edit", load=load_goal)
def refresh_baseline(ref: GoalRef):
    try:
        reading = goals.refresh_baseline(_actor(), ref.goal, today=local_today())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(
            _(
                "De nulmeting is %(value)s (%(note)s).",
                value=goals.value_text(reading.value, ref.goal.unit),
                note=reading.note,
            ),
            "success",
        )
    return redirect(url_for("goals.detail", park_id=ref.park.id, goal_id=ref.goal.id))


@bp.route("/<int:goal_id>/verwijderen", methods=["POST"])
@requires("goals.edit", load=load_goal)
def delete(ref: GoalRef):
    title = ref.goal.title
    goals.delete_goal(_actor(), ref.goal)
    db.session.commit()
    flash(_("Het doel %(title)s is verwijderd.", title=title), "success")
    return redirect(url_for("goals.index", park_id=ref.park.id))


@bp.route("/metingen/<int:measurement_id>/verwijderen", methods=["POST"])
@requires("goals.edit", load=load_measurement)
def delete_measurement(ref: MeasurementRef):
    goal = ref.measurement.goal
    goals.delete_measurement(_actor(), ref.measurement)
    db.session.commit()
    flash(_("De meting is verwijderd."), "success")
    return redirect(url_for("goals.detail", park_id=ref.park.id, goal_id=goal.id))
