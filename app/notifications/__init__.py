"""Notifications that jobs hand to the user's digest (daily, weekly, or only what the process requires)."""

from app.notifications.services import notify

__all__ = ["notify"]
