"""The facts some laws read and others ignore (CONTRACT.md, "Several laws"), and numbers as text.

Persons: sex, veteran, pregnancy, children under 18, sole parent, disabled dependant, disability group,
negative conduct, malicious violator, crime while serving, objection. Sentences: a commuted death
sentence, the unpaid part of a fine. Charges: the Criminal Code, damage, civil claim, criminal group,
intoxication. Every new column is nullable with no server default: the rows written before keep null
there, which reads as the record model's default ("not known", or `false` where the contract says so),
and which the audit trail's canonical form leaves out (`amnesty.audit.rows.LATE_COLUMNS`), so the
rows sealed before this migration keep their digests.

A charge's article, part and point become text: an inserted article or part is written "188-1",
"1-1", and a point of the 1997 Code may be a letter. The text of a whole number is its digits, which
the canonical form reads back as the number (`amnesty.audit.rows`), so digests do not change either.

Revision ID: 0010_record_facts
Revises: 0009_queues_and_profiles
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_record_facts"
down_revision: str | None = "0009_queues_and_profiles"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERSON_FLAGS = (
    "veteran",
    "pregnant",
    "children_under_18",
    "sole_parent",
    "disabled_dependant",
    "negative_conduct",
    "malicious_violator",
    "crime_while_serving",
    "objects",
)
CHARGE_FLAGS = ("civil_claim", "criminal_group", "intoxicated")
NUMBERS = ("article", "part", "point")


def upgrade() -> None:
    """Apply this migration."""
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sex", sa.String(10), nullable=True))
        for name in PERSON_FLAGS:
            batch_op.add_column(sa.Column(name, sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("disability_group", sa.Integer(), nullable=True))
    with op.batch_alter_table("sentences", schema=None) as batch_op:
        batch_op.add_column(sa.Column("death_commuted", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("fine_unpaid_mci", sa.Float(), nullable=True))
    with op.batch_alter_table("charges", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(12), nullable=True))
        batch_op.add_column(sa.Column("damage", sa.String(12), nullable=True))
        for name in CHARGE_FLAGS:
            batch_op.add_column(sa.Column(name, sa.Boolean(), nullable=True))
        for name in NUMBERS:
            batch_op.alter_column(
                name,
                existing_type=sa.Integer(),
                type_=sa.String(8),
                existing_nullable=name != "article",
                postgresql_using=f"{name}::text",
            )


def downgrade() -> None:
    """Revert this migration (an inserted number "188-1" or a letter point cannot go back: refused)."""
    bind = op.get_bind()
    for name in NUMBERS:
        query = f"SELECT DISTINCT {name} FROM charges WHERE {name} IS NOT NULL"  # noqa: S608 (a fixed name)
        values = bind.execute(sa.text(query))
        if any(not str(value).isdigit() for (value,) in values):
            raise RuntimeError(f"some charges have a {name} that is no whole number: cannot go back")
    with op.batch_alter_table("charges", schema=None) as batch_op:
        for name in NUMBERS:
            batch_op.alter_column(
                name,
                existing_type=sa.String(8),
                type_=sa.Integer(),
                existing_nullable=name != "article",
                postgresql_using=f"{name}::integer",
            )
        for name in (*CHARGE_FLAGS, "damage", "code"):
            batch_op.drop_column(name)
    # plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy of `persons` would drop a table
    # that `cases` refers to
    op.drop_column("sentences", "fine_unpaid_mci")
    op.drop_column("sentences", "death_commuted")
    for name in ("disability_group", *PERSON_FLAGS, "sex"):
        op.drop_column("persons", name)
