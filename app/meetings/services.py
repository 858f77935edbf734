"""Meetings of the park's working group: scheduling, invitations with an .ics, attendance, minutes and decisions
that become actions in the plan."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit, mail
from app.auth.models import User
from app.auth.policy import ensure_can, runs_meetings
from app.clock import LOCAL_TIME, local_day
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.links import external_url
from app.meetings.models import Meeting, MeetingAttendee, MeetingDecision, MeetingKind
from app.parks.models import Cycle, Park
from app.plans import ical
from app.plans.models import PlanAction, Theme
from app.plans.services import add_action, apply_changes, ensure_open, find_plan
from app.reports.wording import long_date
from app.stakeholders.models import Stakeholder

TITLE_MAX = 200
LOCATION_MAX = 300
AGENDA_MAX = 40
AGENDA_TITLE_MAX = 300
AGENDA_NOTE_MAX = 2_000
MINUTES_MAX = 50_000
DECISION_MAX = 5_000
NAME_MAX = 200
EMAIL_MAX = 254
#: a meeting outside these years is a typing error
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
DEFAULT_LOCALE = "nl"
_EMAIL = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+")


# Who may run the meetings ----------------------------------------------------------------------------------


def ensure_may_run(actor: User, cycle: Cycle) -> None:
    """Raise NotAllowed unless `runs_meetings`, and DomainError for a closed cycle (read-only)."""
    ensure_can(actor, "meetings.edit", cycle.park)
    if not runs_meetings(actor, cycle):
        raise NotAllowed(
            _("Alleen de voorzitter en de secretaris van de werkgroep plannen en notuleren vergaderingen.")
        )
    ensure_open(cycle)


def _ensure_not_cancelled(meeting: Meeting) -> None:
    if meeting.cancelled_at is not None:
        raise DomainError(_("Deze vergadering is geannuleerd."))


def _ensure_started(meeting: Meeting, now: datetime) -> None:
    if meeting.starts_at > now:
        raise DomainError(_("De vergadering is nog niet begonnen: leg dit vast als zij gehouden is."))


# The meeting itself ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingValues:
    """A meeting's fields as typed: the day and the times are local time in the Netherlands."""

    kind: MeetingKind
    title: str | None
    on: date | None
    starts_at: time | None
    ends_at: time | None
    location: str | None = ""
    #: [{"title", "note"}] in order
    agenda: list[dict[str, str]] = field(default_factory=list)


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def default_title(kind: MeetingKind) -> str:
    return kind.label


def local_moment(on: date, at: time) -> datetime:
    """A day and a time on the clock in the Netherlands, as an aware UTC datetime."""
    return datetime.combine(on, at.replace(second=0, microsecond=0), tzinfo=LOCAL_TIME).astimezone(UTC)


