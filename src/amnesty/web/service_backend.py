"""The web pages over the service's store: SQLAlchemy database, users, overrides and audit trail.

A thin adapter from `amnesty.store.repository` and `amnesty.auth` to the `WebBackend` port. A person
shown on the pages is their newest case with its newest decision; the decision JSON stored by the
service is read back into the engine's frozen `Decision`. Writes go through the service's functions
(so they are audited) and are committed here. Reading a person's page is an audited read.

The case list, statistics and review queue are computed in memory over every person's newest
decision, loaded in one query and cached until a decision, override or person changes. That suits
the January caseload (thousands of persons), not a national registry, for which the service's
paginated SQL queries should be used instead.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from amnesty.audit.chain import record_event
from amnesty.auth import Role as ServiceRole
from amnesty.auth import authenticate, get_user
from amnesty.auth.ratelimit import LoginRateLimitedError
from amnesty.domain.decision import Decision
from amnesty.domain.enums import Outcome
from amnesty.domain.records import CaseRecord, parse_record
from amnesty.io.json_records import ParsedRecord
from amnesty.law.loader import Law, default_law
from amnesty.store.models import Case, DecisionRow, OverrideRow, Person
from amnesty.store.repository import OverrideInput, case_record, get_person, import_records, record_override
from amnesty.web.backend import (
    CasePage,
    CaseQuery,
    CaseRow,
    DuplicateCaseError,
    HistoryEntry,
    OverrideEntry,
    PersonFile,
    Role,
    Stats,
    UnknownCaseError,
    WebUser,
)
from amnesty.web.memory import case_row, matches, releases_first, sort_rows, stats_of

_LOAD = (
    selectinload(Person.cases).selectinload(Case.decisions).selectinload(DecisionRow.overrides),
    selectinload(Person.cases).selectinload(Case.charges),
    selectinload(Person.cases).selectinload(Case.sentence),
)


def _web_user(row: Any) -> WebUser:
    return WebUser(row.username, Role(ServiceRole(row.role).value), row.username, row.region)


def _file(person: Person) -> PersonFile | None:
    """The person's newest case with its decisions as a page file (None when never evaluated)."""
    cases = [case for case in person.cases if case.decisions]
    if not cases:
        return None
    case = max(cases, key=lambda c: (c.decisions[-1].created_at, c.id))
    record = parse_record(case_record(case))
    newest = case.decisions[-1]
    decision = Decision.model_validate(newest.decision)
    history = tuple(
        HistoryEntry(
            row.created_at, Outcome(row.outcome), row.law_version, row.engine_version, row.created_by
        )
        for row in case.decisions
    )
    overrides = tuple(
        OverrideEntry(o.created_at, o.reviewer, Outcome(o.outcome), o.justification, o.citation)
        for row in case.decisions
        for o in row.overrides
        if row is newest
    )
    return PersonFile(record, decision, history, overrides)


