"""The audit actions of this area in words, for the activity feeds (collected by `app.areas.audit_labels`)."""

from flask_babel import lazy_gettext as _l

LABELS = {
    "inventory.figure_saved": _l("Cijfer ingevoerd of gecorrigeerd"),
    "inventory.figure_deleted": _l("Cijfer verwijderd"),
    "inventory.figures_checked": _l("Bestand met cijfers gecontroleerd"),
    "inventory.figures_imported": _l("Bestand met cijfers geïmporteerd"),
    "inventory.scan_saved": _l("Gebiedsscan opgeslagen"),
    "inventory.inspection_saved": _l("Schouw vastgelegd of aangepast"),
    "inventory.inspection_deleted": _l("Schouw verwijderd"),
    "inventory.finding_saved": _l("Bevinding vastgelegd of aangepast"),
    "inventory.finding_resolved": _l("Bevinding opgelost"),
    "inventory.finding_reopened": _l("Bevinding heropend"),
    "inventory.finding_deleted": _l("Bevinding verwijderd"),
    "inventory.photo_added": _l("Foto toegevoegd"),
    "inventory.photo_deleted": _l("Foto verwijderd"),
}
