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
from app.clock import local_today
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
    evaluation = evaluate(
        officer,
        network,
        answers=answers(subsidiarity=(False, " Eerst verlichting ")),
        decision=EvaluationDecision.ADJUST,
    )
    assert evaluation.figures == {
        "footage_requests": 2,
        "footage_provided": 1,
        "checks_done": 1,
        "major_findings": 1,
        "incidents_seen": 4,
    }
    assert evaluation.answers["subsidiarity"] == {"met": False, "note": "Eerst verlichting"}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cameras.evaluation_decided"))
    assert event.details["decision"] == "aanpassen" and event.details["criteria_met"] == 6


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


@pytest.mark.parametrize("key", evaluations.POLICY_KEYS)
def test_continue_is_refused_when_necessity_proportionality_or_subsidiarity_is_not_met(db, network, officer, key):
    with pytest.raises(DomainError, match="Doorgaan kan niet") as refused:
        evaluate(officer, network, answers=answers(**{key: (False, "Niet aangetoond")}))
    assert refused.value.field == "decision"
    assert str(evaluations.POLICY_NAMES[key]) in refused.value.message
    assert db.session.scalar(select(Evaluation)) is None
    # adjusting or ending, with a reasoning, is the way on
    for decision in (EvaluationDecision.ADJUST, EvaluationDecision.END):
        evaluation = evaluate(
            officer, network, answers=answers(**{key: (False, "")}), decision=decision, period_start=START
        )
        assert evaluation.decision == decision
        db.session.delete(evaluation)
        db.session.flush()
    with pytest.raises(DomainError, match="Onderbouw het besluit"):
        evaluate(officer, network, answers=answers(**{key: (False, "")}), decision=EvaluationDecision.END, reasoning="")


def test_other_criteria_not_met_do_not_stop_continuing(db, network, officer):
    evaluation = evaluate(officer, network, answers=answers(package=(False, ""), more_problems=(False, "")))
    assert evaluation.decision == EvaluationDecision.CONTINUE


@pytest.mark.parametrize("today", [date(2027, 3, 1), date(2027, 6, 30)])
def test_an_evaluation_is_not_closed_before_its_half_year_ends(db, network, officer, today):
    with pytest.raises(DomainError, match="pas vastgelegd als het halfjaar voorbij") as refused:
        evaluate(officer, network, today=today)
    assert refused.value.field == "period_end"
    assert db.session.scalar(select(Evaluation)) is None
    assert evaluate(officer, network, today=date(2027, 7, 1)).decided_on == date(2027, 7, 1)


def test_the_form_refuses_continue_at_the_decision_and_keeps_the_input(login_as, db, park, network, officer):
    db.session.commit()
    client = login_as(officer)
    base = f"/parken/{park.id}/cameras/evaluaties"
    form = client.get(f"{base}/nieuw").text
    assert "Doorgaan kan alleen als noodzaak, proportionaliteit en subsidiariteit voldaan zijn" in form
    data = {f"met_{key}": "ja" for key, _label in evaluations.CRITERIA} | {"met_proportionality": "nee"}
    data |= {"period_start": "2026-01-01", "period_end": "2026-06-30", "incidents_seen": "3", "decision": "doorgaan"}
    data |= {"reasoning": "Werkt goed"}
    refused = client.post(f"{base}/nieuw", data=data)
    assert refused.status_code == 422
    assert 'id="decision-error"' in refused.text and "Doorgaan kan niet: proportionaliteit" in refused.text
    assert "Werkt goed" in refused.text
    assert db.session.scalar(select(Evaluation)) is None
    today = local_today()  # the half-year running now cannot be closed yet
    start, end = (
        (date(today.year, 1, 1), date(today.year, 6, 30))
        if today.month <= 6
        else (date(today.year, 7, 1), date(today.year, 12, 31))
    )
    now = {"decision": "aanpassen", "period_start": start.isoformat(), "period_end": end.isoformat()}
    running = client.post(f"{base}/nieuw", data=data | now)
    assert running.status_code == 422 and 'id="period_end-error"' in running.text
    assert "pas vastgelegd als het halfjaar voorbij" in running.text
    assert client.post(f"{base}/nieuw", data=data | {"decision": "aanpassen"}).status_code == 302


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
