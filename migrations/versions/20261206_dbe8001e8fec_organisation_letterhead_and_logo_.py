"""organisation letterhead and logo, company language: what the letters and certificates print

Revision ID: dbe8001e8fec
Revises: b4e7d2c91f3a
Create Date: 2026-12-06 01:28:28.552538

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "dbe8001e8fec"
down_revision = "b4e7d2c91f3a"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=5), server_default="nl", nullable=False))

    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("logo_name", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("letter_address", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("signatory_name", sa.String(length=200), server_default="", nullable=False))
        batch_op.add_column(sa.Column("signatory_function", sa.String(length=200), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("signatory_function")
        batch_op.drop_column("signatory_name")
        batch_op.drop_column("letter_address")
        batch_op.drop_column("logo_name")

    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.drop_column("language")
