"""The mayor's letter: one A4 page per company, its address, the filled-in text, and a QR code of its own link."""

from __future__ import annotations

from datetime import date

import pypdfium2
import pytest
import zxingcpp

from app.surveys.letter import fill, letter_data, letter_pdf
from app.surveys.models import Survey, SurveyInvitation
from tests.factories import link_of, make_company, make_invitation, make_organisation, make_park


def pdf_pages(data: bytes) -> list[tuple[str, list[str]]]:
    """Per page of the PDF: its text, and what the QR codes on it say (the page rendered and read by zxing-cpp)."""
    document = pypdfium2.PdfDocument(data)
    try:
        pages = []
        for page in document:
            text = page.get_textpage().get_text_range()
            image = page.render(scale=2).to_pil()
            codes = [
                code.text for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode
            ]
            pages.append((" ".join(text.split()), codes))
            page.close()
        return pages
    finally:
        document.close()


def printed_link(invitation: SurveyInvitation) -> str:
    return f"https://vb.example.nl/enquete/{link_of(invitation)}"


def _invite(survey, *companies) -> list[SurveyInvitation]:
    return [make_invitation(survey, company=company, sector=company.sector) for company in companies]


@pytest.fixture
def companies(park):
    return [
        make_company(park, name="Transport Van Dam", street="Industrieweg", house_number=12, postcode="3542AD"),
        make_company(
            park,
            name="Bakkerij De Korenaar",
            street="Atoomweg",
            house_number=7,
            house_number_addition="B",
            postcode="3542AB",
        ),
        make_company(park, name="Metaal & Co <BV>", street="Ampèrestraat", house_number=3, postcode="3542AC"),
    ]


def test_one_page_per_company_with_its_own_qr_code(survey, companies):
    survey.letter_text = "Geachte ondernemer van {naam},\n\nVul de enquête in via {link} vóór {sluitdatum}."
    survey.letter_signatory = "Burgemeester S. Dijksma"
    survey.closes_on = date(2026, 6, 30)
    invitations = _invite(survey, *companies)

    pages = pdf_pages(letter_pdf(survey, invitations, link_for=printed_link))

    assert len(pages) == len(companies)
    for (text, codes), invitation in zip(pages, invitations, strict=True):
        company = invitation.company
        assert codes == [printed_link(invitation)]
        assert company.name in text
        assert f"Geachte ondernemer van {company.name}," in text
        assert f"Vul de enquête in via {printed_link(invitation)} vóór 30 juni 2026." in text
        assert "Burgemeester S. Dijksma" in text
        assert "{naam}" not in text and "{link}" not in text and "{sluitdatum}" not in text
    assert "Industrieweg 12 3542 AD" in pages[0][0]
    assert "Atoomweg 7B 3542 AB" in pages[1][0]
    assert "Metaal & Co <BV>" in pages[2][0]


def test_the_place_is_the_municipality_without_gemeente(db):
    park = make_park(name="Hoogveld", municipality=make_organisation(name="Gemeente Amersfoort"))
    company = make_company(park, name="Van Hal", street="Hoogveldweg", house_number=1, postcode="3821AB")
    survey = Survey(park=park, cycle=park.cycles[0], title="Enquête", definition={}, letter_text="{link}")
    (invitation,) = _invite(survey, company)
    letter = letter_data(survey, invitation, "https://x/y")
    assert letter.address == ["Van Hal", "Hoogveldweg 1", "3821 AB Amersfoort"]


def test_a_long_letter_still_takes_one_page_per_company(survey, companies):
    survey.letter_text = "\n\n".join(["Een lange alinea over veiligheid op het terrein. " * 12] * 12) + "\n\n{link}"
    invitations = _invite(survey, *companies[:2])
    pages = pdf_pages(letter_pdf(survey, invitations, link_for=printed_link))
    assert len(pages) == 2
    assert [codes for _text, codes in pages] == [[printed_link(i)] for i in invitations]


def test_companies_that_left_the_register_are_left_out(survey, companies, db):
    invitations = _invite(survey, *companies[:2])
    db.session.flush()
    db.session.delete(companies[0])
    db.session.flush()
    db.session.expire_all()
    pages = pdf_pages(letter_pdf(survey, survey.invitations, link_for=printed_link))
    assert len(pages) == 1
    assert pages[0][1] == [printed_link(invitations[1])]


def test_no_letters_gives_a_page_that_says_so(survey):
    pages = pdf_pages(letter_pdf(survey, [], link_for=printed_link))
    assert len(pages) == 1
    assert "Er zijn geen brieven om af te drukken." in pages[0][0]


def test_only_the_three_placeholders_are_filled():
    filled = fill("{naam} {link} {sluitdatum} {other} {{x}}", name="A", link="B", closes_on="C")
    assert filled == "A B C {other} {{x}}"


def test_without_a_closing_date_the_letter_says_to_be_announced(survey, companies):
    survey.closes_on = None
    survey.letter_text = "Sluit op {sluitdatum}. {link}"
    (invitation,) = _invite(survey, companies[0])
    assert letter_data(survey, invitation, "https://x/y").paragraphs == ["Sluit op nader te bepalen. https://x/y"]
