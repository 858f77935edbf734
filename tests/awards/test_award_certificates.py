"""The certificates: only for a granted award; landscape A4 PDFs that open and name park, municipality, period and
every signatory; one personal certificate per working-group member."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pypdfium2
import pytest

from app.awards import services
from app.awards.certificates import certificate_data, certificate_pdf, personal_certificates_pdf, working_group
from app.parks.models import Track
from tests.awards.support import NOW, grant, make_world, request, sign_as


def pages_of(data: bytes) -> list[tuple[str, float, float]]:
    """Per page: its text (whitespace collapsed), width and height in points."""
    document = pypdfium2.PdfDocument(data)
    try:
        pages = []
        for page in document:
            text = page.get_textpage().get_text_range()
            width, height = page.get_size()
            pages.append((" ".join(text.split()), width, height))
            page.close()
        return pages
    finally:
        document.close()


def test_the_certificate_names_every_signatory(app, db):
    world = make_world()
    request(world)
    for days, stakeholder in enumerate(world.stakeholders):
        sign_as(world, stakeholder, now=NOW + timedelta(days=days), function=f"Functie {stakeholder.role.value}")
    award = services.find_award(world.cycle)
    with app.test_request_context():
        pages = pages_of(certificate_pdf(award))
    assert len(pages) == 1
    text, width, height = pages[0]
    assert width > height  # landscape
    assert round(width) == 842 and round(height) == 595  # A4
    for part in (
        "Waardering Veilig Bedrijventerrein",
        "Lage Weide",
        "Gemeente Utrecht Lage Weide",
        "Geldig van 4 maart 2027 tot en met 4 maart 2029",
        "Ruimte voor de logo's van de partners",
    ):
        assert part in text, part
    for stakeholder in world.stakeholders:
        # the real signer, logged in under their own name: never the pre-filled signatory
        assert world.signer_of(stakeholder).name in text
        assert f"Functie {stakeholder.role.value}" in text
        assert stakeholder.organisation.name in text
    for day in ("1 maart 2027", "2 maart 2027", "3 maart 2027", "4 maart 2027"):
        assert day in text
    # the municipal officer signed for the municipality: the mayor, its pre-filled signatory, did not
    assert "Gerrit Gemeente" in text and "Burgemeester Dijksma" not in text


def test_the_kvo_certificate_has_the_quality_mark_title(app, db):
    world = make_world()
    world.park.track = Track.KVO
    award = grant(world)
    with app.test_request_context():
        text = pages_of(certificate_pdf(award))[0][0]
    assert "Keurmerk Veilig Ondernemen" in text
    assert "Waardering Veilig Bedrijventerrein" not in text
    assert "tot en met 1 maart 2030" in text


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


def test_one_personal_certificate_per_working_group_member(app, db):
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
        pages = pages_of(personal_certificates_pdf(award))
    assert len(pages) == len(members)
    for (text, width, height), member in zip(pages, members, strict=True):
        assert width > height
        assert member.name in text and "Oorkonde voor" in text
        assert "Lage Weide" in text and "tot en met 1 maart 2029" in text
        others = [m.name for m in members if m.name != member.name]
        assert not any(name in text for name in others)


def test_the_signatures_are_dated_by_the_dutch_day(app, db):
    world = make_world()
    # 00:30 on 2 June in the Netherlands (summer time) is still 1 June in UTC
    award = grant(world, now=datetime(2027, 6, 1, 22, 30, tzinfo=UTC))
    assert award.awarded_on == date(2027, 6, 2)
    with app.test_request_context():
        data = certificate_data(award)
    assert {s.signed_on for s in data.signatories} == {"2 juni 2027"}
