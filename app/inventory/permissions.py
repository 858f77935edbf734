"""Who may do this area's actions: action -> the roles that may do it on a park they are a member of (admins may
do everything; an action without a park is for admins only). Collected into `app.auth.policy.PERMISSIONS`."""

from app.auth.models import Role
from app.auth.roles import EVERY_ROLE, MANAGERS

PERMISSIONS = {
    # the inventory: partners bring their own organisation's figures (`may_edit_figures`); every stakeholder
    # writes its own gebiedsscan (services check whose); whoever walks the schouw records it
    "inventory.view": EVERY_ROLE,
    "figures.edit": MANAGERS | {Role.PARTNER},
    "scan.edit": MANAGERS | {Role.PARTNER, Role.ENTREPRENEUR},
    "inspections.edit": MANAGERS | {Role.PARTNER, Role.ENTREPRENEUR},
}
