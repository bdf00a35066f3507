"""Statistics of decisions: persons per outcome, and per stage, category, region, role, acting body
and month, each broken down by outcome.

A row is built from a decision and, where known, its case record (stage, region, role and offence
dates are in the record, not in the decision). Decisions read from a file may carry these as extra
fields (`stage`, `region`, `role`, `offence_date`); otherwise they count as "unknown".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from amnesty.domain.decision import Decision
from amnesty.domain.enums import Outcome
from amnesty.domain.records import CaseRecord
from amnesty.impact.measure import gravest_category
from amnesty.reports.tables import Table

UNKNOWN = "unknown"
DIMENSIONS = ("outcome", "stage", "category", "region", "role", "acting_body", "as_of_month", "offence_month")


@dataclass(frozen=True)
class StatRow:
    """What the statistics count of one person's decision."""

    outcome: str
    stage: str
    category: str
    region: str
    role: str
    acting_body: str
    as_of_month: str
    offence_month: str


def _month(value: Any) -> str:
    if isinstance(value, dt.date):
        return f"{value:%Y-%m}"
    if isinstance(value, str) and len(value) >= 7:
        return value[:7]
    return UNKNOWN


def stat_row(
    decision: Decision, record: CaseRecord | None = None, extra: Mapping[str, Any] | None = None
) -> StatRow:
    """The row for one decision (with its record, or with extra fields read alongside it)."""
    extra = extra or {}
    category = gravest_category(decision)
    if record is not None:
        stage, region, role = record.stage.value, record.region or UNKNOWN, record.role.value
        offence: Any = min(charge.offence_date for charge in record.charges)
    else:
        stage = str(extra.get("stage") or UNKNOWN)
        region = str(extra.get("region") or UNKNOWN)
        role = str(extra.get("role") or UNKNOWN)
        offence = extra.get("offence_date")
    return StatRow(
        outcome=decision.outcome.value,
        stage=stage,
        category=category.value if category is not None else UNKNOWN,
        region=region,
        role=role,
        acting_body=decision.acting_body.value,
        as_of_month=_month(decision.as_of),
        offence_month=_month(offence),
    )


@dataclass(frozen=True)
class Statistics:
    """Counts over a set of rows."""

    rows: tuple[StatRow, ...]

    @classmethod
    def of(cls, rows: Iterable[StatRow]) -> Statistics:
        """Statistics over the given rows."""
        return cls(tuple(rows))

    def counts(self, dimension: str) -> dict[str, int]:
        """Persons per value of a dimension (outcomes in contract order, others sorted)."""
        counter = Counter(getattr(row, dimension) for row in self.rows)
        if dimension == "outcome":
            return {o.value: counter[o.value] for o in Outcome if counter[o.value]}
        return dict(sorted(counter.items()))

    def by_outcome(self, dimension: str) -> dict[str, Counter[str]]:
        """Per value of a dimension, persons per outcome."""
        result: dict[str, Counter[str]] = {}
        for row in self.rows:
            result.setdefault(getattr(row, dimension), Counter())[row.outcome] += 1
        return dict(sorted(result.items()))

    def table(self, dimension: str) -> Table:
        """The table of a dimension: value, persons, share, then persons per outcome."""
        total = len(self.rows) or 1
        outcomes = [o.value for o in Outcome]
        if dimension == "outcome":
            return Table(
                "outcome",
                ("outcome", "persons", "share_percent"),
                tuple((name, n, round(100 * n / total, 1)) for name, n in self.counts("outcome").items()),
            )
        breakdown = self.by_outcome(dimension)
        return Table(
            dimension,
            (dimension, "persons", "share_percent", *outcomes),
            tuple(
                (value, sum(c.values()), round(100 * sum(c.values()) / total, 1), *(c[o] for o in outcomes))
                for value, c in breakdown.items()
            ),
        )

    def tables(self) -> list[Table]:
        """Every dimension's table."""
        return [self.table(dimension) for dimension in DIMENSIONS]

    def to_json_dict(self) -> dict[str, Any]:
        """Counts per dimension as JSON data."""
        return {"persons": len(self.rows), **{d: self.counts(d) for d in DIMENSIONS}}
