"""City-wide camera pages: the half-yearly overview of the networks' evaluations for the council report."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from wtforms import SelectField
from wtforms.validators import Optional

from app.auth.current import current_actor
from app.auth.models import User
from app.cameras import overview
from app.clock import local_today
from app.errors import NotAllowed
from app.forms import Form, choices

bp = Blueprint("camera_overview", __name__, url_prefix="/cameras")


class OverviewFilterForm(Form):
    gemeente = SelectField(_l("Gemeente"), coerce=int, choices=[], validators=[Optional()])


def _overseer() -> User:
    user = current_actor()
    if not overview.oversees(user, today=local_today()):
        raise NotAllowed(_("U heeft geen rechten voor deze pagina."))
    return user


def _load(user: User) -> tuple[OverviewFilterForm, overview.Overview, int | None]:
    today = local_today()
    form = OverviewFilterForm(request.args, meta={"csrf": False})
    options = overview.municipalities(user, today=today)
    form.gemeente.choices = choices([(0, _("Alle gemeenten")), *((m.id, m.name) for m in options)])
    form.validate()
    municipality_id = (form.gemeente.data or None) if not form.gemeente.errors else None
    return form, overview.camera_overview(user, today=today, municipality_id=municipality_id), municipality_id


@bp.route("/")
@login_required
def index():
    form, data, municipality_id = _load(_overseer())
    return render_template(
        "cameras/overview/index.html",
        form=form,
        overview=data,
        export_args={"gemeente": municipality_id} if municipality_id else {},
    )


@bp.route("/export.csv")
@login_required
def export():
    _form, data, _municipality_id = _load(_overseer())
    response = Response(overview.overview_csv(data), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="cameratoezicht-{local_today().isoformat()}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response
