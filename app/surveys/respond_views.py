"""The respondent's pages: the questionnaire behind a personal or public link, no account needed."""

from flask import Blueprint

bp = Blueprint("respond", __name__, url_prefix="/enquete")
