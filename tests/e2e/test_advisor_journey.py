"""Issue 19's advisor journey: the demo advisor starts on the home page and takes a new park from nothing through
steps 1-7 to the award and into step 8, without an admin, by clicking only. The park page's checklist and its fix
links lead the way. The signatories sign through the personal link of the mail (they have no account), the only
thing read outside the browser is that mail, as it sits in the outbox."""

from __future__ import annotations

import json
import re
import secrets
from datetime import datetime, timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.clock import LOCAL_TIME
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.mail.models import OutboxMail
from tests.e2e.conftest import check_accessibility, login

AREA = {
    "type": "Polygon",
    "coordinates": [[[5.400, 52.150], [5.415, 52.150], [5.415, 52.158], [5.400, 52.158], [5.400, 52.150]]],
}
SIGNING_LINK = re.compile(r"https?://[^/\s]+(/waardering-tekenen/\S+)")


class Journey:
    """The park the journey makes, and the unique names and addresses it uses (other tests share the database)."""

    def __init__(self) -> None:
        tag = secrets.token_hex(3)
        self.tag = tag
        self.park = f"Reisterrein {tag}"
        self.association = f"Ondernemersvereniging Reisterrein {tag}"
        # organisation name -> (role, signatory's address): the signatories have no account
        self.partners = {
            "Gemeente Amersfoort": ("Gemeente (regie)", f"burgemeester-{tag}@example.nl"),
            "Politie Midden-Nederland": ("Politie", f"teamchef-{tag}@example.nl"),
            "Veiligheidsregio Utrecht (brandweer)": ("Brandweer", f"commandant-{tag}@example.nl"),
            self.association: ("Vertegenwoordiging ondernemers", f"voorzitter-vereniging-{tag}@example.nl"),
        }
        self.chair = (f"Carla Voorzitter {tag}", f"voorzitter-{tag}@example.nl")
        self.secretary = (f"Sam Secretaris {tag}", f"secretaris-{tag}@example.nl")


def earlier_today() -> datetime:
    """A start time earlier today, so that a meeting can be planned and recorded as held at once."""
    start = datetime.now(LOCAL_TIME).replace(second=0, microsecond=0) - timedelta(hours=3)
    if (start + timedelta(hours=1)).date() != start.date():
        start = start.replace(hour=22, minute=0)
    return start


def back_to_park(page: Page, j: Journey) -> None:
    page.get_by_role("link", name=j.park, exact=True).last.click()
    expect(page.get_by_role("heading", level=1, name=j.park)).to_be_visible()


def fix(page: Page, label: str) -> None:
    """Follow the first open criterion's link of that label on the park page's checklist."""
    page.locator(".vb-checklist__item--open").get_by_role("link", name=label).first.click()


def complete_step(page: Page, j: Journey, number: int, next_step: str) -> None:
    back_to_park(page, j)
    expect(page.locator(".vb-checklist__item--open")).to_have_count(0)
    page.get_by_role("button", name=f"Stap {number} afronden").click()
    expect(page.get_by_text(f"Stap {number} is afgerond.")).to_be_visible()
    expect(page.locator(".vb-stepper__step--current")).to_contain_text(next_step)
    check_accessibility(page)


def create_park(page: Page, j: Journey) -> None:
    page.get_by_role("link", name="Nieuw park aanmaken").click()
    page.get_by_label("Naam van het park").fill(j.park)
    page.get_by_label("Gemeente").select_option(label="Gemeente Amersfoort")
    page.get_by_role("button", name="Park aanmaken").click()
    expect(page.get_by_role("heading", level=1, name=j.park)).to_be_visible()
    expect(page.get_by_text("Het park is aangemaakt.")).to_be_visible()
    check_accessibility(page)


def step_1_area(page: Page, j: Journey) -> None:
    fix(page, "Gebied intekenen")
    page.get_by_label("Gebied als GeoJSON").fill(json.dumps(AREA))
    page.get_by_role("button", name="Gebied opslaan").click()
    expect(page.get_by_text("Het gebied is opgeslagen.")).to_be_visible()
    back_to_park(page, j)
    fix(page, "Naar het bedrijvenregister")
    page.get_by_role("link", name="Bedrijf toevoegen").click()
    page.get_by_label("Naam").fill(f"Transportbedrijf {j.tag}")
    page.get_by_label("Straat").fill("Reisweg")
    page.get_by_label("Huisnummer").fill("1")
    page.get_by_label("Postcode").fill("3800 AA")
    page.get_by_label("Breedtegraad").fill("52,154")
    page.get_by_label("Lengtegraad").fill("5,407")
    page.get_by_role("button", name="Bedrijf toevoegen").click()
    expect(page.get_by_text(f"Transportbedrijf {j.tag}").first).to_be_visible()
    complete_step(page, j, 1, "Samenstelling deelnemers")


