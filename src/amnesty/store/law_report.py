"""The counts of a law's report (`/reports?law=ID`): the decisions in force under one law, grouped by
region, by stage, by relief and by the rule that excluded them. One query per list.

Every list counts the same decisions as the dashboard's counts under that law
(`queries.statistics(law=...)`): the newest decision of each case made under the law
(`queries.newest_decision(law=...)`), with the outcome in force (the newest override not withdrawn,
else the engine's, `in_force.override_in_force_id`). A list's total is therefore the dashboard's
number of decisions under the law.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from amnesty.domain.enums import Outcome
from amnesty.store.in_force import override_in_force_id
from amnesty.store.models import Case, DecisionRow, OverrideRow, Person
from amnesty.store.queries import newest_decision

NOT_RECORDED = "unknown"
"""The group of a decision whose region or stage is not recorded."""

BY_REVIEWER = "reviewer"
"""The rule group of a decision excluded by a reviewer (no rule of the software excluded it)."""

EXCLUSION_PREFIX = "EXCLUDED_"
"""The code of every exclusion reason starts so (each law's exclusions: `EXCLUDED_TERRORIST`...)."""

RELIEF_OUTCOMES: tuple[Outcome, ...] = (
    Outcome.TERMINATE_CASE,
    Outcome.RELEASE,
    Outcome.REDUCE_SENTENCE,
    Outcome.REDUCE_AT_SENTENCING,
    Outcome.EXPUNGE_CONVICTION,
)
"""The outcomes that give relief, in the order of the report."""

Dimension = Literal["region", "stage"]


@dataclass(frozen=True)
class Grouped:
    """Decisions per group (a region, a stage) and outcome in force."""

    counts: dict[str, dict[str, int]]

    @property
    def total(self) -> int:
        """Every decision counted."""
        return sum(sum(row.values()) for row in self.counts.values())

    def outcome_total(self, outcome: str) -> int:
        """Decisions with `outcome` in force, over every group."""
        return sum(row.get(outcome, 0) for row in self.counts.values())

    def outcomes(self) -> list[str]:
        """The outcomes that occur, in the order of the contract."""
        seen = {outcome for row in self.counts.values() for outcome in row}
        return [outcome.value for outcome in Outcome if outcome.value in seen]


@dataclass(frozen=True)
class ReliefCount:
    """Decisions giving one relief (outcome in force), split by the engine's release mode."""

    outcome: str
    release: str | None
    count: int


def _in_force(*columns: Any) -> Select[Any]:
    """SELECT `columns` over the decisions in force (joined to their override in force, if any)."""
    newest_override = override_in_force_id().subquery()
    return (
        select(*columns)
        .select_from(DecisionRow)
        .outerjoin(newest_override, newest_override.c.decision_fk == DecisionRow.id)
        .outerjoin(OverrideRow, OverrideRow.id == newest_override.c.oid)
    )


def _scoped(query: Select[Any], law: str, region_limit: str | None) -> Select[Any]:
    query = query.where(newest_decision(law=law))
    if region_limit is not None:
        query = query.where(Person.region == region_limit)
    return query


def _in_effect() -> ColumnElement[str]:
    """The outcome in force of the decision joined by `_in_force`."""
    return func.coalesce(OverrideRow.outcome, DecisionRow.outcome)


def outcomes_by(db: Session, law: str, dimension: Dimension, region_limit: str | None = None) -> Grouped:
    """Decisions in force under `law` per person's region (or case's stage) and outcome in force."""
    column = Person.region if dimension == "region" else Case.stage
    in_effect = _in_effect()
    query = (
        _in_force(column, in_effect, func.count())
        .join(Case, Case.id == DecisionRow.case_fk)
        .join(Person, Person.id == Case.person_fk)
    )
    query = _scoped(query, law, region_limit).group_by(column, in_effect)
    counts: dict[str, dict[str, int]] = {}
    for group, outcome, count in db.execute(query).all():
        row = counts.setdefault(group or NOT_RECORDED, {})
        row[outcome] = row.get(outcome, 0) + int(count)
    return Grouped(counts)


def relief(db: Session, law: str, region_limit: str | None = None) -> list[ReliefCount]:
    """Decisions in force under `law` that give relief, per outcome in force and the engine's release
    mode (at once, on the new end date), in the order of `RELIEF_OUTCOMES`."""
    mode, in_effect = DecisionRow.release_mode, _in_effect()
    query = _in_force(in_effect, mode, func.count())
    if region_limit is not None:
        query = query.join(Case, Case.id == DecisionRow.case_fk).join(Person, Person.id == Case.person_fk)
    reliefs = [outcome.value for outcome in RELIEF_OUTCOMES]
    query = _scoped(query, law, region_limit).where(in_effect.in_(reliefs)).group_by(in_effect, mode)
    found = [ReliefCount(outcome, release, int(count)) for outcome, release, count in db.execute(query).all()]
    return sorted(found, key=lambda row: (reliefs.index(row.outcome), row.release or ""))


def exclusions_by_rule(db: Session, law: str, region_limit: str | None = None) -> Counter[str]:
    """Persons excluded (outcome in force `excluded`) under `law` per rule that excluded them (a
    decision excluded by several rules counts under each; one a reviewer excluded counts under
    `BY_REVIEWER`). Reads the reason trace of the excluded decisions only."""
    query = _in_force(DecisionRow.outcome, DecisionRow.decision)
    if region_limit is not None:
        query = query.join(Case, Case.id == DecisionRow.case_fk).join(Person, Person.id == Case.person_fk)
    query = _scoped(query, law, region_limit).where(_in_effect() == Outcome.EXCLUDED.value)
    counts: Counter[str] = Counter()
    for outcome, decision in db.execute(query).all():
        rules = _exclusion_rules(decision) if outcome == Outcome.EXCLUDED.value else set()
        counts.update(rules or {BY_REVIEWER})
    return counts


def _exclusion_rules(decision: dict[str, Any]) -> set[str]:
    reasons: Iterable[dict[str, Any]] = decision.get("reasons", [])
    every = [*reasons, *(r for charge in decision.get("charges", []) for r in charge.get("reasons", []))]
    return {str(r.get("rule")) for r in every if str(r.get("code", "")).startswith(EXCLUSION_PREFIX)}
