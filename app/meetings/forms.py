"""Forms of the meetings: the meeting, its invitees, attendance, minutes and decisions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import Form, choices
from app.meetings.models import MeetingKind
from app.meetings.services import DECISION_MAX, LOCATION_MAX, MINUTES_MAX, TITLE_MAX
from app.plans.models import Theme


class MeetingForm(Form):
    kind = SelectField(_l("Soort vergadering"), choices=[])
    title = StringField(
        _l("Titel"),
        validators=[Optional(), Length(max=TITLE_MAX)],
        description=_l("Leeg laten: de soort vergadering wordt de titel."),
    )
    on = DateField(_l("Datum"), validators=[DataRequired()])
    starts_at = TimeField(_l("Begintijd"), validators=[DataRequired()], description=_l("Nederlandse tijd."))
    ends_at = TimeField(_l("Eindtijd"), validators=[DataRequired()])
    location = StringField(
        _l("Locatie"),
        validators=[Optional(), Length(max=LOCATION_MAX)],
        description=_l(
            "Bijvoorbeeld: kantine van Van Hal Transport, Atoomweg 50, of een link naar de videovergadering."
        ),
    )
    agenda = TextAreaField(
        _l("Agenda"),
        validators=[Optional(), Length(max=60_000)],
        description=_l(
            "Eén agendapunt per regel. Een regel die met een spatie begint, is een toelichting bij het punt erboven."
        ),
        render_kw={"rows": 10},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices((kind.value, kind.label) for kind in MeetingKind)


class InviteForm(Form):
    stakeholders = SelectMultipleField(
        _l("Deelnemers"),
        coerce=int,
        choices=[],
        validators=[Optional()],
        description=_l("Hun vertegenwoordiger krijgt de uitnodiging."),
    )
    people = TextAreaField(
        _l("Anderen (optioneel)"),
        validators=[Optional(), Length(max=10_000)],
        description=_l("Eén per regel: naam en e-mailadres, bijvoorbeeld Kees van Hal <kees@vanhal.nl>."),
        render_kw={"rows": 3},
    )


class MinutesForm(Form):
    minutes = TextAreaField(_l("Verslag"), validators=[DataRequired(), Length(max=MINUTES_MAX)], render_kw={"rows": 10})


class DecisionForm(Form):
    text = TextAreaField(_l("Besluit"), validators=[DataRequired(), Length(max=DECISION_MAX)], render_kw={"rows": 3})
    make_action = BooleanField(_l("Dit besluit wordt een actie in het uitvoeringsplan"))
    action_title = StringField(
        _l("Titel van de actie"),
        validators=[Optional(), Length(max=200)],
        description=_l("Leeg laten: de tekst van het besluit wordt de titel."),
    )
    theme = SelectField(_l("Thema van de actie"), choices=[], default="")
    # not sent when the cycle has no plan (the action's fields are not shown): the service checks the quarter
    quarter = SelectField(_l("Kwartaal van de actie"), coerce=int, choices=[], validate_choice=False)
    owners = SelectMultipleField(_l("Eigenaren van de actie"), coerce=int, choices=[], validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.theme.choices = choices([("", _l("— geen thema —")), *((t.value, t.label) for t in Theme)])
