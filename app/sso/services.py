"""Signing in through an OpenID Connect provider: discovery and keys (cached), the authorization code flow with PKCE,
the ID token's checks, subject links and the role-mapping rules.

Functions take `now` explicitly, flush and never commit: the caller commits once.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from flask_babel import gettext as _
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from sqlalchemy import select

from app import audit
from app.auth.models import Membership, Role, User
from app.auth.policy import ensure_can
from app.auth.services import find_user_by_email, normalise_email
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.forms import CONTROL_CHARACTERS
from app.sso.models import DEFAULT_SCOPES, IdentityLink, IdentityProvider, RoleRule, RuleGrant
from app.stakeholders.models import Organisation, OrganisationType

#: organisations of entrepreneurs, whose people always keep their password
ENTREPRENEUR_ORGANISATIONS = frozenset({OrganisationType.ONDERNEMERSVERENIGING, OrganisationType.BRANCHEVERENIGING})

#: signature algorithms accepted on ID tokens (never "none", never a shared-secret HMAC)
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"]
#: seconds of clock difference tolerated on exp and iat
LEEWAY = 60


class ProviderUnavailable(DomainError):
    """The provider could not be reached or answered nonsense: try again later, or sign in with a password."""

    status_code = 503


class SignInFailed(DomainError):
    """The provider's answer did not pass a check (state, code, signature, claims)."""


class NoAccess(NotAllowed):
    """The person is known to the provider but has no account or role here."""


@dataclass(frozen=True)
class Settings:
    """The configuration the flow needs (OIDC_HTTP_TIMEOUT, OIDC_METADATA_TTL)."""

    timeout: float
    metadata_ttl: float


def settings_from(config: Mapping[str, Any]) -> Settings:
    return Settings(timeout=config["OIDC_HTTP_TIMEOUT"], metadata_ttl=config["OIDC_METADATA_TTL"])


#: the session key that says which provider (and ID token) the session was signed in with, for the logout
SIGNED_IN = "oidc_signed_in"


# Discovery and keys ------------------------------------------------------------------------------
# Per process: each worker fetches a provider's documents once per OIDC_METADATA_TTL; a token signed with a key
# the cached set lacks makes it fetch the set again at once (the provider rotated its keys).

_metadata: dict[str, tuple[float, dict[str, Any]]] = {}
_keysets: dict[str, tuple[float, KeySet]] = {}


def forget_cached_documents() -> None:
    """Drop every cached discovery document and key set of this process (a test's fresh start)."""
    _metadata.clear()
    _keysets.clear()


def _unreachable(provider: IdentityProvider) -> ProviderUnavailable:
    return ProviderUnavailable(
        _("%(name)s is op dit moment niet bereikbaar. Probeer het later opnieuw.", name=provider.name)
    )


def _fetch_json(provider: IdentityProvider, url: str, settings: Settings) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=settings.timeout)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError):
        raise _unreachable(provider) from None
    if not isinstance(document, dict):
        raise _unreachable(provider)
    return document


def metadata(provider: IdentityProvider, settings: Settings) -> dict[str, Any]:
    """The provider's discovery document (cached). Raises ProviderUnavailable when it cannot be fetched or names
    another issuer than the one configured (OpenID Connect Discovery §4.3)."""
    cached = _metadata.get(provider.issuer)
    if cached is not None and time.monotonic() - cached[0] < settings.metadata_ttl:
        return cached[1]
    document = _fetch_json(provider, provider.issuer.rstrip("/") + "/.well-known/openid-configuration", settings)
    endpoints = ("authorization_endpoint", "token_endpoint", "jwks_uri")
    if document.get("issuer") != provider.issuer or not all(isinstance(document.get(e), str) for e in endpoints):
        raise ProviderUnavailable(
            _("%(name)s is niet goed ingesteld (de issuer of de endpoints kloppen niet).", name=provider.name)
        )
    _metadata[provider.issuer] = (time.monotonic(), document)
    return document


def _keyset(provider: IdentityProvider, document: dict[str, Any], settings: Settings, *, fresh: bool) -> KeySet:
    uri = document["jwks_uri"]
    cached = _keysets.get(uri)
    if not fresh and cached is not None and time.monotonic() - cached[0] < settings.metadata_ttl:
        return cached[1]
    try:
        keyset = KeySet.import_key_set(_fetch_json(provider, uri, settings))  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError):
        raise ProviderUnavailable(
            _("%(name)s is niet goed ingesteld (de sleutels zijn onleesbaar).", name=provider.name)
        ) from None
    _keysets[uri] = (time.monotonic(), keyset)
    return keyset


