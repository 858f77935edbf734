"""The audit actions of this area in words, for the activity feeds (collected by `app.areas.audit_labels`)."""

from flask_babel import lazy_gettext as _l

LABELS = {
    "plans.action_added": _l("Actie toegevoegd aan het uitvoeringsplan"),
    "plans.action_updated": _l("Actie gewijzigd"),
    "plans.action_moved": _l("Actie verplaatst"),
    "plans.action_status_changed": _l("Status van een actie gewijzigd"),
    "plans.action_note_added": _l("Voortgang van een actie vastgelegd"),
    "plans.action_deleted": _l("Actie uit het plan gehaald"),
    "plans.adopted": _l("Uitvoeringsplan vastgesteld"),
    "plans.start_moved": _l("Begin van het plan verschoven"),
    "plans.catalogue_item_saved": _l("Maatregel in de catalogus opgeslagen"),
    "plans.catalogue_item_deleted": _l("Maatregel uit de catalogus verwijderd"),
    "calendar.item_added": _l("Activiteit op de kalender gezet"),
    "calendar.item_updated": _l("Activiteit op de kalender gewijzigd"),
    "calendar.item_deleted": _l("Activiteit van de kalender gehaald"),
    "calendar.feed_enabled": _l("Agenda-abonnement aangezet"),
    "calendar.feed_renewed": _l("Nieuw adres voor het agenda-abonnement gemaakt"),
    "calendar.feed_disabled": _l("Agenda-abonnement uitgezet"),
}
