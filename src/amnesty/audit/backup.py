"""Backup and restore of the system of record, each verified before it is declared good.

SQLite is copied with its online backup API (consistent while the service runs). A copy is good when
its schema revision is one this software knows, its audit chain verifies (every event, every record
against its event) and agrees with the anchors written outside the database, and -- for a restore --
the restored database holds exactly the rows of the backup. PostgreSQL is backed up and restored with
its own tools (`pg_dump`, `pg_restore`, see `postgres_instructions`), then checked with
`amnesty db check --expect MANIFEST`.

Every backup gets a manifest beside it (`FILE.manifest.json`: revision, row counts, audit head).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select, table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from amnesty.audit.anchor import AnchorReading, anchor_key, anchor_path, append_anchor, read_anchors
from amnesty.audit.chain import AuditReport, verify_chain
from amnesty.store.db import is_sqlite, make_engine, make_sessionmaker, normalise_url
from amnesty.store.migrate import alembic_config, current_revision, head_revision
from amnesty.store.models import AuditHead, Base

MANIFEST_SUFFIX = ".manifest.json"


class BackupError(Exception):
    """A backup or restore could not be made or did not verify (the message says what was found)."""


def _known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return {rev.revision for rev in script.walk_revisions()}


@dataclass(frozen=True)
class DatabaseCheck:
    """What a database holds and whether it can be trusted."""

    url: str
    revision: str | None
    counts: dict[str, int]
    audit: AuditReport
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True when nothing was found."""
        return not self.problems

    def to_json_dict(self) -> dict[str, Any]:
        """JSON shape (also the manifest of a backup)."""
        return {
            "ok": self.ok,
            "database": self.url,
            "revision": self.revision,
            "software_revision": head_revision(),
            "counts": self.counts,
            "audit": self.audit.to_json_dict(),
            "problems": list(self.problems),
        }


def _safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def check_database(
    url: str, anchors: AnchorReading | None = None, expected_counts: dict[str, int] | None = None
) -> DatabaseCheck:
    """Schema revision, row counts, the audit chain with its records, and the anchors (the
    database's own anchor file unless `anchors` is given); `expected_counts` must match exactly."""
    resolved = normalise_url(url)
    engine = make_engine(resolved)
    problems: list[str] = []
    try:
        revision = current_revision(engine)
        if revision is None:
            problems.append("no schema revision: this is not an amnesty database (or it is empty)")
        elif revision not in _known_revisions():
            problems.append(
                f"schema revision {revision} is unknown to this software (made by a newer version?)"
            )
        present = set(inspect(engine).get_table_names())
        counts: dict[str, int] = {}
        with engine.connect() as connection:
            for name in sorted(Base.metadata.tables):
                if name in present:
                    counts[name] = int(connection.scalar(select(func.count()).select_from(table(name))) or 0)
        for name, wanted in sorted((expected_counts or {}).items()):
            found = counts.get(name)
            if found != wanted:
                problems.append(
                    f"table {name}: {found if found is not None else 'missing'} rows, expected {wanted}"
                )
        with make_sessionmaker(engine)() as db:
            report = verify_chain(db, anchors=anchors)
            db.rollback()
        problems.extend(
            f"audit: {problem.problem}" + (f" [{problem.row}]" if problem.row else "")
            for problem in report.problems
        )
    finally:
        engine.dispose()
    return DatabaseCheck(_safe_url(resolved), revision, counts, report, tuple(problems))


def _sqlite_file(url: str) -> Path:
    database = make_url(normalise_url(url)).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(database)


def postgres_instructions(url: str, file: Path) -> str:
    """The commands that back up and restore a PostgreSQL database, and check the result."""
    parsed = make_url(normalise_url(url)).set(drivername="postgresql")
    shown = parsed.render_as_string(hide_password=True)
    return (
        "PostgreSQL is backed up and restored with its own tools (amnesty does not copy it itself):\n"
        f"  amnesty db check --json > '{file}{MANIFEST_SUFFIX}'      # revision, row counts, audit head\n"
        f"  pg_dump --format=custom --file='{file}' '{shown}'\n"
        "to restore (into an empty database, with the service stopped):\n"
        f"  pg_restore --exit-on-error --no-owner --dbname='{shown}' '{file}'\n"
        f"  amnesty db check --expect '{file}{MANIFEST_SUFFIX}'   # declared good only if this passes\n"
        "Keep the anchor file (AMNESTY_AUDIT_ANCHOR) of the database: `db check` compares the restored\n"
        "audit chain with it. See docs/security.md."
    )


