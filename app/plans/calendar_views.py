"""The communication and activity calendar of a park's cycle and its iCal feed."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.auth.decorators import load_or_404, requires
from app.parks.models import Park

bp = Blueprint("calendar", __name__, url_prefix="/parken/<int:park_id>/kalender")


def load_park(park_id: int) -> Park:
    return load_or_404(Park, park_id)


@bp.route("/")
@requires("plans.view", load=load_park)
def index(park: Park):
    return render_template("plans/calendar/index.html", park=park)
