"""Pausing a park (gepauzeerd, domain.md: the cooperation lapses for a while) and ending the pause.

What a paused park does: it keeps all its data and pages, and the people who run it may go on working in it, but
the scheduled jobs leave it alone: no quarterly meeting proposals or reminders, no action or calendar reminders, no
survey reminders and no award expiry warnings. Camera jobs go on (the camera network and its legal frame do not
pause with the cooperation). A stopped park (gestopt) is left alone by the jobs in the same way. Mail already
queued still goes out.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.auth.policy import ensure_can
from app.errors import DomainError
from app.extensions import db
from app.parks.models import Park, ParkStatus

#: the longest reason kept
REASON_LIMIT = 2_000


def reminded(park_id_column):
    """An SQL condition for the jobs' queries: the park of `park_id_column` gets reminders (it is active, not paused
    or stopped)."""
    return park_id_column.in_(select(Park.id).where(Park.status == ParkStatus.ACTIVE))


def gets_reminders(park: Park) -> bool:
    """Whether the jobs remind the people of `park`: only while it is active (not paused or stopped)."""
    return park.status == ParkStatus.ACTIVE


def _change(actor: User, park: Park, *, to: ParkStatus, reason: str, now: datetime, refusal, action: str) -> None:
    """Move the park to `to` with a reason, audited as `action`; `refusal()` says why not when the park is not in
    the status the change starts from (ACTIVE for a pause, PAUSED for its end)."""
    ensure_can(actor, "park.pause", park)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Geef een reden op."))
    if len(reason) > REASON_LIMIT:
        raise DomainError(_("De reden is te lang (hoogstens %(n)s tekens).", n=REASON_LIMIT))
    start = ParkStatus.ACTIVE if to == ParkStatus.PAUSED else ParkStatus.PAUSED
    if park.status != start:
        raise DomainError(refusal())
    park.status, park.status_reason, park.status_changed_at = to, reason, now
    audit.record(actor, action, park, park=park, details={"reason": reason})
    db.session.flush()


def pause_park(actor: User, park: Park, *, reason: str, now: datetime) -> None:
    """Pause an active park with a reason: the jobs stop reminding its people (module docstring).

    Advisors and the municipality of the park (`park.pause`); NotAllowed otherwise. DomainError without a reason (or
    one over REASON_LIMIT) or when the park is not active. Audited as "parks.paused" with the reason. Flushes only.
    """
    _change(
        actor,
        park,
        to=ParkStatus.PAUSED,
        reason=reason,
        now=now,
        refusal=lambda: _(
            "Dit park is niet actief (%(status)s) en kan niet worden gepauzeerd.", status=park.status.label
        ),
        action="parks.paused",
    )


def resume_park(actor: User, park: Park, *, reason: str, now: datetime) -> None:
    """End the pause of a paused park with a reason: it is active again and the jobs remind its people again.

    Advisors and the municipality of the park (`park.pause`); NotAllowed otherwise. DomainError without a reason (or
    one over REASON_LIMIT) or when the park is not paused. Audited as "parks.resumed" with the reason. Flushes only.
    """
    _change(
        actor,
        park,
        to=ParkStatus.ACTIVE,
        reason=reason,
        now=now,
        refusal=lambda: _("Dit park is niet gepauzeerd."),
        action="parks.resumed",
    )
