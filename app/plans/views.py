"""The two-year action plan: actions, the stakeholder x quarter matrix, adoption and the PDF (step 6)."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from app.auth.current import current_actor
from app.auth.decorators import requires
from app.auth.models import User
from app.auth.policy import can, may_update_action
from app.clock import local_today
from app.extensions import db
from app.forms import Confirm, Form, button_action, choices, form_view, render_form, render_page, submit
from app.goals.services import goals_of
from app.inventory.models import Finding
from app.pages import file_slug
from app.parks.loading import InPark, load_in_cycle, load_in_park, load_park
from app.parks.models import Park
from app.parks.services import active_cycle
from app.plans import catalogue, exports, quarters, services, versions
from app.plans.forms import (
    ActionForm,
    AdoptForm,
    CatalogueChoiceForm,
    CatalogueItemForm,
    FindingActionForm,
    MoveForm,
    NoteForm,
    StartForm,
    StatusForm,
)
from app.plans.models import ActionStatus, CatalogueItem, Effort, Goal, Plan, PlanAction, PlanVersion, Theme
from app.plans.pdf import plan_pdf
from app.stakeholders.models import PpsRole, Stakeholder

bp = Blueprint("plans", __name__, url_prefix="/parken/<int:park_id>/plan")


def load_action(park_id: int, action_id: int) -> InPark[PlanAction]:
    """An action of the park's active cycle's plan; any other (another park's, a closed cycle's) is a 404."""
    return load_in_cycle(PlanAction, park_id, action_id, lambda action: action.plan.cycle)


def load_version(park_id: int, version_id: int) -> InPark[PlanVersion]:
    return load_in_cycle(PlanVersion, park_id, version_id, lambda version: version.plan.cycle, active=False)


def load_item(park_id: int, item_id: int) -> InPark[CatalogueItem]:
    return load_in_park(CatalogueItem, park_id, item_id, lambda item, park: item.park_id == park.id)


def _plan(park: Park) -> Plan | None:
    return services.find_plan(active_cycle(park))


def _shown_plan(cycle) -> Plan | None:
    """The cycle's plan with its actions' owners and goals loaded, for a page that lists them."""
    plan = services.find_plan(cycle)
    return services.preload(plan) if plan is not None else None


def _plan_or_new(park: Park) -> Plan:
    return services.plan_for(active_cycle(park), today=local_today(), actor=current_actor())


def _quarter_labels(starts_on: date) -> dict[int, str]:
    return {q.number: q.label for q in quarters.quarters(starts_on)}


def _quarter_choices(plan: Plan | None):
    return choices(_quarter_labels(plan.starts_on if plan else quarters.quarter_start(local_today())).items())


# The plan page ---------------------------------------------------------------------------------------------


def _adopt_form(formdata=None) -> AdoptForm:
    form = AdoptForm(formdata=formdata, prefix="adopt")
    if formdata is None:
        form.adopted_on.data = local_today()
    return form


def _start_form(plan: Plan, formdata=None) -> StartForm:
    form = StartForm(formdata=formdata, prefix="start")
    form.starts_on.choices = choices(
        (q.first_day.isoformat(), q.calendar_text) for q in services.start_options(plan, today=local_today())
    )
    if formdata is None:
        form.starts_on.data = plan.starts_on.isoformat()
    return form


def _user_name(user_id: int | None) -> str | None:
    user = db.session.get(User, user_id) if user_id else None
    return user.name if user is not None else None


def _index_page(park: Park, submitted: Form | None = None, **forms: Form):
    actor = current_actor()
    cycle = active_cycle(park)
    plan = _shown_plan(cycle)
    context = {
        "park": park,
        "cycle": cycle,
        "plan": plan,
        "chair": _user_name(cycle.chair_id),
        "secretary": _user_name(cycle.secretary_id),
        "stakeholders": services.ordered_stakeholders(cycle),
        "can_edit": can(actor, "plans.edit", park),
        "can_adopt": can(actor, "plans.adopt", park),
        "tab": "list",
    }
    if plan is not None:
        today = local_today()
        labels = _quarter_labels(plan.starts_on)
        context |= {
            "groups": [
                (labels[q.number], [a for a in plan.actions if a.quarter == q.number])
                for q in quarters.quarters(plan.starts_on)
            ],
            "current_quarter": quarters.number_on(plan.starts_on, today),
            "updatable": {a.id for a in plan.actions if may_update_action(actor, a)},
            "mine": services.actions_of(actor, plan),
            "diff": versions.diff(plan),
            "quarter_text": versions.quarter_text,
            "period": (labels[1], labels[quarters.QUARTERS]),
            "quarter_labels": labels,
        }
        if context["can_edit"]:
            context["start_form"] = forms.get("start_form") or _start_form(plan)
        if context["can_adopt"]:
            context["adopt_form"] = forms.get("adopt_form") or _adopt_form()
    return render_page("plans/index.html", submitted, **context)


@bp.route("/")
@requires("plans.view", load=load_park)
def index(park: Park):
    return _index_page(park)


@bp.route("/matrix")
@requires("plans.view", load=load_park)
def matrix(park: Park):
    return _matrix_page(park)


def _matrix_page(park: Park, submitted: Form | None = None):
    actor = current_actor()
    cycle = active_cycle(park)
    plan = _shown_plan(cycle)
    context = {"park": park, "cycle": cycle, "plan": plan, "tab": "matrix", "can_edit": can(actor, "plans.edit", park)}
    if plan is not None:
        context |= {
            "quarters": quarters.quarters(plan.starts_on),
            "rows": services.matrix(plan),
            "current_quarter": quarters.number_on(plan.starts_on, local_today()),
            "quarter_options": _quarter_choices(plan),
            "owner_options": [(s.id, s.organisation.name) for s in services.ordered_stakeholders(cycle)],
        }
    return render_page("plans/matrix.html", submitted, **context)


@bp.route("/tijdlijn")
@requires("plans.view", load=load_park)
def timeline(park: Park):
    cycle = active_cycle(park)
    plan = _shown_plan(cycle)
    context = {"park": park, "cycle": cycle, "plan": plan, "tab": "timeline"}
    if plan is not None:
        context["quarters"] = services.timeline(plan, today=local_today())
    return render_template("plans/timeline.html", **context)


@bp.route("/begin", methods=["POST"])
@requires("plans.edit", load=load_park)
@form_view
def start(park: Park):
    plan = _plan(park)
    form = _start_form(plan, request.form) if plan is not None else StartForm(prefix="start")
    if form.validate_on_submit() and plan is not None:
        moved = submit(
            form,
            lambda: services.set_start(
                current_actor(), plan, starts_on=date.fromisoformat(form.starts_on.data), today=local_today()
            ),
            field=form.starts_on,
        )
        if moved.ok:
            label = quarters.quarter(plan.starts_on, 1).calendar_text
            flash(_("Het plan begint nu in %(quarter)s.", quarter=label), "success")
            return redirect(url_for("plans.index", park_id=park.id))
    elif plan is None and not form.csrf_failed:
        form.form_errors.append(_("Er is nog geen plan. Voeg eerst acties toe."))
    return _index_page(park, form, start_form=form)


@bp.route("/vaststellen", methods=["POST"])
@requires("plans.adopt", load=load_park)
@form_view
def adopt(park: Park):
    form = _adopt_form(request.form)
    if form.validate_on_submit():
        adopted = submit(
            form,
            lambda: versions.adopt(
                current_actor(),
                _plan_or_new(park),
                meeting=form.meeting.data,
                adopted_on=form.adopted_on.data,
                today=local_today(),
            ),
        )
        if adopted.ok:
            flash(_("Het plan is vastgesteld (versie %(n)s).", n=adopted.value.number), "success")
            return redirect(url_for("plans.index", park_id=park.id))
    return _index_page(park, form, adopt_form=form)


@bp.route("/versies/<int:version_id>")
@requires("plans.view", load=load_version)
def version(ref: InPark[PlanVersion]):
    snapshot = ref.obj.snapshot
    groups: dict[int, list[dict]] = {}
    for entry in snapshot.get("actions", []):
        groups.setdefault(entry.get("quarter", 0), []).append(entry)
    return render_template(
        "plans/version.html",
        park=ref.park,
        version=ref.obj,
        groups=[(versions.quarter_text(entries[0]), entries) for _n, entries in sorted(groups.items())],
        shown=versions.shown,
        status_label=_status_label,
    )


def _status_label(value: str) -> str:
    return ActionStatus(value).label if value in {s.value for s in ActionStatus} else value


@bp.route("/actieplan.pdf")
@requires("plans.view", load=load_park)
def pdf(park: Park):
    plan = _plan(park)
    if plan is None:
        abort(404)
    data = plan_pdf(services.preload(plan), today=local_today())
    return send_file(
        BytesIO(data),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"actieplan-{file_slug(park.name)}.pdf",
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.route("/acties.xlsx")
@requires("plans.view", load=load_park)
def xlsx(park: Park):
    plan = _plan(park)
    if plan is None:
        abort(404)
    data = exports.plan_xlsx(services.preload(plan))
    return send_file(
        BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=f"acties-{file_slug(park.name)}.xlsx"
    )


@bp.route("/actieplan.docx")
@requires("plans.view", load=load_park)
def docx(park: Park):
    plan = _plan(park)
    if plan is None:
        abort(404)
    data = exports.plan_docx(services.preload(plan), today=local_today())
    return send_file(
        BytesIO(data), mimetype=DOCX, as_attachment=True, download_name=f"actieplan-{file_slug(park.name)}.docx"
    )


# Adding actions --------------------------------------------------------------------------------------------


def _catalogue_form(park: Park, plan: Plan | None, formdata=None) -> CatalogueChoiceForm:
    form = CatalogueChoiceForm(formdata=formdata, prefix="cat")
    form.keys.choices = choices((m.key, m.title) for m in catalogue.catalogue_for(park))
    form.quarter.choices = _quarter_choices(plan)
    return form


def _finding_form(plan: Plan | None, findings: list[Finding], formdata=None) -> FindingActionForm:
    form = FindingActionForm(formdata=formdata, prefix="finding")
    form.finding_id.choices = choices((f.id, services.finding_title(f)) for f in findings)
    form.quarter.choices = _quarter_choices(plan)
    return form


def _action_form(park: Park, plan: Plan | None, action: PlanAction | None = None, formdata=None) -> ActionForm:
    cycle = active_cycle(park)
    form = ActionForm(formdata=formdata, prefix="action")
    form.owners.choices = choices((s.id, s.organisation.name) for s in services.ordered_stakeholders(cycle))
    form.goals.choices = choices((g.id, f"{g.theme.label}: {g.title}") for g in goals_of(cycle))
    form.quarter.choices = _quarter_choices(plan)
    if formdata is None and action is not None:
        form.title.data, form.description.data = action.title, action.description
        form.theme.data = action.theme.value if action.theme else ""
        form.owners.data = [o.id for o in action.owners]
        form.goals.data = [g.id for g in action.goals]
        form.quarter.data = action.quarter
    return form


def _add_page(park: Park, submitted: Form | None = None, **forms: Form):
    plan = _plan(park)
    findings = services.open_findings(active_cycle(park))
    measures = catalogue.catalogue_for(park)
    in_plan = {a.catalogue_key for a in plan.actions} if plan is not None else set()
    context = {
        "park": park,
        "plan": plan,
        "themes": [(t, [m for m in measures if m.theme == t]) for t in Theme],
        "in_plan": in_plan,
        "owner_roles": {s.role for s in active_cycle(park).stakeholders},
        "findings": findings,
        "catalogue_form": forms.get("catalogue_form") or _catalogue_form(park, plan),
        "finding_form": forms.get("finding_form") or _finding_form(plan, findings),
        "action_form": forms.get("action_form") or _action_form(park, plan),
    }
    return render_page("plans/add.html", submitted, **context)


@bp.route("/acties/toevoegen")
@requires("plans.edit", load=load_park)
def add(park: Park):
    return _add_page(park)


@bp.route("/acties/catalogus", methods=["POST"])
@requires("plans.edit", load=load_park)
@form_view
def add_from_catalogue(park: Park):
    form = _catalogue_form(park, _plan(park), request.form)
    one = request.form.get("one", "")
    if one:
        # the button beside one measure adds that measure only, whatever else is ticked
        form.keys.data = [one]
    if form.validate_on_submit():
        added = submit(
            form,
            lambda: services.add_from_catalogue(
                current_actor(), _plan_or_new(park), form.keys.data or [], quarter=form.quarter.data
            ),
            field=form.keys,
        )
        if added.ok:
            flash(_("Toegevoegd aan het plan: %(titles)s.", titles=", ".join(a.title for a in added.value)), "success")
            return redirect(url_for("plans.add", park_id=park.id))
    elif not form.keys.data and not form.csrf_failed:
        form.keys.errors = [_("Kies een of meer maatregelen uit de catalogus.")]
    return _add_page(park, form, catalogue_form=form)


@bp.route("/acties/bevinding", methods=["POST"])
@requires("plans.edit", load=load_park)
@form_view
def add_from_finding(park: Park):
    plan = _plan(park)
    findings = services.open_findings(active_cycle(park))
    form = _finding_form(plan, findings, request.form)
    if form.validate_on_submit():
        finding = db.session.get(Finding, form.finding_id.data)
        added = submit(
            form,
            lambda: services.add_from_finding(current_actor(), _plan_or_new(park), finding, quarter=form.quarter.data),
            field=form.finding_id,
        )
        if added.ok:
            flash(_("De bevinding staat als actie in het plan: %(title)s.", title=added.value.title), "success")
            return redirect(url_for("plans.index", park_id=park.id, _anchor=f"actie-{added.value.id}"))
    return _add_page(park, form, finding_form=form)


def _chosen(model, ids: list[int]) -> list:
    return [obj for obj in (db.session.get(model, i) for i in ids or []) if obj is not None]


def _action_values(form: ActionForm) -> dict:
    return {
        "title": form.title.data,
        "description": form.description.data or "",
        "theme": Theme(form.theme.data) if form.theme.data else None,
        "owners": _chosen(Stakeholder, form.owners.data),
        "goals": _chosen(Goal, form.goals.data),
        "quarter": form.quarter.data,
    }


@bp.route("/acties/nieuw", methods=["POST"])
@requires("plans.edit", load=load_park)
@form_view
def add_new(park: Park):
    form = _action_form(park, _plan(park), formdata=request.form)
    if form.validate_on_submit():
        added = submit(form, lambda: services.add_action(current_actor(), _plan_or_new(park), **_action_values(form)))
        if added.ok:
            flash(_("%(title)s staat in het plan.", title=added.value.title), "success")
            return redirect(url_for("plans.index", park_id=park.id, _anchor=f"actie-{added.value.id}"))
    return _add_page(park, form, action_form=form)


# One action ------------------------------------------------------------------------------------------------


def _status_form(action: PlanAction, formdata=None) -> StatusForm:
    form = StatusForm(formdata=formdata, prefix="status")
    form.status.choices = choices((s.value, s.label) for s in ActionStatus if s != action.status)
    return form


def _action_page(ref: InPark[PlanAction], submitted: Form | None = None, **forms: Form):
    action = ref.obj
    actor = current_actor()
    plan = action.plan
    labels = _quarter_labels(plan.starts_on)
    may_update = may_update_action(actor, action)
    context = {
        "park": ref.park,
        "action": action,
        "quarter_label": labels[action.quarter],
        "may_update": may_update,
        "can_edit": can(actor, "plans.edit", ref.park),
        "finding": action.finding,
        "measure": catalogue.find_measure(ref.park, action.catalogue_key),
    }
    if may_update:
        context["status_form"] = forms.get("status_form") or _status_form(action)
        context["note_form"] = forms.get("note_form") or NoteForm(formdata=None, prefix="note")
    return render_page("plans/action.html", submitted, **context)


@bp.route("/acties/<int:action_id>")
@requires("plans.view", load=load_action)
def action(ref: InPark[PlanAction]):
    return _action_page(ref)


def _ensure_may_update(ref: InPark[PlanAction]) -> None:
    """403 before anything is read from the form: a partner or entrepreneur updates only what they own."""
    if not may_update_action(current_actor(), ref.obj):
        abort(403)


@bp.route("/acties/<int:action_id>/status", methods=["POST"])
@requires("actions.update", load=load_action)
@form_view
def change_status(ref: InPark[PlanAction]):
    _ensure_may_update(ref)
    action = ref.obj
    form = _status_form(action, request.form)
    if form.validate_on_submit():
        changed = submit(
            form,
            lambda: services.change_status(
                current_actor(),
                action,
                status=ActionStatus(form.status.data),
                note=form.note.data or "",
                today=local_today(),
            ),
            field=form.note,
        )
        if changed.ok:
            flash(
                _("%(title)s heeft nu de status %(status)s.", title=action.title, status=action.status.label), "success"
            )
            return redirect(url_for("plans.action", park_id=ref.park.id, action_id=action.id))
    return _action_page(ref, form, status_form=form)


@bp.route("/acties/<int:action_id>/notitie", methods=["POST"])
@requires("actions.update", load=load_action)
@form_view
def add_note(ref: InPark[PlanAction]):
    _ensure_may_update(ref)
    form = NoteForm(prefix="note")
    if form.validate_on_submit():
        written = submit(
            form,
            lambda: services.add_note(current_actor(), ref.obj, text=form.text.data, today=local_today()),
            field=form.text,
        )
        if written.ok:
            flash(_("De voortgang is vastgelegd."), "success")
            return redirect(url_for("plans.action", park_id=ref.park.id, action_id=ref.obj.id))
    return _action_page(ref, form, note_form=form)


@bp.route("/acties/<int:action_id>/bewerken", methods=["GET", "POST"])
@requires("plans.edit", load=load_action)
@form_view
def edit_action(ref: InPark[PlanAction]):
    action = ref.obj
    form = _action_form(ref.park, action.plan, action, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        saved = submit(form, lambda: services.update_action(current_actor(), action, **_action_values(form)))
        if saved.ok:
            flash(_("De actie %(title)s is opgeslagen.", title=action.title), "success")
            return redirect(url_for("plans.index", park_id=ref.park.id, _anchor=f"actie-{action.id}"))
    return render_form("plans/edit_action.html", form, park=ref.park, action=action)


@bp.route("/acties/<int:action_id>/verplaatsen", methods=["POST"])
@requires("plans.edit", load=load_action)
@form_view
def move(ref: InPark[PlanAction]):
    action = ref.obj
    cycle = action.plan.cycle
    form = MoveForm(prefix="move")
    form.quarter.choices = _quarter_choices(action.plan)
    form.owner.choices = choices([(0, ""), *((s.id, s.organisation.name) for s in cycle.stakeholders)])
    if form.validate_on_submit():

        def owner(stakeholder_id: int | None) -> Stakeholder | None:
            found = db.session.get(Stakeholder, stakeholder_id) if stakeholder_id else None
            return found if found is not None and found.cycle_id == cycle.id else None

        moved = submit(
            form,
            lambda: services.move_action(
                current_actor(),
                action,
                quarter=form.quarter.data,
                from_owner=owner(form.from_owner.data),
                to_owner=owner(form.owner.data),
            ),
        )
        if moved.ok:
            flash(
                _(
                    "%(title)s staat nu in %(quarter)s.",
                    title=action.title,
                    quarter=_quarter_labels(action.plan.starts_on)[action.quarter],
                ),
                "success",
            )
            return redirect(url_for("plans.matrix", park_id=ref.park.id, _anchor=f"matrix-actie-{action.id}"))
    if not form.form_errors:
        form.form_errors.append(_("Kies een kwartaal en een eigenaar uit de lijst."))
    return _matrix_page(ref.park, form)


@bp.route("/acties/<int:action_id>/verwijderen", methods=["POST"])
@requires("plans.edit", load=load_action)
def delete_action(ref: InPark[PlanAction]):
    return button_action(
        lambda: services.delete_action(current_actor(), ref.obj),
        _("%(title)s is uit het plan gehaald.", title=ref.obj.title),
        url_for("plans.index", park_id=ref.park.id),
        confirm=Confirm(
            _("%(title)s uit het plan halen?", title=ref.obj.title),
            _("Ja, uit het plan halen"),
            url_for("plans.action", park_id=ref.park.id, action_id=ref.obj.id),
        ),
    )


# The park's own catalogue items ----------------------------------------------------------------------------


@bp.route("/catalogus")
@requires("plans.view", load=load_park)
def catalogue_index(park: Park):
    measures = catalogue.catalogue_for(park)
    return render_template(
        "plans/catalogue/index.html",
        park=park,
        themes=[(t, [m for m in measures if m.theme == t]) for t in Theme],
        can_edit=can(current_actor(), "plans.edit", park),
    )


def _item_values(form: CatalogueItemForm) -> dict:
    return {
        "title": form.title.data,
        "description": form.description.data or "",
        "theme": Theme(form.theme.data),
        "typical_owner": PpsRole(form.typical_owner.data) if form.typical_owner.data else None,
        "effort": Effort(form.effort.data),
    }


def _item_page(park: Park, item: CatalogueItem | None):
    """The form of a new measure of the park's own (item None) or of one of them; a valid post saves it."""
    form = CatalogueItemForm(obj=item if request.method == "GET" else None)
    if request.method == "GET" and item is not None:
        form.theme.data = item.theme.value
        form.typical_owner.data = item.typical_owner.value if item.typical_owner else ""
        form.effort.data = item.effort.value
    if form.validate_on_submit():
        saved = submit(form, lambda: catalogue.save_item(current_actor(), park, item, **_item_values(form)))
        if saved.ok:
            title = saved.value.title
            if item is None:
                flash(_("%(title)s staat in de catalogus van dit park.", title=title), "success")
            else:
                flash(_("%(title)s is opgeslagen.", title=title), "success")
            return redirect(url_for("plans.catalogue_index", park_id=park.id))
    return render_form("plans/catalogue/form.html", form, park=park, item=item)


@bp.route("/catalogus/nieuw", methods=["GET", "POST"])
@requires("plans.edit", load=load_park)
@form_view
def new_item(park: Park):
    return _item_page(park, None)


@bp.route("/catalogus/<int:item_id>", methods=["GET", "POST"])
@requires("plans.edit", load=load_item)
@form_view
def edit_item(ref: InPark[CatalogueItem]):
    return _item_page(ref.park, ref.obj)


@bp.route("/catalogus/<int:item_id>/verwijderen", methods=["POST"])
@requires("plans.edit", load=load_item)
def delete_item(ref: InPark[CatalogueItem]):
    return button_action(
        lambda: catalogue.delete_item(current_actor(), ref.obj),
        _("%(title)s is uit de catalogus van dit park gehaald.", title=ref.obj.title),
        url_for("plans.catalogue_index", park_id=ref.park.id),
    )
