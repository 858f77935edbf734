"""Who may do this area's actions: action -> the roles that may do it on a park they are a member of (admins may
do everything; an action without a park is for admins only). Collected into `app.auth.policy.PERMISSIONS`."""

from app.auth.models import Role
from app.auth.roles import EVERY_ROLE, MANAGERS

PERMISSIONS = {
    "park.view": EVERY_ROLE,
    # a new park, in a municipality where the user holds this role (parks.services.municipalities_for_new_park)
    "parks.create": MANAGERS,
    "park.members.view": MANAGERS | {Role.AUDITOR},
    "park.area.edit": MANAGERS,
    # the register holds contact details: the people who run the process, and the auditor, read it
    "companies.view": MANAGERS | {Role.AUDITOR},
    "companies.edit": MANAGERS,
    "steps.complete": MANAGERS,
    # the city overview lists the parks where the user holds one of these roles
    "parks.overview": MANAGERS,
    # the herijking closes the cycle and opens the next one
    "cycles.recalibrate": MANAGERS,
    # undoing a herijking (within a day, nothing recorded since) is for admins only
    "cycles.recalibration_undo": frozenset(),
    # pausing a park (and ending the pause) stops its reminders: the people who run the process decide it
    "park.pause": MANAGERS,
}
