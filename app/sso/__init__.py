"""Single sign-on through OpenID Connect identity providers: providers, subject links and role-mapping rules."""

from app.areas import Area

AREA = Area(
    blueprints=("app.sso.views:bp", "app.sso.admin_views:bp"),
    models="app.sso.models",
    audit_labels="app.sso.labels",
)
