"""The action catalogue: measures shipped as data in the repo (`catalogue.json`) plus a park's own items."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.auth.policy import ensure_can
from app.errors import DomainError
from app.extensions import db
from app.parks.models import Park
from app.plans.models import CatalogueItem, Effort, Theme
from app.stakeholders.models import PpsRole

CATALOGUE_PATH = Path(__file__).parent / "catalogue.json"
PARK_PREFIX = "park-"
KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY_MAX = 60
TITLE_MAX = 200
DESCRIPTION_MAX = 2_000
FIELDS = frozenset({"key", "title", "description", "theme", "typical_owner", "effort"})


@dataclass(frozen=True)
class Measure:
    """One measure of the catalogue: shipped with the platform, or a park's own item (`item_id` set)."""

    key: str
    title: str
    description: str
    theme: Theme
    typical_owner: PpsRole | None
    effort: Effort
    item_id: int | None = None

    @property
    def own(self) -> bool:
        return self.item_id is not None


def validate_item(raw: Any) -> Measure:
    """One entry of the shipped catalogue as a Measure; ValueError (in English: it is for developers) names what is
    wrong. Keys are lower-case words joined by hyphens and never start with the park items' prefix."""
    if not isinstance(raw, dict):
        raise ValueError("an item must be an object")
    unknown = set(raw) - FIELDS
    missing = FIELDS - {"typical_owner"} - set(raw)
    if unknown or missing:
        raise ValueError(f"item {raw.get('key')!r}: unknown fields {sorted(unknown)}, missing {sorted(missing)}")
    key = raw["key"]
    if not isinstance(key, str) or not KEY.match(key) or len(key) > KEY_MAX or key.startswith(PARK_PREFIX):
        raise ValueError(f"item {key!r}: the key must be lower-case words joined by hyphens")
    title, description = raw["title"], raw["description"]
    if not isinstance(title, str) or not title.strip() or len(title) > TITLE_MAX:
        raise ValueError(f"item {key!r}: the title must be a text of 1 to {TITLE_MAX} characters")
    if not isinstance(description, str) or not description.strip() or len(description) > DESCRIPTION_MAX:
        raise ValueError(f"item {key!r}: the description must be a text of 1 to {DESCRIPTION_MAX} characters")
    try:
        theme = Theme(raw["theme"])
        effort = Effort(raw["effort"])
        owner = PpsRole(raw["typical_owner"]) if raw.get("typical_owner") is not None else None
    except ValueError as error:
        raise ValueError(f"item {key!r}: {error}") from None
    return Measure(key, title.strip(), description.strip(), theme, owner, effort)


def validate_catalogue(raw: Any) -> list[Measure]:
    """The whole shipped catalogue: a list of valid items with unique keys and titles."""
    if not isinstance(raw, list) or not raw:
        raise ValueError("the catalogue must be a non-empty list")
    measures = [validate_item(item) for item in raw]
    for attribute in ("key", "title"):
        values = [getattr(m, attribute).lower() for m in measures]
        doubles = sorted({v for v in values if values.count(v) > 1})
        if doubles:
            raise ValueError(f"the catalogue repeats the {attribute}(s) {doubles}")
    return measures


@cache
def shipped() -> tuple[Measure, ...]:
    """The measures shipped with the platform, read and checked once."""
    return tuple(validate_catalogue(json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))))


def _measure_of(item: CatalogueItem) -> Measure:
    return Measure(
        key=f"{PARK_PREFIX}{item.id}",
        title=item.title,
        description=item.description,
        theme=item.theme,
        typical_owner=item.typical_owner,
        effort=item.effort,
        item_id=item.id,
    )


def park_items(park: Park) -> list[CatalogueItem]:
    return list(
        db.session.scalars(
            select(CatalogueItem)
            .where(CatalogueItem.park_id == park.id)
            .order_by(CatalogueItem.title, CatalogueItem.id)
        )
    )


def catalogue_for(park: Park) -> list[Measure]:
    """The catalogue as the park sees it: per theme (in the themes' order), the park's own items first, then the
    shipped measures, each group by title."""
    order = list(Theme)
    own = [_measure_of(item) for item in park_items(park)]
    return sorted([*own, *shipped()], key=lambda m: (order.index(m.theme), not m.own, m.title.lower(), m.key))


def find_measure(park: Park, key: str | None) -> Measure | None:
    """The measure with this key in the park's catalogue (another park's item is not found)."""
    if not key:
        return None
    if key.startswith(PARK_PREFIX):
        number = key.removeprefix(PARK_PREFIX)
        item = db.session.get(CatalogueItem, int(number)) if number.isdigit() and len(number) < 10 else None
        return _measure_of(item) if item is not None and item.park_id == park.id else None
    return next((m for m in shipped() if m.key == key), None)


# The park's own items ------------------------------------------------------------------------------------


def _clean(value: str | None, *, limit: int, required: str | None = None) -> str:
    value = (value or "").strip()
    if not value and required:
        raise DomainError(required)
    if len(value) > limit:
        raise DomainError(_("Een ingevulde tekst is te lang (hoogstens %(n)s tekens).", n=limit))
    return value


def save_item(
    actor: User,
    park: Park,
    item: CatalogueItem | None,
    *,
    title: str,
    description: str = "",
    theme: Theme,
    typical_owner: PpsRole | None,
    effort: Effort,
) -> CatalogueItem:
    """Add a measure to the park's own catalogue (item None) or change one. Advisors and the municipality
    (`plans.edit`). The title is required and unique in the park's catalogue, shipped measures included."""
    ensure_can(actor, "plans.edit", park)
    if item is not None and item.park_id != park.id:
        raise DomainError(_("Deze maatregel hoort bij een ander park."))
    title = " ".join(_clean(title, limit=TITLE_MAX, required=_("Geef de maatregel een titel.")).split())
    description = _clean(description, limit=DESCRIPTION_MAX)
    clash = next(
        (m for m in catalogue_for(park) if m.title.lower() == title.lower() and (item is None or m.item_id != item.id)),
        None,
    )
    if clash is not None:
        raise DomainError(_("De catalogus heeft al een maatregel met de titel %(title)s.", title=title))
    created = item is None
    if item is None:
        item = CatalogueItem(park=park)
        db.session.add(item)
    item.title, item.description, item.theme = title, description, theme
    item.typical_owner, item.effort = typical_owner, effort
    audit.record(
        actor,
        "plans.catalogue_item_saved",
        item,
        park=park,
        details={
            "created": created,
            "title": title,
            "theme": theme.value,
            "typical_owner": typical_owner.value if typical_owner else None,
            "effort": effort.value,
        },
    )
    db.session.flush()
    return item


def delete_item(actor: User, item: CatalogueItem) -> None:
    """Take a park's own measure out of its catalogue. Actions made from it stay in the plan. Advisors and the
    municipality (`plans.edit`)."""
    ensure_can(actor, "plans.edit", item.park)
    audit.record(actor, "plans.catalogue_item_deleted", item, park=item.park, details={"title": item.title})
    db.session.delete(item)
    db.session.flush()
