"""single sign-on: identity providers, the accounts linked to their subjects, the rules that map claims to roles,
and the organisations' switch for password login

Revision ID: dd62de1a5254
Revises: 2ca22e0bd76f
Create Date: 2026-12-06 07:31:22.557425

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'dd62de1a5254'
down_revision = '2ca22e0bd76f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('identity_providers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('issuer', sa.String(length=500), nullable=False),
    sa.Column('client_id', sa.String(length=200), nullable=False),
    sa.Column('client_secret', sa.String(length=500), server_default='', nullable=False),
    sa.Column('client_secret_env', sa.String(length=100), server_default='', nullable=False),
    sa.Column('scopes', sa.String(length=500), server_default='openid email profile', nullable=False),
    sa.Column('groups_claim', sa.String(length=100), server_default='groups', nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('from_environment', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['organisations.id'], name=op.f('fk_identity_providers_municipality_id_organisations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_providers')),
    sa.UniqueConstraint('slug', name=op.f('uq_identity_providers_slug'))
    )
    op.create_table('identity_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['provider_id'], ['identity_providers.id'], name=op.f('fk_identity_links_provider_id_identity_providers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_identity_links_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_links')),
    sa.UniqueConstraint('provider_id', 'subject', name=op.f('uq_identity_links_provider_id_subject')),
    sa.UniqueConstraint('provider_id', 'user_id', name=op.f('uq_identity_links_provider_id_user_id'))
    )
    with op.batch_alter_table('identity_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_links_user_id'), ['user_id'], unique=False)

    op.create_table('identity_provider_organisations',
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_identity_provider_organisations_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['provider_id'], ['identity_providers.id'], name=op.f('fk_identity_provider_organisations_provider_id_identity_providers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('provider_id', 'organisation_id', name=op.f('pk_identity_provider_organisations'))
    )
    op.create_table('idp_role_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('claim_value', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('entrepreneur', 'advisor', 'municipality', 'partner', 'camera_officer', 'auditor', name='role', native_enum=False, length=32), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['organisations.id'], name=op.f('fk_idp_role_rules_municipality_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['provider_id'], ['identity_providers.id'], name=op.f('fk_idp_role_rules_provider_id_identity_providers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idp_role_rules')),
    sa.UniqueConstraint('provider_id', 'claim_value', 'role', 'municipality_id', name=op.f('uq_idp_role_rules_provider_id_claim_value_role_municipality_id'))
    )
    op.create_table('idp_rule_grants',
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_idp_rule_grants_membership_id_memberships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['provider_id'], ['identity_providers.id'], name=op.f('fk_idp_rule_grants_provider_id_identity_providers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('membership_id', name=op.f('pk_idp_rule_grants'))
    )
    with op.batch_alter_table('idp_rule_grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idp_rule_grants_provider_id'), ['provider_id'], unique=False)

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_login', sa.Boolean(), server_default=sa.true(), nullable=False))



def downgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('password_login')

    with op.batch_alter_table('idp_rule_grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idp_rule_grants_provider_id'))

    op.drop_table('idp_rule_grants')
    op.drop_table('idp_role_rules')
    op.drop_table('identity_provider_organisations')
    with op.batch_alter_table('identity_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_links_user_id'))

    op.drop_table('identity_links')
    op.drop_table('identity_providers')
