"""The public camera register (no login): per park that cameras are in use, who is responsible, the purpose,
the retention and whom to ask; never camera positions or other non-public detail."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.cameras.networks import public_register

bp = Blueprint("camera_register", __name__, url_prefix="/cameraregister")


@bp.route("/")
def index():
    return render_template("cameras/public/index.html", entries=public_register())
