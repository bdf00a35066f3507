"""Writing statistics: report.json, one CSV per dimension, report.xlsx, and PNG + SVG charts."""

from __future__ import annotations

import json
from pathlib import Path

from amnesty.reports.charts import bar_chart
from amnesty.reports.statistics import DIMENSIONS, Statistics
from amnesty.reports.tables import write_csv, write_xlsx

_TITLES = {
    "outcome": "Persons per outcome",
    "stage": "Persons per stage",
    "category": "Persons per category (gravest charge)",
    "region": "Persons per region",
    "role": "Persons per role",
    "acting_body": "Persons per acting body",
    "as_of_month": "Decisions per month (as of)",
    "offence_month": "Persons per month of offence",
}


def write_report(
    statistics: Statistics, out: Path, chart_formats: tuple[str, ...] = ("png", "svg")
) -> list[Path]:
    """Write every table and chart into `out`; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    summary = out / "report.json"
    summary.write_text(
        json.dumps(statistics.to_json_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    tables = statistics.tables()
    written = [summary]
    written += [write_csv(table, out / f"by_{table.name}.csv") for table in tables]
    written.append(write_xlsx(tables, out / "report.xlsx"))
    for dimension in DIMENSIONS:
        counts = statistics.counts(dimension)
        if not counts:
            continue
        paths = [out / f"chart_{dimension}.{fmt}" for fmt in chart_formats]
        written += bar_chart(
            list(counts),
            {"persons": list(counts.values())},
            _TITLES[dimension],
            paths,
            horizontal=dimension == "region",
        )
    return written
