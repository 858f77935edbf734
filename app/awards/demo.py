"""Demo awards: one park awarded (every partner signed, ceremony date, press release) and one with the signatures
requested and some given. Written directly, without mails; a park whose steps 1-6 are not complete is left alone,
so that the demo never shows an award the process could not have reached."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from app.auth.models import User
from app.auth.policy import can
from app.awards.models import Award, Signature
from app.awards.press import draft_press_release
from app.awards.readiness import is_ready, readiness
from app.awards.services import find_award, valid_until_for
from app.clock import local_day
from app.extensions import db
from app.parks.models import Park
from app.parks.services import active_cycle
from app.stakeholders.models import Stakeholder

#: the park that has its award, and the park whose signatures are out
AWARDED = ("Cartesiusweg",)
REQUESTED = ("Lage Weide",)
#: who asks for the signatures: the first of these demo users (local part of the address) who manages the park,
#: else any user who does
REQUESTERS = ("adviseur", "gemeente")


def _requester(park: Park, users_by_email: Mapping[str, User], *, now: datetime) -> User | None:
    preferred = [user for local in REQUESTERS for email, user in users_by_email.items() if email.split("@")[0] == local]
    candidates = preferred + [user for user in users_by_email.values() if user not in preferred]
    today = local_day(now)
    return next((u for u in candidates if not u.is_admin and can(u, "awards.manage", park, today=today)), None)


def _signer(stakeholder: Stakeholder, users: Iterable[User]) -> User | None:
    """A demo user of the stakeholder's organisation (the representative first), to record as the signer."""
    representative = stakeholder.representative_user
    if representative is not None and representative.organisation_id == stakeholder.organisation_id:
        return representative
    return next((u for u in users if u.organisation_id == stakeholder.organisation_id), None)


def _sign(award: Award, stakeholder: Stakeholder, users: Iterable[User], *, at: datetime) -> None:
    signer = _signer(stakeholder, users)
    db.session.add(
        Signature(
            award=award,
            stakeholder_id=stakeholder.id,
            user_id=signer.id if signer else None,
            name=stakeholder.signatory_name or (signer.name if signer else stakeholder.organisation.name),
            function=stakeholder.signatory_function or "Directeur",
            signed_at=at,
        )
    )


def seed_demo(
    parks_by_name: Mapping[str, Park],
    users_by_email: Mapping[str, User],
    *,
    now: datetime,
    awarded: Iterable[str] = AWARDED,
    requested: Iterable[str] = REQUESTED,
) -> list[Award]:
    """Give the `awarded` parks a granted award (requested 40 days ago, signed over the following days, ceremony
    three weeks after the last signature, a press release draft) and the `requested` parks a request of ten days ago
    with the first half of their partners signed. A park that already has an award in its active cycle, or whose
    steps 1-6 are not complete, is skipped: running it again adds nothing. Returns the awards made."""
    users = list(users_by_email.values())
    made = []
    for name, granted in [(n, True) for n in awarded] + [(n, False) for n in requested]:
        park = parks_by_name.get(name)
        if park is None:
            continue
        cycle = active_cycle(park)
        if find_award(cycle) is not None or not cycle.stakeholders or not is_ready(readiness(cycle)):
            continue
        requested_at = now - timedelta(days=40 if granted else 10)
        requester = _requester(park, users_by_email, now=now)
        award = Award(
            cycle=cycle,
            requested_at=requested_at,
            requested_by_id=requester.id if requester else None,
            press_release="",
        )
        db.session.add(award)
        stakeholders = list(cycle.stakeholders)
        signing = stakeholders if granted else stakeholders[: len(stakeholders) // 2]
        for index, stakeholder in enumerate(signing):
            _sign(award, stakeholder, users, at=requested_at + timedelta(days=2 + 3 * index, hours=index))
        if granted:
            last = requested_at + timedelta(days=2 + 3 * (len(signing) - 1), hours=len(signing) - 1)
            award.awarded_on = local_day(last)
            award.valid_until = valid_until_for(park, award.awarded_on)
            award.ceremony_on = award.awarded_on + timedelta(days=21)
            db.session.flush()
            award.press_release = draft_press_release(cycle, award)
        db.session.flush()
        made.append(award)
    return made
