"""Step 3's inventory: partner figures, the gebiedsscan per stakeholder and the inspection walk (schouw)."""

from app.areas import Area

AREA = Area(
    blueprints=("app.inventory.figure_views:bp", "app.inventory.scan_views:bp", "app.inventory.inspection_views:bp"),
    models="app.inventory.models",
    criteria="app.inventory.criteria",
    audit_labels="app.inventory.labels",
    permissions="app.inventory.permissions",
)
