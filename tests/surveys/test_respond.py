"""The respondent's side: which links open the questionnaire, and how answers are stored (once, anonymously)."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, inspect, select

from app.audit.models import AuditEvent
from app.clock import local_today
from app.errors import DomainError
from app.extensions import db as _db
from app.surveys import responses
from app.surveys.models import (
    InvitationStatus,
    SurveyContact,
    SurveyInvitation,
    SurveyResponse,
    SurveyStatus,
)
from app.surveys.services import freeze
from tests.factories import link_of, make_company, make_invitation
from tests.surveys.support import proof_for

PUBLIC_TOKEN = "publiek-token-1234567890"
ANSWERS = {
    "sector": "productie",
    "size": "10-49",
    "hours": ["overdag", "avond"],
    "safe_day": 4,
    "safe_dark": 2,
    "grade": 7,
    "trend": "gelijk",
    "victimisation": {"inbraak": "1"},
    "know_where": True,
    "remarks": "Meer verlichting bij de ingang, graag.",
}

#: refusals name the question by its title, never its internal name (sector, safe_day)
SECTOR_REFUSED = 'Het antwoord op de vraag "Wat is de hoofdactiviteit van uw bedrijf?" is geen van de keuzes.'
SAFE_DAY_REFUSED = (
    'Het antwoord op de vraag "Hoe veilig voelt u zich overdag op het bedrijventerrein?" moet een heel getal van 1 tot '
    "en met 5"
)


@pytest.fixture
def accepting(survey):
    """The survey, open from yesterday until a month ahead (days in the Netherlands)."""
    today = local_today()
    survey.status = SurveyStatus.OPEN
    survey.opens_on = today - timedelta(days=1)
    survey.closes_on = today + timedelta(days=30)
    return survey


@pytest.fixture
def invitation(db, accepting, park):
    company = make_company(park, name="Transport Van Dam", sector="transport")
    return make_invitation(accepting, company=company, sector="transport")


@pytest.fixture
def token(invitation) -> str:
    """The token of the invitation's personal link."""
    return link_of(invitation)


def post_answers(client, url: str, payload: object, **headers):
    body = payload if isinstance(payload, bytes | str) else json.dumps(payload)
    return client.post(url, data=body, content_type="application/json", headers=headers, csrf=False)


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# Opening the link ------------------------------------------------------------------------------------------


def test_the_link_opens_the_questionnaire_and_is_marked_opened(client, db, invitation, token):
    response = client.get(f"/enquete/{token}")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="survey-definition"' in page and '"sector"' in page
    assert f"/enquete/{token}/antwoorden" in page
    assert "vendor/surveyjs/survey.core.min.js" in page
    assert response.headers["Cache-Control"] == "no-store"
    db.session.expire_all()
    assert invitation.status == InvitationStatus.OPENED
    client.get(f"/enquete/{token}")
    db.session.expire_all()
    assert invitation.status == InvitationStatus.OPENED


@pytest.mark.parametrize(
    "guess",
    [
        lambda token: "geraden-token",
        lambda token: token[:-1],
        lambda token: token + "x",
        lambda token: token[:16] + "A" * 16,  # the id half alone does not do
        lambda token: "x" * 80,
    ],
)
def test_a_guessed_token_is_not_found(client, token, guess):
    response = client.get(f"/enquete/{guess(token)}")
    assert response.status_code == 404
    assert "Link niet gevonden" in response.get_data(as_text=True)


def test_a_revoked_link_is_not_found(client, db, invitation, token):
    invitation.status = InvitationStatus.REVOKED
    assert client.get(f"/enquete/{token}").status_code == 404


def test_a_used_link_says_thank_you(client, db, invitation, token):
    invitation.status = InvitationStatus.USED
    response = client.get(f"/enquete/{token}")
    # 200: an informative page the respondent may well open again from the mail, not an error
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Al ingevuld: dank u wel!" in page
    assert 'id="survey-definition"' not in page


