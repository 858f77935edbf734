"""A park's history of cycles with each closed cycle's read-only page, the re-calibration (herijking) that closes
one cycle and opens the next, and an admin's undo of it."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import DataRequired

from app.auth.current import current_actor
from app.auth.decorators import MAX_ID, requires
from app.clock import local_today
from app.forms import Form, form_view, render_form, submit
from app.meetings.services import state_label
from app.parks import recalibration
from app.parks.loading import InPark, load_park
from app.parks.models import Cycle, CycleStatus, Park
from app.parks.steps import STEP_NAMES

bp = Blueprint("history", __name__, url_prefix="/parken/<int:park_id>")


class RecalibrateForm(Form):
    confirm = BooleanField(
        _l("Ik heb gelezen wat er gebeurt en wil de herijking nu uitvoeren"),
        validators=[DataRequired(_l("Vink aan dat u de herijking wilt uitvoeren."))],
    )


class UndoRecalibrationForm(Form):
    confirm = BooleanField(
        _l("Ik wil de nieuwe cyclus verwijderen en de vorige cyclus weer actief maken"),
        validators=[DataRequired(_l("Vink aan dat u de herijking ongedaan wilt maken."))],
    )


def _now() -> datetime:
    return datetime.now(UTC)


def load_cycle(park_id: int, number: int) -> InPark[Cycle]:
    """The park and its cycle with this number; another number is a 404."""
    park = load_park(park_id)
    # a number beyond the column's range is a 404 too, not a database error
    cycle = recalibration.cycle_by_number(park, number) if 0 < number <= MAX_ID else None
    if cycle is None:
        abort(404)
    return InPark(park, cycle)


@bp.route("/geschiedenis")
@requires("park.view", load=load_park)
def index(park: Park):
    now = _now()
    return render_template(
        "parks/history.html",
        park=park,
        rows=recalibration.history(park),
        step_names={n: str(name) for n, name in STEP_NAMES.items()},
        undo_refusal=recalibration.undo_refusal(park, now=now),
    )


@bp.route("/geschiedenis/cyclus-<int:number>")
@requires("park.view", load=load_cycle)
def cycle(loaded: InPark[Cycle]):
    park, cycle = loaded.park, loaded.obj
    if cycle.status == CycleStatus.ACTIVE:
        # the active cycle is the park page itself
        return redirect(url_for("parks.detail", park_id=park.id))
    now = _now()
    record = recalibration.cycle_record(cycle)
    return render_template(
        "parks/cycle.html",
        park=park,
        cycle=cycle,
        record=record,
        step_names={n: str(name) for n, name in STEP_NAMES.items()},
        meeting_states={m.id: state_label(m, now=now) for m in record.meetings},
    )


@bp.route("/herijking", methods=["GET", "POST"])
@requires("cycles.recalibrate", load=load_park)
@form_view
def recalibrate(park: Park):
    form = RecalibrateForm()
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: recalibration.recalibrate(current_actor(), park, today=local_today(), now=_now()),
        )
        if done.ok:
            flash(
                _(
                    "De herijking is uitgevoerd: cyclus %(old)s is afgesloten en cyclus %(new)s is begonnen.",
                    old=done.value.number - 1,
                    new=done.value.number,
                ),
                "success",
            )
            return redirect(url_for("parks.detail", park_id=park.id))
    preview = recalibration.preview(park, now=_now())
    today = local_today()
    return render_form(
        "parks/recalibrate.html",
        form,
        park=park,
        preview=preview,
        today=today,
        deadlines=[
            recalibration.deadline_text(d, today=today) for d in recalibration.deadlines(preview.cycle, today=today)
        ],
    )


@bp.route("/herijking/ongedaan-maken", methods=["GET", "POST"])
@requires("cycles.recalibration_undo", load=load_park)
@form_view
def undo(park: Park):
    form = UndoRecalibrationForm()
    if form.validate_on_submit():
        done = submit(form, lambda: recalibration.undo_recalibration(current_actor(), park, now=_now()))
        if done.ok:
            flash(
                _("De herijking is ongedaan gemaakt: cyclus %(n)s is weer actief.", n=done.value.number),
                "success",
            )
            return redirect(url_for("parks.detail", park_id=park.id))
    return render_form(
        "parks/undo_recalibration.html",
        form,
        park=park,
        cycle=recalibration.active_cycle(park),
        refusal=recalibration.undo_refusal(park, now=_now()),
    )
