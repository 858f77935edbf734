from __future__ import annotations

import secrets
from datetime import timedelta

import pytest

from app import create_app
from app.config import DEFAULT_TILE_URL, TestingConfig, resolve, weak_secret_key


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


@pytest.mark.parametrize(
    "key",
    [
        "changeme",
        "secret",
        "dev",
        TestingConfig.SECRET_KEY,
        "CHANGE-ME-CHANGE-ME-CHANGE-ME-CHANGE-ME",
        "your-secret-key-here-please-change-it-in-production",
        "dev_secret_key_for_veilig_bedrijventerrein",
        pytest.param("x" * 64, id="repeated"),
        pytest.param(secrets.token_urlsafe(32)[:31], id="31-random-bytes"),
    ],
)
def test_production_refuses_a_weak_secret_key_and_says_how_to_make_one(monkeypatch, key):
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="SECRET_KEY is too weak") as refused:
        create_app("production")
    reason, how = str(refused.value).split("Use at least")
    assert "secrets.token_urlsafe" in how
    assert key not in reason  # the message goes to logs: it never repeats the key


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(secrets.token_urlsafe(48), id="64-characters"),
        pytest.param(secrets.token_hex(16), id="32-hex"),
        pytest.param(secrets.token_urlsafe(24), id="32-characters"),
    ],
)
def test_production_accepts_a_random_secret_key(monkeypatch, key):
    assert weak_secret_key(key) is None
    monkeypatch.setenv("SECRET_KEY", key)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    assert create_app("production").secret_key == key


def test_production_reads_the_environment(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment-" + "4KqZ8vT2nR7wXy1P")
    monkeypatch.setenv("DATABASE_URL", "postgres://vb@db.example/vb")
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.nl")
    monkeypatch.setenv("MAIL_PORT", "587")
    monkeypatch.setenv("MAIL_USE_STARTTLS", "true")
    monkeypatch.setenv("MAIL_USERNAME", "vb")
    monkeypatch.setenv("MAP_TILE_URL", "https://tiles.example.nl/{z}/{x}/{y}.png")
    monkeypatch.setenv("UPLOAD_FOLDER", "/srv/vb/uploads")
    monkeypatch.setenv("CALENDAR_REMINDER_DAYS", "3")
    monkeypatch.setenv("MAIL_SEND_LEASE_SECONDS", "45")
    settings = resolve("production")
    assert settings["MAIL_SEND_LEASE"] == timedelta(seconds=45)
    assert (settings["UPLOAD_FOLDER"], settings["CALENDAR_REMINDER_DAYS"]) == ("/srv/vb/uploads", 3)
    assert settings["SECRET_KEY"] == "from-the-environment-4KqZ8vT2nR7wXy1P"
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://vb@db.example/vb"
    assert (settings["MAIL_SERVER"], settings["MAIL_PORT"], settings["MAIL_USE_STARTTLS"]) == (
        "smtp.example.nl",
        587,
        True,
    )
    assert settings["MAP_TILE_URL"] == "https://tiles.example.nl/{z}/{x}/{y}.png"
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_development_defaults_to_sqlite_in_instance_and_a_kept_key(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr("app.config.INSTANCE_DIR", tmp_path)
    first, second = resolve("development"), resolve("development")
    assert first["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'veilig-bedrijventerrein.sqlite'}"
    assert first["SECRET_KEY"] == second["SECRET_KEY"] and len(first["SECRET_KEY"]) > 40
    assert first["SESSION_COOKIE_SECURE"] is False
    assert first["MAP_TILE_URL"] == DEFAULT_TILE_URL


def test_printed_maps_fetch_tiles_unless_switched_off_and_never_in_the_tests(monkeypatch):
    monkeypatch.delenv("MAP_PRINT_TILES", raising=False)
    assert resolve("development")["MAP_PRINT_TILES"] is True
    monkeypatch.setenv("MAP_PRINT_TILES", "false")
    monkeypatch.setenv("MAP_TILE_CACHE", "/srv/vb/tiles")
    monkeypatch.setenv("MAP_TILE_CACHE_DAYS", "7")
    settings = resolve("development")
    assert (settings["MAP_PRINT_TILES"], settings["MAP_TILE_CACHE"], settings["MAP_TILE_CACHE_DAYS"]) == (
        False,
        "/srv/vb/tiles",
        7,
    )
    monkeypatch.setenv("MAP_PRINT_TILES", "true")
    assert resolve("testing")["MAP_PRINT_TILES"] is False


def test_unknown_mode_is_an_error():
    with pytest.raises(RuntimeError, match="APP_ENV"):
        resolve("staging")


def test_proxy_headers_are_trusted_only_when_configured(monkeypatch):
    from flask import request

    monkeypatch.setenv("PROXY_COUNT", "1")
    app = create_app("testing")

    @app.route("/scheme")
    def scheme():
        return f"{request.scheme} {request.remote_addr}"

    body = app.test_client().get("/scheme", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert body.get_data(as_text=True) == "https 203.0.113.9"
    monkeypatch.setenv("PROXY_COUNT", "0")
    plain = create_app("testing")
    plain.add_url_rule("/scheme", view_func=scheme)
    assert (
        plain.test_client()
        .get("/scheme", headers={"X-Forwarded-Proto": "https"})
        .get_data(as_text=True)
        .startswith("http ")
    )
