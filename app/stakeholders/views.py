"""The stakeholders of a park's active cycle and their declaration of intent (step 2)."""

from flask import Blueprint

bp = Blueprint("stakeholders", __name__, url_prefix="/parken/<int:park_id>/deelnemers")
