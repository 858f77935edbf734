from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from app.auth.current import current_actor
from app.auth.services import update_profile
from app.clock import local_today
from app.extensions import db
from app.main.queries import home_sections
from app.pages import safe_next_url

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    return render_template("main/home.html", sections=home_sections(current_user, today=local_today()))


@bp.route("/taal", methods=["POST"])
def set_language():
    lang = request.form.get("lang", "")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = lang
    if current_user.is_authenticated and current_user.locale != lang:
        update_profile(current_actor(), name=current_user.name, locale=lang)
        db.session.commit()
    return redirect(safe_next_url(request.form.get("next")) or url_for("main.home"))
