"""Who may do this area's actions: action -> the roles that may do it on a park they are a member of (admins may
do everything; an action without a park is for admins only). Collected into `app.auth.policy.PERMISSIONS`."""

from app.auth.models import Role
from app.auth.roles import MANAGERS

PERMISSIONS = {
    # surveys: the process owners run them; partners and the auditor see the (k-anonymous) results
    "surveys.manage": MANAGERS,
    "surveys.results": MANAGERS | {Role.PARTNER, Role.AUDITOR},
    # free-text answers and the raw export may identify a respondent: the advisor only
    "surveys.raw": frozenset({Role.ADVISOR}),
}
