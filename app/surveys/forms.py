from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import Form as WtfForm
from wtforms.validators import DataRequired, Length, Optional

from app.forms import Form, choices
from app.surveys import editor
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
    letter_text_en = TextAreaField(
        _l("Tekst van de brief in het Engels"),
        validators=[DataRequired(), Length(max=LETTER_MAX)],
        description=_l(
            "Voor bedrijven met een Engelstalige contactpersoon (Taal contactpersoon in het register), met dezelfde "
            "invulplekken {naam}, {link} en {sluitdatum}."
        ),
        render_kw={"rows": 18, "lang": "en"},
    )
    letter_signatory = StringField(
        _l("Andere ondertekenaar voor deze brief"),
        validators=[Optional(), Length(max=SIGNATORY_MAX)],
        description=_l(
            "Laat leeg om te ondertekenen met de naam en functie uit het briefpapier van de gemeente. Alleen invullen "
            "als iemand anders deze brief ondertekent, bijvoorbeeld: wethouder K. Smit."
        ),
    )


# The form-based questionnaire editor (app/surveys/editor.py) -----------------------------------------------------

#: the English fields hold English: the browser checks their spelling, and a screen reader reads them, in English
ENGLISH = {"lang": "en"}
QUESTION_TYPE_LABELS = (
    ("radiogroup", _l("Eén keuze (rondjes)")),
    ("checkbox", _l("Meer keuzes (vinkjes)")),
    ("dropdown", _l("Eén keuze uit een lijst")),
    ("rating", _l("Schaal van 1 tot 5")),
    ("boolean", _l("Ja of nee")),
    ("text", _l("Kort antwoord")),
    ("comment", _l("Open vraag (lang antwoord)")),
)


class QuestionTextForm(Form):
    title_nl = StringField(_l("Vraag in het Nederlands"), validators=[Length(max=editor.TITLE_MAX)])
    title_en = StringField(_l("Vraag in het Engels"), validators=[Length(max=editor.TITLE_MAX)], render_kw=ENGLISH)
    description_nl = TextAreaField(
        _l("Toelichting in het Nederlands (niet verplicht)"),
        validators=[Length(max=editor.DESCRIPTION_MAX)],
        render_kw={"rows": 2},
    )
    description_en = TextAreaField(
        _l("Toelichting in het Engels (niet verplicht)"),
        validators=[Length(max=editor.DESCRIPTION_MAX)],
        render_kw=ENGLISH | {"rows": 2},
    )
    required = BooleanField(_l("Verplicht: de ondernemer moet deze vraag beantwoorden"))


class ChoiceRowForm(WtfForm):
    """One item (a choice, a matrix's row or column) of the choices form (a subform: the CSRF token is the outer
    form's)."""

    value = HiddenField()
    text_nl = StringField(_l("Nederlands"), validators=[Length(max=editor.CHOICE_MAX)])
    text_en = StringField(_l("Engels"), validators=[Length(max=editor.CHOICE_MAX)], render_kw=ENGLISH)
    remove = BooleanField(_l("Verwijderen"))


class ChoicesForm(Form):
    """A question's choices, or a matrix's rows or columns (the view sets the labels of the new item)."""

    choices = FieldList(FormField(ChoiceRowForm), max_entries=editor.CHOICES_MAX)
    new_nl = StringField(_l("Nieuwe keuze in het Nederlands"), validators=[Length(max=editor.CHOICE_MAX)])
    new_en = StringField(
        _l("Nieuwe keuze in het Engels"), validators=[Length(max=editor.CHOICE_MAX)], render_kw=ENGLISH
    )


class ScaleTextsForm(Form):
    low_nl = StringField(_l("Tekst bij het begin in het Nederlands"), validators=[Length(max=editor.CHOICE_MAX)])
    low_en = StringField(
        _l("Tekst bij het begin in het Engels"), validators=[Length(max=editor.CHOICE_MAX)], render_kw=ENGLISH
    )
    high_nl = StringField(_l("Tekst bij het eind in het Nederlands"), validators=[Length(max=editor.CHOICE_MAX)])
    high_en = StringField(
        _l("Tekst bij het eind in het Engels"), validators=[Length(max=editor.CHOICE_MAX)], render_kw=ENGLISH
    )


class ConditionForm(Form):
    when = SelectField(
        _l("Wanneer ziet de ondernemer deze vraag?"),
        description=_l("Kies een antwoord op een eerdere vraag: alleen wie dat antwoord gaf, krijgt deze vraag."),
    )


class MoveForm(Form):
    #: "up" or "down"; anything else is refused by the edit itself, with a message above the page
    direction = StringField()


class MoveToPageForm(Form):
    page = SelectField(_l("Naar pagina"), coerce=int)


class AddQuestionForm(Form):
    where = SelectField(_l("Waar komt de vraag?"))
    kind = SelectField(_l("Soort vraag"), choices=choices(QUESTION_TYPE_LABELS))
    title_nl = StringField(_l("Vraag in het Nederlands"), validators=[Length(max=editor.TITLE_MAX)])
    title_en = StringField(
        _l("Vraag in het Engels (niet verplicht)"), validators=[Length(max=editor.TITLE_MAX)], render_kw=ENGLISH
    )
    choices = TextAreaField(
        _l("Keuzes in het Nederlands, één per regel (niet verplicht)"),
        description=_l(
            "Alleen voor vragen met keuzes. Laat u dit leeg, dan krijgt de vraag twee voorbeeldkeuzes die u daarna "
            "aanpast; Engelse teksten voegt u daarna toe."
        ),
        render_kw={"rows": 4},
    )


class PageTitleForm(Form):
    title_nl = StringField(_l("Titel in het Nederlands"), validators=[Length(max=editor.TITLE_MAX)])
    title_en = StringField(_l("Titel in het Engels"), validators=[Length(max=editor.TITLE_MAX)], render_kw=ENGLISH)


class AddPageForm(Form):
    title_nl = StringField(_l("Titel van de pagina in het Nederlands"), validators=[Length(max=editor.TITLE_MAX)])
    title_en = StringField(
        _l("Titel van de pagina in het Engels (niet verplicht)"),
        validators=[Length(max=editor.TITLE_MAX)],
        render_kw=ENGLISH,
    )
    kind = SelectField(_l("Soort van de eerste vraag"), choices=choices(QUESTION_TYPE_LABELS))
    question_nl = StringField(_l("Eerste vraag in het Nederlands"), validators=[Length(max=editor.TITLE_MAX)])
    question_en = StringField(
        _l("Eerste vraag in het Engels (niet verplicht)"), validators=[Length(max=editor.TITLE_MAX)], render_kw=ENGLISH
    )


class CopyDefinitionForm(Form):
    source = SelectField(
        _l("Vragenlijst"),
        description=_l("De huidige vragenlijst wordt vervangen door een kopie van de gekozen vragenlijst."),
    )
