"""Organisations (as admins save them) and the stakeholders of a park's cycle (step 2)."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import audit
from app.auth.mails import queue_invitation
from app.auth.models import Membership, Role, User
from app.auth.policy import ensure_can, roles_on
from app.auth.services import find_user_by_email, normalise_email
from app.config import LANGUAGE_NAMES
from app.db import Base
from app.errors import DomainError
from app.extensions import db
from app.parks.models import Cycle, CycleStatus, Park
from app.stakeholders import organisations
from app.stakeholders.models import Organisation, OrganisationType, PpsRole, Stakeholder


def save_organisation(
    actor: User, organisation: Organisation | None, *, name: str, type: OrganisationType
) -> Organisation:
    """Create (organisation None) or update an organisation. Admins only. Refused: an empty or too long name, and
    a name that is an existing organisation's of the same kind once normalised (`organisations.normalise_name`:
    case, accents, punctuation, "Stichting", "B.V." do not count)."""
    ensure_can(actor, "admin.manage")
    name = organisations.clean_name(name)
    organisations.ensure_no_duplicate(name, type, but=organisation)
    if organisation is None:
        organisation = Organisation(name=name, type=type)
        db.session.add(organisation)
        action = "stakeholders.organisation_created"
    else:
        organisation.name, organisation.type = name, type
        action = "stakeholders.organisation_updated"
    audit.record(actor, action, organisation, details={"name": name, "type": type.value})
    db.session.flush()
    return organisation


# The stakeholders of a park's active cycle (step 2) -------------------------------------------------

#: the roles step 2 cannot be completed without, each with a named representative (design §2)
CORE_ROLES = (PpsRole.GEMEENTE, PpsRole.POLITIE, PpsRole.BRANDWEER, PpsRole.ONDERNEMERS)

_T = OrganisationType
#: which kinds of organisation may take a role in the partnership; the role "overig" fits every organisation
ROLE_FITS: dict[PpsRole, frozenset[OrganisationType]] = {
    PpsRole.GEMEENTE: frozenset({_T.GEMEENTE}),
    PpsRole.POLITIE: frozenset({_T.POLITIE}),
    PpsRole.BRANDWEER: frozenset({_T.BRANDWEER}),
    PpsRole.ONDERNEMERS: frozenset({_T.ONDERNEMERSVERENIGING, _T.BRANCHEVERENIGING, _T.OVERIG}),
    PpsRole.PARKMANAGEMENT: frozenset({_T.ONDERNEMERSVERENIGING, _T.OVERIG}),
    PpsRole.BEVEILIGING: frozenset({_T.BEVEILIGING, _T.OVERIG}),
    PpsRole.ADVIES: frozenset({_T.PVO, _T.OVERIG}),
    PpsRole.OVERIG: frozenset(OrganisationType),
}

#: the park role a representative invited from the stakeholder list gets. Never advisor: inviting someone
#: must not hand out the right to run the process; the municipality's own officer gets the municipality role.
INVITED_ROLE: dict[PpsRole, Role] = {
    PpsRole.GEMEENTE: Role.MUNICIPALITY,
    PpsRole.ONDERNEMERS: Role.ENTREPRENEUR,
    PpsRole.PARKMANAGEMENT: Role.ENTREPRENEUR,
}

NAME_MAX = 200
EMAIL_MAX = 254
PHONE_MAX = 30
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_PHONE = re.compile(r"^\+?[0-9 ()-]+$")


def invited_role(role: PpsRole) -> Role:
    """The park role a representative invited for a stakeholder with PPS role `role` gets."""
    return INVITED_ROLE.get(role, Role.PARTNER)


def _ensure_open(cycle: Cycle) -> None:
    if cycle.status != CycleStatus.ACTIVE:
        raise DomainError(_("Deze cyclus is afgesloten: de deelnemers liggen vast."))


def _clean_text(value: str | None, *, required_message: str | None = None, limit: int = NAME_MAX) -> str | None:
    value = " ".join((value or "").split())
    if not value:
        if required_message:
            raise DomainError(required_message)
        return None
    if len(value) > limit:
        raise DomainError(_("Een ingevulde tekst is te lang (hoogstens %(n)s tekens).", n=limit))
    return value


def _clean_email(email: str | None) -> str | None:
    email = normalise_email(email or "")
    if not email:
        return None
    if len(email) > EMAIL_MAX or not _EMAIL.match(email):
        raise DomainError(_("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."))
    return email


def _clean_phone(phone: str | None) -> str | None:
    phone = " ".join((phone or "").split())
    if not phone:
        return None
    digits = sum(c.isdigit() for c in phone)
    if len(phone) > PHONE_MAX or not _PHONE.match(phone) or not 8 <= digits <= 15:
        raise DomainError(_("Vul een geldig telefoonnummer in, zoals 030 123 45 67 of +31 30 123 45 67."))
    return phone


def _ensure_fits(park: Park, organisation: Organisation, role: PpsRole) -> None:
    if organisation.type not in ROLE_FITS[role]:
        raise DomainError(
            _(
                "De rol %(role)s past niet bij een organisatie van het soort %(type)s.",
                role=role.label,
                type=organisation.type.label,
            )
        )
    if role == PpsRole.GEMEENTE and organisation.id != park.municipality_id:
        raise DomainError(
            _("De rol gemeente is voor de gemeente waarin het park ligt: %(name)s.", name=park.municipality.name)
        )


def _representative_details(stakeholder: Stakeholder) -> dict[str, object]:
    return {
        "user_id": stakeholder.representative_user_id,
        "name": stakeholder.representative_name,
        "email": stakeholder.representative_email,
        "phone": stakeholder.representative_phone,
    }


def add_stakeholder(
    actor: User,
    cycle: Cycle,
    *,
    organisation: Organisation,
    role: PpsRole,
    representative_name: str = "",
    representative_email: str = "",
    representative_phone: str = "",
) -> Stakeholder:
    """Let `organisation` take part in the (active) cycle with PPS role `role`, optionally with a representative
    known by name (email and phone optional, checked when given).

    Advisors and the municipality (stakeholders.edit). Refused: a closed cycle, an organisation already taking
    part, a role that does not fit the kind of organisation (ROLE_FITS), and as "gemeente" any municipality
    other than the park's own.
    """
    park = cycle.park
    ensure_can(actor, "stakeholders.edit", park)
    _ensure_open(cycle)
    existing = db.session.scalar(
        select(Stakeholder).where(Stakeholder.cycle_id == cycle.id, Stakeholder.organisation_id == organisation.id)
    )
    if existing is not None:
        raise DomainError(_("%(name)s doet al mee in deze cyclus.", name=organisation.name))
    _ensure_fits(park, organisation, role)
    name = _clean_text(representative_name)
    email = _clean_email(representative_email)
    phone = _clean_phone(representative_phone)
    if name is None and (email or phone):
        raise DomainError(_("Vul de naam van de vertegenwoordiger in bij het e-mailadres of telefoonnummer."))
    stakeholder = Stakeholder(
        organisation=organisation,
        role=role,
        representative_name=name,
        representative_email=email,
        representative_phone=phone,
    )
    cycle.stakeholders.append(stakeholder)
    db.session.add(stakeholder)
    audit.record(
        actor,
        "stakeholders.stakeholder_added",
        stakeholder,
        park=park,
        details={"organisation": organisation.name, "role": role.value, "representative": name},
    )
    db.session.flush()
    return stakeholder


def set_representative(
    actor: User,
    stakeholder: Stakeholder,
    *,
    user: User | None = None,
    name: str = "",
    email: str = "",
    phone: str = "",
    today: date,
) -> None:
    """Set, replace or (all empty) clear who represents the stakeholder in the working group.

    Either a user with a current role on the park (name and email then come from the account, so a typed name
    and email address are left out; a phone number may be added) or a name with an optional email address and
    phone number, checked when given. Advisors and the municipality (stakeholders.edit); only in the active cycle.
    """
    park = stakeholder.park
    ensure_can(actor, "stakeholders.edit", park)
    _ensure_open(stakeholder.cycle)
    phone_ = _clean_phone(phone)
    name_, email_ = (None, None) if user is not None else (_clean_text(name), _clean_email(email))
    if user is not None:
        if not user.is_active or not roles_on(user, park, today=today):
            raise DomainError(
                _(
                    "%(name)s heeft geen rol op dit park. Nodig de vertegenwoordiger uit of vul naam en "
                    "contactgegevens in.",
                    name=user.name,
                )
            )
    elif name_ is None and (email_ or phone_):
        raise DomainError(_("Vul de naam van de vertegenwoordiger in bij het e-mailadres of telefoonnummer."))
    before = _representative_details(stakeholder)
    stakeholder.representative_user = user
    stakeholder.representative_name, stakeholder.representative_email = name_, email_
    stakeholder.representative_phone = phone_
    stakeholder.representative_user_id = user.id if user is not None else None
    after = _representative_details(stakeholder)
    if after != before:
        audit.record(actor, "stakeholders.representative_set", stakeholder, park=park, details=after)
    db.session.flush()


def set_signatory(actor: User, stakeholder: Stakeholder, *, name: str, function: str, email: str | None = None) -> bool:
    """Set, replace or (all empty) clear who may sign for the stakeholder (tekenbevoegde): a name and a
    function, together, and the email address their signing link goes to (`email` None keeps the address).
    Advisors and the municipality (stakeholders.edit); only in the active cycle. Returns whether anything changed."""
    park = stakeholder.park
    ensure_can(actor, "stakeholders.edit", park)
    _ensure_open(stakeholder.cycle)
    name_, function_ = _clean_text(name), _clean_text(function)
    email_ = stakeholder.signatory_email if email is None else _clean_email(email)
    if (name_ is None) != (function_ is None):
        raise DomainError(_("Vul de naam én de functie van de tekenbevoegde in."))
    if name_ is None and email_ is not None:
        raise DomainError(_("Vul de naam en de functie van de tekenbevoegde in bij het e-mailadres."))
    before = (stakeholder.signatory_name, stakeholder.signatory_function, stakeholder.signatory_email)
    if before == (name_, function_, email_):
        return False
    stakeholder.signatory_name, stakeholder.signatory_function = name_, function_
    stakeholder.signatory_email = email_
    audit.record(
        actor,
        "stakeholders.signatory_set",
        stakeholder,
        park=park,
        details={"name": name_, "function": function_, "email": email_, "before": list(before)},
    )
    db.session.flush()
    return True


#: what taking a stakeholder out of a cycle does to what refers to it, per (table, column) of a foreign key to
#: stakeholders.id; `removal_effects` finds the keys in the schema, so a new one is counted with a plain label
REMOVAL_EFFECTS = {
    ("plan_action_owners", "stakeholder_id"): _l(
        "%(n)s actie(s) van het plan met deze organisatie als eigenaar: de acties blijven staan, zonder deze eigenaar."
    ),
    ("calendar_items", "owner_id"): _l(
        "%(n)s item(s) van de kalender met deze organisatie als eigenaar: ze blijven staan, zonder eigenaar."
    ),
    ("meeting_attendees", "stakeholder_id"): _l(
        "%(n)s uitnodiging(en) voor bijeenkomsten: ze blijven staan, zonder deze organisatie erbij."
    ),
    ("scan_entries", "stakeholder_id"): _l("%(n)s punt(en) van haar gebiedsscan: die worden verwijderd."),
    ("award_signatures", "stakeholder_id"): _l("%(n)s ondertekening(en) van de waardering: die worden verwijderd."),
}


def removal_effects(stakeholder: Stakeholder) -> list[str]:
    """What removing `stakeholder` does, in sentences: its representative and signatory, its recorded signature
    of the declaration of intent, and per table that refers to it (REMOVAL_EFFECTS) how many rows are touched."""
    effects = []
    if stakeholder.representative_user is not None:
        effects.append(
            _(
                "%(name)s is niet langer vertegenwoordiger; het account en de rol op het park blijven bestaan.",
                name=stakeholder.representative_user.name,
            )
        )
    elif stakeholder.representative_name:
        effects.append(
            _("De vertegenwoordiger %(name)s wordt niet meer bewaard.", name=stakeholder.representative_name)
        )
    if stakeholder.signatory_name:
        effects.append(_("De tekenbevoegde %(name)s wordt niet meer bewaard.", name=stakeholder.signatory_name))
    if stakeholder.declaration_signed_on:
        effects.append(_("De vastgelegde ondertekening van de intentieverklaring vervalt."))
    for (table, column), count in references_to(stakeholder).items():
        label = REMOVAL_EFFECTS.get((table, column))
        effects.append(
            str(label % {"n": count})
            if label is not None
            else _("%(n)s verwijzing(en) in %(table)s.", n=count, table=table)
        )
    return effects


def references_to(stakeholder: Stakeholder) -> dict[tuple[str, str], int]:
    """How many rows of each (table, column) with a foreign key to stakeholders.id point at `stakeholder` (only
    those with any), found in the schema's metadata."""
    stakeholder_id = Stakeholder.__table__.c.id
    counts = {}
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column is stakeholder_id:
                count = db.session.scalar(select(func.count()).select_from(table).where(fk.parent == stakeholder.id))
                if count:
                    counts[(table.name, fk.parent.name)] = count
    return counts


