from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.forms import Form, choices
from app.parks.models import Track


class NewParkForm(Form):
    name = StringField(_l("Naam van het park"), validators=[DataRequired(), Length(max=200)])
    municipality_id = SelectField(_l("Gemeente"), coerce=int, choices=[])
    track = SelectField(
        _l("Traject"),
        choices=[],
        description=_l(
            "Het PVO-traject eindigt met de waardering door de partners; het KVO-B-traject met een audit en een "
            "certificaat dat drie jaar geldt."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.track.choices = choices((track.value, track.label) for track in Track)


class CompleteStepForm(Form):
    note = TextAreaField(_l("Toelichting (optioneel)"), validators=[Optional(), Length(max=2000)])


class ReopenStepForm(Form):
    reason = TextAreaField(_l("Reden voor heropenen"), validators=[DataRequired(), Length(max=2000)])


class PauseForm(Form):
    """Pausing a park, or ending its pause: a reason and an explicit confirmation."""

    reason = TextAreaField(_l("Reden (zichtbaar op de parkpagina)"), validators=[DataRequired(), Length(max=2000)])
    confirm = BooleanField(
        _l("Ik bevestig deze wijziging van de status van het park"),
        validators=[DataRequired(_l("Vink aan dat u de status van het park wilt wijzigen."))],
    )


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
