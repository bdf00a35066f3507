"""The audit chain: every event carries the SHA-256 of its content and of the previous event's hash.

Appending takes the write lock on the single `audit_head` row first, so concurrent writers are
serialised on SQLite and PostgreSQL alike; the event is written in the caller's transaction, so it is
stored exactly when the change it records is. `verify_chain` recomputes every hash and names each
altered event, each gap (deleted events) and a head that no longer matches (deleted newest events).
Events hold identifiers, never names, IINs or other personal data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from amnesty.store.models import AuditEvent, AuditHead

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
    db.execute(update(AuditHead).where(AuditHead.id == HEAD_ID).values(seq=AuditHead.seq))
    head = db.get(AuditHead, HEAD_ID, populate_existing=True)
    if head is None:
        head = AuditHead(id=HEAD_ID, seq=0, hash=GENESIS)
        db.add(head)
        db.flush()
    return head


def record_event(
    db: Session,
    actor: str,
    action: str,
    object_type: str,
    object_id: str | int,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an event to the chain within the caller's transaction (the caller commits)."""
    head = _lock_head(db)
    clean_details = json.loads(json.dumps(details or {}, default=str))
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
    db.flush()
    return event


@dataclass(frozen=True)
class AuditProblem:
    """One finding of the verification: which event (sequence number) and what is wrong."""

    seq: int
    problem: str
    kind: str

    def to_json_dict(self) -> dict[str, Any]:
        """JSON shape for the API and the command line."""
        return {"seq": self.seq, "kind": self.kind, "problem": self.problem}


@dataclass(frozen=True)
class AuditReport:
    """The result of verifying the whole chain."""

    events: int
    head_seq: int
    head_hash: str
    problems: tuple[AuditProblem, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True when no event was altered or deleted."""
        return not self.problems

    def to_json_dict(self) -> dict[str, Any]:
        """JSON shape for the API and the command line."""
        return {
            "ok": self.ok,
            "events": self.events,
            "head_seq": self.head_seq,
            "head_hash": self.head_hash,
            "problems": [problem.to_json_dict() for problem in self.problems],
        }


def verify_chain(db: Session, batch_size: int = 5000) -> AuditReport:
    """Recompute the chain from the first event; report altered, missing and reordered events."""
    problems: list[AuditProblem] = []
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
    return AuditReport(count, head_seq, head_hash, tuple(problems))