def step_2_partners(page: Page, j: Journey) -> None:
    fix(page, "Naar de deelnemers")
    check_accessibility(page)
    for organisation, (role, signatory) in j.partners.items():
        if organisation == j.association:
            page.get_by_label("Naam nieuwe organisatie").fill(organisation)
            page.get_by_label("Soort nieuwe organisatie").select_option(label="Ondernemersvereniging")
        else:
            choose = page.get_by_label("Organisatie", exact=True)
            choose.select_option(label=choose.locator("option", has_text=f"{organisation} (").first.inner_text())
        page.get_by_label("Rol in het samenwerkingsverband").select_option(label=role)
        page.get_by_label("Naam vertegenwoordiger").fill(f"Contactpersoon {organisation}")
        page.get_by_label("E-mailadres vertegenwoordiger").fill(signatory.replace("@", ".contact@"))
        page.get_by_role("button", name="Toevoegen").click()
        expect(page.get_by_text(f"{organisation} is toegevoegd.")).to_be_visible()
        # the signatory, who signs the award later through the personal link
        page.get_by_role("link", name=organisation, exact=True).click()
        page.get_by_label("Naam tekenbevoegde").fill(f"Tekenbevoegde {organisation}")
        page.get_by_label("Functie tekenbevoegde").fill("Directeur")
        page.get_by_label("E-mailadres tekenbevoegde").fill(signatory)
        page.get_by_role("button", name="Opslaan").click()
        expect(page.get_by_text(f"De gegevens van {organisation} zijn opgeslagen.")).to_be_visible()
    check_accessibility(page)

    # the chair and the secretary come from the entrepreneurs: two of them are invited onto the park
    for name, email in (j.chair, j.secretary):
        page.get_by_role("link", name=j.association, exact=True).click()
        invite = page.get_by_role("region", name=f"Iemand van {j.association} uitnodigen")
        invite.get_by_label("Naam", exact=True).fill(name)
        invite.get_by_label("E-mailadres", exact=True).fill(email)
        invite.get_by_role("button", name="Uitnodigen").click()
        expect(page.get_by_text(f"{email} is uitgenodigd", exact=False)).to_be_visible()
    page.get_by_label("Voorzitter").select_option(label=j.chair[0])
    page.get_by_label("Secretaris").select_option(label=j.secretary[0])
    page.get_by_role("button", name="Werkgroep opslaan").click()
    expect(page.get_by_text("De voorzitter en secretaris van de werkgroep zijn opgeslagen.")).to_be_visible()
    check_accessibility(page)

    back_to_park(page, j)
    fix(page, "Naar de vergaderingen")
    hold_meeting(page, "Kick-off", f"Kick-off {j.park}")
    complete_step(page, j, 2, "Inventarisatie")