@pytest.mark.parametrize(
    ("change", "text"),
    [
        ({"status": SurveyStatus.CLOSED}, "Deze enquête is gesloten"),
        ({"closes_on": -1}, "Deze enquête is gesloten"),
        ({"status": SurveyStatus.DRAFT}, "Deze enquête is nog niet geopend"),
        ({"opens_on": 2, "closes_on": 10}, "De enquête opent op"),
    ],
)
def test_a_survey_that_takes_no_answers_says_so(client, db, invitation, accepting, change, text, token):
    for key, value in change.items():
        setattr(accepting, key, local_today() + timedelta(days=value) if isinstance(value, int) else value)
    response = client.get(f"/enquete/{token}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert text in page
    assert 'id="survey-definition"' not in page
    db.session.expire_all()
    assert invitation.status == InvitationStatus.INVITED


def test_the_public_link(client, db, accepting):
    assert client.get("/enquete/open/publiek-token-1234567890").status_code == 404
    accepting.public_token = "publiek-token-1234567890"
    response = client.get("/enquete/open/publiek-token-1234567890")
    assert response.status_code == 200
    assert "/enquete/open/publiek-token-1234567890/antwoorden" in response.get_data(as_text=True)
    accepting.public_token = None
    assert client.get("/enquete/open/publiek-token-1234567890").status_code == 404


def test_pictures_of_the_questionnaire_on_another_site_are_allowed_by_the_page_alone(client, db, invitation, token):
    def image_sources() -> str:
        policy = client.get(f"/enquete/{token}").headers["Content-Security-Policy"]
        return re.search(r"img-src ([^;]*);", policy).group(1)

    assert "https://images.example.org" not in image_sources()
    picker = {
        "type": "imagepicker",
        "name": "ingang",
        "choices": [
            {"value": "noord", "imageLink": "https://images.example.org/noord.png"},
            {"value": "zuid", "imageLink": "data:image/png;base64,iVBORw0KGgo="},
        ],
    }
    invitation.survey.definition = {"pages": [{"name": "p", "elements": [picker]}]}
    db.session.commit()
    assert image_sources().split()[-1] == "https://images.example.org"
    assert "images.example.org" not in client.get("/").headers["Content-Security-Policy"]


def test_the_introduction_promises_anonymity_once(client, invitation, token):
    """The platform's sentence says the answers are anonymous; the default questionnaire's description no longer
    says it again. The page's script shows the introduction on the first page only (tests/e2e/test_survey_phone.py).
    """
    page = client.get(f"/enquete/{token}").get_data(as_text=True)
    intro = re.search(r'<div id="survey-intro".*?</div>', page, re.DOTALL).group()
    assert intro.count("anoniem") == 1
    assert "Deze enquête duurt ongeveer 10 minuten. De vragen gaan over de afgelopen 12 maanden." in intro


def test_the_thanks_say_the_answers_arrived(client, invitation, token):
    """Not that they are kept on this device: that is said only while they cannot be sent."""
    page = client.get(f"/enquete/{token}").get_data(as_text=True)
    thanks = re.search(r'<section id="survey-thanks".*?</section>', page, re.DOTALL).group()
    assert "Wij hebben uw antwoorden goed ontvangen." in thanks
    assert "apparaat" not in thanks
    response = post_answers(client, f"/enquete/{token}/antwoorden", {"answers": ANSWERS, "contact": None})
    assert response.json == {"ok": True, "message": "Wij hebben uw antwoorden goed ontvangen."}


def test_the_page_follows_the_language(client, invitation, token):
    client.post("/taal", data={"lang": "en", "next": f"/enquete/{token}"})
    page = client.get(f"/enquete/{token}").get_data(as_text=True)
    assert '"locale": "en"' in page
    assert '<html lang="en"' in page


# Submitting ------------------------------------------------------------------------------------------------


def test_answers_are_stored_without_company_or_link(client, db, invitation, accepting, token):
    response = post_answers(client, f"/enquete/{token}/antwoorden", {"answers": ANSWERS, "contact": None})

    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.json["ok"] is True
    db.session.expire_all()
    stored = db.session.scalars(select(SurveyResponse)).one()
    assert stored.survey_id == accepting.id
    assert stored.answers == ANSWERS
    assert stored.period == 1
    assert stored.via_public_link is False
    # by design the row has nothing that points at the company, the invitation or the moment of submission, and
    # the invitation keeps no moment of use
    assert {c.key for c in inspect(SurveyResponse).columns} == {
        "id",
        "survey_id",
        "answers",
        "period",
        "via_public_link",
        "proof",
    }
    assert stored.proof is None  # a public answer's spent proof of work: none through a personal link
    assert isinstance(stored.id, uuid.UUID) and stored.id.version == 4
    assert token not in json.dumps(stored.answers) and "Transport" not in json.dumps(stored.answers)
    assert invitation.status == InvitationStatus.USED
    assert not {c.key for c in inspect(SurveyInvitation).columns} & {"opened_at", "used_at", "updated_at"}
    # the audit log says that someone answered, not through which invitation
    (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "surveys.answered"))
    assert (event.actor_id, event.actor_label, event.subject_id, event.details) == (
        None,
        "respondent",
        str(accepting.id),
        {},
    )
    assert accepting.frozen_at is not None
    assert count(db, SurveyContact) == 0


