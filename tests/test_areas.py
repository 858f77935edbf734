"""The areas register themselves: only `app.areas` imports views, and what the app has is what the areas declare."""

import ast
import importlib
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import Table

from app.areas import areas, permissions
from app.auth.policy import PERMISSIONS
from app.db import Base
from app.extensions import db

APP = Path(__file__).resolve().parent.parent / "app"


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function (as `from a import b`: both a and a.b)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_only_the_areas_module_imports_views_and_no_view_imports_its_registrar():
    views = {blueprint.partition(":")[0] for area in areas() for blueprint in area.blueprints}
    importers = {
        module_name(path): imported_modules(path) & (views | {"app.web"})
        for path in APP.rglob("*.py")
        if path != APP / "areas.py"
    }
    # the factory is the one importer of app.web, which registers the blueprints through app.areas
    assert {module: found for module, found in importers.items() if found} == {"app": {"app.web"}}


def test_every_blueprint_is_declared_by_exactly_one_area(app):
    declared = Counter(
        getattr(importlib.import_module(module), name).name
        for area in areas()
        for module, _, name in (blueprint.partition(":") for blueprint in area.blueprints)
    )
    assert set(declared.values()) == {1}
    # the API's setup (`app.api.setup.init_api`) registers its own: resources, docs, token pages, flask-smorest's spec
    api = ("app.api.", "flask_smorest.")
    web = {name for name, blueprint in app.blueprints.items() if not blueprint.import_name.startswith(api)}
    assert web == set(declared)


def test_every_table_is_defined_by_the_models_of_an_area(app):
    defined = set()
    for module in (importlib.import_module(area.models) for area in areas() if area.models):
        for value in vars(module).values():
            if isinstance(value, Table):
                defined.add(value.name)
            elif isinstance(value, type) and issubclass(value, Base) and value.__module__ == module.__name__:
                defined.add(value.__table__.name)
    assert defined == set(db.metadata.tables)


def test_the_policy_holds_every_action_an_area_declares_and_no_other():
    declared = Counter(
        action
        for area in areas()
        if area.permissions
        for action in importlib.import_module(area.permissions).PERMISSIONS
    )
    assert declared and all(count == 1 for count in declared.values())
    assert set(PERMISSIONS) == set(declared)
    assert PERMISSIONS["plans.adopt"] == importlib.import_module("app.plans.permissions").PERMISSIONS["plans.adopt"]


def test_an_action_declared_by_two_areas_is_refused(monkeypatch):
    monkeypatch.setattr("app.areas.AREAS", ("app.plans", "app.plans"))
    permissions.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"plans\.adopt"):
            permissions()
    finally:
        permissions.cache_clear()
