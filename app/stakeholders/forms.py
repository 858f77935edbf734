from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, EmailField, HiddenField, RadioField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.auth.forms import LANGUAGE_CHOICES
from app.forms import Form, choices
from app.stakeholders.models import OrganisationType, PpsRole

#: the value of the duplicate question that says "create it anyway, it is a different organisation"
NEW_ORGANISATION = "nieuw"
#: the values of the invitation's question whether the invited person becomes the representative
AS_EXTRA_USER, AS_REPRESENTATIVE = "extra", "vertegenwoordiger"


class AddStakeholderForm(Form):
    organisation_id = SelectField(
        _l("Organisatie"),
        coerce=int,
        choices=[],
        description=_l("Staat de organisatie er niet bij? Vul hieronder een nieuwe organisatie in."),
    )
    new_name = StringField(
        _l("Naam nieuwe organisatie"),
        validators=[Optional(), Length(max=200)],
        description=_l("Bijvoorbeeld Politie basisteam Utrecht-Noord of Ondernemersvereniging Lage Weide."),
    )
    new_type = SelectField(_l("Soort nieuwe organisatie"), choices=[], validate_choice=False)
    #: the answer to "does this organisation exist already?": an organisation id, or NEW_ORGANISATION
    match = RadioField(_l("Bestaat deze organisatie al?"), choices=[], validate_choice=False)
    #: set once the similar organisations were shown, so that no answer is an error from then on
    similar_shown = HiddenField()
    role = SelectField(_l("Rol in het samenwerkingsverband"), choices=[])
    representative_name = StringField(
        _l("Naam vertegenwoordiger"),
        validators=[Optional(), Length(max=200)],
        description=_l("Wie namens de organisatie in de werkgroep zit. Kan ook later."),
    )
    representative_email = EmailField(
        _l("E-mailadres vertegenwoordiger"), validators=[Optional(), Email(), Length(max=254)]
    )
    representative_phone = TelField(_l("Telefoonnummer vertegenwoordiger"), validators=[Optional(), Length(max=30)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = choices((r.value, r.label) for r in PpsRole)
        self.new_type.choices = choices(
            [("", _l("— kies het soort —")), *((t.value, t.label) for t in OrganisationType)]
        )


class StakeholderForm(Form):
    representative_user_id = SelectField(
        _l("Vertegenwoordiger met een account"),
        coerce=int,
        choices=[],
        description=_l("Kies een gebruiker met een rol op dit park, of vul hieronder een naam in."),
    )
    representative_name = StringField(
        _l("Naam vertegenwoordiger (zonder account)"), validators=[Optional(), Length(max=200)]
    )
    representative_email = EmailField(
        _l("E-mailadres vertegenwoordiger (zonder account)"), validators=[Optional(), Email(), Length(max=254)]
    )
    representative_phone = TelField(_l("Telefoonnummer vertegenwoordiger"), validators=[Optional(), Length(max=30)])
    signatory_name = StringField(_l("Naam tekenbevoegde"), validators=[Optional(), Length(max=200)])
    signatory_function = StringField(_l("Functie tekenbevoegde"), validators=[Optional(), Length(max=200)])
    signatory_email = EmailField(
        _l("E-mailadres tekenbevoegde"),
        validators=[Optional(), Email(), Length(max=254)],
        description=_l("Hierheen gaat de persoonlijke link om te tekenen; een account is niet nodig."),
    )


class InviteRepresentativeForm(Form):
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(), Email(), Length(max=254)])
    phone = TelField(_l("Telefoonnummer"), validators=[Optional(), Length(max=30)])
    locale = SelectField(_l("Taal van de e-mails"), choices=LANGUAGE_CHOICES)
    #: only asked when the organisation has a representative already (choices set by the view)
    becomes = RadioField(_l("Wat gebeurt er?"), choices=[], validate_choice=False)


class SignatureForm(Form):
    signed_on = DateField(_l("Datum van ondertekening"), validators=[DataRequired()])
    signed_by = StringField(_l("Ondertekend door"), validators=[DataRequired(), Length(max=200)])


class WorkingGroupForm(Form):
    chair_id = SelectField(_l("Voorzitter"), coerce=int, choices=[])
    secretary_id = SelectField(_l("Secretaris"), coerce=int, choices=[])


class LetterheadForm(Form):
    letter_address = TextAreaField(
        _l("Retouradres"),
        validators=[Length(max=400)],
        description=_l("Eén regel per regel, hoogstens vier. Bijvoorbeeld: Postbus 16200, dan 3500 CE Utrecht."),
        render_kw={"rows": 4},
    )
    signatory_name = StringField(
        _l("Naam van de ondertekenaar"),
        validators=[Length(max=200)],
        description=_l("Wie de brieven ondertekent, zoals die onder de brief staat. Bijvoorbeeld: drs. J. Jansen."),
    )
    signatory_function = StringField(
        _l("Functie van de ondertekenaar"),
        validators=[Length(max=200)],
        description=_l("Bijvoorbeeld: burgemeester."),
    )


class LogoForm(Form):
    logo = FileField(
        _l("Afbeelding van het logo"),
        validators=[FileRequired(message=_l("Kies een afbeelding."))],
        description=_l(
            "Een JPEG-, PNG- of WebP-afbeelding van hoogstens 10 MB, liefst breder dan hoog. Het logo komt linksboven "
            "op de brieven; een doorzichtige achtergrond wordt wit."
        ),
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )
