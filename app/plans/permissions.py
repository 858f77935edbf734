"""Who may do this area's actions: action -> the roles that may do it on a park they are a member of (admins may
do everything; an action without a park is for admins only). Collected into `app.auth.policy.PERMISSIONS`."""

from app.auth.models import Role
from app.auth.roles import EVERY_ROLE, MANAGERS

PERMISSIONS = {
    # the process owners write and adopt the plan; an action's owners update it (`may_update_action` in the policy)
    "plans.view": EVERY_ROLE,
    "plans.edit": MANAGERS,
    "plans.adopt": MANAGERS,
    "actions.update": MANAGERS | {Role.PARTNER, Role.ENTREPRENEUR},
    "calendar.edit": MANAGERS,
    # the iCal address outlives a membership: not for the auditor, whose access ends on a set day
    "calendar.subscribe": EVERY_ROLE - {Role.AUDITOR},
    # the city-wide tracking of plans lists the parks where the user holds one of these roles
    "plans.overview": MANAGERS,
}
