"""The audit actions of this area in words, for the activity feeds (collected by `app.areas.audit_labels`)."""

from flask_babel import lazy_gettext as _l

LABELS = {
    "awards.requested": _l("Handtekeningen voor de waardering gevraagd"),
    "awards.signed": _l("Waardering ondertekend"),
    "awards.granted": _l("Waardering toegekend"),
    "awards.link_sent": _l("Persoonlijke link om te tekenen verstuurd"),
    "awards.ceremony_set": _l("Datum van de uitreiking vastgelegd"),
    "awards.press_release_saved": _l("Persbericht opgeslagen"),
}
