"""The company register of a park: list, edit, import (with preview) and export."""

from flask import Blueprint

bp = Blueprint("companies", __name__, url_prefix="/parken/<int:park_id>/bedrijven")
