"""Loading what a park's URL names: another park's object, or a closed cycle's where only the active one counts,
is a 404 like an object that does not exist; and the file names of downloads."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import NotFound

from app.pages import file_slug
from app.parks.loading import load_in_cycle, load_in_park
from app.parks.models import CycleStatus
from app.plans.models import CatalogueItem, Effort, PlanAction, Theme
from app.plans.services import add_action


def _load_action(park, action, *, active=True):
    return load_in_cycle(PlanAction, park.id, action.id, lambda a: a.plan.cycle, active=active)


def test_an_object_of_the_park_is_loaded_with_the_park(db, park, plan, advisor):
    action = add_action(advisor, plan, title="Alertavond", quarter=1)
    loaded = _load_action(park, action)
    assert (loaded.park, loaded.obj) == (park, action)


def test_another_parks_object_or_an_unknown_id_is_a_404(db, park, other_park, plan, advisor):
    action = add_action(advisor, plan, title="Alertavond", quarter=1)
    with pytest.raises(NotFound):
        _load_action(other_park, action)
    with pytest.raises(NotFound):
        load_in_cycle(PlanAction, park.id, action.id + 1, lambda a: a.plan.cycle)
    item = CatalogueItem(park=park, title="Truckparking", theme=Theme.HEEL, effort=Effort.HIGH)
    db.session.add(item)
    db.session.flush()
    assert load_in_park(CatalogueItem, park.id, item.id, lambda i, p: i.park_id == p.id).obj == item
    with pytest.raises(NotFound):
        load_in_park(CatalogueItem, other_park.id, item.id, lambda i, p: i.park_id == p.id)


def test_a_closed_cycles_object_is_a_404_unless_any_cycle_counts(db, park, plan, advisor):
    action = add_action(advisor, plan, title="Alertavond", quarter=1)
    plan.cycle.status = CycleStatus.CLOSED
    db.session.flush()
    with pytest.raises(NotFound):
        _load_action(park, action)
    assert _load_action(park, action, active=False).obj == action


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Lage Weide", "lage-weide"), ("Café 't Hoogt / Zuid", "cafe-t-hoogt-zuid"), ("???", "park")],
)
def test_file_slug(name, slug):
    assert file_slug(name) == slug
