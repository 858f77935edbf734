"""Signing in through an identity provider in a real browser: the demo's test provider (tests/oidc_provider.py, a
process of its own), the mapped role's home page, the logout that ends the provider's session too, a person without
access, and the admin editing the mapping. Every page axe-clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete, select

from app.auth.models import User
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.sso import services
from app.sso.demo import DEMO_PROVIDER_SLUG
from app.sso.models import IdentityProvider, RoleRule
from tests.e2e.conftest import check_accessibility, login
from tests.oidc_provider import OidcProvider


@pytest.fixture
def op(live_app):
    """The test provider on a free port, and the demo provider pointed at it for the test."""
    with OidcProvider() as process, live_app.app_context():
        provider = db.session.scalar(select(IdentityProvider).where(IdentityProvider.slug == DEMO_PROVIDER_SLUG))
        demo_issuer, provider.issuer = provider.issuer, process.issuer
        db.session.commit()
        services.forget_cached_documents()
        try:
            yield process
        finally:
            provider = db.session.scalar(select(IdentityProvider).where(IdentityProvider.slug == DEMO_PROVIDER_SLUG))
            provider.issuer = demo_issuer
            db.session.execute(delete(User).where(User.email == "sso.gemeente@example.nl"))
            db.session.commit()
            services.forget_cached_documents()


def test_signing_in_through_the_provider_lands_on_the_mapped_roles_home_page(page: Page, op):
    page.goto("/inloggen")
    check_accessibility(page)
    page.get_by_role("link", name="Inloggen met Test-inlogdienst").click()
    expect(page).to_have_url(re.compile(r"/$"))
    main = page.locator("main")
    expect(main).to_contain_text("Welkom, Sanne SSO")
    # the group vb-gemeente gives the municipality role on Utrecht's parks: the officer's home page
    expect(main).to_contain_text("Wat nu op u wacht")
    check_accessibility(page)
    page.get_by_role("button", name="Uitloggen").click()
    # through the provider's logout and back to the login page
    expect(page).to_have_url(re.compile(r"/inloggen$"))
    assert len(op.stats()["logouts"]) == 1
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/inloggen"))


def test_a_person_without_access_is_told_so(page: Page, op):
    op.set_user(sub="onbekend", email="onbekend@example.nl", groups=["niets"])
    page.goto("/inloggen")
    page.get_by_role("link", name="Inloggen met Test-inlogdienst").click()
    expect(page.get_by_role("alert")).to_contain_text("U bent bekend bij Test-inlogdienst, maar heeft nog geen toegang")
    check_accessibility(page)
    page.get_by_role("link", name="Terug naar inloggen").click()
    expect(page.locator("main button[type=submit]")).to_have_text("Inloggen")


def test_the_admin_adds_a_mapping_rule(page: Page, live_app):
    login(page, f"beheer@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto("/beheer/")
    page.get_by_role("link", name="Inlogdiensten").click()
    check_accessibility(page)
    page.get_by_role("link", name="Test-inlogdienst").click()
    check_accessibility(page)
    page.get_by_label("Waarde in de groepenclaim").fill("vb-adviseurs")
    page.get_by_label("Rol", exact=True).select_option(label="Adviseur (PVO)")
    page.get_by_role("button", name="Regel toevoegen").click()
    expect(page.get_by_role("status").or_(page.locator(".utrecht-alert"))).to_contain_text("De regel is toegevoegd")
    expect(page.locator("main table")).to_contain_text("vb-adviseurs")
    check_accessibility(page)
    page.get_by_role("button", name="Regel vb-adviseurs verwijderen").click()
    expect(page.locator("main table")).not_to_contain_text("vb-adviseurs")
    with live_app.app_context():
        assert db.session.scalar(select(RoleRule).where(RoleRule.claim_value == "vb-adviseurs")) is None


def test_the_admin_lets_an_organisation_sign_in_only_through_its_provider(browser, live_server, live_app):
    admin = browser.new_context(base_url=live_server, locale="nl-NL").new_page()
    officer = browser.new_context(base_url=live_server, locale="nl-NL").new_page()
    try:
        login(admin, f"beheer@{DEMO_DOMAIN}", DEMO_PASSWORD)
        admin.goto("/beheer/organisaties")
        admin.get_by_role("link", name="Gemeente Utrecht").click()
        admin.get_by_role("button", name="Alleen via de inlogdienst laten inloggen").click()
        expect(admin.locator("main")).to_contain_text("loggen nu alleen via hun inlogdienst in")
        check_accessibility(admin)
        login(officer, f"gemeente@{DEMO_DOMAIN}", DEMO_PASSWORD)
        expect(officer.locator("main")).to_contain_text("Gemeente Utrecht logt in via de eigen inlogdienst")
        expect(officer.get_by_role("link", name="Inloggen met Test-inlogdienst")).to_be_visible()
        check_accessibility(officer)
    finally:
        admin.get_by_role("button", name="Inloggen met wachtwoord weer toestaan").click()
        expect(admin.locator("main")).to_contain_text("kunnen weer met een wachtwoord inloggen")
        admin.context.close()
        officer.context.close()
