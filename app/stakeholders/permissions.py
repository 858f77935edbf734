"""Who may do this area's actions: action -> the roles that may do it on a park they are a member of (admins may
do everything; an action without a park is for admins only). Collected into `app.auth.policy.PERMISSIONS`."""

from app.auth.roles import EVERY_ROLE, MANAGERS

PERMISSIONS = {
    "stakeholders.view": EVERY_ROLE,
    "stakeholders.edit": MANAGERS,
    #: a new organisation (police district, entrepreneurs' association) while adding a stakeholder to the park
    "stakeholders.create_organisation": MANAGERS,
}