def hold_meeting(page: Page, kind: str, title: str) -> None:
    """Plan a meeting earlier today, invite every partner, send the invitations and record the minutes."""
    page.get_by_role("link", name="Vergadering plannen").click()
    page.get_by_label("Soort vergadering").select_option(label=kind)
    start = earlier_today()
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Datum").fill(start.date().isoformat())
    page.get_by_label("Begintijd").fill(start.strftime("%H:%M"))
    page.get_by_label("Eindtijd").fill((start + timedelta(hours=1)).strftime("%H:%M"))
    page.get_by_label("Locatie").fill("Kantine Transportbedrijf, Reisweg 1")
    page.get_by_role("button", name="Plannen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    check_accessibility(page)
    # every partner's contact person is invited
    invitees = page.get_by_role("group", name=re.compile("Deelnemers"))
    expect(invitees.get_by_role("checkbox")).to_have_count(4)
    for box in invitees.get_by_role("checkbox").all():
        box.check()
    page.get_by_role("button", name="Op de lijst zetten").click()
    expect(page.get_by_text("4 genodigden toegevoegd.")).to_be_visible()
    page.get_by_role("button", name="Uitnodigingen versturen").click()
    expect(page.get_by_text("4 uitnodigingen verstuurd.")).to_be_visible()
    page.get_by_role("textbox", name="Verslag", exact=True).fill("Iedereen was er; de aanpak is afgesproken.")
    page.get_by_role("button", name="Verslag opslaan").click()
    expect(page.get_by_text("Het verslag is opgeslagen.")).to_be_visible()
    expect(page.get_by_text("Gehouden, met verslag")).to_be_visible()
    check_accessibility(page)


def step_3_inventory(page: Page, j: Journey) -> None:
    check_accessibility(page)
    fix(page, "Naar de cijfers van de partners")
    page.get_by_role("link", name="Cijfers invoeren").click()
    page.get_by_label("Bron en categorie").select_option(label="Overval")
    page.get_by_label("Jaar").fill(str(datetime.now(LOCAL_TIME).year - 1))
    page.get_by_label("Periode").select_option(label="Heel jaar")
    page.get_by_label("Aantal").fill("3")
    page.get_by_role("button", name="Cijfer opslaan").click()
    expect(page.get_by_text("Het cijfer is opgeslagen.")).to_be_visible()

    back_to_park(page, j)
    fix(page, "Naar de gebiedsscan")
    for organisation in j.partners:
        page.get_by_role("link", name=f"Top 3 van {organisation} invullen").click()
        for rank, phenomenon in enumerate(("Inbraken in bedrijfspanden", "Afvaldumping", "Hardrijden"), start=1):
            page.get_by_label(f"Verschijnsel {rank}").fill(phenomenon)
        page.get_by_role("button", name="Top 3 opslaan").click()
        expect(page.get_by_text(f"De gebiedsscan van {organisation} is opgeslagen.")).to_be_visible()
    check_accessibility(page)

    # the survey: the checklist leads to its results, which lead to making it; opened and closed at once
    back_to_park(page, j)
    fix(page, "Naar de enquêteresultaten")
    expect(page.get_by_text("Er is nog geen enquête in de huidige cyclus van dit park.")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Enquête aanmaken").click()
    page.get_by_role("button", name="Enquête aanmaken").click()
    page.get_by_role("button", name="Enquête openen").click()
    expect(page.get_by_text("De enquête is geopend", exact=False)).to_be_visible()
    page.get_by_role("button", name="Enquête sluiten").click()
    expect(page.get_by_text("De enquête is gesloten.")).to_be_visible()
    check_accessibility(page)
    back_to_park(page, j)
    fix(page, "Naar de enquêteresultaten")
    page.get_by_role("link", name="Conclusies schrijven en het rapport klaar melden").click()
    page.get_by_label("Conclusies").fill("Inbraken en afvaldumping zijn de grootste zorgen van de ondernemers.")
    page.get_by_label("Het rapport is klaar").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het rapport is klaar sinds", exact=False)).to_be_visible()
    complete_step(page, j, 3, "Doelstelling")


def step_4_goals(page: Page, j: Journey) -> None:
    fix(page, "Naar de doelen")
    check_accessibility(page)
    deadline = (datetime.now(LOCAL_TIME) + timedelta(days=700)).date().isoformat()
    for theme in ("schoon", "heel", "veilig", "meldingsbereidheid"):
        page.get_by_role("link", name=f"Doel toevoegen voor het thema {theme}").click()
        page.get_by_label("Doel", exact=True).fill(f"Beter op {theme}")
        page.get_by_label("Indicator", exact=True).fill(f"Meldingen over {theme}")
        page.get_by_label("Bron van de indicator").select_option(label="Eigen meting: de waarden vult u zelf in")
        page.get_by_label("Eenheid").fill("aantal")
        page.get_by_label("Richting").select_option(label="Lager is beter")
        page.get_by_label("Nulmeting", exact=True).fill("10")
        page.get_by_label("Streefwaarde").fill("5")
        page.get_by_label("Streefdatum").fill(deadline)
        page.get_by_role("button", name="Doel toevoegen").click()
        expect(page.get_by_text(f"Het doel Beter op {theme} is opgeslagen.")).to_be_visible()
        page.get_by_role("navigation", name="Kruimelpad").get_by_role("link", name="Doelen").click()
    check_accessibility(page)
    complete_step(page, j, 4, "Deelnemers betrekken")


def step_5_results_meeting(page: Page, j: Journey) -> None:
    fix(page, "Naar de vergaderingen")
    hold_meeting(page, "Presentatie van de resultaten", f"Resultaten {j.park}")
    complete_step(page, j, 5, "Uitvoeringsplan")


def step_6_plan(page: Page, j: Journey) -> None:
    fix(page, "Naar het uitvoeringsplan")
    check_accessibility(page)
    page.get_by_role("link", name="Acties toevoegen uit de catalogus, de schouw of zelf").click()
    # a measure from the catalogue gets its usual owner, the entrepreneurs, who take part
    page.get_by_role("button", name=re.compile(r"^Toevoegen\W+Schoonmaakactie$")).click()
    expect(page.get_by_text("Toegevoegd aan het plan: Schoonmaakactie.")).to_be_visible()
    check_accessibility(page)

    back_to_park(page, j)
    fix(page, "Naar de kalender")
    add = page.get_by_role("region", name="Activiteit toevoegen")
    add.get_by_label("Titel").fill(f"Nieuwsbrief {j.tag}")
    add.get_by_label("Datum").fill((datetime.now(LOCAL_TIME) + timedelta(days=30)).date().isoformat())
    add.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_text(f"Nieuwsbrief {j.tag}").first).to_be_visible()
    check_accessibility(page)

    back_to_park(page, j)
    fix(page, "Naar het uitvoeringsplan")
    page.get_by_label("Vergadering").fill(f"werkgroepvergadering {j.park}")
    page.get_by_role("button", name="Plan vaststellen").click()
    expect(page.get_by_text(re.compile(r"Het plan is vastgesteld \(versie 1\)\."))).to_be_visible()
    complete_step(page, j, 6, "Waardering")


def step_7_award(page: Page, j: Journey, live_app) -> None:
    # the declaration of intent, signed on paper at the kick-off, is recorded per partner
    fix(page, "Naar de deelnemers")
    today = datetime.now(LOCAL_TIME).date().isoformat()
    for organisation in j.partners:
        page.get_by_role("link", name=organisation, exact=True).click()
        page.get_by_label("Datum van ondertekening").fill(today)
        page.get_by_label("Ondertekend door").fill(f"Tekenbevoegde {organisation}")
        page.get_by_role("button", name="Ondertekening vastleggen").click()
        expect(page.get_by_role("heading", level=1, name=re.compile("^Deelnemers van"))).to_be_visible()
    check_accessibility(page)

    back_to_park(page, j)
    fix(page, "Naar de waardering")
    expect(page.get_by_role("heading", level=1, name=f"Waardering van {j.park}")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Handtekeningen vragen").click()
    expect(
        page.get_by_text("De handtekeningen zijn gevraagd; 4 tekenbevoegden kregen een persoonlijke link.")
    ).to_be_visible()
    page.get_by_label("Datum van de uitreiking").fill(
        (datetime.now(LOCAL_TIME) + timedelta(days=14)).date().isoformat()
    )
    page.get_by_label("Datum van de uitreiking").press("Enter")
    expect(page.get_by_text("De datum van de uitreiking is opgeslagen.")).to_be_visible()
    check_accessibility(page)

    # each signatory, without an account, signs through the personal link of the mail, in a browser of their own
    links = signing_links(live_app, j)
    assert len(links) == 4
    for link in links:
        signer = page.context.browser.new_context(base_url=live_app.config["BASE_URL"], locale="nl-NL")
        signing = signer.new_page()
        signing.goto(link)
        expect(signing.get_by_role("heading", level=1, name=f"Tekenen voor de waardering van {j.park}")).to_be_visible()
        if link == links[0]:
            check_accessibility(signing)
        signing.get_by_label("Uw functie").fill("Directeur")
        signing.get_by_role("checkbox").check()
        signing.get_by_role("button", name="Tekenen").click()
        expect(signing.get_by_role("heading", level=1, name="Dank u wel: u heeft getekend")).to_be_visible()
        signer.close()

    page.reload()
    expect(page.get_by_text(re.compile(r"^De waardering is toegekend op .* en geldig tot en met "))).to_be_visible()
    check_accessibility(page)
    complete_step(page, j, 7, "Continuering")


def step_8_continuation(page: Page) -> None:
    # step 8 is guided like the others: its checklist names the quarterly rhythm and the herijking's due date
    expect(page.get_by_text("Stap 8: Continuering")).to_be_visible()
    expect(
        page.get_by_text("Dit jaar is elk afgelopen kwartaal een kwartaaloverleg gehouden", exact=False)
    ).to_be_visible()
    expect(page.get_by_text("De herijking is niet over tijd", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="Naar de herijking")).to_be_visible()


def signing_links(live_app, j: Journey) -> list[str]:
    """The personal signing links in the mails to the signatories (the outbox is what would be sent)."""
    addresses = [signatory for _role, signatory in j.partners.values()]
    with live_app.app_context():
        bodies = db.session.scalars(select(OutboxMail.text_body).where(OutboxMail.recipient.in_(addresses))).all()
    return [SIGNING_LINK.search(body).group(1) for body in bodies if SIGNING_LINK.search(body)]


def test_advisor_takes_a_new_park_from_nothing_to_the_award_and_into_step_8(page: Page, live_app):
    j = Journey()
    login(page, f"adviseur@{DEMO_DOMAIN}", DEMO_PASSWORD)  # the advisor lands on their home page
    expect(page.get_by_role("link", name="Nieuw park aanmaken")).to_be_visible()
    check_accessibility(page)
    create_park(page, j)
    step_1_area(page, j)
    step_2_partners(page, j)
    step_3_inventory(page, j)
    step_4_goals(page, j)
    step_5_results_meeting(page, j)
    step_6_plan(page, j)
    step_7_award(page, j, live_app)
    step_8_continuation(page)
    check_accessibility(page)

    # back home, the new park is among the advisor's parks
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Start").click()
    expect(page.get_by_role("link", name=j.park).first).to_be_visible()
    check_accessibility(page)
