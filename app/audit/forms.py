from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from app.forms import Form


class AuditFilterForm(Form):
    park = SelectField(_l("Park"), coerce=int, choices=[], validators=[Optional()])
    user = StringField(_l("Gebruiker (e-mailadres)"), validators=[Optional(), Length(max=254)])
    date_from = DateField(_l("Vanaf"), validators=[Optional()])
    date_to = DateField(_l("Tot en met"), validators=[Optional()])
