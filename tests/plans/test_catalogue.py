"""The action catalogue: the shipped measures are valid, a park adds its own, and only the plan's editors do."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.errors import DomainError, NotAllowed
from app.plans import catalogue
from app.plans.models import CatalogueItem, Effort, Theme
from app.stakeholders.models import PpsRole
from tests.factories import make_member

MANAGERS = {Role.ADVISOR, Role.MUNICIPALITY}


def test_every_shipped_measure_is_valid():
    raw = json.loads(catalogue.CATALOGUE_PATH.read_text(encoding="utf-8"))
    assert len(raw) >= 20
    for item in raw:
        measure = catalogue.validate_item(item)  # raises on anything wrong
        assert measure.title and measure.description and measure.theme in Theme and measure.effort in Effort
        assert measure.typical_owner in PpsRole
    measures = catalogue.shipped()
    assert len({m.key for m in measures}) == len(raw)
    # every theme has measures to choose from, and the process description's examples are there
    assert {m.theme for m in measures} == set(Theme)
    keys = {m.key for m in measures}
    for key in (
        "verlichting-verbeteren",
        "collectieve-surveillance",
        "cameratoezicht",
        "meldwijzer",
        "alertavond",
        "informatiebijeenkomst",
        "training-ondermijning",
        "integrale-controle",
        "schoonmaakactie",
        "aanpak-leegstand",
        "bebording-huisnummers",
    ):
        assert key in keys


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"key": "Met Hoofdletters"}, "key"),
        ({"key": "park-12"}, "key"),
        ({"theme": "groen"}, "groen"),
        ({"effort": "enorm"}, "enorm"),
        ({"typical_owner": "burgemeester"}, "burgemeester"),
        ({"title": "  "}, "title"),
        ({"description": ""}, "description"),
        ({"colour": "blauw"}, "unknown fields"),
    ],
)
def test_an_invalid_item_is_refused(change, message):
    item = {
        "key": "schoonmaakactie-extra",
        "title": "Extra schoonmaakactie",
        "description": "Nog een keer opruimen.",
        "theme": "schoon",
        "typical_owner": "ondernemers",
        "effort": "klein",
    } | change
    with pytest.raises(ValueError, match=message):
        catalogue.validate_item(item)


def test_a_catalogue_with_a_repeated_key_is_refused():
    item = {"key": "a", "title": "A", "description": "a", "theme": "schoon", "effort": "klein"}
    with pytest.raises(ValueError, match="repeats"):
        catalogue.validate_catalogue([item, item | {"title": "B"}])


def test_a_park_adds_its_own_measures(db, park, other_park, advisor):
    item = catalogue.save_item(
        advisor,
        park,
        None,
        title="Bewaakte truckparking  Atoomweg",
        description="Een bewaakte parkeerplaats voor vrachtwagens.",
        theme=Theme.HEEL,
        typical_owner=PpsRole.PARKMANAGEMENT,
        effort=Effort.HIGH,
    )
    assert item.title == "Bewaakte truckparking Atoomweg"
    measures = catalogue.catalogue_for(park)
    own = [m for m in measures if m.own]
    assert [(m.key, m.title) for m in own] == [(f"park-{item.id}", "Bewaakte truckparking Atoomweg")]
    assert len(measures) == len(catalogue.shipped()) + 1
    # per theme in the themes' order, the park's own first
    heel = [m for m in measures if m.theme == Theme.HEEL]
    assert heel[0].own
    assert [m.theme for m in measures] == sorted((m.theme for m in measures), key=list(Theme).index)
    assert catalogue.find_measure(park, f"park-{item.id}").title == item.title
    assert catalogue.find_measure(other_park, f"park-{item.id}") is None
    assert not any(m.own for m in catalogue.catalogue_for(other_park))
    assert catalogue.find_measure(park, "meldwijzer").title == "Meldwijzer voor ondernemers"
    for junk in ("", "park-", "park-x", "park-99999999999999", "bestaat-niet"):
        assert catalogue.find_measure(park, junk) is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plans.catalogue_item_saved"))
    assert event.details["created"] is True and event.park_id == park.id


def test_editing_and_deleting_an_own_measure(db, park, advisor):
    item = catalogue.save_item(
        advisor, park, None, title="Hekken", theme=Theme.HEEL, typical_owner=None, effort=Effort.LOW
    )
    catalogue.save_item(
        advisor, park, item, title="Hekken herstellen", theme=Theme.VEILIG, typical_owner=None, effort=Effort.MEDIUM
    )
    assert (item.title, item.theme, item.effort) == ("Hekken herstellen", Theme.VEILIG, Effort.MEDIUM)
    catalogue.delete_item(advisor, item)
    assert db.session.scalar(select(CatalogueItem)) is None
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["plans.catalogue_item_saved", "plans.catalogue_item_saved", "plans.catalogue_item_deleted"]


def test_titles_are_required_and_unique(db, park, advisor):
    with pytest.raises(DomainError, match="titel"):
        catalogue.save_item(advisor, park, None, title=" ", theme=Theme.HEEL, typical_owner=None, effort=Effort.LOW)
    with pytest.raises(DomainError, match="al een maatregel"):
        catalogue.save_item(
            advisor, park, None, title="alertavond", theme=Theme.VEILIG, typical_owner=None, effort=Effort.LOW
        )


def test_only_the_plans_editors_change_the_catalogue(db, park, other_park, role):
    user = make_member(role, park)
    call = lambda: catalogue.save_item(  # noqa: E731
        user, park, None, title="Iets nieuws", theme=Theme.SCHOON, typical_owner=None, effort=Effort.LOW
    )
    if role in MANAGERS:
        call()
    else:
        with pytest.raises(NotAllowed):
            call()
    with pytest.raises(NotAllowed):
        catalogue.save_item(
            user, other_park, None, title="Elders", theme=Theme.SCHOON, typical_owner=None, effort=Effort.LOW
        )
