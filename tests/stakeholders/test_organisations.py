"""Organisations without an admin: duplicate detection, creating one while adding a stakeholder, merging."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth import two_factor
from app.auth.models import Membership, Role, TwoFactorRequirement, User
from app.cameras.models import CameraNetwork
from app.errors import DomainError, NotAllowed
from app.parks.models import Park
from app.sso.models import IdentityProvider, RoleRule
from app.stakeholders import organisations, services
from app.stakeholders.models import Organisation, OrganisationType, PpsRole, Stakeholder
from tests.factories import make_member, make_membership, make_organisation, make_park, make_user
from tests.stakeholders import cycle_of

T = OrganisationType


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Stichting Ondernemers-Kring Zuid B.V.", "ondernemers kring zuid"),
        ("  POLITIE  Midden\u2013Nederland ", "politie midden nederland"),
        ("Brandweer Gooi & Vechtstreek", "brandweer gooi vechtstreek"),
        ("Vereniging Café De Zaak", "cafe zaak"),
        ("Stichting", ""),
        ("Ondernemersvereniging 's-Hertogenbosch N.V.", "ondernemersvereniging s hertogenbosch"),
    ],
)
def test_normalised_names(name, key):
    assert organisations.normalise_name(name) == key


def test_similar_organisations_put_exact_and_same_kind_first(db):
    police = make_organisation(name="Politie Midden-Nederland", type=T.POLITIE)
    other_kind = make_organisation(name="Politie Midden Nederland", type=T.OVERIG)
    district = make_organisation(name="Politie Midden-Nederland district Utrecht", type=T.POLITIE)
    make_organisation(name="Brandweer Utrecht", type=T.BRANDWEER)
    matches = organisations.similar_organisations("politie midden nederland", T.POLITIE)
    assert [m.organisation for m in matches] == [police, other_kind, district]
    assert [(m.exact, m.same_type) for m in matches] == [(True, True), (True, False), (False, True)]
    typo = organisations.similar_organisations("Politie Midden-Nederlnd", T.POLITIE)
    assert typo[0].organisation is police and not typo[0].exact
    assert organisations.similar_organisations("Ondernemersvereniging Lage Weide", T.ONDERNEMERSVERENIGING) == []


def test_matches_name_the_parks_they_take_part_in(db, park, advisor, police):
    services.add_stakeholder(advisor, cycle_of(park), organisation=police, role=PpsRole.POLITIE)
    (match,) = organisations.similar_organisations("Politie Midden Nederland", T.POLITIE)
    assert match.parks == ("Lage Weide",)


def test_look_alikes_known_in_the_parks_municipality_come_first(db, park, other_park, advisor):
    elsewhere = make_organisation(name="Ondernemerskring Noord", type=T.ONDERNEMERSVERENIGING)
    here = make_organisation(name="Ondernemers Kring Noord", type=T.ONDERNEMERSVERENIGING)
    admin = make_user(is_admin=True)
    services.add_stakeholder(admin, cycle_of(other_park), organisation=elsewhere, role=PpsRole.OVERIG)
    services.add_stakeholder(admin, cycle_of(park), organisation=here, role=PpsRole.OVERIG)
    name, kind = "Ondernemerskring-Noord", T.ONDERNEMERSVERENIGING
    matches = organisations.similar_organisations(name, kind, municipality=park.municipality)
    assert [(m.organisation, m.same_municipality) for m in matches] == [(elsewhere, False), (here, True)]
    # not exact: "ondernemerskring noord" vs "ondernemers kring noord"; here the park's own municipality wins
    near = organisations.similar_organisations("Ondernemerskring Nord", kind, municipality=park.municipality)
    assert [m.organisation for m in near] == [here, elsewhere]


def test_advisor_creates_an_organisation_audited_on_the_park(db, park, advisor):
    organisation = organisations.create_organisation(
        advisor, park, name="  Ondernemersvereniging   Lage Weide ", type=T.ONDERNEMERSVERENIGING
    )
    assert (organisation.name, organisation.type) == ("Ondernemersvereniging Lage Weide", T.ONDERNEMERSVERENIGING)
    event = db.session.scalars(select(AuditEvent)).one()
    assert (event.action, event.park_id, event.details["confirmed_different_from"]) == (
        "stakeholders.organisation_created",
        park.id,
        [],
    )


def test_an_exact_duplicate_is_refused_even_when_confirmed(db, park, advisor, police):
    with pytest.raises(DomainError) as error:
        organisations.create_organisation(
            advisor, park, name="politie midden\u2013nederland", type=T.POLITIE, confirmed_different=True
        )
    assert error.value.message == (
        "Politie Midden-Nederland (Politie) bestaat al en is dezelfde organisatie. Kies die in de lijst."
    )
    assert db.session.scalars(select(Organisation)).all() == [park.municipality, police]


def test_a_similar_one_needs_the_confirmation_that_it_is_different(db, park, advisor, police):
    with pytest.raises(organisations.SimilarOrganisations) as error:
        organisations.create_organisation(advisor, park, name="Politie Midden-Nederland Noord", type=T.POLITIE)
    assert [m.organisation for m in error.value.matches] == [police]
    created = organisations.create_organisation(
        advisor, park, name="Politie Midden-Nederland Noord", type=T.POLITIE, confirmed_different=True
    )
    event = db.session.scalars(select(AuditEvent)).one()
    assert event.subject_id == str(created.id) and event.details["confirmed_different_from"] == [police.id]


@pytest.mark.parametrize("name", ["", "   ", "...", "x" * 201])
def test_a_bad_name_is_refused(db, park, advisor, name):
    with pytest.raises(DomainError):
        organisations.create_organisation(advisor, park, name=name, type=T.OVERIG)


@pytest.mark.parametrize("role", [Role.ENTREPRENEUR, Role.PARTNER, Role.CAMERA_OFFICER, Role.AUDITOR])
def test_only_advisors_and_the_municipality_create_organisations(db, park, role):
    with pytest.raises(NotAllowed):
        organisations.create_organisation(make_member(role, park), park, name="Nieuw", type=T.OVERIG)
    organisations.create_organisation(make_member(Role.MUNICIPALITY, park), park, name="Nieuw", type=T.OVERIG)


def test_an_advisor_of_another_park_may_not_create_one_for_this_park(db, park, other_park):
    with pytest.raises(NotAllowed):
        organisations.create_organisation(make_member(Role.ADVISOR, other_park), park, name="Nieuw", type=T.OVERIG)


def test_admin_renaming_to_a_normalised_duplicate_is_refused(db, admin, police):
    other = make_organisation(name="Politie Oost", type=T.POLITIE)
    with pytest.raises(DomainError):
        services.save_organisation(admin, other, name="Stichting Politie Midden Nederland", type=T.POLITIE)
    services.save_organisation(admin, police, name="Politie Midden-Nederland", type=T.POLITIE)  # itself: fine


# Merging ------------------------------------------------------------------------------------------------------


def test_every_reference_to_organisations_has_words():
    columns = {(c.table.name, c.name) for c in organisations.organisation_references()}
    assert columns == set(organisations.REFERENCE_LABELS)


def test_merge_moves_every_reference_and_deletes_the_duplicate(db, admin, park, advisor):
    keep = make_organisation(name="Gemeente Utrecht", type=T.GEMEENTE)
    duplicate = make_organisation(name="gemeente utrecht.", type=T.GEMEENTE)
    # one row per foreign key to organisations, all pointing at the duplicate
    employee = make_user(organisation=duplicate)
    membership = make_membership(make_user(), Role.MUNICIPALITY, municipality=duplicate)
    its_park = make_park(name="Papendorp", municipality=duplicate)
    network = CameraNetwork(park=its_park, name="Camera's Papendorp", operator=duplicate)
    db.session.add(network)
    stakeholder = Stakeholder(organisation=duplicate, role=PpsRole.OVERIG)
    cycle_of(park).stakeholders.append(stakeholder)
    provider = IdentityProvider(
        slug="utrecht", name="Gemeente Utrecht", issuer="https://id.example", client_id="vb", municipality=duplicate
    )
    provider.organisations.append(duplicate)
    provider.rules.append(RoleRule(claim_value="vb", role=Role.MUNICIPALITY, municipality=duplicate))
    db.session.add(provider)
    db.session.flush()
    db.session.add(TwoFactorRequirement(organisation_id=duplicate.id, role=Role.PARTNER))
    db.session.flush()
    duplicate_id = duplicate.id
    preview = organisations.merge_preview(duplicate, keep)
    assert preview.problems == []
    assert [count for _label, count in preview.moves] == [1] * len(organisations.REFERENCE_LABELS)

    organisations.merge_organisations(admin, duplicate, into=keep)
    assert db.session.get(User, employee.id).organisation_id == keep.id
    assert db.session.get(Membership, membership.id).municipality_id == keep.id
    assert db.session.get(Park, its_park.id).municipality_id == keep.id
    assert db.session.get(CameraNetwork, network.id).operator_id == keep.id
    assert db.session.get(Stakeholder, stakeholder.id).organisation_id == keep.id
    db.session.expire_all()
    assert provider.municipality is keep and provider.organisations == [keep] and provider.rules[0].municipality is keep
    assert two_factor.required_roles(keep) == {Role.PARTNER}
    assert db.session.get(Organisation, duplicate_id) is None
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "stakeholders.organisations_merged")).one()
    assert event.subject_id == str(keep.id) and event.details["merged_id"] == duplicate_id
    assert event.details["moved"]["parks.municipality_id"] == 1


def test_merge_is_refused_when_both_take_part_in_the_same_cycle(db, admin, park, advisor, police):
    duplicate = make_organisation(name="Politie Midden Nederland.", type=T.POLITIE)
    for organisation in (police, duplicate):
        services.add_stakeholder(advisor, cycle_of(park), organisation=organisation, role=PpsRole.OVERIG)
    preview = organisations.merge_preview(duplicate, police)
    assert len(preview.problems) == 1 and "deelnames aan een park" in preview.problems[0]
    with pytest.raises(DomainError):
        organisations.merge_organisations(admin, duplicate, into=police)
    assert db.session.get(Organisation, duplicate.id) is duplicate


def test_merge_is_refused_across_kinds_into_itself_and_for_non_admins(db, admin, park, advisor, police):
    other_kind = make_organisation(name="Politie (overig)", type=T.OVERIG)
    assert "Maak het soort eerst gelijk" in organisations.merge_preview(other_kind, police).problems[0]
    assert organisations.merge_preview(police, police).problems
    duplicate = make_organisation(name="Politie MN", type=T.POLITIE)
    with pytest.raises(NotAllowed):
        organisations.merge_organisations(advisor, duplicate, into=police)
