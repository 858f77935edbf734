"""The forms of the home page: the advisor's filter and the in-place update of an action."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from app.forms import Form, choices
from app.parks.steps import STEP_NAMES
from app.plans.models import ActionStatus


class AdvisorFilterForm(Form):
    q = StringField(_l("Zoek op naam"), validators=[Optional(), Length(max=200)])
    gemeente = SelectField(_l("Gemeente"), coerce=int, choices=[], validators=[Optional()])
    stap = SelectField(_l("Stap"), coerce=int, choices=[], validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stap.choices = choices([(0, _l("Alle stappen")), *((n, f"{n}. {name}") for n, name in STEP_NAMES.items())])


class ActionUpdateForm(Form):
    status = SelectField(_l("Nieuwe status"), choices=[])
    note = TextAreaField(
        _l("Voortgang"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Wat is er gedaan? Verplicht als de actie vervalt."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = choices((s.value, s.label) for s in ActionStatus)
