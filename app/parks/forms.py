from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.forms import Form, choices


class CompleteStepForm(Form):
    note = TextAreaField(_l("Toelichting (optioneel)"), validators=[Optional(), Length(max=2000)])


class ReopenStepForm(Form):
    reason = TextAreaField(_l("Reden voor heropenen"), validators=[DataRequired(), Length(max=2000)])


class OverviewFilterForm(Form):
    q = StringField(_l("Zoek op naam"), validators=[Optional(), Length(max=200)])
    gemeente = SelectField(_l("Gemeente"), coerce=int, choices=[], validators=[Optional()])
    stap = IntegerField(_l("Stap"), validators=[Optional(), NumberRange(min=1, max=8)])
    dagen = IntegerField(_l("Minstens dagen in de stap"), validators=[Optional(), NumberRange(min=0, max=36500)])
    sort = SelectField(_l("Sorteer op"), choices=[], validators=[Optional()])
    richting = SelectField(_l("Volgorde"), choices=[], validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.richting.choices = choices([("op", _l("oplopend")), ("af", _l("aflopend"))])
