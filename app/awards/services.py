"""The award (waardering, step 7): requesting the signatures, signing, granting, the ceremony date, the press
release and the award's validity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app import audit, mail
from app.audit.services import SYSTEM_LABEL
from app.auth.models import Membership, User
from app.auth.policy import MANAGERS, ensure_can, may_sign_award, signs_for
from app.awards import signing
from app.awards.models import Award, Signature, SignedBy, SigningLink
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
from app.stakeholders.services import set_signatory

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
    """The last day an award granted on `awarded_on` counts: the day before its anniversary after the track's years
    (6 October 2026 for three years: until and including 5 October 2029; 29 February 2028 for two: 28 February
    2030)."""
    return add_months(awarded_on - timedelta(days=1), 12 * valid_years(park))


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


# The declaration of intent ------------------------------------------------------------------------------------


def declaration_missing(cycle: Cycle) -> list[Stakeholder]:
    """The cycle's stakeholders whose signature under the declaration of intent is not recorded (the declaration
    of step 2; its signature belongs to the cycle, a herijking does not copy it)."""
    return [stakeholder for stakeholder in cycle.stakeholders if stakeholder.declaration_signed_on is None]


def declaration_holds(cycle: Cycle) -> bool:
    """The award rests on the declaration of intent: it holds when the cycle has stakeholders and every one of them
    has its signature under the declaration recorded for this cycle."""
    return bool(cycle.stakeholders) and not declaration_missing(cycle)


def _declaration_refusal(cycle: Cycle) -> str:
    return _(
        "De waardering kan pas worden toegekend als elke deelnemer de intentieverklaring heeft ondertekend. "
        "Nog niet vastgelegd voor: %(names)s.",
        names=", ".join(s.organisation.name for s in declaration_missing(cycle)) or "—",
    )


# Requesting the signatures -----------------------------------------------------------------------------------


def request_signatures(actor: User, cycle: Cycle, *, now: datetime) -> tuple[Award, int]:
    """Ask every stakeholder's authorised signatory to sign the award: each one whose email address is known gets a
    personal, single-use link by mail (valid `signing.LINK_VALID_DAYS` days; no account needed). Returns the award
    and how many links were mailed; the page lists the signatories still without an address.

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
    mailed = [s for s in cycle.stakeholders if s.signatory_email]
    for stakeholder in mailed:
        signing.send_link(actor, award, stakeholder, now=now)
    audit.record(
        actor,
        "awards.requested",
        award,
        park=cycle.park,
        details={
            "cycle": cycle.number,
            "stakeholders": len(cycle.stakeholders),
            "mailed": len(mailed),
            "without_address": [s.organisation.name for s in cycle.stakeholders if not s.signatory_email],
        },
    )
    db.session.flush()
    return award, len(mailed)


def _managed(actor: User, stakeholder: Stakeholder) -> Award | None:
    """The award of the stakeholder's cycle, after checking that `actor` manages it (`awards.manage`) in an
    active cycle."""
    cycle = stakeholder.cycle
    ensure_can(actor, "awards.manage", cycle.park)
    _ensure_active(cycle)
    return find_award(cycle)


def _ensure_in_cycle(award: Award, stakeholder: Stakeholder) -> None:
    if stakeholder.cycle_id != award.cycle_id:
        raise DomainError(_("Deze organisatie doet niet mee in deze cyclus."))


def _ensure_unsigned(award: Award, stakeholder: Stakeholder) -> None:
    if stakeholder.id in signed_stakeholder_ids(award):
        raise DomainError(_("Er is al getekend namens %(organisation)s.", organisation=stakeholder.organisation.name))


def send_again(actor: User, stakeholder: Stakeholder, *, now: datetime) -> SigningLink:
    """Send the stakeholder's authorised signatory a new signing link; the link sent before stops working.

    Advisors and the municipality (`awards.manage`), in an active cycle, after the signatures were requested, for
    a stakeholder that has not signed and whose signatory's address is known: otherwise DomainError. Audited.
    """
    award = _managed(actor, stakeholder)
    if award is None or award.requested_at is None:
        raise DomainError(_("De handtekeningen zijn nog niet gevraagd."))
    _ensure_unsigned(award, stakeholder)
    return _send_link(actor, award, stakeholder, again=True, now=now)


