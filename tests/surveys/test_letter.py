"""The mayor's letter: on the municipality's letterhead, one sheet per company (two, numbered, for a long text),
its address, the filled-in text in its language, the signatory, and a QR code of its own typeable link."""

from __future__ import annotations

from datetime import date

import pypdfium2
import pytest
import zxingcpp
from flask_babel import force_locale

from app.auth.models import Role
from app.stakeholders.logos import replace_logo
from app.surveys.letter import fill, letter_data, letter_pdf, place_of, signatory_lines
from app.surveys.models import Survey, SurveyInvitation
from tests.factories import (
    image_bytes,
    link_of,
    make_company,
    make_invitation,
    make_member,
    make_organisation,
    make_park,
)


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

    pages = pdf_pages(letter_pdf(survey, invitations, link_for=printed_link, today=date(2026, 10, 6)))

    assert len(pages) == len(companies)
    for (text, codes), invitation in zip(pages, invitations, strict=True):
        company = invitation.company
        assert codes == [printed_link(invitation)]
        assert company.name in text
        assert f"Geachte ondernemer van {company.name}," in text
        assert f"Vul de enquête in via {printed_link(invitation)} vóór 30 juni 2026." in text
        assert "Met vriendelijke groet, Burgemeester S. Dijksma" in text
        assert f"Datum {place_of(survey)}, 6 oktober 2026" in text
        assert f"Kenmerk ENQ-{survey.id}-{company.id}" in text
        assert "Onderwerp Uitnodiging enquête veiligheid Lage Weide" in text
        assert "Veilig Bedrijventerrein" not in text and "Pagina" not in text and "1/1" not in text
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


def test_a_long_letter_runs_on_to_a_second_sheet_numbered_per_letter(survey, companies):
    long_text = "\n\n".join(["Een lange alinea over veiligheid op het terrein. " * 12] * 6) + "\n\n{link}"
    survey.letter_text = long_text
    invitations = _invite(survey, *companies)
    companies[1].language = "en"
    survey.letter_text_en = "Short. {link}"

    pages = pdf_pages(letter_pdf(survey, invitations, link_for=printed_link))

    # Dutch long letter (2 sheets), English short one (1 sheet), Dutch long letter (2 sheets)
    assert len(pages) == 5
    texts = [page_text for page_text, _codes in pages]
    assert texts[0].endswith("1/2") and texts[1].endswith("2/2")
    assert "/2" not in texts[2] and "Pagina" not in texts[2]
    assert texts[3].endswith("1/2") and texts[4].endswith("2/2")
    # the QR code once per letter, at its end
    assert [codes for _text, codes in pages] == [
        [],
        [printed_link(invitations[0])],
        [printed_link(invitations[1])],
        [],
        [printed_link(invitations[2])],
    ]


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


def test_the_letterhead_is_the_municipalitys(survey, companies, app, tmp_path, upload_storage):
    municipality = survey.park.municipality
    municipality.name = "Gemeente Utrecht"
    municipality.letter_address = "Postbus 16200\n3500 CE  Utrecht"
    survey.letter_signatory = ""
    municipality.signatory_name = "Mr. A. de Vries"
    municipality.signatory_function = "burgemeester"
    replace_logo(municipality, image_bytes("PNG", size=(220, 96)))
    (invitation,) = _invite(survey, companies[0])

    data = letter_pdf(survey, [invitation], link_for=printed_link)
    ((text, _codes),) = pdf_pages(data)

    assert text.startswith("Gemeente Utrecht Postbus 16200 3500 CE Utrecht")
    assert "Retouradres Postbus 16200, 3500 CE Utrecht Transport Van Dam Industrieweg 12 3542 AD Utrecht" in text
    assert "Met vriendelijke groet, Mr. A. de Vries burgemeester" in text
    # the logo is drawn top left: the page's corner is red there
    page = pypdfium2.PdfDocument(data)[0].render(scale=1).to_pil().convert("RGB")
    assert page.getpixel((int(page.width * 0.15), int(page.height * 0.08))) == pytest.approx((200, 30, 30), abs=30)


def test_the_survey_signatory_wins_and_a_letter_is_never_unsigned(survey):
    municipality = survey.park.municipality
    municipality.name = "Gemeente Nieuwegein"
    municipality.signatory_name, municipality.signatory_function = "F. Jansen", "burgemeester"
    survey.letter_signatory = "Wethouder K. Smit"
    assert signatory_lines(survey) == ["Wethouder K. Smit"]
    survey.letter_signatory = "  "
    assert signatory_lines(survey) == ["F. Jansen", "burgemeester"]
    municipality.signatory_name = municipality.signatory_function = ""
    assert signatory_lines(survey) == ["De burgemeester van Nieuwegein"]


