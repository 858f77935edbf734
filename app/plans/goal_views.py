"""The cycle's goals per theme with baseline, target and latest value (step 4)."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.auth.decorators import load_or_404, requires
from app.parks.models import Park

bp = Blueprint("goals", __name__, url_prefix="/parken/<int:park_id>/doelen")


def load_park(park_id: int) -> Park:
    return load_or_404(Park, park_id)


@bp.route("/")
@requires("plans.view", load=load_park)
def index(park: Park):
    return render_template("plans/goals/index.html", park=park)
