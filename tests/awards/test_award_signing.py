"""Signing without an account: the signatory's personal link (single use, expiring, replaced when sent again or when
the signatory changes), the public signing page (404/410, CSRF, rate limit), the managers' send-again, change-signatory
and mail-preview pages, signing as oneself while logged in, and the declaration of intent the award rests on."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.awards import services, signing
from app.awards.certificates import certificate_pdf
from app.awards.models import Signature, SignedBy, SigningLink
from app.errors import DomainError, NotAllowed
from app.extensions import db as _db
from app.parks.steps import evaluate
from app.stakeholders.services import set_signatory
from tests.awards.support import NOW, make_world, request, sign_as
from tests.awards.test_award_certificates import pages_of
from tests.factories import make_member

LINK = re.compile(r"http://127\.0\.0\.1:5000(/waardering-tekenen/\S+)")


def actions(action: str) -> list[AuditEvent]:
    return list(_db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def link_in(mail) -> str:
    """The path of the personal link in a mail."""
    [path] = LINK.findall(mail.text_body)
    return path


def token_in(mail) -> str:
    return link_in(mail).rsplit("/", 1)[1]


def mail_to(outbox, address: str):
    return [m for m in outbox() if m.recipient == address][-1]


MAYOR = "burgemeester@lageweide.example"


# The link: single use, expiry, sent again, signatory changed ---------------------------------------------------


def test_a_link_signs_once_without_an_account_and_records_how_and_from_where(db, outbox):
    world = make_world()
    request(world)
    link = signing.find_link(token_in(mail_to(outbox, MAYOR)))
    assert link.stakeholder_id == world.municipality.id and link.expires_at == NOW + timedelta(days=30)
    later = NOW + timedelta(days=2)
    signature = services.sign_by_link(
        link, name=" Sharon  Dijksma ", function="Burgemeester", confirmed=True, now=later, client_ip="192.0.2.7"
    )
    assert (signature.name, signature.function, signature.user_id, signature.method) == (
        "Sharon Dijksma",
        "Burgemeester",
        None,
        SignedBy.LINK,
    )
    assert signature.signed_at == later and signature.link_id == link.id
    # the address is kept only as a keyed hash: the same address gives the same value, the value is not the address
    assert signature.client_hash == signing.client_hash("192.0.2.7") != signing.client_hash("192.0.2.8")
    assert "192.0.2.7" not in signature.client_hash and len(signature.client_hash) == 64
    assert link.used_at == later and link.state(later) == "used"
    [event] = actions("awards.signed")
    assert event.actor_id is None and event.actor_label == f"Sharon Dijksma ({MAYOR})"
    assert event.details["method"] == "link"
    with pytest.raises(signing.LinkGone, match="al getekend") as gone:
        services.sign_by_link(link, name="X", function="Y", confirmed=True, now=later, client_ip=None)
    assert gone.value.status_code == 410
    assert len(services.find_award(world.cycle).signatures) == 1


def test_a_link_expires(db, outbox):
    world = make_world()
    request(world)
    link = signing.find_link(token_in(mail_to(outbox, MAYOR)))
    services.open_link(link, now=NOW + timedelta(days=29, hours=23))
    with pytest.raises(signing.LinkGone, match="verlopen"):
        services.sign_by_link(
            link, name="S", function="B", confirmed=True, now=NOW + timedelta(days=30), client_ip=None
        )
    assert services.find_award(world.cycle).signatures == []


def test_opening_is_noted_once(db, outbox):
    world = make_world()
    request(world)
    link = signing.find_link(token_in(mail_to(outbox, MAYOR)))
    services.open_link(link, now=NOW + timedelta(hours=1))
    services.open_link(link, now=NOW + timedelta(hours=5))
    assert link.opened_at == NOW + timedelta(hours=1)


def test_unknown_tokens_find_nothing(db):
    for token in (None, "", "kort", "x" * 200, "<script>", "a" * 43):
        assert signing.find_link(token) is None


def test_sending_again_replaces_the_link(db, outbox):
    world = make_world()
    request(world)
    old = signing.find_link(token_in(mail_to(outbox, MAYOR)))
    new = services.send_again(world.advisor, world.municipality, now=NOW + timedelta(days=3))
    assert old.state(NOW + timedelta(days=3)) == "revoked"
    assert signing.find_link(token_in(mail_to(outbox, MAYOR))) is new and new is not old
    with pytest.raises(signing.LinkGone, match="vervangen"):
        services.sign_by_link(old, name="S", function="B", confirmed=True, now=NOW + timedelta(days=4), client_ip=None)
    services.sign_by_link(new, name="S", function="B", confirmed=True, now=NOW + timedelta(days=4), client_ip=None)
    assert [e.details["again"] for e in actions("awards.link_sent")] == [True]
    # once signed, nothing is sent again; nobody but the managers sends; not before the request
    with pytest.raises(DomainError, match="al getekend"):
        services.send_again(world.advisor, world.municipality, now=NOW + timedelta(days=5))
    with pytest.raises(NotAllowed):
        services.send_again(world.olga, world.police, now=NOW)
    other = make_world(name="Papendorp")
    with pytest.raises(DomainError, match="nog niet gevraagd"):
        services.send_again(other.advisor, other.police, now=NOW)


def test_sending_again_needs_the_signatorys_address(db, outbox):
    world = make_world()
    request(world)
    with pytest.raises(DomainError, match="geen e-mailadres bekend"):
        services.send_again(world.advisor, world.fire, now=NOW)


def test_changing_the_signatory_revokes_the_old_link_and_mails_the_new_one(db, outbox):
    world = make_world()
    request(world)
    old = signing.find_link(token_in(mail_to(outbox, MAYOR)))
    new = services.change_signatory(
        world.officer,
        world.municipality,
        name="Wethouder Jansen",
        function="Wethouder veiligheid",
        email="Jansen@Utrecht.example",
        now=NOW + timedelta(days=1),
    )
    assert (world.municipality.signatory_name, world.municipality.signatory_email) == (
        "Wethouder Jansen",
        "jansen@utrecht.example",
    )
    assert old.revoked_at == NOW + timedelta(days=1)
    mail = mail_to(outbox, "jansen@utrecht.example")
    assert mail.text_body.startswith("Beste Wethouder Jansen,")
    assert signing.find_link(token_in(mail)) is new and new.name == "Wethouder Jansen"
    [changed] = actions("stakeholders.signatory_set")
    assert changed.details["email"] == "jansen@utrecht.example"
    assert changed.details["before"] == ["Burgemeester Dijksma", "Burgemeester", MAYOR]
    # the fire brigade gets a signatory; after the request that means a link at once
    services.change_signatory(
        world.advisor, world.fire, name="Commandant Bos", function="Commandant", email="bos@vru.example", now=NOW
    )
    assert mail_to(outbox, "bos@vru.example")
    with pytest.raises(DomainError, match="geldig e-mailadres"):
        services.change_signatory(world.advisor, world.fire, name="A", function="B", email="geen-adres", now=NOW)
    with pytest.raises(NotAllowed):
        services.change_signatory(world.wendy, world.police, name="A", function="B", email="a@b.nl", now=NOW)


def test_before_the_request_changing_the_signatory_sends_nothing(db, outbox):
    world = make_world()
    assert (
        services.change_signatory(
            world.advisor, world.fire, name="Commandant Bos", function="Commandant", email="bos@vru.example", now=NOW
        )
        is None
    )
    assert outbox() == []
    _award, sent = services.request_signatures(world.advisor, world.cycle, now=NOW)
    assert sent == 4


# Signing while logged in: only as oneself ----------------------------------------------------------------------


def test_a_logged_in_user_signs_under_their_own_name_not_the_signatorys(db):
    world = make_world()
    request(world)
    # the municipal officer signs for the municipality whose signatory is the mayor
    signature = sign_as(world, world.municipality, function="Gebiedsmanager veiligheid")
    assert (signature.name, signature.function, signature.user_id, signature.method) == (
        "Gerrit Gemeente",
        "Gebiedsmanager veiligheid",
        world.officer.id,
        SignedBy.ACCOUNT,
    )
    assert actions("awards.signed")[0].details["name"] == "Gerrit Gemeente"


def test_a_link_of_an_organisation_that_signed_while_logged_in_signs_nothing(db, outbox):
    world = make_world()
    request(world)
    link = signing.find_link(token_in(mail_to(outbox, world.wendy.email)))
    sign_as(world, world.police)
    assert "al getekend namens" in services.link_refusal(link, now=NOW)


# The declaration of intent -----------------------------------------------------------------------------------


def test_the_award_waits_for_the_declaration_of_intent(db, outbox):
    world = make_world()
    world.fire.declaration_signed_on = None
    request(world)
    for stakeholder in world.stakeholders:
        sign_as(world, stakeholder)
    award = services.find_award(world.cycle)
    assert services.all_signed(award) and award.awarded_on is None
    criteria = {c.label: c for c in evaluate(world.cycle, 7)}
    declaration = criteria["Elke deelnemer heeft de intentieverklaring ondertekend"]
    assert not declaration.met
    assert declaration.detail == f"nog niet vastgelegd: {world.fire.organisation.name}"
    assert declaration.fix == "stakeholders.index"
    with pytest.raises(DomainError, match=f"intentieverklaring.*{world.fire.organisation.name}"):
        services.grant(world.advisor, award, now=NOW)
    assert award.awarded_on is None and actions("awards.granted") == []
    world.fire.declaration_signed_on = date(2027, 3, 2)
    with pytest.raises(NotAllowed):
        services.grant(world.olga, award, now=NOW)
    services.grant(world.advisor, award, now=NOW + timedelta(days=1))
    assert award.awarded_on == date(2027, 3, 2)
    assert [e.actor_id for e in actions("awards.granted")] == [world.advisor.id]
    with pytest.raises(DomainError, match="al toegekend"):
        services.grant(world.advisor, award, now=NOW)


def test_granting_needs_every_signature(db):
    world = make_world()
    award = request(world)
    sign_as(world, world.police)
    with pytest.raises(DomainError, match=r"Nog niet getekend: .*Gemeente Utrecht Lage Weide"):
        services.grant(world.advisor, award, now=NOW)


# The public page -----------------------------------------------------------------------------------------------


def test_the_public_page_shows_the_award_and_signs(client, db, outbox):
    world = make_world()
    request(world)
    path = link_in(mail_to(outbox, MAYOR))
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    body = page.get_data(as_text=True)
    assert "Tekenen voor de waardering van Lage Weide" in body
    assert "kennen het park daarom de Waardering Veilig Bedrijventerrein toe" in body
    assert 'value="Burgemeester Dijksma"' in body and 'value="Burgemeester"' in body
    assert _db.session.scalar(select(SigningLink.opened_at).where(SigningLink.email == MAYOR)) is not None
    # without the form's CSRF token nothing is signed
    forged = client.post(path, data={"sign-name": "S", "sign-function": "B", "sign-confirmed": "y"}, csrf=False)
    assert forged.status_code == 400
    assert _db.session.scalar(select(Signature.id)) is None
    unconfirmed = client.post(path, data={"sign-name": "Sharon Dijksma", "sign-function": "Burgemeester"})
    assert unconfirmed.status_code == 422
    signed = client.post(
        path, data={"sign-name": "Sharon Dijksma", "sign-function": "Burgemeester", "sign-confirmed": "y"}
    )
    assert signed.status_code == 200
    assert "Dank u wel: u heeft getekend" in signed.get_data(as_text=True)
    signature = _db.session.scalars(select(Signature)).one()
    assert (signature.name, signature.method, signature.client_hash) == (
        "Sharon Dijksma",
        SignedBy.LINK,
        signing.client_hash("127.0.0.1"),
    )
    # used: a clear message and 410, for a look and for a second post alike
    again = client.get(path)
    assert again.status_code == 410 and "Met deze link is al getekend" in again.get_data(as_text=True)
    assert client.post(path, data={"sign-name": "X", "sign-function": "Y", "sign-confirmed": "y"}).status_code == 410


def test_unknown_replaced_and_expired_links_are_4xx_never_500(client, db, outbox):
    world = make_world()
    request(world)
    path = link_in(mail_to(outbox, MAYOR))
    unknown = client.get("/waardering-tekenen/" + "A" * 43)
    assert unknown.status_code == 404 and "Deze link om te tekenen bestaat niet" in unknown.get_data(as_text=True)
    assert client.get("/waardering-tekenen/%3Cscript%3E").status_code == 404
    assert client.post("/waardering-tekenen/" + "B" * 43, data={"sign-name": "X"}).status_code == 404
    services.send_again(world.advisor, world.municipality, now=NOW)
    replaced = client.get(path)
    assert replaced.status_code == 410 and "vervangen door een nieuwere" in replaced.get_data(as_text=True)
    fresh = link_in(mail_to(outbox, MAYOR))
    link = signing.find_link(fresh.rsplit("/", 1)[1])
    link.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    expired = client.get(fresh)
    assert expired.status_code == 410 and "Deze link is verlopen" in expired.get_data(as_text=True)


def test_the_public_page_is_rate_limited(app, client, db, outbox):
    world = make_world()
    request(world)
    app.config["AWARD_SIGNING_LIMIT"] = "3/minute"
    try:
        statuses = [client.get("/waardering-tekenen/" + "C" * 43).status_code for _ in range(4)]
    finally:
        app.config["AWARD_SIGNING_LIMIT"] = "30/minute"
    assert statuses == [404, 404, 404, 429]


# The managers' pages -------------------------------------------------------------------------------------------


def base(world) -> str:
    return f"/parken/{world.park.id}/waardering"


def test_the_award_page_shows_each_signatorys_status(login_as, db, outbox):
    world = make_world()
    request(world)
    services.open_link(signing.find_link(token_in(mail_to(outbox, MAYOR))), now=NOW)
    sign_as(world, world.police)
    body = login_as(world.advisor).get(base(world) + "/").get_data(as_text=True)
    assert "geopend op" in body and "nog niet geopend" in body and "niet verstuurd" in body
    assert "getekend op" in body and "door Wendy Wijkagent, Teamchef" in body
    assert "Opnieuw versturen</button>" in body and "Tekenbevoegde wijzigen" in body and "Voorbeeld e-mail" in body
    # the partners see the status, not the buttons
    partner = login_as(world.bram).get(base(world) + "/").get_data(as_text=True)
    assert "geopend op" in partner and "Opnieuw versturen" not in partner and "Voorbeeld e-mail" not in partner


def test_managers_send_again_and_change_the_signatory_from_the_page(login_as, db, outbox):
    world = make_world()
    request(world)
    client = login_as(world.advisor)
    sent = client.post(base(world) + f"/deelnemers/{world.municipality.id}/opnieuw-versturen")
    assert sent.status_code == 302
    assert "Er is een nieuwe link gestuurd naar" in client.get(base(world) + "/").get_data(as_text=True)
    form = client.get(base(world) + f"/deelnemers/{world.fire.id}/tekenbevoegde")
    assert form.status_code == 200
    bad = client.post(
        base(world) + f"/deelnemers/{world.fire.id}/tekenbevoegde",
        data={"signatory-name": "Commandant Bos", "signatory-function": "Commandant", "signatory-email": "nee"},
    )
    assert bad.status_code == 422 and world.fire.signatory_email is None
    saved = client.post(
        base(world) + f"/deelnemers/{world.fire.id}/tekenbevoegde",
        data={"signatory-name": "Commandant Bos", "signatory-function": "Commandant", "signatory-email": "bos@vru.nl"},
    )
    assert saved.status_code == 302
    _db.session.refresh(world.fire)
    assert world.fire.signatory_email == "bos@vru.nl"
    assert mail_to(outbox, "bos@vru.nl")


def test_the_mail_preview_renders_without_sending(login_as, db, outbox):
    world = make_world()
    page = login_as(world.advisor).get(base(world) + f"/deelnemers/{world.municipality.id}/voorbeeld-email")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert MAYOR in body and "Uw handtekening voor de waardering van Lage Weide" in body
    assert "Beste Burgemeester Dijksma," in body and "/waardering-tekenen/…" in body
    assert outbox() == [] and _db.session.scalar(select(SigningLink.id)) is None


MANAGER_PAGES = [
    ("get", "/deelnemers/{id}/tekenbevoegde"),
    ("post", "/deelnemers/{id}/tekenbevoegde"),
    ("get", "/deelnemers/{id}/voorbeeld-email"),
    ("post", "/deelnemers/{id}/opnieuw-versturen"),
    ("post", "/toekennen"),
]


@pytest.mark.parametrize(("method", "path"), MANAGER_PAGES)
@pytest.mark.parametrize("role", [Role.ENTREPRENEUR, Role.PARTNER, Role.CAMERA_OFFICER, Role.AUDITOR])
def test_only_managers_send_change_preview_and_grant(login_as, db, outbox, method, path, role):
    world = make_world()
    request(world)
    before = len(outbox())
    client = login_as(make_member(role, world.park))
    url = base(world) + path.format(id=world.municipality.id)
    data = {"signatory-name": "X", "signatory-function": "Y", "signatory-email": "x@y.nl"}
    response = client.get(url) if method == "get" else client.post(url, data=data)
    assert response.status_code == 403
    assert len(outbox()) == before and world.municipality.signatory_name == "Burgemeester Dijksma"


def test_the_send_again_button_is_csrf_protected(login_as, db, outbox):
    world = make_world()
    request(world)
    before = len(outbox())
    response = login_as(world.advisor).post(
        base(world) + f"/deelnemers/{world.municipality.id}/opnieuw-versturen", csrf=False
    )
    assert response.status_code == 400 and len(outbox()) == before


def test_a_stakeholder_of_another_park_is_404(login_as, db):
    world = make_world()
    other = make_world(name="Papendorp")
    client = login_as(world.advisor)
    assert client.get(base(world) + f"/deelnemers/{other.police.id}/tekenbevoegde").status_code == 404


def test_the_certificate_shows_who_really_signed(app, db, outbox):
    """The mayor's link was used by the mayor under her confirmed name; the municipal officer did not sign as her."""
    world = make_world()
    request(world)
    services.sign_by_link(
        signing.find_link(token_in(mail_to(outbox, MAYOR))),
        name="Sharon Dijksma",
        function="Burgemeester van Utrecht",
        confirmed=True,
        now=NOW + timedelta(days=1),
        client_ip="192.0.2.1",
    )
    for stakeholder in (world.police, world.fire, world.entrepreneurs):
        sign_as(world, stakeholder, now=NOW + timedelta(days=2))
    award = services.find_award(world.cycle)
    assert award.awarded_on is not None
    with app.test_request_context():
        [page] = pages_of(certificate_pdf(award))
    text = page["text"]
    assert "Sharon Dijksma Burgemeester van Utrecht Gemeente Utrecht Lage Weide getekend op 2 maart 2027" in text
    assert "Burgemeester Dijksma" not in text and "Bram Brandweer Commandant" in text


def test_a_signatory_changed_on_the_stakeholders_page_makes_the_old_link_stop(db, outbox):
    world = make_world()
    request(world)
    link = signing.find_link(token_in(mail_to(outbox, MAYOR)))
    set_signatory(world.advisor, world.municipality, name="Wethouder Jansen", function="Wethouder", email="j@u.nl")
    with pytest.raises(signing.LinkGone, match="de tekenbevoegde is gewijzigd"):
        services.sign_by_link(link, name="S", function="B", confirmed=True, now=NOW, client_ip=None)
    # the award page offers a new link to the new signatory
    new = services.send_again(world.advisor, world.municipality, now=NOW)
    assert new.email == "j@u.nl" and services.link_refusal(new, now=NOW) is None
