"""The award's rules: readiness of steps 1-6, the request for signatures, signing once per organisation and only for
one's own, the grant with its validity per track, the ceremony date, the press release and step 7's criteria."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.awards import readiness, services, signing
from app.awards.models import Award, Signature, SigningLink
from app.awards.press import draft_press_release
from app.errors import DomainError, NotAllowed
from app.extensions import db as _db
from app.parks.models import CycleStatus, Track
from app.parks.steps import CriterionResult, evaluate
from app.plans.models import Direction, Goal, Theme
from app.stakeholders.models import PpsRole, Stakeholder
from tests.awards.support import NOW, grant, make_world, request, sign_as
from tests.factories import make_member, make_organisation, make_user


def actions(action: str) -> list[AuditEvent]:
    return list(_db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


# Readiness -------------------------------------------------------------------------------------------------------


def test_a_cycle_past_step_6_is_ready(db):
    world = make_world(step=7)
    steps = readiness.readiness(world.cycle)
    assert [s.number for s in steps] == [1, 2, 3, 4, 5, 6]
    assert all(s.complete and not s.missing for s in steps)
    assert readiness.is_ready(steps)


def test_the_current_step_lists_what_is_missing_with_the_fix(db):
    world = make_world(step=6)
    steps = readiness.readiness(world.cycle)
    assert [s.complete for s in steps] == [True] * 5 + [False]
    missing = {c.label: c for c in steps[5].missing}
    assert "Het plan heeft acties, elk met een eigenaar en een kwartaal" in missing
    assert missing["Het plan heeft acties, elk met een eigenaar en een kwartaal"].detail == "er zijn nog geen acties"
    assert missing["Het plan is vastgesteld in een vergadering"].fix == "plans.index"
    assert missing["De communicatie- en activiteitenkalender is gevuld"].fix == "calendar.index"
    assert not readiness.is_ready(steps)
    assert "stap 6 (Uitvoeringsplan)" in readiness.missing_text(steps)


def test_steps_not_reached_are_incomplete(db):
    world = make_world(step=3)
    steps = readiness.readiness(world.cycle)
    assert [s.complete for s in steps] == [True, True, False, False, False, False]
    assert not readiness.is_ready(steps)


def test_the_current_step_counts_as_complete_when_all_its_criteria_hold(db, monkeypatch):
    world = make_world(step=6)
    real = evaluate

    def all_met(cycle, step):
        return [CriterionResult(c.label, True, c.detail, c.fix) for c in real(cycle, step)]

    monkeypatch.setattr(readiness, "evaluate", all_met)
    assert readiness.is_ready(readiness.readiness(world.cycle))
    award, _sent = services.request_signatures(world.advisor, world.cycle, now=NOW)
    assert award.requested_at == NOW


# Requesting the signatures ------------------------------------------------------------------------------------


def test_the_request_is_refused_until_steps_1_to_6_are_complete(db, outbox):
    world = make_world(step=6)
    with pytest.raises(DomainError) as refused:
        services.request_signatures(world.advisor, world.cycle, now=NOW)
    assert "Het plan is vastgesteld in een vergadering" in refused.value.message
    assert services.find_award(world.cycle) is None or services.find_award(world.cycle).requested_at is None
    assert outbox() == []


def test_the_request_mails_each_signatory_a_personal_link(db, outbox):
    world = make_world()
    world.wendy.locale = "en"
    award, sent = services.request_signatures(world.advisor, world.cycle, now=NOW)
    assert (award.requested_at, award.requested_by_id, sent) == (NOW, world.advisor.id, 3)
    mails = {mail.recipient: mail for mail in outbox()}
    # the signatories, not the representatives; the fire brigade's signatory is not known, so nobody is mailed
    assert set(mails) == {"burgemeester@lageweide.example", world.wendy.email, world.olga.email}
    mayor = mails["burgemeester@lageweide.example"]
    assert mayor.subject == "Uw handtekening voor de waardering van Lage Weide"
    assert mayor.text_body.startswith("Beste Burgemeester Dijksma,")
    assert "u heeft er geen account voor nodig" in mayor.text_body and "log in" not in mayor.text_body
    assert "geldig tot en met 31 maart 2027" in mayor.text_body
    links = re.findall(r"http://127\.0\.0\.1:5000/waardering-tekenen/(\S+)", mayor.text_body)
    assert len(links) == 1 and signing.find_link(links[0]).stakeholder_id == world.municipality.id
    assert mails[world.wendy.email].locale == "en"  # a signatory with an account gets their language
    assert [e.details["without_address"] for e in actions("awards.requested")] == [[world.fire.organisation.name]]
    # only a digest of each token is stored
    stored = _db.session.scalars(select(SigningLink.token_digest)).all()
    assert len(stored) == 3 and links[0] not in stored


def test_signatures_are_requested_once_by_managers_of_an_open_cycle(db):
    world = make_world()
    with pytest.raises(NotAllowed):
        services.request_signatures(world.olga, world.cycle, now=NOW)
    request(world)
    with pytest.raises(DomainError, match="al gevraagd"):
        services.request_signatures(world.officer, world.cycle, now=NOW)
    closed = make_world(name="Papendorp")
    closed.cycle.status = CycleStatus.CLOSED
    with pytest.raises(DomainError, match="afgesloten"):
        services.request_signatures(closed.advisor, closed.cycle, now=NOW)


# Signing --------------------------------------------------------------------------------------------------------


def test_signing_records_name_function_and_time_and_is_audited(db):
    world = make_world()
    award = request(world)
    later = NOW + timedelta(hours=2)
    signature = sign_as(world, world.police, now=later, function="  Teamchef   Utrecht-West ")
    assert (signature.name, signature.function, signature.signed_at) == (
        "Wendy Wijkagent",
        "Teamchef Utrecht-West",
        later,
    )
    assert (signature.user_id, signature.stakeholder_id, signature.award_id) == (
        world.wendy.id,
        world.police.id,
        award.id,
    )
    [event] = actions("awards.signed")
    assert event.actor_id == world.wendy.id
    assert event.details["organisation"] == world.police.organisation.name
    assert award.awarded_on is None  # three partners still have to sign
    assert [s.organisation.name for s in services.unsigned(award)] == [
        world.municipality.organisation.name,
        world.fire.organisation.name,
        world.entrepreneurs.organisation.name,
    ]


def test_nobody_signs_before_the_request(db):
    world = make_world()
    award = Award(cycle=world.cycle, press_release="")
    _db.session.add(award)
    _db.session.flush()
    with pytest.raises(DomainError, match="nog niet gevraagd"):
        sign_as(world, world.police)


def test_a_signature_cannot_be_given_twice(db):
    world = make_world()
    request(world)
    sign_as(world, world.police)
    with pytest.raises(DomainError, match="Er is al getekend namens"):
        sign_as(world, world.police)
    # a colleague of the same organisation cannot sign again either
    colleague = make_member(Role.PARTNER, world.park, organisation=world.wendy.organisation)
    award = services.find_award(world.cycle)
    with pytest.raises(DomainError, match="Er is al getekend namens"):
        services.sign(colleague, award, world.police, function="Y", confirmed=True, now=NOW)
    assert _db.session.scalar(select(Signature.id).where(Signature.stakeholder_id == world.police.id)) is not None
    assert len(award.signatures) == 1


def test_the_unique_constraint_is_the_last_line_of_defence(db, monkeypatch):
    """Two signers at the same moment: the look-up sees no signature, the database refuses the second."""
    world = make_world()
    award = request(world)
    sign_as(world, world.police)
    monkeypatch.setattr(services, "signed_stakeholder_ids", lambda award: set())
    with pytest.raises(DomainError, match="Er is al getekend namens"):
        sign_as(world, world.police)
    # the savepoint kept the first signature and the transaction usable
    _db.session.expire_all()
    assert len(award.signatures) == 1
    sign_as(world, world.fire)
    assert len(award.signatures) == 2


def test_nobody_signs_for_another_organisation(db):
    world = make_world()
    award = request(world)
    with pytest.raises(DomainError, match="alleen tekenen namens uw eigen organisatie"):
        services.sign(world.wendy, award, world.fire, function="Teamchef", confirmed=True, now=NOW)
    # an advisor without an organisation that takes part cannot sign for anyone
    with pytest.raises(DomainError, match="alleen tekenen namens uw eigen organisatie"):
        services.sign(world.advisor, award, world.police, function="Adviseur", confirmed=True, now=NOW)
    assert award.signatures == []


def test_a_stakeholder_of_another_park_cannot_be_signed_here(db):
    world = make_world()
    other = make_world(name="Papendorp")
    award = request(world)
    # Wendy's police of Papendorp: a member of Papendorp only, signing Lage Weide's award for Papendorp's police
    with pytest.raises((DomainError, NotAllowed)):
        services.sign(other.wendy, award, other.police, function="T", confirmed=True, now=NOW)
    with pytest.raises(DomainError, match="doet niet mee in deze cyclus"):
        services.sign(world.wendy, award, other.police, function="T", confirmed=True, now=NOW)


def test_signing_needs_a_current_membership_the_confirmation_a_name_and_a_function(db):
    world = make_world()
    award = request(world)
    outsider = make_user(organisation=world.wendy.organisation)
    with pytest.raises(NotAllowed):
        services.sign(outsider, award, world.police, function="Y", confirmed=True, now=NOW)
    # admins may do everything, but a signature is personal: only with a role on the park
    admin = make_user(is_admin=True, organisation=world.wendy.organisation)
    with pytest.raises(NotAllowed):
        services.sign(admin, award, world.police, function="Y", confirmed=True, now=NOW)
    auditor = make_member(Role.AUDITOR, world.park, organisation=world.wendy.organisation)
    with pytest.raises(NotAllowed):
        services.sign(auditor, award, world.police, function="Y", confirmed=True, now=NOW)
    with pytest.raises(DomainError, match="Bevestig"):
        sign_as(world, world.police, confirmed=False)
    world.wendy.name = "   "
    with pytest.raises(DomainError, match="naam"):
        sign_as(world, world.police)
    world.wendy.name = "Wendy Wijkagent"
    with pytest.raises(DomainError, match="functie"):
        sign_as(world, world.police, function="")
    assert award.signatures == []


def test_a_closed_cycle_takes_no_signatures(db):
    world = make_world()
    award = request(world)
    world.cycle.status = CycleStatus.CLOSED
    with pytest.raises(DomainError, match="afgesloten"):
        sign_as(world, world.police)
    with pytest.raises(DomainError, match="afgesloten"):
        services.set_ceremony(world.advisor, world.cycle, on=date(2027, 4, 1))
    with pytest.raises(DomainError, match="afgesloten"):
        services.save_press_release(world.advisor, world.cycle, text="Persbericht")
    assert award.signatures == []


# Granting and validity ----------------------------------------------------------------------------------------


def test_the_last_signature_grants_the_award_and_tells_the_managers(db, outbox):
    world = make_world()
    request(world)
    mails_before = len(outbox())
    for stakeholder in world.stakeholders[:-1]:
        sign_as(world, stakeholder)
    award = services.find_award(world.cycle)
    assert award.awarded_on is None and actions("awards.granted") == []
    sign_as(world, world.entrepreneurs, now=NOW + timedelta(days=3))
    assert award.awarded_on == date(2027, 3, 4)
    assert award.valid_until == date(2029, 3, 3)  # PVO: two years, until the day before the anniversary
    [event] = actions("awards.granted")
    assert event.actor_id == world.olga.id and event.details["valid_until"] == "2029-03-03"
    granted = outbox()[mails_before:]
    assert {m.recipient for m in granted} == {world.advisor.email, world.officer.email}
    assert all(m.subject == "Lage Weide heeft de waardering: iedereen heeft getekend" for m in granted)
    assert "geldig tot en met 3 maart 2029" in granted[0].text_body


def test_a_stakeholder_that_signs_after_the_grant_does_not_grant_again(db, outbox):
    world = make_world()
    award = grant(world)
    granted = (award.awarded_on, award.valid_until)
    late_org = make_organisation(name="Transportbedrijf Van Hal")
    late = Stakeholder(
        cycle=world.cycle, organisation=late_org, role=PpsRole.PARKMANAGEMENT, declaration_signed_on=date(2027, 6, 1)
    )
    _db.session.add(late)
    signer = make_member(Role.ENTREPRENEUR, world.park, name="Kees van Hal", organisation=late_org)
    _db.session.flush()
    mails_before = len(outbox())
    services.sign(signer, award, late, function="Directeur", confirmed=True, now=NOW + timedelta(days=200))
    assert (award.awarded_on, award.valid_until) == granted
    assert len(actions("awards.granted")) == 1
    assert outbox()[mails_before:] == []


@pytest.mark.parametrize(
    ("track", "awarded_on", "valid_until"),
    [
        (Track.PVO, date(2027, 3, 4), date(2029, 3, 3)),
        (Track.KVO, date(2027, 3, 4), date(2030, 3, 3)),
        (Track.KVO, date(2026, 10, 6), date(2029, 10, 5)),
        (Track.PVO, date(2028, 2, 29), date(2030, 2, 28)),
        (Track.PVO, date(2028, 3, 1), date(2030, 2, 28)),
    ],
)
def test_validity_follows_the_track(db, track, awarded_on, valid_until):
    world = make_world()
    world.park.track = track
    assert services.valid_until_for(world.park, awarded_on) == valid_until


def test_a_kvo_award_counts_three_years(db):
    world = make_world()
    world.park.track = Track.KVO
    award = grant(world)
    assert (award.awarded_on, award.valid_until) == (date(2027, 3, 1), date(2030, 2, 28))


def test_validity_states_and_renewal(db):
    world = make_world()
    assert services.validity(world.park, today=date(2027, 3, 1)) is None
    award = grant(world)  # granted 1 March 2027, valid until 28 February 2029
    states = {
        day: services.validity(world.park, today=day).state
        for day in (date(2028, 8, 27), date(2028, 8, 28), date(2029, 2, 28), date(2029, 3, 1))
    }
    assert states == {
        date(2028, 8, 27): "valid",
        date(2028, 8, 28): "expiring",
        date(2029, 2, 28): "expiring",
        date(2029, 3, 1): "expired",
    }
    assert not services.validity(world.park, today=date(2028, 8, 27)).renew
    assert services.validity(world.park, today=date(2028, 9, 1)).renew
    assert services.validity(world.park, today=date(2028, 9, 1)).award is award


# The ceremony, the press release and step 7 ------------------------------------------------------------------


def test_the_ceremony_date_is_set_changed_and_audited(db):
    world = make_world()
    services.set_ceremony(world.advisor, world.cycle, on=date(2027, 4, 1))
    services.set_ceremony(world.officer, world.cycle, on=date(2027, 4, 8))
    services.set_ceremony(world.officer, world.cycle, on=date(2027, 4, 8))  # unchanged: no row
    assert services.find_award(world.cycle).ceremony_on == date(2027, 4, 8)
    assert [e.details for e in actions("awards.ceremony_set")] == [
        {"from": None, "to": "2027-04-01"},
        {"from": "2027-04-01", "to": "2027-04-08"},
    ]
    with pytest.raises(NotAllowed):
        services.set_ceremony(world.wendy, world.cycle, on=date(2027, 5, 1))


@pytest.mark.parametrize("day", [date(1, 1, 1), date(9999, 12, 31)])
def test_a_ceremony_date_far_off_is_a_typing_error(db, day):
    world = make_world()
    with pytest.raises(DomainError, match="Kies een datum tussen 2000 en 2100"):
        services.set_ceremony(world.advisor, world.cycle, on=day)
    assert services.find_award(world.cycle) is None


def test_step_7_criteria(db):
    world = make_world()

    def step7():
        return {c.label: (c.met, c.detail, c.fix) for c in evaluate(world.cycle, 7)}

    assert step7() == {
        "Elke deelnemer heeft de intentieverklaring ondertekend": (True, "", "stakeholders.index"),
        "Elke deelnemer heeft getekend": (False, "de handtekeningen zijn nog niet gevraagd", "awards.index"),
        "De datum van de uitreiking staat vast": (False, "", "awards.index"),
    }
    request(world)
    sign_as(world, world.police)
    sign_as(world, world.municipality)
    signed, _detail, _fix = step7()["Elke deelnemer heeft getekend"]
    assert not signed
    # the organisations that block it are named, and the one nobody can be mailed for
    assert step7()["Elke deelnemer heeft getekend"][1] == (
        f"nog niet getekend: {world.fire.organisation.name}, {world.entrepreneurs.organisation.name}; "
        f"geen e-mailadres van de tekenbevoegde: {world.fire.organisation.name}"
    )
    sign_as(world, world.fire)
    sign_as(world, world.entrepreneurs)
    services.set_ceremony(world.advisor, world.cycle, on=date(2027, 4, 1))
    assert step7() == {
        "Elke deelnemer heeft de intentieverklaring ondertekend": (True, "", "stakeholders.index"),
        "Elke deelnemer heeft getekend": (True, "", "awards.index"),
        "De datum van de uitreiking staat vast": (True, "1 april 2027", "awards.index"),
    }


def test_the_press_release_draft_names_park_partners_goals_and_ceremony(db):
    world = make_world()
    _db.session.add(
        Goal(
            cycle=world.cycle,
            theme=Theme.VEILIG,
            title="Minder inbraken",
            indicator="Inbraken per jaar",
            direction=Direction.DOWN,
            baseline=24,
            target=12,
            deadline=date(2028, 12, 31),
        )
    )
    award = grant(world)
    services.set_ceremony(world.advisor, world.cycle, on=date(2027, 4, 1))
    text = draft_press_release(world.cycle, award, today=date(2027, 3, 10))
    assert text.startswith("Bedrijventerrein Lage Weide krijgt Waardering Veilig Bedrijventerrein")
    for part in (
        "UTRECHT LAGE WEIDE - Bedrijventerrein Lage Weide ontvangt op 1 april 2027 de Waardering",
        "Politie Lage Weide, Brandweer Lage Weide en Ondernemersvereniging Lage Weide",
        "Veilig\n- Minder inbraken: van 24 naar 12 in december 2028 (inbraken per jaar).",
        "De erkenning is geldig tot en met 28 februari 2029.",
    ):
        assert part in text, part
    services.save_press_release(world.advisor, world.cycle, text="  Eigen tekst\r\nregel 2  ")
    assert award.press_release == "Eigen tekst\nregel 2"
    assert [e.details for e in actions("awards.press_release_saved")] == [{"length": 19}]
    with pytest.raises(DomainError):
        services.save_press_release(world.advisor, world.cycle, text="   ")
    with pytest.raises(NotAllowed):
        services.save_press_release(world.olga, world.cycle, text="Van Olga")
