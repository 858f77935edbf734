"""The gebiedsscan: each stakeholder's top-3 phenomena on the park (step 3)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.auth.current import current_actor
from app.auth.decorators import requires
from app.auth.policy import may_write_scan
from app.forms import form_view, render_form, submit
from app.inventory import scan
from app.inventory.forms import ScanForm
from app.parks.loading import InPark, load_in_cycle, load_park
from app.parks.models import Park
from app.parks.services import active_cycle
from app.stakeholders.models import Stakeholder

bp = Blueprint("scan", __name__, url_prefix="/parken/<int:park_id>/gebiedsscan")


def load_stakeholder(park_id: int, stakeholder_id: int) -> InPark[Stakeholder]:
    """A stakeholder of the park's active cycle; any other (another park's, a closed cycle's) is a 404."""
    return load_in_cycle(Stakeholder, park_id, stakeholder_id, lambda stakeholder: stakeholder.cycle)


@bp.route("/")
@requires("inventory.view", load=load_park)
def index(park: Park):
    cycle = active_cycle(park)
    scans = scan.overview(cycle)
    counting = [s for s in scans if s.counts]
    return render_template(
        "inventory/scan/index.html",
        park=park,
        cycle=cycle,
        scans=scans,
        editable={s.stakeholder.id for s in scans if may_write_scan(current_actor(), s.stakeholder)},
        complete=sum(1 for s in counting if s.complete),
        counting=len(counting),
    )


@bp.route("/<int:stakeholder_id>", methods=["GET", "POST"])
@requires("scan.edit", load=load_stakeholder)
@form_view
def edit(loaded: InPark[Stakeholder]):
    park, stakeholder = loaded.park, loaded.obj
    if not may_write_scan(current_actor(), stakeholder):
        abort(403)
    form = ScanForm()
    if not form.is_submitted():
        for entry in scan.entries_of(stakeholder):
            getattr(form, f"phenomenon_{entry.rank}").data = entry.phenomenon
            getattr(form, f"explanation_{entry.rank}").data = entry.explanation
    if form.validate_on_submit():
        saved = submit(form, lambda: scan.save_scan(current_actor(), stakeholder, form.rows()))
        if saved.ok:
            flash(
                _("De gebiedsscan van %(name)s is opgeslagen.", name=stakeholder.organisation.name),
                "success",
            )
            return redirect(url_for("scan.index", park_id=park.id, _anchor=f"deelnemer-{stakeholder.id}"))
    return render_form("inventory/scan/edit.html", form, park=park, stakeholder=stakeholder)
