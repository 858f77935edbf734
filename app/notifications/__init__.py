"""Notifications that jobs hand to the user's digest (daily, weekly, or only what the process requires)."""

from app.areas import Area
from app.notifications.services import notify

__all__ = ["notify"]

AREA = Area(models="app.notifications.models", jobs="app.notifications.jobs")
