"""Integrity: decisions and overrides become append-only in the database itself, and TRUNCATE is
refused on the audit trail, decisions and overrides (PostgreSQL).

On SQLite, triggers refuse UPDATE and DELETE on `decisions` and `overrides` (SQLite has no TRUNCATE;
`DELETE` without WHERE is refused by the same triggers, and by the existing ones on `audit_events`).
On PostgreSQL, one trigger function refuses UPDATE and DELETE row by row, and statement-level
`BEFORE TRUNCATE` triggers refuse TRUNCATE of `audit_events`, `audit_head`, `decisions` and
`overrides` (also when reached through `TRUNCATE ... CASCADE`).

Records written before this revision carry no digest in the audit trail: the upgrade appends one
`integrity.baseline` event that commits to the content of every existing record, so that
`amnesty audit verify` can check them from now on.

Revision ID: 0005_integrity
Revises: 0006_charge_facts
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_integrity"
down_revision: str | None = "0006_charge_facts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY_TABLES = ("decisions", "overrides")
NO_TRUNCATE_TABLES = ("audit_events", "audit_head", "decisions", "overrides")


def _sqlite_triggers() -> list[str]:
    statements = []
    for table in APPEND_ONLY_TABLES:
        for action in ("UPDATE", "DELETE"):
            statements.append(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END"
            )
    return statements


def _postgres_triggers() -> list[str]:
    statements = [
        "CREATE OR REPLACE FUNCTION amnesty_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION '% are append-only (% refused)', TG_TABLE_NAME, TG_OP; END; $$ "
        "LANGUAGE plpgsql"
    ]
    for table in APPEND_ONLY_TABLES:
        statements.append(
            f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION amnesty_append_only()"
        )
    for table in NO_TRUNCATE_TABLES:
        statements.append(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION amnesty_append_only()"
        )
    return statements


def _baseline() -> None:
    """One event committing to every record that exists already (none on a fresh database)."""
    from amnesty.audit.chain import event_hash
    from amnesty.audit.rows import UnitKind, stored_digests, unit_name

    connection = op.get_bind()
    rows = {
        unit_name(kind, key): found for kind in UnitKind for key, found in stored_digests(connection, kind)
    }
    if not rows:
        return
    head = connection.execute(sa.text("SELECT seq, hash FROM audit_head WHERE id = 1")).one()
    seq, previous = int(head.seq) + 1, str(head.hash)
    at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    details = {"rows": rows}
    digest = event_hash(seq, at, "system", "integrity.baseline", "audit", "-", details, previous)
    connection.execute(
        sa.text(
            "INSERT INTO audit_events (seq, at, actor, action, object_type, object_id, details, prev_hash, hash) "
            "VALUES (:seq, :at, 'system', 'integrity.baseline', 'audit', '-', :details, :prev, :hash)"
        ),
        {"seq": seq, "at": at, "details": json.dumps(details), "prev": previous, "hash": digest},
    )
    connection.execute(
        sa.text("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1"), {"seq": seq, "hash": digest}
    )


def upgrade() -> None:
    """Apply this migration."""
    dialect = op.get_bind().dialect.name
    statements = {"sqlite": _sqlite_triggers, "postgresql": _postgres_triggers}.get(dialect)
    for statement in statements() if statements else []:
        op.execute(statement)
    _baseline()


def downgrade() -> None:
    """Revert this migration."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in APPEND_ONLY_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    elif dialect == "postgresql":
        for table in APPEND_ONLY_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
        for table in NO_TRUNCATE_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION IF EXISTS amnesty_append_only()")
