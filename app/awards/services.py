"""The award (waardering, step 7): requesting the signatures, signing, granting, the ceremony date, the press
release and the award's validity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app import audit, mail
from app.auth.models import Membership, User
from app.auth.policy import MANAGERS, ensure_can, may_sign_award, signs_for
from app.awards.models import Award, Signature
from app.awards.readiness import is_ready, missing_text, readiness
from app.cameras.checks import add_months
from app.clock import local_day
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.links import external_url
from app.meetings.services import FIRST_DAY, LAST_DAY
from app.parks.models import Cycle, CycleStatus, Park, Track
from app.parks.services import CYCLE_YEARS
from app.plans.services import ensure_open
from app.stakeholders.models import Stakeholder

NAME_MAX = 200
PRESS_RELEASE_MAX = 20_000
#: the page and the managers hear of the renewal from this many months before the award runs out
RENEWAL_WARNING_MONTHS = 6


def find_award(cycle: Cycle) -> Award | None:
    return db.session.scalar(select(Award).where(Award.cycle_id == cycle.id))


def latest_granted(park: Park) -> Award | None:
    """The park's most recent granted award, of whichever cycle (after the herijking the previous cycle's award
    stays valid until the new one is granted)."""
    return db.session.scalar(
        select(Award)
        .join(Cycle, Cycle.id == Award.cycle_id)
        .where(Cycle.park_id == park.id, Award.awarded_on.is_not(None))
        .order_by(Award.awarded_on.desc(), Award.id.desc())
        .limit(1)
    )


def valid_years(park: Park) -> int:
    """How long an award of the park counts: the length of its track's cycle (PVO 2 years, KVO-B 3)."""
    return CYCLE_YEARS[park.track or Track.PVO]


def valid_until_for(park: Park, awarded_on: date) -> date:
    """The last day an award granted on `awarded_on` counts (29 February becomes 28 February)."""
    return add_months(awarded_on, 12 * valid_years(park))


def signed_stakeholder_ids(award: Award) -> set[int]:
    return {signature.stakeholder_id for signature in award.signatures}


def unsigned(award: Award) -> list[Stakeholder]:
    """The cycle's stakeholders that have not signed yet, in the order of the stakeholder list."""
    signed = signed_stakeholder_ids(award)
    return [stakeholder for stakeholder in award.cycle.stakeholders if stakeholder.id not in signed]


def all_signed(award: Award) -> bool:
    return award.requested_at is not None and bool(award.cycle.stakeholders) and not unsigned(award)


def stakeholder_of(user: User, cycle: Cycle) -> Stakeholder | None:
    """The cycle's stakeholder that `user` may sign for (`signs_for`): the one of the user's organisation."""
    return next((s for s in cycle.stakeholders if signs_for(user, s)), None)


def _award_for(cycle: Cycle) -> Award:
    award = find_award(cycle)
    if award is None:
        award = Award(cycle=cycle, press_release="")
        db.session.add(award)
        db.session.flush()
    return award


def _ensure_active(cycle: Cycle) -> None:
    ensure_open(cycle)


# Requesting the signatures -----------------------------------------------------------------------------------


def _representative_address(stakeholder: Stakeholder) -> tuple[str, str, str | None] | None:
    """(email, locale, name) of the stakeholder's representative, or None when there is no address."""
    user = stakeholder.representative_user
    if user is not None and user.is_active:
        return user.email, user.locale, user.name
    if stakeholder.representative_email:
        return (
            stakeholder.representative_email,
            current_app.config.get("BABEL_DEFAULT_LOCALE", "nl"),
            stakeholder.representative_name,
        )
    return None