def clean_agenda(items: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """The agenda items with a title, trimmed; DomainError when there are too many or one is too long."""
    agenda = []
    for item in items:
        title = _one_line(item.get("title"))
        note = "\n".join(line.rstrip() for line in str(item.get("note") or "").strip().splitlines())
        if not title:
            continue
        if len(title) > AGENDA_TITLE_MAX:
            raise DomainError(_("Een agendapunt is te lang (hoogstens %(n)s tekens).", n=AGENDA_TITLE_MAX))
        if len(note) > AGENDA_NOTE_MAX:
            raise DomainError(
                _("Een toelichting bij de agenda is te lang (hoogstens %(n)s tekens).", n=AGENDA_NOTE_MAX)
            )
        agenda.append({"title": title, "note": note})
    if len(agenda) > AGENDA_MAX:
        raise DomainError(_("De agenda heeft te veel punten (hoogstens %(n)s).", n=AGENDA_MAX))
    return agenda


def parse_agenda(text: str | None) -> list[dict[str, str]]:
    """The agenda typed in a text box: one item per line; a line that starts with a space belongs to the item
    above it, as its note."""
    items: list[dict[str, str]] = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        if line[:1].isspace() and items:
            note = items[-1]["note"]
            items[-1]["note"] = f"{note}\n{line.strip()}" if note else line.strip()
        else:
            items.append({"title": line.strip(), "note": ""})
    return items


def agenda_text(agenda: Iterable[Mapping[str, Any]]) -> str:
    """The agenda written for the text box (the inverse of parse_agenda)."""
    lines = []
    for item in agenda:
        lines.append(item["title"])
        lines += [f"  {line.strip()}" for line in (item.get("note") or "").splitlines() if line.strip()]
    return "\n".join(lines)


def check_values(values: MeetingValues) -> dict[str, Any]:
    """The meeting's columns, cleaned; DomainError for the first rule they break."""
    try:
        kind = MeetingKind(values.kind)
    except ValueError:
        raise DomainError(_("Kies een soort vergadering.")) from None
    title = _one_line(values.title) or default_title(kind)
    if len(title) > TITLE_MAX:
        raise DomainError(_("De titel is te lang (hoogstens %(n)s tekens).", n=TITLE_MAX))
    if values.on is None:
        raise DomainError(_("Kies een datum."))
    if not FIRST_DAY <= values.on <= LAST_DAY:
        raise DomainError(_("Kies een datum tussen %(first)s en %(last)s.", first=FIRST_DAY.year, last=LAST_DAY.year))
    if values.starts_at is None or values.ends_at is None:
        raise DomainError(_("Geef een begintijd en een eindtijd."))
    starts_at, ends_at = local_moment(values.on, values.starts_at), local_moment(values.on, values.ends_at)
    if ends_at <= starts_at:
        raise DomainError(_("De eindtijd moet na de begintijd liggen."))
    location = _one_line(values.location)
    if len(location) > LOCATION_MAX:
        raise DomainError(_("De locatie is te lang (hoogstens %(n)s tekens).", n=LOCATION_MAX))
    return {
        "kind": kind,
        "title": title,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "location": location,
        "agenda": clean_agenda(values.agenda),
    }


def _details(meeting: Meeting) -> dict[str, Any]:
    return {"title": meeting.title, "kind": meeting.kind.value, "starts_at": meeting.starts_at.isoformat()}


def schedule_meeting(actor: User, cycle: Cycle, values: MeetingValues) -> Meeting:
    """Plan a meeting of the cycle's working group: kind, title (the kind's name when left empty), day, start and
    end (local time, stored in UTC; the end after the start), location and agenda.

    Advisors, the municipality, and the working group's chair and secretary (`meetings.edit`), on the active cycle.
    Raises NotAllowed, or DomainError for a closed cycle or fields that break a rule.
    """
    ensure_may_run(actor, cycle)
    meeting = Meeting(
        cycle=cycle,
        uid=secrets.token_hex(16),
        sequence=0,
        created_by_id=actor.id,
        minutes="",
        **check_values(values),
    )
    db.session.add(meeting)
    audit.record(actor, "meetings.scheduled", meeting, park=cycle.park, details=_details(meeting))
    db.session.flush()
    return meeting


def update_meeting(actor: User, meeting: Meeting, values: MeetingValues, *, now: datetime) -> list[str]:
    """Change a meeting that is not cancelled; returns the names of the fields that changed. After the invitations
    went out, every change raises the SEQUENCE, so that the next invitation replaces the one in the calendars
    (the invitations are sent again with send_invitations). The same people and rules as schedule_meeting; a held
    meeting (with minutes) cannot move into the future."""
    ensure_may_run(actor, meeting.cycle)
    _ensure_not_cancelled(meeting)
    fields = check_values(values)
    if meeting.minutes_at is not None and fields["starts_at"] > now:
        raise DomainError(_("Deze vergadering is gehouden en heeft een verslag; zij kan niet naar later verschuiven."))
    changed = apply_changes(meeting, fields)
    if changed:
        if meeting.invitations_sent_at is not None:
            meeting.sequence += 1
        audit.record(
            actor, "meetings.changed", meeting, park=meeting.park, details=_details(meeting) | {"changed": changed}
        )
    db.session.flush()
    return changed


def cancel_meeting(actor: User, meeting: Meeting, *, now: datetime) -> int:
    """Cancel a meeting that was not held: it stays, marked cancelled, and leaves the feed. Everyone who got an
    invitation gets a cancellation (METHOD:CANCEL) in their own language; returns how many. The same people as
    schedule_meeting. Raises DomainError when it was cancelled already or is held."""
    ensure_may_run(actor, meeting.cycle)
    _ensure_not_cancelled(meeting)
    if meeting.minutes_at is not None:
        raise DomainError(_("Deze vergadering is gehouden en kan niet meer worden geannuleerd."))
    meeting.cancelled_at = now
    invited = [a for a in meeting.attendees if a.invited_at is not None]
    if meeting.invitations_sent_at is not None:
        meeting.sequence += 1
    for attendee in invited:
        _queue(actor, meeting, attendee, now=now, cancel=True)
    audit.record(
        actor, "meetings.cancelled", meeting, park=meeting.park, details=_details(meeting) | {"mailed": len(invited)}
    )
    db.session.flush()
    return len(invited)


# Invitees ----------------------------------------------------------------------------------------------------


def representative_contact(stakeholder: Stakeholder) -> tuple[str | None, str | None, User | None]:
    """(name, email, user) of the stakeholder's representative: the user of the platform, else the name and
    email recorded for it."""
    user = stakeholder.representative_user
    if user is not None:
        return user.name, user.email, user
    return stakeholder.representative_name, stakeholder.representative_email, None


def parse_people(text: str | None) -> list[tuple[str, str]]:
    """Extra invitees typed one per line as "Name <email>", "Name, email" or just the email; DomainError naming
    the first line without a valid email address."""
    people = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        found = _EMAIL.search(line)
        if found is None:
            raise DomainError(_("Geen geldig e-mailadres op de regel: %(line)s", line=line))
        email = found.group(0)
        name = _one_line(line.replace(email, "").strip(" <>,;\t")) or email.split("@")[0]
        people.append((name, email))
    return people


def add_invitees(
    actor: User,
    meeting: Meeting,
    *,
    stakeholders: Iterable[Stakeholder] = (),
    people: Iterable[tuple[str, str]] = (),
) -> list[MeetingAttendee]:
    """Put people on the meeting's list of invitees: the representatives of stakeholders of the cycle, and others
    by name and email. Someone on the list already (by email, in any case) is skipped; returns the new ones.

    The same people as schedule_meeting; a cancelled meeting refuses. Raises DomainError for a stakeholder of
    another cycle or without a representative with an email address, or an invalid or too long address.
    """
    ensure_may_run(actor, meeting.cycle)
    _ensure_not_cancelled(meeting)
    known = {a.email.lower() for a in meeting.attendees}
    added: list[MeetingAttendee] = []

    def add(name: str, email: str, *, stakeholder: Stakeholder | None = None, user: User | None = None) -> None:
        email = email.strip()
        if not _EMAIL.fullmatch(email) or len(email) > EMAIL_MAX:
            raise DomainError(_("%(email)s is geen geldig e-mailadres.", email=email))
        if email.lower() in known:
            return
        known.add(email.lower())
        attendee = MeetingAttendee(
            stakeholder=stakeholder,
            user_id=user.id if user else None,
            name=_one_line(name)[:NAME_MAX] or email,
            email=email,
        )
        meeting.attendees.append(attendee)
        added.append(attendee)

    for stakeholder in stakeholders:
        if stakeholder.cycle_id != meeting.cycle_id:
            raise DomainError(_("Nodig alleen deelnemers van deze cyclus uit."))
        name, email, user = representative_contact(stakeholder)
        if not email:
            raise DomainError(
                _(
                    "%(organisation)s heeft geen vertegenwoordiger met een e-mailadres: leg die eerst vast bij de "
                    "deelnemers.",
                    organisation=stakeholder.organisation.name,
                )
            )
        add(name or stakeholder.organisation.name, email, stakeholder=stakeholder, user=user)
    for name, email in people:
        add(name, email, user=db.session.scalar(select(User).where(User.email == email.strip().lower())))
    if added:
        audit.record(
            actor,
            "meetings.invitees_added",
            meeting,
            park=meeting.park,
            details={"title": meeting.title, "emails": [a.email for a in added]},
        )
    db.session.flush()
    return added


def remove_invitee(actor: User, meeting: Meeting, attendee: MeetingAttendee, *, now: datetime) -> None:
    """Take someone off the list of invitees; who had an invitation gets a cancellation. The same people as
    schedule_meeting; not after the meeting was held or cancelled."""
    ensure_may_run(actor, meeting.cycle)
    _ensure_not_cancelled(meeting)
    if attendee.meeting_id != meeting.id:
        raise DomainError(_("Deze genodigde hoort niet bij deze vergadering."))
    if meeting.minutes_at is not None:
        raise DomainError(_("Deze vergadering is gehouden: de lijst van genodigden ligt vast."))
    if attendee.invited_at is not None:
        _queue(actor, meeting, attendee, now=now, cancel=True)
    audit.record(
        actor,
        "meetings.invitee_removed",
        meeting,
        park=meeting.park,
        details={"title": meeting.title, "email": attendee.email},
    )
    meeting.attendees.remove(attendee)
    db.session.flush()


def _locale(attendee: MeetingAttendee) -> str:
    user = db.session.get(User, attendee.user_id) if attendee.user_id else None
    languages = current_app.config["LANGUAGES"]
    return user.locale if user is not None and user.locale in languages else DEFAULT_LOCALE


def meeting_url(meeting: Meeting) -> str:
    return external_url("meetings.detail", park_id=meeting.park.id, meeting_id=meeting.id)


def _queue(actor: User, meeting: Meeting, attendee: MeetingAttendee, *, now: datetime, cancel: bool) -> None:
    """One mail to one invitee in their language, with the .ics (REQUEST or CANCEL) attached."""
    mail.queue_draft(invitation_mail(actor, meeting, attendee, now=now, cancel=cancel))


def invitation_mail(
    actor: User, meeting: Meeting, attendee: MeetingAttendee, *, now: datetime, cancel: bool = False
) -> mail.Draft:
    """The invitation (or cancellation) mail to one invitee, in their language, with the .ics attached: what
    `send_invitations` queues and the mail preview shows."""
    locale = _locale(attendee)
    # the organizer stays who planned the meeting, so that calendars accept its updates and cancellation
    organizer = db.session.get(User, meeting.created_by_id) if meeting.created_by_id else None
    organizer = organizer or actor
    with force_locale(locale):
        data = ical.invitation_ics(
            meeting,
            attendee,
            organizer=(organizer.email, organizer.name),
            host=ical.config_host(),
            now=now,
            cancel=cancel,
        )
    values = {"title": meeting.title, "park": meeting.park.name}
    if cancel:
        subject = _l("Geannuleerd: %(title)s (%(park)s)", **values)
    elif meeting.sequence > 0:
        subject = _l("Gewijzigd: %(title)s (%(park)s)", **values)
    else:
        subject = _l("Uitnodiging: %(title)s (%(park)s)", **values)
    return mail.Draft(
        attendee.email,
        locale,
        "meeting_cancelled" if cancel else "meeting_invitation",
        subject,
        {
            "name": attendee.name,
            "meeting": meeting,
            "park": meeting.park,
            "organizer": actor.name,
            "changed": meeting.sequence > 0,
            "url": meeting_url(meeting),
        },
        (mail.Attachment("annulering.ics" if cancel else "uitnodiging.ics", "text/calendar", data),),
    )


def send_invitations(actor: User, meeting: Meeting, *, now: datetime) -> int:
    """Mail every invitee an invitation with the meeting as .ics (METHOD:REQUEST, the meeting's UID and SEQUENCE),
    in the invitee's language (a user's own, else Dutch). Sent again after a change, it updates the meeting in
    the invitees' calendars. Returns how many mails were queued.

    The same people as schedule_meeting. Raises DomainError for a cancelled or held meeting, or one without
    invitees.
    """
    ensure_may_run(actor, meeting.cycle)
    _ensure_not_cancelled(meeting)
    if meeting.minutes_at is not None:
        raise DomainError(_("Deze vergadering is al gehouden."))
    if not meeting.attendees:
        raise DomainError(_("Nodig eerst deelnemers uit."))
    for attendee in meeting.attendees:
        _queue(actor, meeting, attendee, now=now, cancel=False)
        attendee.invited_at = now
    meeting.invitations_sent_at = now
    audit.record(
        actor,
        "meetings.invited",
        meeting,
        park=meeting.park,
        details=_details(meeting) | {"sequence": meeting.sequence, "count": len(meeting.attendees)},
    )
    db.session.flush()
    return len(meeting.attendees)


# After the meeting -----------------------------------------------------------------------------------------


def record_attendance(actor: User, meeting: Meeting, attended: Mapping[int, bool | None], *, now: datetime) -> None:
    """Record who came: `attended` maps an invitee's id to True, False or None (not known). Invitees not named
    keep what they had. The same people as schedule_meeting; only once the meeting has begun, never for a
    cancelled one."""
    ensure_may_run(actor, meeting.cycle)
    _ensure_not_cancelled(meeting)
    _ensure_started(meeting, now)
    by_id = {a.id: a for a in meeting.attendees}
    if set(attended) - set(by_id):
        raise DomainError(_("Deze genodigde hoort niet bij deze vergadering."))
    changed = {}
    for attendee_id, value in attended.items():
        if by_id[attendee_id].attended != value:
            by_id[attendee_id].attended = value
            changed[by_id[attendee_id].email] = value
    if changed:
        audit.record(
            actor,
            "meetings.attendance_recorded",
            meeting,
            park=meeting.park,
            details={"title": meeting.title, "attended": changed},
        )
    db.session.flush()


def record_minutes(actor: User, meeting: Meeting, minutes: str | None, *, now: datetime) -> None:
    """Record (or correct) the minutes. The first time sets `minutes_at`: from then on the meeting counts as held
    (the kick-off of step 2, the presentation of step 5). The same people as schedule_meeting; only once the
    meeting has begun, never for a cancelled one; the minutes may not be empty."""
    ensure_may_run(actor, meeting.cycle)
    _ensure_not_cancelled(meeting)
    _ensure_started(meeting, now)
    text = (minutes or "").strip()
    if not text:
        raise DomainError(_("Schrijf het verslag."))
    if len(text) > MINUTES_MAX:
        raise DomainError(_("Het verslag is te lang (hoogstens %(n)s tekens).", n=MINUTES_MAX))
    if text == meeting.minutes and meeting.minutes_at is not None:
        return
    first = meeting.minutes_at is None
    meeting.minutes = text
    if first:
        meeting.minutes_at = now
    audit.record(
        actor,
        "meetings.minutes_recorded",
        meeting,
        park=meeting.park,
        details={"title": meeting.title, "first": first, "length": len(text)},
    )
    db.session.flush()


@dataclass(frozen=True)
class ActionValues:
    """The action a decision becomes: its title (the decision's text when empty), theme, plan quarter (1-8) and
    owners (stakeholders of the cycle)."""

    title: str | None
    quarter: int | None
    theme: Theme | None = None
    owners: list[Stakeholder] = field(default_factory=list)


def record_decision(
    actor: User, meeting: Meeting, text: str | None, *, now: datetime, action: ActionValues | None = None
) -> MeetingDecision:
    """Add a decision to the meeting's minutes; with `action` it becomes an action in the cycle's plan at once
    (through plans.services.add_action, with the `meetings.edit` permission) and the decision keeps it.

    The same people as schedule_meeting; only once the meeting has begun, never for a cancelled one. Raises
    DomainError for an empty or too long text, when the cycle has no plan yet, or for an action that add_action
    refuses (its title, quarter or owners).
    """
    ensure_may_run(actor, meeting.cycle)
    _ensure_not_cancelled(meeting)
    _ensure_started(meeting, now)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Schrijf het besluit op."))
    if len(text) > DECISION_MAX:
        raise DomainError(_("Het besluit is te lang (hoogstens %(n)s tekens).", n=DECISION_MAX))
    made: PlanAction | None = None
    if action is not None:
        plan = find_plan(meeting.cycle)
        if plan is None:
            raise DomainError(
                _(
                    "Deze cyclus heeft nog geen uitvoeringsplan: een besluit kan pas een actie worden als het plan er "
                    "is. Leg het besluit vast zonder actie, of begin eerst het plan."
                )
            )
        made = add_action(
            actor,
            plan,
            title=action.title or text,
            quarter=action.quarter,
            owners=action.owners,
            theme=action.theme,
            description=_(
                "Besluit van %(meeting)s op %(day)s: %(text)s",
                meeting=meeting.title,
                day=long_date(local_day(meeting.starts_at)),
                text=text,
            ),
            permission="meetings.edit",
        )
    decision = MeetingDecision(
        position=max((d.position for d in meeting.decisions), default=0) + 1, text=text, action=made
    )
    meeting.decisions.append(decision)
    audit.record(
        actor,
        "meetings.decision_recorded",
        meeting,
        park=meeting.park,
        details={"title": meeting.title, "decision": text[:200], "action": made.id if made else None},
    )
    db.session.flush()
    return decision


# Reading ---------------------------------------------------------------------------------------------------


def cycle_meetings(cycle: Cycle) -> list[Meeting]:
    return list(
        db.session.scalars(select(Meeting).where(Meeting.cycle_id == cycle.id).order_by(Meeting.starts_at, Meeting.id))
    )


def upcoming_park_meetings(park: Park, *, now: datetime, limit: int = 5) -> list[Meeting]:
    """The park's next meetings, of any of its cycles (a closed cycle's planned meeting is not lost): neither held
    nor cancelled and not yet over, soonest first, at most `limit`."""
    return list(
        db.session.scalars(
            select(Meeting)
            .join(Cycle, Cycle.id == Meeting.cycle_id)
            .where(
                Cycle.park_id == park.id,
                Meeting.minutes_at.is_(None),
                Meeting.cancelled_at.is_(None),
                Meeting.ends_at >= now,
            )
            .order_by(Meeting.starts_at, Meeting.id)
            .limit(limit)
        )
    )


def split_meetings(meetings: list[Meeting], *, now: datetime) -> tuple[list[Meeting], list[Meeting]]:
    """(upcoming: neither held nor cancelled and not yet over, soonest first; the others, most recent first)."""
    upcoming = [m for m in meetings if m.minutes_at is None and m.cancelled_at is None and m.ends_at >= now]
    others = [m for m in meetings if m not in upcoming]
    return upcoming, sorted(others, key=lambda m: (m.starts_at, m.id), reverse=True)


def state_label(meeting: Meeting, *, now: datetime) -> str:
    if meeting.cancelled_at is not None:
        return _("Geannuleerd")
    if meeting.minutes_at is not None:
        return _("Gehouden, met verslag")
    if meeting.starts_at <= now:
        return _("Verslag nog vastleggen")
    if meeting.invitations_sent_at is not None:
        return _("Uitnodigingen verstuurd")
    return _("Gepland")


def kind_held(cycle: Cycle, kind: MeetingKind) -> tuple[bool, str]:
    """Whether a meeting of `kind` was held in the cycle (minutes recorded, not cancelled), with a line for the
    step's checklist: the held meeting's day, the planned one still without minutes, or that none is planned."""
    meetings = [m for m in cycle_meetings(cycle) if m.kind == kind and m.cancelled_at is None]
    done = [m for m in meetings if m.minutes_at is not None]
    if done:
        day = format_date(done[0].starts_at, "long")
        return True, _("%(title)s op %(day)s", title=done[0].title, day=day)
    if meetings:
        return False, _("%(title)s heeft nog geen verslag", title=meetings[0].title)
    return False, _("nog niet gepland")


def results_meeting_held(cycle: Cycle) -> tuple[bool, str]:
    """Whether the results were presented (step 5): a results meeting of the cycle, not cancelled, whose
    invitations were sent and whose minutes are recorded. Otherwise the line names what the nearest one misses."""
    meetings = [m for m in cycle_meetings(cycle) if m.kind == MeetingKind.RESULTS and m.cancelled_at is None]
    for meeting in meetings:
        if meeting.invitations_sent_at is not None and meeting.minutes_at is not None:
            return True, _("%(title)s op %(day)s", title=meeting.title, day=format_date(meeting.starts_at, "long"))
    if not meetings:
        return False, _("nog niet gepland")
    nearest = min(meetings, key=lambda m: (m.invitations_sent_at is None) + (m.minutes_at is None))
    if nearest.invitations_sent_at is None and nearest.minutes_at is None:
        return False, _("%(title)s: de uitnodigingen zijn niet verstuurd en er is geen verslag", title=nearest.title)
    if nearest.invitations_sent_at is None:
        return False, _("%(title)s: de uitnodigingen zijn niet verstuurd", title=nearest.title)
    return False, _("%(title)s: er is geen verslag", title=nearest.title)
