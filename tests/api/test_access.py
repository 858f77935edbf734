"""Who may call the API: bearer tokens only (never the session cookie), scopes, rate limits, problem details."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app import ratelimit
from app.api.models import ApiScope, ApiToken
from app.auth.models import Role
from app.extensions import db as _db
from tests.api.conftest import ApiClient
from tests.factories import make_member, make_user

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert set(body) >= PROBLEM_KEYS and body["status"] == status
    return body


def test_no_token_is_401_with_a_bearer_challenge(app, db, park):
    response = ApiClient(app, None).get(f"/api/v1/parks/{park.id}")
    body = assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert body["title"] == "Niet aangemeld"


def test_a_logged_in_browser_session_does_not_authenticate(login_as, db, park):
    client = login_as(make_member(Role.ADVISOR, park))
    assert client.get(f"/parken/{park.id}").status_code == 200  # the session works on the web
    assert_problem(client.get(f"/api/v1/parks/{park.id}"), 401)
    assert_problem(client.get("/api/v1/parks/"), 401)


def test_a_session_cookie_does_not_widen_a_token(app, login_as, api_as, db, park):
    """A token of a user without rights stays without rights, also when an admin's session cookie comes along."""
    client = login_as(make_user(is_admin=True))
    api = api_as(make_user())
    response = client.get(f"/api/v1/parks/{park.id}", headers={"Authorization": f"Bearer {api.secret}"})
    assert_problem(response, 404)


def test_wrong_and_revoked_tokens_are_401(app, api_as, db, park):
    user = make_member(Role.ADVISOR, park)
    api = api_as(user)
    assert api.get(f"/api/v1/parks/{park.id}").status_code == 200
    assert_problem(ApiClient(app, api.secret + "x").get(f"/api/v1/parks/{park.id}"), 401)
    assert_problem(ApiClient(app, "vbt_").get(f"/api/v1/parks/{park.id}"), 401)
    response = api.open("GET", f"/api/v1/parks/{park.id}", headers={"Authorization": f"Basic {api.secret}"})
    assert_problem(response, 401)
    token = _db.session.scalar(select(ApiToken))
    from datetime import UTC, datetime

    token.revoked_at = datetime.now(UTC)
    _db.session.commit()
    assert_problem(api.get(f"/api/v1/parks/{park.id}"), 401)


def test_inactive_user_is_401(api_as, db, park):
    user = make_member(Role.ADVISOR, park)
    api = api_as(user)
    user.is_active = False
    _db.session.commit()
    assert_problem(api.get(f"/api/v1/parks/{park.id}"), 401)


def test_last_use_is_recorded(api_as, db, park):
    api = api_as(make_member(Role.ADVISOR, park))
    assert _db.session.scalar(select(ApiToken)).last_used_at is None
    api.get("/api/v1/parks/")
    _db.session.expire_all()
    assert _db.session.scalar(select(ApiToken)).last_used_at is not None


def test_read_token_may_not_write(api_as, db, park):
    api = api_as(make_member(Role.ADVISOR, park), ApiScope.READ)
    body = {"source": "politie", "category": "overval", "year": 2024, "count": 3}
    response = api.post(f"/api/v1/parks/{park.id}/figures", json=body)
    assert "alleen lezen" in assert_problem(response, 403)["detail"]


def test_posts_need_no_csrf_token(api_as, db, park):
    api = api_as(make_member(Role.ADVISOR, park), ApiScope.WRITE)
    body = {"source": "politie", "category": "overval", "year": 2024, "count": 3}
    assert api.post(f"/api/v1/parks/{park.id}/figures", json=body).status_code == 201


@pytest.mark.parametrize(
    "body",
    ['{"a": ' * 100_000 + "1" + "}" * 100_000, '{"year": ' + "1" * 5000 + "}"],
    ids=["nested-too-deeply", "integer-of-5000-digits"],
)
def test_json_python_cannot_decode_is_a_400_not_a_server_error(api_as, db, park, body):
    api = api_as(make_member(Role.ADVISOR, park), ApiScope.WRITE)
    response = api.post(f"/api/v1/parks/{park.id}/figures", data=body, headers={"Content-Type": "application/json"})
    assert assert_problem(response, 400)["errors"][0]["location"] == "json"


def test_unknown_route_and_wrong_method_are_problems_not_pages(app, api_as, db, park):
    api = api_as(make_member(Role.ADVISOR, park))
    assert_problem(api.get("/api/v1/bestaat-niet"), 404)
    assert_problem(api.get("/api/v2/parks/"), 404)
    response = api.open("DELETE", f"/api/v1/parks/{park.id}")
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]
    assert app.test_client().get("/bestaat-niet").mimetype == "text/html"  # the web keeps its pages


