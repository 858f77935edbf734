"""Forms of the communication and activity calendar and the filter of the city-wide tracking."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import Form, choices
from app.plans.calendar import AUDIENCE_MAX, DESCRIPTION_MAX, TITLE_MAX
from app.plans.models import CalendarKind


class CalendarItemForm(Form):
    kind = SelectField(_l("Soort activiteit"), choices=[])
    title = StringField(_l("Titel"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    on = DateField(_l("Datum"), validators=[DataRequired()])
    starts_at = TimeField(
        _l("Begintijd"),
        validators=[Optional()],
        description=_l("Laat leeg voor iets dat de hele dag loopt, zoals een persbericht of een campagne."),
    )
    ends_at = TimeField(_l("Eindtijd"), validators=[Optional()])
    audience = StringField(
        _l("Doelgroep"),
        validators=[Optional(), Length(max=AUDIENCE_MAX)],
        description=_l("Bijvoorbeeld: alle ondernemers, de werkgroep, de pers."),
    )
    owner_id = SelectField(
        _l("Eigenaar"), coerce=int, choices=[], description=_l("De deelnemer die de activiteit organiseert.")
    )
    description = TextAreaField(_l("Toelichting"), validators=[Optional(), Length(max=DESCRIPTION_MAX)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices((kind.value, kind.label) for kind in CalendarKind)


class TrackingFilterForm(Form):
    gemeente = SelectField(_l("Gemeente"), coerce=int, choices=[], validators=[Optional()])
    achterstallig = BooleanField(_l("Alleen parken met achterstallige acties"))
    stand = SelectField(_l("Stand van het plan"), choices=[], validators=[Optional()])
    sort = SelectField(_l("Sorteer op"), choices=[], validators=[Optional()])
    richting = SelectField(_l("Volgorde"), choices=[], validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.richting.choices = choices([("op", _l("oplopend")), ("af", _l("aflopend"))])
