"""Wording shared by the documents: long dates, a municipality's place name and a park's place line."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

#: the word a municipality's name may start with, which a sentence such as "in de gemeente ..." already says
_MUNICIPALITY_WORDS = ("gemeente ", "municipality of ")


def long_date(day: date | None) -> str:
    """ "6 oktober 2026" (en "October 6, 2026") in the current locale; a dash when there is no date."""
    return format_date(day, "long") if day is not None else "—"


def place_name(municipality: str) -> str:
    """ "Utrecht" for "Gemeente Utrecht": the municipality's name without the word the sentence around it says."""
    for word in _MUNICIPALITY_WORDS:
        if municipality.lower().startswith(word) and municipality[len(word) :].strip():
            return municipality[len(word) :].strip()
    return municipality


def municipality_phrase(municipality: str) -> str:
    """ "de gemeente Utrecht" (en "the municipality of Utrecht"), never "de gemeente Gemeente Utrecht"; a name that
    is not a municipality's ("Waterschap De Dommel") as it is."""
    place = place_name(municipality)
    return _("de gemeente %(place)s", place=place) if place != municipality else municipality


def park_place(park: str, municipality: str) -> str:
    """ "Cartesiusweg, gemeente Utrecht" (en "Cartesiusweg, municipality of Utrecht"): a document's place line."""
    return _("%(park)s, gemeente %(municipality)s", park=park, municipality=place_name(municipality))
