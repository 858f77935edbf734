"""Forms of the company register: one company, and the upload of a register file."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField

from app.forms import Form, choices
from app.parks import companies


class Required:
    """Marks a field as required in the page (the `required` attribute); the service says what is wrong."""

    field_flags = {"required": True}

    def __call__(self, form: Any, field: Any) -> None:
        return None


class CompanyForm(Form):
    name = StringField(_l("Naam"), validators=[Required()])
    kvk_number = StringField(_l("KvK-nummer"), description=_l("8 cijfers; mag leeg blijven."))
    street = StringField(_l("Straat"), validators=[Required()])
    house_number = StringField(_l("Huisnummer"), validators=[Required()])
    house_number_addition = StringField(_l("Toevoeging"), description=_l("Bijvoorbeeld A of bis; mag leeg blijven."))
    postcode = StringField(_l("Postcode"), validators=[Required()], description=_l("Bijvoorbeeld 3541 AB."))
    sector = StringField(_l("Sector"))
    email = StringField(_l("E-mailadres"))
    lat = StringField(
        _l("Breedtegraad"),
        description=_l("Van de vestiging, in graden (WGS84), bijvoorbeeld 52,0742. Vul beide coördinaten in of geen."),
    )
    lon = StringField(_l("Lengtegraad"), description=_l("Bijvoorbeeld 5,0874."))
    language = SelectField(
        _l("Taal contactpersoon"),
        choices=choices([("nl", "Nederlands"), ("en", "English")]),
        default="nl",
        validate_choice=False,  # the register's rules say what is wrong (`companies.check_company`)
        description=_l("De taal van de brieven en e-mails aan dit bedrijf, zoals de uitnodiging voor de enquête."),
    )

    def values(self) -> dict[str, Any]:
        return {field: getattr(self, field).data for field in companies.FIELDS}

    def validate(self, extra_validators: Any = None) -> bool:
        """The register's own rules (`companies.check_company`) give the messages per field."""
        valid = super().validate(extra_validators)
        if self.csrf_failed:
            return False
        _clean, errors = companies.check_company(self.values())
        for field, message in errors.items():
            getattr(self, field).errors.append(message)
        return valid and not errors


class ImportForm(Form):
    file = FileField(
        _l("Bestand"),
        validators=[FileRequired(message=_l("Kies een bestand."))],
        description=_l(
            "Een CSV-bestand of een Excel-bestand (.xlsx) van hoogstens %(mb)s MB.", mb=companies.MAX_IMPORT_MB
        ),
        render_kw={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    )