def test_an_english_company_gets_the_english_letter(survey, companies):
    companies[0].language = "en"
    survey.letter_text_en = "Dear {naam},\n\nPlease answer at {link} before {sluitdatum}."
    survey.closes_on = date(2026, 6, 30)
    invitations = _invite(survey, *companies[:2])

    english, dutch = pdf_pages(letter_pdf(survey, invitations, link_for=printed_link, today=date(2026, 10, 6)))

    assert "Dear Transport Van Dam, Please answer at" in english[0]
    assert "before June 30, 2026." in english[0]
    assert "Oct 6, 2026" in english[0] or "October 6, 2026" in english[0]
    assert "Geachte" not in english[0]
    assert english[1] == [printed_link(invitations[0])]
    assert "Geachte ondernemer" in dutch[0]


def test_without_an_english_text_the_default_english_letter_is_used(survey, companies):
    companies[0].language = "en"
    survey.letter_text_en = ""
    (invitation,) = _invite(survey, companies[0])
    with force_locale("en"):
        letter = letter_data(survey, invitation, "https://x/e/abcd")
    assert letter.paragraphs[0] == "Dear entrepreneur,"
    assert letter.closing == "Kind regards,"
    assert any("https://x/e/abcd" in paragraph for paragraph in letter.paragraphs)


def test_a_printed_first_page_is_not_blank(survey, companies):
    (invitation,) = _invite(survey, companies[0])
    image = pypdfium2.PdfDocument(letter_pdf(survey, [invitation], link_for=printed_link))[0].render(scale=1)
    grey = image.to_pil().convert("L")
    dark = sum(grey.histogram()[:128])
    assert dark > 0.01 * grey.width * grey.height


# The letter page: its preview, and the PDF preview in either language ---------------------------------------------


def test_the_letter_page_previews_the_first_letter_and_warns_of_a_missing_signatory(login_as, park, survey, companies):
    _invite(survey, *companies)
    survey.letter_signatory = ""
    advisor = make_member(Role.ADVISOR, park)
    page = login_as(advisor).get(f"/parken/{park.id}/enquete/brief").get_data(as_text=True)
    assert "Bakkerij De Korenaar" in page  # the first letter by company name
    assert "/e/abcd-efgh-jkmn-pqrs" in page  # an example link, never a company's own
    assert "nog geen ondertekenaar" in page and "De burgemeester van" in page
    # the advisor cannot change the municipality's letterhead: the page says who can
    assert "/briefpapier" not in page and "Vraag de gemeente" in page

    officer = make_member(Role.MUNICIPALITY, park, organisation=park.municipality)
    page = login_as(officer).get(f"/parken/{park.id}/enquete/brief").get_data(as_text=True)
    assert f"/organisaties/{park.municipality.id}/briefpapier" in page

    park.municipality.signatory_name = "J. van Dijk"
    page = login_as(advisor).get(f"/parken/{park.id}/enquete/brief").get_data(as_text=True)
    assert "nog geen ondertekenaar" not in page and "J. van Dijk" in page


@pytest.mark.parametrize(("language", "greeting"), [("nl", "Geachte ondernemer,"), ("en", "Dear entrepreneur,")])
def test_the_pdf_preview_in_each_language(login_as, park, survey, language, greeting):
    survey.letter_text_en = ""
    response = login_as(make_member(Role.ADVISOR, park)).get(
        f"/parken/{park.id}/enquete/brief/voorbeeld.pdf?taal={language}"
    )
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "inline" in response.headers["Content-Disposition"]
    ((text, codes),) = pdf_pages(response.data)
    assert greeting in text and "Voorbeeldbedrijf B.V." in text
    assert [code.rsplit("/", 2)[1:] for code in codes] == [["e", "abcd-efgh-jkmn-pqrs"]]


def test_the_pdf_preview_knows_two_languages_only(login_as, park, survey):
    client = login_as(make_member(Role.ADVISOR, park))
    assert client.get(f"/parken/{park.id}/enquete/brief/voorbeeld.pdf?taal=de").status_code == 404


def test_a_long_company_name_stays_inside_the_envelopes_window(survey, park):
    long_name = "Internationale Groothandel in Bevestigingsmaterialen en Gereedschappen Van der Zwaluw-Bakker B.V."
    company = make_company(park, name=long_name, street="Industrieweg", house_number=1, postcode="3542AD")
    (invitation,) = _invite(survey, company)
    document = pypdfium2.PdfDocument(letter_pdf(survey, [invitation], link_for=printed_link))
    try:
        textpage = document[0].get_textpage()
        start = textpage.get_text_range().index("Internationale")
        boxes = [textpage.get_charbox(index) for index in range(start, start + len(long_name))]
        # the address block starts 22 mm from the left; the window ends 22 + 90 mm from it
        assert boxes[0][0] == pytest.approx(22 / 25.4 * 72, abs=2)
        assert max(box[2] for box in boxes) <= (22 + 90) / 25.4 * 72
    finally:
        document.close()
