"""Who may do this area's actions: action -> the roles that may do it on a park they are a member of (admins may
do everything; an action without a park is for admins only). Collected into `app.auth.policy.PERMISSIONS`."""

from app.auth.models import Role
from app.auth.roles import EVERY_ROLE, MANAGERS

PERMISSIONS = {
    # meetings: everyone on the park sees them; the process owners run them, and after the award the working
    # group's chair and secretary (entrepreneurs: the services check that the actor is one of them)
    "meetings.view": EVERY_ROLE,
    "meetings.edit": MANAGERS | {Role.ENTREPRENEUR},
}
