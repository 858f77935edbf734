from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.awards.services import NAME_MAX, PRESS_RELEASE_MAX
from app.forms import Form


class SignForm(Form):
    name = StringField(_l("Uw naam"), validators=[DataRequired(), Length(max=NAME_MAX)])
    function = StringField(
        _l("Uw functie"),
        validators=[DataRequired(), Length(max=NAME_MAX)],
        description=_l("De functie waarin u namens uw organisatie tekent, bijvoorbeeld: burgemeester of teamchef."),
    )
    confirmed = BooleanField(
        _l("Ik ben bevoegd om namens mijn organisatie te tekenen en onderschrijf de waardering van dit park."),
        validators=[DataRequired(_l("Vink aan dat u namens uw organisatie tekent."))],
    )


class CeremonyForm(Form):
    ceremony_on = DateField(
        _l("Datum van de uitreiking"),
        validators=[Optional()],
        description=_l("Laat leeg om de datum weg te halen."),
    )


class PressReleaseForm(Form):
    text = TextAreaField(
        _l("Persbericht"),
        validators=[DataRequired(), Length(max=PRESS_RELEASE_MAX)],
        render_kw={"rows": 20},
    )
