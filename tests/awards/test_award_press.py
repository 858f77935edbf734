"""The press release: numbers written as a journalist writes them, the same content as copyable text and as a Word
document (opened here with python-docx) with a quote placeholder per partner and the park's map."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from docx import Document
from docx.enum.text import WD_COLOR_INDEX

from app.awards import services
from app.awards.press import change_text, draft_press_release, press_release_docx
from app.extensions import db as _db
from app.parks.models import Track
from app.plans.models import Direction, Goal, Theme
from tests.awards.support import grant, make_world

AREA = {"type": "Polygon", "coordinates": [[[5.05, 52.10], [5.07, 52.10], [5.07, 52.11], [5.05, 52.11], [5.05, 52.10]]]}
TODAY = date(2027, 3, 10)


@pytest.mark.parametrize(
    ("baseline", "target", "unit", "written"),
    [
        (31, 15, "meldingen", "van 31 naar 15\u00a0meldingen"),
        (40, 60, "%", "van 40 naar 60\u00a0procent"),
        (18.8, 60, "%", "van 19 naar 60\u00a0procent"),
        (2, 1, "inbraken", "van 2 naar 1\u00a0inbraak"),
        (31, 15, "aantal", "van 31 naar 15"),
        (1200, 800, "", "van 1.200 naar 800"),
        (6.5, 7.5, "cijfer", "van een 6,5 naar een 7,5"),
        (None, 60, "%", "naar 60\u00a0procent"),
        (3, 1, "keer per jaar", "van 3 naar 1\u00a0keer per jaar"),
    ],
)
def test_numbers_are_written_as_a_journalist_writes_them(app, baseline, target, unit, written):
    with app.test_request_context():
        assert change_text(baseline, target, unit) == written


def _goals(world) -> None:
    for theme, title, indicator, unit, baseline, target in (
        (Theme.SCHOON, "Minder afvaldumpingen", "Aantal MOR-meldingen van afvaldumping per jaar", "meldingen", 31, 15),
        (Theme.VEILIG, "Minder inbraken", "Inbraken in bedrijfspanden per jaar", "aantal", 12, 6),
        (Theme.VEILIG, "Veiliger gevoel na donker", "Deel dat zich na donker veilig voelt", "%", 40, 60),
        (Theme.HEEL, "Verlichting op orde", "Rapportcijfer voor de verlichting", "cijfer", 6.5, 7.5),
    ):
        _db.session.add(
            Goal(
                cycle=world.cycle,
                theme=theme,
                title=title,
                indicator=indicator,
                unit=unit,
                direction=Direction.DOWN,
                baseline=baseline,
                target=target,
                deadline=date(2028, 10, 1),
            )
        )
    _db.session.flush()


def _document(data: bytes):
    document = Document(BytesIO(data))
    return document, [paragraph.text for paragraph in document.paragraphs]


def test_the_word_document_reads_as_a_press_release(app, db):
    world = make_world()
    world.park.track = Track.KVO
    world.park.area = AREA
    _goals(world)
    award = grant(world)
    services.set_ceremony(world.advisor, world.cycle, on=date(2027, 4, 15))
    with app.test_request_context():
        data = press_release_docx(world.cycle, award, today=TODAY)
    document, paragraphs = _document(data)
    text = "\n".join(paragraphs)
    assert paragraphs[0] == "Bedrijventerrein Lage Weide krijgt Keurmerk Veilig Ondernemen"
    assert document.paragraphs[0].style.name == "Title"
    assert document.core_properties.title == paragraphs[0]
    # the lead: the place in capitals, the ceremony still to come, three years on the KVO-B track
    assert paragraphs[1].startswith("UTRECHT LAGE WEIDE \u2013 Bedrijventerrein Lage Weide ontvangt op 15 april 2027")
    assert "Ondernemers, de gemeente Utrecht Lage Weide en hun partners" in paragraphs[1]
    assert "de komende drie jaar" in paragraphs[1]
    assert "Politie Lage Weide, Brandweer Lage Weide en Ondernemersvereniging Lage Weide" in text
    for sentence in (
        "Minder afvaldumpingen: van 31 naar 15\u00a0meldingen in oktober 2028 (aantal MOR-meldingen van afvaldumping "
        "per jaar).",
        "Minder inbraken: van 12 naar 6 in oktober 2028 (inbraken in bedrijfspanden per jaar).",
        "Veiliger gevoel na donker: van 40 naar 60\u00a0procent in oktober 2028",
        "Verlichting op orde: van een 6,5 naar een 7,5 in oktober 2028",
    ):
        assert sentence in text, sentence
    assert "aantal" not in text.replace("(aantal MOR", "")
    assert "%" not in text
    # a placeholder per partner, under the name and function of who signed for it, marked to be replaced
    quotes = [p for p in document.paragraphs if p.text.startswith("[Citaat")]
    assert [q.text for q in quotes] == [
        "[Citaat van Gerrit Gemeente, Burgemeester van Gemeente Utrecht Lage Weide]",
        "[Citaat van Wendy Wijkagent, Teamchef van Politie Lage Weide]",
        "[Citaat van Bram Brandweer, Commandant van Brandweer Lage Weide]",
        "[Citaat van Olga Ondernemer, Voorzitter van Ondernemersvereniging Lage Weide]",
    ]
    assert all(run.font.highlight_color == WD_COLOR_INDEX.YELLOW for q in quotes for run in q.runs)
    # the quotes are the only thing to fill in
    assert text.count("[") == len(quotes)
    assert "Geldig" not in text and "De erkenning is geldig tot en met 28 februari 2030." in text
    assert "voor verlenging volgt een nieuwe audit" in text
    # the map, and the note for the editors with the ceremony and the municipal contact
    assert len(document.inline_shapes) == 1
    assert "Noot voor de redactie (niet voor publicatie)" in paragraphs
    assert "De uitreiking is op donderdag 15 april 2027 op bedrijventerrein Lage Weide." in text
    assert f"Meer informatie: Gerrit Gemeente, Gemeente Utrecht Lage Weide, {world.officer.email}." in text


def test_the_english_version_and_a_park_without_a_map(app, db):
    world = make_world()
    _goals(world)
    award = grant(world)
    with app.test_request_context():
        dutch = _document(press_release_docx(world.cycle, award, today=TODAY))
        english = _document(press_release_docx(world.cycle, award, today=TODAY, language="en"))
    assert len(dutch[0].inline_shapes) == 0  # no area drawn: no map, and no empty frame for one
    # the grant lies in the past: the park has received it
    assert (
        "Bedrijventerrein Lage Weide heeft op 1 maart 2027 de Waardering Veilig Bedrijventerrein ontvangen."
        in (dutch[1][1])
    )
    assert english[0].core_properties.language == "en"
    assert dutch[0].core_properties.language == "nl"
    english_text = "\n".join(english[1])
    # numbers in the English way (the words follow the English catalogue)
    assert "6.5" in english_text and "6,5" not in english_text
    assert "March 1, 2027" in english_text


def test_the_text_draft_says_the_same(app, db):
    world = make_world()
    _goals(world)
    award = grant(world)
    with app.test_request_context():
        text = draft_press_release(world.cycle, award, today=TODAY)
    assert text.startswith(
        "Bedrijventerrein Lage Weide krijgt Waardering Veilig Bedrijventerrein\n\nUTRECHT LAGE WEIDE - "
    )
    assert "- Minder afvaldumpingen: van 31 naar 15\u00a0meldingen in oktober 2028" in text
    assert "[Citaat van Olga Ondernemer, Voorzitter van Ondernemersvereniging Lage Weide]" in text
    assert "Meer informatie: Gerrit Gemeente" in text
