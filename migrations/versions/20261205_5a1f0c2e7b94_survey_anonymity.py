"""survey anonymity: random response ids without a day, opening periods, personal links kept without their secret half

Revision ID: 5a1f0c2e7b94
Revises: 3c6b92762ba4
Create Date: 2026-12-05 13:40:00.000000

Responses get random ids and lose their day (they keep the survey's opening period instead); invitations lose the
moments they were opened and used, and keep only the id half of their link instead of the token (the other half
is derived from SECRET_KEY); the contact requests lose their creation moment. Personal links made before this migration stop working, both
ways: print or mail the letters again.
"""
import random
import secrets
import uuid
from collections.abc import Callable
from datetime import date

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5a1f0c2e7b94'
down_revision = '3c6b92762ba4'
branch_labels = None
depends_on = None

LINK_HALF_BYTES = 12  # a link id of 16 characters
TOKEN_BYTES = 24  # the tokens before this migration: 32 characters


def _rebuild_responses(id_column: sa.Column, moment: sa.Column, extra: Callable[[], dict]) -> None:
    """Create survey_responses anew with this id and moment column, keeping every answer set; each row gets
    `extra()` (its id and moment). The rows go in shuffled: their physical order would otherwise still follow the
    order of answering."""
    bind = op.get_bind()
    kept = sa.table('survey_responses', sa.column('survey_id'), sa.column('answers', sa.JSON()), sa.column('via_public_link'))
    rows = [dict(row._mapping) for row in bind.execute(sa.select(kept))]
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_responses_survey_id'))
    op.drop_table('survey_responses')
    table = op.create_table(
        'survey_responses',
        id_column,
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        moment,
        sa.Column('via_public_link', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ['survey_id'], ['surveys.id'], name=op.f('fk_survey_responses_survey_id_surveys'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses')),
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_responses_survey_id'), ['survey_id'], unique=False)
    random.SystemRandom().shuffle(rows)
    if rows:
        op.bulk_insert(table, [{**row, **extra()} for row in rows])


def _new_link_ids(column: str, length: int) -> None:
    """A fresh random value in `column` of every invitation (the link tokens of either version)."""
    bind = op.get_bind()
    invitations = sa.table('survey_invitations', sa.column('id', sa.Integer()), sa.column(column))
    for (invitation_id,) in bind.execute(sa.select(invitations.c.id)).all():
        bind.execute(
            invitations.update()
            .where(invitations.c.id == invitation_id)
            .values({column: secrets.token_urlsafe(length)})
        )


def upgrade():
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('period', sa.SmallInteger(), server_default='1', nullable=False))
    _rebuild_responses(
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('period', sa.SmallInteger(), nullable=False),
        lambda: {'id': uuid.uuid4(), 'period': 1},
    )

    with op.batch_alter_table('survey_invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link_id', sa.String(length=16), nullable=True))
    _new_link_ids('link_id', LINK_HALF_BYTES)
    with op.batch_alter_table('survey_invitations', schema=None) as batch_op:
        batch_op.alter_column('link_id', existing_type=sa.String(length=16), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_survey_invitations_link_id'), ['link_id'])
        batch_op.drop_constraint(batch_op.f('uq_survey_invitations_token'), type_='unique')
        batch_op.drop_column('token')
        batch_op.drop_column('opened_at')
        batch_op.drop_column('used_at')

    with op.batch_alter_table('survey_contacts', schema=None) as batch_op:
        batch_op.drop_column('created_at')


def downgrade():
    with op.batch_alter_table('survey_contacts', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'created_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False
            )
        )

    with op.batch_alter_table('survey_invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('used_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('token', sa.String(length=64), nullable=True))
    _new_link_ids('token', TOKEN_BYTES)
    with op.batch_alter_table('survey_invitations', schema=None) as batch_op:
        batch_op.alter_column('token', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_survey_invitations_token'), ['token'])
        batch_op.drop_constraint(batch_op.f('uq_survey_invitations_link_id'), type_='unique')
        batch_op.drop_column('link_id')

    # the day of answering is gone for good: the day of the downgrade stands in for it
    _rebuild_responses(
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submitted_on', sa.Date(), nullable=False),
        lambda: {'submitted_on': date.today()},
    )

    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_column('period')
