"""camera findings: what became of a major finding in the plan (queued until the park has a plan, or an action)

Revision ID: 7c3d91a4e2b6
Revises: 1fd774da0922
Create Date: 2026-12-05 19:10:00.000000

Major findings that already became an action are marked as such; the ones recorded on a park without a plan were
dropped silently before and stay without a state (the check page says they made no action).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7c3d91a4e2b6'
down_revision = '1fd774da0922'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('camera_check_scores', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'plan_state',
                sa.Enum('wacht', 'actie', name='findingplanstate', native_enum=False, length=32),
                nullable=True,
            )
        )
        batch_op.create_index(batch_op.f('ix_camera_check_scores_plan_state'), ['plan_state'], unique=False)
    scores = sa.table('camera_check_scores', sa.column('action_id', sa.Integer()), sa.column('plan_state', sa.String()))
    op.execute(scores.update().where(scores.c.action_id.is_not(None)).values(plan_state='actie'))


def downgrade():
    with op.batch_alter_table('camera_check_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_camera_check_scores_plan_state'))
        batch_op.drop_column('plan_state')
