"""Goals per theme (step 4): what the park wants to reach by the end of the cycle, and the values measured since."""

from app.areas import Area

# the goals' tables stay in app.plans.models, declared by the plans area
AREA = Area(
    blueprints=("app.goals.views:bp",),
    criteria="app.goals.criteria",
    audit_labels="app.goals.labels",
    permissions="app.goals.permissions",
)
