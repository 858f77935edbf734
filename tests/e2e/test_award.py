"""The award in a real browser: the municipality's officer adopts Cartesiusweg's changed plan (step 6) and requests
the signatures; three partners sign logged in, under their own names; the fire brigade's signatory, who has no
account, signs through the personal link from the mail, after the advisor sent it again (the old link then shows a
410 page); the advisor follows each organisation's status and previews the mail; the certificate names the real
signers; the advisor downloads the certificate and the press release as a Word document. Axe-checked on every
page; the award page and the signing page do not scroll sideways at 375 px."""

from __future__ import annotations

import re

import pypdfium2
import pytest
from docx import Document
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.auth.models import Membership, Role, User
from app.awards.models import Award, Signature
from app.awards.readiness import is_ready, readiness
from app.awards.services import find_award
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.mail.models import OutboxMail
from app.parks.demo import DEMO_PEOPLE
from app.parks.models import Cycle, Park
from app.parks.services import active_cycle
from app.plans.services import find_plan
from tests.e2e.conftest import check_accessibility, check_phone_width, login
from tests.stakeholders import pdf_text

PARK = "Cartesiusweg"
ADOPTION_MEETING = "werkgroepvergadering van de waardering (browsertest)"
#: demo user -> (their name, the organisation they sign for): three of the demo's four partners of Cartesiusweg
SIGNERS = {
    "gemeente": ("Gerrit Gemeente", "Gemeente Utrecht"),
    "politie": ("Peter Politie", "Politie Midden-Nederland"),
    "secretaris": ("Sanne Secretaris", "Ondernemersvereniging Cartesiusweg"),
}
#: the fourth partner, whose signatory has no account and signs through the personal link
FIRE = "Veiligheidsregio Utrecht (brandweer)"
FIRE_SIGNATORY = "directeur@veiligheidsregio-utrecht-brandweer.example"
LINK = re.compile(r"https?://[^/\s]+(/waardering-tekenen/\S+)")


@pytest.fixture
def ready_park(live_app):
    """Cartesiusweg without an award (one the demo gave it is put aside and restored afterwards), and the fire
    brigade's officer a partner on it (the demo has him on Lage Weide only)."""
    with live_app.app_context():
        park = db.session.scalar(select(Park).where(Park.name == PARK))
        cycle = active_cycle(park)
        assert is_ready(readiness(cycle)), "the demo's Cartesiusweg should have steps 1-6 complete"
        assert {s.organisation.name for s in cycle.stakeholders} == {o for _n, o in SIGNERS.values()} | {FIRE}
        assert all(s.declaration_signed_on for s in cycle.stakeholders), "the demo records the declaration"
        kept = None
        existing = find_award(cycle)
        if existing is not None:
            kept = {
                "award": {
                    key: getattr(existing, key)
                    for key in ("requested_at", "requested_by_id", "awarded_on", "valid_until", "ceremony_on")
                }
                | {"press_release": existing.press_release},
                "signatures": [
                    {
                        key: getattr(s, key)
                        for key in ("stakeholder_id", "user_id", "name", "function", "signed_at", "method")
                    }
                    for s in existing.signatures
                ],
            }
            db.session.delete(existing)
        versions = {version.id for version in find_plan(cycle).versions}
        anouk = db.session.scalar(select(User).where(User.email == f"adviseur@{DEMO_DOMAIN}"))
        membership = Membership(user=anouk, park=park, role=Role.ADVISOR)
        db.session.add(membership)
        db.session.commit()
        park_id, cycle_id, membership_id = park.id, cycle.id, membership.id
    yield park_id
    with live_app.app_context():
        award = db.session.scalar(select(Award).where(Award.cycle_id == cycle_id))
        if award is not None:
            db.session.delete(award)
        db.session.delete(db.session.get(Membership, membership_id))
        for version in find_plan(db.session.get(Cycle, cycle_id)).versions:
            if version.id not in versions:
                db.session.delete(version)
        db.session.flush()
        if kept is not None:
            restored = Award(cycle_id=cycle_id, **kept["award"])
            restored.signatures = [Signature(**values) for values in kept["signatures"]]
            db.session.add(restored)
        db.session.commit()


