"""Audit actions in words, for the activity feeds. An action without words here shows its code."""

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "parks.park_created": _l("Park aangemaakt"),
    "parks.area_set": _l("Gebied ingetekend of gewijzigd"),
    "cycles.step_completed": _l("Stap afgerond"),
    "cycles.step_reopened": _l("Stap heropend"),
    "auth.role_granted": _l("Rol toegekend"),
    "auth.role_revoked": _l("Rol ingetrokken"),
}
