"""The form for a new personal API token; the service (app.api.tokens) holds the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.api.models import ApiScope
from app.api.tokens import MAX_NAME
from app.forms import Form, choices


class TokenForm(Form):
    name = StringField(
        _l("Naam"),
        validators=[DataRequired(_l("Geef de sleutel een naam.")), Length(max=MAX_NAME)],
        description=_l("Waarvoor of voor welk systeem is de sleutel, bijvoorbeeld: dashboard gemeenteraad."),
    )
    scope = SelectField(
        _l("Rechten"),
        choices=choices((scope.value, scope.label) for scope in ApiScope),
        default=ApiScope.READ.value,
    )
