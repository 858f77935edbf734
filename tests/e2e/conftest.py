"""Browser tests: the app served on a local port, Debian's chromium driven by Playwright, axe-core on every page."""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
import pytest
from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from app import ROOT, create_app
from app.auth.demo import DEMO_TOTP_SECRET, DEMO_TWO_FACTOR_ACCOUNTS
from app.auth.two_factor import DEVICE_COOKIE
from app.extensions import db
from tests.databases import throwaway_database_url

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# Werkzeug's development server can leave a static file unclosed when the browser drops a connection while
# navigating away; that surfaces as an "unraisable" warning in whichever test runs next. Only that is ignored.
STATIC_FILE_LEAKS = [
    pytest.mark.filterwarnings(r"ignore:unclosed file <_io.BufferedReader name='[^']*/static/:ResourceWarning"),
    pytest.mark.filterwarnings(
        r"ignore:Exception ignored in. <_io.FileIO name='[^']*/static/:pytest.PytestUnraisableExceptionWarning"
    ),
]


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.fspath).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.e2e)
            for mark in STATIC_FILE_LEAKS:
                item.add_marker(mark)


@pytest.fixture(scope="session")
def live_db_url(tmp_path_factory):
    """A database of its own for the served app."""
    with throwaway_database_url(tmp_path_factory.mktemp("e2e"), "e2e") as url:
        yield url


@pytest.fixture(scope="session")
def live_app(live_db_url, tmp_path_factory):
    from flask_migrate import upgrade

    from app.demo.seed import seed_demo_data

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": live_db_url, "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("e2e-uploads"))}
    )
    with app.app_context():
        upgrade()
        seed_demo_data(now=datetime.now(UTC))
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    # links meant for someone else (the calendar feed address, mails) are built from BASE_URL: this server's
    live_app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield live_app.config["BASE_URL"]
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Page:
    context = browser.new_context(base_url=live_server, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def check_accessibility(page: Page) -> None:
    """Run axe-core on the page as it is now; fail on any WCAG 2.1 A/AA violation."""
    # evaluate() runs outside the page's CSP, which (rightly) forbids injected script tags
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
    ]
    assert not problems, f"axe found WCAG violations on {page.url}:\n" + "\n".join(problems)


PHONE = {"width": 375, "height": 812}


def check_phone_width(page: Page) -> None:
    """At a phone's 375 px the page itself does not scroll sideways (a wide table scrolls inside its own region).
    The viewport is put back as it was."""
    # after a click the page's text may be there before its style sheets are (a busy machine shows it): measure
    # the page as styled
    page.wait_for_load_state("load")
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    width, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if size is not None:
        page.set_viewport_size(size)
    assert width <= client, f"{page.url} scrolls sideways at 375 px: {width} > {client}"


#: the remembered-device cookie of each demo account with a second factor, once it has given its code: the next
#: sign-in (in a new browser context) skips the code, as on a remembered device, and no code is used twice
_REMEMBERED_DEVICES: dict[str, list] = {}


def login(page: Page, email: str, password: str) -> None:
    """Sign in with the password; a demo account with a second factor (beheer@, camera@) gives the demo key's code
    too, and has its browser remembered, as a person would."""
    if email in _REMEMBERED_DEVICES:
        page.context.add_cookies(_REMEMBERED_DEVICES[email])
    page.goto("/inloggen")
    check_accessibility(page)
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()
    if urlsplit(page.url).path == "/inloggen/code" and email.split("@")[0] in DEMO_TWO_FACTOR_ACCOUNTS:
        page.get_by_label("Code", exact=True).fill(pyotp.TOTP(DEMO_TOTP_SECRET).now())
        page.get_by_label("Dit apparaat 30 dagen onthouden").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Inloggen").click()
        _REMEMBERED_DEVICES[email] = [c for c in page.context.cookies() if c["name"] == DEVICE_COOKIE]


def open_park(page: Page, name: str) -> None:
    """Go to a park as a user does: the top navigation's park switcher, a search by its name, then its link."""
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Parken", exact=True).click()
    search = page.get_by_label("Zoek op naam")
    search.fill(name)
    search.press("Enter")
    page.locator("main").get_by_role("link", name=name, exact=True).click()
