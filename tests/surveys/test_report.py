"""The survey report (PDF): plain data, then the document; read back as text, never compared as bytes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.auth.models import Role
from app.surveys.models import InvitationStatus, SurveyStatus
from app.surveys.report import report_data, report_pdf
from tests.factories import make_company, make_invitation, make_member, make_response
from tests.stakeholders import pdf_text
from tests.surveys.test_results import FIVE, REMARK, add_responses, two_cycles  # noqa: F401 - a fixture

SECTIONS = [
    "Methode",
    "Respons",
    "Resultaten",
    "Veiligheidsgevoel",
    "Slachtofferschap",
    "Schoon, heel en veilig",
    "Per sector",
    "Overige vragen",
    "Vergelijking met de vorige enquête",
    "Conclusies",
]


@pytest.fixture
def surveyed(db, survey, park):
    """The survey, closed, with FIVE answers, eight invitations (five used, one revoked) and dates."""
    survey.opens_on, survey.closes_on = date(2026, 2, 1), date(2026, 2, 28)
    survey.status = SurveyStatus.CLOSED
    for number in range(1, 9):
        status = InvitationStatus.USED if number <= 5 else InvitationStatus.INVITED
        if number == 8:
            status = InvitationStatus.REVOKED
        company = make_company(park, name=f"Bedrijf {number}", house_number=number, sector="bouw")
        make_invitation(survey, company=company, sector="bouw", status=status)
    add_responses(survey, FIVE)
    survey.conclusions = "Inbraak en zwerfvuil vragen om aanpak.\n\nDe werkgroep kiest in stap 4 de doelen."
    return survey


def test_plain_data(app, surveyed, park):
    with app.test_request_context():
        data = report_data(surveyed, today=date(2026, 3, 5))
    assert data.title == "Rapport ondernemersenquête Lage Weide"
    assert (data.park, data.municipality, data.cycle_number) == ("Lage Weide", park.municipality.name, 1)
    assert (data.opens_on, data.closes_on, data.made_on, data.ready) == (
        date(2026, 2, 1),
        date(2026, 2, 28),
        date(2026, 3, 5),
        False,
    )
    assert (data.response.invited, data.response.opened, data.response.completed) == (7, 5, 5)
    assert data.results.responses == 5 and not data.results.include_text


def test_report_has_every_section_and_the_numbers_of_the_responses(app, surveyed):
    with app.test_request_context():
        words = pdf_text(report_pdf(surveyed, compress=False, today=date(2026, 3, 5)))
    for section in SECTIONS:
        assert section in words, section
    # cover
    assert "Rapport ondernemersenquête Lage Weide" in words
    assert "1 februari 2026 tot en met 28 februari 2026" in words and "5 maart 2026" in words
    assert "Concept: de adviseur heeft dit rapport nog niet als klaar gemeld." in words
    # method and response
    assert "7 bedrijven op Lage Weide kregen een persoonlijke uitnodiging" in words
    assert "Uitkomsten over minder dan 5 respondenten worden niet getoond" in words
    assert "7 bedrijven zijn uitgenodigd; 5 openden de enquête en 5 vulden hem in: een respons van 71,4 %" in words
    assert "In totaal zijn 5 ingevulde enquêtes verwerkt." in words
    # the municipality is named once: the row says "Gemeente", its value the place
    assert "Gemeente Lage Weide" not in words and "Gemeente Gemeente" not in words
    # safety feeling: the means 3,6 (day), 1,8 (after dark) and the grade 6,0
    assert "Hoe veilig voelt u zich overdag op het bedrijventerrein? 3,6" in words
    assert "Hoe veilig voelt u zich na donker op het bedrijventerrein? 1,8" in words
    assert "6,0" in words
    # victimisation: inbraak and vernieling 2 of 5; a victim of anything: 3 of 5
    assert "Inbraak in het pand 2 40,0 %" in words
    assert "Vernieling of graffiti 2 40,0 %" in words
    assert "Slachtoffer van minstens één delict: 60,0 %." in words
    # themes: zwerfvuil 3 of 5 with some or a lot of nuisance, verlichting 2 of 5
    assert "Zwerfvuil en afvaldumping 3 60,0 %" in words
    assert "Kapotte of ontbrekende verlichting 2 40,0 %" in words
    # the chart's own labels
    assert "40 %" in words and "60 %" in words
    # sectors of fewer than five are held back; free text never goes into the report
    assert "Productie en industrie te weinig antwoorden om te tonen" in words
    assert REMARK not in words and "Politie kwam niet" not in words
    assert "Er is geen eerdere enquête op dit bedrijventerrein om mee te vergelijken." in words
    assert "Inbraak en zwerfvuil vragen om aanpak. De werkgroep kiest in stap 4 de doelen." in words


def test_report_when_ready_is_no_concept(app, surveyed):
    surveyed.status = SurveyStatus.CLOSED
    surveyed.report_ready_at = datetime(2026, 3, 5, tzinfo=UTC)
    with app.test_request_context():
        words = pdf_text(report_pdf(surveyed, compress=False))
    assert "Concept" not in words


def test_report_with_too_few_answers_shows_none(app, survey):
    add_responses(survey, FIVE[:4])
    survey.status = SurveyStatus.CLOSED
    with app.test_request_context():
        words = pdf_text(report_pdf(survey, compress=False))
    assert "Er zijn 4 antwoorden, minder dan 5: te weinig antwoorden om te tonen." in words
    assert "Slachtofferschap" not in words and "Inbraak in het pand" not in words
    assert "De adviseur heeft nog geen conclusies geschreven." in words


def test_report_compares_with_the_previous_cycle(app, two_cycles):  # noqa: F811 - the fixture
    _earlier, current = two_cycles
    with app.test_request_context():
        words = pdf_text(report_pdf(current, compress=False))
    assert "De vorige enquête (Nulmeting 2024, cyclus 1) had 5 antwoorden." in words
    assert "Slachtoffer van minstens één delict 60,0 % +20,0" in words
    assert "Slachtoffer: Inbraak in het pand 40,0 % +20,0" in words
    assert "Overlast: Zwerfvuil en afvaldumping 60,0 % 0,0" in words


def test_user_text_cannot_break_the_pdf(app, surveyed):
    surveyed.conclusions = "<b>vet</b> & <font size=40>groot</font>"
    surveyed.title = "Enquête <2026>"
    with app.test_request_context():
        words = pdf_text(report_pdf(surveyed, compress=False))
    assert "<b>vet</b> & <font size=40>groot</font>" in words and "Enquête <2026>" in words


@pytest.mark.parametrize("role", [Role.PARTNER, Role.AUDITOR, Role.MUNICIPALITY])
def test_report_download(login_as, park, surveyed, role):
    response = login_as(make_member(role, park)).get(f"/parken/{park.id}/enquete/resultaten/rapport.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert "enquete-rapport-lage-weide-" in response.headers["Content-Disposition"]


def test_report_counts_the_public_link_only_when_neither_way_is_small(app, surveyed):
    make_response(surveyed, via_public_link=True)
    with app.test_request_context():
        words = pdf_text(report_pdf(surveyed, compress=False, today=date(2026, 3, 5)))
    assert "niet apart getoond: langs een van beide wegen kwamen er minder dan 5." in words
    assert "Via de openbare link kwamen nog" not in words
    for _ in range(4):
        make_response(surveyed, via_public_link=True)
    with app.test_request_context():
        words = pdf_text(report_pdf(surveyed, compress=False, today=date(2026, 3, 5)))
    assert "Via de openbare link kwamen nog 5 antwoorden binnen." in words


def test_report_counts_one_in_the_singular(app, db, survey, park):
    """One invitation, one opened, one answer: "1 bedrijf is uitgenodigd", never "1 bedrijven"."""
    survey.opens_on, survey.closes_on = date(2026, 2, 1), date(2026, 2, 28)
    survey.status = SurveyStatus.CLOSED
    company = make_company(park, name="Bedrijf 1", house_number=1, sector="bouw")
    make_invitation(survey, company=company, sector="bouw", status=InvitationStatus.USED)
    add_responses(survey, FIVE[:1])
    with app.test_request_context():
        words = pdf_text(report_pdf(survey, compress=False, today=date(2026, 3, 5)))
    assert "1 bedrijf op Lage Weide kreeg een persoonlijke uitnodiging" in words
    assert "1 bedrijf is uitgenodigd; 1 opende de enquête en 1 vulde hem in" in words
    assert "In totaal is 1 ingevulde enquête verwerkt." in words
    assert "Er is 1 antwoord, minder dan 5" in words
    assert "1 bedrijven" not in words and "1 antwoorden" not in words
