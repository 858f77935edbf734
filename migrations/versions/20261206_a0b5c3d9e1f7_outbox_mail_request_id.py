"""The outbox keeps the id of the request that queued a mail, to log its delivery under it.

Revision ID: a0b5c3d9e1f7
Revises: 5e1a77c0b2d4
Create Date: 2026-12-06 04:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a0b5c3d9e1f7"
down_revision = "5e1a77c0b2d4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_mails", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_id", sa.String(length=128), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_mails", schema=None) as batch_op:
        batch_op.drop_column("request_id")