def remove_stakeholder(actor: User, stakeholder: Stakeholder) -> None:
    """Take an organisation out of the active cycle, with its representative, signatory and recorded signature;
    what refers to it goes as `removal_effects` says (the confirmation page shows that first). Advisors and the
    municipality (stakeholders.edit)."""
    park = stakeholder.park
    ensure_can(actor, "stakeholders.edit", park)
    cycle = stakeholder.cycle
    _ensure_open(cycle)
    audit.record(
        actor,
        "stakeholders.stakeholder_removed",
        stakeholder,
        park=park,
        details={
            "organisation": stakeholder.organisation.name,
            "role": stakeholder.role.value,
            "representative": _representative_details(stakeholder),
            "signatory": stakeholder.signatory_name,
            "declaration_signed_on": stakeholder.declaration_signed_on.isoformat()
            if stakeholder.declaration_signed_on
            else None,
            "references": {f"{table}.{column}": n for (table, column), n in references_to(stakeholder).items()},
        },
    )
    cycle.stakeholders.remove(stakeholder)
    db.session.flush()


def set_working_group(actor: User, cycle: Cycle, *, chair: User | None, secretary: User | None, today: date) -> None:
    """Name the working group's chair and secretary (either may stay open).

    Each must be an active user with a current entrepreneur role on the park, and they must be two different
    people. Advisors and the municipality (stakeholders.edit); only in the active cycle.
    """
    park = cycle.park
    ensure_can(actor, "stakeholders.edit", park)
    _ensure_open(cycle)
    for person, message in (
        (chair, _("De voorzitter moet een ondernemer met een rol op dit park zijn.")),
        (secretary, _("De secretaris moet een ondernemer met een rol op dit park zijn.")),
    ):
        if person is not None and Role.ENTREPRENEUR not in roles_on(person, park, today=today):
            raise DomainError(message)
    if chair is not None and secretary is not None and chair.id == secretary.id:
        raise DomainError(_("De voorzitter en de secretaris moeten twee verschillende personen zijn."))
    cycle.chair_id = chair.id if chair is not None else None
    cycle.secretary_id = secretary.id if secretary is not None else None
    audit.record(
        actor,
        "stakeholders.working_group_set",
        cycle,
        park=park,
        details={"chair_id": cycle.chair_id, "secretary_id": cycle.secretary_id},
    )
    db.session.flush()


