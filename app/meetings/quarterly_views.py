"""The quarterly progress report of the continuation (step 8): choose a quarter of the plan, download its PDF."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import Optional

from app.auth.decorators import requires
from app.clock import local_today
from app.forms import Form, choices
from app.meetings.progress import current_number, progress_document, progress_pdf, quarter_label
from app.pages import file_slug
from app.parks.loading import InPark, load_park
from app.parks.models import Park
from app.parks.services import active_cycle
from app.plans import quarters
from app.plans.models import Plan
from app.plans.services import find_plan

bp = Blueprint("quarterly", __name__, url_prefix="/parken/<int:park_id>/voortgangsrapport")


class QuarterForm(Form):
    kwartaal = SelectField(_l("Kwartaal"), coerce=int, choices=[], validators=[Optional()])


def _plan(park: Park) -> Plan | None:
    return find_plan(active_cycle(park))


def load_quarter(park_id: int, number: int) -> InPark[int]:
    """The park and a quarter of its plan (1-8); any other number is a 404."""
    park = load_park(park_id)
    if not 1 <= number <= quarters.QUARTERS:
        abort(404)
    return InPark(park, number)


@bp.route("/")
@requires("plans.view", load=load_park)
def index(park: Park):
    plan = _plan(park)
    if plan is None:
        return render_template("meetings/quarterly/index.html", park=park, plan=None)
    today = local_today()
    form = QuarterForm(request.args, meta={"csrf": False})
    form.kwartaal.choices = choices((n, quarter_label(plan, n)) for n in range(1, quarters.QUARTERS + 1))
    current = current_number(plan, today=today)
    number = form.kwartaal.data if form.validate() and form.kwartaal.data else current
    form.kwartaal.data = number
    return render_template(
        "meetings/quarterly/index.html",
        park=park,
        plan=plan,
        form=form,
        current=current,
        data=progress_document(plan, number, today=today),
    )


@bp.route("/kwartaal-<int:number>.pdf")
@requires("plans.view", load=load_quarter)
def pdf(ref: InPark[int]):
    plan = _plan(ref.park)
    if plan is None:
        abort(404)
    data = progress_pdf(plan, ref.obj, today=local_today())
    return send_file(
        BytesIO(data),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"voortgangsrapport-{file_slug(ref.park.name)}-kwartaal-{ref.obj}.pdf",
    )
