"""Append-only audit log: who did what, on which park, when."""

from app.audit.services import record

__all__ = ["record"]
