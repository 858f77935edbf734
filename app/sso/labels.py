"""The audit actions of this area in words, for the activity feeds (collected by `app.areas.audit_labels`)."""

from flask_babel import lazy_gettext as _l

LABELS = {
    "sso.login": _l("Ingelogd via een inlogdienst"),
    "sso.login_failed": _l("Inloggen via een inlogdienst geweigerd"),
    "sso.linked": _l("Account gekoppeld aan een inlogdienst"),
    "sso.account_created": _l("Account gemaakt via een inlogdienst"),
    "sso.provider_saved": _l("Inlogdienst opgeslagen"),
    "sso.rule_added": _l("Regel voor rollen toegevoegd"),
    "sso.rule_removed": _l("Regel voor rollen verwijderd"),
    "sso.password_login_set": _l("Inloggen met wachtwoord aan- of uitgezet"),
}
