"""The award's pages: readiness with fix links, requesting, signing, the ceremony date, the downloads and the press
release; who may open what, on their own park and on another."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from docx import Document
from sqlalchemy import select

from app.auth.models import Role
from app.awards import services
from app.awards.models import Signature
from app.clock import local_today
from app.extensions import db as _db
from tests.awards.support import grant, make_world, request, sign_as
from tests.factories import make_member, make_organisation, make_park, make_user


def base(world) -> str:
    return f"/parken/{world.park.id}/waardering"


def test_the_readiness_page_lists_what_is_missing_with_fix_links(login_as, db):
    world = make_world(step=6)
    body = login_as(world.advisor).get(base(world) + "/").get_data(as_text=True)
    assert "Eerst moeten stap 1 tot en met 6 klaar zijn" in body
    assert "Het plan is vastgesteld in een vergadering" in body
    assert f'href="/parken/{world.park.id}/plan/">Naar het plan is vastgesteld in een vergadering</a>' in body
    assert f'href="/parken/{world.park.id}/kalender/">Naar de communicatie- en activiteitenkalender is gevuld' in body
    assert "Handtekeningen vragen</button>" not in body
    assert "U kunt de handtekeningen vragen zodra stap 1 tot en met 6 klaar zijn." in body


def test_the_park_page_links_to_the_award(login_as, db):
    world = make_world()
    body = login_as(world.olga).get(f"/parken/{world.park.id}").get_data(as_text=True)
    assert f'href="/parken/{world.park.id}/waardering/">Waardering</a>' in body


def test_requesting_from_the_page(login_as, db, outbox):
    world = make_world()
    client = login_as(world.advisor)
    assert "Handtekeningen vragen</button>" in client.get(base(world) + "/").get_data(as_text=True)
    response = client.post(base(world) + "/aanvragen")
    assert response.status_code == 302
    assert services.find_award(world.cycle).requested_at is not None
    assert len(outbox()) == 3
    body = client.get(base(world) + "/").get_data(as_text=True)
    assert "De handtekeningen zijn gevraagd; 3 tekenbevoegden kregen een persoonlijke link." in body
    # the page says for whom nobody can sign by link
    assert (
        "Voor deze organisaties kan nog niemand met een persoonlijke link tekenen, want er is geen tekenbevoegde met "
        f"e-mailadres bekend: {world.fire.organisation.name}." in body
    )
    assert "Gevraagd op" in body and "Handtekeningen vragen</button>" not in body


def test_a_refused_request_says_what_is_missing(login_as, db):
    world = make_world(step=6)
    client = login_as(world.advisor)
    assert client.post(base(world) + "/aanvragen").status_code == 302
    body = client.get(base(world) + "/").get_data(as_text=True)
    assert "Nog niet klaar voor de waardering" in body and "Het plan is vastgesteld in een vergadering" in body
    assert services.find_award(world.cycle) is None


def test_signing_on_the_page(login_as, db):
    world = make_world()
    request(world)
    world.wendy.locale = "nl"  # she reads her mail in English; the pages are compared in Dutch here
    client = login_as(world.wendy)
    index = client.get(base(world) + "/").get_data(as_text=True)
    assert f"Tekenen namens {world.police.organisation.name}" in index
    form = client.get(base(world) + "/tekenen").get_data(as_text=True)
    # she is the pre-filled signatory: her function is offered; her name is her account's, not a field
    assert "<strong>Uw naam:</strong> Wendy Wijkagent" in form and 'value="Teamchef"' in form
    assert 'name="sign-name"' not in form
    # without the confirmation nothing is signed
    unconfirmed = client.post(
        base(world) + "/tekenen", data={"sign-name": "Wendy Wijkagent", "sign-function": "Teamchef"}
    )
    assert unconfirmed.status_code == 422
    assert "Vink aan dat u namens uw organisatie tekent." in unconfirmed.get_data(as_text=True)
    assert _db.session.scalar(select(Signature.id)) is None
    signed = client.post(
        base(world) + "/tekenen",
        data={"sign-name": "Wendy Wijkagent", "sign-function": "Teamchef West", "sign-confirmed": "y"},
    )
    assert signed.status_code == 302
    signature = _db.session.scalars(select(Signature)).one()
    assert (signature.stakeholder_id, signature.function) == (world.police.id, "Teamchef West")
    # a second time: the page says so, and a post is refused
    again = client.get(base(world) + "/tekenen").get_data(as_text=True)
    assert f"Er is al getekend namens {world.police.organisation.name}." in again
    repeated = client.post(
        base(world) + "/tekenen", data={"sign-name": "W", "sign-function": "T", "sign-confirmed": "y"}
    )
    assert repeated.status_code == 422
    assert len(_db.session.scalars(select(Signature)).all()) == 1


def test_signing_refused_before_the_request_and_for_outsiders(login_as, db):
    world = make_world()
    world.wendy.locale = "nl"
    client = login_as(world.wendy)
    assert "De handtekeningen zijn nog niet gevraagd." in client.get(base(world) + "/tekenen").get_data(as_text=True)
    request(world)
    stranger = make_member(Role.PARTNER, world.park, organisation=make_organisation(name="Douane"))
    page = login_as(stranger).get(base(world) + "/tekenen").get_data(as_text=True)
    assert "Uw organisatie doet niet mee" in page
    refused = login_as(stranger).post(
        base(world) + "/tekenen", data={"sign-name": "S", "sign-function": "F", "sign-confirmed": "y"}
    )
    assert refused.status_code == 422
    assert _db.session.scalar(select(Signature.id)) is None


def test_certificates_only_after_every_signature(login_as, db):
    world = make_world()
    request(world)
    for stakeholder in world.stakeholders[:-1]:
        sign_as(world, stakeholder)
    client = login_as(world.olga)
    assert client.get(base(world) + "/certificaat.pdf").status_code == 404
    assert client.get(base(world) + "/oorkondes.pdf").status_code == 404
    assert "Certificaat downloaden" not in client.get(base(world) + "/").get_data(as_text=True)
    sign_as(world, world.entrepreneurs)
    body = client.get(base(world) + "/").get_data(as_text=True)
    assert "Certificaat downloaden (PDF)" in body and "De waardering is toegekend op" in body
    for path, name in (
        ("/certificaat.pdf", "certificaat-lage-weide.pdf"),
        ("/oorkondes.pdf", "oorkondes-lage-weide.pdf"),
    ):
        response = client.get(base(world) + path)
        assert response.status_code == 200
        assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF-")
        assert name in response.headers["Content-Disposition"]


def test_the_ceremony_date_on_the_page(login_as, db):
    world = make_world()
    client = login_as(world.officer)
    assert client.post(base(world) + "/uitreiking", data={"ceremony-ceremony_on": "2027-04-01"}).status_code == 302
    assert services.find_award(world.cycle).ceremony_on == date(2027, 4, 1)
    assert "De uitreiking is op donderdag 1 april 2027." in client.get(base(world) + "/").get_data(as_text=True)
    bad = client.post(base(world) + "/uitreiking", data={"ceremony-ceremony_on": "1 april"})
    assert bad.status_code == 422
    assert services.find_award(world.cycle).ceremony_on == date(2027, 4, 1)
    assert login_as(world.olga).post(base(world) + "/uitreiking", data={"ceremony-ceremony_on": ""}).status_code == 403


def test_the_press_release_is_drafted_edited_and_downloaded(login_as, db):
    world = make_world()
    grant(world)
    client = login_as(world.advisor)
    draft = client.get(base(world) + "/persbericht").get_data(as_text=True)
    assert "Bedrijventerrein Lage Weide krijgt Waardering Veilig Bedrijventerrein" in draft
    assert f'href="/parken/{world.park.id}/waardering/persbericht.docx"' in draft
    saved = client.post(base(world) + "/persbericht", data={"press-text": "Lage Weide is veilig.\r\nEinde."})
    assert saved.status_code == 302
    assert services.find_award(world.cycle).press_release == "Lage Weide is veilig.\nEinde."
    assert "Lage Weide is veilig." in client.get(base(world) + "/persbericht").get_data(as_text=True)
    text = client.get(base(world) + "/persbericht.txt")
    assert text.status_code == 200 and text.mimetype == "text/plain"
    assert text.get_data(as_text=True) == "Lage Weide is veilig.\nEinde.\n"
    fresh = client.get(base(world) + "/persbericht?sjabloon=1").get_data(as_text=True)
    assert "Bedrijventerrein Lage Weide krijgt Waardering Veilig Bedrijventerrein" in fresh
    assert client.post(base(world) + "/persbericht", data={"press-text": ""}).status_code == 422


def test_the_press_release_before_the_grant_is_text_only(login_as, db):
    world = make_world()
    request(world)
    client = login_as(world.advisor)
    draft = client.get(base(world) + "/persbericht").get_data(as_text=True)
    assert "ontvangt op [datum uitreiking]" in draft and "persbericht.docx" not in draft
    assert client.get(base(world) + "/persbericht.docx").status_code == 404


def test_the_press_release_downloads_as_word_in_dutch_and_english(login_as, db):
    world = make_world()
    grant(world)
    client = login_as(world.officer)
    page = client.get(base(world) + "/").get_data(as_text=True)
    assert f'href="/parken/{world.park.id}/waardering/persbericht.docx" download>Persbericht downloaden (Word)' in page
    assert 'persbericht.docx?taal=en" download hreflang="en">' in page
    dutch = client.get(base(world) + "/persbericht.docx")
    assert dutch.status_code == 200
    assert dutch.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "persbericht-lage-weide.docx" in dutch.headers["Content-Disposition"]
    assert Document(BytesIO(dutch.data)).paragraphs[0].text.startswith("Bedrijventerrein Lage Weide krijgt")
    english = client.get(base(world) + "/persbericht.docx?taal=en")
    assert english.status_code == 200 and "persbericht-lage-weide-en.docx" in english.headers["Content-Disposition"]
    assert Document(BytesIO(english.data)).core_properties.language == "en"
    assert client.get(base(world) + "/persbericht.docx?taal=fr").status_code == 404


def test_who_may_download_the_press_release_and_certificates(login_as, db, role):
    world = make_world()
    grant(world)
    client = login_as(make_member(role, world.park))
    # the certificates are everyone's on the park; the press release is the process owners' to send
    assert client.get(base(world) + "/certificaat.pdf").status_code == 200
    assert client.get(base(world) + "/oorkondes.pdf").status_code == 200
    assert client.get(base(world) + "/persbericht.docx").status_code == (200 if role in MANAGERS else 403)
    other = make_world(name="Papendorp")
    grant(other)
    assert login_as(make_member(role, world.park)).get(base(other) + "/persbericht.docx").status_code == 404


MANAGERS = {Role.ADVISOR, Role.MUNICIPALITY}
PAGES = [
    ("/", set(Role)),
    ("/tekenen", set(Role) - {Role.AUDITOR}),
    ("/persbericht", MANAGERS),
    ("/persbericht.txt", MANAGERS),
]


@pytest.mark.parametrize(("path", "allowed"), PAGES)
def test_who_may_open_the_pages(login_as, db, role, path, allowed):
    park = make_park(name="Lage Weide")
    other = make_park(name="Papendorp")
    client = login_as(make_member(role, park))
    assert client.get(f"/parken/{park.id}/waardering{path}").status_code == (200 if role in allowed else 403)
    assert client.get(f"/parken/{other.id}/waardering{path}").status_code == 404


@pytest.mark.parametrize("path", ["/aanvragen", "/uitreiking"])
def test_only_managers_post_the_manager_forms(login_as, db, role, path):
    world = make_world()
    response = login_as(make_member(role, world.park)).post(base(world) + path, data={"ceremony-ceremony_on": ""})
    if role in MANAGERS:
        assert response.status_code == 302
    else:
        assert response.status_code == 403
        assert services.find_award(world.cycle) is None


def test_anonymous_visitors_log_in_and_unknown_parks_are_404(client, login_as, db):
    world = make_world()
    for path in ("/", "/tekenen", "/certificaat.pdf", "/persbericht"):
        response = client.get(base(world) + path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen")
    admin = make_user(is_admin=True)
    assert login_as(admin).get("/parken/999999/waardering/").status_code == 404


@pytest.mark.parametrize(
    ("days_left", "shown", "renewal"),
    [
        (400, "geldig tot en met", False),
        (30, "De waardering loopt af: zij is geldig tot en met", True),
        (-1, "De waardering is verlopen op", True),
    ],
)
def test_the_page_shows_the_validity_and_what_renewal_needs(login_as, db, days_left, shown, renewal):
    world = make_world()
    award = grant(world)
    award.valid_until = local_today() + timedelta(days=days_left)
    world.wendy.locale = "nl"
    body = login_as(world.wendy).get(base(world) + "/").get_data(as_text=True)
    assert shown in body
    assert ("Om de waardering te verlengen is een herijking nodig:" in body) == renewal
    assert ("houd een nieuwe ondernemersenquête" in body) == renewal
