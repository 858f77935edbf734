from __future__ import annotations

import re

import pytest
from reportlab.platypus import PageBreak, Paragraph

from app.auth.models import Role
from app.reports import build_pdf, styles
from app.stakeholders.declaration import declaration_data, declaration_pdf
from app.stakeholders.models import OrganisationType, PpsRole, Stakeholder
from tests.factories import make_member, make_organisation
from tests.stakeholders import cycle_of, pdf_text

T = OrganisationType


def _stakeholder(cycle, organisation, role, **fields) -> Stakeholder:
    stakeholder = Stakeholder(organisation=organisation, role=role, **fields)
    cycle.stakeholders.append(stakeholder)
    return stakeholder


@pytest.fixture
def cycle(db, park):
    cycle = cycle_of(park)
    _stakeholder(
        cycle,
        park.municipality,
        PpsRole.GEMEENTE,
        representative_name="Gerrit Gemeente",
        signatory_name="Drs. M. Jansen",
        signatory_function="Burgemeester",
    )
    _stakeholder(
        cycle,
        make_organisation(name="Politie Midden-Nederland", type=T.POLITIE),
        PpsRole.POLITIE,
        representative_name="Peter Politie",
        signatory_name="J. de Boer",
        signatory_function="Teamchef Utrecht-West",
    )
    _stakeholder(
        cycle,
        make_organisation(name="Vos & Zonen <Beveiliging>", type=T.BEVEILIGING),
        PpsRole.BEVEILIGING,
    )
    chair = make_member(Role.ENTREPRENEUR, park, name="Olga Ondernemer")
    cycle.chair_id = chair.id
    return cycle


def test_plain_data_lists_parties_and_signatories(cycle, park):
    data = declaration_data(cycle)
    assert data.title == "Intentieverklaring Veilig Bedrijventerrein Lage Weide"
    assert [(p.organisation, p.representative) for p in data.parties] == [
        (park.municipality.name, "Gerrit Gemeente"),
        ("Politie Midden-Nederland", "Peter Politie"),
        ("Vos & Zonen <Beveiliging>", None),
    ]
    assert [(s.name, s.function) for s in data.signatories] == [
        ("Drs. M. Jansen", "Burgemeester"),
        ("J. de Boer", "Teamchef Utrecht-West"),
        (None, None),
    ]
    assert (data.chair, data.secretary) == ("Olga Ondernemer", None)


@pytest.mark.parametrize("compress", [True, False])
def test_pdf_shows_park_text_parties_and_a_signature_block_per_signatory(cycle, park, compress):
    text = pdf_text(declaration_pdf(cycle, compress=compress))
    assert "Intentieverklaring Veilig Bedrijventerrein Lage Weide" in text
    assert "Veilig Bedrijventerrein" in text and "Pagina 1 van" in text
    assert "schoon, heel en veilig bedrijventerrein Lage Weide" in text
    assert "Keurmerk Veilig Ondernemen" in text
    for expected in (
        park.municipality.name,
        "Politie Midden-Nederland",
        "Vos & Zonen <Beveiliging>",
        "Gemeente (regie)",
        "Beveiliging / meldkamer",
        "Gerrit Gemeente",
        "Peter Politie",
        "Voorzitter: Olga Ondernemer",
    ):
        assert expected in text
    signing = text[text.index("Ondertekening") :]
    for name, function in (("Drs. M. Jansen", "Burgemeester"), ("J. de Boer", "Teamchef Utrecht-West")):
        assert f"Naam: {name} Functie: {function} Datum:" in signing
    # every party gets a block, the one without a named signatory with lines to fill in
    assert signing.count("Handtekening:") == 3
    assert signing.count("Datum:") == 3
    assert re.search(r"Vos & Zonen <Beveiliging> Naam: _+ Functie: _+ Datum:", signing)


def test_a_missing_signatory_is_noticed(cycle):
    cycle.stakeholders[1].signatory_name = None
    cycle.stakeholders[1].signatory_function = None
    text = pdf_text(declaration_pdf(cycle))
    assert "J. de Boer" not in text
    assert text.count("Handtekening:") == 3


def test_pdf_without_stakeholders(db, park):
    text = pdf_text(declaration_pdf(cycle_of(park)))
    assert "Er zijn nog geen deelnemende organisaties." in text
    assert "Handtekening:" not in text


def test_layout_numbers_pages_and_turns_to_landscape(app, db):
    flowables = [Paragraph("Eerste", styles()["body"]), PageBreak(), Paragraph("Tweede", styles()["body"])]
    data = build_pdf("Proef", flowables, landscape=True)
    text = pdf_text(data)
    assert "Pagina 1 van 2" in text and "Pagina 2 van 2" in text and "Proef" in text
    media_box = re.search(rb"/MediaBox \[ 0 0 ([\d.]+) ([\d.]+) \]", data)
    assert media_box is not None and float(media_box.group(1)) > float(media_box.group(2))