# The flow -----------------------------------------------------------------------------------------


def client_secret(provider: IdentityProvider, environ: Mapping[str, str]) -> str:
    """The client secret: from the environment variable the provider names, else as stored."""
    if provider.client_secret_env:
        return environ.get(provider.client_secret_env, "")
    return provider.client_secret


def _client(provider: IdentityProvider, redirect_uri: str, environ: Mapping[str, str], settings: Settings):
    return OAuth2Session(
        client_id=provider.client_id,
        client_secret=client_secret(provider, environ),
        scope=provider.scopes,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        timeout=settings.timeout,
    )


def begin(
    provider: IdentityProvider, *, redirect_uri: str, environ: Mapping[str, str], settings: Settings
) -> tuple[str, dict[str, str]]:
    """Where to send the browser to sign in at `provider`, and what to keep in the session until it comes back:
    a fresh state, nonce and PKCE code verifier. Raises ProviderUnavailable."""
    document = metadata(provider, settings)
    pending = {
        "provider": provider.slug,
        "state": secrets.token_urlsafe(32),
        "nonce": secrets.token_urlsafe(32),
        "verifier": secrets.token_urlsafe(48),
    }
    with _client(provider, redirect_uri, environ, settings) as client:
        url, _state = client.create_authorization_url(
            document["authorization_endpoint"],
            state=pending["state"],
            nonce=pending["nonce"],
            code_verifier=pending["verifier"],
        )
    return url, pending


def _expired_attempt() -> SignInFailed:
    return SignInFailed(
        _("Deze inlogpoging is verlopen of kwam niet van deze site. Er is niets gebeurd; probeer opnieuw in te loggen.")
    )


def finish(
    provider: IdentityProvider,
    pending: Mapping[str, str] | None,
    args: Mapping[str, str],
    *,
    redirect_uri: str,
    environ: Mapping[str, str],
    settings: Settings,
    now: datetime,
) -> tuple[dict[str, Any], str]:
    """Check the provider's answer on the redirect back and redeem the code: the ID token's claims and the token.

    The state must equal the one kept in this browser's session (one attempt, one use); the code is redeemed
    with the PKCE verifier; the ID token must be signed by one of the provider's keys and name the configured
    issuer, this client as audience, the nonce of this attempt, and not be expired. Raises SignInFailed or
    ProviderUnavailable.
    """
    state = args.get("state", "")
    if not pending or pending.get("provider") != provider.slug or not secrets.compare_digest(pending["state"], state):
        raise _expired_attempt()
    if args.get("error"):
        raise SignInFailed(_("%(name)s heeft het inloggen niet toegestaan of afgebroken.", name=provider.name))
    code = args.get("code", "")
    if not code or len(code) > 2000:
        raise _expired_attempt()
    document = metadata(provider, settings)
    try:
        with _client(provider, redirect_uri, environ, settings) as client:
            token = client.fetch_token(document["token_endpoint"], code=code, code_verifier=pending["verifier"])
    except OAuthError:
        # invalid_grant: a code that was used before, has expired or was not issued for this verifier
        raise SignInFailed(
            _(
                "%(name)s weigerde de inlogcode (al gebruikt of verlopen). Probeer opnieuw in te loggen.",
                name=provider.name,
            )
        ) from None
    except (requests.RequestException, ValueError):
        raise _unreachable(provider) from None
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise SignInFailed(_("%(name)s stuurde geen geldig ID-token.", name=provider.name))
    return validate_id_token(provider, document, id_token, nonce=pending["nonce"], settings=settings, now=now), id_token


