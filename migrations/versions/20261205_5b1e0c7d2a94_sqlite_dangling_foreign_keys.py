"""sqlite: apply the ON DELETE rules that never ran while foreign keys were off

Revision ID: 5b1e0c7d2a94
Revises: 469283572ca6
Create Date: 2026-12-05 12:40:00.000000

Until now SQLite ran with foreign keys off, so deleting a row left the rows that refer to it in place where
PostgreSQL cascades (or sets NULL). Such an orphan could even attach itself to a new row that reuses the deleted
id (a membership of a deleted park to the next park). Now that every connection enforces foreign keys, this
applies those rules once to what is left: orphans under ON DELETE CASCADE are deleted, under SET NULL their
reference is cleared. Orphans under RESTRICT / NO ACTION have no rule to apply and are reported, not touched.
PostgreSQL always enforced the rules: nothing to do there.
"""
import logging

from alembic import op


# revision identifiers, used by Alembic.
revision = '5b1e0c7d2a94'
down_revision = '469283572ca6'
branch_labels = None
depends_on = None

logger = logging.getLogger("alembic.runtime.migration")


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    # the migrations run with foreign keys off (env.py): a deleted orphan's own orphans show up in the next round
    while True:
        applied = 0
        left = {}
        for table, rowid, parent, fk_id in bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall():
            columns, on_delete = _foreign_key(bind, table, fk_id)
            if on_delete == "CASCADE":
                bind.exec_driver_sql(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))
            elif on_delete == "SET NULL":
                assignments = ", ".join(f'"{column}" = NULL' for column in columns)
                bind.exec_driver_sql(f'UPDATE "{table}" SET {assignments} WHERE rowid = ?', (rowid,))
            else:
                left[(table, parent)] = left.get((table, parent), 0) + 1
                continue
            applied += 1
        if not applied:
            break
    for (table, parent), count in sorted(left.items()):
        logger.warning("%s rows of %s refer to %s rows that no longer exist; left as they are", count, table, parent)


def downgrade():
    pass  # the deleted orphans pointed nowhere; there is nothing to put back


def _foreign_key(bind, table, fk_id):
    rows = [row for row in bind.exec_driver_sql(f'PRAGMA foreign_key_list("{table}")') if row[0] == fk_id]
    return [row[3] for row in rows], rows[0][6]
