"""The certificates: only for a granted award; framed landscape A4 pages without report header or page numbers
that name park, municipality, partners, period and every signatory, with the partners' logos; one personal
oorkonde per working-group member."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from io import BytesIO

import pikepdf
import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest

from app.awards import services
from app.awards.certificates import certificate_data, certificate_pdf, personal_certificates_pdf, working_group
from app.parks.models import Track
from tests.awards.support import NOW, add_partners, give_logo, grant, make_world, request, sign_as

COLOURS = ("#c0392b", "#1e8449", "#2e86c1", "#b9770e", "#7d3c98", "#17a589", "#cb4335", "#5d6d7e")


def pages_of(data: bytes) -> list[dict]:
    """Per page: its text (whitespace collapsed), width and height in points, the number of images drawn on it and
    the share of its pixels that are not white."""
    document = pypdfium2.PdfDocument(data)
    try:
        pages = []
        for page in document:
            text = page.get_textpage().get_text_range()
            width, height = page.get_size()
            images = len(list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=5)))
            bitmap = page.render(scale=0.3).to_pil().convert("L")
            inked = sum(bitmap.histogram()[:240]) / (bitmap.width * bitmap.height)
            pages.append(
                {"text": " ".join(text.split()), "width": width, "height": height, "images": images, "ink": inked}
            )
            page.close()
        return pages
    finally:
        document.close()


def check_clean(data: bytes) -> None:
    """qpdf's checker finds nothing wrong with the PDF."""
    with pikepdf.open(BytesIO(data)) as pdf:
        assert pdf.check_pdf_syntax() == []


def test_the_certificate_is_one_framed_landscape_page_with_every_signatory(app, db):
    world = make_world()
    request(world)
    for days, stakeholder in enumerate(world.stakeholders):
        sign_as(world, stakeholder, now=NOW + timedelta(days=days), function=f"Functie nummer {days + 1}")
    award = services.find_award(world.cycle)
    with app.test_request_context():
        data = certificate_pdf(award)
    [page] = pages_of(data)
    check_clean(data)
    assert page["width"] > page["height"]  # landscape
    assert round(page["width"]) == 842 and round(page["height"]) == 595  # A4
    assert page["ink"] > 0.02  # a frame and text, not a blank page
    text = page["text"]
    for part in (
        "Waardering Veilig Bedrijventerrein",
        "toegekend aan bedrijventerrein",
        "Lage Weide",
        "Geldig van 4 maart 2027 tot en met 3 maart 2029",
        "Politie Lage Weide · Brandweer Lage Weide · Ondernemersvereniging Lage Weide",
    ):
        assert part in text, part
    # the municipality's name as it is, never "gemeente Gemeente ..."
    assert "Gemeente Utrecht Lage Weide" in text and "gemeente Gemeente" not in text.replace("\n", " ")
    # a certificate, not a report page: no placeholder box, no page numbers, no platform header
    for absent in ("Ruimte voor", "Pagina", "van 1"):
        assert absent not in text, absent
    for number, stakeholder in enumerate(world.stakeholders, start=1):
        # the real signer, logged in under their own name, with function and organisation
        assert world.signer_of(stakeholder).name in text
        assert f"Functie nummer {number}" in text
        assert stakeholder.organisation.name in text
    for day in ("1 maart 2027", "2 maart 2027", "3 maart 2027", "4 maart 2027"):
        assert f"getekend op {day}" in text
    # the municipal officer signed for the municipality: the mayor, its pre-filled signatory, did not
    assert "Gerrit Gemeente" in text and "Burgemeester Dijksma" not in text
    assert page["images"] == 0  # no partner has a logo: no logo row and no empty box


def test_the_partners_logos_are_drawn(app, db, upload_storage):
    world = make_world()
    for stakeholder, colour in zip((world.municipality, world.police, world.entrepreneurs), COLOURS, strict=False):
        give_logo(stakeholder.organisation, colour)
    award = grant(world)
    with app.test_request_context():
        data = certificate_pdf(award)
        oorkondes = personal_certificates_pdf(award)
    [page] = pages_of(data)
    assert page["images"] == 3  # the fire brigade has no logo
    assert all(page["images"] == 3 for page in pages_of(oorkondes))


def test_the_kvo_certificate_has_the_quality_mark_title_and_three_years(app, db):
    world = make_world()
    world.park.track = Track.KVO
    award = grant(world)
    with app.test_request_context():
        text = pages_of(certificate_pdf(award))[0]["text"]
    assert "Keurmerk Veilig Ondernemen" in text
    assert "Waardering Veilig Bedrijventerrein" not in text
    assert "Geldig van 1 maart 2027 tot en met 28 februari 2030" in text


def test_ten_partners_with_logos_still_fit_one_page(app, db):
    world = make_world()
    add_partners(world, 6)
    for stakeholder, colour in zip(world.stakeholders, COLOURS * 2, strict=False):
        give_logo(stakeholder.organisation, colour)
    award = grant(world)
    assert len(award.signatures) == 10
    with app.test_request_context():
        data = certificate_pdf(award)
    [page] = pages_of(data)
    check_clean(data)
    assert page["images"] == 10
    for stakeholder in world.stakeholders:
        assert world.signer_of(stakeholder).name in page["text"]
        assert stakeholder.organisation.name in page["text"]


def test_no_certificate_before_every_signature(app, db):
    world = make_world()
    award = request(world)
    for stakeholder in world.stakeholders[:-1]:
        sign_as(world, stakeholder)
    with app.test_request_context():
        with pytest.raises(ValueError):
            certificate_pdf(award)
        with pytest.raises(ValueError):
            personal_certificates_pdf(award)


def test_one_oorkonde_per_working_group_member_signed_by_municipality_and_entrepreneurs(app, db):
    world = make_world()
    award = grant(world)
    members = working_group(award)
    # chair and secretary, then the representatives; Olga (chair and representative) once
    assert [m.name for m in members] == [
        "Olga Ondernemer",
        "Sanne Secretaris",
        "Gerrit Gemeente",
        "Wendy Wijkagent",
        "Kazerne Noord",
    ]
    with app.test_request_context():
        data = personal_certificates_pdf(award)
    pages = pages_of(data)
    check_clean(data)
    assert len(pages) == len(members)
    for page, member in zip(pages, members, strict=True):
        text = page["text"]
        assert page["width"] > page["height"] and page["ink"] > 0.02
        assert member.name in text and member.detail in text and "uitgereikt aan" in text
        assert "Lage Weide" in text and "tot en met 28 februari 2029" in text
        assert "Pagina" not in text and "Ruimte voor" not in text
        # signed by those who signed the award for the municipality and the entrepreneurs, with their functions
        assert "Gemeente Utrecht Lage Weide" in text and "getekend op 1 maart 2027" in text
        assert "Ondernemersvereniging Lage Weide" in text and "Voorzitter" in text
        assert "Wendy Wijkagent" not in text or member.name == "Wendy Wijkagent"


def test_the_signatures_are_dated_by_the_dutch_day(app, db):
    world = make_world()
    # 00:30 on 2 June in the Netherlands (summer time) is still 1 June in UTC
    award = grant(world, now=datetime(2027, 6, 1, 22, 30, tzinfo=UTC))
    assert award.awarded_on == date(2027, 6, 2)
    with app.test_request_context():
        data = certificate_data(award)
    assert {s.signed_on for s in data.signatories} == {"2 juni 2027"}
