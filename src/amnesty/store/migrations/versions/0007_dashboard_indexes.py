"""Dashboard indexes: the statistics read indexes, not the wide decision rows.

- `persons (region, role)`: the persons counts by region and role are an index-only scan.
- `decisions (outcome, needs_review, provisional, case_fk, sequence)`: the counts of the newest
  decision of every case by outcome and review state are an index-only scan (the newest-decision
  probe uses the unique `(case_fk, sequence)` key).
- `persons (updated_at)`, `cases (updated_at)`, `tasks (updated_at)`: the register's version
  (`amnesty.service.snapshot`) is index lookups.

Measured on a 50,000-person SQLite register: the dashboard's counting queries went from about
0.9 s to about 0.3 s (BENCHMARKS.md, "Service").

Revision ID: 0007_dashboard_indexes
Revises: 0005_integrity
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007_dashboard_indexes"
down_revision: str | None = "0005_integrity"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    op.create_index("ix_persons_region_role", "persons", ["region", "role"])
    op.create_index(
        "ix_decisions_outcome_review",
        "decisions",
        ["outcome", "needs_review", "provisional", "case_fk", "sequence"],
    )
    for table in ("persons", "cases", "tasks"):
        op.create_index(f"ix_{table}_updated_at", table, ["updated_at"])


def downgrade() -> None:
    """Revert this migration."""
    for table in ("persons", "cases", "tasks"):
        op.drop_index(f"ix_{table}_updated_at", table_name=table)
    op.drop_index("ix_decisions_outcome_review", table_name="decisions")
    op.drop_index("ix_persons_region_role", table_name="persons")
