"""Demo awards: one park awarded (every partner signed, ceremony date, press release) and one with the signatures
requested and some given. Every signatory got a personal link: the first partner signed through it, without an
account, the others while logged in under their own name (or through their link when the demo has no user of
their organisation); of those still to sign one opened the link. The declaration of intent is recorded first, as
the award rests on it. Written directly, without mails (the links' tokens are thrown away: only their digests are
stored); a park whose steps 1-6 are not complete is left alone, so that the demo never shows an award the process
could not have reached."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.auth.models import User
from app.auth.policy import can
from app.awards.models import Award, Signature, SignedBy, SigningLink
from app.awards.press import draft_press_release
from app.awards.readiness import is_ready, readiness
from app.awards.services import find_award, valid_until_for
from app.awards.signing import LINK_VALID_DAYS
from app.clock import local_day, working_day_from
from app.extensions import db
from app.links import new_link_token
from app.meetings.models import Meeting, MeetingKind
from app.parks.models import Cycle, Park
from app.parks.services import active_cycle
from app.stakeholders.models import Stakeholder

#: the park that has its award, and the park whose signatures are out
AWARDED = ("Cartesiusweg",)
REQUESTED = ("Lage Weide",)
#: the function a demo user confirms when signing while logged in (local part -> function): their own, for a user
#: who is not the organisation's authorised signatory ("Sanne Secretaris, Voorzitter" read false on the certificate)
SIGNER_FUNCTIONS = {
    "gemeente": "Gebiedsmanager veiligheid",
    "politie": "Wijkagent",
    "brandweer": "Adviseur risicobeheersing",
    "secretaris": "Secretaris",
    "ondernemer": "Voorzitter werkgroep",
}
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


def _link(award: Award, stakeholder: Stakeholder, *, sent: datetime, by: User | None) -> SigningLink | None:
    """The personal link the signatory was sent (no mail; its token is not kept), or None without an address."""
    if not stakeholder.signatory_email:
        return None
    link = SigningLink(
        award=award,
        stakeholder_id=stakeholder.id,
        token_digest=new_link_token()[1],
        name=stakeholder.signatory_name,
        function=stakeholder.signatory_function,
        email=stakeholder.signatory_email,
        sent_at=sent,
        sent_by_id=by.id if by else None,
        expires_at=sent + timedelta(days=LINK_VALID_DAYS),
    )
    db.session.add(link)
    return link


def _function(stakeholder: Stakeholder, signer: User | None) -> str:
    """The function a signature states: a logged-in demo user's own, else the authorised signatory's."""
    own = SIGNER_FUNCTIONS.get(signer.email.split("@")[0]) if signer is not None else None
    return own or stakeholder.signatory_function or "Directeur"


def _sign(
    award: Award, stakeholder: Stakeholder, users: Iterable[User], link: SigningLink | None, *, by_link: bool, at
) -> None:
    """A signature through the link (the signatory's own name), else while logged in (the user's own name)."""
    signer = None if by_link and link is not None else _signer(stakeholder, users)
    if signer is None and link is not None:
        link.opened_at, link.used_at = at - timedelta(minutes=5), at
        db.session.flush()
    db.session.add(
        Signature(
            award=award,
            stakeholder_id=stakeholder.id,
            user_id=signer.id if signer else None,
            name=signer.name if signer else (stakeholder.signatory_name or stakeholder.organisation.name),
            function=_function(stakeholder, signer),
            signed_at=at,
            method=SignedBy.ACCOUNT if signer else SignedBy.LINK,
            link_id=link.id if signer is None and link is not None else None,
        )
    )


def _kickoff_day(cycle: Cycle) -> date:
    """The day of the cycle's kick-off meeting (its start when the demo has none)."""
    kickoff = db.session.scalar(
        select(Meeting.starts_at)
        .where(Meeting.cycle_id == cycle.id, Meeting.kind == MeetingKind.KICKOFF)
        .order_by(Meeting.starts_at)
        .limit(1)
    )
    return local_day(kickoff) if kickoff is not None else cycle.starts_on


def _record_declaration(cycle: Cycle, stakeholders: Iterable[Stakeholder]) -> None:
    """The declaration of intent, signed on paper at the kick-off, recorded where it is not yet (or where an older
    demo dated it before the cycle began)."""
    on = _kickoff_day(cycle)
    for stakeholder in stakeholders:
        if stakeholder.declaration_signed_on is None or stakeholder.declaration_signed_on < cycle.starts_on:
            stakeholder.declaration_signed_on = on
            stakeholder.declaration_signed_by = stakeholder.signatory_name or stakeholder.organisation.name


def _update_signatures(award: Award, users: Iterable[User]) -> None:
    """What an older demo wrote differently, set right: a signature through the link carries the signatory's name
    and function (not "Directeur ..."), and one given while logged in is by a user of the organisation it signs for
    (Lage Weide's chair once signed for Cartesiusweg's association), with that user's own function."""
    for signature in award.signatures:
        stakeholder = db.session.get(Stakeholder, signature.stakeholder_id)
        signer = db.session.get(User, signature.user_id) if signature.user_id else None
        if signer is not None and signer.organisation_id != stakeholder.organisation_id:
            signer = _signer(stakeholder, users)
            if signer is not None:
                signature.user_id, signature.name = signer.id, signer.name
        if signer is None and signature.name.startswith("Directeur "):
            signature.name = stakeholder.signatory_name or stakeholder.organisation.name
        if signer is not None or (signature.function == "Directeur" and stakeholder.signatory_function):
            signature.function = _function(stakeholder, signer)


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
        existing = find_award(cycle)
        if existing is not None:
            _record_declaration(cycle, cycle.stakeholders)
            _update_signatures(existing, users)
            continue
        if not cycle.stakeholders or not is_ready(readiness(cycle)):
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
        _record_declaration(cycle, stakeholders)
        db.session.flush()
        links = {s.id: _link(award, s, sent=requested_at, by=requester) for s in stakeholders}
        db.session.flush()
        signing = stakeholders if granted else stakeholders[: len(stakeholders) // 2]
        for index, stakeholder in enumerate(signing):
            at = requested_at + timedelta(days=2 + 3 * index, hours=index)
            _sign(award, stakeholder, users, links[stakeholder.id], by_link=index == 0, at=at)
        waiting = [links[s.id] for s in stakeholders[len(signing) :] if links[s.id] is not None]
        if waiting:
            waiting[0].opened_at = requested_at + timedelta(days=1)
        if granted:
            last = requested_at + timedelta(days=2 + 3 * (len(signing) - 1), hours=len(signing) - 1)
            award.awarded_on = local_day(last)
            award.valid_until = valid_until_for(park, award.awarded_on)
            award.ceremony_on = working_day_from(award.awarded_on + timedelta(days=21))
            db.session.flush()
            award.press_release = draft_press_release(cycle, award, today=local_day(now))
        db.session.flush()
        made.append(award)
    return made
