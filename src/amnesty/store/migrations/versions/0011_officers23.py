"""Finding "possibly the same person" by full name and birth date (`amnesty.store.bulk`
`persons_by_name_and_birth`, used by the new-case form and every import) without reading the register:
on PostgreSQL an index on the compared form of the name (`NAME_KEY_SQL`: lower case, ё as е, runs of
spaces as one) and the birth date; on SQLite (whose `lower` is the application's own function) an
index on the birth date.

Revision ID: 0011_officers23
Revises: 0010_record_facts
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011_officers23"
down_revision: str | None = "0010_record_facts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME_KEY_SQL = "replace(replace(replace(lower(trim(full_name)), 'ё', 'е'), '  ', ' '), '  ', ' ')"
"""As `amnesty.store.bulk.NAME_KEY_SQL` on the day of this revision (a migration does not follow later
code)."""


def upgrade() -> None:
    """Add the index."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_persons_name_key_birth ON persons (({NAME_KEY_SQL}), birth_date)")
    else:
        op.create_index("ix_persons_birth_date", "persons", ["birth_date"])


def downgrade() -> None:
    """Drop the index."""
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_persons_name_key_birth", table_name="persons")
    else:
        op.drop_index("ix_persons_birth_date", table_name="persons")
