"""The half-yearly evaluation of a camera network: the rules, the figures gathered, the pages and the report."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.cameras import checks, evaluations
from app.cameras.models import (
    Evaluation,
    EvaluationDecision,
    FootageDecision,
    FootageRequest,
    RequesterKind,
    Score,
)
from app.errors import DomainError, NotAllowed
from app.extensions import db as _db
from tests.cameras.test_checks import all_ok, make_network
from tests.factories import make_member

TODAY = date(2027, 7, 5)
START, END = date(2027, 1, 1), date(2027, 6, 30)


def answers(**overrides):
    return {key: (True, "") for key, _label in evaluations.CRITERIA} | overrides


@pytest.fixture
def network(park):
    return make_network(park)


@pytest.fixture
def officer(park):
    return make_member(Role.CAMERA_OFFICER, park, name="Carla Camera")


def _request(network, received_on, decision):
    request = FootageRequest(
        network=network,
        received_on=received_on,
        requester_kind=RequesterKind.JUSTICE,
        authority="Politie",
        window_start=datetime(2027, 1, 1, tzinfo=UTC),
        window_end=datetime(2027, 1, 1, 1, tzinfo=UTC),
        decision=decision,
    )
    _db.session.add(request)
    _db.session.flush()


def evaluate(actor, network, **overrides):
    values = dict(
        period_start=START,
        period_end=END,
        answers=answers(),
        incidents_seen=4,
        decision=EvaluationDecision.CONTINUE,
        reasoning="Minder inbraken sinds de camera's.",
        today=TODAY,
    )
    return evaluations.record_evaluation(actor, network, **(values | overrides))


def test_the_previous_half_year():
    assert evaluations.half_year_before(date(2027, 7, 5)) == (START, END)
    assert evaluations.half_year_before(date(2027, 3, 1)) == (date(2026, 7, 1), date(2026, 12, 31))


def test_the_figures_of_the_period_are_gathered_and_the_decision_audited(db, network, officer):
    _request(network, date(2027, 2, 1), FootageDecision.PROVIDED)
    _request(network, date(2027, 3, 1), FootageDecision.REFUSED)
    _request(network, date(2026, 12, 31), FootageDecision.PROVIDED)  # before the period
    check = checks.open_check(network, today=date(2027, 2, 1))
    checks.record_check(officer, check, all_ok(check, uptime=(Score.MAJOR, "Uit")), today=date(2027, 2, 1))
    evaluation = evaluate(officer, network, answers=answers(subsidiarity=(False, " Eerst verlichting ")))
    assert evaluation.figures == {
        "footage_requests": 2,
        "footage_provided": 1,
        "checks_done": 1,
        "major_findings": 1,
        "incidents_seen": 4,
    }
    assert evaluation.answers["subsidiarity"] == {"met": False, "note": "Eerst verlichting"}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cameras.evaluation_decided"))
    assert event.details["decision"] == "doorgaan" and event.details["criteria_met"] == 6


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reasoning": "  "}, "Onderbouw het besluit"),
        ({"decision": None}, "Kies een besluit"),
        ({"answers": {"urgent_need": (True, "")}}, "Beantwoord elk criterium"),
        ({"period_end": date(2026, 12, 1)}, "voor het begin"),
        ({"period_start": date(2027, 8, 1), "period_end": date(2027, 12, 31)}, "nog niet begonnen"),
        ({"incidents_seen": -1}, "aantal incidenten"),
    ],
)
def test_refused_evaluations(db, network, officer, overrides, message):
    with pytest.raises(DomainError, match=message):
        evaluate(officer, network, **overrides)
    assert db.session.scalar(select(Evaluation)) is None


def test_a_period_is_evaluated_once(db, network, officer):
    evaluate(officer, network)
    with pytest.raises(DomainError, match="al geëvalueerd"):
        evaluate(officer, network, decision=EvaluationDecision.END)


@pytest.mark.parametrize("role", [Role.MUNICIPALITY, Role.CAMERA_OFFICER])
def test_officer_and_municipality_evaluate(db, park, network, role):
    assert evaluate(make_member(role, park), network).id


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.AUDITOR, Role.ENTREPRENEUR, Role.PARTNER])
def test_others_do_not_evaluate(db, park, network, role):
    with pytest.raises(NotAllowed):
        evaluate(make_member(role, park), network)


def test_the_form_the_page_and_the_report(login_as, db, park, other_park, network, officer):
    db.session.commit()
    client = login_as(officer)
    base = f"/parken/{park.id}/cameras/evaluaties"
    assert "Nieuwe evaluatie" in client.get(f"{base}/").text
    assert client.get(f"{base}/nieuw").status_code == 200
    data = {f"met_{key}": "ja" for key, _label in evaluations.CRITERIA}
    data |= {"period_start": "2026-01-01", "period_end": "2026-06-30", "incidents_seen": "3", "decision": "aanpassen"}
    refused = client.post(f"{base}/nieuw", data=data)
    assert refused.status_code == 422 and "Onderbouw het besluit." in refused.text
    done = client.post(f"{base}/nieuw", data=data | {"reasoning": "Camera C1 verplaatsen"})
    assert done.status_code == 302
    evaluation = db.session.scalar(select(Evaluation))
    page = client.get(done.headers["Location"])
    assert "Camera C1 verplaatsen" in page.text and "Aanpassen" in page.text
    pdf = client.get(f"{base}/{evaluation.id}/rapport.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"
    assert client.get(f"/parken/{other_park.id}/cameras/evaluaties/{evaluation.id}").status_code in (403, 404)
    entrepreneur = login_as(make_member(Role.ENTREPRENEUR, park))
    db.session.commit()
    assert entrepreneur.get(f"{base}/{evaluation.id}").status_code == 403
    assert entrepreneur.post(f"{base}/nieuw", data=data).status_code == 403


def test_the_report_has_the_decision_and_criteria(app, db, network, officer):
    evaluation = evaluate(officer, network, decision=EvaluationDecision.END, reasoning="Geen incidenten meer")
    with app.test_request_context():
        pdf = evaluations.evaluation_pdf(evaluation, compress=False)
    assert pdf.startswith(b"%PDF")
    for words in (b"Besluit: Stoppen", b"Geen incidenten meer", b"Subsidiariteit", b"Verzoeken om beelden"):
        assert words in pdf, words
