"""The sessions page: a user signed in on a laptop and a phone sees both, ends the laptop's session from the phone,
then signs out everywhere."""

from __future__ import annotations

from playwright.sync_api import expect

from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from tests.e2e.conftest import PHONE, check_accessibility, check_phone_width, login

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)


def test_a_user_ends_a_forgotten_session_from_the_phone_then_signs_out_everywhere(browser, live_server, page):
    email = f"adviseur@{DEMO_DOMAIN}"
    login(page, email, DEMO_PASSWORD)  # the laptop, left signed in
    expect(page.get_by_role("heading", level=2, name="Parken die u begeleidt")).to_be_visible()

    phone_context = browser.new_context(base_url=live_server, locale="nl-NL", viewport=PHONE, user_agent=IPHONE)
    phone = phone_context.new_page()
    try:
        login(phone, email, DEMO_PASSWORD)
        phone.locator("header").get_by_role("link", name="Anouk Adviseur").first.click()
        phone.get_by_role("link", name="Waar u bent ingelogd").click()
        expect(phone.get_by_role("heading", level=1, name="Waar u bent ingelogd")).to_be_visible()
        sessions = phone.get_by_role("list", name="Actieve sessies")
        expect(sessions).to_contain_text("Safari op iOS (dit apparaat)")
        expect(sessions).to_contain_text("Chrome op Linux")
        expect(phone.get_by_role("link", name="Tweestapsverificatie en onthouden apparaten")).to_be_visible()
        check_accessibility(phone)
        check_phone_width(phone)

        phone.get_by_role("button", name="Sessie op Chrome op Linux beëindigen").first.click()
        expect(phone.get_by_text("De sessie is beëindigd")).to_be_visible()
        page.reload()
        expect(page.get_by_role("heading", level=1, name="Inloggen")).to_be_visible()

        phone.get_by_role("button", name="Overal uitloggen").click()
        phone.get_by_role("dialog").get_by_role("button", name="Ja, overal uitloggen").click()
        expect(phone.get_by_text("U bent op al uw apparaten uitgelogd.")).to_be_visible()
        check_accessibility(phone)
        phone.goto("/profiel")
        expect(phone.get_by_role("heading", level=1, name="Inloggen")).to_be_visible()
    finally:
        phone_context.close()
