"""The demo's identity provider: the test provider of tests/oidc_provider.py, run by hand on port 9400."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import Role
from app.extensions import db
from app.sso.models import IdentityProvider, RoleRule
from app.stakeholders.models import Organisation

DEMO_PROVIDER_SLUG = "test"
DEMO_MUNICIPALITY = "Gemeente Utrecht"
#: the group the test provider's first user is in; it gives the municipality role on every park of Utrecht
DEMO_GROUP = "vb-gemeente"


def seed_demo(created: list, organisations: dict[str, Organisation]) -> IdentityProvider:
    """The "Test-inlogdienst" at http://127.0.0.1:9400 with client vb-test (its published test secret), tied to
    Gemeente Utrecht, and the rule DEMO_GROUP -> municipality on Utrecht's parks; made once, later changes kept."""
    provider = db.session.scalar(select(IdentityProvider).where(IdentityProvider.slug == DEMO_PROVIDER_SLUG))
    if provider is not None:
        return provider
    municipality = organisations[DEMO_MUNICIPALITY]
    provider = IdentityProvider(
        slug=DEMO_PROVIDER_SLUG,
        name="Test-inlogdienst",
        issuer="http://127.0.0.1:9400",
        client_id="vb-test",
        client_secret="vb-test-secret",  # noqa: S106 - the test provider's published secret, for trying locally
        municipality=municipality,
        organisations=[municipality],
        rules=[RoleRule(claim_value=DEMO_GROUP, role=Role.MUNICIPALITY, municipality=municipality)],
    )
    db.session.add(provider)
    created.append(provider)
    db.session.flush()
    return provider
