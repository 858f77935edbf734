"""The one change the home page makes: updating an action in place, through the plan's own services."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from app.auth.models import User
from app.errors import DomainError
from app.plans import services as plans
from app.plans.models import ActionNote, ActionStatus, PlanAction


def update_action_from_home(actor: User, action: PlanAction, *, status: str, note: str, today: date) -> ActionNote:
    """Give the action a new status with `note` (`plans.services.change_status`), or, with the status it has, write
    `note` as progress (`plans.services.add_note`). Those check who may update it (`may_update_action`) and audit
    it; DomainError when nothing changes (same status, no note) or for an unknown status."""
    try:
        chosen = ActionStatus(status)
    except ValueError:
        raise DomainError(_("Kies een bestaande status.")) from None
    if chosen != action.status:
        return plans.change_status(actor, action, status=chosen, note=note, today=today)
    if not note.strip():
        raise DomainError(_("Kies een nieuwe status of schrijf wat er is gedaan."))
    return plans.add_note(actor, action, text=note, today=today)