def validate_id_token(
    provider: IdentityProvider,
    document: dict[str, Any],
    id_token: str,
    *,
    nonce: str,
    settings: Settings,
    now: datetime,
) -> dict[str, Any]:
    """The claims of an ID token that passes every check (see `finish`); SignInFailed otherwise. A key id the
    cached key set lacks fetches the set again once, which is how a key rotation at the provider is followed."""
    invalid = SignInFailed(_("Het ID-token van %(name)s is niet geldig ondertekend.", name=provider.name))
    try:
        try:
            token = jwt.decode(id_token, _keyset(provider, document, settings, fresh=False), algorithms=ALGORITHMS)
        except InvalidKeyIdError:
            token = jwt.decode(id_token, _keyset(provider, document, settings, fresh=True), algorithms=ALGORITHMS)
    except (JoseError, ValueError, TypeError):
        raise invalid from None
    claims = token.claims
    registry = jwt.JWTClaimsRegistry(
        now=int(now.timestamp()),
        leeway=LEEWAY,
        iss={"essential": True, "value": provider.issuer},
        aud={"essential": True, "value": provider.client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except JoseError as error:
        claim = getattr(error, "claim", "")
        if claim == "exp" or error.error == "expired_token":
            raise SignInFailed(
                _("Het ID-token van %(name)s is verlopen. Probeer opnieuw in te loggen.", name=provider.name)
            ) from None
        if claim == "iss":
            raise SignInFailed(
                _("Het ID-token komt niet van %(name)s (onbekende uitgever). Er is niet ingelogd.", name=provider.name)
            ) from None
        raise SignInFailed(
            _("Het ID-token van %(name)s klopt niet (%(claim)s).", name=provider.name, claim=claim)
        ) from None
    subject = claims["sub"]
    if not isinstance(subject, str) or not 0 < len(subject) <= 255 or CONTROL_CHARACTERS.search(subject):
        raise invalid
    return claims


def end_session_url(
    provider: IdentityProvider, id_token: str, *, post_logout_redirect_uri: str, settings: Settings
) -> str | None:
    """Where to send the browser to sign out at the provider too (RP-initiated logout), or None when the provider
    does not offer it or cannot be reached (the local session has ended either way)."""
    try:
        endpoint = metadata(provider, settings).get("end_session_endpoint")
    except ProviderUnavailable:
        return None
    if not isinstance(endpoint, str):
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": post_logout_redirect_uri,
            "client_id": provider.client_id,
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def logout_url(signed_in: object, *, post_logout_redirect_uri: str, settings: Settings) -> str | None:
    """For a session signed in through a provider (`signed_in`, what the session keeps under SIGNED_IN): where
    the logout goes next to end the provider's session as well; None for any other session."""
    if not isinstance(signed_in, dict):
        return None
    provider = enabled_provider(str(signed_in.get("provider", "")))
    if provider is None:
        return None
    return end_session_url(
        provider,
        str(signed_in.get("id_token", "")),
        post_logout_redirect_uri=post_logout_redirect_uri,
        settings=settings,
    )


# Accounts -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """Who the provider says signed in."""

    subject: str
    email: str | None
    name: str
    groups: frozenset[str] = field(default_factory=frozenset)


def identity_from_claims(provider: IdentityProvider, claims: Mapping[str, Any]) -> Identity:
    """The person in a validated ID token. The email counts only when the provider verified it; the groups are
    the values of the provider's groups claim (a list or a single string)."""
    raw_groups = claims.get(provider.groups_claim, [])
    if isinstance(raw_groups, str):
        raw_groups = [raw_groups]
    groups = frozenset(g for g in raw_groups if isinstance(g, str)) if isinstance(raw_groups, list) else frozenset()
    email = claims.get("email")
    verified = claims.get("email_verified") is True
    usable = isinstance(email, str) and verified and 3 <= len(email) <= 254 and not CONTROL_CHARACTERS.search(email)
    email = normalise_email(email) if usable else None
    name = claims.get("name")
    name = CONTROL_CHARACTERS.sub("", name).strip() if isinstance(name, str) else ""
    return Identity(subject=claims["sub"], email=email, name=(name or email or claims["sub"])[:200], groups=groups)


def enabled_providers() -> list[IdentityProvider]:
    """The providers offered on the login page."""
    return list(
        db.session.scalars(select(IdentityProvider).where(IdentityProvider.enabled).order_by(IdentityProvider.name))
    )


def enabled_provider(slug: str) -> IdentityProvider | None:
    if not _SLUG.match(slug):
        return None
    return db.session.scalar(select(IdentityProvider).where(IdentityProvider.slug == slug, IdentityProvider.enabled))


def _link(provider: IdentityProvider, user: User, subject: str) -> IdentityLink:
    link = IdentityLink(provider=provider, user=user, subject=subject)
    db.session.add(link)
    audit.record(None, "sso.linked", user, details={"provider": provider.slug}, actor_label=f"oidc:{provider.slug}")
    return link


def sign_in(
    provider: IdentityProvider, identity: Identity, *, invited: User | None, now: datetime, ip: str | None
) -> User:
    """The account an identity signs in to, its rule-granted roles brought up to date with the identity's groups.

    1. A subject linked before: that account.
    2. Otherwise, arriving through an invitation link: the subject is linked to the invited account (an account
       is linked to one subject per provider).
    3. Otherwise, when the provider's rules grant the identity a role: a new account from the claims (a verified
       email that no account has yet), linked to the subject.
    4. Otherwise NoAccess: nothing is created. An email that matches an existing account never links by itself.

    Every sign-in and every refusal is audited (the refusal by the caller, which rolls back first).
    """
    link = db.session.scalar(
        select(IdentityLink).where(IdentityLink.provider_id == provider.id, IdentityLink.subject == identity.subject)
    )
    if link is not None:
        user = link.user
    elif invited is not None:
        if db.session.scalar(
            select(IdentityLink.id).where(IdentityLink.provider_id == provider.id, IdentityLink.user_id == invited.id)
        ):
            raise SignInFailed(
                _("Dit account is al gekoppeld aan een andere identiteit bij %(name)s.", name=provider.name)
            )
        user = invited
        link = _link(provider, user, identity.subject)
    else:
        if not _matching_rules(provider, identity.groups):
            raise _no_access(provider)
        if identity.email is None:
            raise NoAccess(
                _(
                    "%(name)s gaf geen bevestigd e-mailadres door; zonder dat kan geen account worden gemaakt.",
                    name=provider.name,
                )
            )
        if find_user_by_email(identity.email) is not None:
            raise NoAccess(
                _(
                    "Er bestaat al een account met %(email)s, maar het is niet gekoppeld aan %(name)s. Vraag uw "
                    "beheerder om een uitnodiging; via die link koppelt u het account.",
                    email=identity.email,
                    name=provider.name,
                )
            )
        organisations = provider.organisations
        user = User(
            email=identity.email,
            name=identity.name,
            organisation=organisations[0] if len(organisations) == 1 else None,
        )
        db.session.add(user)
        audit.record(
            None, "sso.account_created", user, details={"provider": provider.slug}, actor_label=f"oidc:{provider.slug}"
        )
        link = _link(provider, user, identity.subject)
    if not user.is_active:
        raise NoAccess(_("Uw account is geblokkeerd. Vraag uw beheerder."))
    sync_rule_memberships(provider, user, identity.groups)
    link.last_login_at = now
    user.last_login_at = now
    audit.record(user, "sso.login", user, details={"provider": provider.slug, "ip": ip})
    db.session.flush()
    return user


def _no_access(provider: IdentityProvider) -> NoAccess:
    return NoAccess(
        _(
            "U bent bekend bij %(name)s, maar heeft nog geen toegang tot Veilig Bedrijventerrein. Vraag uw beheerder "
            "om toegang.",
            name=provider.name,
        )
    )


def _matching_rules(provider: IdentityProvider, groups: frozenset[str]) -> list[RoleRule]:
    return [rule for rule in provider.rules if rule.claim_value in groups]


def sync_rule_memberships(provider: IdentityProvider, user: User, groups: frozenset[str]) -> None:
    """Give `user` the municipality-wide roles the provider's rules grant for `groups`, and take away the ones
    these rules granted before that no longer match. Roles an admin granted by hand are left alone (and a rule
    adds nothing where the same role is already held)."""
    wanted = {(rule.role, rule.municipality_id): rule for rule in _matching_rules(provider, groups)}
    grants = db.session.scalars(
        select(RuleGrant)
        .join(Membership, RuleGrant.membership_id == Membership.id)
        .where(RuleGrant.provider_id == provider.id, Membership.user_id == user.id)
    ).all()
    held = {(grant.membership.role, grant.membership.municipality_id) for grant in grants}
    label = f"oidc:{provider.slug}"
    for grant in grants:
        membership = grant.membership
        if (membership.role, membership.municipality_id) in wanted:
            continue
        audit.record(
            None,
            "auth.role_revoked",
            user,
            details={"role": membership.role.value, "municipality_id": membership.municipality_id, "rule": True},
            actor_label=label,
        )
        db.session.delete(grant)
        user.memberships.remove(membership)
    for (role, municipality_id), rule in wanted.items():
        if (role, municipality_id) in held or any(
            m.role == role and m.municipality_id == municipality_id and m.park_id is None for m in user.memberships
        ):
            continue
        membership = Membership(user=user, role=role, municipality=rule.municipality)
        db.session.add(membership)
        db.session.add(RuleGrant(membership=membership, provider_id=provider.id))
        audit.record(
            None,
            "auth.role_granted",
            user,
            details={"role": role.value, "municipality_id": municipality_id, "rule": rule.id},
            actor_label=label,
        )
    db.session.flush()


def record_refusal(provider: IdentityProvider, error: DomainError, *, ip: str | None) -> None:
    """Audit a sign-in through `provider` that was refused, with the reason shown."""
    audit.record(
        None,
        "sso.login_failed",
        provider,
        details={"provider": provider.slug, "reason": type(error).__name__, "message": error.message, "ip": ip},
        actor_label=f"oidc:{provider.slug}",
    )
    db.session.flush()


# Administration -----------------------------------------------------------------------------------

#: the roles a rule may grant: an auditor's access is per park and temporary, so it is given by hand only
RULE_ROLES = tuple(role for role in Role if role != Role.AUDITOR)
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


@dataclass(frozen=True)
class ProviderFields:
    """What an admin (or OIDC_PROVIDERS) sets on a provider."""

    slug: str
    name: str
    issuer: str
    client_id: str
    client_secret: str = ""
    client_secret_env: str = ""
    scopes: str = DEFAULT_SCOPES
    groups_claim: str = "groups"
    enabled: bool = True
    municipality: Organisation | None = None
    organisations: tuple[Organisation, ...] = ()


def _check_fields(fields: ProviderFields, provider: IdentityProvider | None) -> None:
    problems = []
    if not _SLUG.match(fields.slug):
        problems.append(_("De korte naam bestaat uit kleine letters, cijfers en streepjes (hoogstens 40)."))
    elif db.session.scalar(
        select(IdentityProvider.id).where(
            IdentityProvider.slug == fields.slug, IdentityProvider.id != (provider.id if provider else None)
        )
    ):
        problems.append(_("Er is al een inlogdienst met deze korte naam."))
    issuer = urlsplit(fields.issuer)
    if not issuer.hostname or not (
        issuer.scheme == "https" or (issuer.scheme == "http" and issuer.hostname in _LOOPBACK)
    ):
        problems.append(_("De issuer is een https-adres (http alleen op deze computer, om te proberen)."))
    if "openid" not in fields.scopes.split():
        problems.append(_("De scopes bevatten altijd openid."))
    if not fields.name.strip() or not fields.client_id.strip():
        problems.append(_("Vul een naam en een client-id in."))
    if fields.municipality is not None and fields.municipality.type != OrganisationType.GEMEENTE:
        problems.append(_("Kies als gemeente een organisatie van het type gemeente."))
    if problems:
        raise DomainError("\n".join(problems), problems)


def save_provider(actor: User | None, provider: IdentityProvider | None, fields: ProviderFields) -> IdentityProvider:
    """Create a provider (`provider` None) or change one. Admins only (or the environment sync, `actor` None).
    An empty client secret keeps the stored one; a secret environment variable replaces a stored secret."""
    if actor is not None:
        ensure_can(actor, "admin.manage")
    _check_fields(fields, provider)
    if provider is None:
        provider = IdentityProvider()
        db.session.add(provider)
    provider.slug = fields.slug
    provider.name = fields.name.strip()
    provider.issuer = fields.issuer.strip()
    provider.client_id = fields.client_id.strip()
    provider.client_secret_env = fields.client_secret_env.strip()
    if provider.client_secret_env:
        provider.client_secret = ""
    elif fields.client_secret:
        provider.client_secret = fields.client_secret
    provider.scopes = " ".join(fields.scopes.split())
    provider.groups_claim = fields.groups_claim.strip() or "groups"
    provider.enabled = fields.enabled
    provider.municipality = fields.municipality
    provider.organisations = list(fields.organisations)
    provider.from_environment = actor is None
    _metadata.pop(provider.issuer, None)
    audit.record(
        actor,
        "sso.provider_saved",
        provider,
        details={"slug": provider.slug, "issuer": provider.issuer, "enabled": provider.enabled},
    )
    db.session.flush()
    return provider


def add_rule(
    actor: User, provider: IdentityProvider, *, claim_value: str, role: Role, municipality: Organisation
) -> RoleRule:
    """A rule: whoever's groups claim holds `claim_value` gets `role` on every park of `municipality`, from their
    next sign-in on. Admins only. Not for auditors; the municipality is the provider's, when it has one."""
    ensure_can(actor, "admin.manage")
    claim_value = claim_value.strip()
    if not claim_value:
        raise DomainError(_("Vul de waarde uit de groepenclaim in."))
    if role not in RULE_ROLES:
        raise DomainError(_("Een auditor krijgt alleen met de hand tijdelijk toegang, niet via een regel."))
    if municipality.type != OrganisationType.GEMEENTE:
        raise DomainError(_("Kies als gemeente een organisatie van het type gemeente."))
    if provider.municipality is not None and municipality != provider.municipality:
        raise DomainError(
            _(
                "%(provider)s hoort bij %(municipality)s: een regel geeft alleen daar rollen.",
                provider=provider.name,
                municipality=provider.municipality.name,
            )
        )
    if any(r.claim_value == claim_value and r.role == role and r.municipality == municipality for r in provider.rules):
        raise DomainError(_("Deze regel bestaat al."))
    rule = RoleRule(provider=provider, claim_value=claim_value, role=role, municipality=municipality)
    db.session.add(rule)
    audit.record(
        actor,
        "sso.rule_added",
        provider,
        details={"claim_value": claim_value, "role": role.value, "municipality_id": municipality.id},
    )
    db.session.flush()
    return rule


def remove_rule(actor: User, rule: RoleRule) -> None:
    """Delete a rule. Admins only. The roles it granted go at each person's next sign-in (or by hand now)."""
    ensure_can(actor, "admin.manage")
    audit.record(
        actor,
        "sso.rule_removed",
        rule.provider,
        details={"claim_value": rule.claim_value, "role": rule.role.value, "municipality_id": rule.municipality_id},
    )
    rule.provider.rules.remove(rule)
    db.session.flush()


def providers_of(organisation: Organisation) -> list[IdentityProvider]:
    return [p for p in enabled_providers() if organisation in p.organisations]


def set_password_login(actor: User, organisation: Organisation, *, allowed: bool) -> None:
    """Switch the password login of an organisation's people on or off. Admins only. It goes off only when an
    enabled identity provider is tied to the organisation (or nobody there could sign in), and never for an
    entrepreneurs' association (entrepreneurs keep their password)."""
    ensure_can(actor, "admin.manage")
    if not allowed:
        if organisation.type in ENTREPRENEUR_ORGANISATIONS:
            raise DomainError(_("Ondernemers houden hun wachtwoord: voor deze organisatie blijft het aan."))
        if not providers_of(organisation):
            raise DomainError(
                _(
                    "Koppel eerst een actieve inlogdienst aan %(name)s; anders kan daar niemand meer inloggen.",
                    name=organisation.name,
                )
            )
    organisation.password_login = allowed
    audit.record(actor, "sso.password_login_set", organisation, details={"allowed": allowed})
    db.session.flush()


def sync_from_environment(config: str) -> list[IdentityProvider]:
    """Create or update the providers OIDC_PROVIDERS describes (a JSON list, see docs/sso.md), by slug; the
    providers it does not name are left as they are. Raises DomainError on a malformed description."""
    try:
        entries = json.loads(config or "[]")
    except ValueError as error:
        raise DomainError(f"OIDC_PROVIDERS is not valid JSON: {error}") from None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise DomainError("OIDC_PROVIDERS must be a JSON list of objects")
    saved = []
    for entry in entries:
        try:
            fields = ProviderFields(
                slug=str(entry["slug"]),
                name=str(entry["name"]),
                issuer=str(entry["issuer"]),
                client_id=str(entry["client_id"]),
                client_secret_env=str(entry.get("client_secret_env", "")),
                scopes=str(entry.get("scopes", DEFAULT_SCOPES)),
                groups_claim=str(entry.get("groups_claim", "groups")),
                enabled=bool(entry.get("enabled", True)),
                municipality=_organisation_named(entry.get("municipality")),
                organisations=tuple(_organisation_named(n) for n in entry.get("organisations", [])),
            )
        except KeyError as error:
            raise DomainError(f"OIDC_PROVIDERS: an entry lacks {error}") from None
        existing = db.session.scalar(select(IdentityProvider).where(IdentityProvider.slug == fields.slug))
        saved.append(save_provider(None, existing, fields))
    return saved


def _organisation_named(name: object) -> Organisation | None:
    if name is None:
        return None
    organisation = db.session.scalar(select(Organisation).where(Organisation.name == str(name)))
    if organisation is None:
        raise DomainError(f"OIDC_PROVIDERS: no organisation named {name!r}")
    return organisation
