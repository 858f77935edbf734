"""Audit actions in words, for the activity feeds. An action without words here shows its code."""

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "parks.park_created": _l("Park aangemaakt"),
    "parks.area_set": _l("Gebied ingetekend of gewijzigd"),
    "cycles.step_completed": _l("Stap afgerond"),
    "cycles.step_reopened": _l("Stap heropend"),
    "companies.created": _l("Bedrijf toegevoegd aan het register"),
    "companies.updated": _l("Bedrijf in het register gewijzigd"),
    "companies.deleted": _l("Bedrijf uit het register verwijderd"),
    "companies.outside_accepted": _l("Bedrijf buiten het gebied geaccepteerd"),
    "companies.import_checked": _l("Bestand met bedrijven gecontroleerd"),
    "companies.imported": _l("Bestand met bedrijven geïmporteerd"),
    "stakeholders.stakeholder_added": _l("Organisatie doet mee"),
    "stakeholders.stakeholder_removed": _l("Organisatie doet niet meer mee"),
    "stakeholders.representative_set": _l("Vertegenwoordiger vastgelegd"),
    "stakeholders.representative_invited": _l("Vertegenwoordiger uitgenodigd"),
    "stakeholders.signatory_set": _l("Tekenbevoegde vastgelegd"),
    "stakeholders.declaration_signed": _l("Intentieverklaring ondertekend"),
    "stakeholders.working_group_set": _l("Voorzitter en secretaris gekozen"),
    "auth.role_granted": _l("Rol toegekend"),
    "auth.role_revoked": _l("Rol ingetrokken"),
}