def change_signatory(
    actor: User, stakeholder: Stakeholder, *, name: str, function: str, email: str, now: datetime
) -> SigningLink | None:
    """Change who signs for the stakeholder (name, function, email; `stakeholders.set_signatory` checks them).

    A link sent to the previous signatory stops working; when the signatures have been requested and the
    stakeholder has not signed yet, the new signatory gets a link of their own at once (returned). Advisors and
    the municipality (`awards.manage`), in an active cycle; audited.
    """
    award = _managed(actor, stakeholder)
    if award is not None:
        _ensure_unsigned(award, stakeholder)
    if not set_signatory(actor, stakeholder, name=name, function=function, email=email):
        return None
    if award is None or award.requested_at is None:
        return None
    signing.revoke_outstanding(award, stakeholder, now=now)
    if not stakeholder.signatory_email:
        return None
    return _send_link(actor, award, stakeholder, again=False, now=now)


def _send_link(actor: User, award: Award, stakeholder: Stakeholder, *, again: bool, now: datetime) -> SigningLink:
    """Mail the stakeholder's signatory a new personal link and audit it (`again`: a link was sent before)."""
    link = signing.send_link(actor, award, stakeholder, now=now)
    audit.record(
        actor,
        "awards.link_sent",
        award,
        park=stakeholder.park,
        details={"organisation": stakeholder.organisation.name, "email": link.email, "again": again},
    )
    db.session.flush()
    return link


# Signing -----------------------------------------------------------------------------------------------------


