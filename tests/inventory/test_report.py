"""The schouw report: one walk from its page, all walks of the cycle in the dossier, made by the same function."""

from __future__ import annotations

import io
import zipfile

import pypdfium2
import pytest

from app.auth.models import Role
from app.dossier import services as dossier
from app.inventory import photos, report
from app.inventory.models import FindingCategory, Severity
from app.parks.services import active_cycle
from app.plans import services as plans
from app.plans.services import plan_for
from tests.factories import image_bytes, make_member
from tests.inventory.conftest import TODAY, make_finding, make_inspection
from tests.stakeholders import pdf_text


@pytest.fixture(autouse=True)
def fresh_storage(upload_storage):
    """The report reads its photos from the storage: a fresh upload folder, and a fresh bucket."""


@pytest.fixture
def walk(park, with_area, advisor, police):
    walk = make_inspection(park, participants="Peter Politie, Anouk Adviseur", notes="Om 21:00 vertrokken.")
    lamp = make_finding(walk)
    make_finding(
        walk,
        category=FindingCategory.DUMPING,
        severity=Severity.LOW,
        description="Afval achter de loods",
        suggested_action="",
        lat=None,
        lon=None,
    )
    photos.add_photo(advisor, lamp, filename="lamp.jpg", data=image_bytes())
    plan = plan_for(active_cycle(park), today=TODAY)
    action = plans.add_from_finding(advisor, plan, lamp, quarter=1)
    action.owners.append(police)
    return walk


def _pdf_images(data: bytes) -> int:
    document = pypdfium2.PdfDocument(data)
    return sum(1 for page in document for obj in page.get_objects() if obj.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE)


def test_the_report_has_the_round_the_participants_the_numbered_findings_and_the_photos(app, db, walk):
    with app.test_request_context():
        data = report.inspections_report_pdf(walk.cycle, [walk], compress=False)
    text = pdf_text(data)
    assert "Schouwrapport Lage Weide, 20 februari 2026" in text
    assert "Schouw van 20 februari 2026, In het donker" in text
    assert "Deelnemers: Peter Politie, Anouk Adviseur" in text and "Om 21:00 vertrokken." in text
    for header in ("Nr.", "Bevinding", "Plek", "Thema", "Ernst", "Eigenaar", "Status"):
        assert header in text
    assert "Verlichting: Lantaarnpaal kapot bij de ingang" in text and "52.10500, 5.07000" in text
    assert "Politie Midden-" in text  # the owner of the action made from the finding
    assert "Afvaldumping en zwerfvuil: Afval achter de loods" in text and "geen plek op de kaart" in text
    assert "nog geen actie in het plan" in text
    # photos only of the finding that has them, under their number, never parted from their heading
    assert "Foto's Bevinding 1: Verlichting" in text and "Bevinding 2" not in text
    # the map and the photo
    assert _pdf_images(data) >= 2


def test_the_finding_lines_number_the_findings_as_the_map_does(app, db, walk):
    with app.test_request_context():
        lines = report.finding_lines(list(walk.findings))
    assert [(line.number, line.theme, line.severity) for line in lines] == [
        (1, "Heel", "Hoog (urgent)"),
        (2, "Schoon", "Laag"),
    ]
    assert len(lines[0].photos) == 1 and lines[1].photos == []


def test_the_dossier_uses_the_same_report(app, db, walk, park, advisor, monkeypatch):
    second = make_inspection(park, participants="Olga Ondernemer")
    calls = []
    made = report.inspections_report_pdf

    def spy(cycle, inspections, **kwargs):
        calls.append([i.id for i in inspections])
        return made(cycle, inspections, **kwargs)

    monkeypatch.setattr("app.dossier.services.inspections_report_pdf", spy)
    from datetime import datetime

    with app.test_request_context():
        data = dossier.dossier_zip(make_member(Role.ADVISOR, park), walk.cycle, now=datetime(2026, 3, 2, 12))
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert any(name.endswith("05-schouwrapport.pdf") for name in names)
    assert calls == [[walk.id, second.id]]


def test_the_download_on_the_walk_page_by_role(login_as, park, other_park, walk, role):
    client = login_as(make_member(role, park))
    page = client.get(f"/parken/{park.id}/schouw/{walk.id}").get_data(as_text=True)
    url = f"/parken/{park.id}/schouw/{walk.id}/schouwrapport.pdf"
    assert url in page
    response = client.get(url)
    # every member of the park sees the schouw, and so its report
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "schouwrapport-lage-weide-2026-02-20.pdf" in response.headers["Content-Disposition"]
    # a member of another park, and the walk through another park's address: 404
    assert login_as(make_member(role, other_park)).get(url).status_code == 404
    assert client.get(f"/parken/{other_park.id}/schouw/{walk.id}/schouwrapport.pdf").status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, park, walk):
    response = client.get(f"/parken/{park.id}/schouw/{walk.id}/schouwrapport.pdf")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
