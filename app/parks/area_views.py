"""The park's area on the map: draw, edit or upload the boundary (step 1)."""

from flask import Blueprint

bp = Blueprint("area", __name__, url_prefix="/parken/<int:park_id>/gebied")
