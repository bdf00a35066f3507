"""The decision in force of a case: the one notion every reader of a case's outcome goes through.

A case's decision in force is its newest engine decision, unless a reviewer overrode that decision:
then it is the newest override of it that has not been withdrawn. Older decisions of the case, and
overrides of them, are history. The case page, the decision documents, the lists, the exports, the
review queue, the dashboard counts and the task lists all read the outcome, figures and authority
(engine or reviewer, by whom, when) from here: `decision_in_force` for rows already loaded,
`override_in_force` for one decision, and `override_in_force_id` (SQL) for queries that count or
filter in the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, Select, func, select

from amnesty.domain.enums import Outcome, ReleaseMode
from amnesty.store.models import DecisionRow, OverrideRow, OverrideWithdrawal


class DecisionSource(StrEnum):
    """Who made the decision in force."""

    ENGINE = "engine"
    REVIEWER = "reviewer"


def override_in_force(decision: DecisionRow) -> OverrideRow | None:
    """The newest override of `decision` that was not withdrawn, if any (overrides loaded oldest first)."""
    for row in reversed(decision.overrides):
        if row.withdrawal is None:
            return row
    return None


@dataclass(frozen=True)
class DecisionInForce:
    """The decision in force of a case: the engine's newest decision and the override in force of it."""

    decision: DecisionRow
    override: OverrideRow | None

    @property
    def source(self) -> DecisionSource:
        """Engine or reviewer."""
        return DecisionSource.REVIEWER if self.override is not None else DecisionSource.ENGINE

    @property
    def outcome(self) -> Outcome:
        """The outcome in force."""
        return Outcome(self.override.outcome if self.override is not None else self.decision.outcome)

    @property
    def decided_by(self) -> str:
        """The reviewer who overrode, else the user whose action made the engine decide."""
        return self.override.reviewer if self.override is not None else self.decision.created_by

    @property
    def decided_at(self) -> dt.datetime:
        """When the decision in force was made."""
        return self.override.created_at if self.override is not None else self.decision.created_at

    @property
    def release_date(self) -> dt.date | None:
        """The release date a reviewer set (an engine decision releases by its mode, not a date)."""
        return self.override.release_date if self.override is not None else None

    @property
    def new_end_date(self) -> dt.date | None:
        """The new end date of the term in force (the reviewer's when overridden)."""
        if self.override is not None:
            return self.override.new_end_date
        return self.decision.new_end_date

    @property
    def release_mode(self) -> ReleaseMode | None:
        """When the engine's decision releases the person; None under a reviewer's decision, which
        gives a release date instead."""
        if self.override is not None or not self.decision.release_mode:
            return None
        return ReleaseMode(self.decision.release_mode)


def in_force_of(decision: DecisionRow) -> DecisionInForce:
    """The decision in force when `decision` is its case's newest engine decision."""
    return DecisionInForce(decision, override_in_force(decision))


def decision_in_force(decisions: Sequence[DecisionRow]) -> DecisionInForce | None:
    """The decision in force of a case given its decisions oldest first (`Case.decisions`), or None
    when the case has not been decided."""
    return in_force_of(decisions[-1]) if decisions else None


def override_in_force_id() -> Select[int, int]:
    """SQL: per decision with an override in force, `(decision_fk, oid)`: the newest override not
    withdrawn (for counts and filters in the database, as `override_in_force` reads loaded rows)."""
    withdrawn = select(OverrideWithdrawal.override_fk)
    return (
        select(OverrideRow.decision_fk, func.max(OverrideRow.id).label("oid"))
        .where(OverrideRow.id.not_in(withdrawn))
        .group_by(OverrideRow.decision_fk)
    )


def has_override_in_force() -> ColumnElement[bool]:
    """SQL: the decision (`DecisionRow`) has an override in force."""
    withdrawn = select(OverrideWithdrawal.override_fk)
    return (
        select(OverrideRow.id)
        .where(OverrideRow.decision_fk == DecisionRow.id, OverrideRow.id.not_in(withdrawn))
        .exists()
    )


def outcome_in_force() -> ColumnElement[str]:
    """SQL: the outcome in force of the decision (`DecisionRow`): its newest override not withdrawn,
    else its own (a correlated lookup on the overrides' decision index)."""
    withdrawn = select(OverrideWithdrawal.override_fk)
    newest = (
        select(OverrideRow.outcome)
        .where(OverrideRow.decision_fk == DecisionRow.id, OverrideRow.id.not_in(withdrawn))
        .order_by(OverrideRow.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(newest, DecisionRow.outcome)
