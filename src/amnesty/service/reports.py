"""Use cases of a law's report (`/reports?law=ID`): the decisions in force under one law by region
and by stage (each with its outcomes in force), the relief given, and the exclusions by rule; and
each list as an export table (CSV/XLSX through `amnesty.service.exports`).

The lists count the decisions the dashboard counts under the same law (`amnesty.store.law_report`),
so their totals agree with it. Reports are for the roles `Action.READ_REPORTS` names.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from amnesty.law.loader import Law
from amnesty.service.exports import Column, ExportTable, Row
from amnesty.service.policy import Action, Actor, region_limit, require
from amnesty.store import law_report as counts
from amnesty.store.law_report import BY_REVIEWER, RELIEF_OUTCOMES, Grouped, ReliefCount

__all__ = [
    "BY_REVIEWER",
    "RELIEF_OUTCOMES",
    "ExclusionCount",
    "LawReport",
    "ReportList",
    "law_report",
    "report_table",
]


class ReportList(StrEnum):
    """The lists of a law's report (each one query, each one download)."""

    REGION = "region"
    STAGE = "stage"
    RELIEF = "relief"
    EXCLUSIONS = "exclusions"


@dataclass(frozen=True)
class ExclusionCount:
    """Persons excluded under a rule of the law (`rule` is `BY_REVIEWER` for a reviewer's exclusion)."""

    rule: str
    count: int


@dataclass(frozen=True)
class LawReport:
    """A law's report: its id and the four lists."""

    law: str
    by_region: Grouped
    by_stage: Grouped
    relief: list[ReliefCount]
    exclusions: list[ExclusionCount]

    @property
    def decisions(self) -> int:
        """Decisions in force under the law (the total of each of `by_region` and `by_stage`)."""
        return self.by_region.total


def law_report(db: Session, user: Actor, law: Law) -> LawReport:
    """The four lists of `law`'s report, one query each."""
    require(user, Action.READ_REPORTS)
    law_id, limit = law.pack.id, region_limit(user)
    return LawReport(
        law_id,
        counts.outcomes_by(db, law_id, "region", limit),
        counts.outcomes_by(db, law_id, "stage", limit),
        counts.relief(db, law_id, limit),
        _exclusions(db, law, limit),
    )


def _exclusions(db: Session, law: Law, limit: str | None) -> list[ExclusionCount]:
    found = counts.exclusions_by_rule(db, law.pack.id, limit)
    order = {rule: index for index, rule in enumerate(law.pack.rules)}
    rules = sorted(found, key=lambda rule: (rule == BY_REVIEWER, order.get(rule, len(order)), rule))
    return [ExclusionCount(rule, found[rule]) for rule in rules]


def report_table(db: Session, user: Actor, law: Law, name: ReportList) -> ExportTable:
    """One list of the law's report as an export table: a row per group and outcome with its count
    (rules as `law:rule`, for the words of the law that made them)."""
    report = law_report(db, user, law)
    law_column = Column("law", "law")
    columns: tuple[Column, ...]
    if name in (ReportList.REGION, ReportList.STAGE):
        grouped = report.by_region if name is ReportList.REGION else report.by_stage
        columns = (
            law_column,
            Column(name.value, name.value),
            Column("outcome_in_effect", "outcome"),
            Column("decisions"),
        )
        return ExportTable(columns, _grouped_rows(report.law, grouped))
    if name is ReportList.RELIEF:
        columns = (
            law_column,
            Column("outcome_in_effect", "outcome"),
            Column("release", "release"),
            Column("decisions"),
        )
        rows: list[Row] = [(report.law, r.outcome, r.release, r.count) for r in report.relief]
        return ExportTable(columns, iter(rows))
    columns = (law_column, Column("rule", "law_rule"), Column("persons"))
    rows = [(report.law, f"{report.law}:{e.rule}", e.count) for e in report.exclusions]
    return ExportTable(columns, iter(rows))


def _grouped_rows(law_id: str, grouped: Grouped) -> Iterator[Row]:
    for group, outcomes in grouped.counts.items():
        for outcome, count in outcomes.items():
            yield (law_id, group, outcome, count)
