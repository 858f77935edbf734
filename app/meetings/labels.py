"""The audit actions of this area in words, for the activity feeds (collected by `app.areas.audit_labels`)."""

from flask_babel import lazy_gettext as _l

LABELS = {
    "meetings.scheduled": _l("Vergadering gepland"),
    "meetings.changed": _l("Vergadering gewijzigd"),
    "meetings.cancelled": _l("Vergadering geannuleerd"),
    "meetings.invitees_added": _l("Genodigden toegevoegd aan een vergadering"),
    "meetings.invitee_removed": _l("Genodigde van een vergadering gehaald"),
    "meetings.invited": _l("Uitnodigingen voor een vergadering verstuurd"),
    "meetings.attendance_recorded": _l("Aanwezigheid bij een vergadering vastgelegd"),
    "meetings.minutes_recorded": _l("Verslag van een vergadering vastgelegd"),
    "meetings.decision_recorded": _l("Besluit van een vergadering vastgelegd"),
}
