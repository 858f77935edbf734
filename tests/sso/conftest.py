"""The single sign-on tests sign in through a real OpenID Connect provider process (tests/oidc_provider.py)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from app.auth.models import Role
from app.sso import services
from app.sso.models import IdentityProvider, RoleRule
from app.stakeholders.models import Organisation
from tests.factories import make_organisation, make_park
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, OidcProvider


@pytest.fixture(scope="session")
def oidc_process():
    with OidcProvider() as process:
        yield process


@pytest.fixture
def op(oidc_process):
    """The provider process, back to its first user and counters, with nothing of it cached in the app."""
    oidc_process.reset()
    services.forget_cached_documents()
    yield oidc_process
    services.forget_cached_documents()


@dataclass
class World:
    provider: IdentityProvider
    municipality: Organisation
    rule: RoleRule


@pytest.fixture
def world(db, op) -> World:
    """A provider for the process, tied to a municipality with a park; group "vb-gemeente" gives the municipality
    role on its parks."""
    municipality = make_organisation(name="Gemeente Utrecht")
    make_park(name="Lage Weide", municipality=municipality)
    provider = IdentityProvider(
        slug="test",
        name="Test-inlogdienst",
        issuer=op.issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        municipality=municipality,
        organisations=[municipality],
    )
    rule = RoleRule(provider=provider, claim_value="vb-gemeente", role=Role.MUNICIPALITY, municipality=municipality)
    db.session.add_all([provider, rule])
    db.session.flush()
    return World(provider, municipality, rule)


def authorize(client, path: str = "/inloggen/met/test"):
    """Start a sign-in in `client` and let the provider answer: (the callback path with its query, the start
    response)."""
    start = client.get(path)
    assert start.status_code == 302, start.get_data(as_text=True)
    answer = requests.get(start.headers["Location"], allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    return f"{back.path}?{back.query}", start


def sign_in(client, path: str = "/inloggen/met/test"):
    """The whole round trip; the callback's response."""
    callback, _start = authorize(client, path)
    return client.get(callback)


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
