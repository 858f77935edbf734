"""The quality-check form: per criterion of the check a score (radio buttons) and a note, then remarks."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.cameras.checks import NOTE_MAX, REMARKS_MAX
from app.cameras.models import Score
from app.forms import Form, choices


class CheckFormBase(Form):
    remarks = TextAreaField(_l("Opmerkingen bij de controle"), validators=[Optional(), Length(max=REMARKS_MAX)])

    #: the criteria as the check lists them: [{"key", "label"}]
    criteria: list[dict[str, Any]] = []

    def rows(self) -> list[tuple[dict[str, Any], Any, Any]]:
        """(criterion, score field, note field) per criterion, in the check's order."""
        return [(c, self[f"score_{c['key']}"], self[f"note_{c['key']}"]) for c in self.criteria]

    def scores(self) -> dict[str, tuple[Score, str]]:
        return {c["key"]: (Score(score.data), note.data or "") for c, score, note in self.rows()}


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
    return type("CheckForm", (CheckFormBase,), fields)(**kwargs)
