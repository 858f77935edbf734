"""Organisations taking part in the partnership, their representatives and declarations."""

from app.areas import Area

AREA = Area(
    blueprints=("app.stakeholders.views:bp", "app.stakeholders.letterhead_views:bp"),
    models="app.stakeholders.models",
    criteria="app.stakeholders.criteria",
    audit_labels="app.stakeholders.labels",
    permissions="app.stakeholders.permissions",
)
