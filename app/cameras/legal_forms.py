"""Forms of the legal frame (dates, technology changes, documents) and of the footage-request log."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, DateTimeLocalField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.cameras.models import DocumentKind, FootageDecision, RequesterKind
from app.forms import Form, choices

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class FrameForm(Form):
    convenant_signed_on = DateField(_l("Convenant met de gemeente getekend op"), validators=[Optional()])
    register_entered_on = DateField(_l("Ingeschreven in het cameraregister op"), validators=[Optional()])
    signage_checked_on = DateField(
        _l("Bebording laatst gecontroleerd op"),
        validators=[Optional()],
        description=_l("De bebording wordt elk jaar opnieuw gecontroleerd."),
    )
    dpia_on = DateField(
        _l("DPIA uitgevoerd op"),
        validators=[Optional()],
        description=_l("Een DPIA wordt elke drie jaar herhaald, en meteen na een wijziging van de technologie."),
    )
    masking_confirmed_on = DateField(_l("Privacymaskering bevestigd op"), validators=[Optional()])


class TechnologyChangeForm(Form):
    changed_on = DateField(_l("Datum van de wijziging"), validators=[DataRequired(message=_l("Vul de datum in."))])
    description = StringField(
        _l("Wat is er veranderd?"),
        validators=[DataRequired(message=_l("Beschrijf de wijziging.")), Length(max=300)],
        description=_l("Bijvoorbeeld: ANPR toegevoegd."),
    )


class DocumentForm(Form):
    kind = SelectField(_l("Soort document"), choices=[], validate_choice=False)
    file = FileField(
        _l("Document"),
        validators=[FileRequired(message=_l("Kies een PDF-document."))],
        description=_l("Een PDF-document van hoogstens 10 MB."),
        render_kw={"accept": "application/pdf,.pdf"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices((k.value, k.label) for k in DocumentKind)


class FootageForm(Form):
    received_on = DateField(_l("Ontvangen op"), validators=[DataRequired(message=_l("Vul de datum van ontvangst in."))])
    requester_kind = SelectField(_l("Wie vraagt om de beelden?"), choices=[], validate_choice=False)
    authority = StringField(
        _l("Naam van de aanvrager of instantie"),
        validators=[DataRequired(message=_l("Vul in wie om de beelden vraagt.")), Length(max=200)],
        description=_l("Bijvoorbeeld: Politie Midden-Nederland, team Utrecht-West."),
    )
    demand_reference = StringField(
        _l("Kenmerk van de schriftelijke vordering"), validators=[Optional(), Length(max=100)]
    )
    demand_date = DateField(_l("Datum van de vordering"), validators=[Optional()])
    cameras = SelectMultipleField(_l("Camera's"), choices=[], coerce=int, validate_choice=False)
    window_start = DateTimeLocalField(
        _l("Begin van de gevraagde periode"),
        format=DATETIME_FORMAT,
        validators=[DataRequired(message=_l("Vul het begin van de periode in."))],
    )
    window_end = DateTimeLocalField(
        _l("Einde van de gevraagde periode"),
        format=DATETIME_FORMAT,
        validators=[DataRequired(message=_l("Vul het einde van de periode in."))],
    )
    decision = SelectField(_l("Besluit"), choices=[], validate_choice=False)
    reason = TextAreaField(
        _l("Reden van de weigering"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Verplicht bij een weigering."),
    )
    handed_over_by = StringField(
        _l("Overgedragen door"),
        validators=[Optional(), Length(max=200)],
        description=_l("Bij verstrekking; leeg: uw eigen naam."),
    )

    def __init__(self, *args, camera_choices: list[tuple[int, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.requester_kind.choices = choices((k.value, k.label) for k in RequesterKind)
        self.decision.choices = choices((k.value, k.label) for k in FootageDecision)
        self.cameras.choices = choices(camera_choices or [])
