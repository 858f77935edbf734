"""Journeys through the scheduled jobs, the outbox and the digest preference."""

from __future__ import annotations

from playwright.sync_api import expect

from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from tests.e2e.conftest import check_accessibility, login


def test_admin_finds_a_failed_mail_and_sends_it_again(page):
    login(page, f"beheer@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.get_by_role("link", name="Beheer", exact=True).click()
    page.get_by_role("link", name="Geplande taken").click()
    expect(page.get_by_role("heading", level=1, name="Geplande taken")).to_be_visible()
    expect(page.get_by_role("link", name="E-mails uit de wachtrij versturen (met herhaalpogingen)")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="E-mails uit de wachtrij versturen (met herhaalpogingen)").click()
    check_accessibility(page)

    page.goto("/beheer/")
    page.get_by_role("link", name="E-mail", exact=True).click()
    check_accessibility(page)
    page.get_by_role("link", name="Mislukt").click()
    page.get_by_role("link", name="Uitnodiging voor Veilig Bedrijventerrein").first.click()
    expect(page.get_by_text("Recipient address rejected")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Opnieuw versturen").click()
    expect(page.get_by_text("De e-mail staat weer in de wachtrij.")).to_be_visible()
    check_accessibility(page)


def test_entrepreneur_chooses_a_daily_digest(page):
    login(page, f"politie@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.get_by_role("link", name="Peter Politie").click()
    page.get_by_label("Overzicht per e-mail").select_option("daily")
    check_accessibility(page)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Uw gegevens zijn opgeslagen.")).to_be_visible()
    expect(page.get_by_label("Overzicht per e-mail")).to_have_value("daily")
