"""Writing tables: each table is a name, a header and rows; written as CSV files and XLSX sheets, and,
for people, as Markdown with numbers in the reader's form (`cell_text`)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from amnesty.io.safe_cells import XLSX_OPTIONS, safe_row
from amnesty.render.formats import format_number

Cell = str | int | float | None


@dataclass(frozen=True)
class Table:
    """A named table of plain cells."""

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def write_csv(table: Table, path: Path) -> Path:
    """Write one table as UTF-8 CSV (with a BOM so that spreadsheet programs read Cyrillic); text
    that a spreadsheet would run as a formula is neutralised (`amnesty.io.safe_cells`)."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(safe_row(table.header))
        writer.writerows(safe_row("" if cell is None else cell for cell in row) for row in table.rows)
    return path


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:31] or "sheet"
    candidate, number = base, 2
    while candidate.lower() in used:
        suffix = f"_{number}"
        candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
    used.add(candidate.lower())
    return candidate


def write_xlsx(tables: Sequence[Table], path: Path) -> Path:
    """Write tables as the sheets of one workbook, with a bold header row and a frozen first row;
    strings are written as strings (never formulas or links), formula-like text neutralised."""
    workbook = xlsxwriter.Workbook(str(path), XLSX_OPTIONS)
    try:
        bold = workbook.add_format({"bold": True})
        used: set[str] = set()
        for table in tables:
            sheet = workbook.add_worksheet(_sheet_name(table.name, used))
            sheet.write_row(0, 0, safe_row(table.header), bold)
            for number, row in enumerate(table.rows, start=1):
                sheet.write_row(number, 0, safe_row("" if cell is None else cell for cell in row))
            sheet.freeze_panes(1, 0)
            widths = [len(str(h)) for h in table.header]
            for row in table.rows:
                for column, cell in enumerate(row):
                    widths[column] = max(widths[column], len(str(cell if cell is not None else "")))
            for column, width in enumerate(widths):
                sheet.set_column(column, column, min(60, width + 2))
    finally:
        workbook.close()
    return path


def cell_text(cell: Cell, language: str) -> str:
    """A cell as people read it in `language`: numbers with the locale's separators ('55,57',
    '1 234'), nothing as an empty string, text as it is."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, int | float):
        return format_number(cell, language)
    return cell


def _markdown_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def markdown_table(table: Table, language: str, title: str | None = None) -> str:
    """A table as Markdown (a heading, then the table), numbers in `language`'s form."""
    lines = [f"## {_markdown_cell(title or table.name)}", ""]
    lines.append("| " + " | ".join(_markdown_cell(h) for h in table.header) + " |")
    aligns = [
        "---:" if any(isinstance(r[i], int | float) for r in table.rows) else "---"
        for i in range(len(table.header))
    ]
    lines.append("| " + " | ".join(aligns) + " |")
    for row in table.rows:
        lines.append("| " + " | ".join(_markdown_cell(cell_text(cell, language)) for cell in row) + " |")
    return "\n".join(lines) + "\n"


def write_markdown(
    title: str, intro: Sequence[str], tables: Sequence[Table], language: str, path: Path
) -> Path:
    """A Markdown report: a title, lines of text, then every table (numbers in `language`'s form)."""
    parts = [f"# {_markdown_cell(title)}", "", *intro, ""] if intro else [f"# {_markdown_cell(title)}", ""]
    parts += [markdown_table(table, language) for table in tables]
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
