"""Partner figures per park, source and period: entry, import with preview, and the yearly view (step 3)."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.auth.decorators import load_or_404, requires
from app.parks.models import Park

bp = Blueprint("figures", __name__, url_prefix="/parken/<int:park_id>/cijfers")


def load_park(park_id: int) -> Park:
    return load_or_404(Park, park_id)


@bp.route("/")
@requires("inventory.view", load=load_park)
def index(park: Park):
    return render_template("inventory/figures/index.html", park=park)
