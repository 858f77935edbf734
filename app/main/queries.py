"""What the home page shows: one section per role the user holds, with the parks it covers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import Role, User
from app.extensions import db
from app.parks.models import Park

ROLE_SECTIONS = {
    Role.ADVISOR: (
        _l("Parken die u begeleidt"),
        _l("U zet parken op, leidt de cyclus door de stappen en bereidt enquête, rapport en plan voor."),
    ),
    Role.MUNICIPALITY: (
        _l("Parken in uw gemeente"),
        _l("U volgt de actieplannen, camera's en waarderingen van alle parken in uw gemeente."),
    ),
    Role.ENTREPRENEUR: (
        _l("Uw bedrijventerrein"),
        _l("Hier vindt u het plan, de bijeenkomsten en de acties van uw park."),
    ),
    Role.PARTNER: (_l("Parken waar u partner bent"), _l("U levert cijfers en de gebiedsscan aan en voert acties uit.")),
    Role.CAMERA_OFFICER: (
        _l("Cameratoezicht en kwaliteitscontroles"),
        _l("U houdt het cameraregister bij en voert de kwaliteitscontroles uit."),
    ),
    Role.AUDITOR: (_l("Dossiers ter inzage"), _l("U kunt deze dossiers tijdelijk inzien; wijzigen is niet mogelijk.")),
}


#: pages across parks that a role's section links to: (link text, endpoint)
ROLE_LINKS = {
    Role.ADVISOR: [
        (_l("Overzicht van de parken"), "parks.index"),
        (_l("Voortgang van de plannen"), "tracking.index"),
        (_l("Camerazorg in de gemeente"), "camera_overview.index"),
    ],
    Role.MUNICIPALITY: [
        (_l("Overzicht van de parken"), "parks.index"),
        (_l("Voortgang van de plannen"), "tracking.index"),
        (_l("Camerazorg in de gemeente"), "camera_overview.index"),
    ],
    Role.CAMERA_OFFICER: [(_l("Camerazorg in de gemeente"), "camera_overview.index")],
}


@dataclass
class HomeSection:
    role: Role
    title: str
    intro: str
    parks: list[Park] = field(default_factory=list)
    #: park id -> last day of access, for memberships with an end date
    ends_on: dict[int, date] = field(default_factory=dict)

    @property
    def links(self) -> list[tuple[object, str]]:
        return ROLE_LINKS.get(self.role, [])


def home_sections(user: User, *, today: date) -> list[HomeSection]:
    """One section per role, in the order of ROLE_SECTIONS, each with the parks it covers."""
    sections: dict[Role, HomeSection] = {}
    for membership in user.memberships:
        if not membership.is_current(today):
            continue
        title, intro = ROLE_SECTIONS[membership.role]
        section = sections.setdefault(membership.role, HomeSection(membership.role, str(title), str(intro)))
        if membership.park is not None:
            parks = [membership.park]
        else:
            parks = list(
                db.session.scalars(
                    select(Park).where(Park.municipality_id == membership.municipality_id).order_by(Park.name)
                )
            )
        for park in parks:
            if park not in section.parks:
                section.parks.append(park)
            if membership.ends_on is not None:
                section.ends_on[park.id] = membership.ends_on
    return [sections[role] for role in ROLE_SECTIONS if role in sections]
