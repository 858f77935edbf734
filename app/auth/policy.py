"""The one place that answers "may this user do X on this park?", and "... on this object of it?".

Every view (through `requires`, or `ensure_can_or_404` where it loads by hand), every API call, every service
(through `ensure_can`) and every template (through `can`, only to hide buttons) asks here. Municipality-wide
memberships, end dates and the admin bypass are resolved in `roles_on` and nowhere else. Beside the role table
(each area's own actions, merged),
the rules about one object (an action its owners update, meetings the chair and secretary run, a signature for
one's own organisation, ...) are named predicates over plain objects, asked by views, services and the API alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from werkzeug.exceptions import NotFound

from app.areas import permissions
from app.auth.models import Role
from app.auth.roles import MANAGERS
from app.clock import local_today
from app.errors import NotAllowed
from app.parks.models import CycleStatus
from app.surveys.models import SurveyStatus

if TYPE_CHECKING:
    from app.api.models import ApiToken
    from app.auth.models import User
    from app.inventory.models import FigureSource, Inspection
    from app.parks.models import Cycle, Park
    from app.plans.models import PlanAction
    from app.stakeholders.models import Organisation, Stakeholder
    from app.surveys.models import Survey


class _Permissions(Mapping[str, frozenset[Role]]):
    """action -> roles that may do it on a park they are a member of. Admins may do everything. Actions without a
    park (park=None) are for admins only. Each area declares its own actions (`app/<area>/permissions.py`); they
    are merged on first use, because reading them imports every area, and some areas import this module."""

    def __getitem__(self, action: str) -> frozenset[Role]:
        return permissions()[action]

    def __iter__(self) -> Iterator[str]:
        return iter(permissions())

    def __len__(self) -> int:
        return len(permissions())


PERMISSIONS = _Permissions()


def reaches_footage_log(user: User, today: date) -> bool:
    """Whether `user` can open a camera network's footage-request log: an admin or a current camera officer. They
    must use a second factor and have the short idle timeout."""
    return user.is_admin or any(m.role == Role.CAMERA_OFFICER and m.is_current(today) for m in user.memberships)


def roles_on(user: User | None, park: Park, *, today: date | None = None) -> set[Role]:
    """The roles `user` holds on `park` today: direct and municipality-wide, expired ones left out."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    today = today or local_today()
    return {m.role for m in user.memberships if m.is_current(today) and m.covers(park)}


def can(user: User | None, action: str, park: Park | None = None, *, today: date | None = None) -> bool:
    """Whether `user` may do `action` on `park` (an unknown action is a programming error: KeyError)."""
    allowed = PERMISSIONS[action]
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_admin:
        return True
    if park is None:
        return False
    return bool(roles_on(user, park, today=today) & allowed)


def can_anywhere(user: User | None, actions: Iterable[str], *, today: date | None = None) -> bool:
    """Whether `user` may do one of `actions` on some park: an admin, or a user with a current membership (of a
    park or a municipality) whose role allows one of them. For what a user may hold whatever the park, such as an
    API token that writes."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_admin:
        return True
    allowed = frozenset().union(*(PERMISSIONS[action] for action in actions))
    today = today or local_today()
    return any(m.role in allowed and m.is_current(today) for m in user.memberships)


def ensure_can(user: User | None, action: str, park: Park | None = None, *, today: date | None = None) -> None:
    """Raise NotAllowed unless `can(user, action, park)`."""
    if not can(user, action, park, today=today):
        raise NotAllowed(_("U heeft geen rechten voor deze handeling."))


def ensure_can_or_404(user: User | None, action: str, park: Park, *, today: date | None = None) -> None:
    """For a request about `park` or one of its objects, after loading it: NotFound (404) when `user` may not see
    the park at all (`park.view`), exactly as for an id that does not exist, so that a stranger cannot tell which
    parks and objects exist; NotAllowed (403) when they see the park but may not do `action` on it.

    Views and the API call this (through `requires` and `api_park`); services keep `ensure_can`, whose 403 is
    defence in depth behind it.
    """
    if not can(user, "park.view", park, today=today):
        raise NotFound()
    ensure_can(user, action, park, today=today)


def _manages(user: User, park: Park, *, today: date | None = None) -> bool:
    """Whether `user` is an admin or holds a managing role (advisor, municipality) on `park`: who passes every
    rule about one object of the park below."""
    return user.is_admin or bool(roles_on(user, park, today=today) & MANAGERS)


# Rules about one object ------------------------------------------------------------------------------------
# The table says which roles may do an action on a park; these say on which of its objects, for the roles that
# pass it. Each takes plain objects (no request, no session), so that views, services and the API ask the same.


def may_edit_figures(user: User | None, park: Park, source: FigureSource, *, today: date | None = None) -> bool:
    """Whether `user` may create, correct or delete `park`'s figures of `source`.

    Of those with `figures.edit`, advisors, the municipality and admins may write every source (their corrections
    are audited with whose figure it was); a partner, and any other role given `figures.edit`, only the source
    their own organisation keeps (`FigureSource.keeper`): the police its registrations, the fire brigade its
    call-outs, the municipality its MOR reports, the security company its alarms.
    """
    if user is None or not can(user, "figures.edit", park, today=today):
        return False
    if _manages(user, park, today=today):
        return True
    return user.organisation is not None and user.organisation.type == source.keeper


def ensure_may_edit_figures(user: User | None, park: Park, source: FigureSource, *, today: date | None = None) -> None:
    """Raise NotAllowed unless `may_edit_figures`, saying that these figures are another organisation's."""
    ensure_can(user, "figures.edit", park, today=today)
    if not may_edit_figures(user, park, source, today=today):
        raise NotAllowed(
            _(
                "U kunt alleen de cijfers van uw eigen organisatie invoeren, corrigeren of verwijderen. De cijfers "
                "van de bron %(source)s zijn van een andere organisatie; er is niets opgeslagen.",
                source=source.label,
            )
        )


