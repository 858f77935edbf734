"""The areas of the platform, in one list: each area package declares what it brings (`AREA`), and this module
collects it for the app factory, Alembic, the scheduler, the policy and the audit log.

An area's declaration names modules as dotted strings, so reading it imports nothing of the area; the collectors
below import what they need when the app is built. Adding an area is a package with its `AREA` plus one line in
`AREAS`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

#: every area package, in the order its blueprints are registered
AREAS = (
    "app.main",
    "app.auth",
    "app.sso",
    "app.parks",
    "app.stakeholders",
    "app.surveys",
    "app.inventory",
    "app.goals",
    "app.plans",
    "app.awards",
    "app.meetings",
    "app.cameras",
    "app.dashboard",
    "app.dossier",
    "app.audit",
    "app.admin",
    "app.jobs",
    "app.mail",
    "app.notifications",
    "app.api",
)


@dataclass(frozen=True)
class Area:
    """What an area brings to the app, each part named by its dotted module (a blueprint as "module:attribute")."""

    blueprints: tuple[str, ...] = ()  # in registration order
    models: str | None = None
    jobs: str | None = None  # registers its jobs when imported
    criteria: str | None = None  # registers its steps' exit criteria when imported
    audit_labels: str | None = None  # a module with a LABELS dict: audit action -> words
    permissions: str | None = None  # a module with a PERMISSIONS dict: action -> the roles that may do it


def areas() -> Iterator[Area]:
    """The declaration of every area in `AREAS`, in order."""
    for name in AREAS:
        yield importlib.import_module(name).AREA


def _load(path: str) -> Any:
    module, _, attribute = path.partition(":")
    loaded = importlib.import_module(module)
    return getattr(loaded, attribute) if attribute else loaded


def register_blueprints(app: Flask) -> None:
    """Register every area's blueprints on `app`: the only place that imports a views module."""
    for area in areas():
        for blueprint in area.blueprints:
            app.register_blueprint(_load(blueprint))


def load_models() -> None:
    """Import every area's models, so that the metadata (Alembic, create_all) holds the whole schema."""
    for area in areas():
        if area.models:
            _load(area.models)


def load_jobs() -> None:
    """Import every area's jobs module, which registers its jobs."""
    for area in areas():
        if area.jobs:
            _load(area.jobs)


def load_criteria() -> None:
    """Import every area's criteria module, which registers its steps' exit criteria."""
    for area in areas():
        if area.criteria:
            _load(area.criteria)


@cache
def audit_labels() -> dict[str, Any]:
    """Every area's audit actions in words (lazy translations), merged; an action is declared by one area."""
    labels: dict[str, Any] = {}
    for area in areas():
        if area.audit_labels:
            labels |= _load(area.audit_labels).LABELS
    return labels


@cache
def permissions() -> dict[str, Any]:
    """Every area's actions with the roles that may do them, merged (for `app.auth.policy`); an action is declared
    by one area."""
    merged: dict[str, Any] = {}
    for area in areas():
        if area.permissions:
            declared = _load(area.permissions).PERMISSIONS
            if twice := merged.keys() & declared.keys():
                raise ValueError(f"{area.permissions} declares actions another area declares: {sorted(twice)}")
            merged |= declared
    return merged
