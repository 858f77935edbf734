"""Running a survey: creating it, its questionnaire and letter, opening, closing and the public link; the
advisor's pages for it and who may use them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.clock import local_today
from app.errors import DomainError, NotAllowed
from app.parks.models import CycleStatus
from app.parks.services import active_cycle, start_cycle
from app.surveys import services
from app.surveys.definition import load_default, questions
from app.surveys.models import Survey, SurveyStatus
from tests.factories import make_member, make_membership, make_organisation, make_park, make_response, make_user

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
TODAY = date(2026, 3, 2)
MANAGERS = (Role.ADVISOR, Role.MUNICIPALITY)


@pytest.fixture
def advisor(park):
    return make_member(Role.ADVISOR, park, name="Anna Adviseur")


def _refused(call, *args, **kwargs) -> str:
    with pytest.raises(DomainError) as error:
        call(*args, **kwargs)
    return error.value.message


def _actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _draft(advisor, park) -> Survey:
    return services.create_survey(advisor, park, title="Enquête 2026")


def _respond(db, survey) -> None:
    make_response(survey, {"grade": 7})
    services.freeze(survey, NOW)
    db.session.flush()


# Creating ----------------------------------------------------------------------------------------------------


def test_create_makes_a_draft_with_the_default_questionnaire_and_letter(db, park, advisor):
    survey = services.create_survey(advisor, park, title="  Enquête   veiligheid 2026 ")
    assert survey.cycle is active_cycle(park) and survey.park is park
    assert survey.title == "Enquête veiligheid 2026"
    assert survey.status == SurveyStatus.DRAFT
    assert survey.definition == load_default()
    assert survey.public_token is None and survey.frozen_at is None
    for placeholder in ("{naam}", "{link}", "{sluitdatum}"):
        assert placeholder in survey.letter_text
    assert services.current_survey(park) is survey
    event = db.session.scalars(select(AuditEvent)).one()
    assert (event.action, event.park_id, event.details["title"]) == ("surveys.created", park.id, survey.title)


def test_the_definition_is_a_copy_per_survey(db, park, advisor):
    first = _draft(advisor, park)
    first.definition["pages"][0]["elements"].clear()
    assert load_default()["pages"][0]["elements"]


def test_one_survey_per_cycle_at_a_time(db, park, advisor):
    first = _draft(advisor, park)
    assert "niet gesloten" in _refused(_draft, advisor, park)
    services.open_survey(advisor, first, opens_on=TODAY, closes_on=TODAY + timedelta(days=28), today=TODAY)
    assert "niet gesloten" in _refused(_draft, advisor, park)
    services.close_survey(advisor, first, today=TODAY)
    second = _draft(advisor, park)
    assert services.current_survey(park) is second


@pytest.mark.parametrize("title", ["", "   ", "x" * 201])
def test_a_survey_needs_a_sensible_title(db, park, advisor, title):
    assert "titel" in _refused(services.create_survey, advisor, park, title=title).lower()


def test_current_survey_is_of_the_active_cycle_only(db, park, advisor):
    assert services.current_survey(park) is None
    survey = _draft(advisor, park)
    cycle = active_cycle(park)
    cycle.status = CycleStatus.CLOSED
    db.session.flush()
    start_cycle(park, number=2, today=TODAY, now=NOW)
    assert services.current_survey(park) is None
    assert "afgesloten" in _refused(
        services.open_survey, advisor, survey, opens_on=TODAY, closes_on=TODAY + timedelta(days=7), today=TODAY
    )


# Who may --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [r for r in Role if r not in MANAGERS])
def test_only_advisors_and_the_municipality_manage_surveys(db, park, advisor, role):
    survey = _draft(advisor, park)
    other = make_member(role, park)
    with pytest.raises(NotAllowed):
        services.create_survey(other, park, title="x")
    for call, kwargs in [
        (services.update_definition, {"raw": load_default()}),
        (services.open_survey, {"opens_on": TODAY, "closes_on": TODAY + timedelta(days=7), "today": TODAY}),
        (services.close_survey, {"today": TODAY}),
        (services.reopen_survey, {"closes_on": TODAY + timedelta(days=7), "today": TODAY}),
        (services.set_public_link, {"enabled": True}),
        (services.update_letter, {"text": "{link}", "signatory": ""}),
    ]:
        with pytest.raises(NotAllowed):
            call(other, survey, **kwargs)


def test_the_municipality_manages_the_surveys_of_its_parks_and_an_advisor_only_their_own(db, park, advisor):
    officer = make_user()
    make_membership(officer, Role.MUNICIPALITY, municipality=park.municipality)
    survey = services.create_survey(officer, park, title="Enquête")
    other_park = make_park(name="Papendorp", municipality=make_organisation())
    with pytest.raises(NotAllowed):
        services.create_survey(advisor, other_park, title="Enquête")
    with pytest.raises(NotAllowed):
        services.set_public_link(make_member(Role.ADVISOR, other_park), survey, True)


# The questionnaire -----------------------------------------------------------------------------------------------


def test_update_definition_checks_and_stores_the_new_questionnaire(db, park, advisor):
    survey = _draft(advisor, park)
    definition = {"pages": [{"elements": [{"type": "boolean", "name": "ok"}]}]}
    services.update_definition(advisor, survey, json.dumps(definition))
    assert survey.definition == definition
    assert "geen geldige JSON" in _refused(services.update_definition, advisor, survey, "{")
    assert survey.definition == definition
    assert _actions(db) == ["surveys.created", "surveys.definition_updated"]


def test_the_definition_is_frozen_after_the_first_response(db, park, survey, advisor):
    _respond(db, survey)
    assert survey.frozen_at == NOW
    message = _refused(services.update_definition, advisor, survey, load_default())
    assert message == "De vragenlijst ligt vast sinds het eerste antwoord binnenkwam."
    later = NOW + timedelta(days=1)
    services.freeze(survey, later)
    assert survey.frozen_at == NOW


def test_a_closed_surveys_definition_does_not_change(db, park, survey, advisor):
    services.close_survey(advisor, survey, today=TODAY)
    assert "gesloten" in _refused(services.update_definition, advisor, survey, load_default())


# The letter ------------------------------------------------------------------------------------------------------


def test_the_letter_and_its_signatory_are_stored(db, park, advisor):
    survey = _draft(advisor, park)
    services.update_letter(advisor, survey, text="  Beste {naam}, zie {link} ", signatory=" Burgemeester ")
    assert (survey.letter_text, survey.letter_signatory) == ("Beste {naam}, zie {link}", "Burgemeester")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "leeg"),
        ("Beste {naam}, tot {sluitdatum}", "{link}"),
        ("Beste {Naam}: {link}", "onbekende invulplek {Naam}"),
        ("{link} {bedrijf}", "onbekende invulplek {bedrijf}"),
        ("{link}" + "x" * 20_000, "te lang"),
    ],
)
def test_the_letter_uses_known_placeholders_and_contains_the_link(db, park, advisor, text, message):
    survey = _draft(advisor, park)
    assert message in _refused(services.update_letter, advisor, survey, text=text, signatory="")


def test_other_braces_may_stay_in_the_letter(db, park, advisor):
    survey = _draft(advisor, park)
    services.update_letter(advisor, survey, text="Tarief: {€ 10,-} per jaar. {link}", signatory="")
    assert "{€ 10,-}" in survey.letter_text


# Opening and closing ----------------------------------------------------------------------------------------------


def test_open_sets_the_dates_and_accepts_answers_within_them(db, park, advisor):
    survey = _draft(advisor, park)
    assert not services.accepts_answers(survey, TODAY)
    services.open_survey(
        advisor, survey, opens_on=TODAY + timedelta(days=1), closes_on=TODAY + timedelta(days=15), today=TODAY
    )
    assert (survey.status, survey.opens_on, survey.closes_on) == (
        SurveyStatus.OPEN,
        TODAY + timedelta(days=1),
        TODAY + timedelta(days=15),
    )
    assert not services.accepts_answers(survey, TODAY)
    assert services.accepts_answers(survey, TODAY + timedelta(days=1))
    assert services.accepts_answers(survey, TODAY + timedelta(days=15))
    assert not services.accepts_answers(survey, TODAY + timedelta(days=16))
    services.close_survey(advisor, survey, today=TODAY + timedelta(days=3))
    assert not services.accepts_answers(survey, TODAY + timedelta(days=3))
    assert _actions(db) == ["surveys.created", "surveys.opened", "surveys.closed"]


@pytest.mark.parametrize(
    ("opens_on", "closes_on", "message"),
    [
        (TODAY, TODAY, "na de openingsdatum"),
        (TODAY + timedelta(days=5), TODAY + timedelta(days=2), "na de openingsdatum"),
        (TODAY - timedelta(days=10), TODAY - timedelta(days=1), "in het verleden"),
        (None, TODAY + timedelta(days=1), "openingsdatum"),
        (TODAY, None, "sluitdatum"),
    ],
)
def test_open_needs_valid_dates(db, park, advisor, opens_on, closes_on, message):
    survey = _draft(advisor, park)
    assert message in _refused(
        services.open_survey, advisor, survey, opens_on=opens_on, closes_on=closes_on, today=TODAY
    )
    assert survey.status == SurveyStatus.DRAFT


def test_only_a_draft_is_opened_and_a_closed_survey_is_not_closed_again(db, park, survey, advisor):
    assert "in voorbereiding" in _refused(
        services.open_survey, advisor, survey, opens_on=TODAY, closes_on=TODAY + timedelta(days=1), today=TODAY
    )
    services.close_survey(advisor, survey, today=TODAY)
    assert "al gesloten" in _refused(services.close_survey, advisor, survey, today=TODAY)


def test_a_draft_may_be_abandoned(db, park, advisor):
    survey = _draft(advisor, park)
    services.close_survey(advisor, survey, today=TODAY)
    assert survey.status == SurveyStatus.CLOSED
    assert "nog niet geopend" in _refused(
        services.reopen_survey, advisor, survey, closes_on=TODAY + timedelta(days=7), today=TODAY
    )


def test_reopen_a_closed_survey_or_move_the_closing_date_of_an_open_one(db, park, survey, advisor):
    today = local_today()
    services.reopen_survey(advisor, survey, closes_on=today + timedelta(days=40), today=today)
    assert (survey.status, survey.closes_on) == (SurveyStatus.OPEN, today + timedelta(days=40))
    assert survey.period == 1  # a later closing date is the same opening period
    services.close_survey(advisor, survey, today=today)
    assert "in het verleden" in _refused(
        services.reopen_survey, advisor, survey, closes_on=today - timedelta(days=1), today=today
    )
    services.reopen_survey(advisor, survey, closes_on=today + timedelta(days=3), today=today)
    assert survey.status == SurveyStatus.OPEN
    assert survey.period == 2  # opened again: a new one
    assert services.accepts_answers(survey, today)
    assert _actions(db) == ["surveys.closing_date_changed", "surveys.closed", "surveys.reopened"]


def test_an_older_survey_is_not_reopened_after_a_newer_one_started(db, park, survey, advisor):
    services.close_survey(advisor, survey, today=TODAY)
    _draft(advisor, park)
    assert "nieuwere" in _refused(
        services.reopen_survey, advisor, survey, closes_on=local_today() + timedelta(days=7), today=local_today()
    )


# The public link ---------------------------------------------------------------------------------------------------


def test_the_public_link_is_switched_on_and_off(db, park, survey, advisor):
    services.set_public_link(advisor, survey, True)
    token = survey.public_token
    assert token and len(token) >= 32
    services.set_public_link(advisor, survey, True)
    assert survey.public_token == token  # on again keeps the link that went out
    services.set_public_link(advisor, survey, False)
    assert survey.public_token is None
    services.set_public_link(advisor, survey, True)
    assert survey.public_token not in (None, token)
    assert _actions(db) == [
        "surveys.public_link_enabled",
        "surveys.public_link_disabled",
        "surveys.public_link_enabled",
    ]


# Pages -------------------------------------------------------------------------------------------------------------


def _url(park, suffix=""):
    return f"/parken/{park.id}/enquete/{suffix}"


def _reload(db, survey) -> Survey:
    db.session.expire_all()
    return db.session.get(Survey, survey.id)


def test_the_survey_page_offers_to_create_one(login_as, park, advisor):
    body = login_as(advisor).get(_url(park)).get_data(as_text=True)
    assert "Er is nog geen enquête in deze cyclus." in body
    assert f"Enquête veiligheid Lage Weide {local_today().year}" in body  # the suggested title


def test_create_from_the_page(db, login_as, park, advisor):
    client = login_as(advisor)
    response = client.post(_url(park, "nieuw"), data={"create-title": "Enquête 2026"})
    assert response.status_code == 302 and response.headers["Location"].endswith(_url(park))
    survey = services.current_survey(park)
    assert survey.title == "Enquête 2026" and survey.status == SurveyStatus.DRAFT
    body = client.get(_url(park)).get_data(as_text=True)
    assert "De enquête is aangemaakt" in body and "Enquête openen" in body
    assert f"{len(questions(load_default()))} vragen" in body
    refused = client.post(_url(park, "nieuw"), data={"create-title": "Nog een"})
    assert refused.status_code == 422
    assert "niet gesloten" in refused.get_data(as_text=True)
    assert client.post(_url(park, "nieuw"), data={"create-title": ""}).status_code == 422


def test_open_close_and_reopen_from_the_page(db, login_as, park, advisor):
    survey = _draft(advisor, park)
    client = login_as(advisor)
    today = local_today()
    response = client.post(
        _url(park, "openen"),
        data={"open-opens_on": today.isoformat(), "open-closes_on": (today + timedelta(days=10)).isoformat()},
    )
    assert response.status_code == 302
    assert _reload(db, survey).status == SurveyStatus.OPEN
    assert "Ondernemers kunnen de enquête nu invullen." in client.get(_url(park)).get_data(as_text=True)

    assert client.post(_url(park, "sluiten")).status_code == 302
    assert _reload(db, survey).status == SurveyStatus.CLOSED
    body = client.get(_url(park)).get_data(as_text=True)
    assert "De enquête is gesloten." in body and "Enquête heropenen" in body and "Nieuwe enquête" in body

    past = client.post(_url(park, "heropenen"), data={"reopen-closes_on": (today - timedelta(days=1)).isoformat()})
    assert past.status_code == 422 and "in het verleden" in past.get_data(as_text=True)
    later = today + timedelta(days=5)
    assert client.post(_url(park, "heropenen"), data={"reopen-closes_on": later.isoformat()}).status_code == 302
    assert (_reload(db, survey).status, _reload(db, survey).closes_on) == (SurveyStatus.OPEN, later)


def test_open_with_wrong_dates_shows_why(db, login_as, park, advisor):
    _draft(advisor, park)
    today = local_today()
    response = login_as(advisor).post(
        _url(park, "openen"),
        data={"open-opens_on": today.isoformat(), "open-closes_on": today.isoformat()},
    )
    assert response.status_code == 422
    assert "De sluitdatum moet na de openingsdatum liggen." in response.get_data(as_text=True)
    missing = login_as(advisor).post(_url(park, "openen"), data={"open-opens_on": "morgen"})
    assert missing.status_code == 422


def test_closing_twice_is_explained_not_an_error_page(db, login_as, park, survey, advisor):
    client = login_as(advisor)
    client.post(_url(park, "sluiten"))
    response = client.post(_url(park, "sluiten"), follow_redirects=True)
    assert response.status_code == 200
    assert "Deze enquête is al gesloten." in response.get_data(as_text=True)


def test_the_public_link_from_the_page(db, login_as, park, survey, advisor):
    client = login_as(advisor)
    assert "De openbare link staat uit." in client.get(_url(park)).get_data(as_text=True)
    assert client.post(_url(park, "openbare-link"), data={"enabled": "1"}).status_code == 302
    token = _reload(db, survey).public_token
    assert token
    body = client.get(_url(park)).get_data(as_text=True)
    assert f"/enquete/open/{token}" in body and "Openbare link uitzetten" in body
    client.post(_url(park, "openbare-link"), data={"enabled": "0"})
    assert _reload(db, survey).public_token is None


def test_the_definition_page_shows_the_questions_and_saves_a_new_questionnaire(db, login_as, park, advisor):
    survey = _draft(advisor, park)
    client = login_as(advisor)
    body = client.get(_url(park, "vragenlijst")).get_data(as_text=True)
    assert "Hoe veilig voelt u zich na donker op het bedrijventerrein?" in body
    assert "Matrix" in body  # the type of question "victimisation"
    assert "&#34;locale&#34;: &#34;nl&#34;" in body or "&quot;locale&quot;: &quot;nl&quot;" in body
    assert "JSON opslaan" in body

    definition = load_default()
    definition["pages"][0]["elements"][0]["title"] = {"default": "Wat doet uw bedrijf?", "en": "What do you do?"}
    response = client.post(_url(park, "vragenlijst"), data={"definition-definition": json.dumps(definition)})
    assert response.status_code == 302
    assert questions(_reload(db, survey).definition)[0]["title"]["default"] == "Wat doet uw bedrijf?"


def test_a_broken_definition_is_shown_back_with_the_reason(db, login_as, park, advisor):
    survey = _draft(advisor, park)
    response = login_as(advisor).post(_url(park, "vragenlijst"), data={"definition-definition": '{"pages": ['})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "De vragenlijst is geen geldige JSON: fout op regel 1" in body
    assert "{&#34;pages&#34;: [" in body or "{&quot;pages&quot;: [" in body  # the input is kept
    assert _reload(db, survey).definition == load_default()


def test_every_problem_of_a_definition_is_listed_on_the_page(db, login_as, park, advisor):
    survey = _draft(advisor, park)
    broken = {
        "questions": [
            {"type": "file", "name": "upload"},
            {"type": "radiogroup", "name": "keuze", "choicesByUrl": {"url": "https://example.com"}, "choices": [1]},
            {"type": "html", "name": "uitleg", "html": "<script>alert(1)</script>"},
        ]
    }
    response = login_as(advisor).post(_url(park, "vragenlijst"), data={"definition-definition": json.dumps(broken)})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Los deze 3 problemen op" in body
    assert body.count('<li class="utrecht-unordered-list__item">Pagina 1 (&#34;page1&#34;): ') == 3
    assert "choicesByUrl" in body and "anonieme" in body and "javascript:-links" in body
    assert _reload(db, survey).definition == load_default()


def test_the_definition_page_lists_questions_of_every_type(db, login_as, park, advisor):
    survey = _draft(advisor, park)
    examples = Path(__file__).parent / "examples"
    raw = (examples / "ranking_tagbox_slider.json").read_text(encoding="utf-8")
    client = login_as(advisor)
    assert client.post(_url(park, "vragenlijst"), data={"definition-definition": raw}).status_code == 302
    body = client.get(_url(park, "vragenlijst")).get_data(as_text=True)
    for label in ("Rangorde", "Meer keuzes uit een lijst", "Schuifregelaar", "Keuze uit afbeeldingen"):
        assert label in body
    assert "Please rank the following smartphone features in order of importance:" in body
    assert len(questions(_reload(db, survey).definition)) == 6


def test_a_frozen_definition_is_shown_read_only_and_refused(db, login_as, park, survey, advisor):
    _respond(db, survey)
    client = login_as(advisor)
    body = client.get(_url(park, "vragenlijst")).get_data(as_text=True)
    assert "De vragenlijst ligt vast sinds het eerste antwoord binnenkwam." in body
    assert "readonly" in body and "Vragenlijst opslaan" not in body
    response = client.post(_url(park, "vragenlijst"), data={"definition-definition": json.dumps(load_default())})
    assert response.status_code == 422
    assert "De vragenlijst ligt vast sinds het eerste antwoord binnenkwam." in response.get_data(as_text=True)


def test_the_letter_page_edits_text_and_signatory(db, login_as, park, survey, advisor):
    client = login_as(advisor)
    page = client.get(_url(park, "brief")).get_data(as_text=True)
    assert "{sluitdatum}" in page and "Dear entrepreneur," in page
    data = {
        "letter-letter_text": "Beste {naam},\n\nGa naar {link}.",
        "letter-letter_text_en": "Dear {naam},\n\nGo to {link}.",
        "letter-letter_signatory": "J. Jansen",
    }
    assert client.post(_url(park, "brief"), data=data).status_code == 302
    survey = _reload(db, survey)
    assert (survey.letter_text, survey.letter_signatory) == ("Beste {naam},\n\nGa naar {link}.", "J. Jansen")
    assert survey.letter_text_en == "Dear {naam},\n\nGo to {link}."
    refused = client.post(_url(park, "brief"), data=data | {"letter-letter_text": "Zonder link"})
    assert refused.status_code == 422 and "{link}" in refused.get_data(as_text=True)
    refused = client.post(_url(park, "brief"), data=data | {"letter-letter_text_en": "No link"})
    assert refused.status_code == 422 and "De Engelse tekst: De brief moet de invulplek {link}" in refused.get_data(
        as_text=True
    )
    assert _reload(db, survey).letter_text_en == "Dear {naam},\n\nGo to {link}."


GETS = ["", "vragenlijst", "brief"]
POSTS = [
    ("nieuw", {"create-title": "X"}),
    ("openen", {"open-opens_on": "2030-01-01", "open-closes_on": "2030-02-01"}),
    ("heropenen", {"reopen-closes_on": "2030-02-01"}),
    ("sluiten", {}),
    ("openbare-link", {"enabled": "1"}),
    ("vragenlijst", {"definition-definition": "{}"}),
    ("brief", {"letter-letter_text": "{link}", "letter-letter_text_en": "{link}"}),
]


@pytest.mark.parametrize("suffix", GETS)
def test_pages_by_role_on_the_own_park_and_another(db, login_as, park, other_park, survey, role, suffix):
    db.session.add(Survey(park=other_park, cycle=active_cycle(other_park), title="Elders", definition=load_default()))
    client = login_as(make_member(role, park))
    assert client.get(_url(park, suffix)).status_code == (200 if role in MANAGERS else 403)
    assert client.get(_url(other_park, suffix)).status_code == 404


@pytest.mark.parametrize(("suffix", "data"), POSTS)
def test_posts_need_the_csrf_token(db, login_as, park, survey, advisor, suffix, data):
    response = login_as(advisor).post(_url(park, suffix), data=data, csrf=False)
    assert response.status_code == 400
    survey = _reload(db, survey)
    assert (survey.status, survey.public_token, survey.definition) == (SurveyStatus.OPEN, None, load_default())
    assert _actions(db) == []


@pytest.mark.parametrize(("suffix", "data"), POSTS)
def test_posts_by_others_are_refused_and_change_nothing(db, login_as, park, other_park, survey, suffix, data):
    elsewhere = login_as(make_member(Role.ADVISOR, other_park))
    entrepreneur = login_as(make_member(Role.ENTREPRENEUR, park))
    assert elsewhere.post(_url(park, suffix), data=data).status_code == 404
    assert entrepreneur.post(_url(park, suffix), data=data).status_code == 403
    survey = _reload(db, survey)
    assert (survey.status, survey.public_token, survey.definition) == (SurveyStatus.OPEN, None, load_default())
    assert _actions(db) == []


@pytest.mark.parametrize("suffix", GETS)
def test_unknown_parks_and_parks_without_a_survey_are_404(login_as, admin, park, suffix):
    client = login_as(admin)
    for bad in ("999999", str(2**31), str(2**80)):
        assert client.get(f"/parken/{bad}/enquete/{suffix}").status_code == 404
    assert client.get(_url(park, suffix)).status_code == (200 if suffix == "" else 404)


@pytest.mark.parametrize(("suffix", "data"), [p for p in POSTS if p[0] != "nieuw"])
def test_posts_for_a_park_without_a_survey_are_404(login_as, admin, park, suffix, data):
    assert login_as(admin).post(_url(park, suffix), data=data).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, park, survey):
    for suffix in GETS:
        response = client.get(_url(park, suffix))
        assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
