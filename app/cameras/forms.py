"""Forms of the camera network and its cameras. The services check the rules; these only carry the input."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, EmailField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import Optional

from app.cameras.models import MAX_RETENTION_DAYS, CameraStatus, CameraType
from app.forms import Form, choices
from app.inventory.forms import Required

NETWORK_FIELDS = (
    "name",
    "owner_name",
    "operator_id",
    "operator_contact",
    "operator_email",
    "operator_phone",
    "monitoring_party",
    "contract_starts_on",
    "contract_ends_on",
    "funding",
    "purpose",
    "public_contact",
    "retention_days",
    "check_interval_months",
)
CAMERA_FIELDS = ("code", "type", "lat", "lon", "direction", "coverage_note", "installed_on", "last_maintenance_on")


class NetworkForm(Form):
    name = StringField(_l("Naam van het netwerk"), validators=[Required()])
    owner_name = StringField(
        _l("Eigenaar (verwerkingsverantwoordelijke)"),
        description=_l("Meestal de stichting of vereniging van de ondernemers."),
    )
    operator_id = SelectField(_l("Beheerder"), choices=[], validate_choice=False)
    operator_contact = StringField(_l("Contactpersoon van de beheerder"))
    operator_email = EmailField(_l("E-mailadres van de beheerder"))
    operator_phone = TelField(_l("Telefoonnummer van de beheerder"))
    monitoring_party = StringField(_l("Meldkamer (toezichtcentrale)"))
    contract_starts_on = DateField(_l("Contract gaat in op"), validators=[Optional()])
    contract_ends_on = DateField(_l("Contract loopt af op"), validators=[Optional()])
    funding = StringField(_l("Financiering"), description=_l("Bijvoorbeeld: ondernemersfonds."))
    purpose = TextAreaField(
        _l("Doel van het cameratoezicht"), description=_l("Zoals het in het openbare cameraregister staat.")
    )
    public_contact = StringField(
        _l("Contact voor vragen van het publiek"), description=_l("Staat in het openbare cameraregister.")
    )
    retention_days = StringField(
        _l("Bewaartermijn van de beelden (dagen)"),
        description=_l("Hoogstens %(n)s dagen.", n=MAX_RETENTION_DAYS),
        default=str(MAX_RETENTION_DAYS),
        render_kw={"inputmode": "numeric"},
    )
    check_interval_months = StringField(
        _l("Kwaliteitscontrole elke (maanden)"), default="3", render_kw={"inputmode": "numeric"}
    )

    def __init__(self, *args: Any, operators: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.operator_id.choices = choices([("", _l("— geen —")), *((str(i), name) for i, name in operators or [])])

    def values(self) -> dict[str, Any]:
        values = {name: getattr(self, name).data for name in NETWORK_FIELDS}
        operator = str(values["operator_id"] or "")
        values["operator_id"] = int(operator) if operator.isdigit() else None
        return values


class CameraForm(Form):
    code = StringField(_l("Code"), validators=[Required()], description=_l("Uniek binnen het netwerk, zoals C01."))
    type = SelectField(_l("Soort camera"), choices=[], validate_choice=False)
    lat = StringField(
        _l("Breedtegraad"),
        description=_l(
            "Klik op de kaart of sleep de markering om de plek te kiezen, of typ de coördinaten (WGS84), "
            "bijvoorbeeld 52,1043."
        ),
        validators=[Required()],
        render_kw={"inputmode": "decimal"},
    )
    lon = StringField(
        _l("Lengtegraad"),
        description=_l("Bijvoorbeeld 5,0712."),
        validators=[Required()],
        render_kw={"inputmode": "decimal"},
    )
    direction = StringField(
        _l("Kijkrichting (graden)"),
        description=_l("0 is noord, 90 oost, 180 zuid, 270 west. Leeg laten kan ook."),
        render_kw={"inputmode": "numeric"},
    )
    coverage_note = StringField(_l("Wat de camera in beeld heeft"))
    installed_on = DateField(_l("Geplaatst op"), validators=[Optional()])
    last_maintenance_on = DateField(_l("Laatste onderhoud"), validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.type.choices = choices((kind.value, kind.label) for kind in CameraType)

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name).data for name in CAMERA_FIELDS}


class StatusForm(Form):
    status = SelectField(_l("Status"), choices=[], validate_choice=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = choices((status.value, status.label) for status in CameraStatus)


class CameraImportForm(Form):
    file = FileField(_l("Bestand (CSV of Excel)"), validators=[Required()])
