from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import login_required

from app.audit.forms import AuditFilterForm
from app.audit.queries import audit_events
from app.auth.current import current_actor
from app.auth.policy import can
from app.clock import local_today
from app.extensions import db
from app.forms import choices
from app.pages import page_number
from app.parks.queries import parks_visible_to

bp = Blueprint("audit", __name__, url_prefix="/audit")
PER_PAGE = 50


@bp.route("/")
@login_required
def index():
    user = current_actor()
    parks = [p for p in db.session.scalars(parks_visible_to(user, today=local_today())) if can(user, "audit.view", p)]
    if not user.is_admin and not parks:
        abort(403)
    form = AuditFilterForm(request.args, meta={"csrf": False})
    form.park.choices = choices([(0, "—"), *((p.id, p.name) for p in parks)])
    form.validate()  # invalid filters are shown as errors and left out of the query
    park_id = form.park.data if not form.park.errors and form.park.data else None
    query = audit_events(
        park_ids=None if user.is_admin else [p.id for p in parks],
        park_id=park_id,
        actor_email=form.user.data.strip().lower() if form.user.data and not form.user.errors else None,
        date_from=form.date_from.data if not form.date_from.errors else None,
        date_to=form.date_to.data if not form.date_to.errors else None,
    )
    page = db.paginate(query, page=page_number(), per_page=PER_PAGE, error_out=False)
    return render_template("audit/index.html", form=form, page=page, parks={p.id: p for p in parks})
