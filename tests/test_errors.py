"""Error pages, and no route answering 500 to a malformed request."""

from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from tests.factories import make_user

GARBAGE_INTS = [0, 1, 2**31, 10**20]
GARBAGE_STRINGS = ["x", "\x00", "a" * 3000, "../../etc/passwd", "<script>"]
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"]


def _urls(app) -> list[str]:
    """Every route of the app, with garbage in each of its URL arguments."""
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        combinations = [{}]
        for arg in sorted(rule.arguments):
            samples = GARBAGE_INTS if isinstance(rule._converters[arg], IntegerConverter) else GARBAGE_STRINGS
            combinations = [{**values, arg: sample} for values in combinations for sample in samples]
        urls.extend(adapter.build(rule.endpoint, values) for values in combinations)
    return urls


@pytest.mark.parametrize("who", ["anonymous", "member", "admin"])
def test_no_route_answers_500_to_malformed_requests(app, client, db, who):
    if who != "anonymous":
        client.login(make_user(is_admin=who == "admin"))
    junk = {"csrf_token": "garbage", "email": "\x00<script>", "page": "-1", "lang": "zz", "password": "x" * 5000}
    for url in _urls(app):
        for method in METHODS:
            for data, csrf in ((None, True), (junk, False), ({}, True)):
                response = client.open(url, method=method, data=data, csrf=csrf)
                assert response.status_code < 500, (method, url, data, response.status_code)
        assert client.get(url + "?page=99999999999999999999&park=abc&date_from=2026-13-45").status_code < 500, url


def test_404_page_is_in_house_style(client, db):
    response = client.get("/bestaat-niet")
    body = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Pagina niet gevonden" in body
    assert "utrecht-page-body" in body


def test_405_page_names_the_allowed_methods(client, db):
    response = client.put("/inloggen")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert "Methode niet toegestaan" in response.get_data(as_text=True)


def test_413_for_oversized_requests(app, client, db):
    response = client.post("/inloggen", data={"email": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)})
    assert response.status_code == 413
    assert "Bestand te groot" in response.get_data(as_text=True)


def test_csrf_failure_on_a_form_keeps_the_input(client, db):
    response = client.post(
        "/inloggen", data={"email": "olga@example.nl", "password": "x", "csrf_token": "bad"}, csrf=False
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Uw formulier was verlopen of kwam niet van deze site" in body
    assert 'value="olga@example.nl"' in body


def test_csrf_failure_on_a_button_gives_a_clear_page(login_as, db):
    client = login_as(make_user())
    response = client.post("/uitloggen", data={"csrf_token": "bad"}, csrf=False)
    assert response.status_code == 400
    assert "Uw formulier was verlopen" in response.get_data(as_text=True)
    assert client.get("/").status_code == 200  # still logged in: nothing happened


def test_unexpected_errors_give_the_500_page_and_write_nothing(tmp_path):
    from app import create_app
    from app.extensions import db
    from app.stakeholders.models import Organisation, OrganisationType

    broken = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'broken.sqlite'}", "PROPAGATE_EXCEPTIONS": False}
    )

    @broken.route("/boom")
    def boom():
        db.session.add(Organisation(name="Half geschreven", type=OrganisationType.OVERIG))
        db.session.flush()
        raise RuntimeError("boom")

    with broken.app_context():
        db.create_all()
    response = broken.test_client().get("/boom")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.get_data(as_text=True)
    with broken.app_context():
        assert db.session.query(Organisation).count() == 0
        db.engine.dispose()


def test_security_headers(client, db):
    response = client.get("/inloggen")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