@dataclass
class ServiceBackend:
    """`WebBackend` over the service's database."""

    sessions: sessionmaker[Session]
    law: Law
    _cache: tuple[tuple[Any, ...], list[CaseRow], Stats] | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def authenticate(self, username: str, password: str, client: str = "unknown") -> WebUser | None:
        """The service's login (Argon2, rate limited per username and client address, as the API's);
        a rate-limited login is refused like a wrong one."""
        with self.sessions() as db:
            try:
                row = authenticate(db, username, password, client=client)
            except LoginRateLimitedError:
                return None
            db.commit()
            return _web_user(row) if row is not None else None

    def user(self, username: str) -> WebUser | None:
        """An enabled user by name."""
        with self.sessions() as db:
            row = get_user(db, username)
            return _web_user(row) if row is not None and not row.disabled else None

    def _snapshot(self) -> tuple[list[CaseRow], Stats]:
        """Rows and counts of every person's newest decision, rebuilt only when the store changed
        (decisions and overrides are append-only; person edits bump `updated_at`)."""
        with self.sessions() as db:
            token = (
                db.scalar(select(func.max(DecisionRow.id))),
                db.scalar(select(func.max(OverrideRow.id))),
                db.scalar(select(func.count(Person.id))),
                db.scalar(select(func.max(Person.updated_at))),
            )
            with self._lock:
                if self._cache is not None and self._cache[0] == token:
                    return self._cache[1], self._cache[2]
            people = db.scalars(select(Person).options(*_LOAD).order_by(Person.person_id))
            files = [file for file in (_file(person) for person in people) if file is not None]
        rows = [case_row(file) for file in files]
        stats = stats_of(files)
        with self._lock:
            self._cache = (token, rows, stats)
        return rows, stats

    def _rows(self) -> list[CaseRow]:
        return self._snapshot()[0]

    def search(self, query: CaseQuery) -> CasePage:
        """Filter, sort and paginate the newest decisions."""
        rows = sort_rows([row for row in self._rows() if matches(row, query)], query)
        start = (max(query.page, 1) - 1) * query.per_page
        return CasePage(tuple(rows[start : start + query.per_page]), len(rows), query.page, query.per_page)

    def person(self, person_id: str, actor: str | None = None) -> PersonFile | None:
        """A person's file; reading it is an audit event."""
        with self.sessions() as db:
            person = get_person(db, person_id)
            if person is None:
                return None
            file = _file(person)
            if actor is not None:
                record_event(db, actor, "person.read", "person", person_id)
                db.commit()
            return file

    def add_case(self, record: CaseRecord, by: WebUser) -> PersonFile:
        """Store and evaluate a new record (audited)."""
        with self.sessions() as db:
            if get_person(db, record.person_id) is not None:
                raise DuplicateCaseError(record.person_id)
            import_records(db, [ParsedRecord(0, None, record)], by.username, law=self.law)
            db.commit()
        file = self.person(record.person_id)
        assert file is not None
        return file

    def review_queue(self, region: str | None = None, code: str | None = None) -> tuple[CaseRow, ...]:
        """Open review items: needs_review or provisional_basis, without an override (as the API's queue)."""
        rows = [
            r
            for r in self._rows()
            if (r.outcome is Outcome.NEEDS_REVIEW or r.provisional) and not r.overridden
        ]
        rows = [
            r for r in rows if (not region or r.region == region) and (not code or code in r.review_codes)
        ]
        return tuple(sorted(rows, key=lambda r: r.person_id))

    def override(
        self, person_id: str, outcome: Outcome, justification: str, citation: str, by: WebUser
    ) -> None:
        """Record an override beside the newest decision of the person's newest case (audited)."""
        with self.sessions() as db:
            person = get_person(db, person_id)
            if person is None or not any(case.decisions for case in person.cases):
                raise UnknownCaseError(person_id)
            case = max(
                (c for c in person.cases if c.decisions), key=lambda c: (c.decisions[-1].created_at, c.id)
            )
            record_override(
                db, case.decisions[-1], OverrideInput(outcome, justification, citation), by.username
            )
            db.commit()

    def stats(self) -> Stats:
        """Dashboard counts over the newest decisions."""
        return self._snapshot()[1]

    def releases_due(self, limit: int = 10) -> tuple[CaseRow, ...]:
        """Releases, at once first."""
        return tuple(releases_first(self._rows())[:limit])

    def audit(self, actor: str, action: str, object_type: str, object_id: str) -> None:
        """Append an event to the service's audit chain."""
        with self.sessions() as db:
            record_event(db, actor, action, object_type, object_id)
            db.commit()


def service_backend_for(app: FastAPI) -> ServiceBackend | None:
    """The backend for an app built by `amnesty.app.create_app` (None for other apps)."""
    sessions = getattr(app.state, "sessions", None)
    if sessions is None:
        return None
    return ServiceBackend(sessions, getattr(app.state, "law", None) or default_law())
