"""The meetings of a park's working group: list, schedule, invite, attendance, minutes and decisions."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.auth.current import current_actor
from app.auth.decorators import load_or_404, requires
from app.auth.policy import runs_meetings
from app.clock import LOCAL_TIME, local_today
from app.extensions import db
from app.forms import Confirm, Form, button_action, choices, form_view, render_form, render_page, submit
from app.mail.preview import preview_page
from app.meetings import quarterly, services
from app.meetings.forms import DecisionForm, InviteForm, MeetingForm, MinutesForm
from app.meetings.models import Meeting, MeetingAttendee, MeetingKind
from app.parks.loading import InPark, load_in_cycle, load_park
from app.parks.models import CycleStatus, Park
from app.parks.services import active_cycle
from app.plans import quarters
from app.plans.models import Theme
from app.plans.services import find_plan, ordered_stakeholders
from app.stakeholders.models import Stakeholder

bp = Blueprint("meetings", __name__, url_prefix="/parken/<int:park_id>/vergaderingen")


def _now() -> datetime:
    return datetime.now(UTC)


def load_meeting(park_id: int, meeting_id: int) -> InPark[Meeting]:
    """A meeting of one of the park's cycles (a closed cycle's meetings can be read, not changed)."""
    return load_in_cycle(Meeting, park_id, meeting_id, lambda meeting: meeting.cycle, active=False)


def load_open_meeting(park_id: int, meeting_id: int) -> InPark[Meeting]:
    """A meeting of the park's active cycle; another park's, or a closed cycle's, is a 404."""
    return load_in_cycle(Meeting, park_id, meeting_id, lambda meeting: meeting.cycle)


def _ensure_runs(cycle) -> None:
    # an entrepreneur passes `meetings.edit`, but only the chair and the secretary run the meetings
    if not runs_meetings(current_actor(), cycle):
        abort(403)


def _detail_url(meeting: Meeting, anchor: str = "") -> str:
    return url_for("meetings.detail", park_id=meeting.park.id, meeting_id=meeting.id) + anchor


# The list ----------------------------------------------------------------------------------------------------


@bp.route("/")
@requires("meetings.view", load=load_park)
def index(park: Park):
    cycle = active_cycle(park)
    now = _now()
    upcoming, past = services.split_meetings(services.cycle_meetings(cycle), now=now)
    rows = lambda meetings: [{"meeting": m, "state": services.state_label(m, now=now)} for m in meetings]  # noqa: E731
    return render_page(
        "meetings/index.html",
        park=park,
        cycle=cycle,
        upcoming=rows(upcoming),
        past=rows(past),
        can_run=runs_meetings(current_actor(), cycle),
    )


# Scheduling and changing -------------------------------------------------------------------------------------


def _meeting_form(*, meeting: Meeting | None = None, formdata=None, kind: MeetingKind | None = None) -> MeetingForm:
    form = MeetingForm(formdata=formdata, prefix="meeting")
    if formdata is None:
        if meeting is not None:
            start, end = meeting.starts_at.astimezone(LOCAL_TIME), meeting.ends_at.astimezone(LOCAL_TIME)
            form.kind.data = meeting.kind.value
            form.title.data = meeting.title
            form.on.data, form.starts_at.data, form.ends_at.data = start.date(), start.time(), end.time()
            form.location.data = meeting.location
            form.agenda.data = services.agenda_text(meeting.agenda)
        else:
            form.kind.data = (kind or MeetingKind.WORKING).value
    return form


