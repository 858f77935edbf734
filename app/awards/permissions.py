"""Who may do this area's actions: action -> the roles that may do it on a park they are a member of (admins may
do everything; an action without a park is for admins only). Collected into `app.auth.policy.PERMISSIONS`."""

from app.auth.models import Role
from app.auth.roles import EVERY_ROLE, MANAGERS

PERMISSIONS = {
    # the award: everyone sees the readiness; the process owners request the signatures and keep the ceremony;
    # each stakeholder's signatory signs for their own organisation (the services check which)
    "awards.view": EVERY_ROLE,
    "awards.manage": MANAGERS,
    "awards.sign": EVERY_ROLE - {Role.AUDITOR},
}
