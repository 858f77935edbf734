"""Append-only audit log: who did what, on which park, when."""

from app.areas import Area
from app.audit.services import record, record_anonymous

__all__ = ["record", "record_anonymous"]

AREA = Area(blueprints=("app.audit.views:bp",), models="app.audit.models", permissions="app.audit.permissions")
