"""The admin pages: providers, mapping rules, the organisations' password switch, and OIDC_PROVIDERS."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.errors import DomainError
from app.sso import services
from app.sso.models import IdentityProvider, RoleRule
from app.stakeholders.models import OrganisationType
from tests.factories import make_member, make_organisation, make_park

PROVIDER_FORM = {
    "provider-name": "Gemeente Amersfoort",
    "provider-slug": "amersfoort",
    "provider-issuer": "https://login.amersfoort.example/realms/medewerkers",
    "provider-client_id": "veilig-bedrijventerrein",
    "provider-client_secret": "",
    "provider-client_secret_env": "AMERSFOORT_OIDC_SECRET",
    "provider-scopes": "openid email profile",
    "provider-groups_claim": "roles",
    "provider-municipality_id": "0",
    "provider-enabled": "y",
}


def _actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action)))


def test_admin_adds_a_provider(login_as, admin, db):
    client = login_as(admin)
    response = client.post("/beheer/inlogdiensten/", data=PROVIDER_FORM)
    assert response.status_code == 302
    provider = db.session.scalar(select(IdentityProvider))
    assert (provider.slug, provider.groups_claim, provider.client_secret_env) == (
        "amersfoort",
        "roles",
        "AMERSFOORT_OIDC_SECRET",
    )
    assert provider.client_secret == ""
    assert "sso.provider_saved" in _actions(db)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "/inloggen/met/amersfoort/terug" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("provider-slug", "Met Spaties", "kleine letters, cijfers en streepjes"),
        ("provider-issuer", "http://login.example", "De issuer is een https-adres"),
        ("provider-scopes", "email profile", "De scopes bevatten altijd openid"),
    ],
)
def test_bad_provider_settings_are_clear_messages(login_as, admin, db, field, value, message):
    response = login_as(admin).post("/beheer/inlogdiensten/", data={**PROVIDER_FORM, field: value})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(IdentityProvider)) is None


def test_admin_edits_the_rules(login_as, admin, db, world):
    client = login_as(admin)
    page = client.get(f"/beheer/inlogdiensten/{world.provider.id}").get_data(as_text=True)
    assert "vb-gemeente" in page
    response = client.post(
        f"/beheer/inlogdiensten/{world.provider.id}/regels",
        data={
            "rule-claim_value": "vb-adviseurs",
            "rule-role": "advisor",
            "rule-municipality_id": world.municipality.id,
        },
    )
    assert response.status_code == 302
    assert {r.claim_value for r in world.provider.rules} == {"vb-gemeente", "vb-adviseurs"}
    response = client.post(f"/beheer/inlogdiensten/regels/{world.rule.id}/verwijderen")
    assert response.status_code == 302
    assert [r.claim_value for r in db.session.scalars(select(RoleRule))] == ["vb-adviseurs"]
    assert {"sso.rule_added", "sso.rule_removed"} <= set(_actions(db))


def test_a_rule_cannot_give_an_auditor_or_reach_another_municipality(login_as, admin, db, world):
    client = login_as(admin)
    response = client.post(
        f"/beheer/inlogdiensten/{world.provider.id}/regels",
        data={"rule-claim_value": "x", "rule-role": "auditor", "rule-municipality_id": world.municipality.id},
    )
    assert response.status_code == 422
    other = make_organisation(name="Gemeente Zeist")
    with pytest.raises(DomainError, match="hoort bij Gemeente Utrecht"):
        services.add_rule(admin, world.provider, claim_value="x", role=Role.PARTNER, municipality=other)


def test_only_admins_reach_the_pages(login_as, db, world):
    advisor = make_member(Role.ADVISOR, make_park())
    client = login_as(advisor)
    assert client.get("/beheer/inlogdiensten/").status_code == 403
    assert client.post(f"/beheer/inlogdiensten/regels/{world.rule.id}/verwijderen").status_code == 403


def test_admin_switches_password_login_off_for_an_organisation_with_a_provider(login_as, admin, db, world):
    client = login_as(admin)
    url = f"/beheer/inlogdiensten/organisaties/{world.municipality.id}/wachtwoord"
    assert client.post(url, data={"toegestaan": "nee"}).status_code == 302
    assert world.municipality.password_login is False
    assert "Inloggen met wachtwoord weer toestaan" in client.get(
        f"/beheer/organisaties/{world.municipality.id}"
    ).get_data(as_text=True)
    assert client.post(url, data={"toegestaan": "ja"}).status_code == 302
    assert world.municipality.password_login is True


def test_password_login_stays_on_without_a_provider_or_for_entrepreneurs(login_as, admin, db, world):
    client = login_as(admin)
    police = make_organisation(type=OrganisationType.POLITIE)
    response = client.post(f"/beheer/inlogdiensten/organisaties/{police.id}/wachtwoord", data={"toegestaan": "nee"})
    assert response.status_code == 400
    assert "Koppel eerst een actieve inlogdienst" in response.get_data(as_text=True)
    association = make_organisation(type=OrganisationType.ONDERNEMERSVERENIGING)
    world.provider.organisations.append(association)
    response = client.post(
        f"/beheer/inlogdiensten/organisaties/{association.id}/wachtwoord", data={"toegestaan": "nee"}
    )
    assert response.status_code == 400
    assert police.password_login and association.password_login


def test_providers_from_the_environment(db):
    make_organisation(name="Gemeente Utrecht")
    config = json.dumps(
        [
            {
                "slug": "utrecht",
                "name": "Gemeente Utrecht",
                "issuer": "https://login.utrecht.example",
                "client_id": "vb",
                "client_secret_env": "UTRECHT_SECRET",
                "municipality": "Gemeente Utrecht",
                "organisations": ["Gemeente Utrecht"],
            }
        ]
    )
    (provider,) = services.sync_from_environment(config)
    assert provider.from_environment and provider.municipality.name == "Gemeente Utrecht"
    assert services.client_secret(provider, {"UTRECHT_SECRET": "s3cret"}) == "s3cret"
    # a second sync updates the same provider
    (again,) = services.sync_from_environment(config.replace("vb", "vb2"))
    assert again is provider and provider.client_id == "vb2"
    with pytest.raises(DomainError, match="no organisation named"):
        services.sync_from_environment(
            '[{"slug": "x", "name": "X", "issuer": "https://x", "client_id": "c", "municipality": "Nergens"}]'
        )
    with pytest.raises(DomainError, match="not valid JSON"):
        services.sync_from_environment("[{")
