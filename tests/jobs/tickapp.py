"""The platform with one more job, firing every second: `flask --app tests.jobs.tickapp jobs run` is a scheduler
process for the test of two schedulers (spawned, not imported by it)."""

from __future__ import annotations

from flask import Flask

from app import create_app as create_platform_app
from app.jobs.registry import every, register


def create_app() -> Flask:
    app = create_platform_app()
    register("test.tick", description="tick", trigger=every(seconds=1), run=lambda now: 1)
    return app
