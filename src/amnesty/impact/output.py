"""Writing an impact report: JSON and CSV tables for programs (stable codes), and for people an XLSX
workbook, a Markdown report and PNG charts in the reader's language (outcomes, regions and categories
in words, regions in the reader's alphabetical order, "Total" and "Not recorded" in words, numbers in
the locale's form in Markdown and printed tables).
"""

from __future__ import annotations

import json
from pathlib import Path

from amnesty.domain.enums import Category, Outcome
from amnesty.impact.compare import UNKNOWN, GroupImpact, ImpactReport
from amnesty.render.collation import collation_key
from amnesty.render.formats import format_number
from amnesty.render.vocabulary import TOTAL, table_word, term
from amnesty.reports.charts import bar_chart
from amnesty.reports.tables import Table, write_csv, write_markdown, write_xlsx

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


def _data_tables(report: ImpactReport) -> list[Table]:
    """The tables for programs: codes, English snake_case headers."""
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


def impact_tables(report: ImpactReport, language: str | None = None) -> list[Table]:
    """The report's tables: outcomes, transitions, by region, by category, changed persons. Without a
    `language`, as data (codes, snake_case headers: the CSV files, the web page's labels); with one,
    in its words (the XLSX workbook, the Markdown report, the printed tables)."""
    if language is None:
        return _data_tables(report)
    return _people_tables(report, language)


def _region_order(names: list[str], language: str) -> list[str]:
    """Regions in the reader's alphabetical order, "not recorded" last."""
    known = sorted(
        (n for n in names if n != UNKNOWN), key=lambda n: collation_key(term("region", n, language), language)
    )
    return known + [n for n in names if n == UNKNOWN]


def _category_order(names: list[str]) -> list[str]:
    """Categories from the least to the most grave, "not recorded" last."""
    order = {category.value: category.gravity for category in Category}
    return sorted(names, key=lambda n: (n not in order, order.get(n, 0), n))


def _people_tables(report: ImpactReport, language: str) -> list[Table]:
    def word(key: str) -> str:
        return table_word(key, language)

    def group_row(kind: str, name: str, group: GroupImpact) -> tuple[str | int | float, ...]:
        data = group.to_json_dict()
        return (term(kind, name, language), *(data[key] for key in _GROUP_HEADER))

    outcomes = report.outcome_counts()
    total = report.total()
    regions, categories = report.by("region"), report.by("category")
    outcome_rows = tuple(
        (term("outcome", name, language), c["baseline"], c["variant"], c["delta"])
        for name, c in outcomes.items()
    )
    return [
        Table(
            word("outcomes"),
            (word("outcome"), word("baseline"), word("variant"), word("delta")),
            (*outcome_rows, (word("total"), total.persons, total.persons, 0)),
        ),
        Table(
            word("transitions"),
            (word("from"), word("to"), word("persons")),
            tuple(
                (term("outcome", a.value, language), term("outcome", b.value, language), n)
                for a, b, n in report.changed_transitions()
            ),
        ),
        Table(
            word("by_region"),
            (word("region"), *(word(key) for key in _GROUP_HEADER)),
            (
                *(
                    group_row("region", name, regions[name])
                    for name in _region_order(list(regions), language)
                ),
                group_row("region", TOTAL, total),
            ),
        ),
        Table(
            word("by_category"),
            (word("category"), *(word(key) for key in _GROUP_HEADER)),
            (
                *(
                    group_row("category", name, categories[name])
                    for name in _category_order(list(categories))
                ),
                group_row("category", TOTAL, total),
            ),
        ),
        Table(
            word("changed_persons"),
            (
                word("person_id"),
                word("region"),
                word("category"),
                word("from"),
                word("to"),
                word("baseline_days"),
                word("variant_days"),
            ),
            tuple(
                (
                    c.person_id,
                    term("region", c.region, language),
                    term("category", c.category, language),
                    term("outcome", c.baseline.value, language),
                    term("outcome", c.variant.value, language),
                    c.baseline_days,
                    c.variant_days,
                )
                for c in report.changes
                if c.changed
            ),
        ),
    ]


def impact_summary(report: ImpactReport, language: str) -> list[str]:
    """The report in sentences of `language` (persons, changes, person-years; invalid records)."""
    total = report.total()
    lines = [
        table_word("impact_summary", language).format(
            persons=format_number(total.persons, language),
            changed=format_number(total.outcome_changed, language),
            baseline=format_number(round(total.baseline_person_years, 2), language),
            variant=format_number(round(total.variant_person_years, 2), language),
            delta=("+" if total.person_years_delta > 0 else "")
            + format_number(round(total.person_years_delta, 2), language),
        )
    ]
    if report.rejected:
        lines.append(
            table_word("impact_rejected", language).format(count=format_number(report.rejected, language))
        )
    return lines


def impact_chart(report: ImpactReport, path: Path, language: str | None = None) -> Path:
    """Persons per outcome under the baseline and the variant (grouped bars); in `language`'s words
    when given, else labelled with the codes."""
    outcomes = report.outcome_counts()
    codes = [outcome.value for outcome in Outcome]
    if language is None:
        labels, title = codes, f"Outcomes: baseline vs {report.variant_name}"
        names = ("baseline", report.variant_name)
    else:
        labels = [term("outcome", code, language) for code in codes]
        title = table_word("outcomes_chart", language)
        names = (
            table_word("baseline", language),
            f"{table_word('variant', language)} «{report.variant_name}»",
        )
    bar_chart(
        labels,
        {
            names[0]: [outcomes[code]["baseline"] for code in codes],
            names[1]: [outcomes[code]["variant"] for code in codes],
        },
        title,
        [path],
        ylabel="persons" if language is None else table_word("persons", language),
        language=language,
    )
    return path


def region_chart(report: ImpactReport, path: Path, language: str = "en") -> Path:
    """Person-years of imprisonment removed per region under both laws, in `language`'s words and
    the reader's alphabetical order of the regions."""
    groups = report.by("region")
    names = _region_order(list(groups), language)
    bar_chart(
        [term("region", name, language) for name in names],
        {
            table_word("baseline", language): [groups[name].baseline_person_years for name in names],
            f"{table_word('variant', language)} «{report.variant_name}»": [
                groups[name].variant_person_years for name in names
            ],
        },
        table_word("regions_chart", language),
        [path],
        ylabel=table_word("person_years", language),
        horizontal=True,
        language=language,
    )
    return path


def write_impact(report: ImpactReport, out: Path, language: str = "en") -> list[Path]:
    """Write into `out`: for programs impact.json and one CSV per table (codes); for people in
    `language` impact.xlsx, impact.md and the charts."""
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "impact.json"]
    written[0].write_text(
        json.dumps(report.to_json_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    written += [write_csv(table, out / f"{table.name}.csv") for table in impact_tables(report)]
    tables = impact_tables(report, language)
    written.append(write_xlsx(tables, out / "impact.xlsx"))
    title = table_word("impact_title", language).format(name=report.variant_name)
    written.append(
        write_markdown(title, impact_summary(report, language), tables, language, out / "impact.md")
    )
    written.append(impact_chart(report, out / "impact_outcomes.png", language))
    written.append(region_chart(report, out / "impact_regions.png", language))
    return written
