"""Configuration read from the environment; one class per mode."""

from __future__ import annotations

import os
import re
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}
INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"

# The Dutch national background map (BRT Achtergrondkaart) in Web Mercator, served by PDOK.
DEFAULT_TILE_URL = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
DEFAULT_TILE_ATTRIBUTION = "Kaartgegevens &copy; Kadaster (BRT Achtergrondkaart)"


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _env_minutes(name: str, default: timedelta) -> timedelta:
    return timedelta(minutes=_env_int(name, int(default.total_seconds() // 60)))


def _database_url(url: str) -> str:
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants an explicit driver.
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _storage_url(url: str) -> str:
    """STORAGE_URL as given, or a clear refusal at start-up rather than at the first upload."""
    from app.storage import StorageError, split_url

    url = url.strip()
    try:
        if url:
            split_url(url)
    except StorageError as error:
        raise RuntimeError(str(error)) from None
    return url


def _trusted_hosts(base_url: str, extra: str | None) -> list[str]:
    """The host of BASE_URL and the comma-separated extra hosts: the only Host headers a request may carry."""
    hosts = [urlsplit(base_url).hostname, *(extra or "").split(",")]
    return [host.strip().lower() for host in hosts if host and host.strip()]


def _log_format(value: str) -> str:
    if value not in {"json", "text"}:
        raise RuntimeError(f"LOG_FORMAT must be json or text, not {value!r}.")
    return value


def _development_secret_key() -> str:
    """A random key kept in instance/ so that development sessions survive a restart."""
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


#: the fewest bytes a production SECRET_KEY may have (32 random bytes: what secrets.token_urlsafe() gives by default)
SECRET_KEY_MIN_BYTES = 32
#: words that placeholder keys are made of ("changeme", "dev-secret-key", "your-secret-key-here", the testing key...)
_PLACEHOLDER = re.compile(
    "(?:"
    "change|me|it|secret|key|dev|development|test|testing|prod|production|default|example|sample|dummy|"
    "insecure|unsafe|not|password|replace|your|my|our|the|this|with|here|please|in|for|only|to|be|is|of|"
    "use|do|must|set|real|new|own|generate|put|some|random|long|string|value|flask|app|veilig|"
    "bedrijventerrein|todo|fixme|xxx"
    ")+"
)
_HOW_TO_MAKE_ONE = "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"


def weak_secret_key(key: str) -> str | None:
    """Why `key` is too weak to sign sessions, CSRF tokens and invitation/reset links in production, or None.

    A key is weak when it is shorter than SECRET_KEY_MIN_BYTES, is made of a few characters repeated, or is made
    of placeholder words only (however they are written or joined). A random key is none of these.
    """
    if len(key.encode()) < SECRET_KEY_MIN_BYTES:
        return f"it is shorter than {SECRET_KEY_MIN_BYTES} bytes"
    if len(set(key)) < 8:
        return "it repeats a few characters"
    if _PLACEHOLDER.fullmatch(re.sub(r"[^a-z]", "", key.lower())):
        return "it is a placeholder"
    return None


class Config:
    """Settings shared by every mode. Subclasses resolve what differs in `load()`."""

    ENV_NAME = "base"
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI = ""

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    #: a session ends this long after the sign-in, however active (app.auth.sessions)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    #: and sooner when idle this long: admins and camera officers (who reach the footage log), everyone else
    SESSION_IDLE_TIMEOUT_PRIVILEGED = timedelta(minutes=30)
    SESSION_IDLE_TIMEOUT = timedelta(hours=8)
    SEND_HSTS = True

    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session, so a long form is not lost

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ("nl", "en")

    INVITATION_MAX_AGE = timedelta(days=7)
    PASSWORD_RESET_MAX_AGE = timedelta(hours=2)
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_DURATION = timedelta(minutes=15)
    #: rate limits ("<n>/second|minute|hour|day", counted per clock period in app.ratelimit) on the mails a request
    #: makes the platform send: password resets per address and per client (IP), invitations per invited address
    #: and per inviting user
    PASSWORD_RESET_LIMIT_PER_ADDRESS = "3/hour"  # noqa: S105 - a rate, not a password
    PASSWORD_RESET_LIMIT_PER_CLIENT = "10/hour"  # noqa: S105 - a rate, not a password
    INVITATION_LIMIT_PER_ADDRESS = "3/hour"
    INVITATION_LIMIT_PER_INVITER = "20/hour"
    #: codes (authenticator or recovery code) one user may try after their password, right or wrong, besides the
    #: lock-out that wrong codes count in with wrong passwords
    TWO_FACTOR_LIMIT_PER_USER = "20/hour"
    #: how long after the right password the code may be given (or the authenticator set up) before the password
    #: is asked again
    TWO_FACTOR_PENDING_TIME = timedelta(minutes=5)

    MAIL_BACKEND = "smtp"
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_USE_STARTTLS = False
    MAIL_USE_SSL = False
    MAIL_TIMEOUT = 10
    MAIL_DEFAULT_SENDER = "Veilig Bedrijventerrein <noreply@localhost>"
    MAIL_MAX_ATTEMPTS = 8  # then the mail is marked failed (and kept); with the doubling delay about 2 hours
    MAIL_RETRY_FIRST_DELAY = timedelta(minutes=1)
    MAIL_SEND_LEASE = timedelta(minutes=10)
    #: mails handed to the SMTP server per minute at most, for a provider's limit (0: no limit); the rest waits
    MAIL_MAX_PER_MINUTE = 0

    #: how long the scheduler process firing the jobs holds its lease; a standby takes over within about this long
    #: after the leader dies (it renews every third of it, and a standby tries every few seconds)
    SCHEDULER_LEASE_SECONDS = 30

    #: the site's address as users reach it: every link for someone else (mails, PDFs, feed addresses) is built
    #: from it (app.links), never from the request's Host header
    BASE_URL = "http://127.0.0.1:5000"
    #: the Host headers served (Flask answers any other with 400): production always the host of BASE_URL plus the
    #: environment's TRUSTED_HOSTS; development and testing any host unless TRUSTED_HOSTS is set
    TRUSTED_HOSTS: list[str] | None = None

    MAP_TILE_URL = DEFAULT_TILE_URL
    MAP_TILE_ATTRIBUTION = DEFAULT_TILE_ATTRIBUTION
    #: printed maps (dossier, plan) fetch MAP_TILE_URL's tiles as their background when the document is made; off:
    #: the boundary and markers alone, with a note that the background is missing
    MAP_PRINT_TILES = True
    #: fetched tiles are kept here and fetched again after MAP_TILE_CACHE_DAYS days
    MAP_TILE_CACHE = str(INSTANCE_DIR / "tile-cache")
    MAP_TILE_CACHE_DAYS = 30
    #: seconds to wait for one tile, and for all tiles of one map; then the map goes without a background
    MAP_TILE_TIMEOUT = 3.0
    MAP_TILE_BUDGET = 10.0
    #: the most tiles one printed map fetches (the zoom is lowered until it fits)
    MAP_TILE_MAX = 48

    #: survey results never show a group of fewer respondents than this (k-anonymity)
    SURVEY_MIN_GROUP = 5
    #: a company gets a survey reminder at most once per this many days
    SURVEY_REMINDER_DAYS = 7
    #: answers through a survey's public link per client (IP address) and survey; counted in app.ratelimit, never
    #: stored with the answers
    SURVEY_PUBLIC_LIMIT = "5/hour"
    #: requests to the award's public signing pages per client (IP address): a link is 256 random bits, this only
    #: keeps a client from hammering the page
    AWARD_SIGNING_LIMIT = "30/minute"
    #: the proof of work the public link asks of a browser: it tries up to this many hashes (half that on average)
    SURVEY_PROOF_MAX_COUNTER = 20_000
    #: the owner of a calendar activity hears of it this many days before (in their digest)
    CALENDAR_REMINDER_DAYS = 7
    #: a camera offline longer than this alerts the camera officer and the operator; shorter blips are ignored
    CAMERA_OFFLINE_ALERT_HOURS = 4

    #: uploaded files (inspection photos) live here, outside static/, and are served only through views that
    #: check the park
    UPLOAD_FOLDER = str(INSTANCE_DIR / "uploads")
    #: "s3://bucket/prefix" keeps the uploads in that S3-compatible bucket instead (app.storage); endpoint and
    #: credentials come from boto3's environment (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, ...). Empty: UPLOAD_FOLDER
    STORAGE_URL = ""
    #: the largest photo accepted (a bigger request than MAX_CONTENT_LENGTH is refused before it is read)
    PHOTO_MAX_BYTES = 10 * 1024 * 1024

    #: the JSON API (flask-smorest): its OpenAPI document is served at /api/v1/openapi.json
    API_TITLE = "Veilig Bedrijventerrein API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    API_SPEC_OPTIONS = {"security": [{"bearer": []}]}
    #: requests per API token in a fixed window: "<n>/second|minute|hour|day"
    API_RATE_LIMIT = "600/minute"
    #: where every rate limit counts, shared by every worker and machine ("redis://host:6379/0"); without it each
    #: process counts on its own, which only suits a single process (the login lock-out is in the database either way)
    REDIS_URL: str | None = None

    #: identity providers for single sign-on kept in the environment: a JSON list (docs/sso.md), written to the
    #: database by `flask sso sync`; admins add more under Beheer > Inlogdiensten
    OIDC_PROVIDERS = ""
    #: seconds to wait for an identity provider's answer; then "not reachable" (password login stays possible)
    OIDC_HTTP_TIMEOUT = 5.0
    #: seconds a provider's discovery document and keys are kept; an unknown key id fetches the keys at once
    OIDC_METADATA_TTL = 3600

    #: reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0: none)
    PROXY_COUNT = 0

    #: every process logs to stdout: "json" (one object per line, for a log collector) or "text" (for a terminal)
    LOG_FORMAT = "text"
    LOG_LEVEL = "INFO"
    #: the bearer token Prometheus sends for /metrics; unset: /metrics answers 404
    METRICS_TOKEN: str | None = None

    @classmethod
    def load(cls) -> dict[str, object]:
        """Return this mode's settings with the environment applied."""
        settings = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
        env = os.environ
        settings.update(
            SECRET_KEY=env.get("SECRET_KEY") or cls.SECRET_KEY,
            SQLALCHEMY_DATABASE_URI=_database_url(env.get("DATABASE_URL") or cls.default_database_url()),
            MAIL_BACKEND=env.get("MAIL_BACKEND", cls.MAIL_BACKEND),
            MAIL_SERVER=env.get("MAIL_SERVER", cls.MAIL_SERVER),
            MAIL_PORT=_env_int("MAIL_PORT", cls.MAIL_PORT),
            MAIL_USERNAME=env.get("MAIL_USERNAME") or None,
            MAIL_PASSWORD=env.get("MAIL_PASSWORD") or None,
            MAIL_USE_STARTTLS=_env_bool("MAIL_USE_STARTTLS", cls.MAIL_USE_STARTTLS),
            MAIL_USE_SSL=_env_bool("MAIL_USE_SSL", cls.MAIL_USE_SSL),
            MAIL_DEFAULT_SENDER=env.get("MAIL_DEFAULT_SENDER", cls.MAIL_DEFAULT_SENDER),
            MAIL_MAX_ATTEMPTS=_env_int("MAIL_MAX_ATTEMPTS", cls.MAIL_MAX_ATTEMPTS),
            MAIL_SEND_LEASE=timedelta(
                seconds=_env_int("MAIL_SEND_LEASE_SECONDS", int(cls.MAIL_SEND_LEASE.total_seconds()))
            ),
            MAIL_MAX_PER_MINUTE=_env_int("MAIL_MAX_PER_MINUTE", cls.MAIL_MAX_PER_MINUTE),
            PERMANENT_SESSION_LIFETIME=_env_minutes("SESSION_LIFETIME_MINUTES", cls.PERMANENT_SESSION_LIFETIME),
            SESSION_IDLE_TIMEOUT_PRIVILEGED=_env_minutes(
                "SESSION_IDLE_MINUTES_PRIVILEGED", cls.SESSION_IDLE_TIMEOUT_PRIVILEGED
            ),
            SESSION_IDLE_TIMEOUT=_env_minutes("SESSION_IDLE_MINUTES", cls.SESSION_IDLE_TIMEOUT),
            SCHEDULER_LEASE_SECONDS=_env_int("SCHEDULER_LEASE_SECONDS", cls.SCHEDULER_LEASE_SECONDS),
            BASE_URL=env.get("BASE_URL", cls.BASE_URL),
            TRUSTED_HOSTS=(
                _trusted_hosts(env.get("BASE_URL", cls.BASE_URL), env["TRUSTED_HOSTS"])
                if env.get("TRUSTED_HOSTS")
                else None
            ),
            MAP_TILE_URL=env.get("MAP_TILE_URL", cls.MAP_TILE_URL),
            MAP_TILE_ATTRIBUTION=env.get("MAP_TILE_ATTRIBUTION", cls.MAP_TILE_ATTRIBUTION),
            MAP_PRINT_TILES=_env_bool("MAP_PRINT_TILES", cls.MAP_PRINT_TILES),
            MAP_TILE_CACHE=env.get("MAP_TILE_CACHE") or cls.MAP_TILE_CACHE,
            MAP_TILE_CACHE_DAYS=_env_int("MAP_TILE_CACHE_DAYS", cls.MAP_TILE_CACHE_DAYS),
            PROXY_COUNT=_env_int("PROXY_COUNT", cls.PROXY_COUNT),
            LOG_FORMAT=_log_format(env.get("LOG_FORMAT") or cls.LOG_FORMAT),
            LOG_LEVEL=(env.get("LOG_LEVEL") or cls.LOG_LEVEL).upper(),
            METRICS_TOKEN=env.get("METRICS_TOKEN") or None,
            API_RATE_LIMIT=env.get("API_RATE_LIMIT") or cls.API_RATE_LIMIT,
            REDIS_URL=env.get("REDIS_URL") or None,
            UPLOAD_FOLDER=env.get("UPLOAD_FOLDER") or cls.UPLOAD_FOLDER,
            STORAGE_URL=_storage_url(env.get("STORAGE_URL", cls.STORAGE_URL)),
            SURVEY_MIN_GROUP=_env_int("SURVEY_MIN_GROUP", cls.SURVEY_MIN_GROUP),
            SURVEY_REMINDER_DAYS=_env_int("SURVEY_REMINDER_DAYS", cls.SURVEY_REMINDER_DAYS),
            SURVEY_PUBLIC_LIMIT=env.get("SURVEY_PUBLIC_LIMIT") or cls.SURVEY_PUBLIC_LIMIT,
            TWO_FACTOR_LIMIT_PER_USER=env.get("TWO_FACTOR_LIMIT_PER_USER") or cls.TWO_FACTOR_LIMIT_PER_USER,
            AWARD_SIGNING_LIMIT=env.get("AWARD_SIGNING_LIMIT") or cls.AWARD_SIGNING_LIMIT,
            SURVEY_PROOF_MAX_COUNTER=_env_int("SURVEY_PROOF_MAX_COUNTER", cls.SURVEY_PROOF_MAX_COUNTER),
            CALENDAR_REMINDER_DAYS=_env_int("CALENDAR_REMINDER_DAYS", cls.CALENDAR_REMINDER_DAYS),
            CAMERA_OFFLINE_ALERT_HOURS=_env_int("CAMERA_OFFLINE_ALERT_HOURS", cls.CAMERA_OFFLINE_ALERT_HOURS),
            OIDC_PROVIDERS=env.get("OIDC_PROVIDERS", cls.OIDC_PROVIDERS),
            OIDC_HTTP_TIMEOUT=float(env.get("OIDC_HTTP_TIMEOUT") or cls.OIDC_HTTP_TIMEOUT),
            OIDC_METADATA_TTL=_env_int("OIDC_METADATA_TTL", cls.OIDC_METADATA_TTL),
        )
        return settings

    @classmethod
    def default_database_url(cls) -> str:
        return f"sqlite:///{INSTANCE_DIR / 'veilig-bedrijventerrein.sqlite'}"


class ProductionConfig(Config):
    ENV_NAME = "production"
    LOG_FORMAT = "json"

    @classmethod
    def load(cls) -> dict[str, object]:
        settings = super().load()
        key = settings["SECRET_KEY"]
        if not key:
            raise RuntimeError(
                f"SECRET_KEY must be set in production (APP_ENV=production). Make one with: {_HOW_TO_MAKE_ONE}"
            )
        if reason := weak_secret_key(key):
            raise RuntimeError(
                f"SECRET_KEY is too weak for production: {reason}. Use at least {SECRET_KEY_MIN_BYTES} random bytes,"
                f" made with: {_HOW_TO_MAKE_ONE}"
            )
        # an empty list would let every host through
        settings["TRUSTED_HOSTS"] = _trusted_hosts(settings["BASE_URL"], os.environ.get("TRUSTED_HOSTS"))
        if not settings["TRUSTED_HOSTS"]:
            raise RuntimeError(f"BASE_URL must be an absolute URL with a host name, not {settings['BASE_URL']!r}.")
        return settings


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    SEND_HSTS = False
    MAIL_BACKEND = "console"

    @classmethod
    def load(cls) -> dict[str, object]:
        settings = super().load()
        settings["SECRET_KEY"] = settings["SECRET_KEY"] or _development_secret_key()
        return settings


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key"  # noqa: S105 - only ever used by the test suite
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    SEND_HSTS = False
    MAIL_BACKEND = "console"
    #: the tests never reach the internet: a test that wants tiles points MAP_TILE_URL at a local server
    MAP_PRINT_TILES = False
    #: the tests' own servers (SMTP, tiles) would fill the output; a test of the logs sets its level itself
    LOG_LEVEL = "WARNING"

    @classmethod
    def default_database_url(cls) -> str:
        return "sqlite://"

    @classmethod
    def load(cls) -> dict[str, object]:
        settings = super().load()
        settings["SECRET_KEY"] = cls.SECRET_KEY
        settings["MAIL_BACKEND"] = cls.MAIL_BACKEND
        settings["MAP_PRINT_TILES"] = cls.MAP_PRINT_TILES
        settings["REDIS_URL"] = None  # a test that counts in Redis names its own
        settings["LOG_LEVEL"] = cls.LOG_LEVEL
        settings["SQLALCHEMY_DATABASE_URI"] = _database_url(
            os.environ.get("TEST_DATABASE_URL") or cls.default_database_url()
        )
        return settings


MODES: dict[str, type[Config]] = {
    "production": ProductionConfig,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}


def resolve(config: str | type[Config] | dict | None) -> dict[str, object]:
    """Turn create_app's argument (a mode name, a Config class, a dict of overrides or None) into settings.

    None reads APP_ENV (default development); a dict is applied on top of the testing settings.
    """
    if isinstance(config, dict):
        return {**TestingConfig.load(), **config}
    if config is None:
        config = os.environ.get("APP_ENV", "development")
    if isinstance(config, str):
        try:
            config = MODES[config]
        except KeyError:
            raise RuntimeError(f"APP_ENV must be one of {', '.join(MODES)}, not {config!r}.") from None
    return config.load()
