"""The survey's response rate, results, report and export."""

from flask import Blueprint

bp = Blueprint("survey_results", __name__, url_prefix="/parken/<int:park_id>/enquete/resultaten")
