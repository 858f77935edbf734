"""Mail: composed in the recipient's language, queued in the outbox with the change it belongs to, delivered by
the scheduler with retries."""

from app.areas import Area
from app.mail.services import Attachment, Draft, queue, queue_draft, render_draft

__all__ = ["Attachment", "Draft", "queue", "queue_draft", "render_draft"]

AREA = Area(blueprints=("app.mail.views:bp",), models="app.mail.models", jobs="app.mail.jobs")
