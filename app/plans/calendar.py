"""The communication and activity calendar of a park's cycle (step 6), and the secret address of its iCal feed."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, time

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import audit
from app.auth.models import User
from app.auth.policy import ensure_can
from app.errors import DomainError
from app.extensions import db
from app.parks.models import Cycle, CycleStatus, Park
from app.plans.models import CalendarFeed, CalendarItem, CalendarKind
from app.plans.services import apply_changes
from app.stakeholders.models import Stakeholder

TITLE_MAX = 200
AUDIENCE_MAX = 200
DESCRIPTION_MAX = 5_000
#: a calendar item outside these years is a typing error, not a plan
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)

#: secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet, 256 bits
TOKEN_BYTES = 32
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


# The items -------------------------------------------------------------------------------------------------


def ensure_open(cycle: Cycle) -> None:
    if cycle.status != CycleStatus.ACTIVE:
        raise DomainError(_("Deze cyclus is afgesloten: de kalender ligt vast."))


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


@dataclass(frozen=True)
class ItemValues:
    """An item's fields: as typed, for `add_item` and `update_item`, or as `check_item` cleaned them."""

    kind: CalendarKind
    title: str | None
    on: date | None
    starts_at: time | None = None
    ends_at: time | None = None
    audience: str | None = ""
    owner: Stakeholder | None = None
    description: str | None = ""


def check_item(cycle: Cycle, values: ItemValues) -> ItemValues:
    """The item's fields, cleaned; DomainError for the first rule they break."""
    try:
        kind = CalendarKind(values.kind)
    except ValueError:
        raise DomainError(_("Kies een soort activiteit.")) from None
    title = _one_line(values.title)
    if not title:
        raise DomainError(_("Geef de activiteit een titel."))
    if len(title) > TITLE_MAX:
        raise DomainError(_("De titel is te lang (hoogstens %(n)s tekens).", n=TITLE_MAX))
    on, starts_at, ends_at = values.on, values.starts_at, values.ends_at
    if on is None:
        raise DomainError(_("Kies een datum."))
    if not FIRST_DAY <= on <= LAST_DAY:
        raise DomainError(_("Kies een datum tussen %(first)s en %(last)s.", first=FIRST_DAY.year, last=LAST_DAY.year))
    if ends_at is not None and starts_at is None:
        raise DomainError(_("Geef ook een begintijd, of laat de eindtijd leeg voor een activiteit van de hele dag."))
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        raise DomainError(_("De eindtijd moet na de begintijd liggen."))
    audience = _one_line(values.audience)
    if len(audience) > AUDIENCE_MAX:
        raise DomainError(_("De doelgroep is te lang (hoogstens %(n)s tekens).", n=AUDIENCE_MAX))
    if values.owner is not None and values.owner.cycle_id != cycle.id:
        raise DomainError(_("De eigenaar moet een deelnemer van deze cyclus zijn."))
    description = (values.description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise DomainError(_("De toelichting is te lang (hoogstens %(n)s tekens).", n=DESCRIPTION_MAX))
    # seconds mean nothing in a calendar; dropping them keeps "19:30" and "19:30:00" the same item
    return ItemValues(
        kind=kind,
        title=title,
        on=on,
        starts_at=starts_at.replace(second=0, microsecond=0) if starts_at else None,
        ends_at=ends_at.replace(second=0, microsecond=0) if ends_at else None,
        audience=audience,
        owner=values.owner,
        description=description,
    )


def _audit_details(item: CalendarItem) -> dict:
    return {"title": item.title, "on": item.on.isoformat(), "kind": item.kind.value}


def add_item(actor: User, cycle: Cycle, values: ItemValues) -> CalendarItem:
    """Put an activity on the cycle's calendar: a press release, survey communication, reporting campaign, alert
    evening or information meeting, on a day, all day or from a start time (to an end time after it).

    Advisors and the municipality (`calendar.edit`), on the park's active cycle. The owner must be a stakeholder of
    the cycle. Raises NotAllowed, or DomainError for a closed cycle or fields that break a rule (check_item).
    """
    ensure_can(actor, "calendar.edit", cycle.park)
    ensure_open(cycle)
    item = CalendarItem(cycle=cycle, **vars(check_item(cycle, values)))
    db.session.add(item)
    audit.record(actor, "calendar.item_added", item, park=cycle.park, details=_audit_details(item))
    db.session.flush()
    return item


def update_item(actor: User, item: CalendarItem, values: ItemValues) -> CalendarItem:
    """Change an item of the calendar: the same rules and the same people as add_item. The audit row names the
    fields that changed; saving without a change records nothing."""
    cycle = item.cycle
    ensure_can(actor, "calendar.edit", cycle.park)
    ensure_open(cycle)
    changed = apply_changes(item, vars(check_item(cycle, values)))
    if changed:
        audit.record(
            actor, "calendar.item_updated", item, park=cycle.park, details=_audit_details(item) | {"changed": changed}
        )
    db.session.flush()
    return item


def delete_item(actor: User, item: CalendarItem) -> None:
    """Take an item off the calendar (it leaves the feed too). Advisors and the municipality, active cycle only."""
    cycle = item.cycle
    ensure_can(actor, "calendar.edit", cycle.park)
    ensure_open(cycle)
    audit.record(actor, "calendar.item_deleted", item, park=cycle.park, details=_audit_details(item))
    db.session.delete(item)
    db.session.flush()


def _sort_key(item: CalendarItem) -> tuple:
    # all-day items first within a day, then by start time
    return (item.on, item.starts_at is not None, item.starts_at or time(0), item.id)


def cycle_items(cycle: Cycle) -> list[CalendarItem]:
    """Every item of the cycle by date and time, with its owner loaded (one statement)."""
    query = (
        select(CalendarItem)
        .options(joinedload(CalendarItem.owner))
        .where(CalendarItem.cycle_id == cycle.id)
        .order_by(CalendarItem.on, CalendarItem.id)
    )
    return sorted(db.session.scalars(query).unique(), key=_sort_key)


def split_items(items: list[CalendarItem], *, today: date) -> tuple[list[CalendarItem], list[CalendarItem]]:
    """(upcoming from today on, soonest first; past, most recent first)."""
    upcoming = [item for item in items if item.on >= today]
    past = [item for item in items if item.on < today]
    return upcoming, list(reversed(past))


def time_label(item: CalendarItem) -> str:
    """The item's time for a list: start and end ("19:30" to "21:00", with an en dash), the start, or "hele dag"."""
    if item.starts_at is None:
        return _("hele dag")
    start = item.starts_at.strftime("%H:%M")
    return f"{start}\u2013{item.ends_at.strftime('%H:%M')}" if item.ends_at else start


# The feed --------------------------------------------------------------------------------------------------


def find_feed(park: Park) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.park_id == park.id))


