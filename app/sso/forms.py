from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length

from app.forms import Form, choices
from app.sso.models import DEFAULT_SCOPES
from app.sso.services import RULE_ROLES


class ProviderForm(Form):
    name = StringField(_l("Naam op de knop"), validators=[DataRequired(), Length(max=100)])
    slug = StringField(
        _l("Korte naam"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("Kleine letters, cijfers en streepjes; staat in de adressen, bijvoorbeeld gemeente-utrecht."),
    )
    issuer = StringField(
        _l("Issuer"),
        validators=[DataRequired(), Length(max=500)],
        description=_l(
            "Het adres van de inlogdienst, precies zoals in de discovery (…/.well-known/openid-configuration)."
        ),
    )
    client_id = StringField(_l("Client-id"), validators=[DataRequired(), Length(max=200)])
    client_secret = PasswordField(
        _l("Client-secret"),
        validators=[Length(max=500)],
        description=_l("Leeg laten houdt het bewaarde geheim."),
    )
    client_secret_env = StringField(
        _l("Of: omgevingsvariabele met het client-secret"),
        validators=[Length(max=100)],
        description=_l("Aanbevolen: het geheim staat dan niet in de database."),
    )
    scopes = StringField(_l("Scopes"), default=DEFAULT_SCOPES, validators=[DataRequired(), Length(max=500)])
    groups_claim = StringField(
        _l("Claim met groepen of rollen"), default="groups", validators=[DataRequired(), Length(max=100)]
    )
    municipality_id = SelectField(_l("Gemeente"), coerce=int, choices=[])
    organisation_ids = SelectMultipleField(_l("Organisaties"), coerce=int, choices=[])
    enabled = BooleanField(_l("Actief (knop op de inlogpagina)"), default=True)


class RuleForm(Form):
    claim_value = StringField(_l("Waarde in de groepenclaim"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Rol"), choices=[])
    municipality_id = SelectField(_l("Op alle parken van"), coerce=int, choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = choices((role.value, role.label) for role in RULE_ROLES)
