from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from app.auth.models import DigestFrequency, Role
from app.auth.services import MIN_PASSWORD_LENGTH
from app.config import LANGUAGE_NAMES
from app.forms import Form, choices

LANGUAGE_CHOICES = choices(LANGUAGE_NAMES.items())


class LoginForm(Form):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(), Length(max=1024)])


class SetPasswordForm(Form):
    password = PasswordField(
        _l("Nieuw wachtwoord"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=1024)],
        description=_l(
            "Minstens %(n)s tekens. Een zin van een paar woorden is sterk en goed te onthouden.", n=MIN_PASSWORD_LENGTH
        ),
    )
    confirm = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[DataRequired(), EqualTo("password", message=_l("De wachtwoorden zijn niet gelijk."))],
    )


class ResetRequestForm(Form):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(), Email(), Length(max=254)])


class ProfileForm(Form):
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=200)])
    locale = SelectField(_l("Taal"), choices=LANGUAGE_CHOICES)
    digest_frequency = SelectField(
        _l("Overzicht per e-mail"),
        choices=[],
        description=_l(
            "Herinneringen en meldingen komen gebundeld in één e-mail. Uitnodigingen en wachtwoordlinks "
            "krijgt u altijd direct."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.digest_frequency.choices = choices((f.value, f.label) for f in DigestFrequency)


class InviteForm(Form):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=200)])
    organisation_id = SelectField(_l("Organisatie"), coerce=int, choices=[])
    locale = SelectField(_l("Taal van de e-mails"), choices=LANGUAGE_CHOICES)
    is_admin = BooleanField(_l("Beheerder van het platform"))


class UserForm(Form):
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=200)])
    organisation_id = SelectField(_l("Organisatie"), coerce=int, choices=[])
    is_admin = BooleanField(_l("Beheerder van het platform"))
    is_active = BooleanField(_l("Account actief"))


class MembershipForm(Form):
    role = SelectField(_l("Rol"), choices=[])
    scope = SelectField(_l("Voor"), choices=[])
    ends_on = DateField(_l("Einddatum (verplicht voor een auditor)"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = choices((role.value, role.label) for role in Role)


class ConfirmForm(Form):
    """A button that changes something: only the CSRF token travels."""


class TwoFactorCodeForm(Form):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=32)],
        description=_l("De zes cijfers uit uw authenticator-app, of een van uw herstelcodes."),
    )
    remember = BooleanField(_l("Dit apparaat 30 dagen onthouden"))


class TwoFactorEnrolForm(Form):
    code = StringField(
        _l("Code uit de app"),
        validators=[DataRequired(), Length(max=32)],
        description=_l("De zes cijfers die de app nu toont, om te controleren dat alles klopt."),
    )


class TwoFactorRolesForm(Form):
    roles = SelectMultipleField(
        _l("Tweestapsverificatie verplicht voor"),
        choices=[],
        description=_l(
            "Voor beheerders en camerakwaliteit is ze altijd verplicht. Geldt voor gebruikers van deze organisatie "
            "met een van deze rollen, vanaf hun volgende keer inloggen."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = choices((role.value, role.label) for role in Role)
