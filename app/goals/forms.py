"""The forms of a goal and of a value measured for it."""

import math

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import Form, choices
from app.plans.forms import theme_choices
from app.plans.models import Direction


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
    # "<source>|<reference>" (app.goals.services.parse_choice); the options, grouped, are set by the view
    source_ref = SelectField(
        _l("Bron van de indicator"),
        choices=[],
        validate_choice=False,  # the service checks the reference and says what is wrong with it
        description=_l(
            "Een vraag uit de enquête met de antwoorden die meetellen, een categorie van de cijfers van de "
            "partners, of een eigen meting. Achter elke keuze staat de nulmeting die de bron nu geeft."
        ),
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
        self.theme.choices = theme_choices()
        self.direction.choices = choices((d.value, d.label) for d in Direction)


class MeasurementForm(Form):
    value = NumberField(_l("Gemeten waarde"), render_kw={"inputmode": "decimal"})
    measured_on = DateField(_l("Meetdatum"), validators=[DataRequired()])
    note = StringField(_l("Toelichting (optioneel)"), validators=[Optional(), Length(max=300)])
