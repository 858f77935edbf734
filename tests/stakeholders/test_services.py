from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Membership, Role, User
from app.errors import DomainError, NotAllowed
from app.parks.models import CycleStatus
from app.stakeholders import services
from app.stakeholders.models import OrganisationType, PpsRole, Stakeholder
from tests.factories import make_member, make_membership, make_organisation, make_user
from tests.stakeholders import cycle_of

TODAY = date.today()
T = OrganisationType


def _actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _add(actor, park, organisation, role, **kwargs) -> Stakeholder:
    return services.add_stakeholder(actor, cycle_of(park), organisation=organisation, role=role, **kwargs)


def _refused(call, *args, **kwargs) -> str:
    with pytest.raises(DomainError) as error:
        call(*args, **kwargs)
    return error.value.message


# Adding --------------------------------------------------------------------------------------------------


def test_advisor_adds_an_organisation_with_role_and_representative(db, park, advisor, police):
    stakeholder = _add(
        advisor,
        park,
        police,
        PpsRole.POLITIE,
        representative_name=" Peter  Politie ",
        representative_email="Peter@Politie.NL",
        representative_phone="06 1234 5678",
    )
    assert stakeholder.cycle is cycle_of(park)
    assert (stakeholder.role, stakeholder.representative_display) == (PpsRole.POLITIE, "Peter Politie")
    assert (stakeholder.representative_email, stakeholder.representative_phone) == ("peter@politie.nl", "06 1234 5678")
    event = db.session.scalars(select(AuditEvent)).one()
    assert (event.action, event.park_id, event.details["organisation"]) == (
        "stakeholders.stakeholder_added",
        park.id,
        "Politie Midden-Nederland",
    )


def test_an_organisation_takes_part_once(db, park, advisor, police):
    _add(advisor, park, police, PpsRole.POLITIE)
    message = _refused(_add, advisor, park, police, PpsRole.OVERIG)
    assert message == "Politie Midden-Nederland doet al mee in deze cyclus."


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        (PpsRole.POLITIE, T.GEMEENTE),
        (PpsRole.POLITIE, T.OVERIG),
        (PpsRole.BRANDWEER, T.POLITIE),
        (PpsRole.ONDERNEMERS, T.POLITIE),
        (PpsRole.BEVEILIGING, T.BRANDWEER),
        (PpsRole.ADVIES, T.DOUANE),
        (PpsRole.GEMEENTE, T.PROVINCIE),
    ],
)
def test_the_role_must_fit_the_kind_of_organisation(db, park, advisor, role, kind):
    organisation = make_organisation(type=kind)
    message = _refused(_add, advisor, park, organisation, role)
    assert message == f"De rol {role.label} past niet bij een organisatie van het soort {kind.label}."
    assert cycle_of(park).stakeholders == []


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        (PpsRole.POLITIE, T.POLITIE),
        (PpsRole.BRANDWEER, T.BRANDWEER),
        (PpsRole.ONDERNEMERS, T.ONDERNEMERSVERENIGING),
        (PpsRole.ONDERNEMERS, T.BRANCHEVERENIGING),
        (PpsRole.PARKMANAGEMENT, T.ONDERNEMERSVERENIGING),
        (PpsRole.BEVEILIGING, T.BEVEILIGING),
        (PpsRole.ADVIES, T.PVO),
        *((PpsRole.OVERIG, kind) for kind in OrganisationType if kind != T.GEMEENTE),
    ],
)
def test_fitting_roles_are_accepted(db, park, advisor, role, kind):
    assert _add(advisor, park, make_organisation(type=kind), role).role == role


def test_the_municipality_role_is_for_the_parks_own_municipality(db, park, advisor):
    assert _add(advisor, park, park.municipality, PpsRole.GEMEENTE).organisation is park.municipality
    other = make_organisation(name="Gemeente Amersfoort", type=T.GEMEENTE)
    message = _refused(_add, advisor, park, other, PpsRole.GEMEENTE)
    assert message == f"De rol gemeente is voor de gemeente waarin het park ligt: {park.municipality.name}."


def test_contact_details_are_checked(db, park, advisor, police):
    assert "geldig e-mailadres" in _refused(
        _add, advisor, park, police, PpsRole.POLITIE, representative_name="Peter", representative_email="peter@"
    )
    for phone in ("123", "06-1234-abcd", "+31 6 1234 5678 9012 3456"):
        assert "geldig telefoonnummer" in _refused(
            _add, advisor, park, police, PpsRole.POLITIE, representative_name="Peter", representative_phone=phone
        )
    assert _refused(_add, advisor, park, police, PpsRole.POLITIE, representative_email="peter@politie.nl") == (
        "Vul de naam van de vertegenwoordiger in bij het e-mailadres of telefoonnummer."
    )
    assert "te lang" in _refused(_add, advisor, park, police, PpsRole.POLITIE, representative_name="x" * 201)


