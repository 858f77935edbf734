"""Business parks, their area and company register, and the PPS cycle with its steps."""

from app.areas import Area

AREA = Area(
    blueprints=(
        "app.parks.views:bp",
        "app.parks.area_views:bp",
        "app.parks.company_views:bp",
        "app.parks.history_views:bp",
    ),
    models="app.parks.models",
    criteria="app.parks.criteria",
    audit_labels="app.parks.labels",
    permissions="app.parks.permissions",
)
