"""Run the baseline and a variant of the law over the same records and compare them person by person.

The comparison reports how many persons change outcome and from which to which (the transition
matrix), the person-years of imprisonment each law removes (`amnesty.impact.measure`), and both broken
down by region and by category (the gravest recorded category of the person's charges).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from amnesty.domain.decision import Decision
from amnesty.domain.enums import Outcome
from amnesty.domain.records import CaseRecord
from amnesty.engine.evaluate import evaluate
from amnesty.impact.measure import DAYS_PER_YEAR, gravest_category, removed_custody_days
from amnesty.law.loader import Law

UNKNOWN = "unknown"


@dataclass(frozen=True)
class PersonChange:
    """One person's outcome and custody removed under the baseline and under the variant."""

    person_id: str
    region: str
    category: str
    baseline: Outcome
    variant: Outcome
    baseline_days: int | None
    variant_days: int | None

    @property
    def changed(self) -> bool:
        """True when the outcome differs, or the same outcome removes a different amount of custody."""
        return self.baseline is not self.variant or self.baseline_days != self.variant_days


@dataclass(frozen=True)
class GroupImpact:
    """Totals for one group of persons (a region, a category, or everyone)."""

    persons: int
    outcome_changed: int
    baseline_person_years: float
    variant_person_years: float
    unmeasured: int

    @property
    def person_years_delta(self) -> float:
        """Variant minus baseline person-years removed (positive: the variant removes more)."""
        return self.variant_person_years - self.baseline_person_years

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON shape with person-years rounded to two decimals."""
        return {
            "persons": self.persons,
            "outcome_changed": self.outcome_changed,
            "baseline_person_years": round(self.baseline_person_years, 2),
            "variant_person_years": round(self.variant_person_years, 2),
            "person_years_delta": round(self.person_years_delta, 2),
            "unmeasured": self.unmeasured,
        }


def _group(changes: Iterable[PersonChange]) -> GroupImpact:
    items = list(changes)
    return GroupImpact(
        persons=len(items),
        outcome_changed=sum(1 for c in items if c.baseline is not c.variant),
        baseline_person_years=sum(c.baseline_days or 0 for c in items) / DAYS_PER_YEAR,
        variant_person_years=sum(c.variant_days or 0 for c in items) / DAYS_PER_YEAR,
        unmeasured=sum(1 for c in items if c.baseline_days is None or c.variant_days is None),
    )


@dataclass(frozen=True)
class ImpactReport:
    """The comparison of two laws over one set of records."""

    baseline_version: str
    variant_version: str
    variant_name: str
    as_of: dt.date | None
    changes: tuple[PersonChange, ...]
    rejected: int

    def outcome_counts(self) -> dict[str, dict[str, int]]:
        """Persons per outcome under each law, every outcome listed (zeros included)."""
        base = Counter(c.baseline for c in self.changes)
        var = Counter(c.variant for c in self.changes)
        return {
            outcome.value: {
                "baseline": base[outcome],
                "variant": var[outcome],
                "delta": var[outcome] - base[outcome],
            }
            for outcome in Outcome
        }

    def transitions(self) -> dict[tuple[Outcome, Outcome], int]:
        """Persons per (baseline outcome, variant outcome) pair, only pairs that occur."""
        return dict(Counter((c.baseline, c.variant) for c in self.changes))

    def changed_transitions(self) -> list[tuple[Outcome, Outcome, int]]:
        """The off-diagonal cells of the transition matrix, largest first."""
        cells = [(a, b, n) for (a, b), n in self.transitions().items() if a is not b]
        return sorted(cells, key=lambda cell: (-cell[2], cell[0].value, cell[1].value))

    def total(self) -> GroupImpact:
        """Totals over every person."""
        return _group(self.changes)

    def by(self, key: str) -> dict[str, GroupImpact]:
        """Totals per region or per category (`key` is 'region' or 'category'), sorted by name."""
        groups: dict[str, list[PersonChange]] = {}
        for change in self.changes:
            groups.setdefault(getattr(change, key), []).append(change)
        return {name: _group(groups[name]) for name in sorted(groups)}

    def to_json_dict(self) -> dict[str, Any]:
        """The whole report as JSON data."""
        return {
            "variant": self.variant_name,
            "baseline_version": self.baseline_version,
            "variant_version": self.variant_version,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "persons": len(self.changes),
            "rejected": self.rejected,
            "total": self.total().to_json_dict(),
            "outcomes": self.outcome_counts(),
            "transitions": [
                {"from": a.value, "to": b.value, "persons": n} for a, b, n in self.changed_transitions()
            ],
            "matrix": {
                a.value: {b.value: n for (x, b), n in self.transitions().items() if x is a}
                for a in Outcome
                if any(x is a for x, _ in self.transitions())
            },
            "by_region": {name: group.to_json_dict() for name, group in self.by("region").items()},
            "by_category": {name: group.to_json_dict() for name, group in self.by("category").items()},
        }


def compare_decisions(record: CaseRecord, baseline: Decision, variant: Decision) -> PersonChange:
    """One person's change between the two decisions."""
    category = gravest_category(baseline) or gravest_category(variant)
    return PersonChange(
        person_id=record.person_id,
        region=record.region or UNKNOWN,
        category=category.value if category is not None else UNKNOWN,
        baseline=baseline.outcome,
        variant=variant.outcome,
        baseline_days=removed_custody_days(baseline),
        variant_days=removed_custody_days(variant),
    )


def run_impact(
    records: Iterable[CaseRecord],
    baseline: Law,
    variant: Law,
    variant_name: str = "variant",
    as_of: dt.date | None = None,
    strict: bool = False,
    rejected: int = 0,
) -> ImpactReport:
    """Decide every record under both laws (same as-of date and mode) and compare."""
    changes = tuple(
        compare_decisions(
            record,
            evaluate(record, baseline, as_of, strict, questions=False),
            evaluate(record, variant, as_of, strict, questions=False),
        )
        for record in records
    )
    return ImpactReport(
        baseline_version=baseline.version,
        variant_version=variant.version,
        variant_name=variant_name,
        as_of=as_of,
        changes=changes,
        rejected=rejected,
    )
