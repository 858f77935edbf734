from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import Form
from app.surveys.services import LETTER_MAX, SIGNATORY_MAX, TITLE_MAX


class CreateSurveyForm(Form):
    title = StringField(_l("Titel van de enquête"), validators=[DataRequired(), Length(max=TITLE_MAX)])


class OpenSurveyForm(Form):
    opens_on = DateField(_l("Openingsdatum"), validators=[DataRequired()])
    closes_on = DateField(
        _l("Sluitdatum"),
        validators=[DataRequired()],
        description=_l("Tot en met deze dag kunnen ondernemers de enquête invullen."),
    )


class ReopenSurveyForm(Form):
    closes_on = DateField(
        _l("Nieuwe sluitdatum"),
        validators=[DataRequired()],
        description=_l("Tot en met deze dag kunnen ondernemers de enquête invullen."),
    )


class DefinitionForm(Form):
    definition = TextAreaField(
        _l("Vragenlijst (SurveyJS JSON)"),
        validators=[DataRequired()],
        description=_l(
            "De vragenlijst in het JSON-formaat van SurveyJS: elk vraagtype behalve file en signaturepad (een upload "
            "of handtekening maakt de enquête herleidbaar), in pagina's, panelen en herhaalbare panelen. Teksten zijn "
            'Nederlands, met een Engelse vertaling als {"default": "…", "en": "…"}.'
        ),
        render_kw={"rows": 30, "spellcheck": "false"},
    )


class LetterForm(Form):
    letter_text = TextAreaField(
        _l("Tekst van de brief"),
        validators=[DataRequired(), Length(max=LETTER_MAX)],
        description=_l(
            "Per bedrijf worden ingevuld: {naam} (de naam van het bedrijf), {link} (de persoonlijke link naar de "
            "enquête) en {sluitdatum}. De brief moet {link} bevatten."
        ),
        render_kw={"rows": 18},
    )
    letter_signatory = StringField(
        _l("Ondertekenaar"),
        validators=[Optional(), Length(max=SIGNATORY_MAX)],
        description=_l("Bijvoorbeeld: burgemeester J. Jansen, gemeente Utrecht."),
    )
