"""The audit actions of this area in words, for the activity feeds (collected by `app.areas.audit_labels`)."""

from flask_babel import lazy_gettext as _l

LABELS = {
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
    "cycles.recalibrated": _l("Herijking: cyclus afgesloten en volgende cyclus begonnen"),
    "cycles.recalibration_undone": _l("Herijking ongedaan gemaakt: vorige cyclus weer actief"),
    "parks.paused": _l("Park gepauzeerd"),
    "parks.resumed": _l("Pauze van het park beëindigd"),
}
