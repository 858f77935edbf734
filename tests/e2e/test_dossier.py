"""The certifying body's auditor opens a park's audit dossier and downloads the ZIP, in a real browser; the views
are written to the audit log."""

from __future__ import annotations

import re
import zipfile
from datetime import timedelta

import pypdfium2
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Membership, Role, User
from app.auth.services import set_password
from app.clock import local_today
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.parks.models import Park
from tests.e2e.conftest import check_accessibility, login

PARK = "Cartesiusweg"
EMAIL = f"auditor.e2e@{DEMO_DOMAIN}"


@pytest.fixture
def auditor(live_app):
    """A user of the certifying body with the auditor role on Cartesiusweg for a month; removed afterwards (the
    audit rows stay: the log is append-only)."""
    with live_app.app_context():
        park = db.session.scalar(select(Park).where(Park.name == PARK))
        user = User(email=EMAIL, name="Ilse Inspecteur")
        set_password(user, DEMO_PASSWORD)
        user.memberships.append(Membership(role=Role.AUDITOR, park=park, ends_on=local_today() + timedelta(days=30)))
        db.session.add(user)
        db.session.commit()
        ids = (user.id, park.id)
    yield ids
    with live_app.app_context():
        db.session.delete(db.session.get(User, ids[0]))
        db.session.commit()


def test_auditor_opens_the_dossier_and_downloads_the_zip(page: Page, live_app, auditor, tmp_path):
    user_id, park_id = auditor
    login(page, EMAIL, DEMO_PASSWORD)
    page.goto(f"/parken/{park_id}/dossier/")
    expect(page.get_by_role("heading", level=1, name=f"Auditdossier van {PARK}")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Gebiedskaart")).to_be_visible()
    check_accessibility(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Dossier downloaden (ZIP)").click()
    assert re.fullmatch(
        r"auditdossier-cartesiusweg-cyclus-\d+-\d{4}-\d{2}-\d{2}\.zip", download.value.suggested_filename
    )
    saved = tmp_path / "dossier.zip"
    download.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        names = archive.namelist()
        assert names[0] == "00-inhoud.pdf" and "01-gebiedskaart.pdf" in names
        for name in names:
            if name.endswith(".pdf"):
                document = pypdfium2.PdfDocument(archive.read(name))
                assert len(document) >= 1, name
                document.close()

    with live_app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.actor_id == user_id)).all()
        viewed = [e.details["endpoint"] for e in events if e.action == "auditor.viewed"]
        assert viewed == ["dossier.index", "dossier.download"]
        assert [e.park_id for e in events if e.action == "dossier.downloaded"] == [park_id]