def request_signatures(actor: User, cycle: Cycle, *, now: datetime) -> tuple[Award, int]:
    """Ask every stakeholder's signatory to sign the award, by a mail to its representative (in their language)
    with the link to the signing page. Returns the award and how many mails were queued.

    Advisors and the municipality (`awards.manage`), in an active cycle, once per cycle, and only when steps 1-6
    are complete: otherwise DomainError lists what is missing. The cycle needs stakeholders.
    """
    ensure_can(actor, "awards.manage", cycle.park)
    _ensure_active(cycle)
    steps = readiness(cycle)
    if not is_ready(steps):
        raise DomainError(missing_text(steps))
    if not cycle.stakeholders:
        raise DomainError(_("Er zijn nog geen deelnemers die kunnen tekenen."))
    award = _award_for(cycle)
    if award.requested_at is not None:
        raise DomainError(_("De handtekeningen zijn al gevraagd."))
    award.requested_at = now
    award.requested_by_id = actor.id
    park = cycle.park
    link = external_url("awards.sign", park_id=park.id)
    sent = 0
    for stakeholder in cycle.stakeholders:
        address = _representative_address(stakeholder)
        if address is None:
            continue
        email, locale, name = address
        mail.queue(
            email,
            locale,
            "award_request",
            _l("Uw handtekening voor de waardering van %(park)s", park=park.name),
            name=name,
            park=park,
            organisation=stakeholder.organisation.name,
            signatory=stakeholder.signatory_name,
            link=link,
        )
        sent += 1
    audit.record(
        actor,
        "awards.requested",
        award,
        park=park,
        details={"cycle": cycle.number, "stakeholders": len(cycle.stakeholders), "mailed": sent},
    )
    db.session.flush()
    return award, sent


# Signing -----------------------------------------------------------------------------------------------------


