"""Quality checks of a camera network: the template, the next due date, recording a check, major findings
becoming plan actions, the pages and their permissions."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.cameras import checks, findings
from app.cameras.models import Camera, CameraNetwork, CameraType, CheckScore, FindingPlanState, QualityCheck, Score
from app.errors import DomainError, NotAllowed
from app.extensions import db as _db
from app.parks.services import active_cycle
from app.plans.models import PlanAction, Theme
from app.plans.services import plan_for
from app.stakeholders.models import OrganisationType, PpsRole, Stakeholder
from tests.conftest import stored_keys
from tests.factories import image_bytes, make_member, make_organisation, make_park

TODAY = date(2027, 5, 10)


def make_network(park, *, operator=None, anpr: bool = False, interval: int = 3) -> CameraNetwork:
    network = CameraNetwork(park=park, name=f"Camera's {park.name}", operator=operator, check_interval_months=interval)
    _db.session.add(network)
    if anpr:
        network.cameras.append(Camera(code="K1", type=CameraType.ANPR, lat=52.07, lon=5.07))
    network.cameras.append(Camera(code="C1", type=CameraType.FIXED, lat=52.07, lon=5.07))
    _db.session.flush()
    return network


def all_ok(check: QualityCheck, **overrides) -> dict[str, tuple[Score, str]]:
    return {c["key"]: (Score.OK, "") for c in check.criteria} | overrides


@pytest.fixture
def officer(park):
    return make_member(Role.CAMERA_OFFICER, park, name="Carla Camera")


@pytest.fixture
def operator(db):
    return make_organisation(name="Beveiliging BV", type=OrganisationType.OVERIG)


@pytest.fixture
def network(park, operator):
    return make_network(park, operator=operator)


def make_plan_with_operator(park, operator):
    from tests.plans.test_tracking import make_plan

    plan = make_plan(park, starts_on=date(2027, 1, 1))
    stakeholder = Stakeholder(cycle=active_cycle(park), organisation=operator, role=PpsRole.OVERIG)
    _db.session.add(stakeholder)
    _db.session.flush()
    return plan, stakeholder


# The template and the due date ------------------------------------------------------------------------------


def test_the_anpr_read_rate_is_only_asked_with_an_anpr_camera(park, other_park):
    without = [c["key"] for c in checks.template_for(make_network(park))]
    with_anpr = [c["key"] for c in checks.template_for(make_network(other_park, anpr=True))]
    assert checks.ANPR_KEY not in without and len(without) == 8
    assert with_anpr == [*without, checks.ANPR_KEY]
    assert "Beeldkwaliteit 's nachts" in [c["label"] for c in checks.template_for(make_network(make_park()))]


def test_next_due_is_today_without_checks_then_the_last_check_plus_the_interval(network, officer):
    assert checks.next_due(network, today=TODAY) == TODAY
    check = checks.open_check(network, today=TODAY)
    assert check.due_on == TODAY and checks.open_check(network, today=date(2027, 6, 1)) is check
    checks.record_check(officer, check, all_ok(check), today=date(2027, 5, 31))
    assert checks.next_due(network, today=TODAY) == date(2027, 8, 31)
    network.check_interval_months = 1
    assert checks.next_due(network, today=TODAY) == date(2027, 6, 30)  # no 31 June
    assert checks.add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)


def test_status_of_a_due_date():
    assert checks.due_status(date(2027, 5, 9), today=TODAY) == "overdue"
    assert checks.due_status(date(2027, 5, 17), today=TODAY) == "due"
    assert checks.due_status(date(2027, 5, 18), today=TODAY) == "planned"


# Recording ----------------------------------------------------------------------------------------------------


def test_recording_a_check_scores_every_criterion_and_is_audited(db, network, officer):
    check = checks.open_check(network, today=TODAY)
    checks.record_check(
        officer, check, all_ok(check, signage=(Score.MINOR, "Bord bij de ingang vies")), remarks=" Goed ", today=TODAY
    )
    assert check.done_on == TODAY and check.checker_id == officer.id and check.remarks == "Goed"
    assert {s.criterion: s.score for s in check.scores}["signage"] == Score.MINOR
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cameras.check_done"))
    assert event.details["minor"] == 1 and event.details["major"] == 0 and event.details["actions"] == []
    with pytest.raises(DomainError, match="al uitgevoerd"):
        checks.record_check(officer, check, all_ok(check), today=TODAY)


def test_every_criterion_must_be_scored_and_a_major_finding_needs_a_note(db, network, officer):
    check = checks.open_check(network, today=TODAY)
    scores = all_ok(check)
    del scores["uptime"]
    with pytest.raises(DomainError, match="Beschikbaarheid"):
        checks.record_check(officer, check, scores, today=TODAY)
    with pytest.raises(DomainError, match="kent het criterium"):
        checks.record_check(officer, check, all_ok(check, bogus=(Score.OK, "")), today=TODAY)
    with pytest.raises(DomainError, match="Beschrijf de grote afwijking"):
        checks.record_check(officer, check, all_ok(check, masking=(Score.MAJOR, " ")), today=TODAY)
    assert check.done_on is None and check.scores == []


def test_a_major_finding_becomes_an_action_in_the_plan(db, park, network, operator, officer):
    plan, stakeholder = make_plan_with_operator(park, operator)
    check = checks.open_check(network, today=TODAY)
    checks.record_check(
        officer, check, all_ok(check, masking=(Score.MAJOR, "Woning Atoomweg 3 zichtbaar")), today=TODAY
    )
    score = next(s for s in check.scores if s.criterion == "masking")
    action = db.session.get(PlanAction, score.action_id)
    assert action.plan is plan and action.theme == Theme.VEILIG
    assert action.title == "Camerakwaliteit: Privacymaskering aanwezig"
    assert action.description == "Privacymaskering aanwezig: Woning Atoomweg 3 zichtbaar"
    assert action.quarter == 2 and action.due_on == date(2027, 6, 30)  # 2027-Q2 is the plan's second quarter
    assert action.owners == [stakeholder]
    assert all(s.action_id is None for s in check.scores if s is not score)
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions[-2:] == ["plans.action_added", "cameras.check_done"]


def test_a_major_finding_by_an_admin_goes_through_add_action(db, park, network, operator, admin):
    plan, _ = make_plan_with_operator(park, operator)
    check = checks.open_check(network, today=TODAY)
    checks.record_check(admin, check, all_ok(check, retention=(Score.MAJOR, "Beelden van 40 dagen")), today=TODAY)
    action = db.session.get(PlanAction, next(s.action_id for s in check.scores if s.action_id))
    assert action.plan is plan and action.title == "Camerakwaliteit: Bewaartermijn daadwerkelijk gehandhaafd"


def test_without_a_plan_a_major_finding_waits_for_the_plan(db, network, officer):
    check = checks.open_check(network, today=TODAY)
    checks.record_check(officer, check, all_ok(check, uptime=(Score.MAJOR, "Camera C1 vaak uit")), today=TODAY)
    (major,) = [s for s in check.scores if s.score == Score.MAJOR]
    assert major.plan_state == FindingPlanState.QUEUED and major.action_id is None
    assert all(s.plan_state is None for s in check.scores if s is not major)
    assert db.session.scalars(select(PlanAction)).all() == []
    assert findings.queued_findings(network) == [major]
    assert findings.plan_counts(check) == (1, 0)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cameras.check_done"))
    assert event.details["queued"] == ["uptime"] and event.details["actions"] == []


def test_the_queued_findings_become_actions_when_the_plan_is_made(db, park, network, operator, officer):
    stakeholder = Stakeholder(cycle=active_cycle(park), organisation=operator, role=PpsRole.OVERIG)
    db.session.add(stakeholder)
    first = checks.open_check(network, today=TODAY)
    checks.record_check(officer, first, all_ok(first, uptime=(Score.MAJOR, "C1 vaak uit")), today=TODAY)
    second = checks.open_check(network, today=date(2027, 8, 10))
    checks.record_check(officer, second, all_ok(second, signage=(Score.MAJOR, "Bord weg")), today=date(2027, 8, 10))
    advisor = make_member(Role.ADVISOR, park)
    plan = plan_for(active_cycle(park), today=date(2027, 9, 1), actor=advisor)
    actions = db.session.scalars(select(PlanAction).order_by(PlanAction.id)).all()
    assert [a.title for a in actions] == [
        "Camerakwaliteit: Beschikbaarheid (uptime) over de periode",
        "Camerakwaliteit: Bebording aanwezig",
    ]
    assert all(a.plan is plan and a.theme == Theme.VEILIG and a.owners == [stakeholder] for a in actions)
    assert actions[0].description == "Beschikbaarheid (uptime) over de periode: C1 vaak uit"
    assert findings.queued_findings(network) == []
    for check, action in ((first, actions[0]), (second, actions[1])):
        (major,) = [s for s in check.scores if s.score == Score.MAJOR]
        assert major.plan_state == FindingPlanState.ACTION and major.action_id == action.id
    planned = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "cameras.findings_planned")).all()
    assert [(e.actor_id, e.subject_id, e.details["actions"]) for e in planned] == [
        (advisor.id, str(first.id), [actions[0].id]),
        (advisor.id, str(second.id), [actions[1].id]),
    ]
    # the plan exists now: a later plan_for adds nothing, and a new finding becomes an action at once
    assert plan_for(active_cycle(park), today=date(2027, 9, 2), actor=advisor) is plan
    assert len(db.session.scalars(select(PlanAction)).all()) == 2


def test_a_plan_made_on_the_plan_page_takes_the_queued_findings(login_as, db, park, network, officer):
    check = checks.open_check(network, today=TODAY)
    checks.record_check(officer, check, all_ok(check, masking=(Score.MAJOR, "Woning zichtbaar")), today=TODAY)
    advisor = make_member(Role.ADVISOR, park)
    db.session.commit()
    client = login_as(advisor)
    response = client.post(
        f"/parken/{park.id}/plan/acties/nieuw",
        data={"action-title": "Verlichting", "action-theme": "heel", "action-quarter": "1"},
    )
    assert response.status_code == 302
    titles = sorted(a.title for a in db.session.scalars(select(PlanAction)))
    assert titles == ["Camerakwaliteit: Privacymaskering aanwezig", "Verlichting"]


def test_an_action_lands_in_quarter_one_outside_the_plans_two_years(db, park, network, operator, officer):
    _plan, _ = make_plan_with_operator(park, operator)
    check = checks.open_check(network, today=TODAY)
    checks.record_check(officer, check, all_ok(check, uptime=(Score.MAJOR, "Uit")), today=date(2031, 1, 5))
    action = db.session.get(PlanAction, next(s.action_id for s in check.scores if s.action_id))
    assert action.quarter == 1


@pytest.mark.parametrize("role", [Role.ENTREPRENEUR, Role.ADVISOR, Role.MUNICIPALITY, Role.AUDITOR, Role.PARTNER])
def test_only_the_camera_officer_records_a_check(db, park, network, role):
    check = checks.open_check(network, today=TODAY)
    with pytest.raises(NotAllowed):
        checks.record_check(make_member(role, park), check, all_ok(check), today=TODAY)


# Pages --------------------------------------------------------------------------------------------------------


def _post_scores(check_criteria, **overrides):
    data = {f"score_{c['key']}": "ok" for c in check_criteria}
    data.update(overrides)
    return data


def test_the_officer_records_a_check_on_the_form(login_as, db, park, network, operator, officer):
    _plan, _ = make_plan_with_operator(park, operator)
    db.session.commit()
    client = login_as(officer)
    assert client.get(f"/parken/{park.id}/cameras/controles/").status_code == 200
    page = client.get(f"/parken/{park.id}/cameras/controles/uitvoeren")
    assert page.status_code == 200 and 'type="radio"' in page.text and "Beeldkwaliteit overdag" in page.text
    criteria = checks.template_for(network)
    missing = client.post(f"/parken/{park.id}/cameras/controles/uitvoeren", data={"score_uptime": "ok"})
    assert missing.status_code == 422 and "Kies een score." in missing.text
    bad = client.post(f"/parken/{park.id}/cameras/controles/uitvoeren", data=_post_scores(criteria, score_uptime="x"))
    assert bad.status_code == 422
    done = client.post(
        f"/parken/{park.id}/cameras/controles/uitvoeren",
        data=_post_scores(criteria, score_coverage="groot", note_coverage="Dode hoek bij de brug", remarks="Prima"),
    )
    assert done.status_code == 302
    check = db.session.scalar(select(QualityCheck))
    assert done.headers["Location"].endswith(f"/parken/{park.id}/cameras/controles/{check.id}")
    detail = client.get(done.headers["Location"])
    action_id = next(s.action_id for s in check.scores if s.action_id)
    assert "Dode hoek bij de brug" in detail.text and f"/parken/{park.id}/plan/#actie-{action_id}" in detail.text
    assert "Uitgevoerde controles" in client.get(f"/parken/{park.id}/cameras/controles/").text


def test_a_major_finding_without_note_keeps_the_input(login_as, db, park, network, officer):
    db.session.commit()
    client = login_as(officer)
    criteria = checks.template_for(network)
    response = client.post(
        f"/parken/{park.id}/cameras/controles/uitvoeren", data=_post_scores(criteria, score_masking="groot")
    )
    assert response.status_code == 422 and "Beschrijf de grote afwijking" in response.text
    assert db.session.scalar(select(QualityCheck)) is None


def test_pages_by_role(login_as, db, park, other_park, network, officer):
    check = checks.open_check(network, today=TODAY)
    checks.record_check(officer, check, all_ok(check), today=TODAY)
    other_network = make_network(other_park)
    other_check = checks.open_check(other_network, today=TODAY)
    entrepreneur = make_member(Role.ENTREPRENEUR, park)
    auditor = make_member(Role.AUDITOR, park)
    db.session.commit()
    base = f"/parken/{park.id}/cameras/controles"

    client = login_as(entrepreneur)
    assert client.get(f"{base}/").status_code == 403
    assert client.post(f"{base}/uitvoeren", data={}).status_code == 403

    client = login_as(auditor)
    index = client.get(f"{base}/")
    assert index.status_code == 200 and "Controle uitvoeren" not in index.text
    assert client.get(f"{base}/{check.id}").status_code == 200
    assert client.get(f"{base}/uitvoeren").status_code == 403

    client = login_as(officer)
    assert "Controle uitvoeren" in client.get(f"{base}/").text
    assert client.get(f"/parken/{other_park.id}/cameras/controles/").status_code == 404
    assert client.get(f"{base}/{other_check.id}").status_code == 404
    assert client.get(f"/parken/{other_park.id}/cameras/controles/{other_check.id}").status_code == 404


def test_a_park_without_network(login_as, db, park, officer):
    db.session.commit()
    client = login_as(officer)
    assert "geen cameranetwerk" in client.get(f"/parken/{park.id}/cameras/controles/").text
    assert client.get(f"/parken/{park.id}/cameras/controles/uitvoeren").status_code == 404


def test_posting_a_check_for_a_park_without_network_is_refused(login_as, db, park, officer):
    db.session.commit()
    client = login_as(officer)
    data = {f"score_{c['key']}": "ok" for c in checks.template_for(None)}
    response = client.post(f"/parken/{park.id}/cameras/controles/uitvoeren", data=data)
    assert response.status_code == 422 and "geen cameranetwerk" in response.text
    assert db.session.scalar(select(QualityCheck)) is None


def test_a_post_without_csrf_token_is_refused_with_or_without_network(login_as, db, park, other_park, officer):
    make_network(other_park)
    from app.auth.models import Membership

    db.session.add(Membership(user=officer, role=Role.CAMERA_OFFICER, park=other_park))
    db.session.commit()
    client = login_as(officer)
    for target in (park, other_park):
        response = client.post(f"/parken/{target.id}/cameras/controles/uitvoeren", data={}, csrf=False)
        assert response.status_code == 400 and "Uw formulier was verlopen" in response.text
    assert db.session.scalar(select(QualityCheck)) is None


# Photos per criterion ----------------------------------------------------------------------------------------


@pytest.fixture
def stored(upload_storage):
    """stored() -> the keys of the stored check photos; the test runs with a fresh upload folder and a fresh
    bucket."""
    return lambda: stored_keys(upload_storage, checks.PHOTO_FOLDER)


def test_a_photo_per_criterion_is_stored_without_its_metadata(app, db, network, officer, stored):
    check = checks.open_check(network, today=TODAY)
    exif = Image.Exif()
    exif[0x010F] = "Telefoonmerk"  # Make
    checks.record_check(
        officer, check, all_ok(check), photos={"signage": image_bytes("JPEG", exif=exif), "coverage": b""}, today=TODAY
    )
    db.session.commit()
    scores = {score.criterion: score for score in check.scores}
    assert scores["coverage"].photo_name is None
    assert stored() == [f"checks/{scores['signage'].photo_name}"]
    with Image.open(io.BytesIO(checks.photo(scores["signage"]))) as jpeg:
        assert jpeg.format == "JPEG" and not jpeg.getexif()
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "cameras.check_done")).one()
    assert event.details["photos"] == ["signage"]


def test_a_file_that_is_no_photo_refuses_the_whole_check(app, db, network, officer, stored):
    check = checks.open_check(network, today=TODAY)
    photos = {"image_day": image_bytes("JPEG"), "image_night": b"<svg onload=alert(1)></svg>"}
    with pytest.raises(DomainError, match="Foto bij Beeldkwaliteit 's nachts: Dit bestand is geen foto"):
        checks.record_check(officer, check, all_ok(check), photos=photos, today=TODAY)
    assert check.done_on is None and stored() == []


def test_stored_photos_are_removed_when_the_check_cannot_be_written(app, db, network, officer, monkeypatch, stored):
    check = checks.open_check(network, today=TODAY)

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(checks.audit, "record", broken)
    with pytest.raises(RuntimeError):
        checks.record_check(officer, check, all_ok(check), photos={"masking": image_bytes("PNG")}, today=TODAY)
    assert stored() == []


def test_the_officer_adds_a_photo_on_the_form_and_only_the_park_sees_it(
    login_as, app, db, park, other_park, network, officer, stored
):
    entrepreneur = make_member(Role.ENTREPRENEUR, park)
    outsider = make_member(Role.CAMERA_OFFICER, other_park)
    db.session.commit()
    client = login_as(officer)
    data = _post_scores(checks.template_for(network))
    data["photo_signage"] = (io.BytesIO(image_bytes("PNG")), "bord.png")
    done = client.post(f"/parken/{park.id}/cameras/controles/uitvoeren", data=data, content_type="multipart/form-data")
    assert done.status_code == 302
    score = db.session.scalars(select(CheckScore).where(CheckScore.criterion == "signage")).one()
    photo_url = f"/parken/{park.id}/cameras/controles/fotos/{score.id}"
    assert photo_url in client.get(done.headers["Location"]).text
    photo = client.get(photo_url)
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg" and photo.data.startswith(b"\xff\xd8\xff")
    assert photo.headers["X-Content-Type-Options"] == "nosniff"
    assert stored() == [f"checks/{score.photo_name}"]
    assert login_as(entrepreneur).get(photo_url).status_code == 403
    assert login_as(outsider).get(photo_url).status_code == 404
    assert login_as(outsider).get(f"/parken/{other_park.id}/cameras/controles/fotos/{score.id}").status_code == 404


def test_a_bad_photo_on_the_form_keeps_the_input_and_writes_nothing(login_as, app, db, park, network, officer, stored):
    db.session.commit()
    client = login_as(officer)
    data = _post_scores(checks.template_for(network), note_uptime="Twee storingen")
    data["photo_uptime"] = (io.BytesIO(b"MZ\x90\x00 not an image"), "foto.jpg")
    response = client.post(
        f"/parken/{park.id}/cameras/controles/uitvoeren", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 422 and "Dit bestand is geen foto" in response.text
    assert "Twee storingen" in response.text
    assert db.session.scalar(select(QualityCheck).where(QualityCheck.done_on.is_not(None))) is None
    assert stored() == []


def test_the_photos_are_removed_when_the_commit_fails(login_as, db, park, network, officer, failing_commit, stored):
    client = login_as(officer)
    data = _post_scores(checks.template_for(network))
    data["photo_signage"] = (io.BytesIO(image_bytes("PNG")), "bord.png")
    with pytest.raises(RuntimeError, match="database gone"):
        client.post(f"/parken/{park.id}/cameras/controles/uitvoeren", data=data, content_type="multipart/form-data")
    assert len(failing_commit) == 2
    assert stored() == []


# What became of a major finding, on the pages ------------------------------------------------------------------


def test_the_pages_say_a_finding_waits_for_the_plan_and_then_link_its_action(login_as, db, park, network, officer):
    db.session.commit()
    client = login_as(officer)
    form = client.get(f"/parken/{park.id}/cameras/controles/uitvoeren").text
    assert "Dit park heeft nog geen uitvoeringsplan: een grote afwijking wacht op het actieplan" in form
    criteria = checks.template_for(network)
    done = client.post(
        f"/parken/{park.id}/cameras/controles/uitvoeren",
        data=_post_scores(criteria, score_coverage="groot", note_coverage="Dode hoek bij de brug"),
        follow_redirects=True,
    )
    assert done.status_code == 200
    assert "1 grote afwijking wacht op het actieplan: dit park heeft nog geen uitvoeringsplan" in done.text
    assert "Wacht op het actieplan" in done.text and 'data-testid="finding-state"' in done.text
    index = client.get(f"/parken/{park.id}/cameras/controles/").text
    assert 'data-testid="queued-findings"' in index and "1 wacht op het actieplan" in index
    assert "Dode hoek bij de brug" in index

    advisor = make_member(Role.ADVISOR, park)
    db.session.commit()
    plan_for(active_cycle(park), today=TODAY, actor=advisor)
    db.session.commit()
    check = db.session.scalar(select(QualityCheck).where(QualityCheck.done_on.is_not(None)))
    action_id = next(s.action_id for s in check.scores if s.action_id)
    detail = client.get(f"/parken/{park.id}/cameras/controles/{check.id}").text
    assert "Actie aangemaakt:" in detail and f"/parken/{park.id}/plan/#actie-{action_id}" in detail
    assert "Camerakwaliteit: Dekking zoals bedoeld" in detail and "Wacht op het actieplan" not in detail
    index = client.get(f"/parken/{park.id}/cameras/controles/").text
    assert 'data-testid="queued-findings"' not in index and "1 actie aangemaakt" in index


def test_a_removed_action_is_said_so(login_as, db, park, network, operator, officer):
    make_plan_with_operator(park, operator)
    check = checks.open_check(network, today=TODAY)
    checks.record_check(officer, check, all_ok(check, uptime=(Score.MAJOR, "Uit")), today=TODAY)
    db.session.delete(db.session.get(PlanAction, next(s.action_id for s in check.scores if s.action_id)))
    db.session.commit()
    detail = login_as(officer).get(f"/parken/{park.id}/cameras/controles/{check.id}").text
    assert "De actie is uit het plan verwijderd." in detail


def test_the_criteria_are_shown_in_english(login_as, db, park, network, officer):
    check = checks.open_check(network, today=TODAY)
    checks.record_check(officer, check, all_ok(check, uptime=(Score.MAJOR, "Down")), today=TODAY)
    officer.locale = "en"
    db.session.commit()
    client = login_as(officer)
    detail = client.get(f"/parken/{park.id}/cameras/controles/{check.id}").text
    assert "Image quality by day" in detail and "Availability (uptime) over the period" in detail
    assert "Beeldkwaliteit overdag" not in detail and "Waiting for the action plan" in detail
    planned = client.get(f"/parken/{park.id}/cameras/controles/uitvoeren").text
    assert "Image quality at night" in planned and "Beeldkwaliteit" not in planned
    refused = client.post(f"/parken/{park.id}/cameras/controles/uitvoeren", data={"score_uptime": "groot"})
    assert refused.status_code == 422 and "Bebording" not in refused.text
