"""Withdrawn overrides: `override_withdrawals` records that a reviewer took an override out of force,
why, by whom and when (the override itself stays as it was). Append-only like the overrides.

Revision ID: 0008_override_withdrawals
Revises: 0007_dashboard_indexes
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_override_withdrawals"
down_revision: str | None = "0007_dashboard_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "override_withdrawals"


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("override_fk", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("withdrawn_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["override_fk"], ["overrides.id"], name="fk_override_withdrawals_override_fk_overrides"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_override_withdrawals"),
        sa.UniqueConstraint("override_fk", name="uq_override_withdrawals_override_fk"),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {TABLE}_no_{action.lower()} BEFORE {action} ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, '{TABLE} are append-only'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION amnesty_append_only()"
        )


def downgrade() -> None:
    """Revert this migration."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update")
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_delete")
    elif dialect == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_change ON {TABLE}")
    op.drop_table(TABLE)
