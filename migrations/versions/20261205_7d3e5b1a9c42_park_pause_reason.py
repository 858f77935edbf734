"""park pause: the reason and the moment of the park's status (gepauzeerd)

Revision ID: 7d3e5b1a9c42
Revises: c854aaff1df8
Create Date: 2026-12-05 19:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7d3e5b1a9c42"
down_revision = "c854aaff1df8"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("parks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status_reason", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("parks", schema=None) as batch_op:
        batch_op.drop_column("status_changed_at")
        batch_op.drop_column("status_reason")
