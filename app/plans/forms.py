import math

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import Form, choices
from app.plans.models import ActionStatus, Direction, Effort, GoalSource, Theme
from app.stakeholders.models import PpsRole


class NumberField(StringField):
    """A number typed the Dutch way (45,5) or with a point (45.5); empty gives None."""

    raw: str | None = None

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        typed = (self.raw or "").strip().replace("\u2212", "-").replace(" ", "").replace("\u00a0", "")
        self.data = None
        if not typed:
            return
        if "," in typed:
            typed = typed.replace(".", "")  # 1.234,5: the points group thousands, the comma is the decimal sign
        typed = typed.replace(",", ".")
        try:
            value = float(typed)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise ValueError(str(_l("Vul een getal in, zoals 45 of 45,5.")))
        self.data = value

    def _value(self):
        if self.raw is not None:
            return self.raw
        return format_decimal(self.data, format="0.###") if self.data is not None else ""


def _theme_choices(empty: str | None = None):
    options = [("", empty)] if empty else []
    return choices([*options, *((t.value, t.label) for t in Theme)])


# Goals


class GoalForm(Form):
    theme = SelectField(_l("Thema"), choices=[], validators=[DataRequired()])
    title = StringField(
        _l("Doel"),
        validators=[DataRequired(), Length(max=300)],
        description=_l("Wat de werkgroep wil bereiken, bijvoorbeeld: ondernemers voelen zich na donker veiliger."),
    )
    indicator = StringField(
        _l("Indicator"),
        validators=[DataRequired(), Length(max=300)],
        description=_l("Wat er gemeten wordt, bijvoorbeeld: aandeel ondernemers dat zich na donker veilig voelt."),
    )
    source = SelectField(_l("Bron van de indicator"), choices=[])
    source_ref = StringField(
        _l("Verwijzing naar de bron"),
        validators=[Length(max=200)],
        description=_l(
            "Bij de enquête: vraag:antwoorden, zoals safe_dark:4,5. Bij cijfers: bron:categorie, zoals "
            "politie:inbraak_bedrijf. Leeg bij een eigen meting. De mogelijke verwijzingen staan onder het formulier."
        ),
        render_kw={"list": "goal-references", "autocomplete": "off"},
    )
    unit = StringField(
        _l("Eenheid"),
        validators=[Length(max=20)],
        description=_l("Bijvoorbeeld %, aantal of cijfer. Bij de enquête is het een percentage."),
    )
    direction = SelectField(_l("Richting"), choices=[])
    baseline = NumberField(
        _l("Nulmeting"),
        description=_l("Leeg laten: de nulmeting komt uit de bron, als die al een waarde heeft."),
        render_kw={"inputmode": "decimal"},
    )
    baseline_note = StringField(
        _l("Herkomst van de nulmeting"),
        validators=[Length(max=300)],
        description=_l("Bijvoorbeeld: telling gemeente 2025. Bij een nulmeting uit de bron wordt dit ingevuld."),
    )
    target = NumberField(_l("Streefwaarde"), render_kw={"inputmode": "decimal"})
    deadline = DateField(_l("Streefdatum"), validators=[DataRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.theme.choices = _theme_choices()
        self.source.choices = choices((s.value, s.label) for s in GoalSource)
        self.direction.choices = choices((d.value, d.label) for d in Direction)


class MeasurementForm(Form):
    value = NumberField(_l("Gemeten waarde"), render_kw={"inputmode": "decimal"})
    measured_on = DateField(_l("Meetdatum"), validators=[DataRequired()])
    note = StringField(_l("Toelichting (optioneel)"), validators=[Optional(), Length(max=300)])


# Actions


class ActionForm(Form):
    title = StringField(_l("Titel"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Toelichting (optioneel)"), validators=[Optional(), Length(max=5000)])
    theme = SelectField(_l("Thema"), choices=[])
    owners = SelectMultipleField(
        _l("Eigenaren"),
        coerce=int,
        choices=[],
        description=_l("De deelnemers die de actie uitvoeren; een integrale actie heeft er meer."),
    )
    goals = SelectMultipleField(_l("Doelen waaraan de actie bijdraagt"), coerce=int, choices=[])
    quarter = SelectField(_l("Kwartaal"), coerce=int, choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.theme.choices = _theme_choices(str(_l("— geen thema —")))


class CatalogueChoiceForm(Form):
    keys = SelectMultipleField(_l("Maatregelen"), choices=[])
    quarter = SelectField(_l("Kwartaal voor de nieuwe acties"), coerce=int, choices=[])


class FindingActionForm(Form):
    finding_id = SelectField(_l("Bevinding"), coerce=int, choices=[])
    quarter = SelectField(_l("Kwartaal"), coerce=int, choices=[])


class MoveForm(Form):
    """The small form beside every action in the matrix; its fields are written out in the template, because an
    action with several owners shows in several rows."""

    quarter = SelectField(_l("Kwartaal"), coerce=int, choices=[])
    owner = SelectField(_l("Eigenaar"), coerce=int, choices=[])
    from_owner = SelectField(coerce=int, choices=[], validate_choice=False)


class StatusForm(Form):
    status = SelectField(_l("Nieuwe status"), choices=[])
    note = TextAreaField(
        _l("Toelichting"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Verplicht als de actie vervalt: waarom vervalt zij?"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = choices((s.value, s.label) for s in ActionStatus)


class NoteForm(Form):
    text = TextAreaField(_l("Voortgang"), validators=[DataRequired(), Length(max=5000)])


class StartForm(Form):
    starts_on = SelectField(_l("Het plan begint in"), choices=[])


class AdoptForm(Form):
    meeting = StringField(
        _l("Vergadering"),
        validators=[DataRequired(), Length(max=300)],
        description=_l("Bijvoorbeeld: werkgroepvergadering van 12 maart 2026."),
    )
    adopted_on = DateField(_l("Datum van vaststelling"), validators=[DataRequired()])


class CatalogueItemForm(Form):
    title = StringField(_l("Titel"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Omschrijving"), validators=[Optional(), Length(max=2000)])
    theme = SelectField(_l("Thema"), choices=[])
    typical_owner = SelectField(_l("Gebruikelijke eigenaar"), choices=[])
    effort = SelectField(_l("Inspanning"), choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.theme.choices = _theme_choices()
        self.typical_owner.choices = choices(
            [("", _l("— geen vaste eigenaar —")), *((r.value, r.label) for r in PpsRole)]
        )
        self.effort.choices = choices((e.value, e.label) for e in Effort)
