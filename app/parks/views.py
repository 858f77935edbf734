from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app.auth.decorators import load_or_404, requires
from app.clock import local_today
from app.extensions import db
from app.parks.models import Park
from app.parks.queries import park_members, parks_visible_to

bp = Blueprint("parks", __name__, url_prefix="/parken")


def load_park(park_id: int) -> Park:
    return load_or_404(Park, park_id)


@bp.route("/")
@login_required
def index():
    parks = db.session.scalars(parks_visible_to(current_user, today=local_today())).all()
    return render_template("parks/index.html", parks=parks)


@bp.route("/<int:park_id>")
@requires("park.view", load=load_park)
def detail(park: Park):
    members = db.session.scalars(park_members(park, today=local_today())).all()
    return render_template("parks/detail.html", park=park, members=members)
