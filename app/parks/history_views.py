"""A park's history of cycles, and the re-calibration (herijking) that closes one cycle and opens the next."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.auth.current import current_actor
from app.auth.decorators import requires
from app.clock import local_today
from app.forms import Form, form_view, render_form, submit
from app.parks import recalibration
from app.parks.loading import load_park
from app.parks.models import Park
from app.parks.steps import STEP_NAMES

bp = Blueprint("history", __name__, url_prefix="/parken/<int:park_id>")


class RecalibrateForm(Form):
    """Only the CSRF token: the button confirms."""


@bp.route("/geschiedenis")
@requires("park.view", load=load_park)
def index(park: Park):
    return render_template(
        "parks/history.html",
        park=park,
        rows=recalibration.history(park),
        step_names={n: str(name) for n, name in STEP_NAMES.items()},
    )


@bp.route("/herijking", methods=["GET", "POST"])
@requires("cycles.recalibrate", load=load_park)
@form_view
def recalibrate(park: Park):
    form = RecalibrateForm()
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: recalibration.recalibrate(current_actor(), park, today=local_today(), now=datetime.now(UTC)),
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
    return render_form(
        "parks/recalibrate.html", form, park=park, preview=recalibration.preview(park), today=local_today()
    )
