"""The cycle's goals per theme with baseline, target and latest value (step 4)."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from app.auth.current import current_actor
from app.auth.decorators import requires
from app.auth.policy import can
from app.clock import local_today
from app.errors import DomainError
from app.extensions import db
from app.forms import Confirm, Form, Outcome, button_action, form_view, render_form, render_page, run_and_commit
from app.goals import services as goals
from app.goals.forms import GoalForm, MeasurementForm
from app.parks.loading import InPark, load_in_cycle, load_park
from app.parks.models import Park
from app.parks.services import active_cycle
from app.plans.models import Direction, Goal, GoalMeasurement, GoalSource, Theme

bp = Blueprint("goals", __name__, url_prefix="/parken/<int:park_id>/doelen")


def load_goal(park_id: int, goal_id: int) -> InPark[Goal]:
    """A goal of the park's active cycle; any other (another park's, a closed cycle's) is a 404."""
    return load_in_cycle(Goal, park_id, goal_id, lambda goal: goal.cycle)


def load_measurement(park_id: int, measurement_id: int) -> InPark[GoalMeasurement]:
    return load_in_cycle(GoalMeasurement, park_id, measurement_id, lambda measurement: measurement.goal.cycle)


@bp.route("/")
@requires("plans.view", load=load_park)
def index(park: Park):
    cycle = active_cycle(park)
    themes = [(theme, [goals.goal_row(g) for g in items]) for theme, items in goals.goals_by_theme(cycle)]
    choices = goals.survey_choices(cycle)
    return render_template(
        "goals/index.html",
        park=park,
        cycle=cycle,
        themes=themes,
        missing=[theme for theme, rows in themes if not any(r.goal.baseline is not None for r in rows)],
        source_names={row.goal.id: goals.source_name(row.goal, choices) for _theme, rows in themes for row in rows},
        can_edit=can(current_actor(), "goals.edit", park),
    )


@bp.route("/verversen", methods=["POST"])
@requires("goals.edit", load=load_park)
def refresh(park: Park):
    changed = goals.refresh_cycle(current_actor(), active_cycle(park), today=local_today())
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
            form.source_ref.data = goals.choice_value(goal.source, goal.source_ref)
            form.unit.data, form.direction.data = goal.unit, goal.direction.value
            form.baseline.data, form.baseline_note.data = goal.baseline, goal.baseline_note
            form.target.data, form.deadline.data = goal.target, goal.deadline
        else:
            theme = request.args.get("thema", "")
            form.theme.data = theme if theme in {t.value for t in Theme} else Theme.SCHOON.value
            form.deadline.data = active_cycle(park).ends_on
            form.source_ref.data = goals.choice_value(GoalSource.MANUAL, "")
    groups = goals.indicator_groups(active_cycle(park), today=local_today(), current=form.source_ref.data or "")
    form.source_ref.choices = {group.label: [(o.value, o.label) for o in group.options] for group in groups}
    return form


def _fields(form: GoalForm) -> goals.GoalFields:
    source, ref = goals.parse_choice(form.source_ref.data)
    return goals.GoalFields(
        theme=Theme(form.theme.data),
        title=form.title.data,
        indicator=form.indicator.data,
        source=source,
        source_ref=ref,
        unit=form.unit.data or "",
        direction=Direction(form.direction.data),
        target=form.target.data,
        deadline=form.deadline.data,
        baseline=form.baseline.data,
        baseline_note=form.baseline_note.data or "",
    )


def _save(form: Form, call) -> Outcome:
    """Run the service and commit; a refusal goes beside the field it is about (else above the form)."""

    def refused(error: DomainError) -> None:
        field = getattr(form, error.field, None) if isinstance(error, goals.FieldError) else None
        (field.errors if field is not None else form.form_errors).append(error.message)

    return run_and_commit(call, refused)


