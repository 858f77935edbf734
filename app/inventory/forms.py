"""Forms of the inventory: a figure, the upload of a file of figures, a stakeholder's gebiedsscan, an inspection
walk, a finding and a photo. The services hold the rules; these forms carry the input and its messages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import Form, choices
from app.imports import MAX_IMPORT_MB
from app.inventory import figures, scan
from app.inventory.categories import CATEGORIES
from app.inventory.models import FigureSource, FindingCategory, Light, Severity


class Required:
    """Marks a field as required in the page (the `required` attribute); the service says what is wrong."""

    field_flags = {"required": True}

    def __call__(self, form: Any, field: Any) -> None:
        return None


def category_choices(sources: Iterable[FigureSource]) -> dict[str, list[tuple[str, str]]]:
    """The categories of `sources` grouped per source (one select with an option group per source):
    "source:category"."""
    return {
        source.label: [(f"{source.value}:{key}", str(label)) for key, label in CATEGORIES.get(source, {}).items()]
        for source in sources
    }


QUARTER_CHOICES = [
    ("", _l("Heel jaar")),
    ("1", _l("Kwartaal 1 (januari-maart)")),
    ("2", _l("Kwartaal 2 (april-juni)")),
    ("3", _l("Kwartaal 3 (juli-september)")),
    ("4", _l("Kwartaal 4 (oktober-december)")),
]


class FigureForm(Form):
    category = SelectField(_l("Bron en categorie"), choices=[], validators=[Required()], validate_choice=False)
    year = StringField(_l("Jaar"), validators=[Required()], render_kw={"inputmode": "numeric"})
    quarter = SelectField(
        _l("Periode"),
        choices=[],
        validate_choice=False,
        description=_l("Een jaartotaal of een kwartaal; voor één categorie en jaar niet allebei."),
    )
    count = StringField(
        _l("Aantal"),
        validators=[Required()],
        render_kw={"inputmode": "numeric"},
        description=_l("Alleen aantallen: nooit namen, kentekens of andere persoonsgegevens."),
    )

    def __init__(self, *args: Any, today: Any, sources: Iterable[FigureSource], **kwargs: Any) -> None:
        """`sources`: the ones the user may write, which alone the form offers."""
        super().__init__(*args, **kwargs)
        self.today = today
        self.category.choices = category_choices(sources)
        self.quarter.choices = choices(QUARTER_CHOICES)
        #: after `validate`, the posted source when it is a valid one, for the view's check of whose figures they are
        self.source: FigureSource | None = None

    def values(self) -> dict[str, Any]:
        source, _sep, category = (self.category.data or "").partition(":")
        return {
            "source": source,
            "category": category,
            "year": self.year.data,
            "quarter": self.quarter.data,
            "count": self.count.data,
        }

    def validate(self, extra_validators: Any = None) -> bool:
        """The rules of `figures.check_figure` give the messages per field."""
        valid = super().validate(extra_validators)
        if self.csrf_failed:
            return False
        clean, errors = figures.check_figure(self.values(), today=self.today)
        self.source = FigureSource(clean["source"]) if "source" in clean else None
        field_of = {"source": "category", "category": "category"}
        for name, message in errors.items():
            field = getattr(self, field_of.get(name, name))
            if message not in field.errors:
                field.errors = [*field.errors, message]
        return valid and not errors


class FigureImportForm(Form):
    file = FileField(
        _l("Bestand"),
        validators=[FileRequired(message=_l("Kies een bestand."))],
        description=_l("Een CSV-bestand of een Excel-bestand (.xlsx) van hoogstens %(mb)s MB.", mb=MAX_IMPORT_MB),
        render_kw={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    )


class ScanForm(Form):
    phenomenon_1 = StringField(_l("Verschijnsel 1"), validators=[Length(max=scan.PHENOMENON_MAX)])
    explanation_1 = TextAreaField(_l("Toelichting bij 1"), validators=[Length(max=scan.EXPLANATION_MAX)])
    phenomenon_2 = StringField(_l("Verschijnsel 2"), validators=[Length(max=scan.PHENOMENON_MAX)])
    explanation_2 = TextAreaField(_l("Toelichting bij 2"), validators=[Length(max=scan.EXPLANATION_MAX)])
    phenomenon_3 = StringField(_l("Verschijnsel 3"), validators=[Length(max=scan.PHENOMENON_MAX)])
    explanation_3 = TextAreaField(_l("Toelichting bij 3"), validators=[Length(max=scan.EXPLANATION_MAX)])

    def rows(self) -> list[tuple[str, str]]:
        return [
            (getattr(self, f"phenomenon_{n}").data or "", getattr(self, f"explanation_{n}").data or "")
            for n in range(1, scan.TOP + 1)
        ]

    def ranks(self) -> list[tuple[int, Any, Any]]:
        """(rank, phenomenon field, explanation field) per row, for the template."""
        return [
            (n, getattr(self, f"phenomenon_{n}"), getattr(self, f"explanation_{n}")) for n in range(1, scan.TOP + 1)
        ]


class InspectionForm(Form):
    held_on = DateField(
        _l("Datum van de schouw"), validators=[DataRequired(message=_l("Vul de datum van de schouw in."))]
    )
    light = SelectField(_l("Ronde"), choices=[], validate_choice=False)
    participants = TextAreaField(
        _l("Deelnemers"),
        validators=[Optional(), Length(max=2_000)],
        description=_l("Wie liepen er mee, met hun organisatie; bijvoorbeeld één per regel."),
    )
    notes = TextAreaField(_l("Notities"), validators=[Optional(), Length(max=5_000)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.light.choices = choices((light.value, light.label) for light in Light)

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name).data for name in ("held_on", "light", "participants", "notes")}


class FindingForm(Form):
    category = SelectField(_l("Categorie"), choices=[], validate_choice=False)
    severity = SelectField(_l("Ernst"), choices=[], validate_choice=False)
    description = TextAreaField(
        _l("Wat is er gezien?"),
        validators=[Required(), Length(max=2_000)],
        description=_l("Zonder namen of kentekens."),
    )
    suggested_action = TextAreaField(_l("Voorgestelde actie"), validators=[Optional(), Length(max=2_000)])
    lat = StringField(
        _l("Breedtegraad"),
        description=_l(
            "Klik op de kaart om de plek te kiezen, of typ de coördinaten (WGS84), bijvoorbeeld 52,1043. "
            "Leeg laten kan ook."
        ),
        render_kw={"inputmode": "decimal"},
    )
    lon = StringField(_l("Lengtegraad"), description=_l("Bijvoorbeeld 5,0712."), render_kw={"inputmode": "decimal"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category.choices = choices((c.value, c.label) for c in FindingCategory)
        self.severity.choices = choices((s.value, s.label) for s in Severity)

    def values(self) -> dict[str, Any]:
        return {
            name: getattr(self, name).data
            for name in ("category", "severity", "description", "suggested_action", "lat", "lon")
        }


class PhotoForm(Form):
    photo = FileField(
        _l("Foto"),
        validators=[FileRequired(message=_l("Kies een foto."))],
        description=_l("Een JPEG-, PNG- of WebP-afbeelding van hoogstens 10 MB. De locatiegegevens worden verwijderd."),
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )
