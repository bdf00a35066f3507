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
from amnesty.domain.enums import ActingBody, Category, Outcome, PersonRole, Stage
from amnesty.domain.records import CaseRecord
from amnesty.impact.measure import gravest_category
from amnesty.render.collation import collation_key
from amnesty.render.vocabulary import TOTAL, table_word, term
from amnesty.reports.tables import Cell, Table

UNKNOWN = "unknown"
DIMENSIONS = ("outcome", "stage", "category", "region", "role", "acting_body", "as_of_month", "offence_month")


_ORDERS: dict[str, tuple[str, ...]] = {
    "stage": tuple(value.value for value in Stage),
    "category": tuple(value.value for value in Category),
    "role": tuple(value.value for value in PersonRole),
    "acting_body": tuple(value.value for value in ActingBody),
}
"""The order of a closed vocabulary in the people's tables: the course of a case, gravity, ..."""


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

    def table(self, dimension: str, language: str | None = None) -> Table:
        """The table of a dimension: value, persons, share, then persons per outcome. Without a
        `language` as data (codes, snake_case headers: the CSV files); with one in its words, values
        in the reader's order (regions alphabetically, outcomes and months as they come) and a total row."""
        if language is not None:
            return self._people_table(dimension, language)
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

    def _people_table(self, dimension: str, language: str) -> Table:
        total = len(self.rows)
        share = 100 / (total or 1)
        outcomes = [o.value for o in Outcome]
        name = table_word(dimension, language)
        if dimension == "outcome":
            rows = [
                (term("outcome", v, language), n, round(share * n, 1))
                for v, n in self.counts("outcome").items()
            ]
            rows.append((table_word("total", language), total, 100.0 if total else 0.0))
            return Table(
                name,
                (name, table_word("persons", language), table_word("share_percent", language)),
                tuple(rows),
            )
        breakdown = self.by_outcome(dimension)
        values = [v for v in breakdown if v != UNKNOWN]
        if dimension == "region":
            values.sort(key=lambda v: collation_key(term("region", v, language), language))
        elif dimension in _ORDERS:
            order = {value: index for index, value in enumerate(_ORDERS[dimension])}
            values.sort(key=lambda v: (order.get(v, len(order)), v))
        values += [v for v in breakdown if v == UNKNOWN]
        overall: Counter[str] = Counter(row.outcome for row in self.rows)
        body: list[tuple[Cell, ...]] = [
            (
                term(dimension, v, language),
                sum(breakdown[v].values()),
                round(share * sum(breakdown[v].values()), 1),
                *(breakdown[v][o] for o in outcomes),
            )
            for v in values
        ]
        body.append(
            (
                term(dimension, TOTAL, language),
                total,
                100.0 if total else 0.0,
                *(overall[o] for o in outcomes),
            )
        )
        header = (
            name,
            table_word("persons", language),
            table_word("share_percent", language),
            *(term("outcome", o, language) for o in outcomes),
        )
        return Table(name, header, tuple(body))

    def tables(self, language: str | None = None) -> list[Table]:
        """Every dimension's table (as data, or in `language`'s words)."""
        return [self.table(dimension, language) for dimension in DIMENSIONS]

    def to_json_dict(self) -> dict[str, Any]:
        """Counts per dimension as JSON data."""
        return {"persons": len(self.rows), **{d: self.counts(d) for d in DIMENSIONS}}
