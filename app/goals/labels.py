"""The audit actions of this area in words, for the activity feeds (collected by `app.areas.audit_labels`). The
actions keep the "plans." prefix they were recorded with before goals had an area of their own."""

from flask_babel import lazy_gettext as _l

LABELS = {
    "plans.goal_saved": _l("Doel opgeslagen"),
    "plans.goal_deleted": _l("Doel verwijderd"),
    "plans.goal_baseline_refreshed": _l("Nulmeting uit de bron gehaald"),
    "plans.goal_refreshed": _l("Nieuwe meting uit de bron"),
    "plans.measurement_recorded": _l("Meting vastgelegd"),
    "plans.measurement_deleted": _l("Meting verwijderd"),
}
