"""/metrics: behind its bearer token; request latency per endpoint; the database's figures as they are at scrape."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from app.jobs.models import JobRun, RunStatus
from app.mail.models import MailStatus
from tests import factories

TOKEN = "metrics-token-for-the-tests"
ROOT = Path(__file__).resolve().parent.parent
APP = "app:create_app()"


@pytest.fixture
def metrics_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", TOKEN)


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a scrape: (name, sorted labels) -> value."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(client) -> dict:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    return samples(response.get_data(as_text=True))


def test_metrics_are_off_without_a_token(client):
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", TOKEN, f"Basic {TOKEN}", f"Bearer {TOKEN}x"])
def test_metrics_need_the_token(client, metrics_on, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert b"vb_" not in response.data


def test_latency_and_responses_per_endpoint_not_per_path(client, metrics_on, survey):
    before = scrape(client)
    client.get("/")
    client.get("/enquete/a-secret-token-in-the-path")
    client.get("/no/such/page/another-secret")

    after = scrape(client)
    count = ("vb_http_request_duration_seconds_count", (("endpoint", "main.home"), ("method", "GET")))
    assert after[count] == before.get(count, 0) + 1
    responses = ("vb_http_responses_total", (("endpoint", "main.home"), ("status", "302")))
    assert after[responses] == before.get(responses, 0) + 1
    unmatched = ("vb_http_responses_total", (("endpoint", "unmatched"), ("status", "404")))
    assert after[unmatched] == before.get(unmatched, 0) + 1
    text = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).get_data(as_text=True)
    assert "secret" not in text


def test_database_figures_are_read_at_scrape(client, db, metrics_on, survey):
    for _ in range(3):
        factories.make_outbox_mail(status=MailStatus.QUEUED, attempts=0)
    factories.make_outbox_mail(status=MailStatus.FAILED)
    factories.make_outbox_mail(status=MailStatus.SENT)
    finished = datetime(2026, 12, 1, 3, 0, 5, tzinfo=UTC)
    for status, at in ((RunStatus.OK, finished), (RunStatus.FAILED, finished + timedelta(minutes=1))):
        db.session.add(JobRun(job="mail.deliver", started_at=at - timedelta(seconds=5), finished_at=at, status=status))
    factories.make_response(survey, {"q": "an answer"})
    factories.make_response(survey)
    db.session.commit()

    figures = scrape(client)

    assert figures[("vb_outbox_mails", (("status", "queued"),))] == 3
    assert figures[("vb_outbox_mails", (("status", "failed"),))] == 1
    assert figures[("vb_outbox_mails", (("status", "sent"),))] == 1
    assert figures[("vb_outbox_mails", (("status", "sending"),))] == 0
    # the failed run after it does not count as a success
    assert figures[("vb_job_last_success_timestamp_seconds", (("job", "mail.deliver"),))] == finished.timestamp()
    assert ("vb_job_last_success_timestamp_seconds", (("job", "surveys.reminders"),)) not in figures
    assert figures[("vb_survey_responses", ())] == 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, headers: dict[str, str] | None = None) -> bytes:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - a loopback URL
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.read()


def test_every_gunicorn_worker_is_counted_whichever_answers_the_scrape(tmp_path):
    database = tmp_path / "app.sqlite"
    env = {
        **os.environ,
        "APP_ENV": "development",
        "SECRET_KEY": "a-random-enough-key-for-this-test-only-4f9c2a",
        "DATABASE_URL": f"sqlite:///{database}",
        "METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
    }
    # what a former run left: gunicorn clears prometheus_client's files when it starts, and only those
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics" / "counter_4242.db").write_bytes(b"left by a worker of the run before")
    (tmp_path / "metrics" / "keep.txt").write_text("not ours")
    make_schema = (
        "from app import create_app; from app.extensions import db; create_app().app_context().push(); db.create_all()"
    )
    subprocess.run([sys.executable, "-c", make_schema], env=env, cwd=ROOT, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:app.gunicorn_conf", "-w", "2", "-b", f"127.0.0.1:{port}", APP],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                _get(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        # urllib opens a new connection per request: the two workers take turns as they are free
        for _ in range(20):
            _get(f"{base}/inloggen")
        for _ in range(4):  # whichever worker answers, the sum is the same
            figures = samples(_get(f"{base}/metrics", {"Authorization": f"Bearer {TOKEN}"}).decode())
            count = ("vb_http_request_duration_seconds_count", (("endpoint", "auth.login"), ("method", "GET")))
            assert figures[count] == 20
        assert (tmp_path / "metrics" / "keep.txt").exists()
    finally:
        server.terminate()
        server.wait(timeout=30)
