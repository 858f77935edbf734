"""The advisor's survey pages: questionnaire, invitations and letters, response rate, results and report."""

from flask import Blueprint

bp = Blueprint("surveys", __name__, url_prefix="/parken/<int:park_id>/enquete")
