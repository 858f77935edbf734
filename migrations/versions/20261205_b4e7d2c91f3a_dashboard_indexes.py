"""dashboard indexes: the open surveys, their invitations per status and the plans' actions per status and due
date without reading the rows

Revision ID: b4e7d2c91f3a
Revises: 7c3d91a4e2b6
Create Date: 2026-12-05 20:20:00.000000

A survey's row holds its definition (some 18 kB, on overflow pages in SQLite) before its status and dates, so
finding the open surveys of thousands of parks read every survey whole (80 ms of the admin's city dashboard at
4,000 parks); a covering index on the status with the listed columns answers that alone. The invitations' index on
the survey becomes one on (survey, status), so that the response rates count index entries, not rows; it still
serves every lookup by survey. Likewise the plan actions' index on the plan becomes one on (plan, status, due
date), the columns the plans' progress counts read (the tracking and the dashboard).
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b4e7d2c91f3a'
down_revision = '7c3d91a4e2b6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.create_index(
            'ix_surveys_status_listing', ['status', 'park_id', 'title', 'opens_on', 'closes_on'], unique=False
        )
    with op.batch_alter_table('survey_invitations', schema=None) as batch_op:
        batch_op.create_index('ix_survey_invitations_survey_id_status', ['survey_id', 'status'], unique=False)
        batch_op.drop_index('ix_survey_invitations_survey_id')
    with op.batch_alter_table('plan_actions', schema=None) as batch_op:
        batch_op.create_index('ix_plan_actions_plan_id_status_due_on', ['plan_id', 'status', 'due_on'], unique=False)
        batch_op.drop_index('ix_plan_actions_plan_id')


def downgrade():
    with op.batch_alter_table('plan_actions', schema=None) as batch_op:
        batch_op.create_index('ix_plan_actions_plan_id', ['plan_id'], unique=False)
        batch_op.drop_index('ix_plan_actions_plan_id_status_due_on')
    with op.batch_alter_table('survey_invitations', schema=None) as batch_op:
        batch_op.create_index('ix_survey_invitations_survey_id', ['survey_id'], unique=False)
        batch_op.drop_index('ix_survey_invitations_survey_id_status')
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_index('ix_surveys_status_listing')
