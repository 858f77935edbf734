"""The public survey link against stuffing: a proof of work per answer, spent once, and a limit per client; the
personal links need neither. Nothing of the guard is stored with the answers."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import altcha
import pytest
import time_machine
from sqlalchemy import func, select

from app import ratelimit
from app.audit.models import AuditEvent
from app.auth.models import Role
from app.surveys import proof, services
from app.surveys.invitations import new_token
from app.surveys.models import SurveyResponse
from tests.factories import link_of, make_company, make_invitation, make_member
from tests.surveys.support import proof_for

ANSWERS = {"sector": "bouw", "grade": 7}
LIMIT = 5


@pytest.fixture
def public(app, db, survey, monkeypatch):
    """The open survey with its public link on, a limit of 5 answers per client an hour, and an easy proof."""
    monkeypatch.setitem(app.config, "SURVEY_PUBLIC_LIMIT", f"{LIMIT}/hour")
    monkeypatch.setitem(app.config, "SURVEY_PROOF_MAX_COUNTER", 64)
    survey.public_token = new_token()
    db.session.commit()
    return survey


def solved(client, survey) -> dict:
    return proof_for(client, survey.public_token)


def post(client, survey, proof_: object, answers: dict = ANSWERS):
    body = json.dumps({"answers": answers, "contact": None, "proof": proof_})
    return client.post(
        f"/enquete/open/{survey.public_token}/antwoorden", data=body, content_type="application/json", csrf=False
    )


def stored(db) -> int:
    return db.session.scalar(select(func.count()).select_from(SurveyResponse))


def test_stuffing_from_one_client_is_refused_after_the_allowed_answers(client, db, public):
    """Thirty answer sets in a row from one client, each with a valid proof: the first five are stored."""
    statuses = [post(client, public, solved(client, public)).status_code for _ in range(30)]
    assert statuses == [201] * LIMIT + [429] * (30 - LIMIT)
    assert stored(db) == LIMIT
    refused = post(client, public, solved(client, public))
    assert refused.headers["Retry-After"].isdigit()
    assert "Vanaf deze verbinding is de enquête al vaak ingevuld" in refused.get_json()["message"]
    # another client has its own count
    other = client.application.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert post(other, public, solved(other, public)).status_code == 201
    assert stored(db) == LIMIT + 1


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda proof_: None, id="no proof"),
        pytest.param(lambda proof_: "geen bewijs", id="not an object"),
        pytest.param(lambda proof_: {"challenge": proof_["challenge"]}, id="no solution"),
        pytest.param(
            lambda proof_: {**proof_, "solution": {**proof_["solution"], "derivedKey": "00" * 32}},
            id="made-up key",
        ),
        pytest.param(
            lambda proof_: {
                **proof_,
                "challenge": {**proof_["challenge"], "parameters": {**proof_["challenge"]["parameters"], "cost": 0}},
            },
            id="tampered challenge",
        ),
    ],
)
def test_an_answer_without_a_valid_proof_is_refused_and_stores_nothing(client, db, public, spoil):
    response = post(client, public, spoil(solved(client, public)))
    assert response.status_code == 403
    body = response.get_json()
    assert body["proof"] is True and body["message"].startswith("Uw antwoorden kwamen zonder geldige controle binnen.")
    assert stored(db) == 0


def test_challenges_are_not_kept_by_any_cache(client, public):
    response = client.get(f"/enquete/open/{public.public_token}/uitdaging")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json()["parameters"]["data"] == {"survey": public.id}


def test_a_proof_is_spent_once(client, db, public):
    proof_ = solved(client, public)
    assert post(client, public, proof_).status_code == 201
    again = post(client, public, proof_)
    assert again.status_code == 403 and again.get_json()["message"].startswith(
        "De controle bij uw antwoorden was al eens gebruikt."
    )
    assert stored(db) == 1


def test_a_proof_expires_and_is_for_one_survey_only(app, client, db, public):
    with time_machine.travel(datetime.now(UTC) - proof.LIFETIME - timedelta(minutes=1)):
        stale = solved(client, public)
    expired = post(client, public, stale)
    assert expired.status_code == 403 and "verlopen" in expired.get_json()["message"]

    with app.test_request_context():  # a challenge of another survey, signed as any
        foreign = proof.new_challenge(SimpleNamespace(id=public.id + 1), now=datetime.now(UTC))
    challenge = altcha.Challenge.from_dict(foreign)
    assert (
        post(client, public, altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_dict()).status_code == 403
    )
    assert stored(db) == 0


def test_personal_links_need_no_proof(client, db, public, park):
    invitation = make_invitation(public, company=make_company(park))
    db.session.commit()
    body = json.dumps({"answers": ANSWERS, "contact": None})
    response = client.post(
        f"/enquete/{link_of(invitation)}/antwoorden", data=body, content_type="application/json", csrf=False
    )
    assert response.status_code == 201 and stored(db) == 1


def test_the_guard_leaves_nothing_with_the_answers(app, client, db, public):
    client.environ_base["REMOTE_ADDR"] = "198.51.100.23"
    sent = solved(client, public)
    assert post(client, public, sent).status_code == 201
    response = db.session.scalars(select(SurveyResponse)).one()
    rows = [response.answers, *(event.details for event in db.session.scalars(select(AuditEvent)))]
    assert "198.51.100.23" not in json.dumps(rows)
    counted = list(ratelimit.limiter(app).memory.storage)
    assert counted and not [key for key in counted if "198.51.100.23" in key]  # hashed
    # the spent proof is a hash of the challenge's signature: random, and not the moment it was issued
    assert response.proof == hashlib.sha256(sent["challenge"]["signature"].encode()).hexdigest()
    assert str(sent["challenge"]["parameters"]["expiresAt"]) not in json.dumps([*rows, response.proof])


def test_closing_the_public_link_refuses_new_answers_at_once(client, db, public, park):
    proof_ = solved(client, public)
    token = public.public_token
    services.set_public_link(make_member(Role.ADVISOR, park), public, False)
    db.session.commit()
    body = json.dumps({"answers": ANSWERS, "contact": None, "proof": proof_})
    closed = client.post(f"/enquete/open/{token}/antwoorden", data=body, content_type="application/json", csrf=False)
    assert closed.status_code == 404 and stored(db) == 0
    assert client.get(f"/enquete/open/{token}/uitdaging").status_code == 404


def test_no_challenge_while_the_survey_takes_no_answers(client, db, public):
    public.closes_on = public.opens_on
    public.opens_on = public.opens_on - timedelta(days=10)
    db.session.commit()
    refused = client.get(f"/enquete/open/{public.public_token}/uitdaging")
    assert refused.status_code == 409 and "gesloten of nog niet geopend" in refused.get_json()["message"]
