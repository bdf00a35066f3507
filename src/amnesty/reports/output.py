"""Writing statistics: for programs report.json and one CSV per dimension (codes); for people, in the
reader's language, report.xlsx, report.md and PNG + SVG charts (values in words, regions in the
reader's alphabetical order, numbers in the locale's form in Markdown)."""

from __future__ import annotations

import json
from pathlib import Path

from amnesty.render.formats import format_number
from amnesty.render.vocabulary import table_word
from amnesty.reports.charts import bar_chart
from amnesty.reports.statistics import DIMENSIONS, Statistics
from amnesty.reports.tables import write_csv, write_markdown, write_xlsx


def write_report(
    statistics: Statistics, out: Path, chart_formats: tuple[str, ...] = ("png", "svg"), language: str = "en"
) -> list[Path]:
    """Write every table and chart into `out` (people's files in `language`); returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    summary = out / "report.json"
    summary.write_text(
        json.dumps(statistics.to_json_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    written = [summary]
    written += [write_csv(table, out / f"by_{table.name}.csv") for table in statistics.tables()]
    tables = statistics.tables(language)
    written.append(write_xlsx(tables, out / "report.xlsx"))
    persons = table_word("persons", language) + ": " + format_number(len(statistics.rows), language)
    written.append(
        write_markdown(table_word("report_title", language), [persons], tables, language, out / "report.md")
    )
    for dimension, table in zip(DIMENSIONS, tables, strict=True):
        body = table.rows[:-1]  # without the total row
        if not body:
            continue
        paths = [out / f"chart_{dimension}.{fmt}" for fmt in chart_formats]
        what = table_word(dimension, language)
        written += bar_chart(
            [str(row[0]) for row in body],
            {table_word("persons", language): [float(row[1] or 0) for row in body]},
            table_word("chart_of", language).format(
                what=what[:1].lower() + what[1:] if language == "en" else what
            ),
            paths,
            ylabel=table_word("persons", language),
            horizontal=dimension == "region",
            language=language,
        )
    return written
