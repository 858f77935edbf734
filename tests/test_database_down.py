"""A lost database: a clear 503 with Retry-After (a page, or a problem under /api), nothing half-written, and the
next request works again once the database answers."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError

from app import create_app
from app.api.models import ApiScope
from app.api.tokens import create_token
from app.extensions import db as _db
from app.surveys.models import InvitationStatus, SurveyInvitation, SurveyResponse
from tests.databases import throwaway_database_url
from tests.factories import link_of, make_company, make_invitation, make_user

ANSWERS = {"sector": "productie", "grade": 7, "remarks": "Meer verlichting bij de ingang, graag."}


@contextmanager
def database_failing(when: Callable[[str], bool] = lambda statement: True):
    """Statements for which `when` holds fail as a lost connection does (the driver's OperationalError).

    Savepoint statements pass: the test's own transaction must still roll back.
    """

    # the driver's own error, so that SQLAlchemy wraps it as it would a real one; a message that SQLAlchemy does not
    # take for a disconnect, because invalidating the connection would end the test's own transaction
    driver_error = _db.engine.dialect.loaded_dbapi.OperationalError

    def fail(conn, cursor, statement, parameters, context, executemany):
        if "SAVEPOINT" not in statement and when(statement):
            raise driver_error("could not connect to server: Connection refused")

    event.listen(_db.engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        event.remove(_db.engine, "before_cursor_execute", fail)


@pytest.fixture
def invitation(db, park, survey) -> SurveyInvitation:
    return make_invitation(survey, company=make_company(park), sector="bouw")


def test_a_page_answers_503_with_retry_after_and_works_again_afterwards(login_as, db):
    # logged in: the page must not look the user up (or the header's parks) in the database that is gone
    client = login_as(make_user(name="Olga Eigenaar"))
    with database_failing():
        response = client.get("/")
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "Tijdelijk niet beschikbaar" in body and "De database is even niet bereikbaar" in body
    assert client.get("/").status_code == 200


def test_the_api_answers_a_503_problem(app, db):
    user = make_user()
    secret = create_token(user, name="Koppeling", scope=ApiScope.READ, now=datetime.now(UTC)).secret
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    with database_failing():
        response = app.test_client().get("/api/v1/parks/", headers=headers)
    problem = response.get_json()
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"] == "30"
    assert problem["status"] == 503 and problem["instance"] == "/api/v1/parks/"
    assert problem["title"] == "Tijdelijk niet beschikbaar"
    assert "De database is even niet bereikbaar" in problem["detail"]
    assert app.test_client().get("/api/v1/parks/", headers=headers).status_code == 200


def test_an_api_request_cut_off_after_its_token_was_checked_gets_a_503(app, db):
    secret = create_token(make_user(), name="Koppeling", scope=ApiScope.READ, now=datetime.now(UTC)).secret
    db.session.commit()
    gone: list[str] = []

    def from_the_parks_query_on(statement: str) -> bool:
        # the token is looked up first; the connection dies at the parks and stays dead
        if "FROM parks" in statement:
            gone.append(statement)
        return bool(gone)

    with database_failing(from_the_parks_query_on):
        response = app.test_client().get("/api/v1/parks/", headers={"Authorization": f"Bearer {secret}"})
    assert gone and response.status_code == 503
    assert response.mimetype == "application/problem+json"


def test_a_submission_cut_off_halfway_stores_nothing_and_the_link_still_works(client, db, invitation):
    url = f"/enquete/{link_of(invitation)}/antwoorden"
    body = json.dumps({"answers": ANSWERS, "contact": None})
    # the link is claimed (UPDATE) before the answers are written (INSERT): the connection dies in between
    with database_failing(lambda statement: statement.startswith("INSERT INTO survey_responses")):
        response = client.post(url, data=body, content_type="application/json", csrf=False)
    assert response.status_code == 503
    db.session.refresh(invitation)
    assert invitation.status == InvitationStatus.INVITED
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0

    assert client.post(url, data=body, content_type="application/json", csrf=False).status_code == 201
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1


def test_a_database_lost_after_the_answer_is_logged_and_not_a_500(tmp_path, caplog):
    """The closing ROLLBACK of a finished request fails as a lost connection does: logged, the connection dropped,
    and nothing raised into the server (which would turn the answer into a 500)."""
    with throwaway_database_url(tmp_path, "lost") as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            engine = _db.engine

            def lost(connection):
                raise OperationalError("ROLLBACK", {}, engine.dialect.loaded_dbapi.OperationalError("server closed"))

            assert _db.session.execute(text("SELECT 1")).scalar_one() == 1
            event.listen(engine, "rollback", lost)
        event.remove(engine, "rollback", lost)
        assert engine.pool.checkedout() == 0
        assert "Database lost while closing the session: server closed" in caplog.text
        engine.dispose()
