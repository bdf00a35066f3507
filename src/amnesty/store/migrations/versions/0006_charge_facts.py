"""Charge facts some kinds of offence depend on: the point of the part and whether the victim was a minor.

Both columns are nullable: null is 'not known' (or not applicable), which the engine answers with
`needs_review` where the Criminal Code's art. 3 makes the kind depend on the fact. It runs before
0005_integrity (which seals the rows written before it), so that the rows sealed have every column.

Revision ID: 0006_charge_facts
Revises: 0004_jobs
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_charge_facts"
down_revision: str | None = "0004_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    with op.batch_alter_table("charges", schema=None) as batch_op:
        batch_op.add_column(sa.Column("point", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("victim_minor", sa.Boolean(), nullable=True))


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("charges", schema=None) as batch_op:
        batch_op.drop_column("victim_minor")
        batch_op.drop_column("point")
