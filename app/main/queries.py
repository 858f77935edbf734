"""What the home page shows: one section per role the user holds, with the parks it covers; and the park switcher's
list. What needs each role now is in advisor.py, tasks.py and camera_tasks.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.auth.models import Role, User
from app.extensions import db
from app.parks.models import Park
from app.parks.queries import parks_visible_to

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


#: pages across parks that a role's section links to: (link text, endpoint); the home page shows the first of a
#: list prominently (the city dashboard, for the advisor and the municipality)
ROLE_LINKS = {
    Role.ADVISOR: [
        (_l("Dashboard van uw parken"), "dashboard.index"),
        (_l("Overzicht van de parken"), "parks.index"),
        (_l("Voortgang van de plannen"), "tracking.index"),
        (_l("Camerazorg in de gemeente"), "camera_overview.index"),
        (_l("Nieuw park aanmaken"), "parks.new"),
    ],
    Role.MUNICIPALITY: [
        (_l("Dashboard van de gemeente"), "dashboard.index"),
        (_l("Overzicht van de parken"), "parks.index"),
        (_l("Voortgang van de plannen"), "tracking.index"),
        (_l("Camerazorg in de gemeente"), "camera_overview.index"),
        (_l("Nieuw park aanmaken"), "parks.new"),
    ],
    Role.CAMERA_OFFICER: [(_l("Camerazorg in de gemeente"), "camera_overview.index")],
}


#: roles whose sections do not list their parks by name
LISTED_ELSEWHERE = frozenset({Role.ADVISOR, Role.MUNICIPALITY})


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

    @property
    def lists_parks(self) -> bool:
        """Whether the section lists its parks by name: not for the roles that oversee many (the advisor's parks
        are in their own list, the municipality's in the overviews it links to)."""
        return self.role not in LISTED_ELSEWHERE

    @property
    def links_dossiers(self) -> bool:
        return self.role == Role.AUDITOR


def serves_municipality(user: User, *, today: date) -> bool:
    """Whether the user is a municipality officer today: their home page opens with what needs attention."""
    return any(m.role == Role.MUNICIPALITY and m.is_current(today) for m in user.memberships)


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


def switcher_parks(user: User, *, today: date, search: str, page: int, per_page: int) -> tuple[list[Park], int]:
    """One page of the parks the user may see (`parks_visible_to`), by name, whose name contains `search`
    (any case), and how many there are: two statements."""
    query = parks_visible_to(user, today=today)
    if search:
        query = query.where(func.lower(Park.name).contains(search.lower(), autoescape=True))
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    return list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page))), total