def test_a_link_works_once(client, db, invitation, token):
    url = f"/enquete/{token}/antwoorden"
    assert post_answers(client, url, {"answers": ANSWERS}).status_code == 201
    again = post_answers(client, url, {"answers": ANSWERS})
    assert again.status_code == 409
    assert again.json == {"ok": False, "message": "Met deze link is de enquête al ingevuld. Dank u wel!"}
    assert count(db, SurveyResponse) == 1


def test_a_claim_that_lost_the_race_stores_nothing(db, invitation, accepting):
    """Two submissions with one link at the same time: the second one's UPDATE finds the link used."""
    db.session.execute(
        SurveyInvitation.__table__.update()
        .where(SurveyInvitation.id == invitation.id)
        .values(status=InvitationStatus.USED.value)
    )
    assert invitation.status == InvitationStatus.INVITED  # the stale copy a second request would hold
    with pytest.raises(responses.AlreadyAnswered):
        responses.submit_response(accepting, invitation, ANSWERS, None, now=datetime.now(UTC), today=local_today())


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"answers": {"sector": "bakkerij"}}, SECTOR_REFUSED),
        ({"answers": {"unknown_question": 1}}, 'De antwoorden noemen een onbekende vraag "unknown_question".'),
        ({"answers": {"safe_day": 9}}, SAFE_DAY_REFUSED),
        ({"answers": []}, "De antwoorden moeten een JSON-object zijn."),
        ({"antwoorden": {}}, "Uw antwoorden konden niet worden gelezen."),
        ([1, 2], "Uw antwoorden konden niet worden gelezen."),
        ("{niet json", "Uw antwoorden konden niet worden gelezen."),
        (b"\xff\xfe", "Uw antwoorden konden niet worden gelezen."),
        ({"answers": ANSWERS, "contact": {"email": "a@b.nl"}}, "Vul uw naam in"),
        ({"answers": ANSWERS, "contact": {"name": "Jan"}}, "Vul een e-mailadres of telefoonnummer in"),
        ({"answers": ANSWERS, "contact": {"name": "Jan", "email": "geen-adres"}}, "Dit e-mailadres is niet geldig."),
        ({"answers": ANSWERS, "contact": {"name": "Jan", "phone": "bel me"}}, "Dit telefoonnummer is niet geldig."),
        ({"answers": ANSWERS, "contact": "Jan"}, "Uw contactgegevens konden niet worden gelezen."),
        (
            {"answers": ANSWERS, "contact": {"name": "J", "phone": "0612345678", "wants_working_group": "ja"}},
            "Uw contactgegevens konden niet worden gelezen.",
        ),
    ],
)
def test_invalid_answers_are_refused_and_nothing_is_stored(client, db, invitation, accepting, payload, message, token):
    response = post_answers(client, f"/enquete/{token}/antwoorden", payload)

    assert response.status_code == 400
    assert response.json["ok"] is False
    assert message in response.json["message"]
    db.session.expire_all()
    assert count(db, SurveyResponse) == 0
    assert count(db, SurveyContact) == 0
    assert invitation.status == InvitationStatus.INVITED
    assert accepting.frozen_at is None


def test_too_large_is_refused(client, db, invitation, token):
    payload = {"answers": {**ANSWERS, "remarks": "x" * (responses.MAX_PAYLOAD_BYTES + 1)}}
    response = post_answers(client, f"/enquete/{token}/antwoorden", payload)
    assert response.status_code == 400
    assert "te groot" in response.json["message"]
    assert count(db, SurveyResponse) == 0


def test_only_json_from_this_site_is_taken(client, db, invitation, token):
    url = f"/enquete/{token}/antwoorden"
    form = client.post(url, data={"answers": "{}"}, csrf=False)
    assert form.status_code == 400
    assert "kwam niet van deze site" in form.json["message"]
    foreign = post_answers(client, url, {"answers": ANSWERS}, Origin="https://evil.example")
    assert foreign.status_code == 400
    referred = post_answers(client, url, {"answers": ANSWERS}, Referer="https://evil.example/page")
    assert referred.status_code == 400
    assert count(db, SurveyResponse) == 0
    ours = post_answers(client, url, {"answers": ANSWERS}, Origin="http://localhost")
    assert ours.status_code == 201


def test_unknown_or_revoked_links_store_nothing(client, db, invitation, token):
    assert post_answers(client, "/enquete/geraden/antwoorden", {"answers": ANSWERS}).status_code == 404
    invitation.status = InvitationStatus.REVOKED
    response = post_answers(client, f"/enquete/{token}/antwoorden", {"answers": ANSWERS})
    assert response.status_code == 404
    assert response.json["message"] == "Deze link is niet (meer) geldig."
    assert count(db, SurveyResponse) == 0


