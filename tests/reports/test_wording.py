"""The wording the documents share: a municipality's place name and how a sentence names it."""

from __future__ import annotations

from app.reports.wording import municipality_phrase, park_place, place_name


def test_the_place_is_the_municipality_without_gemeente(app):
    assert place_name("Gemeente Utrecht") == "Utrecht"
    assert place_name("gemeente Utrecht") == "Utrecht"
    assert place_name("Stichting Parkmanagement") == "Stichting Parkmanagement"
    assert place_name("Gemeente ") == "Gemeente "


def test_a_sentence_names_the_municipality_once(app):
    with app.test_request_context():
        assert municipality_phrase("Gemeente Utrecht") == "de gemeente Utrecht"
        assert municipality_phrase("Waterschap De Dommel") == "Waterschap De Dommel"
        assert park_place("Cartesiusweg", "Gemeente Utrecht") == "Cartesiusweg, gemeente Utrecht"
