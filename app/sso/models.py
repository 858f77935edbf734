"""Identity providers, the accounts linked to their subjects, and the rules that turn their claims into roles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, String, Table, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Membership, Role, User
from app.db import Base, TimestampMixin, UTCDateTime, str_enum
from app.stakeholders.models import Organisation

DEFAULT_SCOPES = "openid email profile"

identity_provider_organisations = Table(
    "identity_provider_organisations",
    Base.metadata,
    Column("provider_id", ForeignKey("identity_providers.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
)


class IdentityProvider(TimestampMixin, Base):
    """An OpenID Connect provider people may sign in with ("Inloggen met <name>")."""

    __tablename__ = "identity_providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the provider's name in URLs and in the sign-in method ("oidc:<slug>")
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    #: the issuer exactly as the provider's discovery document and ID tokens state it
    issuer: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(200))
    #: the secret itself (entered by an admin), or empty when `client_secret_env` names the variable holding it
    client_secret: Mapped[str] = mapped_column(String(500), default="", server_default="")
    client_secret_env: Mapped[str] = mapped_column(String(100), default="", server_default="")
    scopes: Mapped[str] = mapped_column(String(500), default=DEFAULT_SCOPES, server_default=DEFAULT_SCOPES)
    #: the ID-token claim that lists the person's groups or roles, which the mapping rules match
    groups_claim: Mapped[str] = mapped_column(String(100), default="groups", server_default="groups")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    #: set by `flask sso sync` from OIDC_PROVIDERS: the next sync overwrites what an admin changed here
    from_environment: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))

    municipality: Mapped[Organisation | None] = relationship()
    organisations: Mapped[list[Organisation]] = relationship(
        secondary=identity_provider_organisations, order_by=Organisation.name
    )
    rules: Mapped[list[RoleRule]] = relationship(
        back_populates="provider", cascade="all, delete-orphan", order_by="RoleRule.id"
    )

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    def __repr__(self) -> str:
        return f"<IdentityProvider {self.slug}>"


class IdentityLink(TimestampMixin, Base):
    """One account's identity at one provider: the provider's stable subject, never the email address."""

    __tablename__ = "identity_links"
    __table_args__ = (UniqueConstraint("provider_id", "subject"), UniqueConstraint("provider_id", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("identity_providers.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    provider: Mapped[IdentityProvider] = relationship()
    user: Mapped[User] = relationship()


class RoleRule(TimestampMixin, Base):
    """A value in the provider's groups claim gives a role on every park of one municipality."""

    __tablename__ = "idp_role_rules"
    __table_args__ = (UniqueConstraint("provider_id", "claim_value", "role", "municipality_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("identity_providers.id", ondelete="CASCADE"))
    claim_value: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))

    provider: Mapped[IdentityProvider] = relationship(back_populates="rules")
    municipality: Mapped[Organisation] = relationship()


class RuleGrant(Base):
    """A membership that the rules of a provider gave, and so take away again when the claims no longer match."""

    __tablename__ = "idp_rule_grants"

    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"), primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("identity_providers.id", ondelete="CASCADE"), index=True)

    membership: Mapped[Membership] = relationship()