def _goal_page(park: Park, goal: Goal | None):
    """The form of a new goal (goal None) or of one of the cycle's goals; a valid post saves it and shows the goal."""
    form = _goal_form(park, goal, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        if goal is None:
            save = partial(goals.create_goal, current_actor(), active_cycle(park))
        else:
            save = partial(goals.update_goal, current_actor(), goal)
        saved = _save(form, lambda: save(_fields(form), today=local_today()))
        if saved.ok:
            flash(_("Het doel %(title)s is opgeslagen.", title=saved.value.title), "success")
            if goal is None and saved.value.baseline is None and saved.value.source != GoalSource.MANUAL:
                flash(_("De bron heeft nog geen waarde voor de nulmeting. Vul die later in of haal haar op."), "info")
            return redirect(url_for("goals.detail", park_id=park.id, goal_id=saved.value.id))
    return render_form("goals/form.html", form, park=park, goal=goal)


@bp.route("/nieuw", methods=["GET", "POST"])
@requires("goals.edit", load=load_park)
@form_view
def new(park: Park):
    return _goal_page(park, None)


@bp.route("/<int:goal_id>/bewerken", methods=["GET", "POST"])
@requires("goals.edit", load=load_goal)
@form_view
def edit(ref: InPark[Goal]):
    return _goal_page(ref.park, ref.obj)


# One goal --------------------------------------------------------------------------------------------------


def _measurement_form(formdata=None) -> MeasurementForm:
    form = MeasurementForm(formdata=formdata, prefix="measurement")
    if formdata is None:
        form.measured_on.data = local_today()
    return form


def _detail_page(ref: InPark[Goal], submitted: Form | None = None, measurement_form: MeasurementForm | None = None):
    can_edit = can(current_actor(), "goals.edit", ref.park)
    context = {
        "park": ref.park,
        "goal": ref.obj,
        "row": goals.goal_row(ref.obj),
        "can_edit": can_edit,
        "measurements": sorted(ref.obj.measurements, key=lambda m: (m.measured_on, m.id), reverse=True),
        "value_text": goals.value_text,
        "source_name": goals.source_name(ref.obj),
    }
    if can_edit:
        context["measurement_form"] = measurement_form or _measurement_form()
    return render_page("goals/detail.html", submitted, **context)


@bp.route("/<int:goal_id>")
@requires("plans.view", load=load_goal)
def detail(ref: InPark[Goal]):
    return _detail_page(ref)


@bp.route("/<int:goal_id>/meting", methods=["POST"])
@requires("goals.edit", load=load_goal)
@form_view
def measure(ref: InPark[Goal]):
    form = _measurement_form(request.form)
    if form.validate_on_submit():
        recorded = _save(
            form,
            lambda: goals.record_measurement(
                current_actor(),
                ref.obj,
                form.value.data,
                form.measured_on.data,
                form.note.data or "",
                today=local_today(),
            ),
        )
        if recorded.ok:
            flash(_("De meting is vastgelegd."), "success")
            return redirect(url_for("goals.detail", park_id=ref.park.id, goal_id=ref.obj.id))
    return _detail_page(ref, form, form)


@bp.route("/<int:goal_id>/nulmeting", methods=["POST"])
@requires("goals.edit", load=load_goal)
def refresh_baseline(ref: InPark[Goal]):
    goal = ref.obj
    return button_action(
        lambda: goals.refresh_baseline(current_actor(), goal, today=local_today()),
        lambda reading: _(
            "De nulmeting is %(value)s (%(note)s).", value=goals.value_text(reading.value, goal.unit), note=reading.note
        ),
        url_for("goals.detail", park_id=ref.park.id, goal_id=goal.id),
    )


@bp.route("/<int:goal_id>/verwijderen", methods=["POST"])
@requires("goals.edit", load=load_goal)
def delete(ref: InPark[Goal]):
    return button_action(
        lambda: goals.delete_goal(current_actor(), ref.obj),
        _("Het doel %(title)s is verwijderd.", title=ref.obj.title),
        url_for("goals.index", park_id=ref.park.id),
        confirm=Confirm(
            _("Het doel %(title)s met al zijn metingen verwijderen?", title=ref.obj.title),
            _("Ja, verwijderen"),
            url_for("goals.detail", park_id=ref.park.id, goal_id=ref.obj.id),
        ),
    )


@bp.route("/metingen/<int:measurement_id>/verwijderen", methods=["POST"])
@requires("goals.edit", load=load_measurement)
def delete_measurement(ref: InPark[GoalMeasurement]):
    return button_action(
        lambda: goals.delete_measurement(current_actor(), ref.obj),
        _("De meting is verwijderd."),
        url_for("goals.detail", park_id=ref.park.id, goal_id=ref.obj.goal_id),
        confirm=Confirm(
            _("De meting van %(date)s verwijderen?", date=format_date(ref.obj.measured_on, "long")),
            _("Ja, verwijderen"),
        ),
    )
