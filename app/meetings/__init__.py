"""Continuation meetings: agenda, invitations, attendance, minutes and decisions, the quarterly report."""

from app.areas import Area

AREA = Area(
    blueprints=("app.meetings.views:bp", "app.meetings.quarterly_views:bp"),
    models="app.meetings.models",
    criteria="app.meetings.criteria",
    jobs="app.meetings.jobs",
    audit_labels="app.meetings.labels",
    permissions="app.meetings.permissions",
)
