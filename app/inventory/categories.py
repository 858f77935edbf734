"""The categories of partner figures per source: police registrations, fire brigade call-outs, municipal MOR
reports (the categories that matter on parks, domain notes (f)) and the security company's alarms.

Keys are stored with each figure and used in imports (a file may give the key or the Dutch label); labels are
translated. Adding a category is one line; removing one would orphan stored figures.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.inventory.models import FigureSource

CATEGORIES: dict[FigureSource, dict[str, object]] = {
    FigureSource.POLITIE: {
        "inbraak_bedrijf": _l("Inbraak in bedrijfspand"),
        "poging_inbraak": _l("Poging tot inbraak"),
        "diefstal_terrein": _l("Diefstal van het terrein (materiaal, brandstof, koper)"),
        "diefstal_uit_voertuig": _l("Diefstal uit of vanaf een voertuig"),
        "diefstal_voertuig": _l("Diefstal van een voertuig"),
        "vernieling": _l("Vernieling en graffiti"),
        "brandstichting": _l("Brandstichting"),
        "bedreiging_geweld": _l("Bedreiging en geweld"),
        "overval": _l("Overval"),
        "fraude": _l("Fraude en oplichting"),
        "drugs_ondermijning": _l("Drugs en ondermijning"),
        "overig": _l("Overige incidenten"),
    },
    FigureSource.BRANDWEER: {
        "brand_gebouw": _l("Brand in een gebouw"),
        "buitenbrand": _l("Buitenbrand (container, afval, voertuig)"),
        "nodeloze_melding": _l("Nodeloze melding (automatisch brandalarm)"),
        "hulpverlening": _l("Hulpverlening en ongevallen"),
        "gevaarlijke_stoffen": _l("Incident met gevaarlijke stoffen"),
        "overig": _l("Overige uitrukken"),
    },
    FigureSource.MOR: {
        "afvaldumping": _l("Afvaldumping"),
        "gevaarlijk_afval": _l("Gevaarlijk afval en drugsafval"),
        "grofvuil": _l("Grofvuil"),
        "storing_persriool": _l("Storing persriool"),
        "stankoverlast_riool": _l("Stankoverlast riool"),
        "drukriolering": _l("Storing of verstopping drukriolering"),
        "groen": _l("Vernieling of achterstallig onderhoud groen"),
        "vernielingen": _l("Vernielingen (straatmeubilair, bebording)"),
        "overlast": _l("Overlast"),
        "leegstand": _l("Leegstand"),
        "stroperij": _l("Wild- en visstroperij"),
        "crossen": _l("Crossen"),
        "verkeersveiligheid": _l("Verkeersveiligheid"),
        "parkeeroverlast": _l("Parkeeroverlast (vrachtwagens, aanhangers)"),
        "overig": _l("Overige meldingen"),
    },
    FigureSource.BEVEILIGING: {
        "alarm": _l("Alarmopvolging"),
        "surveillance_bevinding": _l("Bevinding tijdens surveillance"),
        "camera_incident": _l("Incident op camerabeelden"),
        "overig": _l("Overige meldingen"),
    },
}


def category_label(source: FigureSource, key: str) -> str:
    """The category's label in the current language; the key itself for one that is no longer listed."""
    label = CATEGORIES.get(source, {}).get(key)
    return str(label) if label is not None else key


def is_category(source: FigureSource, key: str) -> bool:
    return key in CATEGORIES.get(source, {})
