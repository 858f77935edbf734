"""Append-only audit log: who did what, on which park, when."""

from app.audit.services import record, record_anonymous

__all__ = ["record", "record_anonymous"]
