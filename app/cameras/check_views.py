"""Quality checks of a park's camera network: planned per network, done on site (on a phone)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app import images
from app.auth.current import current_actor
from app.auth.decorators import requires
from app.auth.policy import can
from app.cameras import checks, findings
from app.cameras.check_forms import check_form
from app.cameras.models import CheckScore, QualityCheck
from app.clock import local_today
from app.errors import DomainError
from app.forms import form_view, render_form, submit
from app.parks.loading import InPark, load_in_park, load_park
from app.parks.models import Park
from app.uploads import send_stored

bp = Blueprint("camera_checks", __name__, url_prefix="/parken/<int:park_id>/cameras/controles")


def load_check(park_id: int, check_id: int) -> InPark[QualityCheck]:
    """A check of the park's network; another park's is a 404."""
    return load_in_park(QualityCheck, park_id, check_id, lambda check, park: check.network.park_id == park.id)


@bp.route("/")
@requires("cameras.view", load=load_park)
def index(park: Park):
    network = checks.network_of(park)
    today = local_today()
    due_on = status = None
    done = []
    queued = []
    if network is not None:
        planned = checks.planned_check(network)
        due_on = planned.due_on if planned else checks.next_due(network, today=today)
        status = checks.due_status(due_on, today=today)
        done = checks.done_checks(network)
        queued = findings.queued_findings(network)
    return render_template(
        "cameras/checks/index.html",
        park=park,
        network=network,
        due_on=due_on,
        status=status,
        done=[(check, *findings.plan_counts(check)) for check in done],
        queued=[(score, checks.shown_label(score.check, score.criterion)) for score in queued],
        can_check=can(current_user, "cameras.checks", park),
    )


def load_score(park_id: int, score_id: int) -> InPark[CheckScore]:
    return load_in_park(CheckScore, park_id, score_id, lambda score, park: score.check.network.park_id == park.id)


@bp.route("/uitvoeren", methods=["GET", "POST"])
@requires("cameras.checks", load=load_park)
@form_view
def perform(park: Park):
    network = checks.network_of(park)
    if network is None and request.method != "POST":
        abort(404)
    planned = checks.planned_check(network) if network else None
    stored = planned.criteria if planned else checks.template_for(network) if network else checks.template_for(None)
    criteria = [{"key": c["key"], "label": checks.criterion_label(c["key"], c["label"])} for c in stored]
    # a photo per criterion: more than the app-wide request limit, which is set for one file
    request.max_content_length = len(criteria) * current_app.config["PHOTO_MAX_BYTES"] + 1024 * 1024
    form = check_form(criteria)
    if form.validate_on_submit():
        today = local_today()

        def call() -> tuple[QualityCheck, list[str]]:
            if network is None:
                raise DomainError(_("Dit park heeft geen cameranetwerk."))
            check = checks.record_check(
                current_actor(),
                checks.open_check(network, today=today),
                form.scores(),
                remarks=form.remarks.data or "",
                photos=form.photos(),
                today=today,
            )
            return check, checks.stored_photos(check)

        done = submit(form, call, undo=lambda value: checks.remove_photos(value[1]))
        if done.ok:
            queued, made = findings.plan_counts(done.value[0])
            flash(_("De controle is opgeslagen."), "success")
            if made:
                flash(
                    ngettext(
                        "%(num)s grote afwijking is een actie in het uitvoeringsplan geworden.",
                        "%(num)s grote afwijkingen zijn acties in het uitvoeringsplan geworden.",
                        made,
                    ),
                    "success",
                )
            if queued:
                flash(_queued_message(queued), "warning")
            return redirect(url_for(".detail", park_id=park.id, check_id=done.value[0].id))
    due_on = planned.due_on if planned else checks.next_due(network, today=local_today()) if network else None
    has_plan = findings.park_plan(park) is not None
    return render_form("cameras/checks/form.html", form, park=park, network=network, due_on=due_on, has_plan=has_plan)


def _queued_message(count: int) -> str:
    return ngettext(
        "%(num)s grote afwijking wacht op het actieplan: dit park heeft nog geen uitvoeringsplan. Zodra het plan er "
        "is, wordt zij een actie.",
        "%(num)s grote afwijkingen wachten op het actieplan: dit park heeft nog geen uitvoeringsplan. Zodra het plan "
        "er is, worden zij acties.",
        count,
    )


@bp.route("/<int:check_id>")
@requires("cameras.view", load=load_check)
def detail(loaded: InPark[QualityCheck]):
    check = loaded.obj
    scores = {score.criterion: score for score in check.scores}
    rows = [(criterion, scores.get(criterion["key"])) for criterion in checks.criteria_shown(check)]
    return render_template("cameras/checks/detail.html", park=loaded.park, check=check, rows=rows)


@bp.route("/fotos/<int:score_id>")
@requires("cameras.view", load=load_score)
def photo(loaded: InPark[CheckScore]):
    score = loaded.obj
    return send_stored(
        checks.photo(score),
        mimetype=images.CONTENT_TYPE,
        download_name=f"controle-{score.check_id}-{score.criterion}.{images.SUFFIX}",
        as_attachment=False,
    )
