"""The footage-request log (domain notes (e) 3 and 8).

Footage goes only to justice on a written demand (a demand reference and date) and only while it still exists:
the whole time window must lie within the network's retention period. Every other request is recorded as refused
with its reason. Only the camera officer (and admins) may record or see the log (`cameras.footage`), and every
view of the log or of one request is audited (`cameras.footage_log_viewed`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.auth.policy import ensure_can
from app.cameras.models import Camera, CameraNetwork, FootageDecision, FootageRequest, RequesterKind
from app.clock import local_day
from app.errors import DomainError
from app.extensions import db
from app.parks.models import Park

AUTHORITY_MAX = 200
REFERENCE_MAX = 100
HANDED_OVER_BY_MAX = 200


def network_of(park: Park) -> CameraNetwork | None:
    return db.session.scalar(select(CameraNetwork).where(CameraNetwork.park_id == park.id))


def record_request(
    actor: User,
    network: CameraNetwork,
    *,
    received_on: date,
    requester_kind: RequesterKind,
    authority: str,
    demand_reference: str | None,
    demand_date: date | None,
    cameras: Sequence[Camera],
    window_start: datetime,
    window_end: datetime,
    decision: FootageDecision,
    reason: str = "",
    handed_over_by: str | None = None,
    now: datetime,
) -> FootageRequest:
    """Record a footage request with its decision (`cameras.footage`; NotAllowed otherwise).

    PROVIDED only for RequesterKind.JUSTICE with a demand reference and demand date, and only when the window lies
    within the retention period (start >= now - retention_days, end <= now); it records who handed it over (the
    actor when not given) and when (`now`). REFUSED needs a reason. DomainError also for an empty authority, no
    cameras or a camera of another network, a window whose start is not before its end, and dates in the future.
    `window_start`, `window_end` and `now` are aware datetimes.
    """
    ensure_can(actor, "cameras.footage", network.park)
    authority = authority.strip()
    reference = (demand_reference or "").strip() or None
    reason = reason.strip()
    today = local_day(now)  # the day in the Netherlands: a demand dated today is not in the future at 00:30
    if not authority:
        raise DomainError(_("Vul in wie om de beelden vraagt."))
    if len(authority) > AUTHORITY_MAX or (reference and len(reference) > REFERENCE_MAX):
        raise DomainError(_("Een van de teksten is te lang."))
    if received_on > today or (demand_date is not None and demand_date > today):
        raise DomainError(_("De datum van ontvangst en van de vordering kunnen niet in de toekomst liggen."))
    if not cameras:
        raise DomainError(_("Kies de camera's waarvan beelden worden gevraagd."))
    if any(camera.network_id != network.id for camera in cameras):
        raise DomainError(_("Kies alleen camera's van dit netwerk."))
    if window_start >= window_end:
        raise DomainError(_("Het begin van de periode moet vóór het einde liggen."))
    handed_by: str | None = None
    handed_at: datetime | None = None
    if decision == FootageDecision.PROVIDED:
        if requester_kind != RequesterKind.JUSTICE or not reference or demand_date is None:
            raise DomainError(
                _(
                    "Beelden worden alleen verstrekt op een schriftelijke vordering van justitie: "
                    "vul het kenmerk en de datum van de vordering in, of weiger het verzoek met een reden."
                )
            )
        if window_end > now:
            raise DomainError(_("De gevraagde periode ligt (deels) in de toekomst: daarvan bestaan geen beelden."))
        if window_start < now - timedelta(days=network.retention_days):
            raise DomainError(
                _(
                    "De beelden bestaan niet meer: ze worden %(days)s dagen bewaard. "
                    "Weiger het verzoek met deze reden.",
                    days=network.retention_days,
                )
            )
        handed_by = (handed_over_by or "").strip()[:HANDED_OVER_BY_MAX] or actor.name
        handed_at = now
    elif not reason:
        raise DomainError(_("Geef de reden waarom het verzoek is geweigerd."))
    request = FootageRequest(
        network=network,
        received_on=received_on,
        requester_kind=requester_kind,
        authority=authority,
        demand_reference=reference,
        demand_date=demand_date,
        window_start=window_start,
        window_end=window_end,
        decision=decision,
        reason=reason,
        handed_over_by=handed_by,
        handed_over_at=handed_at,
        recorded_by_id=actor.id,
    )
    request.cameras = list(cameras)
    db.session.add(request)
    db.session.flush()
    audit.record(
        actor,
        "cameras.footage_recorded",
        request,
        park=network.park,
        details={
            "decision": decision.value,
            "requester_kind": requester_kind.value,
            "authority": authority,
            "demand_reference": reference,
            "cameras": [camera.code for camera in cameras],
        },
    )
    db.session.flush()
    return request


def view_log(actor: User, park: Park) -> list[FootageRequest]:
    """The park's footage requests, newest first (`cameras.footage`); the view is audited."""
    ensure_can(actor, "cameras.footage", park)
    network = network_of(park)
    requests = (
        list(
            db.session.scalars(
                select(FootageRequest)
                .where(FootageRequest.network_id == network.id)
                .order_by(FootageRequest.received_on.desc(), FootageRequest.id.desc())
            )
        )
        if network
        else []
    )
    audit.record(actor, "cameras.footage_log_viewed", network or park, park=park, details={"requests": len(requests)})
    db.session.flush()
    return requests


def view_request(actor: User, request: FootageRequest) -> FootageRequest:
    """One footage request (`cameras.footage`); the view is audited."""
    park = request.network.park
    ensure_can(actor, "cameras.footage", park)
    audit.record(actor, "cameras.footage_log_viewed", request, park=park, details={"request": request.id})
    db.session.flush()
    return request
