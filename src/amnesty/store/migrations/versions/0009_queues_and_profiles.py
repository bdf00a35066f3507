"""Review queue assignment: `review_claims`, who has taken a decision waiting for review (one row per
decision, the reviewer indexed for the "taken by me" view); `user_profiles`, the full name and the
organisation of an account (a table of its own: the `users` rows are sealed by the audit trail).

Revision ID: 0009_queues_and_profiles
Revises: 0008_override_withdrawals
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_queues_and_profiles"
down_revision: str | None = "0008_override_withdrawals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "review_claims",
        sa.Column("decision_fk", sa.Integer(), sa.ForeignKey("decisions.id"), primary_key=True),
        sa.Column("reviewer", sa.String(64), nullable=False),
        sa.Column("assigned_by", sa.String(64), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_review_claims_reviewer", "review_claims", ["reviewer"])
    op.create_table(
        "user_profiles",
        sa.Column("user_fk", sa.Integer(), sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("full_name", sa.String(200), nullable=True),
        sa.Column("organisation", sa.String(200), nullable=True),
    )


def downgrade() -> None:
    """Revert this migration."""
    op.drop_table("user_profiles")
    op.drop_index("ix_review_claims_reviewer", table_name="review_claims")
    op.drop_table("review_claims")
