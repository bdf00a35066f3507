"""Search indexes: the columns and indexes the list, dashboard and review queries need.

- `decisions.release_mode` and `decisions.new_end_date` (copied from the decision's sentence) so that
  "releases due" is an indexed query instead of reading every decision's JSON; existing rows are
  filled from their JSON.
- indexes on `persons.full_name` (sort by name), `decisions (release_mode, new_end_date)`,
  `decisions (needs_review, provisional)`, `cases (person_fk, id)`, `tasks (person_fk, status)`; on
  PostgreSQL a `varchar_pattern_ops` index on `persons.iin` for IIN-prefix search.

Revision ID: 0002_search_indexes
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_search_indexes"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("release_mode", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("new_end_date", sa.Date(), nullable=True))
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            "UPDATE decisions SET release_mode = decision->'sentence'->>'release', "
            "new_end_date = (decision->'sentence'->>'new_end_date')::date "
            "WHERE json_typeof(decision->'sentence') = 'object'"
        )
        op.execute("CREATE INDEX ix_persons_iin_prefix ON persons (iin varchar_pattern_ops)")
    else:
        op.execute(
            "UPDATE decisions SET release_mode = json_extract(decision, '$.sentence.release'), "
            "new_end_date = json_extract(decision, '$.sentence.new_end_date') "
            "WHERE json_type(decision, '$.sentence') = 'object'"
        )
    op.create_index("ix_persons_full_name", "persons", ["full_name"])
    op.create_index("ix_decisions_release", "decisions", ["release_mode", "new_end_date"])
    op.create_index("ix_decisions_review", "decisions", ["needs_review", "provisional"])
    op.create_index("ix_cases_person_id", "cases", ["person_fk", "id"])
    op.create_index("ix_tasks_person_status", "tasks", ["person_fk", "status"])


def downgrade() -> None:
    """Revert this migration."""
    op.drop_index("ix_tasks_person_status", table_name="tasks")
    op.drop_index("ix_cases_person_id", table_name="cases")
    op.drop_index("ix_decisions_review", table_name="decisions")
    op.drop_index("ix_decisions_release", table_name="decisions")
    op.drop_index("ix_persons_full_name", table_name="persons")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_persons_iin_prefix")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_column("new_end_date")
        batch_op.drop_column("release_mode")
