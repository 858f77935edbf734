"""The city dashboard: the parks a municipality officer or an advisor oversees at a glance, with an XLSX export."""

from app.areas import Area

AREA = Area(
    blueprints=("app.dashboard.views:bp",),
    permissions="app.dashboard.permissions",
)