def _copy_sqlite(source: Path, target: Path) -> None:
    """Copy one SQLite database into another with the online backup API."""
    with sqlite3.connect(str(source)) as source_db, sqlite3.connect(str(target)) as target_db:
        source_db.backup(target_db)
    source_db.close()
    target_db.close()


def _head_of(url: str) -> int:
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as db:
            head = db.get(AuditHead, 1)
            return head.seq if head else 0
    except SQLAlchemyError:
        return 0
    finally:
        engine.dispose()


def backup_sqlite(url: str, file: Path) -> DatabaseCheck:
    """Copy the SQLite database at `url` into `file` and verify the copy (against the source's
    anchors); writes the manifest beside it. Raises `BackupError` if the copy does not verify."""
    source = _sqlite_file(url)
    if not source.exists():
        raise BackupError(f"there is no database at {source}")
    file = file.resolve()
    if file == source.resolve():
        raise BackupError("the backup file must not be the database itself")
    file.parent.mkdir(parents=True, exist_ok=True)
    partial = file.with_name(file.name + ".partial")
    partial.unlink(missing_ok=True)
    _copy_sqlite(source, partial)
    copy_url = f"sqlite:///{partial}"
    anchors = read_anchors(anchor_path(normalise_url(url)), anchor_key(), at_most=_head_of(copy_url))
    check = check_database(copy_url, anchors=anchors)
    if not check.ok:
        partial.unlink(missing_ok=True)
        raise BackupError("the copy does not verify: " + "; ".join(check.problems))
    os.replace(partial, file)
    manifest = {**check.to_json_dict(), "database": _safe_url(url), "taken_at": _now()}
    Path(str(file) + MANIFEST_SUFFIX).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return check


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class RestoreResult:
    """A verified restore: the check of the backup, of the restored database, and what was lost."""

    backup: DatabaseCheck
    restored: DatabaseCheck
    lost_events: int


def restore_sqlite(file: Path, url: str, accept_older: bool = False) -> RestoreResult:
    """Restore the SQLite backup `file` into the database at `url`, verified before and after.

    The backup must verify on its own and against the database's anchors up to its own head. If the
    anchors record events newer than the backup (they would be lost), the restore is refused unless
    `accept_older`; then a restore marker is anchored, so later checks start from the backup's head."""
    if not file.exists():
        raise BackupError(f"there is no backup at {file}")
    target = _sqlite_file(url)
    backup_url = f"sqlite:///{file.resolve()}"
    target_anchor = anchor_path(normalise_url(url))
    key = anchor_key()
    backup_head = _head_of(backup_url)
    manifest_path = Path(str(file) + MANIFEST_SUFFIX)
    manifest_counts = None
    if manifest_path.exists():
        manifest_counts = {
            str(k): int(v) for k, v in json.loads(manifest_path.read_text("utf-8"))["counts"].items()
        }
    backup_check = check_database(
        backup_url,
        anchors=read_anchors(target_anchor, key, at_most=backup_head),
        expected_counts=manifest_counts,
    )
    if not backup_check.ok:
        raise BackupError(
            "the backup does not verify, nothing was restored: " + "; ".join(backup_check.problems)
        )
    newest = read_anchors(target_anchor, key).newest
    current = _head_of(url) if target.exists() else 0
    lost = max(0, (newest.events if newest is not None else 0) - backup_head, current - backup_head)
    if lost and not accept_older:
        raise BackupError(
            f"the backup holds {backup_head} audit events but the database and its anchors record "
            f"{backup_head + lost}: restoring it would "
            f"lose {lost} events and everything they recorded; nothing was restored "
            "(pass --accept-older to restore it anyway, which is anchored as a restore)"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy_sqlite(file.resolve(), target)
    if lost and target_anchor is not None:
        head_hash = backup_check.audit.head_hash
        append_anchor(target_anchor, backup_head, head_hash, key, restored_from=file.name)
    restored = check_database(url, expected_counts=backup_check.counts)
    if not restored.ok:
        raise BackupError("the restored database does not verify: " + "; ".join(restored.problems))
    return RestoreResult(backup_check, restored, lost)


def is_sqlite_url(url: str) -> bool:
    """True for SQLite URLs."""
    return is_sqlite(normalise_url(url))