def _clean(value: str | None, message: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise DomainError(message)
    if len(value) > NAME_MAX:
        raise DomainError(_("Hoogstens %(n)s tekens.", n=NAME_MAX))
    return value


def sign(
    actor: User,
    award: Award,
    stakeholder: Stakeholder,
    *,
    name: str,
    function: str,
    confirmed: bool,
    now: datetime,
) -> Signature:
    """Sign the award for `stakeholder`: the actor confirms their name and function and ticks the confirmation.

    Only a logged-in user with a current role on the park (`awards.sign`) whose organisation is the stakeholder's,
    after the signatures were requested, once per stakeholder, in an active cycle: otherwise NotAllowed or
    DomainError. Timestamped and audited. The last signature grants the award (see `_grant`), once.
    """
    cycle = award.cycle
    park = cycle.park
    # signatures wait for each other on the award's row: of two last signatures at the same moment, the second
    # sees the first and grants the award (on PostgreSQL; SQLite writes one transaction at a time anyway)
    db.session.refresh(award, with_for_update=True)
    ensure_can(actor, "awards.sign", park, today=local_day(now))
    if not may_sign_award(actor, park, today=local_day(now)):
        raise NotAllowed(_("U heeft geen rechten voor deze handeling."))
    _ensure_active(cycle)
    if award.requested_at is None:
        raise DomainError(_("De handtekeningen zijn nog niet gevraagd."))
    if stakeholder.cycle_id != cycle.id:
        raise DomainError(_("Deze organisatie doet niet mee in deze cyclus."))
    if not signs_for(actor, stakeholder):
        raise DomainError(_("U kunt alleen tekenen namens uw eigen organisatie."))
    if stakeholder.id in signed_stakeholder_ids(award):
        raise DomainError(_("Er is al getekend namens %(organisation)s.", organisation=stakeholder.organisation.name))
    if not confirmed:
        raise DomainError(_("Bevestig dat u namens uw organisatie tekent."))
    signature = Signature(
        award_id=award.id,
        stakeholder_id=stakeholder.id,
        user_id=actor.id,
        name=_clean(name, _("Vul uw naam in.")),
        function=_clean(function, _("Vul uw functie in.")),
        signed_at=now,
    )
    try:
        # the unique constraint is the last word when two people of one organisation sign at the same moment
        with db.session.begin_nested():
            db.session.add(signature)
    except IntegrityError:
        raise DomainError(
            _("Er is al getekend namens %(organisation)s.", organisation=stakeholder.organisation.name)
        ) from None
    db.session.refresh(award, ["signatures"])
    audit.record(
        actor,
        "awards.signed",
        award,
        park=park,
        details={
            "organisation": stakeholder.organisation.name,
            "name": signature.name,
            "function": signature.function,
        },
    )
    # a stakeholder that joined after the grant may still sign; that does not grant the award again
    if award.awarded_on is None and all_signed(award):
        _grant(actor, award, today=local_day(now))
    db.session.flush()
    return signature


def managers_of(park: Park, *, today: date) -> list[User]:
    """The active users with a current advisor or municipality role on the park (directly or municipality-wide)."""
    memberships = db.session.scalars(
        select(Membership)
        .options(joinedload(Membership.user))
        .where(
            Membership.role.in_(MANAGERS),
            or_(Membership.park_id == park.id, Membership.municipality_id == park.municipality_id),
            or_(Membership.ends_on.is_(None), Membership.ends_on >= today),
        )
        .order_by(Membership.id)
    ).all()
    return list({m.user.id: m.user for m in memberships if m.user.is_active}.values())


def _grant(actor: User, award: Award, *, today: date) -> None:
    """Every stakeholder has signed: the award counts from today for the track's years; the managers get a mail."""
    park = award.cycle.park
    award.awarded_on = today
    award.valid_until = valid_until_for(park, today)
    audit.record(
        actor,
        "awards.granted",
        award,
        park=park,
        details={"awarded_on": today.isoformat(), "valid_until": award.valid_until.isoformat()},
    )
    link = external_url("awards.index", park_id=park.id)
    for user in managers_of(park, today=today):
        mail.queue(
            user.email,
            user.locale,
            "award_granted",
            _l("%(park)s heeft de waardering: iedereen heeft getekend", park=park.name),
            name=user.name,
            park=park,
            award=award,
            link=link,
        )


# The ceremony and the press release --------------------------------------------------------------------------


def set_ceremony(actor: User, cycle: Cycle, *, on: date | None) -> Award:
    """Set, change or clear (`on` None) the date of the award ceremony (a day from 2000 to 2100, as a meeting's).
    Advisors and the municipality, in an active cycle; audited with the old and the new date."""
    ensure_can(actor, "awards.manage", cycle.park)
    _ensure_active(cycle)
    if on is not None and not FIRST_DAY <= on <= LAST_DAY:
        raise DomainError(_("Kies een datum tussen %(first)s en %(last)s.", first=FIRST_DAY.year, last=LAST_DAY.year))
    award = _award_for(cycle)
    before = award.ceremony_on
    if before == on:
        return award
    award.ceremony_on = on
    audit.record(
        actor,
        "awards.ceremony_set",
        award,
        park=cycle.park,
        details={"from": before.isoformat() if before else None, "to": on.isoformat() if on else None},
    )
    db.session.flush()
    return award


def save_press_release(actor: User, cycle: Cycle, *, text: str) -> Award:
    """Save the (edited) press release draft. Advisors and the municipality, in an active cycle; at most
    PRESS_RELEASE_MAX characters."""
    ensure_can(actor, "awards.manage", cycle.park)
    _ensure_active(cycle)
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise DomainError(_("Het persbericht is leeg."))
    if len(text) > PRESS_RELEASE_MAX:
        raise DomainError(_("Het persbericht is te lang (hoogstens %(n)s tekens).", n=PRESS_RELEASE_MAX))
    award = _award_for(cycle)
    if award.press_release == text:
        return award
    award.press_release = text
    audit.record(actor, "awards.press_release_saved", award, park=cycle.park, details={"length": len(text)})
    db.session.flush()
    return award


# Validity ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Validity:
    award: Award
    valid_until: date
    #: "valid", "expiring" (within RENEWAL_WARNING_MONTHS) or "expired"
    state: str
    #: the award belongs to an earlier (closed) cycle than the park's active one
    earlier_cycle: bool

    @property
    def renew(self) -> bool:
        return self.state != "valid"


def validity(park: Park, *, today: date) -> Validity | None:
    """The validity of the park's latest granted award on `today`, or None when the park has none."""
    award = latest_granted(park)
    if award is None or award.valid_until is None:
        return None
    if today > award.valid_until:
        state = "expired"
    elif today >= add_months(award.valid_until, -RENEWAL_WARNING_MONTHS):
        state = "expiring"
    else:
        state = "valid"
    return Validity(award, award.valid_until, state, award.cycle.status == CycleStatus.CLOSED)
