"""The quality-check form: per criterion of the check a score (radio buttons), a note and a photo, then remarks."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app import images
from app.cameras.checks import NOTE_MAX, REMARKS_MAX
from app.cameras.models import Score
from app.forms import Form, choices


class CheckFormBase(Form):
    remarks = TextAreaField(_l("Opmerkingen bij de controle"), validators=[Optional(), Length(max=REMARKS_MAX)])

    #: the criteria as the check lists them: [{"key", "label"}]
    criteria: list[dict[str, Any]] = []

    def rows(self) -> list[tuple[dict[str, Any], Any, Any, Any]]:
        """(criterion, score field, note field, photo field) per criterion, in the check's order."""
        return [
            (c, self[f"score_{c['key']}"], self[f"note_{c['key']}"], self[f"photo_{c['key']}"]) for c in self.criteria
        ]

    def scores(self) -> dict[str, tuple[Score, str]]:
        return {c["key"]: (Score(score.data), note.data or "") for c, score, note, _photo in self.rows()}

    def photos(self) -> dict[str, bytes]:
        """The uploaded photos per criterion, each read up to one byte more than a photo may have."""
        limit = images.read_limit()
        return {c["key"]: photo.data.stream.read(limit) for c, _score, _note, photo in self.rows() if photo.data}


def check_form(criteria: list[dict[str, Any]], **kwargs: Any) -> CheckFormBase:
    """A form for a check with these criteria."""
    fields: dict[str, Any] = {"criteria": criteria}
    for criterion in criteria:
        fields[f"score_{criterion['key']}"] = RadioField(
            _l("Score"),
            choices=choices((score.value, score.label) for score in Score),
            validators=[InputRequired(message=_l("Kies een score."))],
        )
        fields[f"note_{criterion['key']}"] = TextAreaField(
            _l("Toelichting"), validators=[Optional(), Length(max=NOTE_MAX)]
        )
        fields[f"photo_{criterion['key']}"] = FileField(
            _l("Foto (niet verplicht)"),
            description=_l("JPEG, PNG of WebP, hoogstens 10 MB; de locatiegegevens worden verwijderd."),
            render_kw={"accept": "image/jpeg,image/png,image/webp"},
        )
    return type("CheckForm", (CheckFormBase,), fields)(**kwargs)
