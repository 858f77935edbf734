"""The audit dossier of a park's cycle for the certifying body (KVO-B): one ZIP with an index."""

from app.areas import Area

AREA = Area(
    blueprints=("app.dossier.views:bp",), audit_labels="app.dossier.labels", permissions="app.dossier.permissions"
)