def _clean(value: str | None, message: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise DomainError(message)
    if len(value) > NAME_MAX:
        raise DomainError(_("Hoogstens %(n)s tekens.", n=NAME_MAX))
    return value


def _record_signature(
    award: Award,
    stakeholder: Stakeholder,
    *,
    user: User | None,
    name: str,
    function: str,
    confirmed: bool,
    now: datetime,
    method: SignedBy,
    client_ip: str | None,
    link: SigningLink | None = None,
) -> Signature:
    """The rules both ways of signing share: an active cycle, after the request, a stakeholder of the cycle that
    has not signed, the confirmation, a name and a function. Records and audits the signature and grants the award
    when it was the last one and the declaration of intent holds."""
    cycle = award.cycle
    park = cycle.park
    _ensure_active(cycle)
    if award.requested_at is None:
        raise DomainError(_("De handtekeningen zijn nog niet gevraagd."))
    _ensure_in_cycle(award, stakeholder)
    _ensure_unsigned(award, stakeholder)
    if not confirmed:
        raise DomainError(_("Bevestig dat u namens uw organisatie tekent."))
    signature = Signature(
        award_id=award.id,
        stakeholder_id=stakeholder.id,
        user_id=user.id if user is not None else None,
        name=_clean(name, _("Vul uw naam in.")),
        function=_clean(function, _("Vul uw functie in.")),
        signed_at=now,
        method=method,
        client_hash=signing.client_hash(client_ip),
        link_id=link.id if link is not None else None,
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
        user,
        "awards.signed",
        award,
        park=park,
        details={
            "organisation": stakeholder.organisation.name,
            "name": signature.name,
            "function": signature.function,
            "method": method.value,
        },
        actor_label=f"{signature.name} ({link.email})" if link is not None else SYSTEM_LABEL,
    )
    # a stakeholder that joined after the grant may still sign; that does not grant the award again; without the
    # declaration of intent the award waits for it (and for `grant`)
    if award.awarded_on is None and all_signed(award) and declaration_holds(cycle):
        _grant(user, award, today=local_day(now))
    db.session.flush()
    return signature


def sign(
    actor: User,
    award: Award,
    stakeholder: Stakeholder,
    *,
    function: str,
    confirmed: bool,
    now: datetime,
    client_ip: str | None = None,
) -> Signature:
    """Sign the award for `stakeholder` as oneself: the signature carries the actor's own name (never the
    pre-filled signatory's), the function they confirm, the moment and a keyed hash of their address.

    Only a logged-in user with a current role on the park (`awards.sign`) whose organisation is the stakeholder's,
    after the signatures were requested, once per stakeholder, in an active cycle: otherwise NotAllowed or
    DomainError. Audited. The last signature grants the award when the declaration of intent holds (`_grant`).
    """
    park = award.cycle.park
    # signatures wait for each other on the award's row: of two last signatures at the same moment, the second
    # sees the first and grants the award (on PostgreSQL; SQLite writes one transaction at a time anyway)
    db.session.refresh(award, with_for_update=True)
    ensure_can(actor, "awards.sign", park, today=local_day(now))
    if not may_sign_award(actor, park, today=local_day(now)):
        raise NotAllowed(_("U heeft geen rechten voor deze handeling."))
    _ensure_in_cycle(award, stakeholder)
    if not signs_for(actor, stakeholder):
        raise DomainError(_("U kunt alleen tekenen namens uw eigen organisatie."))
    return _record_signature(
        award,
        stakeholder,
        user=actor,
        name=actor.name,
        function=function,
        confirmed=confirmed,
        now=now,
        method=SignedBy.ACCOUNT,
        client_ip=client_ip,
    )


def link_refusal(link: SigningLink, *, now: datetime) -> str | None:
    """Why this link signs nothing (any more), in words, or None when it may be used now."""
    state = link.state(now)
    if state == "used":
        return _("Met deze link is al getekend. Een link werkt maar één keer.")
    if state == "revoked":
        return _("Deze link is vervangen door een nieuwere. Gebruik de link uit de laatste e-mail.")
    if state == "expired":
        return _("Deze link is verlopen. Vraag de adviseur om een nieuwe link.")
    if (link.email or "").lower() != (link.stakeholder.signatory_email or "").lower():
        # the signatory changed since (here or on the stakeholders page): the link was the previous one's
        return _("Deze link is niet meer geldig: de tekenbevoegde is gewijzigd. Vraag de adviseur om een nieuwe link.")
    award = link.award
    if award.cycle.status != CycleStatus.ACTIVE:
        return _("Deze samenwerking is afgesloten; er wordt niet meer getekend.")
    if link.stakeholder_id in signed_stakeholder_ids(award):
        return _(
            "Er is al getekend namens %(organisation)s; u hoeft niets meer te doen.",
            organisation=link.stakeholder.organisation.name,
        )
    return None


def unknown_link_text() -> str:
    return _(
        "Deze link om te tekenen bestaat niet. Controleer of u het adres uit de e-mail helemaal goed heeft overgenomen."
    )


def too_many_text(minutes: int) -> str:
    return _("Te veel pogingen vanaf dit adres. Probeer het over %(n)s minuten opnieuw.", n=minutes)


def open_link(link: SigningLink, *, now: datetime) -> None:
    """Note the first time the link's page was opened (for the award page's status); a link that signs nothing
    raises LinkGone with the reason."""
    refusal = link_refusal(link, now=now)
    if refusal is not None:
        raise signing.LinkGone(refusal)
    if link.opened_at is None:
        link.opened_at = now
        db.session.flush()


def sign_by_link(
    link: SigningLink, *, name: str, function: str, confirmed: bool, now: datetime, client_ip: str | None
) -> Signature:
    """Sign through a personal link, without an account: the signatory confirms (or corrects) their name and
    function. The link works once, until it expires, while it is the stakeholder's latest and nobody signed for
    the stakeholder: otherwise LinkGone (410). Recorded as signed "by link", with a keyed hash of the address, and
    audited under the signer's name and the link's address."""
    award = link.award
    db.session.refresh(award, with_for_update=True)
    refusal = link_refusal(link, now=now)
    if refusal is not None:
        raise signing.LinkGone(refusal)
    signature = _record_signature(
        award,
        link.stakeholder,
        user=None,
        name=name,
        function=function,
        confirmed=confirmed,
        now=now,
        method=SignedBy.LINK,
        client_ip=client_ip,
        link=link,
    )
    link.used_at = now
    if link.opened_at is None:
        link.opened_at = now
    db.session.flush()
    return signature


def grant(actor: User, award: Award, *, now: datetime) -> Award:
    """Grant the award once every stakeholder has signed and the declaration of intent holds, when the last
    signature came before the declaration was recorded. Advisors and the municipality (`awards.manage`), in an
    active cycle: otherwise NotAllowed or DomainError (saying which organisations block it)."""
    cycle = award.cycle
    ensure_can(actor, "awards.manage", cycle.park)
    _ensure_active(cycle)
    if award.awarded_on is not None:
        raise DomainError(_("De waardering is al toegekend."))
    if not all_signed(award):
        raise DomainError(
            _("Nog niet getekend: %(names)s.", names=", ".join(s.organisation.name for s in unsigned(award)) or "—")
        )
    _grant(actor, award, today=local_day(now))
    db.session.flush()
    return award


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


def _grant(actor: User | None, award: Award, *, today: date) -> None:
    """Every stakeholder has signed: the award counts from today for the track's years; the managers get a mail.
    Never without the declaration of intent (DomainError)."""
    park = award.cycle.park
    if not declaration_holds(award.cycle):
        raise DomainError(_declaration_refusal(award.cycle))
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