@pytest.mark.parametrize(
    "change", [{"status": SurveyStatus.CLOSED}, {"status": SurveyStatus.DRAFT}, {"closes_on": -1}, {"opens_on": 1}]
)
def test_a_survey_that_takes_no_answers_refuses_them(client, db, invitation, accepting, change, token):
    for key, value in change.items():
        setattr(accepting, key, local_today() + timedelta(days=value) if isinstance(value, int) else value)
    response = post_answers(client, f"/enquete/{token}/antwoorden", {"answers": ANSWERS})
    assert response.status_code == 409
    assert "gesloten of nog niet geopend" in response.json["message"]
    db.session.expire_all()
    assert count(db, SurveyResponse) == 0
    assert invitation.status == InvitationStatus.INVITED


def test_the_contact_request_is_stored_apart_from_the_answers(client, db, invitation, accepting, token):
    contact = {
        "name": "  Jan   de Vries ",
        "email": "jan@vandam.nl",
        "phone": "",
        "wants_working_group": True,
        "remark": "Bel gerust.",
    }
    response = post_answers(client, f"/enquete/{token}/antwoorden", {"answers": ANSWERS, "contact": contact})

    assert response.status_code == 201
    db.session.expire_all()
    stored = db.session.scalars(select(SurveyContact)).one()
    assert (stored.survey_id, stored.name, stored.email, stored.phone) == (
        accepting.id,
        "Jan de Vries",
        "jan@vandam.nl",
        None,
    )
    assert stored.wants_working_group is True and stored.remark == "Bel gerust."
    assert {c.key for c in inspect(SurveyContact).columns}.isdisjoint({"response_id", "invitation_id", "company_id"})
    assert "jan" not in json.dumps(db.session.scalars(select(SurveyResponse)).one().answers).lower()


def test_an_empty_contact_form_stores_no_contact(client, db, invitation, token):
    empty = {"name": "", "email": "", "phone": "", "remark": "", "wants_working_group": False}
    assert (
        post_answers(client, f"/enquete/{token}/antwoorden", {"answers": ANSWERS, "contact": empty}).status_code == 201
    )
    assert count(db, SurveyContact) == 0


def public_answers(client, answers: dict) -> dict:
    return {"answers": answers, "proof": proof_for(client, PUBLIC_TOKEN)}


def test_answers_through_the_public_link(client, db, accepting):
    url = f"/enquete/open/{PUBLIC_TOKEN}/antwoorden"
    assert post_answers(client, url, {"answers": ANSWERS}).status_code == 404
    accepting.public_token = PUBLIC_TOKEN
    assert post_answers(client, url, public_answers(client, ANSWERS)).status_code == 201
    assert post_answers(client, url, public_answers(client, {"sector": "bouw"})).status_code == 201
    db.session.expire_all()
    stored = db.session.scalars(select(SurveyResponse)).all()
    assert [r.via_public_link for r in stored] == [True, True]


def test_answers_to_a_frozen_survey_are_checked_without_reading_its_definition(client, db, accepting):
    """The busiest request: once the first answer froze the survey, its rules are kept in memory, so the next
    submissions neither read the 17 kB definition nor walk through it, and are still checked."""
    accepting.public_token = PUBLIC_TOKEN
    url = f"/enquete/open/{PUBLIC_TOKEN}/antwoorden"
    assert post_answers(client, url, public_answers(client, ANSWERS)).status_code == 201  # freezes the survey
    assert post_answers(client, url, public_answers(client, ANSWERS)).status_code == 201  # its rules are kept
    ready = [public_answers(client, {"sector": "bouw"}), public_answers(client, {"sector": "bakkerij"})]
    statements: list[str] = []

    def record(connection, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", record)
    try:
        assert post_answers(client, url, ready[0]).status_code == 201
        refused = post_answers(client, url, ready[1])
    finally:
        event.remove(_db.engine, "before_cursor_execute", record)
    assert refused.status_code == 400
    assert refused.json["message"] == SECTOR_REFUSED
    assert any("survey_responses" in statement for statement in statements)
    assert not any("definition" in statement for statement in statements)
    assert count(db, SurveyResponse) == 3


def test_the_rules_of_a_survey_not_yet_frozen_follow_its_definition(db, accepting):
    assert responses.answer_rules(accepting).clean({"remarks": "Goed zo."}) == {"remarks": "Goed zo."}
    accepting.definition = {"pages": [{"name": "p", "elements": [{"type": "text", "name": "naam"}]}]}
    with pytest.raises(DomainError, match='onbekende vraag "remarks"'):
        responses.answer_rules(accepting).clean({"remarks": "Goed zo."})
    freeze(accepting, datetime.now(UTC))
    assert responses.answer_rules(accepting) is responses.answer_rules(accepting)  # kept from now on