def has_representative(stakeholder: Stakeholder) -> bool:
    """Whether somebody (an account or just a name) represents the stakeholder now."""
    return stakeholder.representative_user is not None or bool(stakeholder.representative_name)


def invite_representative(
    actor: User,
    stakeholder: Stakeholder,
    *,
    email: str,
    name: str,
    locale: str,
    phone: str = "",
    make_representative: bool = False,
) -> User:
    """Give a person of the stakeholder's organisation an account on the park, and make them its representative
    only when it has none yet or when asked to (`make_representative`): a second person never silently replaces
    the representative, they become an extra user of the organisation.

    Creates the user (no password yet; email addresses are unique) in the stakeholder's organisation, gives
    them a role on the park (`invited_role`: municipality, entrepreneur or partner, never advisor) and queues
    the invitation mail in the same transaction. Advisors and the municipality (stakeholders.edit), which
    `auth.services.invite_user` (admins only) does not allow. Beyond the invitation limits (per address, per
    inviting user) it raises TooManyRequests.
    """
    park = stakeholder.park
    ensure_can(actor, "stakeholders.edit", park)
    _ensure_open(stakeholder.cycle)
    name_ = _clean_text(name, required_message=_("Vul de naam van de vertegenwoordiger in."))
    email_ = _clean_email(email)
    if email_ is None:
        raise DomainError(_("Vul het e-mailadres van de vertegenwoordiger in."))
    if locale not in LANGUAGE_NAMES:
        raise DomainError(_("Kies de taal van de e-mails."))
    phone_ = _clean_phone(phone)
    if find_user_by_email(email_) is not None:
        raise DomainError(
            _(
                "Er bestaat al een account met dit e-mailadres. Kies die gebruiker als vertegenwoordiger, of vraag "
                "de beheerder om hem een rol op dit park te geven."
            )
        )
    replaces = has_representative(stakeholder)
    becomes_representative = make_representative or not replaces
    role = invited_role(stakeholder.role)
    user = User(email=email_, name=name_, organisation=stakeholder.organisation, locale=locale)
    db.session.add(user)
    db.session.add(Membership(user=user, role=role, park=park))
    before = _representative_details(stakeholder)
    if becomes_representative:
        stakeholder.representative_user = user
        stakeholder.representative_name = stakeholder.representative_email = None
        stakeholder.representative_phone = phone_
    db.session.flush()
    audit.record(
        actor,
        "auth.user_invited",
        user,
        park=park,
        details={"email": email_, "is_admin": False, "role": role.value, "park_id": park.id},
    )
    details: dict[str, object] = {"user_id": user.id, "email": email_, "role": role.value}
    if becomes_representative:
        audit.record(
            actor,
            "stakeholders.representative_invited",
            stakeholder,
            park=park,
            details=details | {"replaced": before if replaces else None},
        )
    else:
        audit.record(actor, "stakeholders.person_invited", stakeholder, park=park, details=details)
    queue_invitation(actor, user)
    db.session.flush()
    return user