def _values(form: MeetingForm, cycle) -> services.MeetingValues:
    kind = MeetingKind(form.kind.data)
    agenda = services.parse_agenda(form.agenda.data)
    if kind == MeetingKind.QUARTERLY and form.on.data is not None:
        today = local_today()
        # without a typed agenda, or with the one proposed on the form left as it was, a quarterly meeting gets
        # the agenda generated for the quarter it is held in (the form proposed the current quarter's)
        proposed = services.agenda_text(quarterly.generated_agenda(cycle, today=today))
        if not agenda or agenda == services.parse_agenda(proposed):
            agenda = quarterly.generated_agenda(cycle, today=today, on=form.on.data)
    return services.MeetingValues(
        kind=kind,
        title=form.title.data,
        on=form.on.data,
        starts_at=form.starts_at.data,
        ends_at=form.ends_at.data,
        location=form.location.data,
        agenda=agenda,
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@requires("meetings.edit", load=load_park)
@form_view
def new(park: Park):
    cycle = active_cycle(park)
    _ensure_runs(cycle)
    if request.method == "POST":
        form = _meeting_form(formdata=request.form)
        if form.validate_on_submit():
            done = submit(form, lambda: services.schedule_meeting(current_actor(), cycle, _values(form, cycle)))
            if done.ok:
                flash(_("%(title)s is gepland.", title=done.value.title), "success")
                return redirect(_detail_url(done.value))
    else:
        try:
            kind = MeetingKind(request.args.get("soort", ""))
        except ValueError:
            kind = None
        form = _meeting_form(kind=kind)
        if kind is not None:
            form.title.data = services.default_title(kind)
        if kind == MeetingKind.QUARTERLY:
            form.agenda.data = services.agenda_text(quarterly.generated_agenda(cycle, today=local_today()))
    return render_form("meetings/new.html", form, park=park, cycle=cycle)


@bp.route("/<int:meeting_id>/wijzigen", methods=["GET", "POST"])
@requires("meetings.edit", load=load_open_meeting)
@form_view
def edit(loaded: InPark[Meeting]):
    park, meeting = loaded.park, loaded.obj
    _ensure_runs(meeting.cycle)
    form = _meeting_form(meeting=meeting, formdata=request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        done = submit(
            form, lambda: services.update_meeting(current_actor(), meeting, _values(form, meeting.cycle), now=_now())
        )
        if done.ok:
            if done.value and meeting.invitations_sent_at is not None:
                flash(
                    _(
                        "De vergadering is gewijzigd. Verstuur de uitnodigingen opnieuw, zodat de agenda's van de "
                        "genodigden worden bijgewerkt."
                    ),
                    "success",
                )
            else:
                flash(_("%(title)s is opgeslagen.", title=meeting.title), "success")
            return redirect(_detail_url(meeting))
    return render_form("meetings/edit.html", form, park=park, meeting=meeting)


@bp.route("/<int:meeting_id>/annuleren", methods=["POST"])
@requires("meetings.edit", load=load_open_meeting)
def cancel(loaded: InPark[Meeting]):
    meeting = loaded.obj
    _ensure_runs(meeting.cycle)
    return button_action(
        lambda: services.cancel_meeting(current_actor(), meeting, now=_now()),
        lambda mailed: (
            _("%(title)s is geannuleerd.", title=meeting.title)
            + (
                " " + ngettext("%(num)s genodigde krijgt bericht.", "%(num)s genodigden krijgen bericht.", mailed)
                if mailed
                else ""
            )
        ),
        _detail_url(meeting),
        confirm=Confirm(
            _("%(title)s annuleren? Wie al is uitgenodigd, krijgt bericht.", title=meeting.title),
            _("Ja, annuleren"),
        ),
    )


# The meeting page ----------------------------------------------------------------------------------------------


def _invite_form(meeting: Meeting, formdata=None) -> InviteForm:
    form = InviteForm(formdata=formdata, prefix="invite")
    invited = {a.stakeholder_id for a in meeting.attendees}
    options = []
    for stakeholder in ordered_stakeholders(meeting.cycle):
        name, email, _user = services.representative_contact(stakeholder)
        if stakeholder.id in invited:
            continue
        label = f"{stakeholder.organisation.name}: {name}" if name else stakeholder.organisation.name
        options.append((stakeholder.id, label if email else _("%(label)s (geen e-mailadres)", label=label)))
    form.stakeholders.choices = choices(options)
    return form


def _decision_form(meeting: Meeting, plan, formdata=None) -> DecisionForm:
    form = DecisionForm(formdata=formdata, prefix="decision")
    starts_on = plan.starts_on if plan else quarters.quarter_start(local_today())
    form.quarter.choices = choices((q.number, q.label) for q in quarters.quarters(starts_on))
    form.owners.choices = choices((s.id, s.organisation.name) for s in ordered_stakeholders(meeting.cycle))
    if formdata is None:
        form.quarter.data = quarters.number_on(starts_on, local_today()) or 1
    return form


def _minutes_form(meeting: Meeting) -> MinutesForm:
    return MinutesForm(prefix="minutes", data={"minutes": meeting.minutes})


def _detail_page(meeting: Meeting, submitted: Form | None = None, **forms):
    cycle = meeting.cycle
    now = _now()
    plan = find_plan(cycle)
    editable = (
        cycle.status == CycleStatus.ACTIVE and meeting.cancelled_at is None and runs_meetings(current_actor(), cycle)
    )
    started = meeting.starts_at <= now
    context = {
        "park": meeting.park,
        "meeting": meeting,
        "cycle": cycle,
        "state": services.state_label(meeting, now=now),
        "started": started,
        "editable": editable,
        "has_plan": plan is not None,
        "not_invited": sum(1 for a in meeting.attendees if a.invited_at is None),
        "invite_form": forms.get("invite_form") or (_invite_form(meeting) if editable else None),
        "minutes_form": forms.get("minutes_form") or (_minutes_form(meeting) if editable else None),
        "decision_form": forms.get("decision_form") or (_decision_form(meeting, plan) if editable else None),
    }
    return render_page("meetings/detail.html", submitted, **context)


@bp.route("/<int:meeting_id>")
@requires("meetings.view", load=load_meeting)
def detail(loaded: InPark[Meeting]):
    return _detail_page(loaded.obj)


@bp.route("/<int:meeting_id>/genodigden", methods=["POST"])
@requires("meetings.edit", load=load_open_meeting)
@form_view
def invite(loaded: InPark[Meeting]):
    meeting = loaded.obj
    _ensure_runs(meeting.cycle)
    form = _invite_form(meeting, formdata=request.form)
    if form.validate_on_submit():

        def add():
            chosen = [db.session.get(Stakeholder, i) for i in form.stakeholders.data or []]
            people = services.parse_people(form.people.data)
            return services.add_invitees(current_actor(), meeting, stakeholders=[s for s in chosen if s], people=people)

        done = submit(form, add)
        if done.ok:
            flash(
                ngettext("%(num)s genodigde toegevoegd.", "%(num)s genodigden toegevoegd.", len(done.value)), "success"
            )
            return redirect(_detail_url(meeting, "#invitees-heading"))
    return _detail_page(meeting, form, invite_form=form)


def load_attendee(park_id: int, meeting_id: int, attendee_id: int) -> InPark[MeetingAttendee]:
    """An invitee of a meeting of the park's active cycle; one of another meeting is a 404."""
    meeting = load_open_meeting(park_id, meeting_id).obj
    attendee = load_or_404(MeetingAttendee, attendee_id)
    if attendee.meeting_id != meeting.id:
        abort(404)
    return InPark(meeting.park, attendee)


@bp.route("/<int:meeting_id>/genodigden/<int:attendee_id>/verwijderen", methods=["POST"])
@requires("meetings.edit", load=load_attendee)
def remove_invitee(loaded: InPark[MeetingAttendee]):
    attendee = loaded.obj
    meeting = attendee.meeting
    _ensure_runs(meeting.cycle)
    return button_action(
        lambda: services.remove_invitee(current_actor(), meeting, attendee, now=_now()),
        _("%(name)s is geen genodigde meer.", name=attendee.name),
        _detail_url(meeting, "#invitees-heading"),
        confirm=Confirm(_("%(name)s niet meer uitnodigen?", name=attendee.name), _("Ja, niet meer uitnodigen")),
    )


@bp.route("/<int:meeting_id>/uitnodigen", methods=["POST"])
@requires("meetings.edit", load=load_open_meeting)
def send(loaded: InPark[Meeting]):
    meeting = loaded.obj
    _ensure_runs(meeting.cycle)
    return button_action(
        lambda: services.send_invitations(current_actor(), meeting, now=_now()),
        lambda count: ngettext("%(num)s uitnodiging verstuurd.", "%(num)s uitnodigingen verstuurd.", count),
        _detail_url(meeting, "#invitees-heading"),
    )


@bp.route("/<int:meeting_id>/uitnodiging-voorbeeld")
@requires("meetings.edit", load=load_open_meeting)
def preview(loaded: InPark[Meeting]):
    meeting = loaded.obj
    _ensure_runs(meeting.cycle)
    # the first invitee who has not had it yet is the sample recipient, else the first
    attendees = sorted(meeting.attendees, key=lambda a: (a.invited_at is not None, a.id))
    draft = services.invitation_mail(current_actor(), meeting, attendees[0], now=_now()) if attendees else None
    return preview_page(
        draft,
        title=_("uitnodiging voor %(title)s", title=meeting.title),
        back_url=_detail_url(meeting, "#invitees-heading"),
        missing=_("Nodig eerst deelnemers uit."),
    )


@bp.route("/<int:meeting_id>/aanwezigheid", methods=["POST"])
@requires("meetings.edit", load=load_open_meeting)
def attendance(loaded: InPark[Meeting]):
    meeting = loaded.obj
    _ensure_runs(meeting.cycle)
    values = {"ja": True, "nee": False, "": None}
    attended = {}
    for attendee in meeting.attendees:
        answer = request.form.get(f"attended-{attendee.id}", "")
        if answer not in values:
            abort(400)
        attended[attendee.id] = values[answer]
    return button_action(
        lambda: services.record_attendance(current_actor(), meeting, attended, now=_now()),
        _("De aanwezigheid is opgeslagen."),
        _detail_url(meeting, "#attendance-heading"),
    )


@bp.route("/<int:meeting_id>/verslag", methods=["POST"])
@requires("meetings.edit", load=load_open_meeting)
@form_view
def minutes(loaded: InPark[Meeting]):
    meeting = loaded.obj
    _ensure_runs(meeting.cycle)
    form = MinutesForm(formdata=request.form, prefix="minutes")
    if form.validate_on_submit():
        done = submit(form, lambda: services.record_minutes(current_actor(), meeting, form.minutes.data, now=_now()))
        if done.ok:
            flash(_("Het verslag is opgeslagen."), "success")
            return redirect(_detail_url(meeting, "#minutes-heading"))
    return _detail_page(meeting, form, minutes_form=form)


@bp.route("/<int:meeting_id>/besluiten", methods=["POST"])
@requires("meetings.edit", load=load_open_meeting)
@form_view
def decide(loaded: InPark[Meeting]):
    meeting = loaded.obj
    _ensure_runs(meeting.cycle)
    form = _decision_form(meeting, find_plan(meeting.cycle), formdata=request.form)
    if form.validate_on_submit():

        def record():
            action = None
            if form.make_action.data:
                owners = [db.session.get(Stakeholder, i) for i in form.owners.data or []]
                action = services.ActionValues(
                    title=form.action_title.data,
                    quarter=form.quarter.data,
                    theme=Theme(form.theme.data) if form.theme.data else None,
                    owners=[o for o in owners if o is not None],
                )
            return services.record_decision(current_actor(), meeting, form.text.data, now=_now(), action=action)

        done = submit(form, record)
        if done.ok:
            if done.value.action is not None:
                flash(_("Het besluit is vastgelegd en staat als actie in het uitvoeringsplan."), "success")
            else:
                flash(_("Het besluit is vastgelegd."), "success")
            return redirect(_detail_url(meeting, "#decisions-heading"))
    return _detail_page(meeting, form, decision_form=form)
