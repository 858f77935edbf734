"""The home page and the language switch."""

from app.areas import Area

AREA = Area(blueprints=("app.main.views:bp",))