def test_only_the_active_cycle_changes(db, park, advisor, police):
    stakeholder = _add(advisor, park, make_organisation(type=T.BRANDWEER), PpsRole.BRANDWEER)
    cycle = cycle_of(park)
    cycle.status = CycleStatus.CLOSED
    db.session.flush()
    message = _refused(services.add_stakeholder, advisor, cycle, organisation=police, role=PpsRole.POLITIE)
    assert message == "Deze cyclus is afgesloten: de deelnemers liggen vast."
    for call, kwargs in (
        (services.set_representative, {"name": "X", "today": TODAY}),
        (services.set_signatory, {"name": "X", "function": "Y"}),
        (services.record_declaration_signature, {"signed_on": TODAY, "signed_by": "X", "today": TODAY}),
        (services.remove_stakeholder, {}),
    ):
        assert _refused(call, advisor, stakeholder, **kwargs) == "Deze cyclus is afgesloten: de deelnemers liggen vast."
    assert "afgesloten" in _refused(services.set_working_group, advisor, cycle, chair=None, secretary=None, today=TODAY)


@pytest.mark.parametrize("role", [Role.ENTREPRENEUR, Role.PARTNER, Role.CAMERA_OFFICER, Role.AUDITOR])
def test_only_advisors_and_the_municipality_edit(db, park, police, role):
    member = make_member(role, park)
    with pytest.raises(NotAllowed):
        _add(member, park, police, PpsRole.POLITIE)


def test_an_advisor_of_another_park_may_not_edit(db, park, other_park, police):
    stranger = make_member(Role.ADVISOR, other_park)
    with pytest.raises(NotAllowed):
        _add(stranger, park, police, PpsRole.POLITIE)


def test_municipality_wide_officer_and_admin_may_edit(db, park, admin, police):
    officer = make_user()
    make_membership(officer, Role.MUNICIPALITY, municipality=park.municipality)
    _add(officer, park, police, PpsRole.POLITIE)
    _add(admin, park, make_organisation(type=T.BRANDWEER), PpsRole.BRANDWEER)
    assert len(cycle_of(park).stakeholders) == 2


# Representative and signatory -----------------------------------------------------------------------------


def test_representative_by_name_is_replaced_by_a_park_user(db, park, advisor, police):
    stakeholder = _add(advisor, park, police, PpsRole.POLITIE, representative_name="Peter")
    officer = make_member(Role.PARTNER, park, name="Paula Politie")
    services.set_representative(advisor, stakeholder, user=officer, phone="+31 6 1234 5678", today=TODAY)
    assert stakeholder.representative_user is officer
    assert (stakeholder.representative_name, stakeholder.representative_email) == (None, None)
    assert stakeholder.representative_phone == "+31 6 1234 5678"
    assert stakeholder.representative_display == "Paula Politie"
    assert _actions(db)[-1] == "stakeholders.representative_set"
    services.set_representative(advisor, stakeholder, name="Pim", email="pim@politie.nl", today=TODAY)
    assert (stakeholder.representative_user, stakeholder.representative_display) == (None, "Pim")
    services.set_representative(advisor, stakeholder, today=TODAY)
    assert stakeholder.representative_display is None


def test_representative_user_must_have_a_role_on_the_park(db, park, other_park, advisor, police):
    stakeholder = _add(advisor, park, police, PpsRole.POLITIE)
    outsider = make_member(Role.PARTNER, other_park, name="Otto Buiten")
    message = _refused(services.set_representative, advisor, stakeholder, user=outsider, today=TODAY)
    assert message.startswith("Otto Buiten heeft geen rol op dit park.")
    expired = make_user(name="Eva Verlopen")
    make_membership(expired, Role.PARTNER, park=park, ends_on=TODAY - timedelta(days=1))
    assert "heeft geen rol op dit park" in _refused(
        services.set_representative, advisor, stakeholder, user=expired, today=TODAY
    )


