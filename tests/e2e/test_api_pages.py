"""The API pages in a real browser: the profile's tokens page (create, shown once, use, revoke) and the docs."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete

from app.api.models import ApiToken
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from tests.e2e.conftest import check_accessibility, login

NAME = "Dashboard gemeenteraad (browsertest)"


@pytest.fixture
def cleanup_tokens(live_app):
    yield
    with live_app.app_context():
        db.session.execute(delete(ApiToken).where(ApiToken.name == NAME))
        db.session.commit()


def test_create_use_and_revoke_a_token(page, cleanup_tokens):
    login(page, f"gemeente@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto("/profiel")
    page.get_by_role("link", name="API-sleutels beheren").click()
    expect(page.get_by_role("heading", level=1, name="API-sleutels")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Naam").fill(NAME)
    page.get_by_label("Rechten").select_option("read")
    page.get_by_role("button", name="Sleutel aanmaken").click()
    secret_box = page.get_by_label("Uw nieuwe sleutel")
    expect(page.get_by_role("status")).to_contain_text("maar één keer getoond")
    secret = secret_box.input_value()
    assert secret.startswith("vbt_")
    check_accessibility(page)

    api = page.context.request
    parks = api.get("/api/v1/parks/", headers={"Authorization": f"Bearer {secret}"})
    assert parks.status == 200 and len(parks.json()) >= 1
    # the browser's session cookie alone is no key
    assert api.get("/api/v1/parks/").status == 401

    page.goto("/profiel/api-sleutels/")
    expect(page.get_by_label("Uw nieuwe sleutel")).to_have_count(0)  # shown once
    page.get_by_role("button", name=f"Sleutel {NAME} intrekken").click()
    expect(page.get_by_role("status")).to_contain_text("is ingetrokken")
    check_accessibility(page)
    assert api.get("/api/v1/parks/", headers={"Authorization": f"Bearer {secret}"}).status == 401


def test_docs_page_lists_the_operations(page):
    page.goto("/api/v1/docs")
    expect(page.get_by_role("heading", level=1, name="API-documentatie")).to_be_visible()
    expect(page.get_by_role("heading", level=3, name="POST /api/v1/parks/{park_id}/figures")).to_be_visible()
    check_accessibility(page)