def record_declaration_signature(
    actor: User, stakeholder: Stakeholder, *, signed_on: date, signed_by: str, today: date
) -> None:
    """Record that the stakeholder signed the declaration of intent (on paper): on which day, by whom.

    The day may not lie after `today`. Recording again replaces the earlier record. Advisors and the
    municipality (stakeholders.edit); only in the active cycle.
    """
    park = stakeholder.park
    ensure_can(actor, "stakeholders.edit", park)
    _ensure_open(stakeholder.cycle)
    if signed_on > today:
        raise DomainError(_("De datum van ondertekening ligt in de toekomst."))
    signed_by_ = _clean_text(signed_by, required_message=_("Vul in wie de intentieverklaring heeft ondertekend."))
    stakeholder.declaration_signed_on = signed_on
    stakeholder.declaration_signed_by = signed_by_
    audit.record(
        actor,
        "stakeholders.declaration_signed",
        stakeholder,
        park=park,
        details={"signed_on": signed_on.isoformat(), "signed_by": signed_by_},
    )
    db.session.flush()


def missing_core_roles(cycle: Cycle) -> list[PpsRole]:
    """The core roles (gemeente, politie, brandweer, ondernemers, in that order) that no stakeholder of the
    cycle holds with a named representative (an account or a name): what step 2 still lacks."""
    present = {s.role for s in cycle.stakeholders if s.representative_user is not None or s.representative_name}
    return [role for role in CORE_ROLES if role not in present]
