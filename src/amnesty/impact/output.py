"""Writing an impact report: JSON, CSV and XLSX tables, and a PNG chart."""

from __future__ import annotations

import json
from pathlib import Path

from amnesty.domain.enums import Outcome
from amnesty.impact.compare import GroupImpact, ImpactReport
from amnesty.reports.charts import bar_chart
from amnesty.reports.tables import Table, write_csv, write_xlsx

_GROUP_HEADER = (
    "persons",
    "outcome_changed",
    "baseline_person_years",
    "variant_person_years",
    "person_years_delta",
    "unmeasured",
)


def _group_row(name: str, group: GroupImpact) -> tuple[str | int | float, ...]:
    data = group.to_json_dict()
    return (name, *(data[key] for key in _GROUP_HEADER))


def impact_tables(report: ImpactReport) -> list[Table]:
    """The report's tables: outcomes, transitions, by region, by category, changed persons."""
    outcomes = report.outcome_counts()
    total = report.total()
    return [
        Table(
            "outcomes",
            ("outcome", "baseline", "variant", "delta"),
            tuple((name, c["baseline"], c["variant"], c["delta"]) for name, c in outcomes.items()),
        ),
        Table(
            "transitions",
            ("from", "to", "persons"),
            tuple((a.value, b.value, n) for a, b, n in report.changed_transitions()),
        ),
        Table(
            "by_region",
            ("region", *_GROUP_HEADER),
            (
                *(_group_row(name, group) for name, group in report.by("region").items()),
                _group_row("total", total),
            ),
        ),
        Table(
            "by_category",
            ("category", *_GROUP_HEADER),
            (
                *(_group_row(name, group) for name, group in report.by("category").items()),
                _group_row("total", total),
            ),
        ),
        Table(
            "changed_persons",
            ("person_id", "region", "category", "baseline", "variant", "baseline_days", "variant_days"),
            tuple(
                (
                    c.person_id,
                    c.region,
                    c.category,
                    c.baseline.value,
                    c.variant.value,
                    c.baseline_days,
                    c.variant_days,
                )
                for c in report.changes
                if c.changed
            ),
        ),
    ]


def impact_chart(report: ImpactReport, path: Path) -> Path:
    """Persons per outcome under the baseline and the variant (grouped bars)."""
    outcomes = report.outcome_counts()
    labels = [outcome.value for outcome in Outcome]
    bar_chart(
        labels,
        {
            "baseline": [outcomes[label]["baseline"] for label in labels],
            report.variant_name: [outcomes[label]["variant"] for label in labels],
        },
        f"Outcomes: baseline vs {report.variant_name}",
        [path],
    )
    return path


def region_chart(report: ImpactReport, path: Path) -> Path:
    """Person-years of imprisonment removed per region under both laws."""
    groups = report.by("region")
    labels = list(groups)
    bar_chart(
        labels,
        {
            "baseline": [groups[name].baseline_person_years for name in labels],
            report.variant_name: [groups[name].variant_person_years for name in labels],
        },
        "Person-years of imprisonment removed, by region",
        [path],
        ylabel="person-years",
        horizontal=True,
    )
    return path


def write_impact(report: ImpactReport, out: Path) -> list[Path]:
    """Write impact.json, one CSV per table, impact.xlsx and the charts into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "impact.json"]
    written[0].write_text(
        json.dumps(report.to_json_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    tables = impact_tables(report)
    written += [write_csv(table, out / f"{table.name}.csv") for table in tables]
    written.append(write_xlsx(tables, out / "impact.xlsx"))
    written.append(impact_chart(report, out / "impact_outcomes.png"))
    written.append(region_chart(report, out / "impact_regions.png"))
    return written
