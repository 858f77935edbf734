"""survey letter in English: the text companies whose contact reads English get

Revision ID: 5e1a77c0b2d4
Revises: dbe8001e8fec
Create Date: 2026-12-06 01:50:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e1a77c0b2d4"
down_revision = "dbe8001e8fec"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("letter_text_en", sa.Text(), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.drop_column("letter_text_en")
