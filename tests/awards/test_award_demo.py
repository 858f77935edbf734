"""The demo awards: Cartesiusweg (steps 1-6 complete) awarded, a park that is not that far left alone, idempotent."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.auth.models import User
from app.awards import services, signing
from app.awards.demo import seed_demo
from app.awards.models import Award
from app.demo import DEMO_DOMAIN
from app.demo.seed import seed_demo_data
from app.parks.models import Park
from app.parks.services import active_cycle
from tests.awards.support import make_world

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_the_demo_awards(db):
    seed_demo_data(now=NOW)  # seeds the awards with the rest
    parks = {park.name: park for park in db.session.scalars(select(Park))}
    users = {user.email: user for user in db.session.scalars(select(User))}
    # Haarrijn's certificate belongs to its closed first cycle (the dashboard's certificate running out)
    awarded = {award.cycle.park.name: award.cycle.status.value for award in db.session.scalars(select(Award))}
    assert awarded == {"Cartesiusweg": "active", "Haarrijn": "closed"}
    award = services.find_award(active_cycle(parks["Cartesiusweg"]))
    assert award.requested_at is not None and award.ceremony_on is not None
    assert services.all_signed(award) and len(award.signatures) == len(award.cycle.stakeholders) == 4
    assert award.valid_until == services.valid_until_for(parks["Cartesiusweg"], award.awarded_on)
    assert "Cartesiusweg" in award.press_release
    signers = {s.stakeholder.organisation.name: s.user_id for s in award.signatures}
    assert signers["Politie Midden-Nederland"] == users[f"politie@{DEMO_DOMAIN}"].id
    # a user who signs while logged in states their own function, not the authorised signatory's
    functions = {s.stakeholder.organisation.name: s.function for s in award.signatures}
    assert functions["Politie Midden-Nederland"] == "Wijkagent"
    # Lage Weide (step 3) and Papendorp (step 1) are not ready: no award the process could not have reached
    assert services.find_award(active_cycle(parks["Lage Weide"])) is None
    # the status of each signatory: one through the personal link, the others logged in under their own name
    assert sorted(s.method.value for s in award.signatures) == ["account", "account", "account", "link"]
    assert all(s.declaration_signed_on for s in award.cycle.stakeholders)
    # again, also asking for parks that are not ready: nothing new
    assert seed_demo(parks, users, now=NOW, requested=("Lage Weide", "Papendorp")) == []
    assert len(db.session.scalars(select(Award)).all()) == len(awarded)


def test_a_requested_demo_award_has_some_signatures(db):
    world = make_world()
    users = {u.email: u for u in (world.advisor, world.officer, world.wendy, world.bram, world.olga)}
    [award] = seed_demo({"Lage Weide": world.park}, users, now=NOW, awarded=(), requested=("Lage Weide",))
    assert award.requested_by_id == world.advisor.id and award.awarded_on is None
    assert [s.stakeholder_id for s in award.signatures] == [world.municipality.id, world.police.id]
    # the first signed through the personal link, without an account, under the signatory's name; the second
    # while logged in, under her own
    assert [s.user_id for s in award.signatures] == [None, world.wendy.id]
    assert [(s.name, s.method.value) for s in award.signatures] == [
        ("Burgemeester Dijksma", "link"),
        ("Wendy Wijkagent", "account"),
    ]
    links = signing.latest_links(award)
    assert links[world.municipality.id].used_at == award.signatures[0].signed_at
    # of the two still to sign, the one whose signatory has an address opened the link; the fire brigade has none
    assert links[world.entrepreneurs.id].opened_at is not None and world.fire.id not in links
    assert all(s.declaration_signed_on is not None for s in world.stakeholders)
    assert [s.organisation.name for s in services.unsigned(award)] == [
        world.fire.organisation.name,
        world.entrepreneurs.organisation.name,
    ]
