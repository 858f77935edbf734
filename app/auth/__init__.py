"""Users, login, invitations, roles and the per-park policy."""
