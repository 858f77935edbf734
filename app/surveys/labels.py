"""The audit actions of this area in words, for the activity feeds (collected by `app.areas.audit_labels`)."""

from flask_babel import lazy_gettext as _l

LABELS = {
    "surveys.created": _l("Enquête aangemaakt"),
    "surveys.definition_updated": _l("Vragenlijst van de enquête aangepast"),
    "surveys.letter_updated": _l("Brief van de burgemeester aangepast"),
    "surveys.opened": _l("Enquête geopend"),
    "surveys.closed": _l("Enquête gesloten"),
    "surveys.reopened": _l("Enquête heropend"),
    "surveys.closing_date_changed": _l("Sluitdatum van de enquête gewijzigd"),
    "surveys.public_link_enabled": _l("Openbare link van de enquête aangezet"),
    "surveys.public_link_disabled": _l("Openbare link van de enquête uitgezet"),
    "surveys.answered": _l("Een respondent vulde de enquête in"),
    "surveys.invitations_created": _l("Uitnodigingen voor de enquête aangemaakt"),
    "surveys.invitation_revoked": _l("Uitnodiging voor de enquête ingetrokken"),
    "surveys.invitations_emailed": _l("Uitnodigingen voor de enquête verstuurd"),
    "surveys.reminders_sent": _l("Herinneringen voor de enquête verstuurd"),
    "surveys.conclusions_saved": _l("Conclusies van de enquête opgeslagen"),
    "surveys.report_ready": _l("Rapport van de enquête klaar gemeld"),
}
