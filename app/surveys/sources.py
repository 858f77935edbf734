"""Where a new questionnaire may start from: the default one, or a copy of another survey's (another park's or an
earlier cycle's) that the user manages."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import defer, joinedload

from app.auth.models import User
from app.auth.policy import can
from app.auth.roles import MANAGERS
from app.errors import DomainError
from app.extensions import db
from app.parks.models import Park
from app.parks.queries import parks_visible_to
from app.surveys.definition import load_default
from app.surveys.models import Survey

#: the choice for the default questionnaire (the others are survey ids)
DEFAULT = "standaard"


def copy_sources(user: User, *, today: date, leave_out: Survey) -> list[Survey]:
    """The surveys whose questionnaire `user` may copy: those of the parks where they may manage surveys, newest
    first per park, without `leave_out` (the survey being edited)."""
    parks = parks_visible_to(user, today=today, roles=MANAGERS).subquery()
    surveys = db.session.scalars(
        select(Survey)
        .join(parks, parks.c.id == Survey.park_id)
        .join(Park, Park.id == Survey.park_id)
        .where(Survey.id != leave_out.id)
        # the list needs no questionnaires (some 18 kB each); the chosen one is read when it is copied
        .options(joinedload(Survey.park), joinedload(Survey.cycle), defer(Survey.definition))
        .order_by(Park.name, Survey.id.desc())
    )
    return [survey for survey in surveys if can(user, "surveys.manage", survey.park, today=today)]


def definition_to_copy(user: User, source: str, *, today: date, leave_out: Survey) -> dict[str, Any]:
    """The questionnaire `source` names (DEFAULT or a survey id of `copy_sources`), as a new copy. A survey the
    user may not manage is refused like one that does not exist."""
    if source == DEFAULT:
        return load_default()
    for survey in copy_sources(user, today=today, leave_out=leave_out):
        if str(survey.id) == source:
            return survey.definition
    raise DomainError(_("Kies een vragenlijst uit de lijst."))