def test_a_chosen_account_wins_over_the_typed_name_and_address(db, park, advisor, police):
    """Choosing an account while the form still shows the old name and address (issue 19 §4) is no refusal: the
    account's name and address count, the typed ones are dropped."""
    stakeholder = _add(advisor, park, police, PpsRole.POLITIE, representative_name="Peter")
    officer = make_member(Role.PARTNER, park, name="Olaf Officier")
    services.set_representative(
        advisor, stakeholder, user=officer, name="Peter", email="peter@politie.nl", phone="030 123 45 67", today=TODAY
    )
    assert stakeholder.representative_user is officer and stakeholder.representative_display == "Olaf Officier"
    assert (stakeholder.representative_name, stakeholder.representative_email) == (None, None)
    assert stakeholder.representative_phone == "030 123 45 67"
    assert "geldig e-mailadres" in _refused(
        services.set_representative, advisor, stakeholder, name="Peter", email="geen adres", today=TODAY
    )


def test_signatory_needs_name_and_function(db, park, advisor, police):
    stakeholder = _add(advisor, park, police, PpsRole.POLITIE)
    services.set_signatory(advisor, stakeholder, name="Mr. J. de Boer", function="Teamchef")
    assert (stakeholder.signatory_name, stakeholder.signatory_function) == ("Mr. J. de Boer", "Teamchef")
    assert _actions(db)[-1] == "stakeholders.signatory_set"
    message = _refused(services.set_signatory, advisor, stakeholder, name="J. de Boer", function=" ")
    assert message == "Vul de naam én de functie van de tekenbevoegde in."
    services.set_signatory(advisor, stakeholder, name="", function="")
    assert stakeholder.signatory_name is None


def test_partner_may_not_change_the_representative(db, park, advisor, police):
    stakeholder = _add(advisor, park, police, PpsRole.POLITIE)
    partner = make_member(Role.PARTNER, park)
    with pytest.raises(NotAllowed):
        services.set_representative(partner, stakeholder, name="Ik", today=TODAY)
    with pytest.raises(NotAllowed):
        services.set_signatory(partner, stakeholder, name="Ik", function="Baas")
    with pytest.raises(NotAllowed):
        services.remove_stakeholder(partner, stakeholder)


def test_remove_a_stakeholder(db, park, advisor, police):
    stakeholder = _add(advisor, park, police, PpsRole.POLITIE)
    services.remove_stakeholder(advisor, stakeholder)
    assert cycle_of(park).stakeholders == []
    assert db.session.scalars(select(Stakeholder)).all() == []
    assert _actions(db)[-1] == "stakeholders.stakeholder_removed"


# Working group ---------------------------------------------------------------------------------------------


def test_chair_and_secretary_are_two_entrepreneurs_of_the_park(db, park, advisor):
    chair = make_member(Role.ENTREPRENEUR, park, name="Olga Ondernemer")
    secretary = make_member(Role.ENTREPRENEUR, park, name="Sem de Vries")
    cycle = cycle_of(park)
    services.set_working_group(advisor, cycle, chair=chair, secretary=secretary, today=TODAY)
    assert (cycle.chair_id, cycle.secretary_id) == (chair.id, secretary.id)
    assert _actions(db)[-1] == "stakeholders.working_group_set"
    services.set_working_group(advisor, cycle, chair=chair, secretary=None, today=TODAY)
    assert (cycle.chair_id, cycle.secretary_id) == (chair.id, None)


def test_chair_and_secretary_refusals(db, park, other_park, advisor):
    cycle = cycle_of(park)
    entrepreneur = make_member(Role.ENTREPRENEUR, park)
    elsewhere = make_member(Role.ENTREPRENEUR, other_park)
    partner = make_member(Role.PARTNER, park)
    expired = make_user()
    make_membership(expired, Role.ENTREPRENEUR, park=park, ends_on=TODAY - timedelta(days=1))
    for chair in (advisor, elsewhere, partner, expired):
        assert _refused(services.set_working_group, advisor, cycle, chair=chair, secretary=None, today=TODAY) == (
            "De voorzitter moet een ondernemer met een rol op dit park zijn."
        )
    assert _refused(services.set_working_group, advisor, cycle, chair=entrepreneur, secretary=partner, today=TODAY) == (
        "De secretaris moet een ondernemer met een rol op dit park zijn."
    )
    assert _refused(
        services.set_working_group, advisor, cycle, chair=entrepreneur, secretary=entrepreneur, today=TODAY
    ) == ("De voorzitter en de secretaris moeten twee verschillende personen zijn.")
    assert (cycle.chair_id, cycle.secretary_id) == (None, None)
    with pytest.raises(NotAllowed):
        services.set_working_group(entrepreneur, cycle, chair=entrepreneur, secretary=None, today=TODAY)


