from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.awards.services import NAME_MAX, PRESS_RELEASE_MAX
from app.forms import Form

FUNCTION_DESCRIPTION = _l("De functie waarin u namens uw organisatie tekent, bijvoorbeeld: burgemeester of teamchef.")
CONFIRMATION = _l("Ik ben bevoegd om namens mijn organisatie te tekenen en onderschrijf de waardering van dit park.")
CONFIRMATION_MISSING = _l("Vink aan dat u namens uw organisatie tekent.")


class SignForm(Form):
    """Signing while logged in: the name is the account's own, so only the function is asked."""

    function = StringField(
        _l("Uw functie"), validators=[DataRequired(), Length(max=NAME_MAX)], description=FUNCTION_DESCRIPTION
    )
    confirmed = BooleanField(CONFIRMATION, validators=[DataRequired(CONFIRMATION_MISSING)])


class LinkSignForm(SignForm):
    """Signing through the personal link: the signatory confirms (or corrects) their name as well."""

    name = StringField(_l("Uw naam"), validators=[DataRequired(), Length(max=NAME_MAX)])


class SignatoryForm(Form):
    name = StringField(_l("Naam van de tekenbevoegde"), validators=[DataRequired(), Length(max=NAME_MAX)])
    function = StringField(_l("Functie"), validators=[DataRequired(), Length(max=NAME_MAX)])
    email = EmailField(
        _l("E-mailadres"),
        validators=[DataRequired(), Length(max=254)],
        description=_l("Hierheen gaat de persoonlijke link om te tekenen; een account is niet nodig."),
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
