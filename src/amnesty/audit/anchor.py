"""Anchors of the audit chain outside the database.

After every commit that appended audit events, one line is appended to the anchor file:
`{"at": ..., "events": N, "head": "<hash of event N>"}`, plus `"mac"` (HMAC-SHA256 of the three
values) when a key is configured outside the database (`AMNESTY_AUDIT_KEY`, or a file named by
`AMNESTY_AUDIT_KEY_FILE`). A database administrator who cuts the newest events, rolls the database
back to an older copy or rewrites the chain cannot also rewrite an anchor that was shipped elsewhere,
and cannot forge a keyed one at all. `amnesty audit verify` checks the newest anchor.

The file is beside the SQLite database (`amnesty.sqlite3.anchors.jsonl`); for PostgreSQL it is in
the data directory, named after the server, database and schema. `AMNESTY_AUDIT_ANCHOR` names another
path, or `off` to write none. Lines are written with one `write` in append mode (`O_APPEND`), so
concurrent workers never interleave them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

from amnesty.store.db import data_dir

ANCHOR_ENV = "AMNESTY_AUDIT_ANCHOR"
KEY_ENV = "AMNESTY_AUDIT_KEY"
KEY_FILE_ENV = "AMNESTY_AUDIT_KEY_FILE"
LOG = logging.getLogger("amnesty.audit")


def anchor_path(url: URL | str) -> Path | None:
    """Where the anchors of the database at `url` go (None: nowhere)."""
    configured = os.environ.get(ANCHOR_ENV)
    if configured:
        return None if configured.strip().lower() in ("off", "none", "-") else Path(configured)
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if not database or database == ":memory:" or database.startswith("file::memory:"):
            return None
        return Path(database).with_name(Path(database).name + ".anchors.jsonl")
    options = str(parsed.query.get("options", ""))
    schema = re.search(r"search_path(?:%3D|=)([\w,]+)", options)
    name = "-".join(
        part
        for part in (
            str(parsed.host or "local"),
            str(parsed.port or ""),
            str(parsed.database or ""),
            schema.group(1) if schema else "",
        )
        if part
    )
    return data_dir() / f"audit-anchors-{re.sub(r'[^A-Za-z0-9_.-]', '_', name)}.jsonl"


def anchor_key() -> bytes | None:
    """The anchor key from the environment or its file (never from the database), or None."""
    value = os.environ.get(KEY_ENV)
    if value:
        return value.encode("utf-8")
    key_file = os.environ.get(KEY_FILE_ENV)
    if key_file:
        content = Path(key_file).read_bytes().strip()
        return content or None
    return None


def _mac(key: bytes, at: str, events: int, head: str) -> str:
    return hmac.new(key, f"{at}|{events}|{head}".encode(), hashlib.sha256).hexdigest()


def append_anchor(
    path: Path, events: int, head: str, key: bytes | None = None, restored_from: str | None = None
) -> None:
    """Append one anchor line (time, event count, head hash, and the MAC when keyed). A line with
    `restored_from` marks a deliberate restore of an older backup: anchors before it no longer apply."""
    at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    line: dict[str, Any] = {"at": at, "events": events, "head": head}
    if restored_from is not None:
        line["restored_from"] = restored_from
    if key is not None:
        line["mac"] = _mac(key, at, events, head + (f"|restore:{restored_from}" if restored_from else ""))
    data = (json.dumps(line, separators=(",", ":")) + "\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, data)
    finally:
        os.close(descriptor)


def write_anchor_quietly(path: Path, events: int, head: str) -> None:
    """Append an anchor after a commit; a failure is logged (the commit stands) and verify will show it."""
    try:
        append_anchor(path, events, head, anchor_key())
    except OSError as error:
        LOG.error("could not append the audit anchor to %s: %s", path, type(error).__name__)


@dataclass(frozen=True)
class Anchor:
    """One anchor line."""

    line: int
    at: str
    events: int
    head: str
    keyed: bool
    restore: bool = False

    def to_json_dict(self) -> dict[str, Any]:
        """JSON shape for reports."""
        return {
            "line": self.line,
            "at": self.at,
            "events": self.events,
            "head": self.head,
            "keyed": self.keyed,
            "restore": self.restore,
        }


@dataclass(frozen=True)
class AnchorReading:
    """What the anchor file holds: its newest trustworthy anchor and the lines that are not."""

    path: Path | None
    newest: Anchor | None
    lines: int
    bad_lines: tuple[tuple[int, str], ...]
    keyed: bool

    @property
    def status(self) -> str:
        """`off`, `missing`, `empty` or `present`."""
        if self.path is None:
            return "off"
        if self.lines == 0 and not self.path.exists():
            return "missing"
        return "present" if self.newest is not None else "empty"


def read_anchors(path: Path | None, key: bytes | None = None, at_most: int | None = None) -> AnchorReading:
    """The newest anchor (largest event count since the last restore marker, or up to `at_most`
    events; with a key, only lines whose MAC is right count) and every unreadable or forged line,
    read in one pass without holding the file in memory."""
    newest: Anchor | None = None
    bad: list[tuple[int, str]] = []
    count = 0
    if path is None or not path.exists():
        return AnchorReading(path, None, 0, (), key is not None)
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            count += 1
            try:
                data = json.loads(text)
                restored = data.get("restored_from")
                anchor = Anchor(
                    number,
                    str(data["at"]),
                    int(data["events"]),
                    str(data["head"]),
                    "mac" in data,
                    bool(restored),
                )
            except (ValueError, KeyError, TypeError):
                bad.append((number, "unreadable anchor line"))
                continue
            if key is not None:
                if "mac" not in data:
                    bad.append((number, "anchor line without a MAC although a key is configured"))
                    continue
                if not hmac.compare_digest(
                    str(data["mac"]),
                    _mac(
                        key,
                        anchor.at,
                        anchor.events,
                        anchor.head + (f"|restore:{restored}" if restored else ""),
                    ),
                ):
                    bad.append(
                        (number, "anchor line whose MAC is wrong (forged or written with another key)")
                    )
                    continue
            if anchor.restore:
                newest = anchor if at_most is None or anchor.events <= at_most else None
            elif (at_most is None or anchor.events <= at_most) and (
                newest is None or anchor.events >= newest.events
            ):
                newest = anchor
    return AnchorReading(path, newest, count, tuple(bad), key is not None)
