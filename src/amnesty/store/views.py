"""What the store's queries return: typed, immutable views of persons, cases, decisions, overrides,
tasks, the review queue and the statistics (Pydantic models, frozen), named for what they are.

These are the results the service's use cases give back and the API answers (its response models):
the JSON shapes are those of the API before the service layer existed (`docs/service.md`), extended
with the person's name, IIN and region on case rows and the release mode and new end date on
decisions. Dates and times are ISO text, as the API always sent them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from amnesty.domain.enums import Outcome, ReleaseMode

Item = TypeVar("Item", bound=BaseModel)


class Result(BaseModel):
    """Base of every result: immutable; unknown keys of the store's rows are ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class Page(Result, Generic[Item]):
    """One page of a list and the total number of matches."""

    items: list[Item]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        """Number of pages (at least one)."""
        return max(1, -(-self.total // max(self.page_size, 1)))


class OverrideOut(Result):
    """A reviewer's decision recorded beside an engine decision."""

    id: int
    decision_id: int
    outcome: str
    release_date: str | None
    new_end_date: str | None
    justification: str
    citation: str
    reviewer: str
    created_at: str | None
    withdrawn: bool = False
    withdrawn_by: str | None = None
    withdrawn_at: str | None = None
    withdrawal_reason: str | None = None


class InForceOut(Result):
    """The decision in force of a case (`amnesty.store.in_force`): the engine's newest decision, or
    the newest override of it not withdrawn; who made it (`engine` or `reviewer`, by whom) and when."""

    source: str
    outcome: str
    decided_by: str
    decided_at: str | None
    override_id: int | None = None
    release: str | None = None
    release_date: str | None = None
    new_end_date: str | None = None


class DecisionSummary(Result):
    """A decision in lists: outcome (engine's and in effect), flags, versions, release."""

    id: int
    case_id: int
    sequence: int
    outcome: str
    effective_outcome: str
    overridden: bool
    in_force: InForceOut | None = None
    acting_body: str
    needs_review: bool
    provisional: bool
    release: str | None = None
    new_end_date: str | None = None
    flags: list[str]
    law: str
    law_version: str
    engine_version: str
    as_of: str | None
    created_at: str | None
    created_by: str


class DecisionDetail(DecisionSummary):
    """A decision in full: the engine's decision with its reasons, facts used, diff, overrides."""

    previous_id: int | None
    decision: dict[str, Any]
    input: dict[str, Any]
    diff: dict[str, Any] | None
    overrides: list[OverrideOut]


class TaskOut(Result):
    """A resocialisation task."""

    id: int
    person_id: str
    full_name: str | None = None
    case_id: int
    decision_id: int
    kind: str
    region: str | None
    akimat: str | None
    status: str
    assignee: str | None
    due_date: str | None
    completed_on: str | None
    notes: str
    version: int
    created_at: str | None
    updated_at: str | None


class CaseSummary(Result):
    """A case in lists: its person, number, stage, version and newest decision."""

    id: int
    person_id: str
    full_name: str | None = None
    iin: str | None = None
    region: str | None = None
    case_number: str | None
    stage: str
    version: int
    charges: int
    decision: DecisionSummary | None
    updated_at: str | None

    @property
    def outcome(self) -> Outcome | None:
        """The outcome in effect (the newest override's, else the engine's) of the newest decision."""
        return Outcome(self.decision.effective_outcome) if self.decision else None

    @property
    def release(self) -> ReleaseMode | None:
        """When the engine's decision in force releases the person, if it does (None under a reviewer's
        decision, which gives a release date instead)."""
        in_force = self.decision.in_force if self.decision else None
        mode = in_force.release if in_force else (self.decision.release if self.decision else None)
        return ReleaseMode(mode) if mode else None

    @property
    def new_end_date(self) -> dt.date | None:
        """The new end date of the term under the decision in force."""
        in_force = self.decision.in_force if self.decision else None
        value = in_force.new_end_date if in_force else (self.decision.new_end_date if self.decision else None)
        return dt.date.fromisoformat(value[:10]) if value else None

    @property
    def provisional(self) -> bool:
        """Whether the newest decision rests on a provisional basis."""
        return bool(self.decision and self.decision.provisional)

    @property
    def overridden(self) -> bool:
        """Whether a reviewer's override of the newest decision is in force."""
        return bool(self.decision and self.decision.overridden)


class AnswerOut(Result):
    """A question answered: the fact's field, the source document named, who answered and when."""

    field: str
    source: str
    answered_by: str
    answered_at: str | None
    decision_id: int | None = None


class CaseDetail(CaseSummary):
    """A case in full: facts (`record`), every decision (newest last), tasks and, in a person's file,
    the questions answered with their source documents."""

    record: dict[str, Any]
    decisions: list[DecisionDetail]
    tasks: list[TaskOut]
    answers: list[AnswerOut] = []


class PersonSummary(Result):
    """A person in lists with their cases' newest decisions."""

    person_id: str
    full_name: str | None
    iin: str | None
    region: str | None
    role: str
    cases: list[CaseSummary]


class PersonFile(Result):
    """A person's whole file: facts and every case with its decisions, overrides and tasks."""

    person_id: str
    full_name: str | None
    iin: str | None
    birth_date: str | None
    region: str | None
    role: str
    recidivism: str
    conviction_expunged: bool
    fixed_residence: bool | None
    able_bodied: bool | None
    needs_medical_care: bool | None
    needs_documents: bool | None
    sex: str | None = None
    veteran: bool | None = None
    pregnant: bool | None = None
    children_under_18: bool | None = None
    sole_parent: bool | None = None
    disabled_dependant: bool | None = None
    disability_group: int | None = None
    negative_conduct: bool | None = None
    malicious_violator: bool = False
    crime_while_serving: bool = False
    objects: bool = False
    created_at: str | None
    updated_at: str | None
    cases: list[CaseDetail]


class ReviewItem(DecisionSummary):
    """An entry of the review queue: the decision, its person and case, and the reason codes."""

    person_id: str
    full_name: str | None = None
    region: str | None
    case_number: str | None = None
    stage: str | None = None
    reason_codes: list[str]
    taken_by: str | None = None
    taken_at: str | None = None


class Statistics(Result):
    """Counts for the dashboard and `/api/stats` (within a region when the user is scoped)."""

    region: str | None
    persons: int
    cases: int
    by_outcome: dict[str, int]
    by_effective_outcome: dict[str, int]
    by_stage: dict[str, int]
    by_category: dict[str, int]
    by_region: dict[str, int]
    by_role: dict[str, int]
    released_by_region: dict[str, int]
    review_open: int
    review_undecided: int = 0
    """Of `review_open`, the decisions with no outcome (`needs_review`); the rest are provisional."""
    tasks_by_status: dict[str, int]
