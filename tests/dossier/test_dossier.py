"""The audit dossier: which documents it holds, the index with what is missing, the ZIP, who may download it."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.cameras.models import Camera, CameraNetwork, CameraType
from app.dossier import documents, services
from app.extensions import db as _db
from app.inventory.models import Finding, FindingCategory, Inspection, Light
from app.meetings.models import Meeting, MeetingAttendee, MeetingDecision, MeetingKind
from app.parks.models import Cycle, CycleStatus
from app.parks.services import active_cycle
from app.plans.models import ActionStatus, Direction, Goal, Plan, PlanAction, PlanVersion, Theme
from app.stakeholders.models import PpsRole, Stakeholder
from app.surveys.definition import load_default
from app.surveys.models import Survey, SurveyStatus
from tests.factories import make_member, make_membership, make_organisation, make_user

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
AREA = {
    "type": "Polygon",
    "coordinates": [[[5.05, 52.10], [5.07, 52.10], [5.07, 52.11], [5.05, 52.11], [5.05, 52.10]]],
}
EVERY_FILE = {
    "00-inhoud.pdf",
    "01-gebiedskaart.pdf",
    "01-gebied.geojson",
    "02-deelnemers.pdf",
    "03-intentieverklaring.pdf",
    "04-enqueterapport.pdf",
    "05-schouwrapport.pdf",
    "06-doelen.pdf",
    "07-uitvoeringsplan.pdf",
    "08-voortgang.pdf",
    "09-verslagen.pdf",
    "10-cameratoezicht.pdf",
}


def pdf_words(data: bytes) -> str:
    """The text of every page of a PDF (it must open), whitespace collapsed."""
    document = pypdfium2.PdfDocument(data)
    try:
        assert len(document) >= 1
        return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)
    finally:
        document.close()


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())
        return {name: archive.read(name) for name in archive.namelist()}


def fill(cycle: Cycle, *, adopted: bool = True, survey_status: SurveyStatus = SurveyStatus.CLOSED) -> None:
    """Everything a dossier can hold, for this cycle of its park."""
    park = cycle.park
    park.area = AREA
    police = make_organisation(name="Politie Midden-Nederland")
    for organisation, role, signed in ((park.municipality, PpsRole.GEMEENTE, True), (police, PpsRole.POLITIE, False)):
        _db.session.add(
            Stakeholder(
                cycle=cycle,
                organisation=organisation,
                role=role,
                representative_name=f"Vertegenwoordiger {organisation.name}",
                signatory_name=f"Tekenaar {organisation.name}",
                signatory_function="Directeur",
                declaration_signed_on=date(2026, 3, 1) if signed else None,
                declaration_signed_by=f"Tekenaar {organisation.name}" if signed else None,
            )
        )
    _db.session.add(
        Survey(park=park, cycle=cycle, title="Enquête 2026", definition=load_default(), status=survey_status)
    )
    inspection = Inspection(cycle=cycle, held_on=date(2026, 4, 2), light=Light.DARK, participants="Wijkagent, PVO")
    inspection.findings.append(
        Finding(
            category=FindingCategory.VERLICHTING, description="Lantaarnpaal kapot bij de ingang", lat=52.105, lon=5.06
        )
    )
    goal = Goal(
        cycle=cycle,
        theme=Theme.VEILIG,
        title="Minder inbraken",
        indicator="Inbraken per jaar",
        direction=Direction.DOWN,
        baseline=12,
        target=8,
        deadline=date(2027, 12, 31),
    )
    plan = Plan(cycle=cycle, starts_on=date(2026, 1, 1))
    action = PlanAction(
        title="Verlichting herstellen", quarter=1, due_on=date(2026, 3, 31), status=ActionStatus.DELAYED
    )
    plan.actions.append(action)
    if adopted:
        plan.versions.append(
            PlanVersion(
                number=1, adopted_on=date(2026, 5, 1), adopted_by_label="adviseur", meeting="werkgroep", snapshot={}
            )
        )
    meeting = Meeting(
        cycle=cycle,
        kind=MeetingKind.ADOPTION,
        title="Vaststelling uitvoeringsplan",
        starts_at=datetime(2026, 5, 1, 13, 0, tzinfo=UTC),
        ends_at=datetime(2026, 5, 1, 15, 0, tzinfo=UTC),
        minutes="Het plan is besproken en vastgesteld.",
        minutes_at=datetime(2026, 5, 2, tzinfo=UTC),
        uid=f"dossier-{cycle.id}@test",
    )
    meeting.attendees += [
        MeetingAttendee(name="Gerda Gemeente", email="gerda@example.nl", attended=True),
        MeetingAttendee(name="Piet Politie", email="piet@example.nl", attended=False),
    ]
    meeting.decisions.append(MeetingDecision(position=1, text="Verlichting gaat voor", action=action))
    planned = Meeting(
        cycle=cycle,
        kind=MeetingKind.QUARTERLY,
        title="Kwartaaloverleg nog niet gehouden",
        starts_at=datetime(2026, 12, 1, 13, 0, tzinfo=UTC),
        ends_at=datetime(2026, 12, 1, 15, 0, tzinfo=UTC),
        uid=f"dossier-planned-{cycle.id}@test",
    )
    network = CameraNetwork(park=park, name="Camera's Lage Weide", convenant_signed_on=date(2026, 2, 1))
    network.cameras.append(Camera(code="C1", type=CameraType.ANPR, lat=52.1, lon=5.06))
    _db.session.add_all([inspection, goal, plan, meeting, planned, network])
    _db.session.flush()


@pytest.fixture
def cycle(park) -> Cycle:
    return active_cycle(park)


@pytest.fixture
def filled(cycle) -> Cycle:
    fill(cycle)
    return cycle


@pytest.fixture
def advisor(park):
    return make_member(Role.ADVISOR, park, name="Anna Adviseur")


def _dossier(app, actor, cycle, now=NOW) -> dict[str, bytes]:
    with app.test_request_context():
        return unzip(services.dossier_zip(actor, cycle, now=now))


# What is in it ------------------------------------------------------------------------------------------------


def test_a_filled_cycle_gives_every_document_and_each_pdf_opens(app, filled, advisor, park):
    files = _dossier(app, advisor, filled)
    assert set(files) == EVERY_FILE
    words = {name: pdf_words(data) for name, data in files.items() if name.endswith(".pdf")}
    index = words["00-inhoud.pdf"]
    for name in EVERY_FILE:
        assert name in index
    assert "Er ontbreekt niets." in index
    # the index says that one of two stakeholders has not signed yet
    assert "Nog niet door alle deelnemers ondertekend (1 van 2)." in index
    assert "Gebiedskaart Lage Weide" in words["01-gebiedskaart.pdf"]
    assert json.loads(files["01-gebied.geojson"])["geometry"] == AREA
    assert "Politie Midden-Nederland" in words["02-deelnemers.pdf"]
    assert "1 van de 2 deelnemers heeft de intentieverklaring ondertekend." in words["02-deelnemers.pdf"]
    assert "Intentieverklaring" in words["03-intentieverklaring.pdf"]
    assert "Rapport ondernemersenquête Lage Weide" in words["04-enqueterapport.pdf"]
    assert "Lantaarnpaal kapot bij de ingang" in words["05-schouwrapport.pdf"]
    assert "Minder inbraken" in words["06-doelen.pdf"]
    assert "Uitvoeringsplan Lage Weide" in words["07-uitvoeringsplan.pdf"]
    assert "Acties over de datum: 1" in words["08-voortgang.pdf"]
    minutes = words["09-verslagen.pdf"]
    assert "Het plan is besproken en vastgesteld." in minutes and "Verlichting gaat voor" in minutes
    assert "Aanwezig: Gerda Gemeente" in minutes and "Afwezig: Piet Politie" in minutes
    assert "Kwartaaloverleg nog niet gehouden" not in minutes  # no minutes yet: not held
    assert "Convenant met de gemeente" in words["10-cameratoezicht.pdf"]


def test_a_park_with_nothing_yet_gives_a_zip_with_the_index_listing_what_is_missing(app, cycle, advisor):
    files = _dossier(app, advisor, cycle)
    assert set(files) == {"00-inhoud.pdf"}
    index = pdf_words(files["00-inhoud.pdf"])
    for reason in (
        "Geen gebiedskaart: het gebied is nog niet ingetekend.",
        "Geen deelnemerslijst: er doen nog geen organisaties mee.",
        "Geen enquêterapport: er is nog geen enquête.",
        "Geen schouwrapport: er is nog geen schouw vastgelegd.",
        "Geen doelen: er zijn nog geen doelen vastgelegd.",
        "Geen uitvoeringsplan: er is nog geen plan gemaakt.",
        "Geen verslagen: er is nog geen vergadering met een verslag.",
        "Geen cameratoezicht: dit park heeft geen cameranetwerk.",
    ):
        assert reason in index


def test_an_open_survey_and_a_draft_plan_are_listed_as_missing(app, cycle, advisor):
    fill(cycle, adopted=False, survey_status=SurveyStatus.OPEN)
    files = _dossier(app, advisor, cycle)
    assert "04-enqueterapport.pdf" not in files and "07-uitvoeringsplan.pdf" not in files
    assert "08-voortgang.pdf" in files
    index = pdf_words(files["00-inhoud.pdf"])
    assert "Geen enquêterapport: de enquête is nog niet gesloten." in index
    assert "Geen uitvoeringsplan: het plan is nog niet vastgesteld." in index


def test_a_document_that_fails_is_listed_as_missing_and_the_rest_still_comes(app, filled, advisor, monkeypatch):
    def broken(cycle):
        raise RuntimeError("kapot")

    monkeypatch.setattr(documents, "goals_pdf", broken)
    files = _dossier(app, advisor, filled)
    assert set(files) == EVERY_FILE - {"06-doelen.pdf"}
    assert "Kon niet worden gemaakt door een fout" in pdf_words(files["00-inhoud.pdf"])


def test_a_decision_taller_than_a_page_still_gives_the_minutes(app, cycle, advisor):
    # a decision may be 5,000 characters: its table row runs over two pages instead of breaking the document
    fill(cycle)
    meeting = _db.session.scalars(select(Meeting).where(Meeting.minutes_at.is_not(None))).one()
    meeting.decisions.append(MeetingDecision(position=2, text=("Het besluit luidt " * 300)[:5000] + "Slotwoord"))
    _db.session.flush()
    files = _dossier(app, advisor, cycle)
    assert "09-verslagen.pdf" in files
    assert "Slotwoord" in pdf_words(files["09-verslagen.pdf"])


def test_the_download_is_audited(app, filled, advisor, db):
    _dossier(app, advisor, filled)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "dossier.downloaded"))
    assert (event.actor_id, event.park_id, event.subject_type) == (advisor.id, filled.park_id, "cycles")
    assert event.details["cycle"] == 1 and "09-verslagen.pdf" in event.details["files"]


def _images(data: bytes) -> int:
    document = pypdfium2.PdfDocument(data)
    try:
        return sum(len(list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))) for page in document)
    finally:
        document.close()


@pytest.mark.parametrize("background", [False, True])
def test_the_area_cameras_and_findings_are_printed_on_maps(app, filled, advisor, request, background):
    server = request.getfixturevalue("tile_server") if background else None
    files = _dossier(app, advisor, filled)
    for name, caption in (
        ("01-gebiedskaart.pdf", "met de bedrijven uit het register"),
        ("05-schouwrapport.pdf", "De nummers op de kaart zijn de nummers van de bevindingen in de tabel."),
        ("10-cameratoezicht.pdf", "De camera's in gebruik, naar soort."),
    ):
        assert _images(files[name]) == 1 and caption in pdf_words(files[name])
    if server is not None:
        # a tile the three maps share is fetched once: the later maps take it from the cache
        assert server.requests and len(server.requests) == len(set(server.requests))


def test_a_report_without_placed_findings_has_no_map(app, filled, advisor):
    for finding in _db.session.scalars(select(Finding)):
        finding.lat = finding.lon = None
    files = _dossier(app, advisor, filled)
    assert _images(files["05-schouwrapport.pdf"]) == 0
    assert "Lantaarnpaal kapot bij de ingang" in pdf_words(files["05-schouwrapport.pdf"])


# The page and the download ------------------------------------------------------------------------------------


def test_the_page_lists_the_parts_and_offers_the_download(login_as, advisor, park, cycle):
    cycle.park.area = AREA
    body = login_as(advisor).get(f"/parken/{park.id}/dossier/").get_data(as_text=True)
    assert "Auditdossier van Lage Weide" in body
    assert "Gebiedskaart" in body and "Geen enquêterapport: er is nog geen enquête." in body
    assert f"/parken/{park.id}/dossier/download?cyclus=1" in body


def test_the_download_is_a_zip_named_after_the_park(login_as, advisor, park, filled):
    response = login_as(advisor).get(f"/parken/{park.id}/dossier/download")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "auditdossier-lage-weide-cyclus-1-" in response.headers["Content-Disposition"]
    assert set(unzip(response.data)) == EVERY_FILE


def test_an_earlier_cycle_can_be_chosen(login_as, advisor, park, filled, db):
    filled.status = CycleStatus.CLOSED
    db.session.add(
        Cycle(park=park, number=2, starts_on=date(2028, 1, 1), ends_on=date(2029, 12, 31), status=CycleStatus.ACTIVE)
    )
    client = login_as(advisor)
    page = client.get(f"/parken/{park.id}/dossier/").get_data(as_text=True)
    assert "Cyclus 2: onderdelen" in page and 'name="cyclus"' in page
    assert "Geen doelen: er zijn nog geen doelen vastgelegd." in page
    earlier = client.get(f"/parken/{park.id}/dossier/?cyclus=1").get_data(as_text=True)
    assert "Cyclus 1: onderdelen" in earlier and "Geen doelen" not in earlier
    assert "06-doelen.pdf" in unzip(client.get(f"/parken/{park.id}/dossier/download?cyclus=1").data)
    assert client.get(f"/parken/{park.id}/dossier/?cyclus=7").status_code == 404


# Who may ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ENTREPRENEUR, Role.PARTNER, Role.CAMERA_OFFICER])
def test_other_roles_may_not(login_as, park, role):
    client = login_as(make_member(role, park))
    assert client.get(f"/parken/{park.id}/dossier/").status_code == 403
    assert client.get(f"/parken/{park.id}/dossier/download").status_code == 403


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.MUNICIPALITY, Role.AUDITOR])
def test_process_owners_and_the_parks_auditor_may(login_as, park, role):
    client = login_as(make_member(role, park))
    assert client.get(f"/parken/{park.id}/dossier/").status_code == 200
    assert client.get(f"/parken/{park.id}/dossier/download").status_code == 200


def test_an_auditor_of_another_park_may_not(login_as, park, other_park):
    client = login_as(make_member(Role.AUDITOR, other_park))
    assert client.get(f"/parken/{park.id}/dossier/").status_code == 404
    assert client.get(f"/parken/{park.id}/dossier/download").status_code == 404


def test_an_auditor_whose_access_has_ended_may_not(login_as, park):
    auditor = make_user()
    make_membership(auditor, Role.AUDITOR, park=park, ends_on=date.today() - timedelta(days=1))
    client = login_as(auditor)
    assert client.get(f"/parken/{park.id}/dossier/").status_code == 404
    assert client.get(f"/parken/{park.id}/dossier/download").status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(client, park):
    response = client.get(f"/parken/{park.id}/dossier/download")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_an_unknown_park_is_a_404(login_as, db):
    admin = make_user(is_admin=True)
    assert login_as(admin).get("/parken/999999/dossier/").status_code == 404
