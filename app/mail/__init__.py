"""Mail: composed in the recipient's language, queued in the outbox with the change it belongs to, delivered by
the scheduler with retries."""

from app.mail.services import Attachment, queue

__all__ = ["Attachment", "queue"]
