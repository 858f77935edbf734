"""Users, login, invitations, roles and the per-park policy."""

from app.areas import Area

AREA = Area(
    blueprints=("app.auth.views:bp", "app.auth.two_factor_views:bp"),
    models="app.auth.models",
    jobs="app.auth.jobs",
    audit_labels="app.auth.labels",
)
