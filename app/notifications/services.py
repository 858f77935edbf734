"""Handing items to digests, and building a user's digest mail."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, or_, select

from app import mail
from app.auth.models import DigestFrequency, User
from app.extensions import db
from app.links import base_url, external_url
from app.notifications.models import Notification
from app.parks.models import Park

DIGEST_SUBJECTS = {
    DigestFrequency.DAILY: _l("Uw dagoverzicht van Veilig Bedrijventerrein"),
    DigestFrequency.WEEKLY: _l("Uw weekoverzicht van Veilig Bedrijventerrein"),
}


def notify(
    user: User,
    *,
    kind: str,
    heading: object,
    text: object,
    path: str | None = None,
    park: Park | None = None,
    required: bool = False,
) -> Notification:
    """Hand one item to the user's next digest. `heading` and `text` (lazy translations) are written in the
    user's language now. `required` items reach users who chose no digest, in a weekly mail."""
    with force_locale(user.locale):
        notification = Notification(
            user=user,
            park=park,
            kind=kind,
            heading=str(heading)[:200],
            text=str(text)[:1000],
            path=path,
            required=required,
        )
    db.session.add(notification)
    db.session.flush()
    return notification


def _pending(frequency: DigestFrequency):
    """The condition for notifications that the digest of `frequency` carries."""
    if frequency == DigestFrequency.DAILY:
        return User.digest_frequency == DigestFrequency.DAILY
    return or_(
        User.digest_frequency == DigestFrequency.WEEKLY,
        (User.digest_frequency == DigestFrequency.NONE) & Notification.required,
    )


def users_with_pending_digest(frequency: DigestFrequency) -> list[User]:
    """Active users with undigested notifications that the digest of `frequency` carries."""
    has_pending = exists().where(
        Notification.user_id == User.id, Notification.digested_at.is_(None), _pending(frequency)
    )
    return list(db.session.scalars(select(User).where(User.is_active, has_pending).order_by(User.id)))


@dataclass
class DigestGroup:
    heading: str
    items: list[Notification] = field(default_factory=list)


@dataclass
class DigestSection:
    park: Park | None
    groups: list[DigestGroup] = field(default_factory=list)


def group_for_digest(notifications: list[Notification]) -> list[DigestSection]:
    """Per park (by name, items without a park last), then per kind of item, oldest item first."""
    ordered = sorted(
        notifications,
        key=lambda n: (n.park is None, n.park.name if n.park else "", n.park_id or 0, n.kind, n.created_at, n.id),
    )
    sections: list[DigestSection] = []
    for notification in ordered:
        if not sections or sections[-1].park is not notification.park:
            sections.append(DigestSection(park=notification.park))
        groups = sections[-1].groups
        if not groups or groups[-1].heading != notification.heading:
            groups.append(DigestGroup(heading=notification.heading))
        groups[-1].items.append(notification)
    return sections


def send_digest(user: User, frequency: DigestFrequency, *, now: datetime) -> int:
    """Queue one digest mail with the user's undigested items for `frequency` and mark them; return the count."""
    notifications = list(
        db.session.scalars(
            select(Notification)
            .join(User, Notification.user_id == User.id)
            .where(Notification.user_id == user.id, Notification.digested_at.is_(None), _pending(frequency))
        )
    )
    if not notifications:
        return 0
    mail.queue(
        user.email,
        user.locale,
        "digest",
        DIGEST_SUBJECTS[frequency],
        user=user,
        sections=group_for_digest(notifications),
        count=len(notifications),
        base_url=base_url(),
        profile_url=external_url("auth.profile"),
    )
    for notification in notifications:
        notification.digested_at = now
    db.session.flush()
    return len(notifications)
