"""The city-wide camera overview (/cameras/): who may open it, what a row holds, the municipality filter, the CSV
export, scoping to the parks the user oversees and a fixed number of statements."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from app.auth.models import Role
from app.cameras import overview
from app.cameras.evaluations import half_year_before
from app.cameras.models import (
    Camera,
    CameraNetwork,
    CameraStatus,
    CameraType,
    Evaluation,
    EvaluationDecision,
    QualityCheck,
    TechnologyChange,
)
from app.clock import local_today
from app.extensions import db as _db
from tests.cameras.conftest import TODAY
from tests.factories import make_member, make_membership, make_organisation, make_park, make_user
from tests.parks.test_overview import count_statements


def add_network(park, *, name="Netwerk", cameras=(CameraStatus.ACTIVE,), **fields) -> CameraNetwork:
    network = CameraNetwork(park=park, name=name, **fields)
    for i, status in enumerate(cameras):
        network.cameras.append(Camera(code=f"C{i:02d}", type=CameraType.FIXED, lat=52.1, lon=5.07, status=status))
    _db.session.add(network)
    _db.session.flush()
    return network


def add_evaluation(network, start: date, end: date, decision=EvaluationDecision.CONTINUE) -> Evaluation:
    evaluation = Evaluation(
        network=network,
        period_start=start,
        period_end=end,
        answers={},
        figures={},
        decision=decision,
        reasoning="Onderbouwing",
        decided_on=end,
        incidents_seen=0,
    )
    _db.session.add(evaluation)
    _db.session.flush()
    return evaluation


def add_check(network, done_on: date | None, due_on: date) -> None:
    _db.session.add(QualityCheck(network=network, due_on=due_on, done_on=done_on, criteria=[]))
    _db.session.flush()


def test_row_holds_cameras_compliance_check_and_evaluations(db, park):
    network = add_network(
        park,
        name="Netwerk Lage Weide",
        cameras=(CameraStatus.ACTIVE, CameraStatus.ACTIVE, CameraStatus.DEFECT, CameraStatus.REMOVED),
        convenant_signed_on=date(2025, 1, 1),
        register_entered_on=date(2025, 1, 1),
        signage_checked_on=date(2025, 6, 1),
        dpia_on=date(2025, 1, 1),
        masking_confirmed_on=None,  # missing
    )
    network.technology_changes.append(TechnologyChange(changed_on=date(2025, 9, 1), description="ANPR erbij"))
    add_check(network, date(2025, 11, 3), date(2025, 11, 1))
    add_check(network, date(2026, 2, 10), date(2026, 2, 1))
    add_check(network, None, date(2026, 5, 1))
    add_evaluation(network, date(2025, 1, 1), date(2025, 6, 30), EvaluationDecision.ADJUST)
    officer = make_member(Role.CAMERA_OFFICER, park)

    [row] = overview.camera_overview(officer, today=TODAY).rows
    assert (row.active, row.defect) == (2, 1)
    assert sorted(row.problems) == ["DPIA", "Privacymaskering van woningen"]  # DPIA after a technology change
    assert row.last_check_on == date(2026, 2, 10)
    assert row.latest.decision == EvaluationDecision.ADJUST and row.latest.period_start == date(2025, 1, 1)
    assert not row.half_year_done  # 2025-07-01..2025-12-31 is not evaluated

    add_evaluation(network, *half_year_before(TODAY))
    [row] = overview.camera_overview(officer, today=TODAY).rows
    assert row.half_year_done and row.latest.period_start == date(2025, 7, 1)


def test_only_parks_with_a_network_the_user_oversees(db, park, other_park):
    add_network(park, name="A")
    add_network(other_park, name="B")
    no_network = make_park(name="Zonder netwerk", municipality=park.municipality)
    officer_a = make_member(Role.CAMERA_OFFICER, park)
    make_membership(officer_a, Role.ENTREPRENEUR, park=other_park)  # a member of B, but not overseeing it
    assert [r.park for r in overview.camera_overview(officer_a, today=TODAY).rows] == [park]
    municipal = make_user()
    make_membership(municipal, Role.MUNICIPALITY, municipality=park.municipality)
    assert [r.park for r in overview.camera_overview(municipal, today=TODAY).rows] == [park]
    assert no_network.municipality == park.municipality
    assert not overview.oversees(make_member(Role.ENTREPRENEUR, park), today=TODAY)


def test_municipality_filter(db):
    utrecht, nieuwegein = make_organisation(name="Gemeente Utrecht"), make_organisation(name="Gemeente Nieuwegein")
    a, b = make_park(name="Park U", municipality=utrecht), make_park(name="Park N", municipality=nieuwegein)
    add_network(a), add_network(b)
    advisor = make_member(Role.ADVISOR, a)
    make_membership(advisor, Role.ADVISOR, park=b)
    assert [r.park for r in overview.camera_overview(advisor, today=TODAY).rows] == [b, a]  # by municipality
    assert [r.park for r in overview.camera_overview(advisor, today=TODAY, municipality_id=utrecht.id).rows] == [a]
    assert overview.municipalities(advisor, today=TODAY) == [nieuwegein, utrecht]


@pytest.mark.parametrize("role", [Role.ENTREPRENEUR, Role.PARTNER, Role.AUDITOR])
def test_roles_without_overview_get_403(login_as, db, park, role):
    add_network(park)
    client = login_as(make_member(role, park))
    assert client.get("/cameras/").status_code == 403
    assert client.get("/cameras/export.csv").status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    assert client.get("/cameras/").status_code in (302, 401)


@pytest.mark.parametrize("role", [Role.CAMERA_OFFICER, Role.MUNICIPALITY, Role.ADVISOR])
def test_page_for_roles_with_overview(login_as, db, park, other_park, role):
    add_network(park, cameras=(CameraStatus.ACTIVE, CameraStatus.DEFECT))
    add_network(other_park, name="Ander netwerk")
    body = login_as(make_member(role, park)).get("/cameras/").get_data(as_text=True)
    main = body[body.index('<main id="main"') : body.index("</main>")]
    assert "Lage Weide" in main and "Papendorp" not in main
    assert "1 park met een cameranetwerk" in main


def test_page_filter_and_bad_input(login_as, db):
    utrecht, nieuwegein = make_organisation(name="Gemeente Utrecht"), make_organisation(name="Gemeente Nieuwegein")
    a, b = make_park(name="Park U", municipality=utrecht), make_park(name="Park N", municipality=nieuwegein)
    add_network(a), add_network(b)
    advisor = make_member(Role.ADVISOR, a)
    make_membership(advisor, Role.ADVISOR, park=b)
    client = login_as(advisor)
    body = client.get(f"/cameras/?gemeente={utrecht.id}").get_data(as_text=True)
    main = body[body.index('<main id="main"') : body.index("</main>")]
    assert "Park U" in main and "Park N" not in main
    assert f"gemeente={utrecht.id}" in main  # the export link keeps the filter
    assert client.get("/cameras/?gemeente=abc").status_code == 200
    assert client.get("/cameras/?gemeente=999999").status_code == 200


def test_csv_export(login_as, db, park, other_park):
    today = local_today()
    network = add_network(park, name="=Netwerk", cameras=(CameraStatus.ACTIVE, CameraStatus.DEFECT))
    add_evaluation(network, *half_year_before(today), EvaluationDecision.END)
    add_network(other_park, name="Ander netwerk")
    response = login_as(make_member(Role.CAMERA_OFFICER, park)).get("/cameras/export.csv")
    assert response.status_code == 200
    assert response.content_type.startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Park", "Gemeente", "Netwerk"]
    assert len(rows) == 2
    row = rows[1]
    assert row[0] == "Lage Weide" and row[2] == "'=Netwerk"  # never a formula
    assert row[3:5] == ["1", "1"]
    assert row[5] == "5"  # no frame dates: five items missing
    assert row[9] == "Stoppen" and row[10] == "ja"


def test_fixed_number_of_statements(login_as, db):
    sizes = {}
    for n, name in ((2, "Gemeente A"), (20, "Gemeente B")):
        municipality = make_organisation(name=name)
        for i in range(n):
            network = add_network(make_park(name=f"{name} {i}", municipality=municipality))
            add_check(network, date(2026, 1, 1), date(2026, 1, 1))
            add_evaluation(network, date(2025, 1, 1), date(2025, 6, 30))
            network.technology_changes.append(TechnologyChange(changed_on=date(2025, 9, 1), description="x"))
        user = make_user()
        make_membership(user, Role.MUNICIPALITY, municipality=municipality)
        client = login_as(user)
        client.get("/cameras/")
        with count_statements() as statements:
            response = client.get("/cameras/")
        assert response.status_code == 200
        assert f"{n} parken met een cameranetwerk" in response.get_data(as_text=True)
        sizes[n] = len(statements)
    assert sizes[2] == sizes[20], sizes
