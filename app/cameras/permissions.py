"""Who may do this area's actions: action -> the roles that may do it on a park they are a member of (admins may
do everything; an action without a park is for admins only). Collected into `app.auth.policy.PERMISSIONS`."""

from app.auth.models import Role
from app.auth.roles import EVERY_ROLE, MANAGERS

PERMISSIONS = {
    # cameras: everyone on the park sees the summary; the quality body keeps the register, runs the checks and
    # alone keeps the footage log; the municipality co-owns the network's legal frame and evaluations
    "cameras.summary": EVERY_ROLE,
    "cameras.view": MANAGERS | {Role.CAMERA_OFFICER, Role.AUDITOR},
    "cameras.edit": frozenset({Role.CAMERA_OFFICER, Role.MUNICIPALITY}),
    "cameras.checks": frozenset({Role.CAMERA_OFFICER}),
    "cameras.evaluate": frozenset({Role.CAMERA_OFFICER, Role.MUNICIPALITY}),
    # footage requests: the camera officer only (and admins); every view of the log is audited
    "cameras.footage": frozenset({Role.CAMERA_OFFICER}),
    # the city-wide camera map and the half-yearly overview list the parks where the user holds one of these roles
    "cameras.overview": MANAGERS | {Role.CAMERA_OFFICER},
}
