"""The second factor in a real browser: a new camera officer must set up an authenticator at their first sign-in
(QR code with the key as text), keeps the recovery codes, signs in again with a code, has the browser remembered,
forgets it again, signs in with a recovery code, and the admin resets it all. The user is made for the journey and
removed afterwards, so the other browser tests see the demo as it was."""

from __future__ import annotations

import time

import pyotp
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete, select

from app.auth.models import Membership, Role, User
from app.auth.services import set_password
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.mail.models import OutboxMail
from app.parks.models import Park
from tests.e2e.conftest import check_accessibility, check_phone_width, login

EMAIL = f"tweestaps.e2e@{DEMO_DOMAIN}"


@pytest.fixture
def camera_officer(live_app):
    """A camera officer of Lage Weide without a second factor yet; removed afterwards with what they left."""
    with live_app.app_context():
        user = User(email=EMAIL, name="Tessa Tweestaps")
        db.session.add(user)
        set_password(user, DEMO_PASSWORD)
        park = db.session.scalar(select(Park).where(Park.name == "Lage Weide"))
        user.memberships.append(Membership(role=Role.CAMERA_OFFICER, park=park))
        db.session.commit()
        user_id = user.id
    yield user_id
    with live_app.app_context():
        db.session.execute(delete(OutboxMail).where(OutboxMail.recipient == EMAIL))
        db.session.execute(delete(User).where(User.id == user_id))
        db.session.commit()


def _code(secret: str, *, steps_ahead: int = 0) -> str:
    # A code is accepted once: the next sign-in within the same 30 seconds gives the next step's code (accepted
    # too, a phone's clock may run a little ahead).
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_text("U bent uitgelogd.")).to_be_visible()


def test_enrol_at_first_sign_in_then_sign_in_with_a_code_a_remembered_device_and_a_recovery_code(
    page, live_app, camera_officer
):
    login(page, EMAIL, DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1, name="Tweestapsverificatie instellen")).to_be_visible()
    expect(page.get_by_text("Voor uw account is tweestapsverificatie verplicht.")).to_be_visible()
    expect(page.locator(".vb-qr svg")).to_be_visible()
    check_accessibility(page)
    check_phone_width(page)
    secret = page.locator("[data-totp-secret]").inner_text().replace(" ", "")

    # a wrong code is refused with a message, and nothing is set up
    page.get_by_label("Code uit de app").fill(pyotp.TOTP(secret).at(time.time() - 3600))
    page.get_by_role("button", name="Controleren en instellen").click()
    expect(page.get_by_text("Deze code klopt niet.")).to_be_visible()
    check_accessibility(page)

    page.get_by_label("Code uit de app").fill(_code(secret))
    page.get_by_role("button", name="Controleren en instellen").click()
    expect(page.get_by_role("heading", level=1, name="Uw herstelcodes")).to_be_visible()
    codes = page.get_by_role("list", name="Herstelcodes").locator("code").all_inner_texts()
    assert len(codes) == 10
    check_accessibility(page)
    check_phone_width(page)
    page.get_by_role("link", name="Ik heb de codes bewaard, verder").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    _sign_out(page)

    # the next sign-in asks for the code; this browser is remembered from then on
    login(page, EMAIL, DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1, name="Code invullen")).to_be_visible()
    check_accessibility(page)
    check_phone_width(page)
    page.get_by_label("Code", exact=True).fill(_code(secret, steps_ahead=1))
    page.get_by_label("Dit apparaat 30 dagen onthouden").check()
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    _sign_out(page)
    login(page, EMAIL, DEMO_PASSWORD)
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()

    # the profile lists the remembered browser; forgetting it asks for the code again
    page.get_by_role("link", name="Tessa Tweestaps").click()
    page.get_by_role("link", name="Tweestapsverificatie en onthouden apparaten").click()
    expect(page.get_by_role("heading", level=1, name="Tweestapsverificatie")).to_be_visible()
    expect(page.get_by_text("U heeft nog 10 ongebruikte herstelcodes.")).to_be_visible()
    expect(page.get_by_role("button", name="Tweestapsverificatie uitzetten")).to_have_count(0)  # required for them
    check_accessibility(page)
    check_phone_width(page)
    page.get_by_role("button", name="Vergeten").click()
    expect(page.get_by_text("Dit apparaat vraagt voortaan weer om de code.")).to_be_visible()
    _sign_out(page)

    login(page, EMAIL, DEMO_PASSWORD)
    page.get_by_label("Code", exact=True).fill(codes[0])
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text("U heeft een herstelcode gebruikt; er zijn er nog 9 over.")).to_be_visible()
    check_accessibility(page)
    _sign_out(page)

    with live_app.app_context():
        subjects = db.session.scalars(select(OutboxMail.subject).where(OutboxMail.recipient == EMAIL)).all()
    assert "Tweestapsverificatie ingesteld" in subjects
    assert "Er is een herstelcode gebruikt" in subjects

    # the admin resets it (a lost phone): the next sign-in sets it up again
    login(page, f"beheer@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/beheer/gebruikers/{camera_officer}")
    check_accessibility(page)
    page.get_by_role("button", name="Tweestapsverificatie resetten").click()
    page.get_by_role("dialog").get_by_role("button", name="Ja, resetten").click()
    expect(page.get_by_text("De tweestapsverificatie van Tessa Tweestaps is gereset.")).to_be_visible()
    expect(page.get_by_text("Niet ingesteld.")).to_be_visible()
    _sign_out(page)
    login(page, EMAIL, DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1, name="Tweestapsverificatie instellen")).to_be_visible()
