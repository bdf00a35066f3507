"""What the web pages need from the store, as a small interface (a port) with plain frozen records.

The pages never talk to SQLAlchemy directly: they call a `WebBackend`. Two implementations exist:
`amnesty.web.memory.MemoryBackend` (an in-process register seeded with demo data, used when the service
layer is absent) and `amnesty.web.service_backend.ServiceBackend` (the service's database, users and
audit log). Both return the records below.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from amnesty.domain.decision import Decision
from amnesty.domain.enums import Category, Outcome, ReleaseMode, Stage
from amnesty.domain.records import CaseRecord


class Role(StrEnum):
    """Roles of the people who use the application (same values as the service's `amnesty.auth.Role`)."""

    ADMIN = "admin"
    CASE_OFFICER = "case_officer"
    REVIEWER = "reviewer"
    SOCIAL_WORKER = "social_worker"
    AUDITOR = "auditor"


@dataclass(frozen=True)
class WebUser:
    """The signed-in user as the pages see it."""

    username: str
    role: Role
    display_name: str
    region: str | None = None


class SortKey(StrEnum):
    """Columns the case list can be sorted by."""

    NAME = "name"
    PERSON_ID = "person_id"
    REGION = "region"
    STAGE = "stage"
    OUTCOME = "outcome"
    END_DATE = "end_date"


@dataclass(frozen=True)
class CaseQuery:
    """Search and sort parameters of the case list."""

    text: str = ""
    region: str | None = None
    outcome: Outcome | None = None
    stage: Stage | None = None
    sort: SortKey = SortKey.NAME
    descending: bool = False
    page: int = 1
    per_page: int = 25


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list: who, where, and what the law gives them."""

    person_id: str
    full_name: str | None
    iin: str | None
    case_number: str | None
    region: str | None
    stage: Stage
    outcome: Outcome
    gravest: Category | None
    new_end_date: dt.date | None
    release: ReleaseMode | None
    provisional: bool
    overridden: bool = False
    review_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CasePage:
    """One page of search results."""

    rows: tuple[CaseRow, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """Number of pages (at least one)."""
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class HistoryEntry:
    """One stored decision of a person (decisions are immutable; a new evaluation adds one)."""

    at: dt.datetime
    outcome: Outcome
    law_version: str
    engine_version: str
    by: str | None


@dataclass(frozen=True)
class OverrideEntry:
    """A reviewer's override of the engine's outcome, with the justification and citation."""

    at: dt.datetime
    by: str
    outcome: Outcome
    justification: str
    citation: str


@dataclass(frozen=True)
class PersonFile:
    """Everything the person page shows."""

    record: CaseRecord
    decision: Decision
    history: tuple[HistoryEntry, ...] = ()
    overrides: tuple[OverrideEntry, ...] = ()

    @property
    def final_outcome(self) -> Outcome:
        """The outcome in force: the latest override, else the engine's."""
        return self.overrides[-1].outcome if self.overrides else self.decision.outcome


@dataclass(frozen=True)
class Stats:
    """Counts for the dashboard."""

    total: int
    by_outcome: Counter[str] = field(default_factory=Counter)
    by_stage: Counter[str] = field(default_factory=Counter)
    by_region: Counter[str] = field(default_factory=Counter)
    by_category: Counter[str] = field(default_factory=Counter)
    by_role: Counter[str] = field(default_factory=Counter)
    released_by_region: Counter[str] = field(default_factory=Counter)


class DuplicateCaseError(ValueError):
    """A record with this person_id is already in the register."""


class UnknownCaseError(LookupError):
    """No person with this person_id."""


class WebBackend(Protocol):
    """The store as the web pages use it."""

    def authenticate(self, username: str, password: str, client: str = "unknown") -> WebUser | None:
        """The user if the password is right, else None (failures counted per username and client)."""
        ...

    def user(self, username: str) -> WebUser | None:
        """A user by name (for the session)."""
        ...

    def search(self, query: CaseQuery) -> CasePage:
        """Cases matching the query, sorted and paginated."""
        ...

    def person(self, person_id: str, actor: str | None = None) -> PersonFile | None:
        """A person's file, or None; with an actor, the read is audited where the store audits."""
        ...

    def add_case(self, record: CaseRecord, by: WebUser) -> PersonFile:
        """Store a new record and its decision; raises DuplicateCaseError."""
        ...

    def review_queue(self, region: str | None = None, code: str | None = None) -> tuple[CaseRow, ...]:
        """Cases whose outcome is needs_review and that have no override yet."""
        ...

    def override(
        self, person_id: str, outcome: Outcome, justification: str, citation: str, by: WebUser
    ) -> None:
        """Record a reviewer's override; raises UnknownCaseError."""
        ...

    def stats(self) -> Stats:
        """Counts for the dashboard."""
        ...

    def releases_due(self, limit: int = 10) -> tuple[CaseRow, ...]:
        """People to be released: at once first, then by new end date."""
        ...

    def audit(self, actor: str, action: str, object_type: str, object_id: str) -> None:
        """Record an event in the audit trail where the store keeps one."""
        ...
