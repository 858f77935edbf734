"""The audit actions of this area in words, for the activity feeds (collected by `app.areas.audit_labels`)."""

from flask_babel import lazy_gettext as _l

LABELS = {
    "api.token_created": _l("API-sleutel aangemaakt"),
    "api.token_revoked": _l("API-sleutel ingetrokken"),
}
