"""Writes with an Idempotency-Key: a retry gets the first answer without writing again, another request with the
key is refused, the key and the write are committed together, and a key is free again after 24 hours."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import has_request_context
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from app import create_app
from app.api.models import ApiScope, IdempotencyKey
from app.audit.models import AuditEvent
from app.auth.models import Role
from app.extensions import db as _db
from app.jobs.registry import JOBS
from app.parks.services import active_cycle
from app.plans import services
from app.plans.models import ActionNote
from tests.api.conftest import ApiClient
from tests.api.test_access import assert_problem
from tests.databases import throwaway_database_url
from tests.factories import make_api_token, make_member, make_park


@pytest.fixture
def action(db, park):
    """An action of the park's plan; the advisor may write notes on it."""
    cycle = active_cycle(park)
    cycle.starts_on, cycle.ends_on = date(2026, 1, 1), date(2027, 12, 31)
    advisor = make_member(Role.ADVISOR, park)
    plan = services.plan_for(cycle, today=date(2026, 1, 10))
    action = services.add_action(advisor, plan, title="Camera's bij de ingang", quarter=1, owners=[])
    _db.session.commit()
    return action


@pytest.fixture
def api(action, api_as) -> ApiClient:
    """A read-write token of the advisor of the action's park."""
    return api_as(make_member(Role.ADVISOR, action.plan.cycle.park), ApiScope.WRITE)


def note(api: ApiClient, action, text: str, key: str | None = None):
    headers = {} if key is None else {"Idempotency-Key": key}
    url = f"/api/v1/parks/{action.plan.cycle.park_id}/actions/{action.id}"
    return api.open("PATCH", url, json={"note": text}, headers=headers)


def count(model) -> int:
    _db.session.expire_all()
    return _db.session.scalar(select(func.count()).select_from(model))


def notes_written() -> int:
    return _db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("plans.action_note%"))
    )


def test_the_same_write_twice_with_one_key_is_written_once(api, action):
    first = note(api, action, "Gebeld met de beheerder", key="8e03978e-40d5-43e8-bc93-6894a57f9324")
    again = note(api, action, "Gebeld met de beheerder", key="8e03978e-40d5-43e8-bc93-6894a57f9324")
    assert first.status_code == again.status_code == 200
    assert again.get_data() == first.get_data() and again.mimetype == first.mimetype == "application/json"
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert count(ActionNote) == 1 and count(IdempotencyKey) == 1
    # a Structured Field string (in quotes, as the draft writes it) is the same key
    quoted = note(api, action, "Gebeld met de beheerder", key='"8e03978e-40d5-43e8-bc93-6894a57f9324"')
    assert quoted.get_data() == first.get_data() and count(ActionNote) == 1


def test_the_same_key_with_another_body_is_a_422(api, action):
    assert note(api, action, "Gebeld", key="sleutel-1").status_code == 200
    body = assert_problem(note(api, action, "Gemaild", key="sleutel-1"), 422)
    assert "Idempotency-Key" in body["detail"]
    assert [n.text for n in _db.session.scalars(select(ActionNote))] == ["Gebeld"]


def test_without_a_key_every_write_is_written(api, action):
    assert note(api, action, "Gebeld").status_code == note(api, action, "Gebeld").status_code == 200
    assert count(ActionNote) == 2 and count(IdempotencyKey) == 0


def test_keys_are_per_token(api, api_as, action):
    other = api_as(make_member(Role.MUNICIPALITY, action.plan.cycle.park), ApiScope.WRITE)
    assert note(api, action, "Gebeld", key="sleutel-1").status_code == 200
    assert note(other, action, "Gebeld", key="sleutel-1").status_code == 200
    assert count(ActionNote) == 2 and count(IdempotencyKey) == 2


def test_after_24_hours_the_key_is_free_again(api, action):
    assert note(api, action, "Gebeld", key="sleutel-1").status_code == 200
    stored = _db.session.scalar(select(IdempotencyKey))
    stored.created_at -= timedelta(hours=23, minutes=59)
    _db.session.commit()
    assert_problem(note(api, action, "Gemaild", key="sleutel-1"), 422)  # still within the 24 hours
    stored.created_at -= timedelta(minutes=1)
    _db.session.commit()
    assert note(api, action, "Gemaild", key="sleutel-1").status_code == 200
    assert count(ActionNote) == 2 and count(IdempotencyKey) == 1  # the expired one gave way to the new one


def test_only_successful_answers_are_kept(api, api_as, action, other_park):
    # refused: by the rules (no text), by the park (another park's), by the token's scope
    assert_problem(note(api, action, "", key="sleutel-1"), 422)
    stranger = api_as(make_member(Role.ADVISOR, other_park), ApiScope.WRITE)
    assert_problem(note(stranger, action, "Gebeld", key="sleutel-1"), 404)
    reader = api_as(make_member(Role.ADVISOR, action.plan.cycle.park))
    assert_problem(note(reader, action, "Gebeld", key="sleutel-1"), 403)
    assert count(IdempotencyKey) == 0
    # the same key, now with a good body, is a new request
    assert note(api, action, "Gebeld", key="sleutel-1").status_code == 200
    assert count(ActionNote) == 1