def _sign(page: Page, local: str, name: str, organisation: str) -> None:
    """A partner's user logs in and signs for their organisation, as themselves: their home page says the award
    waits for their organisation's signature and links to the signing page."""
    login(page, f"{local}@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.get_by_role("link", name=f"Waardering tekenen voor {PARK}").click()
    expect(page.get_by_role("heading", level=1, name=f"Tekenen voor de waardering van {PARK}")).to_be_visible()
    expect(page.locator("main")).to_contain_text(organisation)
    check_accessibility(page)
    # the name is their own, not the pre-filled signatory's (DEMO_PEOPLE), and is not a field to change
    expect(page.get_by_text(f"Uw naam: {name}")).to_be_visible()
    expect(page.get_by_label("Uw naam")).to_have_count(0)
    # signing without the confirmation is refused, with the reason at the checkbox
    page.get_by_label("Uw functie").fill("Tekenbevoegde")
    page.get_by_role("button", name="Tekenen").click()
    expect(page.get_by_text("Vink aan dat u namens uw organisatie tekent.")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Tekenen").click()


def _links_to(live_app, address: str) -> list[str]:
    """The signing links in the mails to `address`, oldest first, as paths (the outbox is what would be sent)."""
    with live_app.app_context():
        bodies = db.session.scalars(
            select(OutboxMail.text_body).where(OutboxMail.recipient == address).order_by(OutboxMail.id)
        ).all()
    return [LINK.search(body).group(1) for body in bodies]


def _fire_row(page: Page):
    return page.get_by_role("row").filter(has_text=FIRE)


def test_from_plan_adoption_to_the_certificate(page: Page, live_app, ready_park, tmp_path):
    park_id = ready_park

    # the municipality's officer adopts the plan as it was changed since its last adoption
    login(page, f"gemeente@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/parken/{park_id}/plan/")
    page.get_by_label("Vergadering").fill(ADOPTION_MEETING)
    page.get_by_role("button", name="Plan vaststellen").click()
    expect(page.get_by_text(re.compile(r"Het plan is vastgesteld \(versie \d+\)\."))).to_be_visible()
    check_accessibility(page)

    # then opens the award from the park page and asks for the signatures
    page.goto(f"/parken/{park_id}")
    page.get_by_role("link", name="Waardering", exact=True).click()
    expect(page.get_by_role("heading", level=1, name=f"Waardering van {PARK}")).to_be_visible()
    expect(page.get_by_text("Stap 1 tot en met 6 zijn klaar.")).to_be_visible()
    expect(page.get_by_text("Het certificaat en de oorkondes komen beschikbaar")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Handtekeningen vragen").click()
    expect(
        page.get_by_text("De handtekeningen zijn gevraagd; 4 tekenbevoegden kregen een persoonlijke link.")
    ).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Gevraagd op .* door Gerrit Gemeente\."))).to_be_visible()
    check_accessibility(page)

    # the ceremony date, by keyboard
    page.get_by_label("Datum van de uitreiking").fill("2027-04-15")
    page.get_by_label("Datum van de uitreiking").press("Enter")
    expect(page.get_by_text("De datum van de uitreiking is opgeslagen.")).to_be_visible()
    expect(page.get_by_text("De uitreiking is op donderdag 15 april 2027.")).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()

    # three partners' users sign for their own organisations, each under their own name
    for local, (name, organisation) in SIGNERS.items():
        _sign(page, local, name, organisation)
        expect(page.get_by_text(f"Dank u wel: u heeft getekend namens {organisation}.")).to_be_visible()
        row = page.get_by_role("row").filter(has_text=organisation)
        expect(row).to_contain_text(f"door {name}, Tekenbevoegde")
        expect(row).to_contain_text("(ingelogd)")
        expect(page.get_by_role("link", name=f"Tekenen namens {organisation}")).to_have_count(0)
        check_accessibility(page)
        page.get_by_role("button", name="Uitloggen").click()

    # the advisor sees the fire brigade's link sent but not opened, previews the mail and sends it again
    login(page, f"adviseur@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/parken/{park_id}/waardering/")
    expect(_fire_row(page)).to_contain_text("nog niet geopend")
    expect(_fire_row(page)).to_contain_text("nog niet")
    expect(
        page.get_by_text(re.compile("Elke deelnemer heeft getekend.*nog niet getekend: " + re.escape(FIRE)))
    ).to_be_visible()
    check_accessibility(page)
    check_phone_width(page)
    page.get_by_role("link", name=f"Voorbeeld e-mail aan {FIRE}").click()
    expect(
        page.get_by_role("heading", level=1, name=f"Voorbeeld: het verzoek om te tekenen aan {FIRE}")
    ).to_be_visible()
    expect(page.get_by_text("u heeft er geen account voor nodig", exact=False)).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Terug", exact=True).click()
    [first] = _links_to(live_app, FIRE_SIGNATORY)
    page.get_by_role("button", name=f"Opnieuw versturen aan {FIRE}").click()
    expect(
        page.get_by_text(f"Er is een nieuwe link gestuurd naar {FIRE_SIGNATORY}; de vorige link werkt niet meer.")
    ).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Uitloggen").click()

    # the fire brigade's signatory, without an account: the first link is replaced, the new one signs
    old, new = _links_to(live_app, FIRE_SIGNATORY)
    assert old == first and new != old
    response = page.goto(old)
    assert response.status == 410
    expect(page.get_by_text("Deze link is vervangen door een nieuwere.")).to_be_visible()
    check_accessibility(page)
    page.goto(new)
    expect(page.get_by_role("heading", level=1, name=f"Tekenen voor de waardering van {PARK}")).to_be_visible()
    expect(
        page.get_by_text("kennen het park daarom de Waardering Veilig Bedrijventerrein toe", exact=False)
    ).to_be_visible()
    expect(page.get_by_label("Uw naam")).to_have_value(DEMO_PEOPLE[FIRE][1])
    check_accessibility(page)
    check_phone_width(page)

    # meanwhile the advisor sees that the link was opened
    advisor = page.context.browser.new_context(base_url=live_app.config["BASE_URL"], locale="nl-NL")
    advisor_page = advisor.new_page()
    login(advisor_page, f"adviseur@{DEMO_DOMAIN}", DEMO_PASSWORD)
    advisor_page.goto(f"/parken/{park_id}/waardering/")
    expect(_fire_row(advisor_page)).to_contain_text("geopend op")

    page.get_by_label("Uw naam").fill("Karin de Brand")
    page.get_by_label("Uw functie").fill("Directeur Veiligheidsregio")
    page.get_by_role("button", name="Tekenen").click()
    expect(page.get_by_text("Vink aan dat u namens uw organisatie tekent.")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Tekenen").click()
    expect(page.get_by_role("heading", level=1, name="Dank u wel: u heeft getekend")).to_be_visible()
    expect(page.get_by_text("Iedereen heeft nu getekend: het park heeft de waardering.", exact=False)).to_be_visible()
    check_accessibility(page)
    assert page.goto(new).status == 410  # single use

    # the advisor sees the signature by link, and the award granted
    advisor_page.reload()
    expect(_fire_row(advisor_page)).to_contain_text("door Karin de Brand, Directeur Veiligheidsregio")
    expect(_fire_row(advisor_page)).to_contain_text("(persoonlijke link)")
    expect(_fire_row(advisor_page)).to_contain_text("gebruikt")
    check_accessibility(advisor_page)
    advisor.close()

    # the award is granted: the certificate names the real signers and the personal certificates can be downloaded
    login(page, f"gemeente@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/parken/{park_id}/waardering/")
    expect(page.get_by_text(re.compile(r"^De waardering is toegekend op .* en geldig tot en met "))).to_be_visible()
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Certificaat downloaden (PDF)").click()
    assert download.value.suggested_filename == "certificaat-cartesiusweg.pdf"
    saved = tmp_path / "certificaat.pdf"
    download.value.save_as(saved)
    text = pdf_text(saved.read_bytes())
    assert "Waardering Veilig Bedrijventerrein" in text and PARK in text
    for name, organisation in SIGNERS.values():
        assert name in text and organisation in text
        assert DEMO_PEOPLE[organisation][1] not in text  # the pre-filled signatory did not sign
    assert "Karin de Brand" in text and "Directeur Veiligheidsregio" in text
    with page.expect_download() as download:
        page.get_by_role("link", name="Persoonlijke oorkondes voor de werkgroep downloaden (PDF)").click()
    assert download.value.suggested_filename == "oorkondes-cartesiusweg.pdf"

    page.get_by_role("button", name="Uitloggen").click()

    # the advisor downloads the certificate (one landscape page, no report page numbers) and the press release for
    # the communications officer: a Word document with the map and a quote to fill in per partner
    login(page, f"adviseur@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/parken/{park_id}/waardering/")
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Certificaat downloaden (PDF)").click()
    certificate = pypdfium2.PdfDocument(download.value.path().read_bytes())
    assert len(certificate) == 1 and certificate[0].get_width() > certificate[0].get_height()
    assert "Pagina" not in certificate[0].get_textpage().get_text_range()
    certificate.close()
    with page.expect_download() as download:
        page.get_by_role("link", name="Persbericht downloaden (Word)").click()
    assert download.value.suggested_filename == "persbericht-cartesiusweg.docx"
    release = Document(str(download.value.path()))
    assert release.paragraphs[0].text == "Bedrijventerrein Cartesiusweg krijgt Waardering Veilig Bedrijventerrein"
    quotes = {p.text for p in release.paragraphs if p.text.startswith("[Citaat van ")}
    assert "[Citaat van Karin de Brand, Directeur Veiligheidsregio van " + FIRE + "]" in quotes
    assert {f"[Citaat van {name}, Tekenbevoegde van {organisation}]" for name, organisation in SIGNERS.values()} <= (
        quotes
    )
    assert len(release.inline_shapes) == 1  # the park's map
    with page.expect_download() as download:
        page.get_by_role("link", name="Persbericht in het Engels downloaden (Word)").click()
    assert download.value.suggested_filename == "persbericht-cartesiusweg-en.docx"

    # the text draft to copy names the ceremony, still to come
    page.get_by_role("link", name="Persbericht als tekst opstellen").click()
    expect(page.get_by_label("Persbericht")).to_contain_text("ontvangt op 15 april 2027")
    check_accessibility(page)
