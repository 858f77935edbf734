"""The action plan PDF: plain data, then the document read back as text."""

from __future__ import annotations

from datetime import date

import pypdfium2
import pypdfium2.raw as pdfium_c

from app.plans import pdf, services, versions
from app.plans.models import Theme
from app.stakeholders.models import PpsRole
from tests.factories import make_member
from tests.plans.conftest import TODAY, set_goal
from tests.stakeholders import pdf_text


def _fill(plan, advisor, core):
    from app.auth.models import Role

    cycle = plan.cycle
    chair = make_member(Role.ENTREPRENEUR, cycle.park, name="Olga Ondernemer")
    cycle.chair_id = chair.id
    set_goal(
        advisor,
        cycle,
        theme=Theme.SCHOON,
        title="Minder zwerfvuil",
        indicator="Meldingen van afvaldumping per jaar",
        baseline=40,
        target=20,
        unit="meldingen",
    )
    services.add_action(advisor, plan, title="Schoonmaakactie", quarter=2, owners=[core[PpsRole.ONDERNEMERS]])
    services.add_action(
        advisor, plan, title="Integrale controle", quarter=5, owners=[core[PpsRole.GEMEENTE], core[PpsRole.POLITIE]]
    )
    services.add_action(advisor, plan, title="Nog zonder eigenaar", quarter=8)


def test_plain_data(app, db, plan, advisor, core):
    _fill(plan, advisor, core)
    with app.test_request_context():
        data = pdf.plan_document(plan, today=TODAY)
    assert data.title == "Uitvoeringsplan Lage Weide"
    assert data.period == "K1 (1e kw. 2026) tot en met K8 (4e kw. 2027)"
    assert (data.chair, data.secretary) == ("Olga Ondernemer", "nog niet gekozen")
    assert [c.contact for c in data.contacts] == [
        f"Contact {r}" for r in ("gemeente", "politie", "brandweer", "ondernemers")
    ]
    (schoon, schoon_goals), *_rest = data.goals
    assert schoon == "Schoon" and schoon_goals[0].baseline == "40\u00a0meldingen"
    assert [a.title for a in data.quarters[1].actions] == ["Schoonmaakactie"]
    assert data.quarters[4].label == "K5 (1e kw. 2027)"
    assert data.matrix_rows[1][0] == "Politie Midden-Nederland" and data.matrix_rows[1][5] == "Integrale controle"
    assert data.matrix_rows[-1][0] == "Zonder eigenaar"
    assert data.adoption is None


def test_the_pdf_says_concept_until_adopted(app, db, plan, advisor, core):
    _fill(plan, advisor, core)
    with app.test_request_context():
        text = pdf_text(pdf.plan_pdf(plan, today=TODAY, compress=False))
    for expected in (
        "Uitvoeringsplan Lage Weide",
        "Concept: dit plan is nog niet vastgesteld.",
        "Voorzitter: Olga Ondernemer",
        "Contact politie",
        "Minder zwerfvuil",
        "Acties per kwartaal",
        "K2 (2e kw. 2026)",
        "Schoonmaakactie",
        "Overzicht per deelnemer en kwartaal",
        "Zonder eigenaar",
    ):
        assert expected in text, expected


def test_the_pdf_records_the_adoption(app, db, plan, advisor, core):
    _fill(plan, advisor, core)
    with app.test_request_context():
        versions.adopt(
            advisor, plan, meeting="werkgroepvergadering van 5 maart 2026", adopted_on=date(2026, 3, 5), today=TODAY
        )
        text = pdf_text(pdf.plan_pdf(plan, today=TODAY, compress=False))
        assert "Vastgesteld in de werkgroepvergadering van 5 maart 2026 op 5 maart 2026 (versie 1)." in text
        assert "sindsdien gewijzigd" not in text
        services.add_action(advisor, plan, title="Meldwijzer", quarter=1)
        text = pdf_text(pdf.plan_pdf(plan, today=TODAY, compress=False))
    assert "sindsdien gewijzigd" in text
    assert "Concept" not in text


def test_the_area_map_follows_the_plan(app, db, plan, advisor, core):
    with app.test_request_context():
        without = pdf.plan_pdf(plan, today=TODAY, compress=False)
        plan.cycle.park.area = {
            "type": "Polygon",
            "coordinates": [[[5.05, 52.10], [5.07, 52.10], [5.07, 52.11], [5.05, 52.11], [5.05, 52.10]]],
        }
        with_area = pdf.plan_pdf(plan, today=TODAY, compress=False)
    assert "Het gebied" not in pdf_text(without)
    document = pypdfium2.PdfDocument(with_area)
    last = document[len(document) - 1]
    assert "Het gebied" in last.get_textpage().get_text_range()
    assert len(list(last.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))) == 1
    document.close()
