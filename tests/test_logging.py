"""Logs: JSON lines on stdout, each with its request id, which the response returns and the outbox keeps for the
delivery's log line; and no secret, answer or address in them."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime, timedelta

import pytest

from app import create_app, logs
from app.clock import local_today
from app.config import resolve
from app.mail import transport
from app.mail.jobs import deliver_due
from app.surveys.models import SurveyStatus
from tests.factories import PASSWORD, link_of, make_company, make_invitation, make_user
from tests.surveys.test_respond import ANSWERS

SURVEY_REMARK = "Bij poort 3 is 's nachts geen verlichting, zegt Jan Jansen"
NEW_PASSWORD = "a brand new passphrase 8271"


@pytest.fixture
def json_logs(app, capsys):
    """json_logs() -> the records logged on stdout since the last call, each parsed (every line must be JSON)."""
    logs.send_to_stdout("json", "INFO")  # the migrations (PostgreSQL tests) set up their own logging
    capsys.readouterr()

    def records() -> list[dict]:
        return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]

    yield records
    logs.send_to_stdout(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])


def request_lines(records: list[dict]) -> list[dict]:
    return [record for record in records if record["logger"] == "app.request"]


def test_production_logs_json_and_development_text(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k3Vq9ZpX2mWn8RtY4bLc6HdF1sJg7QaE0uIo5")
    monkeypatch.setenv("BASE_URL", "https://vb.example.nl")
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    assert resolve("production")["LOG_FORMAT"] == "json"
    assert resolve("development")["LOG_FORMAT"] == "text"
    monkeypatch.setenv("LOG_FORMAT", "text")
    assert resolve("production")["LOG_FORMAT"] == "text"
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(RuntimeError, match="LOG_FORMAT must be json or text"):
        resolve("production")


def test_a_valid_request_id_is_kept_and_returned(client, json_logs):
    response = client.get("/inloggen", headers={"X-Request-ID": "lb-7f3a9c21-0001"})

    assert response.headers["X-Request-ID"] == "lb-7f3a9c21-0001"
    (line,) = request_lines(json_logs())
    assert line["request_id"] == "lb-7f3a9c21-0001"
    assert line["endpoint"] == "auth.login"
    assert line["status"] == 200
    assert line["level"] == "INFO"
    assert datetime.fromisoformat(line["time"]).tzinfo is not None
    assert line["duration_ms"] >= 0


@pytest.mark.parametrize("offered", [None, "", "short", "has spaces in it", "x" * 129, "bad\u00e9id-12345"])
def test_a_missing_or_odd_request_id_is_replaced(client, json_logs, offered):
    headers = {"X-Request-ID": offered} if offered is not None else {}

    response = client.get("/inloggen", headers=headers)

    made = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert request_lines(json_logs())[0]["request_id"] == made


def test_ids_differ_per_request(client):
    assert client.get("/inloggen").headers["X-Request-ID"] != client.get("/inloggen").headers["X-Request-ID"]


def test_a_refused_request_has_an_id_too(client, json_logs):
    response = client.post("/inloggen", data={"email": "x@example.nl"}, csrf=False)  # CSRF refuses it first

    assert response.status_code == 400
    assert request_lines(json_logs())[0]["request_id"] == response.headers["X-Request-ID"]


def test_the_request_id_goes_with_the_mail_it_queued(client, db, outbox, json_logs, monkeypatch):
    make_user(email="olga@example.nl")
    sent: list[str] = []
    monkeypatch.setattr(transport.Sender, "deliver", lambda sender, mail, now: sent.append(mail.id))

    client.post("/wachtwoord-vergeten", data={"email": "olga@example.nl"}, headers={"X-Request-ID": "req-reset-0042"})
    (mail,) = outbox()
    assert mail.request_id == "req-reset-0042"
    json_logs()

    deliver_due(datetime.now(UTC))  # as the scheduler does, outside any request

    assert sent == [mail.id]
    (delivered,) = [record for record in json_logs() if record.get("mail_id") == mail.id]
    assert delivered["request_id"] == "req-reset-0042"
    assert delivered["message"] == f"Mail {mail.id} sent"


def test_work_for_a_request_is_logged_under_its_id(json_logs):
    assert logs.current_request_id() is None  # what a mail queued by a job keeps
    with logs.working_for("job-request-0007"):
        assert logs.current_request_id() == "job-request-0007"
        logging.getLogger("app.jobs").info("working")
    logging.getLogger("app.jobs").info("done")

    first, second = json_logs()
    assert first["request_id"] == "job-request-0007"
    assert second["request_id"] is None


def test_no_password_token_answer_or_address_in_the_logs(client, db, outbox, park, survey, json_logs):
    make_user(email="olga@example.nl")
    survey.status = SurveyStatus.OPEN
    survey.opens_on = local_today() - timedelta(days=1)
    survey.closes_on = local_today() + timedelta(days=30)
    token = link_of(make_invitation(survey, company=make_company(park, name="Van Dam"), sector="transport"))
    answers = {**ANSWERS, "remarks": SURVEY_REMARK}

    assert client.post("/inloggen", data={"email": "olga@example.nl", "password": PASSWORD}).status_code == 302
    client.post("/uitloggen")
    assert (
        client.post("/inloggen", data={"email": "olga@example.nl", "password": "wrong " + PASSWORD}).status_code == 400
    )
    client.post("/wachtwoord-vergeten", data={"email": "olga@example.nl"})
    reset_path = re.search(r"http://127\.0\.0\.1:5000(/\S+)", outbox()[0].text_body).group(1)
    reset_token = reset_path.rsplit("/", 1)[1]
    assert client.get(reset_path).status_code == 200
    assert client.post(reset_path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    client.post("/uitloggen")
    assert client.get(f"/enquete/{token}?email=olga@example.nl").status_code == 200
    submitted = client.post(
        f"/enquete/{token}/antwoorden",
        data=json.dumps({"answers": answers, "contact": None}),
        content_type="application/json",
        csrf=False,
    )
    assert submitted.status_code == 201, submitted.get_data(as_text=True)

    records = json_logs()
    endpoints = {record["endpoint"] for record in request_lines(records)}
    assert {"auth.login", "auth.forgot_password", "auth.reset_password", "respond.submit", "respond.start"} <= endpoints
    assert all(record["request_id"] for record in request_lines(records))
    written = json.dumps(records)
    for secret in (PASSWORD, NEW_PASSWORD, "olga@example.nl", token, reset_token, SURVEY_REMARK, "10-49"):
        assert secret not in written


def test_every_app_logs_as_configured_and_an_error_by_its_endpoint(json_logs):
    # a fresh app: the scheduler and the CLI get their logging from create_app as the web does
    other = create_app({"LOG_FORMAT": "json", "TESTING": False, "PROPAGATE_EXCEPTIONS": False})

    @other.route("/kapot/<token>")
    def broken(token: str):
        raise RuntimeError("a bug")

    json_logs()
    response = other.test_client().get("/kapot/secret-token-in-the-path-31337")

    assert response.status_code == 500
    records = json_logs()
    (error,) = [record for record in records if record["level"] == "ERROR" and "exception" in record]
    assert error["message"] == "Exception on GET broken"
    assert error["request_id"] == response.headers["X-Request-ID"]
    assert "RuntimeError: a bug" in error["exception"]
    assert "secret-token-in-the-path" not in json.dumps(records)
