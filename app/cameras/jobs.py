"""The camera jobs: reminders of quality checks (the park's camera officers hear in their digest of a check due
within a week or overdue, once per check, due date and officer), of half-yearly evaluations (in the digest once
the half-year has ended, once per network, half-year and officer; required when still open three months later)
and alerts for cameras offline longer than
CAMERA_OFFLINE_ALERT_HOURS (a mail at once to the officers and the network's operator, once per outage, and only
while the camera is still offline when the mail is made)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import LazyString, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app import mail
from app.auth.models import Membership, Role, User
from app.cameras import checks, evaluations, health
from app.cameras.models import CameraNetwork, CameraOutage, CameraStatus, Evaluation, QualityCheck
from app.clock import LOCAL_TIME, local_day
from app.extensions import db
from app.jobs.registry import cron, every, register
from app.links import external_url, site_path
from app.notifications import notify
from app.reports.wording import long_date

KIND = "cameras.checks_due"
HEADING = _l("Kwaliteitscontroles van cameranetwerken")


def _officers(park_id: int, *, today: date) -> list[User]:
    """The active users with a current camera-officer role on the park."""
    memberships = db.session.scalars(
        select(Membership)
        .options(joinedload(Membership.user))
        .where(
            Membership.role == Role.CAMERA_OFFICER,
            Membership.park_id == park_id,
            or_(Membership.ends_on.is_(None), Membership.ends_on >= today),
        )
        .order_by(Membership.id)
    ).all()
    return list({m.user.id: m.user for m in memberships if m.user.is_active}.values())


def checks_due(now: datetime) -> list[tuple[QualityCheck, User]]:
    """(check, officer) for every network whose planned check is due within a week or overdue. A network without a
    planned check gets one at its next due date first (so that the date, and with it the reminder, stays put)."""
    today = local_day(now)
    items = []
    for network in db.session.scalars(select(CameraNetwork).order_by(CameraNetwork.id)):
        check = checks.open_check(network, today=today)
        if check.due_on <= today + timedelta(days=checks.DUE_SOON_DAYS):
            items += [(check, user) for user in _officers(network.park_id, today=today)]
    return items


def _key(item: tuple[QualityCheck, User]) -> str:
    check, user = item
    return f"check:{check.id}:due:{check.due_on.isoformat()}:user:{user.id}"


def notify_check_due(check: QualityCheck, user: User, *, now: datetime) -> bool:
    """Put a due or overdue check in the officer's digest; an overdue one is required (it reaches users who chose
    no digest, weekly). A check done in the meantime is left out. Returns whether a line was made."""
    db.session.refresh(check)
    if check.done_on is not None:
        return False
    network = check.network
    park = network.park
    overdue = check.due_on < local_day(now)
    name, due_on = network.name, check.due_on

    def text() -> str:
        values = {"network": name, "park": park.name, "date": format_date(due_on, "long")}
        if overdue:
            return _("%(network)s (%(park)s): de controle had uiterlijk %(date)s moeten gebeuren.", **values)
        return _("%(network)s (%(park)s): controle uiterlijk %(date)s.", **values)

    notify(
        user,
        kind=KIND,
        heading=HEADING,
        text=LazyString(text),
        path=site_path("camera_checks.index", park_id=park.id),
        park=park,
        required=overdue,
    )
    return True


register(
    "cameras.checks_due",
    description=_l("Cameracoördinatoren wijzen op kwaliteitscontroles die eraan komen of achterstallig zijn"),
    trigger=cron(hour=6, minute=45),  # Dutch time, before the digests at 07:00
    find=checks_due,
    key=_key,
    handle=lambda item, now: notify_check_due(*item, now=now),
)


# -- half-yearly evaluations ---------------------------------------------------------------------------------------

EVALUATION_KIND = "cameras.evaluations_due"
EVALUATION_HEADING = _l("Halfjaarlijkse evaluaties van cameranetwerken")
#: how long after the half-year an open evaluation is reported again, as a required line
EVALUATION_GRACE = timedelta(days=91)


@dataclass(frozen=True)
class EvaluationDue:
    network: CameraNetwork
    start: date
    end: date
    user: User
    overdue: bool


def evaluations_due(now: datetime) -> list[EvaluationDue]:
    """The open evaluation of the last ended half-year, per officer, of every network with cameras in use that
    existed during that half-year; overdue once EVALUATION_GRACE has passed since it ended."""
    today = local_day(now)
    start, end = evaluations.half_year_before(today)
    items = []
    for network in db.session.scalars(select(CameraNetwork).order_by(CameraNetwork.id)):
        if local_day(network.created_at) > end:
            continue
        if not any(camera.status != CameraStatus.REMOVED for camera in network.cameras):
            continue
        if not _evaluated(network, start):
            overdue = today > end + EVALUATION_GRACE
            items += [
                EvaluationDue(network, start, end, user, overdue) for user in _officers(network.park_id, today=today)
            ]
    return items


def _evaluated(network: CameraNetwork, start: date) -> bool:
    found = select(Evaluation.id).where(Evaluation.network_id == network.id, Evaluation.period_start == start)
    return db.session.scalar(found) is not None


def _evaluation_key(item: EvaluationDue) -> str:
    stage = "overdue" if item.overdue else "due"
    return f"network:{item.network.id}:evaluation:{item.start.isoformat()}:{stage}:user:{item.user.id}"


def notify_evaluation_due(item: EvaluationDue) -> bool:
    """Put an open evaluation in the officer's digest: once when the half-year has ended, and once more, required
    (it reaches users without a digest), when it is overdue. An evaluation recorded in the meantime is left out.
    Returns whether a line was made."""
    network = item.network
    if _evaluated(network, item.start):
        return False
    park = network.park
    name, start, end = network.name, item.start, item.end

    def text() -> str:
        return _(
            "%(network)s (%(park)s): evalueer het cameratoezicht over %(start)s tot en met %(end)s.",
            network=name,
            park=park.name,
            start=format_date(start, "long"),
            end=format_date(end, "long"),
        )

    notify(
        item.user,
        kind=EVALUATION_KIND,
        heading=EVALUATION_HEADING,
        text=LazyString(text),
        path=site_path("camera_evaluations.index", park_id=park.id),
        park=park,
        required=item.overdue,
    )
    return True


register(
    EVALUATION_KIND,
    description=_l("Cameracoördinatoren wijzen op de halfjaarlijkse evaluatie van hun cameranetwerk"),
    trigger=cron(hour=6, minute=50),  # Dutch time, before the digests at 07:00
    find=evaluations_due,
    key=_evaluation_key,
    handle=lambda item, now: notify_evaluation_due(item),
)


# -- offline alerts -------------------------------------------------------------------------------------------------

OFFLINE_KIND = "cameras.offline_alerts"


def _outage_key(outage: CameraOutage) -> str:
    return f"outage:{outage.id}:offline"


def alert_offline(outage: CameraOutage, *, now: datetime) -> bool:
    """Alert the park's camera officers (each in their own language) and the network's operator (when the network
    has an operator email) of an outage longer than CAMERA_OFFLINE_ALERT_HOURS hours, by mail at once: a camera
    that is down cannot wait for a digest. Once per outage: the job records its key. The camera's status is checked
    again just before sending (`health.still_offline`): a camera back online by then (an import ended the outage
    since the job found it), or removed, gets no mail. Returns whether anyone was told."""
    if not health.still_offline(outage):
        return False
    camera = outage.camera
    network = camera.network
    park = network.park
    started = outage.started_at.astimezone(LOCAL_TIME)
    code, name = camera.code, network.name
    hours = int((now - outage.started_at).total_seconds() // 3600)

    def text() -> str:
        # the day in words, as every mail writes it (a short date reads "06-12-2026")
        since = _("%(date)s om %(time)s", date=long_date(started.date()), time=started.strftime("%H:%M"))
        values = {"code": code, "network": name, "since": since, "hours": hours}
        return _("Camera %(code)s (%(network)s) is offline sinds %(since)s (%(hours)s uur).", **values)

    url = external_url("camera_health.index", park_id=park.id)
    recipients = [(user.email, user.locale, user.name) for user in _officers(park.id, today=local_day(now))]
    if network.operator_email:
        recipients.append((network.operator_email, current_app.config.get("BABEL_DEFAULT_LOCALE", "nl"), None))
    for email, locale, recipient_name in recipients:
        mail.queue(
            email,
            locale,
            "camera_offline",
            _l("Camera %(code)s van %(park)s is lang offline", code=code, park=park.name),
            network=network,
            name=recipient_name,
            text=LazyString(text),
            url=url,
        )
    return bool(recipients)


register(
    OFFLINE_KIND,
    description=_l("Cameracoördinatoren en de beheerder waarschuwen voor camera's die lang offline zijn"),
    trigger=every(minutes=15),
    find=health.long_outages,
    key=_outage_key,
    handle=lambda outage, now: alert_offline(outage, now=now),
)
