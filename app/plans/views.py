"""The two-year action plan: actions, the stakeholder x quarter matrix, adoption and the PDF (step 6)."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.auth.decorators import load_or_404, requires
from app.parks.models import Park

bp = Blueprint("plans", __name__, url_prefix="/parken/<int:park_id>/plan")


def load_park(park_id: int) -> Park:
    return load_or_404(Park, park_id)


@bp.route("/")
@requires("plans.view", load=load_park)
def index(park: Park):
    return render_template("plans/index.html", park=park)
