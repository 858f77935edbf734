from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import Form, choices
from app.plans.models import ActionStatus, Effort, Theme
from app.stakeholders.models import PpsRole


def theme_choices(empty: str | None = None):
    options = [("", empty)] if empty else []
    return choices([*options, *((t.value, t.label) for t in Theme)])


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
        self.theme.choices = theme_choices(str(_l("— geen thema —")))


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
        self.theme.choices = theme_choices()
        self.typical_owner.choices = choices(
            [("", _l("— geen vaste eigenaar —")), *((r.value, r.label) for r in PpsRole)]
        )
        self.effort.choices = choices((e.value, e.label) for e in Effort)
