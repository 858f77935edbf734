"""The award: readiness, signatures, the certificates, the press release and its expiry."""

from app.areas import Area

AREA = Area(
    blueprints=("app.awards.views:bp", "app.awards.signing_views:bp"),
    models="app.awards.models",
    criteria="app.awards.criteria",
    jobs="app.awards.jobs",
    audit_labels="app.awards.labels",
    permissions="app.awards.permissions",
)
