"""A park ready for its award, with the people who sign for its four partners, for the award tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from io import BytesIO

from PIL import Image, ImageDraw

from app.auth.models import Role, User
from app.awards import services
from app.awards.models import Award
from app.extensions import db
from app.parks.models import Cycle, Park
from app.parks.services import active_cycle
from app.stakeholders import logos
from app.stakeholders.models import Organisation, OrganisationType, PpsRole, Stakeholder
from tests.factories import make_member, make_membership, make_organisation, make_park, make_user

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@dataclass
class World:
    park: Park
    cycle: Cycle
    utrecht: Organisation
    advisor: User
    officer: User
    wendy: User  # police, the police's representative (English)
    bram: User  # fire brigade; the fire brigade's representative is a name and an address only
    olga: User  # entrepreneurs' association, chair
    sanne: User  # entrepreneurs' association, secretary
    municipality: Stakeholder
    police: Stakeholder
    fire: Stakeholder
    entrepreneurs: Stakeholder
    #: stakeholder id -> the user who signs for it, of the partners `add_partners` added
    extra: dict[int, User] = field(default_factory=dict)

    @property
    def stakeholders(self) -> list[Stakeholder]:
        return [self.municipality, self.police, self.fire, self.entrepreneurs] + [
            stakeholder for stakeholder in self.cycle.stakeholders if stakeholder.id in self.extra
        ]

    def signer_of(self, stakeholder: Stakeholder) -> User:
        return {
            self.municipality.id: self.officer,
            self.police.id: self.wendy,
            self.fire.id: self.bram,
            self.entrepreneurs.id: self.olga,
            **self.extra,
        }[stakeholder.id]


def _stakeholder(cycle, organisation, role, **values) -> Stakeholder:
    """A stakeholder that signed the declaration of intent (the award rests on it)."""
    values.setdefault("declaration_signed_on", date(2026, 6, 1))
    values.setdefault("declaration_signed_by", values.get("signatory_name") or organisation.name)
    stakeholder = Stakeholder(cycle=cycle, organisation=organisation, role=role, **values)
    db.session.add(stakeholder)
    db.session.flush()
    return stakeholder


def make_world(*, step: int = 7, name: str = "Lage Weide") -> World:
    """A park whose active cycle is at `step` (7: steps 1-6 complete) with four partners, each with someone on the
    platform who may sign for it."""
    utrecht = make_organisation(name=f"Gemeente Utrecht {name}")
    park = make_park(name=name, municipality=utrecht)
    cycle = active_cycle(park)
    cycle.current_step = step
    police_org = make_organisation(name=f"Politie {name}", type=OrganisationType.POLITIE)
    fire_org = make_organisation(name=f"Brandweer {name}", type=OrganisationType.BRANDWEER)
    entrepreneurs_org = make_organisation(
        name=f"Ondernemersvereniging {name}", type=OrganisationType.ONDERNEMERSVERENIGING
    )
    pvo = make_organisation(name=f"PVO {name}", type=OrganisationType.PVO)
    advisor = make_member(Role.ADVISOR, park, name="Anouk Adviseur", email=f"anouk@{_domain(name)}", organisation=pvo)
    officer = make_user(name="Gerrit Gemeente", email=f"gerrit@{_domain(name)}", organisation=utrecht)
    make_membership(officer, Role.MUNICIPALITY, municipality=utrecht)
    wendy = make_member(
        Role.PARTNER, park, name="Wendy Wijkagent", email=f"wendy@{_domain(name)}", organisation=police_org, locale="en"
    )
    bram = make_member(Role.PARTNER, park, name="Bram Brandweer", email=f"bram@{_domain(name)}", organisation=fire_org)
    olga = make_member(
        Role.ENTREPRENEUR, park, name="Olga Ondernemer", email=f"olga@{_domain(name)}", organisation=entrepreneurs_org
    )
    sanne = make_member(
        Role.ENTREPRENEUR, park, name="Sanne Secretaris", email=f"sanne@{_domain(name)}", organisation=entrepreneurs_org
    )
    cycle.chair_id, cycle.secretary_id = olga.id, sanne.id
    municipality = _stakeholder(
        cycle,
        utrecht,
        PpsRole.GEMEENTE,
        representative_user=officer,
        signatory_name="Burgemeester Dijksma",
        signatory_function="Burgemeester",
        signatory_email=f"burgemeester@{_domain(name)}",
    )
    police = _stakeholder(
        cycle,
        police_org,
        PpsRole.POLITIE,
        representative_user=wendy,
        signatory_name="Wendy Wijkagent",
        signatory_function="Teamchef",
        signatory_email=f"wendy@{_domain(name)}",
    )
    fire = _stakeholder(
        cycle,
        fire_org,
        PpsRole.BRANDWEER,
        representative_name="Kazerne Noord",
        representative_email=f"kazerne@{_domain(name)}",
    )
    entrepreneurs = _stakeholder(
        cycle,
        entrepreneurs_org,
        PpsRole.ONDERNEMERS,
        representative_user=olga,
        signatory_name="Olga Ondernemer",
        signatory_function="Voorzitter",
        signatory_email=f"olga@{_domain(name)}",
    )
    db.session.flush()
    return World(
        park, cycle, utrecht, advisor, officer, wendy, bram, olga, sanne, municipality, police, fire, entrepreneurs
    )


def _domain(name: str) -> str:
    return name.lower().replace(" ", "") + ".example"


def request(world: World, *, now: datetime = NOW) -> Award:
    award, _sent = services.request_signatures(world.advisor, world.cycle, now=now)
    return award


def sign_as(world: World, stakeholder: Stakeholder, *, now: datetime = NOW, **values):
    """The stakeholder's user of the world signs while logged in (under their own name)."""
    award = services.find_award(world.cycle)
    user = world.signer_of(stakeholder)
    return services.sign(
        user,
        award,
        stakeholder,
        function=values.get("function", stakeholder.signatory_function or "Commandant"),
        confirmed=values.get("confirmed", True),
        now=now,
    )


def grant(world: World, *, now: datetime = NOW) -> Award:
    """Request the signatures and let every partner sign."""
    award = request(world, now=now)
    for stakeholder in world.stakeholders:
        sign_as(world, stakeholder, now=now)
    return award


def give_logo(organisation: Organisation, colour: str = "#c0392b") -> None:
    """A small landscape PNG logo (a coloured bar with a letter) for the organisation, stored as the upload page
    stores one."""
    image = Image.new("RGB", (240, 90), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 232, 82), fill=colour)
    draw.text((100, 35), organisation.name[:1], fill="white")
    buffer = BytesIO()
    image.save(buffer, "PNG")
    logos.replace_logo(organisation, buffer.getvalue())
    db.session.flush()


def add_partners(world: World, count: int) -> list[Stakeholder]:
    """`count` more partners in the world's cycle, each with a signatory on the platform who signs for it when
    `grant` runs (they join `world.stakeholders`)."""
    added = []
    for number in range(1, count + 1):
        organisation = make_organisation(
            name=f"Partner {number} van {world.park.name}", type=OrganisationType.BRANCHEVERENIGING
        )
        stakeholder = _stakeholder(
            world.cycle,
            organisation,
            PpsRole.OVERIG,
            signatory_name=f"Directeur {number}",
            signatory_function="Directeur",
        )
        world.extra[stakeholder.id] = make_member(
            Role.PARTNER, world.park, name=f"Directeur {number}", organisation=organisation
        )
        added.append(stakeholder)
    return added
