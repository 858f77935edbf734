from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.current import current_actor
from app.auth.decorators import may_open, requires
from app.auth.policy import may_update_action
from app.auth.services import update_profile
from app.clock import local_today
from app.dashboard import queries as dashboard_queries
from app.extensions import db
from app.forms import choices, form_view, render_page, submit
from app.main import advisor, camera_tasks, tasks
from app.main.forms import ActionUpdateForm, AdvisorFilterForm
from app.main.queries import home_sections, serves_municipality, switcher_parks
from app.main.services import update_action_from_home
from app.pages import Page, page_number, safe_next_url
from app.parks.loading import InPark, load_in_cycle
from app.plans.models import PlanAction

bp = Blueprint("main", __name__)
SWITCHER_PER_PAGE = 25


def _advisor_filters(form: AdvisorFilterForm, municipalities: list[tuple[int, str]]) -> advisor.AdvisorFilter:
    form.gemeente.choices = choices([(0, _("Alle gemeenten")), *municipalities])
    form.validate()
    return advisor.AdvisorFilter(
        search=(form.q.data or "").strip() if not form.q.errors else "",
        municipality_id=(form.gemeente.data or None) if not form.gemeente.errors else None,
        step=(form.stap.data or None) if not form.stap.errors else None,
    )


def _fix_url(endpoint: str, park) -> str | None:
    return url_for(endpoint, park_id=park.id) if may_open(current_actor(), endpoint, park) else None


def _action_form(task: tasks.ActionTask, formdata=None) -> ActionUpdateForm:
    form = ActionUpdateForm(formdata=formdata, prefix=f"action{task.action.id}")
    if formdata is None:
        form.status.data = task.action.status.value
    return form


def _home_page(submitted: ActionUpdateForm | None = None, submitted_id: int | None = None):
    user = current_actor()
    today = local_today()
    now = datetime.now(UTC)
    context: dict = {"sections": home_sections(user, today=today)}
    if advisor.advises(user, today=today):
        form = AdvisorFilterForm(request.args, meta={"csrf": False})
        municipalities = advisor.advised_municipalities(user, today=today)
        home = advisor.advisor_home(
            user,
            today=today,
            now=now,
            filters=_advisor_filters(form, municipalities),
            page=page_number(),
            fix_url=_fix_url,
        )
        context["advisor"] = home
        context["advisor_form"] = form
        context["advisor_page"] = Page.of(home.rows, total=home.total, page=home.page, per_page=advisor.PER_PAGE)
        context["attention_order"] = advisor.ATTENTION_ORDER
    if tasks.is_member(user, today=today):
        member = tasks.member_tasks(user, today=today, now=now)
        context["member"] = member
        context["action_forms"] = {
            task.action.id: submitted if submitted_id == task.action.id else _action_form(task)
            for task in member.actions
            if task.may_update
        }
    if submitted is not None and submitted_id not in context.get("action_forms", {}):
        # the action is not (or no longer) on this home page: its form's messages would go unseen
        for message in [*submitted.form_errors, *(m for errors in submitted.errors.values() for m in errors)]:
            flash(str(message), "error")
    if serves_municipality(user, today=today):
        context["attention"] = dashboard_queries.attention(user, today=today, now=now)
    if camera_tasks.looks_after_cameras(user, today=today):
        context["cameras"] = camera_tasks.camera_tasks(user, today=today, now=now)
    return render_page("main/home.html", submitted, **context)


@bp.route("/")
@login_required
def home():
    return _home_page()


def load_action(park_id: int, action_id: int) -> InPark[PlanAction]:
    """An action of the park's active cycle's plan; any other is a 404."""
    return load_in_cycle(PlanAction, park_id, action_id, lambda action: action.plan.cycle)


@bp.route("/start/parken/<int:park_id>/acties/<int:action_id>", methods=["POST"])
@requires("actions.update", load=load_action)
@form_view
def update_action(ref: InPark[PlanAction]):
    action = ref.obj
    if not may_update_action(current_actor(), action):
        abort(403)
    form = ActionUpdateForm(prefix=f"action{action.id}")
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: update_action_from_home(
                current_actor(), action, status=form.status.data, note=form.note.data or "", today=local_today()
            ),
            field=form.note,
        )
        if done.ok:
            flash(_("%(title)s is bijgewerkt: %(status)s.", title=action.title, status=action.status.label), "success")
            return redirect(url_for("main.home") + f"#action-{action.id}")
    return _home_page(form, action.id)


@bp.route("/parken-kiezen")
@login_required
def switch_park():
    query = (request.args.get("q") or "").strip()[:200]
    parks, total = switcher_parks(
        current_actor(), today=local_today(), search=query, page=page_number(), per_page=SWITCHER_PER_PAGE
    )
    page = Page.of(parks, total=total, page=page_number(), per_page=SWITCHER_PER_PAGE)
    return render_template("main/switch.html", page=page, query=query)


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
