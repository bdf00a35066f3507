"""An in-process register for the web pages: records, decisions, overrides and users in memory.

Used when the service's database layer is not installed (and by fast tests). It evaluates each record
with the real engine; nothing is persisted. Passwords are compared as Argon2 hashes.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field, replace
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from amnesty.domain.decision import Decision
from amnesty.domain.enums import Outcome, ReleaseMode
from amnesty.domain.records import CaseRecord, parse_record
from amnesty.engine.evaluate import evaluate
from amnesty.web.backend import (
    CasePage,
    CaseQuery,
    CaseRow,
    DuplicateCaseError,
    HistoryEntry,
    OverrideEntry,
    PersonFile,
    Role,
    SortKey,
    Stats,
    UnknownCaseError,
    WebUser,
)

_HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


def case_row(file: PersonFile) -> CaseRow:
    """The list line for a person's file."""
    record, decision = file.record, file.decision
    categories = [c.category for c in decision.charges if c.category is not None]
    gravest = max(categories, key=lambda c: c.gravity) if categories else None
    sentence = decision.sentence
    return CaseRow(
        person_id=record.person_id,
        full_name=record.full_name,
        iin=record.iin,
        case_number=record.case_number,
        region=record.region,
        stage=record.stage,
        outcome=file.final_outcome,
        gravest=gravest,
        new_end_date=sentence.new_end_date if sentence else None,
        release=sentence.release if sentence else None,
        provisional=any(flag.value == "provisional_basis" for flag in decision.flags),
        overridden=bool(file.overrides),
        review_codes=tuple(dict.fromkeys(decision.reason_codes())),
    )


def _sort_value(row: CaseRow, key: SortKey) -> tuple[Any, ...]:
    values: dict[SortKey, Any] = {
        SortKey.NAME: (row.full_name or "").casefold(),
        SortKey.PERSON_ID: row.person_id,
        SortKey.REGION: row.region or "",
        SortKey.STAGE: row.stage.value,
        SortKey.OUTCOME: row.outcome.value,
        SortKey.END_DATE: row.new_end_date or dt.date.max,
    }
    return (values[key], row.person_id)


def sort_rows(rows: list[CaseRow], query: CaseQuery) -> list[CaseRow]:
    """Rows in the query's order."""
    return sorted(rows, key=lambda r: _sort_value(r, query.sort), reverse=query.descending)


def matches(row: CaseRow, query: CaseQuery) -> bool:
    """Whether a row satisfies the query's filters (text matches name, IIN, case number or id)."""
    if query.region and row.region != query.region:
        return False
    if query.outcome and row.outcome is not query.outcome:
        return False
    if query.stage and row.stage is not query.stage:
        return False
    text = query.text.strip().casefold()
    if text:
        haystack = " ".join(
            value.casefold() for value in (row.full_name, row.iin, row.case_number, row.person_id) if value
        )
        return all(word in haystack for word in text.split())
    return True


def releases_first(rows: list[CaseRow]) -> list[CaseRow]:
    """People released at once first, then by their new end date."""
    released = [
        row
        for row in rows
        if row.outcome is Outcome.RELEASE
        or (row.outcome is Outcome.REDUCE_SENTENCE and row.release is ReleaseMode.ON_DATE)
    ]
    return sorted(
        released,
        key=lambda r: (r.release is not ReleaseMode.IMMEDIATE, r.new_end_date or dt.date.min, r.person_id),
    )


def stats_of(files: list[PersonFile]) -> Stats:
    """Dashboard counts over person files."""
    stats = Stats(total=len(files))
    for file in files:
        row = case_row(file)
        stats.by_outcome[row.outcome.value] += 1
        stats.by_stage[row.stage.value] += 1
        stats.by_region[row.region or ""] += 1
        stats.by_category[row.gravest.value if row.gravest else ""] += 1
        stats.by_role[file.record.role.value] += 1
        if row.outcome is Outcome.RELEASE:
            stats.released_by_region[row.region or ""] += 1
    return stats