# Inviting a representative -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pps_role", "kind", "park_role"),
    [
        (PpsRole.POLITIE, T.POLITIE, Role.PARTNER),
        (PpsRole.BRANDWEER, T.BRANDWEER, Role.PARTNER),
        (PpsRole.ONDERNEMERS, T.ONDERNEMERSVERENIGING, Role.ENTREPRENEUR),
        (PpsRole.ADVIES, T.PVO, Role.PARTNER),
        (PpsRole.GEMEENTE, None, Role.MUNICIPALITY),
    ],
)
def test_invite_creates_user_membership_link_and_mail(app, db, park, advisor, outbox, pps_role, kind, park_role):
    organisation = park.municipality if kind is None else make_organisation(type=kind)
    stakeholder = _add(advisor, park, organisation, pps_role)
    with app.test_request_context():
        user = services.invite_representative(
            advisor, stakeholder, email=" Nina@Example.NL ", name="Nina Nieuw", locale="en", phone="030 123 45 67"
        )
    assert (user.email, user.name, user.locale, user.has_password) == ("nina@example.nl", "Nina Nieuw", "en", False)
    assert user.organisation is organisation
    (membership,) = db.session.scalars(select(Membership).where(Membership.user_id == user.id)).all()
    assert (membership.role, membership.park_id, membership.municipality_id) == (park_role, park.id, None)
    assert stakeholder.representative_user is user
    assert stakeholder.representative_phone == "030 123 45 67"
    (mail,) = outbox()
    assert mail.recipient == "nina@example.nl"
    assert "/uitnodiging/" in mail.text_body
    assert {"auth.user_invited", "stakeholders.representative_invited"} <= set(_actions(db))
    assert services.missing_core_roles(cycle_of(park)).count(pps_role) == 0


def test_invite_refuses_a_known_address_and_queues_nothing(app, db, park, advisor, police, outbox):
    make_user(email="peter@politie.nl")
    stakeholder = _add(advisor, park, police, PpsRole.POLITIE)
    with app.test_request_context():
        message = _refused(
            services.invite_representative, advisor, stakeholder, email="Peter@politie.nl", name="Peter", locale="nl"
        )
        assert message.startswith("Er bestaat al een account met dit e-mailadres.")
        assert "geldig e-mailadres" in _refused(
            services.invite_representative, advisor, stakeholder, email="peter", name="Peter", locale="nl"
        )
        assert _refused(
            services.invite_representative, advisor, stakeholder, email="p@x.nl", name=" ", locale="nl"
        ) == ("Vul de naam van de vertegenwoordiger in.")
        assert _refused(
            services.invite_representative, advisor, stakeholder, email="p@x.nl", name="P", locale="xx"
        ) == ("Kies de taal van de e-mails.")
    assert outbox() == []
    assert db.session.scalar(select(User).where(User.email == "p@x.nl")) is None


def test_a_second_person_is_an_extra_user_and_the_representative_stays(app, db, park, advisor, police, outbox):
    stakeholder = _add(advisor, park, police, PpsRole.POLITIE, representative_name="Peter Politie")
    with app.test_request_context():
        first = services.invite_representative(advisor, stakeholder, email="a@politie.nl", name="Anna", locale="nl")
        assert stakeholder.representative_user is None and stakeholder.representative_name == "Peter Politie"
        assert first.organisation is police
        assert Role.PARTNER in {m.role for m in first.memberships}
        assert _actions(db)[-1] == "stakeholders.person_invited"
        # once an account represents it, a further invitation still leaves that account in place
        services.set_representative(advisor, stakeholder, user=first, today=TODAY)
        services.invite_representative(advisor, stakeholder, email="b@politie.nl", name="Bert", locale="nl")
    assert stakeholder.representative_user is first
    assert [m.recipient for m in outbox()] == ["a@politie.nl", "b@politie.nl"]


def test_an_explicit_choice_makes_the_invited_person_the_representative(app, db, park, advisor, police, outbox):
    stakeholder = _add(
        advisor, park, police, PpsRole.POLITIE, representative_name="Peter Politie", representative_email="p@p.nl"
    )
    with app.test_request_context():
        user = services.invite_representative(
            advisor, stakeholder, email="a@politie.nl", name="Anna", locale="nl", make_representative=True
        )
    assert stakeholder.representative_user is user
    assert (stakeholder.representative_name, stakeholder.representative_email) == (None, None)
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "stakeholders.representative_invited")
    ).one()
    assert event.details["replaced"]["name"] == "Peter Politie"


