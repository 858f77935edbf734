"""Who may do this area's actions: action -> the roles that may do it on a park they are a member of (admins may
do everything; an action without a park is for admins only). Collected into `app.auth.policy.PERMISSIONS`."""

from app.auth.roles import MANAGERS

PERMISSIONS = {
    # the city dashboard lists the parks where the user holds one of these roles: the municipality for the parks
    # of its municipality, an advisor for the parks they advise
    "dashboard.view": MANAGERS,
}