@dataclass
class MemoryBackend:
    """Records and users held in memory; thread-safe for the few writes the pages make."""

    files: dict[str, PersonFile] = field(default_factory=dict)
    users: dict[str, tuple[WebUser, str]] = field(default_factory=dict)
    events: list[tuple[str, str, str, str]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add_user(self, user: WebUser, password: str) -> None:
        """Register a user with a password (stored as an Argon2 hash)."""
        self.users[user.username] = (user, _HASHER.hash(password))

    def load(self, records: list[dict[str, Any]], by: str = "import") -> None:
        """Evaluate and store records given as contract JSON."""
        now = dt.datetime.now(dt.UTC)
        for data in records:
            record = parse_record(data)
            decision = evaluate(record)
            self.files[record.person_id] = PersonFile(record, decision, (_history(decision, now, by),))

    def authenticate(self, username: str, password: str, client: str = "unknown") -> WebUser | None:
        """The user if the password is right."""
        entry = self.users.get(username)
        if entry is None:
            return None
        try:
            _HASHER.verify(entry[1], password)
        except VerificationError:
            return None
        return entry[0]

    def user(self, username: str) -> WebUser | None:
        """A user by name."""
        entry = self.users.get(username)
        return entry[0] if entry else None

    def search(self, query: CaseQuery) -> CasePage:
        """Filter, sort and paginate."""
        rows = sort_rows(
            [row for row in (case_row(f) for f in self.files.values()) if matches(row, query)], query
        )
        start = (max(query.page, 1) - 1) * query.per_page
        return CasePage(tuple(rows[start : start + query.per_page]), len(rows), query.page, query.per_page)

    def person(self, person_id: str, actor: str | None = None) -> PersonFile | None:
        """A person's file (`actor` is for audited stores; nothing is audited in memory)."""
        return self.files.get(person_id)

    def add_case(self, record: CaseRecord, by: WebUser) -> PersonFile:
        """Store a new record with its decision."""
        with self._lock:
            if record.person_id in self.files:
                raise DuplicateCaseError(record.person_id)
            decision = evaluate(record)
            file = PersonFile(record, decision, (_history(decision, dt.datetime.now(dt.UTC), by.username),))
            self.files[record.person_id] = file
            return file

    def review_queue(self, region: str | None = None, code: str | None = None) -> tuple[CaseRow, ...]:
        """Open review items: needs_review or provisional_basis, without an override."""
        rows = [case_row(f) for f in self.files.values() if not f.overrides]
        rows = [r for r in rows if r.outcome is Outcome.NEEDS_REVIEW or r.provisional]
        rows = [
            r for r in rows if (not region or r.region == region) and (not code or code in r.review_codes)
        ]
        return tuple(sorted(rows, key=lambda r: r.person_id))

    def override(
        self, person_id: str, outcome: Outcome, justification: str, citation: str, by: WebUser
    ) -> None:
        """Record an override."""
        with self._lock:
            file = self.files.get(person_id)
            if file is None:
                raise UnknownCaseError(person_id)
            entry = OverrideEntry(dt.datetime.now(dt.UTC), by.username, outcome, justification, citation)
            self.files[person_id] = replace(file, overrides=(*file.overrides, entry))

    def stats(self) -> Stats:
        """Dashboard counts."""
        return stats_of(list(self.files.values()))

    def releases_due(self, limit: int = 10) -> tuple[CaseRow, ...]:
        """Releases, at once first."""
        return tuple(releases_first([case_row(f) for f in self.files.values()])[:limit])

    def audit(self, actor: str, action: str, object_type: str, object_id: str) -> None:
        """Kept in memory only (the in-memory register has no audit trail to append to)."""
        self.events.append((actor, action, object_type, object_id))


def _history(decision: Decision, at: dt.datetime, by: str | None) -> HistoryEntry:
    return HistoryEntry(at, decision.outcome, decision.law_version, decision.engine_version, by)


DEMO_USERS: tuple[WebUser, ...] = (
    WebUser("admin", Role.ADMIN, "Администратор"),
    WebUser("officer", Role.CASE_OFFICER, "Следователь Ким"),
    WebUser("reviewer", Role.REVIEWER, "Юрист Сериков"),
    WebUser("social", Role.SOCIAL_WORKER, "Соцработник Есенова", region="Almaty"),
    WebUser("auditor", Role.AUDITOR, "Аудитор Мусина"),
)


def demo_backend(password: str, count: int = 240) -> MemoryBackend:
    """A register seeded with demo records and one user per role, all with `password`."""
    from amnesty.web.demo import demo_records

    backend = MemoryBackend()
    for user in DEMO_USERS:
        backend.add_user(user, password)
    backend.load(demo_records(count))
    return backend
