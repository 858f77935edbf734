"""Recurring work: a registry that domain packages add their jobs to, and one scheduler process that runs them."""

from app.areas import Area

AREA = Area(blueprints=("app.jobs.views:bp",), models="app.jobs.models")
