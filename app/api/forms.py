"""The form for a new personal API token; the service (app.api.tokens) holds the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, ValidationError
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
    # Any scope passes the form: the service refuses a write scope to a user who may not hold one, with its reason.
    scope = SelectField(_l("Rechten"), default=ApiScope.READ.value, validate_choice=False)

    def __init__(self, *args, may_write: bool, **kwargs) -> None:
        """`may_write`: whether the user may make a token that writes (`tokens.may_write`); else only reading is
        offered."""
        super().__init__(*args, **kwargs)
        offered = list(ApiScope) if may_write else [ApiScope.READ]
        self.scope.choices = choices((scope.value, scope.label) for scope in offered)
        if not may_write:
            self.scope.description = _l("Uw rollen geven geen rechten om via de API gegevens te wijzigen.")

    def validate_scope(self, field: SelectField) -> None:
        if field.data not in {scope.value for scope in ApiScope}:
            raise ValidationError(_l("Kies alleen lezen, of lezen en schrijven."))
