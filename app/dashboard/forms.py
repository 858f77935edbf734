"""The dashboard's one input: after how many days in a step a park counts as stuck."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional

from app.dashboard.queries import MAX_STUCK_DAYS
from app.forms import Form


class StuckForm(Form):
    dagen = IntegerField(
        _l("Langer dan zoveel dagen in dezelfde stap"),
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_STUCK_DAYS, message=_l("Vul een aantal dagen in van 1 tot en met %(max)s.")),
        ],
    )
