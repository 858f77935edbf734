"""The sets of roles the areas' permissions are written with."""

from app.auth.models import Role

EVERY_ROLE = frozenset(Role)
#: the roles that run the process on a park
MANAGERS = frozenset({Role.ADVISOR, Role.MUNICIPALITY})
