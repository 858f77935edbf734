"""Demo inventory: police, fire and MOR figures, the partners' gebiedsscan and the schouw."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.clock import local_today
from app.extensions import db
from app.inventory.models import Figure, FigureSource, Finding, FindingCategory, Inspection, Light, ScanEntry, Severity
from app.parks.models import Park

#: per park: police/fire/MOR counts per year (quarter 0) as {source: {category: [count per year]}}, from FIGURE_YEARS
FIGURE_YEARS = (2023, 2024, 2025)
DEMO_FIGURES = {
    "Lage Weide": {
        FigureSource.POLITIE: {
            "inbraak_bedrijf": [14, 11, 9],
            "poging_inbraak": [6, 8, 5],
            "diefstal_terrein": [9, 12, 15],
            "diefstal_uit_voertuig": [21, 17, 19],
            "vernieling": [7, 9, 6],
            "drugs_ondermijning": [2, 3, 5],
        },
        FigureSource.MOR: {
            "afvaldumping": [31, 38, 44],
            "grofvuil": [12, 10, 14],
            "parkeeroverlast": [18, 22, 27],
            "leegstand": [3, 4, 4],
        },
        FigureSource.BRANDWEER: {"buitenbrand": [5, 3, 6], "nodeloze_melding": [22, 19, 16]},
    },
    "Cartesiusweg": {
        FigureSource.POLITIE: {
            "inbraak_bedrijf": [6, 5, 3],
            "diefstal_uit_voertuig": [9, 7, 6],
            "vernieling": [4, 6, 3],
        },
        FigureSource.MOR: {"afvaldumping": [11, 9, 7], "parkeeroverlast": [8, 9, 5], "crossen": [2, 1, 0]},
    },
}

#: per park: each stakeholder's gebiedsscan (organisation name -> top 3 as (phenomenon, explanation))
DEMO_SCAN = {
    "Lage Weide": {
        "Gemeente Utrecht": [
            ("Afvaldumpingen langs de kade", "Vooral bouwafval en banden; elke week meldingen via de MOR-app."),
            ("Vrachtwagens die 's nachts in de berm parkeren", "Schade aan bermen en onveilige situaties."),
            ("Verlichting valt uit op de Atoomweg", "Oude armaturen; vervanging staat niet gepland."),
        ],
        "Politie Midden-Nederland": [
            ("Diefstal van brandstof en koper", "Dieven komen via het water en de spoorzone."),
            ("Signalen van ondermijning in verhuurde loodsen", "Wisselende huurders, veel verkeer buiten werktijd."),
            ("Lage aangiftebereidheid", "Ondernemers melden schade vaak niet omdat het 'toch niets oplevert'."),
        ],
        "Veiligheidsregio Utrecht (brandweer)": [
            ("Opslag van pallets tegen gevels", "Brandgevaar en slechte bereikbaarheid voor de brandweer."),
        ],
    },
    "Cartesiusweg": {
        "Gemeente Utrecht": [
            ("Zwerfvuil bij de bushalte", "Afvalbakken zijn te klein en worden niet vaak genoeg geleegd."),
            ("Donkere doorsteek naar het spoor", "Weinig verlichting en overhangend groen."),
            ("Leegstaand pand op nummer 40", "Wordt gebruikt om te overnachten."),
        ],
        "Politie Midden-Nederland": [
            ("Inbraken in bedrijfsbusjes", "Vooral in het weekend, gereedschap wordt gestolen."),
            ("Crossers op het braakliggende terrein", "Geluidsoverlast en vernielingen aan hekwerk."),
            ("Weinig meldingen van verdachte situaties", "Ondernemers weten niet goed waar ze moeten melden."),
        ],
        "Veiligheidsregio Utrecht (brandweer)": [
            ("Geblokkeerde brandkranen", "Geparkeerde vrachtwagens staan op de brandkranen."),
            ("Containerbranden", "Afvalcontainers staan onafgesloten tegen de gevels."),
            ("Nodeloze meldingen", "Brandmeldinstallaties die slecht onderhouden worden."),
        ],
        "Ondernemersvereniging Cartesiusweg": [
            ("Diefstal van gereedschap", "Uit busjes en van open terreinen."),
            ("Slechte verlichting 's avonds", "Medewerkers voelen zich onveilig op weg naar de bushalte."),
            ("Vrachtwagens op de stoep", "Gevaarlijk voor fietsers en voetgangers."),
        ],
    },
}

#: per park: inspection walks, each (days ago, light, participants, [(category, severity, description, suggestion,
#: lat, lon)])
DEMO_INSPECTIONS = {
    "Lage Weide": [
        (
            20,
            Light.DAY,
            "Gemeente Utrecht (beheer en handhaving), Politie Midden-Nederland, brandweer, Ondernemersvereniging",
            [
                (
                    FindingCategory.DUMPING,
                    Severity.HIGH,
                    "Bouwafval en autobanden gedumpt aan het eind van de kade.",
                    "Laten ruimen en handhaving inzetten op de kade.",
                    52.104,
                    5.085,
                ),
                (
                    FindingCategory.PARKEREN,
                    Severity.MEDIUM,
                    "Drie vrachtwagens met oplegger in de berm van de Isotopenweg.",
                    "Parkeerverbod en handhaving 's nachts.",
                    52.101,
                    5.088,
                ),
                (
                    FindingCategory.HEKWERK,
                    Severity.LOW,
                    "Hekwerk bij de spoorzone is op twee plekken open geknipt.",
                    "Eigenaar laten herstellen.",
                    52.111,
                    5.070,
                ),
                (
                    FindingCategory.BEBORDING,
                    Severity.LOW,
                    "Huisnummers aan de Electronweg ontbreken of zijn onleesbaar.",
                    "Ondernemers vragen huisnummers zichtbaar te maken.",
                    52.106,
                    5.073,
                ),
            ],
        ),
        (
            20,
            Light.DARK,
            "Gemeente Utrecht, Politie Midden-Nederland, twee ondernemers",
            [
                (
                    FindingCategory.VERLICHTING,
                    Severity.HIGH,
                    "Zes lantaarnpalen aan de Atoomweg branden niet.",
                    "Melden bij de gemeente en armaturen vervangen.",
                    52.103,
                    5.067,
                ),
                (
                    FindingCategory.GROEN,
                    Severity.MEDIUM,
                    "Overhangend groen ontneemt het zicht op de inrit.",
                    "Snoeien en zichtlijnen vrijhouden.",
                    52.108,
                    5.079,
                ),
            ],
        ),
    ],
    "Cartesiusweg": [
        (
            150,
            Light.DARK,
            "Gemeente Utrecht, Politie Midden-Nederland, brandweer, Ondernemersvereniging",
            [
                (
                    FindingCategory.VERLICHTING,
                    Severity.HIGH,
                    "De doorsteek naar het spoor is volledig donker.",
                    "Extra verlichting plaatsen bij de doorsteek.",
                    52.104,
                    5.094,
                ),
                (
                    FindingCategory.BRANDRISICO,
                    Severity.MEDIUM,
                    "Brandkraan bij nummer 90 staat achter geparkeerde vrachtwagens.",
                    "Markering en handhaving rond de brandkraan.",
                    52.103,
                    5.096,
                ),
                (
                    FindingCategory.LEEGSTAND,
                    Severity.MEDIUM,
                    "Leegstaand pand op nummer 40 wordt gebruikt om te overnachten.",
                    "Eigenaar aanspreken op afsluiten en beheer.",
                    52.105,
                    5.098,
                ),
            ],
        ),
    ],
}


def seed_demo(created: list, parks: dict[str, Park]) -> None:
    """Figures, gebiedsscan and schouw for the parks at or past the inventory step. A part that a park already has
    is left as it is."""
    today = local_today()
    for name, sources in DEMO_FIGURES.items():
        park = parks[name]
        if db.session.scalar(select(Figure.id).where(Figure.park_id == park.id).limit(1)) is not None:
            continue
        for source, categories in sources.items():
            for category, counts in categories.items():
                for year, count in zip(FIGURE_YEARS, counts, strict=True):
                    db.session.add(Figure(park=park, source=source, category=category, year=year, count=count))
        created.append(park)
    for name, scans in DEMO_SCAN.items():
        cycle = parks[name].cycles[-1]
        for stakeholder in cycle.stakeholders:
            rows = scans.get(stakeholder.organisation.name, [])
            if not rows or db.session.scalar(select(ScanEntry.id).where(ScanEntry.stakeholder_id == stakeholder.id)):
                continue
            for rank, (phenomenon, explanation) in enumerate(rows, start=1):
                db.session.add(
                    ScanEntry(stakeholder=stakeholder, rank=rank, phenomenon=phenomenon, explanation=explanation)
                )
            created.append(stakeholder)
    for name, walks in DEMO_INSPECTIONS.items():
        cycle = parks[name].cycles[-1]
        if db.session.scalar(select(Inspection.id).where(Inspection.cycle_id == cycle.id).limit(1)) is not None:
            continue
        for days_ago, light, participants, findings in walks:
            inspection = Inspection(
                cycle=cycle, held_on=today - timedelta(days=days_ago), light=light, participants=participants
            )
            for category, severity, description, suggestion, lat, lon in findings:
                inspection.findings.append(
                    Finding(
                        category=category,
                        severity=severity,
                        description=description,
                        suggested_action=suggestion,
                        lat=lat,
                        lon=lon,
                    )
                )
            db.session.add(inspection)
            created.append(inspection)
    db.session.flush()
