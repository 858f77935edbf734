"""The audit actions of this area in words, for the activity feeds (collected by `app.areas.audit_labels`)."""

from flask_babel import lazy_gettext as _l

LABELS = {
    "auditor.viewed": _l("Pagina bekeken door de auditor"),
    "auth.role_granted": _l("Rol toegekend"),
    "auth.role_revoked": _l("Rol ingetrokken"),
}
