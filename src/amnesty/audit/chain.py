"""The audit chain: every event carries the SHA-256 of its content and of the previous event's hash.

Appending takes the write lock on the single `audit_head` row first, so concurrent writers are
serialised on SQLite and PostgreSQL alike; the event is written in the caller's transaction, so it is
stored exactly when the change it records is. `verify_chain` recomputes every hash and names each
altered event, each gap (deleted events) and a head that no longer matches (deleted newest events).
Events hold identifiers, never names, IINs or other personal data.

Each event also commits to the content of the records it created or changed: `details["rows"]` maps
`kind:id` to the SHA-256 of the canonical row (`amnesty.audit.rows`), and `verify_chain` reads every
such record back and names each one that differs from its newest event, has no event, or vanished.
After each commit that appended events, the new head is anchored outside the database
(`amnesty.audit.anchor`); verification checks the newest anchor too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event as orm_event
from sqlalchemy import select, update
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from amnesty.audit.anchor import AnchorReading, anchor_key, anchor_path, read_anchors, write_anchor_quietly
from amnesty.audit.rows import (
    UnitKind,
    has_pending_units,
    parse_unit_name,
    stored_digests,
    take_pending_digests,
)
from amnesty.store.models import AuditEvent, AuditHead

ROWS_KEY = "rows"
APPENDED_KEY = "audit_appended"

GENESIS = "0" * 64
HEAD_ID = 1


def event_hash(
    seq: int,
    at: str,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    details: dict[str, Any],
    prev_hash: str,
) -> str:
    """SHA-256 over the canonical JSON of the event's content and the previous hash."""
    payload = json.dumps(
        [seq, at, actor, action, object_type, object_id, details, prev_hash],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _lock_head(db: Session) -> AuditHead:
    """The head row, write-locked for the rest of the transaction (locked once per transaction)."""
    transaction = db.get_transaction()
    cached = db.info.get("audit_head")
    if cached is not None and cached[0] is transaction and transaction is not None and transaction.is_active:
        head: AuditHead = cached[1]
        return head
    db.execute(update(AuditHead).where(AuditHead.id == HEAD_ID).values(seq=AuditHead.seq))
    found = db.get(AuditHead, HEAD_ID, populate_existing=True)
    if found is None:
        found = AuditHead(id=HEAD_ID, seq=0, hash=GENESIS)
        db.add(found)
        db.flush()
    db.info["audit_head"] = (db.get_transaction(), found)
    return found


def record_event(
    db: Session,
    actor: str,
    action: str,
    object_type: str,
    object_id: str | int,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an event to the chain within the caller's transaction (the caller commits).
    The event commits to the digests of the records written since the previous event."""
    sealed = take_pending_digests(db)
    head = _lock_head(db)
    clean_details = json.loads(json.dumps(details or {}, default=str))
    if sealed:
        clean_details[ROWS_KEY] = {**clean_details.get(ROWS_KEY, {}), **sealed}
    seq = head.seq + 1
    at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    object_key = str(object_id)
    digest = event_hash(seq, at, actor, action, object_type, object_key, clean_details, head.hash)
    event = AuditEvent(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_key,
        details=clean_details,
        prev_hash=head.hash,
        hash=digest,
    )
    db.add(event)
    head.seq = seq
    head.hash = digest
    db.info[APPENDED_KEY] = (seq, digest)
    return event


def _seal_unaudited_changes(db: Session) -> None:
    """Before a commit: records written after the transaction's last event are sealed by one more."""
    if db.new or db.dirty or db.deleted:
        db.flush()
    if has_pending_units(db):
        record_event(db, "system", "rows.seal", "audit", "-")


def _database_url(db: Session) -> URL | None:
    bind = db.get_bind()
    url = getattr(bind, "url", None)
    return url if isinstance(url, URL) else None


def _anchor_after_commit(db: Session) -> None:
    appended = db.info.pop(APPENDED_KEY, None)
    db.info.pop("audit_head", None)
    if appended is None:
        return
    url = _database_url(db)
    path = anchor_path(url) if url is not None else None
    if path is not None:
        write_anchor_quietly(path, appended[0], appended[1])


def _forget_appended(db: Session, *_args: Any) -> None:
    db.info.pop(APPENDED_KEY, None)


orm_event.listen(Session, "before_commit", _seal_unaudited_changes)
orm_event.listen(Session, "after_commit", _anchor_after_commit)
orm_event.listen(Session, "after_rollback", _forget_appended)


@dataclass(frozen=True)
class AuditProblem:
    """One finding of the verification: which event (sequence number; 0 for none) and what is wrong;
    `row` names the record (`decision:12`) when the finding is about a record's content."""

    seq: int
    problem: str
    kind: str
    row: str | None = None

    def to_json_dict(self) -> dict[str, Any]:
        """JSON shape for the API and the command line."""
        data: dict[str, Any] = {"seq": self.seq, "kind": self.kind, "problem": self.problem}
        if self.row is not None:
            data["row"] = self.row
        return data


@dataclass(frozen=True)
class AuditReport:
    """The result of verifying the whole chain, the records it commits to, and the newest anchor."""

    events: int
    head_seq: int
    head_hash: str
    problems: tuple[AuditProblem, ...] = field(default_factory=tuple)
    rows: int = 0
    anchor: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        """True when no event, record or anchor shows a change."""
        return not self.problems

    def to_json_dict(self) -> dict[str, Any]:
        """JSON shape for the API and the command line."""
        return {
            "ok": self.ok,
            "events": self.events,
            "head_seq": self.head_seq,
            "head_hash": self.head_hash,
            "rows": self.rows,
            "anchor": self.anchor,
            "problems": [problem.to_json_dict() for problem in self.problems],
        }


Expected = dict[UnitKind, dict[int, tuple[int, bytes | None]]]


def _note_rows(expected: Expected, seq: int, details: Any) -> None:
    rows = details.get(ROWS_KEY) if isinstance(details, dict) else None
    if not isinstance(rows, dict):
        return
    for name, value in rows.items():
        unit = parse_unit_name(str(name))
        if unit is None:
            continue
        expected.setdefault(unit[0], {})[unit[1]] = (
            seq,
            bytes.fromhex(value) if isinstance(value, str) else None,
        )


def verify_rows(db: Session, expected: Expected) -> tuple[int, list[AuditProblem]]:
    """Read every record of consequence back and compare it with the digest of its newest event."""
    problems: list[AuditProblem] = []
    checked = 0
    for kind in UnitKind:
        wanted = expected.get(kind, {})
        seen: set[int] = set()
        for key, found in stored_digests(db, kind):
            checked += 1
            seen.add(key)
            name = f"{kind.value}:{key}"
            entry = wanted.get(key)
            if entry is None:
                problems.append(
                    AuditProblem(
                        0,
                        f"{kind.value} {key} has no audit event (written behind the application)",
                        "row_unaudited",
                        name,
                    )
                )
            elif entry[1] is None:
                problems.append(
                    AuditProblem(
                        entry[0],
                        f"{kind.value} {key} exists although event {entry[0]} recorded its deletion",
                        "row_unaudited",
                        name,
                    )
                )
            elif entry[1] != bytes.fromhex(found):
                problems.append(
                    AuditProblem(
                        entry[0],
                        f"{kind.value} {key} differs from its content recorded by event {entry[0]}",
                        "row_altered",
                        name,
                    )
                )
        for key, (seq, content) in sorted(wanted.items()):
            if content is not None and key not in seen:
                problems.append(
                    AuditProblem(
                        seq,
                        f"{kind.value} {key} recorded by event {seq} is gone (deleted)",
                        "row_missing",
                        f"{kind.value}:{key}",
                    )
                )
    return checked, problems


def verify_anchor(
    reading: AnchorReading, events_by_seq: dict[int, str], head_seq: int
) -> tuple[dict[str, Any], list[AuditProblem]]:
    """Compare the newest anchor outside the database with the chain."""
    path = reading.path
    info: dict[str, Any] = {
        "path": str(path) if path else None,
        "status": reading.status,
        "keyed": reading.keyed,
        "lines": reading.lines,
        "newest": reading.newest.to_json_dict() if reading.newest else None,
    }
    problems = [
        AuditProblem(0, f"anchor file line {number}: {problem}", "anchor_bad_line")
        for number, problem in reading.bad_lines
    ]
    newest = reading.newest
    if newest is None:
        if reading.keyed and head_seq > 0:
            problems.append(
                AuditProblem(
                    0,
                    f"no valid keyed anchor in {path} although a key is configured and the database holds "
                    f"{head_seq} events: the anchors were deleted or replaced",
                    "anchor_missing",
                )
            )
        return info, problems
    found = events_by_seq.get(newest.events)
    if newest.events > head_seq or (found is None and newest.events > 0):
        problems.append(
            AuditProblem(
                newest.events,
                f"the anchor of {newest.at} records {newest.events} events (head {newest.head[:16]}...) but the "
                f"database holds {head_seq}: the newest events were cut or the database was rolled back to an "
                "older state",
                "anchor_truncated",
            )
        )
    elif found is not None and found != newest.head:
        problems.append(
            AuditProblem(
                newest.events,
                f"event {newest.events} is not the one anchored at {newest.at} (anchored {newest.head[:16]}..., "
                f"found {found[:16]}...): the chain was rewritten or the database replaced",
                "anchor_mismatch",
            )
        )
    return info, problems


def anchors_of(db: Session) -> AnchorReading:
    """The anchors written for the session's database (its configured anchor file)."""
    url = _database_url(db)
    return read_anchors(anchor_path(url) if url is not None else None, anchor_key())


def verify_chain(
    db: Session, batch_size: int = 5000, check_rows: bool = True, anchors: AnchorReading | None = None
) -> AuditReport:
    """Recompute the chain from the first event; report altered, missing and reordered events, then
    every record that differs from its newest event, and the newest anchor outside the database
    (`anchors`: another anchor reading than the database's own file, e.g. when checking a backup)."""
    problems: list[AuditProblem] = []
    expected: Expected = {}
    reading = anchors if anchors is not None else anchors_of(db)
    anchored = reading.newest
    anchored_hashes: dict[int, str] = {}
    expected_seq = 1
    previous_hash = GENESIS
    count = 0
    last_seq = 0
    stream = db.execute(select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch_size))
    for event in stream.scalars():
        count += 1
        if event.seq > expected_seq:
            missing = (
                f"event {expected_seq}"
                if event.seq == expected_seq + 1
                else f"events {expected_seq}-{event.seq - 1}"
            )
            problems.append(
                AuditProblem(expected_seq, f"{missing} deleted (gap before event {event.seq})", "deleted")
            )
        if event.prev_hash != previous_hash:
            problems.append(
                AuditProblem(
                    event.seq,
                    f"event {event.seq} does not chain to the event before it (an earlier event was deleted or altered)",
                    "broken_link",
                )
            )
        recomputed = event_hash(
            event.seq,
            event.at,
            event.actor,
            event.action,
            event.object_type,
            event.object_id,
            event.details,
            event.prev_hash,
        )
        if recomputed != event.hash:
            problems.append(
                AuditProblem(
                    event.seq,
                    f"event {event.seq} was altered: its content does not match its hash",
                    "altered",
                )
            )
        if check_rows:
            _note_rows(expected, event.seq, event.details)
        if anchored is not None and event.seq == anchored.events:
            anchored_hashes[event.seq] = event.hash
        previous_hash = event.hash
        expected_seq = event.seq + 1
        last_seq = event.seq
    head = db.get(AuditHead, HEAD_ID)
    head_seq = head.seq if head else 0
    head_hash = head.hash if head else GENESIS
    if head_seq > last_seq:
        problems.append(
            AuditProblem(
                last_seq + 1,
                f"events {last_seq + 1}-{head_seq} deleted (the chain head records event {head_seq})",
                "deleted",
            )
        )
    elif head_seq != last_seq or head_hash != previous_hash:
        problems.append(
            AuditProblem(
                last_seq, "the chain head does not match the newest event (altered or replaced)", "head"
            )
        )
    checked = 0
    if check_rows:
        checked, row_problems = verify_rows(db, expected)
        problems.extend(row_problems)
    anchor_info, anchor_problems = verify_anchor(reading, anchored_hashes, min(head_seq, last_seq))
    problems.extend(anchor_problems)
    return AuditReport(count, head_seq, head_hash, tuple(problems), checked, anchor_info)
