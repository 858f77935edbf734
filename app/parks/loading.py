"""Loading what a park's URL names: the park, and an object of the park or of one of its cycles (404 otherwise)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import abort

from app.auth.decorators import load_or_404
from app.parks.models import Cycle, CycleStatus, Park

T = TypeVar("T")


@dataclass(frozen=True)
class InPark(Generic[T]):
    """An object named in a park's URL, with that park for the policy check of `requires`."""

    park: Park
    obj: T


def load_park(park_id: int) -> Park:
    return load_or_404(Park, park_id)


def load_in_park(
    model: type[T], park_id: int, object_id: int, belongs: Callable[[T, Park], bool] | None = None
) -> InPark[T]:
    """The park and the `model` row with `object_id`; a 404 for either id, or when `belongs(obj, park)` is false
    (default: the row's `park_id` is the park's), since another park's object must look like one that does not
    exist."""
    park = load_or_404(Park, park_id)
    obj = load_or_404(model, object_id)
    if not (belongs(obj, park) if belongs else obj.park_id == park.id):
        abort(404)
    return InPark(park, obj)


def load_in_cycle(
    model: type[T], park_id: int, object_id: int, cycle_of: Callable[[T], Cycle], *, active: bool = True
) -> InPark[T]:
    """`load_in_park` for an object of one of the park's cycles (`cycle_of(obj)`); with `active` only of its
    active cycle, so that a closed cycle's object is a 404 too."""

    def belongs(obj: T, park: Park) -> bool:
        cycle = cycle_of(obj)
        return cycle.park_id == park.id and (not active or cycle.status == CycleStatus.ACTIVE)

    return load_in_park(model, park_id, object_id, belongs)
