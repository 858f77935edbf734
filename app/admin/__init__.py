"""Platform administration: users, organisations, parks and memberships (views over other areas' services)."""

from app.areas import Area

AREA = Area(blueprints=("app.admin.views:bp",), permissions="app.admin.permissions")
