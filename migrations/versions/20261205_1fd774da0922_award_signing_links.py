"""award signing links: the signatory's address, personal signing links, and how and from where a signature came

Revision ID: 1fd774da0922
Revises: 7d3e5b1a9c42
Create Date: 2026-12-05 18:52:28.126056

Stakeholders get the authorised signatory's email address; signing links keep only the digest of their token;
signatures record how they were given (the earlier ones: logged in) and a keyed hash of the signer's IP address.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1fd774da0922'
down_revision = '7d3e5b1a9c42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('award_signing_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('stakeholder_id', sa.Integer(), nullable=False),
    sa.Column('token_digest', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('function', sa.String(length=200), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['award_id'], ['awards.id'], name=op.f('fk_award_signing_links_award_id_awards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_award_signing_links_sent_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['stakeholder_id'], ['stakeholders.id'], name=op.f('fk_award_signing_links_stakeholder_id_stakeholders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_signing_links')),
    sa.UniqueConstraint('token_digest', name=op.f('uq_award_signing_links_token_digest'))
    )
    with op.batch_alter_table('award_signing_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_signing_links_award_id'), ['award_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_signing_links_stakeholder_id'), ['stakeholder_id'], unique=False)

    with op.batch_alter_table('award_signatures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('method', sa.Enum('account', 'link', name='signedby', native_enum=False, length=32), server_default='account', nullable=False))
        batch_op.add_column(sa.Column('client_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('link_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_award_signatures_link_id_award_signing_links'), 'award_signing_links', ['link_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('stakeholders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signatory_email', sa.String(length=254), nullable=True))



def downgrade():
    with op.batch_alter_table('stakeholders', schema=None) as batch_op:
        batch_op.drop_column('signatory_email')

    with op.batch_alter_table('award_signatures', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_award_signatures_link_id_award_signing_links'), type_='foreignkey')
        batch_op.drop_column('link_id')
        batch_op.drop_column('client_hash')
        batch_op.drop_column('method')

    with op.batch_alter_table('award_signing_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_signing_links_stakeholder_id'))
        batch_op.drop_index(batch_op.f('ix_award_signing_links_award_id'))

    op.drop_table('award_signing_links')
