"""The audit actions of this area in words, for the activity feeds (collected by `app.areas.audit_labels`)."""

from flask_babel import lazy_gettext as _l

LABELS = {
    "stakeholders.stakeholder_added": _l("Organisatie doet mee"),
    "stakeholders.stakeholder_removed": _l("Organisatie doet niet meer mee"),
    "stakeholders.representative_set": _l("Vertegenwoordiger vastgelegd"),
    "stakeholders.representative_invited": _l("Vertegenwoordiger uitgenodigd"),
    "stakeholders.signatory_set": _l("Tekenbevoegde vastgelegd"),
    "stakeholders.declaration_signed": _l("Intentieverklaring ondertekend"),
    "stakeholders.working_group_set": _l("Voorzitter en secretaris gekozen"),
    "stakeholders.person_invited": _l("Extra gebruiker van een organisatie uitgenodigd"),
    "stakeholders.organisation_created": _l("Organisatie aangemaakt"),
    "stakeholders.organisation_updated": _l("Organisatie gewijzigd"),
    "stakeholders.organisations_merged": _l("Organisaties samengevoegd"),
    "stakeholders.letterhead_updated": _l("Briefpapier gewijzigd"),
    "stakeholders.logo_set": _l("Logo geplaatst"),
    "stakeholders.logo_removed": _l("Logo verwijderd"),
}
