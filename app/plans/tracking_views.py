"""City-wide tracking of the action plans for the municipality: progress, goals and overdue actions per park."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("tracking", __name__, url_prefix="/voortgang")


@bp.route("/")
@login_required
def index():
    return render_template("plans/tracking/index.html")
