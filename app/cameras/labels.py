"""The audit actions of this area in words, for the activity feeds (collected by `app.areas.audit_labels`)."""

from flask_babel import lazy_gettext as _l

LABELS = {
    "cameras.network_saved": _l("Cameranetwerk opgeslagen"),
    "cameras.camera_added": _l("Camera toegevoegd"),
    "cameras.camera_saved": _l("Camera gewijzigd"),
    "cameras.camera_status": _l("Status van een camera gewijzigd"),
    "cameras.imported": _l("Cameralijst ingelezen"),
    "cameras.check_done": _l("Kwaliteitscontrole cameranetwerk uitgevoerd"),
    "cameras.evaluation_decided": _l("Evaluatie cameratoezicht vastgelegd"),
    "cameras.legal_frame_updated": _l("Juridisch kader bijgewerkt"),
    "cameras.technology_change_added": _l("Technologiewijziging vastgelegd"),
    "cameras.document_added": _l("Document juridisch kader toegevoegd"),
    "cameras.document_deleted": _l("Document juridisch kader verwijderd"),
    "cameras.footage_recorded": _l("Verzoek om camerabeelden vastgelegd"),
    "cameras.footage_log_viewed": _l("Vorderingenlog ingezien"),
    "cameras.health_imported": _l("Gezondheidsrapport van de camera's ingelezen"),
}
