"""Veilig Bedrijventerrein: the app factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.areas import load_criteria, load_jobs, load_models
from app.config import Config, resolve
from app.db import recover_lost_connections, use_real_sqlite_transactions
from app.i18n import as_text

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: str | type[Config] | dict | None = None) -> Flask:
    """Build the app. `config` is a mode name, a Config class, a dict of test overrides, or None (APP_ENV)."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_mapping(resolve(config))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(ROOT / "app" / "translations")
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.finalize = as_text  # before any template is compiled

    from app import cli, health, logs, metrics, ratelimit, web
    from app.extensions import babel, csrf, db, login_manager, migrate

    load_models()  # the whole schema, for Alembic and create_all
    logs.configure(app)  # before any other hook (CSRF's refusal too), so that every request has its id
    metrics.init_app(app)

    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            use_real_sqlite_transactions(db.engine)
        else:  # a file database has no server to lose
            recover_lost_connections(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=web.select_locale)
    ratelimit.init_app(app)

    web.init_app(app)
    cli.init_app(app)
    load_jobs()
    load_criteria()
    health.init_app(app)
    if app.config["PROXY_COUNT"]:
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)
    return app
