"""Links for someone else come from BASE_URL, never from the request's Host header (issue 17: a forged Host put an
attacker's host in a genuine password-reset mail), and production refuses a Host it does not know.

Every mail the platform sends (one per template in templates/email/) is made here with the Host header forged (or,
for the mails only jobs write, inside a request with a forged host), and every link in it, in its HTML and in its
PDF attachments must start with BASE_URL.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app import create_app
from app.auth.models import Role, SecondFactor, User
from app.awards import services as awards
from app.cameras import networks
from app.cameras.jobs import alert_offline
from app.cameras.models import CameraOutage
from app.extensions import db
from app.meetings.models import Meeting
from app.notifications import notify
from app.notifications.services import send_digest
from app.parks.services import active_cycle
from app.plans import calendar
from app.stakeholders.models import OrganisationType, PpsRole, Stakeholder
from app.surveys.models import InvitationStatus
from tests.awards.support import make_world, sign_as
from tests.cameras.conftest import AREA, NETWORK_VALUES, camera_values
from tests.factories import make_company, make_invitation, make_member, make_organisation, make_user
from tests.meetings.conftest import schedule
from tests.surveys.test_letter import pdf_pages

BASE = "http://127.0.0.1:5000"  # the test configuration's BASE_URL
FORGED = "evil.example"
URL = re.compile(r"https?://[^\s\"'<>)]+")
EMAIL_TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "email"
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

#: the subject of every mail (by its template) as the tests below make it
SUBJECTS = {
    "password_reset": "Nieuw wachtwoord instellen",
    "invitation": "Uitnodiging voor Veilig Bedrijventerrein",
    "survey_invitation": "Uitnodiging: enquête veiligheid op Lage Weide",
    "survey_reminder": "Herinnering: enquête veiligheid op Lage Weide",
    "award_request": "Uw handtekening voor de waardering van Lage Weide",
    "award_granted": "Lage Weide heeft de waardering: iedereen heeft getekend",
    "meeting_invitation": "Uitnodiging: Werksessie veiligheid (Lage Weide)",
    "meeting_cancelled": "Geannuleerd: Werksessie veiligheid (Lage Weide)",
    "camera_offline": "Camera C01 van Lage Weide is lang offline",
    "digest": "Uw weekoverzicht van Veilig Bedrijventerrein",
    "two_factor": "Tweestapsverificatie gereset door een beheerder",
}


@pytest.fixture
def forged_host(app, monkeypatch):
    """Every request reaches the app with `Host: evil.example`, as an attacker sends it (the test client still
    sends the cookies of its own host, so logged-in clients stay logged in)."""
    inner = app.wsgi_app

    def forged(environ, start_response):
        environ["HTTP_HOST"] = FORGED
        return inner(environ, start_response)

    monkeypatch.setattr(app, "wsgi_app", forged)


def _links(text: str) -> list[str]:
    return URL.findall(text)


def assert_on_base_url(text: str) -> None:
    links = _links(text)
    assert links, "no link at all"
    assert FORGED not in text
    assert [link for link in links if not link.startswith(BASE + "/")] == []


def assert_mails_link_to_base_url(mails, template: str, count: int = 1) -> None:
    """`count` mails of `template` were queued, and every link in them points to BASE_URL."""
    made = [mail for mail in mails if mail.subject == SUBJECTS[template]]
    assert len(made) == count, [mail.subject for mail in mails]
    for mail in made:
        assert_on_base_url(mail.text_body)
        assert_on_base_url(mail.html_body)
        for attachment in mail.attachments:
            assert FORGED.encode() not in attachment.data
            if attachment.content_type == "application/pdf":
                for text, codes in pdf_pages(attachment.data):
                    assert_on_base_url(text + " " + " ".join(codes))


def test_every_mail_template_is_covered_here():
    assert {path.stem for path in EMAIL_TEMPLATES.iterdir()} == set(SUBJECTS)


# The account area -------------------------------------------------------------------------------------------------


def test_the_password_reset_mail(client, db, outbox, forged_host):
    make_user(email="olga@example.nl")
    assert client.post("/wachtwoord-vergeten", data={"email": "olga@example.nl"}).status_code == 302
    assert_mails_link_to_base_url(outbox(), "password_reset")


def test_the_second_factor_mail(login_as, db, admin, outbox, forged_host):
    user = make_user()
    db.session.add(SecondFactor(user_id=user.id, secret_encrypted="x", enrolled_at=NOW))
    response = login_as(admin).post(
        f"/beheer/gebruikers/{user.id}/tweestapsverificatie-resetten", data={"bevestigd": "ja"}
    )
    assert response.status_code == 302
    assert_mails_link_to_base_url(outbox(), "two_factor")


def test_the_invitation_mail_from_the_admin_and_sent_again(login_as, db, admin, outbox, forged_host):
    client = login_as(admin)
    response = client.post(
        "/beheer/gebruikers/nieuw",
        data={"email": "nina@example.nl", "name": "Nina Nieuw", "organisation_id": "0", "locale": "nl"},
    )
    assert response.status_code == 302
    nina = db.session.scalar(select(User).where(User.email == "nina@example.nl"))
    assert client.post(f"/beheer/gebruikers/{nina.id}/uitnodiging").status_code == 302
    assert_mails_link_to_base_url(outbox(), "invitation", count=2)


def test_the_invitation_mail_to_a_stakeholders_representative(login_as, db, park, outbox, forged_host):
    police = make_organisation(name="Politie Midden-Nederland", type=OrganisationType.POLITIE)
    stakeholder = Stakeholder(organisation=police, role=PpsRole.POLITIE)
    active_cycle(park).stakeholders.append(stakeholder)
    db.session.flush()
    response = login_as(make_member(Role.ADVISOR, park)).post(
        f"/parken/{park.id}/deelnemers/{stakeholder.id}/uitnodigen",
        data={"invite-name": "Peter Politie", "invite-email": "peter@politie.example", "invite-locale": "nl"},
    )
    assert response.status_code == 302
    assert_mails_link_to_base_url(outbox(), "invitation")


# The survey -------------------------------------------------------------------------------------------------------


def test_the_survey_invitation_mail_its_letter_and_the_letters_pdf(login_as, db, park, survey, outbox, forged_host):
    make_company(park, name="Transport Van Dam", house_number=1, email="info@vandam.nl")
    client = login_as(make_member(Role.ADVISOR, park))
    url = f"/parken/{park.id}/enquete/uitnodigingen"
    assert client.post(f"{url}/aanmaken").status_code == 302
    assert client.post(f"{url}/versturen").status_code == 302
    assert_mails_link_to_base_url(outbox(), "survey_invitation")
    letters = client.get(f"{url}/brieven.pdf")
    assert letters.status_code == 200
    for text, codes in pdf_pages(letters.data):
        assert_on_base_url(text + " " + " ".join(codes))


def test_the_survey_reminder_mail(login_as, db, park, survey, outbox, forged_host):
    company = make_company(park, name="Due BV", email="due@example.nl")
    make_invitation(
        survey, company=company, status=InvitationStatus.INVITED, emailed_at=datetime.now(UTC) - timedelta(days=8)
    )
    client = login_as(make_member(Role.ADVISOR, park))
    assert client.post(f"/parken/{park.id}/enquete/resultaten/herinneren").status_code == 302
    assert_mails_link_to_base_url(outbox(), "survey_reminder")


# The award --------------------------------------------------------------------------------------------------------


def test_the_award_request_and_granted_mails(login_as, db, outbox, forged_host):
    world = make_world()
    world.wendy.locale = "nl"  # one subject to look for
    base = f"/parken/{world.park.id}/waardering"
    assert login_as(world.advisor).post(f"{base}/aanvragen").status_code == 302
    assert_mails_link_to_base_url(outbox(), "award_request", count=3)  # the signatories with an address
    *first, last = world.stakeholders
    for stakeholder in first:
        sign_as(world, stakeholder, now=datetime.now(UTC))
    signer = world.signer_of(last)
    signed = login_as(signer).post(
        f"{base}/tekenen",
        data={"sign-name": signer.name, "sign-function": "Voorzitter", "sign-confirmed": "y"},
    )
    assert signed.status_code == 302
    assert awards.find_award(world.cycle).awarded_on is not None
    assert_mails_link_to_base_url(outbox(), "award_granted", count=2)  # the advisor and the municipality


# Meetings ---------------------------------------------------------------------------------------------------------


def test_the_meeting_invitation_and_cancellation_mails(login_as, db, park, outbox, forged_host):
    cycle = active_cycle(park)
    advisor = make_member(Role.ADVISOR, park)
    meeting = schedule(advisor, cycle, on=date(2030, 1, 10))
    client = login_as(advisor)
    base = f"/parken/{park.id}/vergaderingen/{meeting.id}"
    assert client.post(f"{base}/genodigden", data={"invite-people": "Jan <jan@drukkerij.example>"}).status_code == 302
    assert client.post(f"{base}/uitnodigen").status_code == 302
    assert client.post(f"{base}/annuleren", data={"bevestigd": "ja"}).status_code == 302
    assert db.session.get(Meeting, meeting.id).cancelled_at is not None
    assert_mails_link_to_base_url(outbox(), "meeting_invitation")
    (cancelled,) = [mail for mail in outbox() if mail.subject == SUBJECTS["meeting_cancelled"]]
    # the cancellation has no link; its calendar file names the meeting by BASE_URL's host, not the request's
    assert not _links(cancelled.text_body) and FORGED not in cancelled.html_body
    (ics,) = cancelled.attachments
    assert b"@127.0.0.1" in ics.data and FORGED.encode() not in ics.data


# The mails only jobs write: in a request with a forged host too they link to BASE_URL -----------------------------


def test_the_camera_offline_mail(app, db, park, outbox):
    park.area = AREA
    officer = make_member(Role.CAMERA_OFFICER, park)
    network = networks.save_network(officer, park, NETWORK_VALUES)
    camera = networks.save_camera(officer, network, camera_values())
    outage = CameraOutage(camera=camera, started_at=NOW - timedelta(hours=6))
    db.session.add(outage)
    db.session.flush()
    with app.test_request_context(base_url=f"https://{FORGED}"):
        assert alert_offline(outage, now=NOW)
    assert_mails_link_to_base_url(outbox(), "camera_offline", count=2)  # the officer and the operator


def test_the_digest_mail(app, db, park, outbox):
    user = make_user(name="Wim")
    notify(user, kind="actions.due", heading="Geplande taken", text="Verlichting", path=f"/parken/{park.id}", park=park)
    with app.test_request_context(base_url=f"https://{FORGED}"):
        assert send_digest(user, user.digest_frequency, now=NOW) == 1
    assert_mails_link_to_base_url(outbox(), "digest")


# Pages ------------------------------------------------------------------------------------------------------------


def test_the_calendar_feed_address_on_the_page(login_as, db, park, forged_host):
    advisor = make_member(Role.ADVISOR, park)
    token = calendar.enable_feed(advisor, park).token
    body = login_as(advisor).get(f"/parken/{park.id}/kalender/").get_data(as_text=True)
    assert f'value="{BASE}/kalender/{token}.ics"' in body and FORGED not in body


# Trusted hosts ----------------------------------------------------------------------------------------------------


@pytest.fixture
def production(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("BASE_URL", "https://vb.example.nl")
    monkeypatch.setenv("TRUSTED_HOSTS", "vb-intern.example.nl, .gemeente.example")
    app = create_app("production")
    with app.app_context():
        db.create_all()  # the login page lists the identity providers
    return app


def test_production_refuses_an_unknown_host_with_the_error_page(production):
    client = production.test_client()
    for host in ("vb.example.nl", "vb.example.nl:443", "vb-intern.example.nl", "vb.gemeente.example"):
        assert client.get("/inloggen", headers={"Host": host}).status_code == 200, host
    for path in ("/inloggen", "/wachtwoord-vergeten", "/niet-bestaand"):
        refused = client.get(path, headers={"Host": FORGED})
        body = refused.get_data(as_text=True)
        assert refused.status_code == 400, path
        assert "Ongeldig verzoek" in body and 'href="/"' in body and FORGED not in body
    posted = client.post("/wachtwoord-vergeten", headers={"Host": FORGED}, data={"email": "olga@example.nl"})
    assert posted.status_code == 400
    api = client.get("/api/v1/parks/", headers={"Host": FORGED})
    assert api.status_code == 400 and api.content_type == "application/problem+json"


def test_trusted_hosts_come_from_base_url_in_production_only(monkeypatch):
    from app.config import resolve

    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    monkeypatch.setenv("BASE_URL", "https://VB.example.nl:8443/platform")
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    assert resolve("production")["TRUSTED_HOSTS"] == ["vb.example.nl"]
    assert resolve("development")["TRUSTED_HOSTS"] is None
    assert resolve("testing")["TRUSTED_HOSTS"] is None
    monkeypatch.setenv("TRUSTED_HOSTS", "a.example, b.example")
    assert resolve("development")["TRUSTED_HOSTS"] == ["vb.example.nl", "a.example", "b.example"]
    monkeypatch.setenv("BASE_URL", "/zonder-host")
    monkeypatch.delenv("TRUSTED_HOSTS")
    with pytest.raises(RuntimeError, match="BASE_URL"):
        resolve("production")
