"""The communication and activity calendar of a park's cycle and its iCal feed."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from app.auth.current import current_actor
from app.auth.decorators import requires
from app.auth.policy import can
from app.clock import local_today
from app.extensions import db
from app.forms import Confirm, Form, button_action, choices, form_view, render_form, render_page, submit
from app.links import external_url
from app.pages import file_slug
from app.parks.loading import InPark, load_in_cycle, load_park
from app.parks.models import Park
from app.parks.services import active_cycle
from app.plans import calendar, ical
from app.plans.calendar_forms import CalendarItemForm
from app.plans.models import CalendarItem, CalendarKind
from app.stakeholders.models import Stakeholder

bp = Blueprint("calendar", __name__, url_prefix="/parken/<int:park_id>/kalender")
#: the feed: no login, the secret address is the key
feed_bp = Blueprint("calendar_feed", __name__)


def load_item(park_id: int, calendar_item_id: int) -> InPark[CalendarItem]:
    """An item of the park's active cycle; another park's, or a closed cycle's, is a 404."""
    return load_in_cycle(CalendarItem, park_id, calendar_item_id, lambda item: item.cycle)


def _owner(owner_id: int | None) -> Stakeholder | None:
    # a stakeholder of another cycle is refused by the service, with a message
    return db.session.get(Stakeholder, owner_id) if owner_id else None


def _item_form(cycle, *, item: CalendarItem | None = None, formdata=None, prefix: str = "item") -> CalendarItemForm:
    form = CalendarItemForm(formdata=formdata, obj=item if formdata is None else None, prefix=prefix)
    form.owner_id.choices = choices(
        [
            (0, _("— nog niet gekozen —")),
            *((s.id, f"{s.organisation.name} ({s.role.label})") for s in cycle.stakeholders),
        ]
    )
    if formdata is None:
        form.owner_id.data = (item.owner_id or 0) if item else 0
        form.kind.data = item.kind.value if item else CalendarKind.PRESS.value
    return form


def _values(form: CalendarItemForm) -> calendar.ItemValues:
    return calendar.ItemValues(
        kind=CalendarKind(form.kind.data),
        title=form.title.data or "",
        on=form.on.data,
        starts_at=form.starts_at.data,
        ends_at=form.ends_at.data,
        audience=form.audience.data or "",
        owner=_owner(form.owner_id.data),
        description=form.description.data or "",
    )


def _rows(items: list[CalendarItem]) -> list[dict]:
    return [{"item": item, "time": calendar.time_label(item)} for item in items]


def _index_page(park: Park, submitted: Form | None = None, *, add_form: CalendarItemForm | None = None):
    cycle = active_cycle(park)
    upcoming, past = calendar.split_items(calendar.cycle_items(cycle), today=local_today())
    can_edit = can(current_actor(), "calendar.edit", park)
    may_subscribe = can(current_actor(), "calendar.subscribe", park)
    feed = calendar.find_feed(park) if may_subscribe else None
    context = {
        "park": park,
        "cycle": cycle,
        "upcoming": _rows(upcoming),
        "past": _rows(past),
        "can_edit": can_edit,
        "may_subscribe": may_subscribe,
        "feed_url": external_url("calendar_feed.feed", token=feed.token) if feed else None,
        "add_form": (add_form or _item_form(cycle)) if can_edit else None,
    }
    return render_page("plans/calendar/index.html", submitted, **context)


@bp.route("/")
@requires("plans.view", load=load_park)
def index(park: Park):
    return _index_page(park)


@bp.route("/toevoegen", methods=["POST"])
@requires("calendar.edit", load=load_park)
@form_view
def add(park: Park):
    cycle = active_cycle(park)
    form = _item_form(cycle, formdata=request.form)
    if form.validate_on_submit():
        added = submit(form, lambda: calendar.add_item(current_actor(), cycle, _values(form)))
        if added.ok:
            flash(_("%(title)s staat op de kalender.", title=added.value.title), "success")
            return redirect(url_for("calendar.index", park_id=park.id))
    return _index_page(park, form, add_form=form)


@bp.route("/<int:calendar_item_id>", methods=["GET", "POST"])
@requires("calendar.edit", load=load_item)
@form_view
def edit(loaded: InPark[CalendarItem]):
    park, item = loaded.park, loaded.obj
    cycle = item.cycle
    form = _item_form(cycle, item=item, formdata=request.form if request.method == "POST" else None)
    if (
        form.validate_on_submit()
        and submit(form, lambda: calendar.update_item(current_actor(), item, _values(form))).ok
    ):
        flash(_("%(title)s is opgeslagen.", title=item.title), "success")
        return redirect(url_for("calendar.index", park_id=park.id))
    return render_form("plans/calendar/edit.html", form, park=park, item=item)


@bp.route("/<int:calendar_item_id>/verwijderen", methods=["POST"])
@requires("calendar.edit", load=load_item)
def delete(loaded: InPark[CalendarItem]):
    item = loaded.obj
    return button_action(
        lambda: calendar.delete_item(current_actor(), item),
        _("%(title)s staat niet meer op de kalender.", title=item.title),
        url_for("calendar.index", park_id=loaded.park.id),
        confirm=Confirm(_("%(title)s van de kalender verwijderen?", title=item.title), _("Ja, verwijderen")),
    )


FEED_ACTIONS = {
    "aanzetten": calendar.enable_feed,
    "vernieuwen": calendar.renew_feed,
    "uitzetten": calendar.disable_feed,
}


@bp.route("/abonnement", methods=["POST"])
@requires("calendar.edit", load=load_park)
def feed_settings(park: Park):
    action = request.form.get("actie", "")
    service = FEED_ACTIONS.get(action)
    if service is None:
        abort(400)
    messages = {
        "aanzetten": _("Het agenda-abonnement staat aan."),
        "vernieuwen": _("Het agenda-abonnement heeft een nieuw adres; het oude adres werkt niet meer."),
        "uitzetten": _("Het agenda-abonnement staat uit; het adres werkt niet meer."),
    }
    return button_action(
        lambda: service(current_actor(), park),
        messages[action],
        url_for("calendar.index", park_id=park.id) + "#feed-heading",
    )


# The feed ----------------------------------------------------------------------------------------------------


@feed_bp.route("/kalender/<token>.ics")
def feed(token: str):
    found = calendar.feed_for_token(token)
    if found is None:
        abort(404)
    park = found.park
    body = ical.feed_ics(park, host=ical.config_host(), now=datetime.now(UTC))
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = f'inline; filename="kalender-{file_slug(park.name)}.ics"'
    # the address is the key: no shared cache or search engine may keep it
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response
