from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.forms import Form, choices
from app.stakeholders.models import OrganisationType


class OrganisationForm(Form):
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=200)])
    type = SelectField(_l("Soort organisatie"), choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type.choices = choices((t.value, t.label) for t in OrganisationType)