def feed_for_token(token: str) -> CalendarFeed | None:
    """The feed with this secret, or None; a string that cannot be a token never reaches the database."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.token == token))


def _new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def enable_feed(actor: User, park: Park) -> CalendarFeed:
    """Turn on the park's iCal feed: a secret, unguessable address that calendar apps subscribe to without a login.

    Advisors and the municipality (`calendar.edit`). When it is on already, the address stays as it is (and
    nothing is recorded). Raises NotAllowed.
    """
    ensure_can(actor, "calendar.edit", park)
    feed = find_feed(park)
    if feed is None:
        feed = CalendarFeed(park=park, token=_new_token())
        db.session.add(feed)
        audit.record(actor, "calendar.feed_enabled", park, park=park)
        db.session.flush()
    return feed


def renew_feed(actor: User, park: Park) -> CalendarFeed:
    """Give the feed a new secret address; the old one stops working at once (for an address that went round
    too widely). Advisors and the municipality. Raises NotAllowed, or DomainError when the feed is off."""
    ensure_can(actor, "calendar.edit", park)
    feed = find_feed(park)
    if feed is None:
        raise DomainError(_("Het agenda-abonnement staat uit; zet het eerst aan."))
    feed.token = _new_token()
    audit.record(actor, "calendar.feed_renewed", park, park=park)
    db.session.flush()
    return feed


def disable_feed(actor: User, park: Park) -> None:
    """Turn the feed off: its address stops working. Advisors and the municipality; when it is off already,
    nothing happens. Raises NotAllowed."""
    ensure_can(actor, "calendar.edit", park)
    feed = find_feed(park)
    if feed is not None:
        db.session.delete(feed)
        audit.record(actor, "calendar.feed_disabled", park, park=park)
        db.session.flush()