def speaks_for(user: User, stakeholder: Stakeholder) -> bool:
    """Whether `user` speaks for `stakeholder`: the stakeholder's organisation is the user's, or the user is its
    representative in the working group."""
    own_organisation = user.organisation_id is not None and user.organisation_id == stakeholder.organisation_id
    return own_organisation or stakeholder.representative_user_id == user.id


def owns_action(user: User, action: PlanAction) -> bool:
    """Whether `user` speaks for one of the action's owners (`speaks_for`)."""
    return any(speaks_for(user, owner) for owner in action.owners)


def may_update_action(user: User | None, action: PlanAction) -> bool:
    """Whether `user` may change the action's status and write progress notes: the plan's editors (advisors and the
    municipality) on any action, partners and entrepreneurs (`actions.update`) on the actions they own."""
    park = action.plan.cycle.park
    if user is None or not can(user, "actions.update", park):
        return False
    return can(user, "plans.edit", park) or owns_action(user, action)


def runs_meetings(user: User | None, cycle: Cycle) -> bool:
    """Whether `user` may schedule and keep the cycle's meetings: advisors, the municipality and admins; an
    entrepreneur (who passes `meetings.edit`) only as the working group's chair or secretary."""
    park = cycle.park
    if user is None or not can(user, "meetings.edit", park):
        return False
    return _manages(user, park) or user.id in (cycle.chair_id, cycle.secretary_id)


def may_write_scan(user: User | None, stakeholder: Stakeholder) -> bool:
    """Whether `user` may write this stakeholder's top 3 of the gebiedsscan: advisors and the municipality (and
    admins) for every stakeholder; a partner or entrepreneur (`scan.edit`) only for one they speak for
    (`speaks_for`). Nobody writes in a closed cycle."""
    park = stakeholder.cycle.park
    if user is None or stakeholder.cycle.status != CycleStatus.ACTIVE or not can(user, "scan.edit", park):
        return False
    return _manages(user, park) or speaks_for(user, stakeholder)


def may_edit_inspection(user: User | None, inspection: Inspection) -> bool:
    """Whether `user` may change the walk and its findings: whoever walks the schouw (`inspections.edit`), as long
    as its cycle is active."""
    cycle = inspection.cycle
    return cycle.status == CycleStatus.ACTIVE and can(user, "inspections.edit", cycle.park)


def may_sign_award(user: User | None, park: Park, *, today: date | None = None) -> bool:
    """Whether `user` holds a current role on `park` that may sign its award (`awards.sign`), the admin bypass not
    counting: a signature is personal, for one's own organisation (`signs_for`)."""
    return bool(roles_on(user, park, today=today) & PERMISSIONS["awards.sign"])


#: the roles whose users keep their own organisation's letterhead and logo
LETTERHEAD_ROLES = frozenset({Role.MUNICIPALITY, Role.PARTNER, Role.ADVISOR})


def may_edit_organisation(user: User | None, organisation: Organisation, *, today: date | None = None) -> bool:
    """Whether `user` may set the organisation's letterhead (logo, return address, signatory): an admin for every
    organisation; a municipality officer, partner or advisor with a current role, for the organisation they work
    for (`User.organisation`)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_admin:
        return True
    if user.organisation_id is None or user.organisation_id != organisation.id:
        return False
    today = today or local_today()
    return any(m.role in LETTERHEAD_ROLES and m.is_current(today) for m in user.memberships)


def signs_for(user: User, stakeholder: Stakeholder) -> bool:
    """Whether a signature of `user` is one for `stakeholder`: the stakeholder's organisation is the user's (its
    representative without that organisation signs for nobody)."""
    return user.organisation_id is not None and user.organisation_id == stakeholder.organisation_id


def results_shown(survey: Survey) -> bool:
    """Whether the survey's results are shown now (to whoever may `surveys.results` on its park): once an opening
    period of it has closed, for every role alike; a closed survey's last period has, an open one's earlier ones
    have."""
    return survey.period > (0 if survey.status == SurveyStatus.CLOSED else 1)


def owns_token(user: User, token: ApiToken) -> bool:
    """Whether `token` is a personal API token of `user`: only its own user sees or revokes it."""
    return token.user_id == user.id
