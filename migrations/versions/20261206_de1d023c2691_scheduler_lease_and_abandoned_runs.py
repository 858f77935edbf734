"""scheduler lease and abandoned runs: the lease row of the scheduler that fires the jobs, and who runs each run

Revision ID: de1d023c2691
Revises: a0b5c3d9e1f7
Create Date: 2026-12-06 04:20:00.000000

job_runs.status is a plain string column (str_enum, no native enum, no check constraint), so the new status
"abandoned" needs no type change; a downgrade turns abandoned runs into failed ones, which the older code knows.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "de1d023c2691"
down_revision = "a0b5c3d9e1f7"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "scheduler_leases",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduler_leases")),
    )
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("holder", sa.String(length=200), nullable=True))


def downgrade():
    op.execute("UPDATE job_runs SET status = 'failed' WHERE status = 'abandoned'")
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.drop_column("holder")
    op.drop_table("scheduler_leases")