def test_removal_effects_name_the_representative_signatory_and_references(db, park, advisor, police):
    from app.plans.models import CalendarItem, CalendarKind

    stakeholder = _add(advisor, park, police, PpsRole.POLITIE, representative_name="Peter Politie")
    services.set_signatory(advisor, stakeholder, name="J. de Boer", function="Teamchef")
    db.session.add(
        CalendarItem(cycle=cycle_of(park), kind=CalendarKind.PRESS, title="Schouw", on=TODAY, owner=stakeholder)
    )
    db.session.flush()
    effects = services.removal_effects(stakeholder)
    assert effects[0] == "De vertegenwoordiger Peter Politie wordt niet meer bewaard."
    assert "De tekenbevoegde J. de Boer wordt niet meer bewaard." in effects
    assert any(e.startswith("1 item(s) van de kalender") for e in effects)
    services.remove_stakeholder(advisor, stakeholder)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "stakeholders.stakeholder_removed")).one()
    assert event.details["references"] == {"calendar_items.owner_id": 1}
    assert event.details["signatory"] == "J. de Boer"


def test_entrepreneur_may_not_invite(app, db, park, advisor, police, outbox):
    stakeholder = _add(advisor, park, police, PpsRole.POLITIE)
    entrepreneur = make_member(Role.ENTREPRENEUR, park)
    with app.test_request_context(), pytest.raises(NotAllowed):
        services.invite_representative(entrepreneur, stakeholder, email="x@example.nl", name="X", locale="nl")
    assert outbox() == []


# Declaration of intent --------------------------------------------------------------------------------------


def test_record_the_signature(db, park, advisor, police):
    stakeholder = _add(advisor, park, police, PpsRole.POLITIE)
    services.record_declaration_signature(advisor, stakeholder, signed_on=TODAY, signed_by=" J. de Boer ", today=TODAY)
    assert (stakeholder.declaration_signed_on, stakeholder.declaration_signed_by) == (TODAY, "J. de Boer")
    assert _actions(db)[-1] == "stakeholders.declaration_signed"
    tomorrow = TODAY + timedelta(days=1)
    assert _refused(
        services.record_declaration_signature, advisor, stakeholder, signed_on=tomorrow, signed_by="X", today=TODAY
    ) == ("De datum van ondertekening ligt in de toekomst.")
    assert _refused(
        services.record_declaration_signature, advisor, stakeholder, signed_on=TODAY, signed_by="  ", today=TODAY
    ) == ("Vul in wie de intentieverklaring heeft ondertekend.")
    entrepreneur = make_member(Role.ENTREPRENEUR, park)
    with pytest.raises(NotAllowed):
        services.record_declaration_signature(entrepreneur, stakeholder, signed_on=TODAY, signed_by="X", today=TODAY)


# Step 2 exit criteria ---------------------------------------------------------------------------------------


def test_missing_core_roles(db, park, advisor, police):
    cycle = cycle_of(park)
    assert services.missing_core_roles(cycle) == [
        PpsRole.GEMEENTE,
        PpsRole.POLITIE,
        PpsRole.BRANDWEER,
        PpsRole.ONDERNEMERS,
    ]
    _add(advisor, park, park.municipality, PpsRole.GEMEENTE, representative_name="Gerrit Gemeente")
    police_stakeholder = _add(advisor, park, police, PpsRole.POLITIE)  # no representative yet
    _add(advisor, park, make_organisation(type=T.OVERIG), PpsRole.OVERIG, representative_name="Iemand")
    assert services.missing_core_roles(cycle) == [PpsRole.POLITIE, PpsRole.BRANDWEER, PpsRole.ONDERNEMERS]
    services.set_representative(advisor, police_stakeholder, user=make_member(Role.PARTNER, park), today=TODAY)
    _add(advisor, park, make_organisation(type=T.BRANDWEER), PpsRole.BRANDWEER, representative_name="Bram")
    _add(advisor, park, make_organisation(type=T.ONDERNEMERSVERENIGING), PpsRole.ONDERNEMERS, representative_name="O")
    assert services.missing_core_roles(cycle) == []


def test_missing_core_roles_looks_at_its_own_cycle_only(db, park, other_park, admin):
    _add(admin, other_park, other_park.municipality, PpsRole.GEMEENTE, representative_name="Gerrit")
    assert PpsRole.GEMEENTE in services.missing_core_roles(cycle_of(park))
    assert PpsRole.GEMEENTE not in services.missing_core_roles(cycle_of(other_park))
