"""The audit dossier page of a park and the ZIP download."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from app.auth.current import current_actor
from app.auth.decorators import requires
from app.clock import local_day
from app.dossier import services
from app.extensions import db
from app.forms import Form, choices
from app.pages import file_slug
from app.parks.loading import load_park
from app.parks.models import Cycle, Park

bp = Blueprint("dossier", __name__, url_prefix="/parken/<int:park_id>/dossier")


class CycleForm(Form):
    cyclus = SelectField(_l("Cyclus"), coerce=int, choices=[])


def _cycle(park: Park) -> Cycle:
    """The cycle the `cyclus` query argument names (its number), else the active one; a 404 for another number."""
    number = request.args.get("cyclus", type=int)
    cycle = services.cycle_of(park, number)
    if cycle is None:
        abort(404)
    return cycle


def _now() -> datetime:
    return datetime.now(UTC)


@bp.route("/")
@requires("dossier.view", load=load_park)
def index(park: Park):
    cycle = _cycle(park)
    form = CycleForm(meta={"csrf": False})
    form.cyclus.choices = choices(
        (c.number, _("Cyclus %(n)s (%(status)s)", n=c.number, status=c.status.label)) for c in services.cycles_of(park)
    )
    form.cyclus.data = cycle.number
    today = local_day(_now())
    return render_template(
        "dossier/index.html", park=park, cycle=cycle, form=form, parts=services.parts(cycle, today=today)
    )


@bp.route("/download")
@requires("dossier.view", load=load_park)
def download(park: Park):
    cycle = _cycle(park)
    now = _now()
    data = services.dossier_zip(current_actor(), cycle, now=now)
    db.session.commit()
    today = local_day(now)
    return send_file(
        BytesIO(data),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"auditdossier-{file_slug(park.name)}-cyclus-{cycle.number}-{today.isoformat()}.zip",
    )
