"""Impact tables (`amnesty impact --lang`), statistics reports (`amnesty report --lang`) and task exports
(`amnesty tasks-export --lang`) read in Russian and Kazakh: headers, outcomes, regions, "total" and "not
recorded" in words, no Latin word, code or ISO date, numbers with the decimal comma, regions in the
reader's alphabetical order; the JSON and CSV files for programs keep the stable codes."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from amnesty.cli.main import app
from amnesty.domain.enums import TaskKind, TaskStatus
from amnesty.domain.regions import REGIONS, region_name
from amnesty.impact.demo import demo_records
from amnesty.render.collation import collation_key
from amnesty.render.formats import format_date
from amnesty.render.vocabulary import table_word, term
from amnesty.resocialisation.export import region_tables
from amnesty.resocialisation.tasks import Task, change_status
from tests.words.wording import assert_readable

READERS = ("ru", "kk")
_QUOTED = re.compile(r"«[^»]*»")
"""The variant's name is the user's own (quoted as given)."""
_POINT_DECIMAL = re.compile(r"\d\.\d")
_COMMA_DECIMAL = re.compile(r"\d,\d")
VARIANT = 'about:\n  name: half-for-grave\nrelief:\n  reduction:\n    grave: "1/2"\n'


@pytest.fixture(scope="module")
def records_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    records = demo_records(240, seed=11)
    data = [json.loads(r.model_dump_json(exclude_none=True)) for r in records]
    data[0].pop("region", None)  # a person whose region is not recorded
    path = tmp_path_factory.mktemp("tables") / "records.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in data), encoding="utf-8")
    return path


def _xlsx_text(path: Path) -> tuple[str, dict[str, list[tuple[Any, ...]]]]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    sheets = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}
    cells = list(sheets) + [
        str(cell) for rows in sheets.values() for row in rows for cell in row if isinstance(cell, str)
    ]
    return "\n".join(cells), sheets


def _region_column(rows: list[tuple[Any, ...]], language: str) -> list[str]:
    names = {region_name(region, language) for region in REGIONS}
    return [str(row[0]) for row in rows[1:] if row[0] in names]


def _in_reader_order(names: list[str], language: str) -> bool:
    return names == sorted(names, key=lambda name: collation_key(name, language))


@pytest.mark.parametrize("language", READERS)
def test_impact_reads_in_the_language(records_file: Path, tmp_path: Path, language: str) -> None:
    variant = tmp_path / "variant.yaml"
    variant.write_text(VARIANT, encoding="utf-8")
    out = tmp_path / "impact"
    result = CliRunner().invoke(
        app,
        ["impact", str(records_file), "--variant", str(variant), "--out", str(out), "--lang", language],
        terminal_width=400,
    )
    assert result.exit_code == 0, result.output
    printed = result.stdout
    assert table_word("total", language) in printed
    assert term("outcome", "reduce_sentence", language) in printed
    assert_readable(_QUOTED.sub("«»", printed), f"impact printed ({language})")
    assert not _POINT_DECIMAL.search(printed), printed
    assert _COMMA_DECIMAL.search(printed)
    markdown = (out / "impact.md").read_text(encoding="utf-8")
    assert_readable(_QUOTED.sub("«»", markdown), f"impact.md ({language})")
    assert not _POINT_DECIMAL.search(markdown)
    assert _COMMA_DECIMAL.search(markdown)
    workbook, sheets = _xlsx_text(out / "impact.xlsx")
    assert_readable(_QUOTED.sub("«»", workbook), f"impact.xlsx ({language})")
    by_region = sheets[table_word("by_region", language)]
    regions = _region_column(by_region, language)
    assert len(regions) > 10
    assert _in_reader_order(regions, language)
    assert by_region[-2][0] == table_word("unknown", language)
    assert by_region[-1][0] == table_word("total", language)
    assert by_region[-1][1] == sum(row[1] for row in by_region[1:-1])
    with (out / "outcomes.csv").open(encoding="utf-8-sig") as handle:
        data = list(csv.DictReader(handle))
    assert {row["outcome"] for row in data} >= {"reduce_sentence", "release"}, "the CSV keeps the codes"
    assert (
        json.loads((out / "impact.json").read_text(encoding="utf-8"))["by_region"]["unknown"]["persons"] == 1
    )


@pytest.mark.parametrize("language", READERS)
def test_statistics_report_reads_in_the_language(records_file: Path, tmp_path: Path, language: str) -> None:
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["report", str(records_file), "--out", str(out), "--lang", language])
    assert result.exit_code == 0, result.output
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert_readable(markdown, f"report.md ({language})")
    assert not _POINT_DECIMAL.search(markdown)
    assert _COMMA_DECIMAL.search(markdown)
    workbook, sheets = _xlsx_text(out / "report.xlsx")
    assert_readable(workbook, f"report.xlsx ({language})")
    region = sheets[table_word("region", language)]
    assert _in_reader_order(_region_column(region, language), language)
    assert region[-1][0] == table_word("total", language)
    assert region[-1][1] == 240
    months = sheets[table_word("offence_month", language)]
    assert months[1][0] == term("offence_month", "2022-01", language)
    assert "2022" in str(months[1][0])
    assert (out / "by_region.csv").read_text(encoding="utf-8-sig").startswith("region,persons,share_percent,")
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["region"]["unknown"] == 1


@pytest.mark.parametrize("language", READERS)
def test_task_export_reads_in_the_language(records_file: Path, tmp_path: Path, language: str) -> None:
    out = tmp_path / "tasks.xlsx"
    result = CliRunner().invoke(
        app, ["tasks-export", str(records_file), "--out", str(out), "--on", "2022-12-31", "--lang", language]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()[:-1]  # the last line names the file written
    assert lines
    assert_readable("\n".join(lines), f"tasks-export printed ({language})")
    workbook, sheets = _xlsx_text(out)
    assert_readable(workbook, f"tasks.xlsx ({language})")
    summary = sheets[table_word("summary", language)]
    assert _in_reader_order(_region_column(summary, language), language)
    listing = sheets[table_word("tasks", language)]
    assert listing[0][0] == table_word("region", language)
    assert {row[4] for row in listing[1:]} == {term("task_status", "open", language)}


@pytest.mark.parametrize("language", READERS)
def test_task_statuses_dates_and_notes_in_the_language(language: str) -> None:
    released = dt.date(2022, 11, 3)
    task = Task("T-1", "P-000001", TaskKind.DOCUMENTS, "Almaty", released, released + dt.timedelta(days=30))
    refused = change_status(
        task, TaskStatus.REFUSED, dt.date(2022, 11, 20), reason="отказался", note="позвонили"
    )
    summary, listing = region_tables([refused, task], None, dt.date(2022, 12, 31), {}, language)
    text = "\n".join(
        str(cell) for table in (summary, listing) for row in (table.header, *table.rows) for cell in row
    )
    assert_readable(text, f"tasks ({language})")
    assert term("task_status", "refused", language) in text
    notes = next(row[13] for row in listing.rows if row[13])
    assert notes.startswith(format_date(dt.date(2022, 11, 20), language))
    assert "позвонили" in notes
    assert table_word("yes", language) in {row[8] for row in listing.rows}
