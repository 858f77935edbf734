"""The action catalogue, the two-year action plan, its calendar, and the city-wide tracking of plans."""

from app.areas import Area

AREA = Area(
    blueprints=(
        "app.plans.views:bp",
        "app.plans.calendar_views:bp",
        "app.plans.calendar_views:feed_bp",
        "app.plans.tracking_views:bp",
    ),
    models="app.plans.models",
    criteria="app.plans.criteria",
    jobs="app.plans.jobs",
    audit_labels="app.plans.labels",
    permissions="app.plans.permissions",
)