@pytest.mark.parametrize("key", ["", "   ", "x" * 256, "sleutel-é", "\x01"], ids=["empty", "spaces", "256", "é", "C0"])
def test_a_key_that_is_not_1_to_255_printable_characters_is_a_400(api, action, key):
    response = note(api, action, "Gebeld", key=key)
    assert "Idempotency-Key" in assert_problem(response, 400)["detail"]
    assert count(ActionNote) == 0


def test_a_key_of_255_characters_is_kept(api, action):
    assert note(api, action, "Gebeld", key="x" * 255).status_code == 200
    assert note(api, action, "Gebeld", key="x" * 255).headers["Idempotent-Replayed"] == "true"
    assert count(ActionNote) == 1


def connection_lost(session) -> None:
    """Raise what SQLAlchemy raises for a lost connection, when `session` is a request's that wrote a note."""
    if has_request_context() and any(isinstance(row, ActionNote) for row in session.identity_map.values()):
        driver_error = _db.engine.dialect.loaded_dbapi.OperationalError("server closed the connection unexpectedly")
        raise OperationalError("COMMIT", None, driver_error)


def test_a_retry_after_a_lost_answer_does_not_write_again(api, action):
    """The issue's case: the note was written, its answer never reached the client, which sends it again."""
    note(api, action, "Gebeld", key="sleutel-1")  # the answer is lost on the way
    retry = note(api, action, "Gebeld", key="sleutel-1")
    assert retry.status_code == 200 and retry.headers["Idempotent-Replayed"] == "true"
    assert retry.get_json()["notes"][-1]["text"] == "Gebeld"
    assert count(ActionNote) == 1 and notes_written() == 1


def test_a_write_that_is_not_committed_keeps_no_key(api, action):
    """The key is stored in the write's own transaction: a commit that fails loses both, and the retry writes."""

    event.listen(_db.session, "before_commit", connection_lost)
    try:
        assert_problem(note(api, action, "Gebeld", key="sleutel-1"), 503)
    finally:
        event.remove(_db.session, "before_commit", connection_lost)
    assert count(ActionNote) == 0 and count(IdempotencyKey) == 0
    assert note(api, action, "Gebeld", key="sleutel-1").status_code == 200
    assert count(ActionNote) == 1 and count(IdempotencyKey) == 1


def test_a_second_request_while_the_first_is_in_progress(tmp_path, monkeypatch):
    """Two requests with one key at the same time, on a database of their own (a SQLite file, or a PostgreSQL
    schema), each in its own thread and connection, as two server workers would send them. PostgreSQL answers the
    second with a 409 at once; on SQLite, whose writers take turns, it waits and gets the first one's answer."""
    with throwaway_database_url(tmp_path, "idempotency") as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            _db.create_all()
            park = make_park(name="Lage Weide")
            advisor = make_member(Role.ADVISOR, park)
            plan = services.plan_for(active_cycle(park), today=date(2026, 1, 10))
            action = services.add_action(advisor, plan, title="Hekwerk herstellen", quarter=1, owners=[])
            secret = make_api_token(advisor, ApiScope.WRITE)
            _db.session.commit()
            url_of_action = f"/api/v1/parks/{park.id}/actions/{action.id}"
            postgres = _db.engine.dialect.name == "postgresql"
        started, release = threading.Event(), threading.Event()
        add_note = services.add_note

        def add_note_and_wait(*args, **kwargs):
            written = add_note(*args, **kwargs)
            if not started.is_set():  # the first request holds its transaction open until released
                started.set()
                release.wait(10)
            return written

        monkeypatch.setattr(services, "add_note", add_note_and_wait)
        answers = {}

        def send(name: str) -> None:
            headers = {"Authorization": f"Bearer {secret}", "Idempotency-Key": "sleutel-1"}
            response = app.test_client().patch(url_of_action, json={"note": "Gebeld"}, headers=headers)
            answers[name] = (response.status_code, response.get_data(), response.headers.get("Idempotent-Replayed"))

        first, second = threading.Thread(target=send, args=("first",)), threading.Thread(target=send, args=("second",))
        try:
            first.start()
            assert started.wait(10)
            second.start()
            second.join(timeout=5 if postgres else 1)
            assert second.is_alive() != postgres  # PostgreSQL answered; SQLite waits for the first one
        finally:
            release.set()
            first.join(timeout=10)
            second.join(timeout=20)
        assert answers["first"][0] == 200
        if postgres:
            assert answers["second"][0] == 409
        else:
            assert answers["second"] == (200, answers["first"][1], "true")
        with app.app_context():
            assert _db.session.scalar(select(func.count()).select_from(ActionNote)) == 1
            _db.session.remove()
            _db.engine.dispose()


def test_expired_keys_are_purged_by_a_job(api, action):
    assert note(api, action, "Gebeld", key="oud").status_code == 200
    assert note(api, action, "Gemaild", key="nieuw").status_code == 200
    now = datetime.now(UTC)
    _db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.key == "oud")).created_at = now - timedelta(days=2)
    _db.session.commit()
    assert "api.idempotency_keys" in JOBS
    assert JOBS["api.idempotency_keys"].run(now) == 1
    assert [k.key for k in _db.session.scalars(select(IdempotencyKey))] == ["nieuw"]


def test_the_header_is_documented_on_every_write(app, db):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in {"get", "post", "patch", "put", "delete"}:
                continue
            names = {parameter.get("name") for parameter in operation.get("parameters", [])}
            assert ("Idempotency-Key" in names) == (method != "get"), f"{method} {path}"