def test_validation_errors_name_the_fields(api_as, db, park):
    api = api_as(make_member(Role.ADVISOR, park))
    body = assert_problem(api.get("/api/v1/parks/?municipality_id=x"), 422)
    assert [(error["location"], error["field"]) for error in body["errors"]] == [("query", "municipality_id")]
    assert {"location", "field", "detail"} == set(body["errors"][0])
    body = assert_problem(api.get("/api/v1/parks/?page=0&page_size=1000"), 422)
    assert {error["field"] for error in body["errors"]} == {"page", "page_size"}


@pytest.mark.parametrize(
    ("headers", "locale", "title"),
    [
        ({}, "nl", "Methode niet toegestaan"),
        ({"Accept-Language": "en-GB,en;q=0.9"}, "en", "Method not allowed"),
        ({"Accept-Language": "nl,en;q=0.5"}, "nl", "Methode niet toegestaan"),
    ],
)
def test_problems_speak_dutch_or_english(api_as, db, park, headers, locale, title):
    api = api_as(make_member(Role.ADVISOR, park))
    response = api.open("PUT", "/api/v1/parks/", headers=headers)
    body = assert_problem(response, 405)
    assert response.headers["Content-Language"] == locale
    assert body["title"] == title


def test_field_messages_of_marshmallow_are_dutch(api_as, db, park):
    api = api_as(make_member(Role.ADVISOR, park))
    body = assert_problem(api.get("/api/v1/parks/?municipality_id=x"), 422)
    assert body["title"] == "Ongeldige invoer"
    assert body["errors"][0]["detail"] == "Geen geldig geheel getal."


def test_without_accept_language_the_users_language_counts(api_as, db, park):
    api = api_as(make_member(Role.ENTREPRENEUR, park, locale="en"))
    response = api.get(f"/api/v1/parks/{park.id}/companies")
    assert assert_problem(response, 403)["title"] == "Access denied"
    assert response.headers["Content-Language"] == "en"
    response = api.get(f"/api/v1/parks/{park.id}/companies", headers={"Accept-Language": "nl"})
    assert assert_problem(response, 403)["title"] == "Geen toegang"


def test_rate_limit_per_token(app, api_as, db, park, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "2/minute")
    moment = [60.0 * 16_667 + 20]  # 20 s into a minute
    monkeypatch.setattr(ratelimit, "now", lambda: moment[0])
    user = make_member(Role.ADVISOR, park)
    first, second = api_as(user), api_as(user)
    assert first.get("/api/v1/parks/").headers["X-RateLimit-Remaining"] == "1"
    assert first.get("/api/v1/parks/").status_code == 200
    response = first.get("/api/v1/parks/")
    body = assert_problem(response, 429)
    assert response.headers["Retry-After"] == "40"
    assert "2" in body["detail"]
    assert second.get("/api/v1/parks/").status_code == 200  # another token counts on its own
    moment[0] += 40  # the next minute
    assert first.get("/api/v1/parks/").status_code == 200


def test_openapi_document_and_docs_are_public(app, db):
    client = app.test_client()
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.") and spec["info"]["version"] == "v1"
    assert {
        "/api/v1/parks/",
        "/api/v1/parks/{park_id}",
        "/api/v1/parks/{park_id}/companies",
        "/api/v1/parks/{park_id}/figures",
    } <= set(spec["paths"])
    problem = spec["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert list(problem) == ["application/problem+json"]
    docs = client.get("/api/v1/docs")
    page = docs.get_data(as_text=True)
    assert docs.status_code == 200 and docs.mimetype == "text/html"
    assert "GET /api/v1/parks/{park_id}/figures" in page and "POST /api/v1/parks/{park_id}/figures" in page
    scripts = re.findall(r"<script[^>]*>", page)
    assert all("src=" in tag for tag in scripts) and " style=" not in page  # nothing inline: the CSP allows none
    assert "script-src 'self'" in docs.headers["Content-Security-Policy"]


def test_a_park_route_cannot_be_registered_without_its_checks(app):
    """The checks that run before the query and the body are read are declared on the route: a rule with a park
    that names no action, or with an object that has no loader, does not register."""
    from app.api.setup import Blueprint

    blueprint = Blueprint("api-test", __name__)
    with pytest.raises(TypeError, match="names the action"):
        blueprint.route("/<int:park_id>/figures", methods=["POST"])
    with pytest.raises(TypeError, match="needs a loader"):
        blueprint.route("/<int:park_id>/actions/<int:action_id>", methods=["PATCH"], action="actions.update")
