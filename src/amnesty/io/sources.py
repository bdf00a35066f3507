"""Reading raw rows from CSV, XLSX, Parquet and JSON Lines files, one format at a time.

A reader never stops at a bad row: a row it cannot read (bytes that are not text in the chosen
encoding, a wrong number of fields, a line that is not JSON) becomes a `SourceRow` carrying its
problems, and reading goes on. Only a file that cannot be opened at all (empty, not a spreadsheet,
a Parquet file without its footer) raises `FileReadError`.

Row numbers are where a person finds the row in the file: the line number for CSV (the header is
line 1) and JSON Lines, the sheet row for XLSX (the header is row 1), the 1-based row index for
Parquet (which has no header line).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from amnesty.domain.records import FieldError
from amnesty.io.columns import ALL_COLUMNS
from amnesty.io.text import NOT_TEXT, NOT_TEXT_CODE, storable, text_problems

if TYPE_CHECKING:
    from amnesty.io.xlsx_guard import XlsxLimits

_DELIMITERS = (",", ";", "\t", "|")
_KNOWN = frozenset(ALL_COLUMNS)


class FileReadError(Exception):
    """The whole file cannot be read (the message says why); no row of it can be decided."""


class InputFormat(StrEnum):
    """File formats `amnesty batch` reads, chosen by the file's extension."""

    CSV = "csv"
    XLSX = "xlsx"
    PARQUET = "parquet"
    JSONL = "jsonl"


_EXTENSIONS = {
    ".csv": InputFormat.CSV,
    ".tsv": InputFormat.CSV,
    ".txt": InputFormat.CSV,
    ".xlsx": InputFormat.XLSX,
    ".parquet": InputFormat.PARQUET,
    ".pq": InputFormat.PARQUET,
    ".jsonl": InputFormat.JSONL,
    ".ndjson": InputFormat.JSONL,
    ".json": InputFormat.JSONL,
}


def detect_format(path: Path) -> InputFormat:
    """The input format from the file's extension (`.csv`, `.xlsx`, `.parquet`, `.jsonl` ...)."""
    found = _EXTENSIONS.get(path.suffix.lower())
    if found is None:
        known = ", ".join(sorted(_EXTENSIONS))
        raise FileReadError(f"unknown file type {path.suffix!r}; expected one of {known}")
    return found


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One row as read: its number in the file, its cells by column, and any reading problems.

    `nested` marks a JSON Lines line holding a whole record (with its `charges` list) rather than one
    flat row of a charge."""

    row: int
    values: dict[str, Any]
    problems: tuple[FieldError, ...] = ()
    nested: bool = False

    @property
    def person_key(self) -> str | None:
        """The person_id the row belongs to (stripped), or None when it has none."""
        value = self.values.get("person_id")
        if value is None:
            return None
        text = str(value).strip() if not isinstance(value, float) else _float_text(value)
        return text or None


def _float_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


@dataclass
class SourceInfo:
    """What a reader learnt about the file: its columns, and the ones it will not use."""

    columns: tuple[str, ...] = ()
    ignored_columns: tuple[str, ...] = ()
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)


def _not_text(value: str) -> bool:
    if value.isascii():
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# --- the header row --------------------------------------------------------------------------------

HEADER_SEARCH_ROWS = 20
"""Rows searched for the header: a title, a date or an empty row may stand above it."""
HEADER_MIN_KNOWN = 2
"""Known column names a row needs to be taken for the header."""


def _clean_name(name: Any) -> str:
    return "" if name is None else str(name).strip().strip('"').lstrip("\ufeff").strip()


def header_index(rows: list[list[Any]]) -> int:
    """The index of the header among the first rows of a file: the first row naming at least two
    known columns (`ALL_COLUMNS`); 0 (the first row) when none does."""
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(_clean_name(cell) in _KNOWN for cell in cells) >= HEADER_MIN_KNOWN:
            return index
    return 0


def _note_title_rows(info: SourceInfo, skipped: int, unit: str) -> None:
    if skipped:
        info.notes.append(f"the header is {unit} {skipped + 1}; the {unit}s above it were skipped as a title")


# --- CSV -------------------------------------------------------------------------------------------


def _choose_delimiter(header_line: str) -> str:
    """The delimiter that splits the header into the most known column names (then the most fields)."""

    def score(delimiter: str) -> tuple[int, int]:
        names = [name.strip().strip('"').lstrip("\ufeff") for name in header_line.split(delimiter)]
        return (sum(name in _KNOWN for name in names), len(names))

    return max(_DELIMITERS, key=score)


def read_csv_rows(path: Path, info: SourceInfo, encoding: str = "utf-8") -> Iterator[SourceRow]:
    """Rows of a CSV file; the delimiter (`,` `;` tab `|`) is chosen from the header line."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise FileReadError(f"unknown encoding {encoding!r}") from None
    with path.open("rb") as binary:
        lines = [
            binary.readline().decode(encoding, errors="replace").rstrip("\r\n")
            for _ in range(HEADER_SEARCH_ROWS)
        ]
        if not any(line.strip() for line in lines):
            raise FileReadError("the file is empty (no header line)")
        delimiters = [_choose_delimiter(line) for line in lines]
        skipped = header_index(
            [line.split(delimiter) for line, delimiter in zip(lines, delimiters, strict=True)]
        )
        if not lines[skipped].strip():
            raise FileReadError("the file is empty (no header line)")
        delimiter = delimiters[skipped]
        info.delimiter = delimiter
        binary.seek(0)
        text = io.TextIOWrapper(binary, encoding=encoding, errors="surrogateescape", newline="")
        reader = csv.reader(text, delimiter=delimiter)
        for _ in range(skipped):  # a title above the header
            next(reader)
        _note_title_rows(info, skipped, "line")
        header = [name.strip().lstrip("\ufeff") for name in next(reader)]
        info.columns = tuple(header)
        info.ignored_columns = tuple(name for name in header if name not in _KNOWN)
        yield from _csv_body(reader, header)


def _csv_body(reader: Any, header: list[str]) -> Iterator[SourceRow]:
    width = len(header)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problem = FieldError(field="(row)", problem=f"cannot be read as CSV: {error}")
            yield SourceRow(start, {}, (problem,))
            continue
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue  # a blank line holds no data
        problems: list[FieldError] = []
        if len(cells) != width:
            problems.append(
                FieldError(
                    field="(row)",
                    problem=f"has {len(cells)} fields where the header has {width} "
                    "(wrong delimiter, a stray quote, or a truncated file)",
                )
            )
        values: dict[str, Any] = {}
        for name, cell in zip(header, cells, strict=False):
            if _not_text(cell):
                problems.append(
                    FieldError(
                        field=name, problem="is not valid text in the file's encoding (see --encoding)"
                    )
                )
                cell = cell.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
            values[name] = cell
        yield SourceRow(start, values, tuple(problems))


# --- JSON Lines ------------------------------------------------------------------------------------


def read_jsonl_rows(path: Path, info: SourceInfo, encoding: str = "utf-8") -> Iterator[SourceRow]:
    """Lines of a JSON Lines file: each a whole record (with `charges`) or one flat row."""
    unknown: set[str] = set()
    with path.open("rb") as binary:
        for number, raw in enumerate(binary, start=1):
            if number == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            if not raw.strip():
                continue
            try:
                line = raw.decode(encoding)
            except UnicodeDecodeError as error:
                problem = f"is not valid text in the file's encoding at byte {error.start} (see --encoding)"
                yield SourceRow(number, {}, (FieldError(field="(line)", problem=problem),))
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                problem = f"not valid JSON: {error.msg} (column {error.colno}); a truncated line?"
                yield SourceRow(number, {}, (FieldError(field="(line)", problem=problem),))
                continue
            if not isinstance(value, dict):
                problem = f"expected a JSON object, got {type(value).__name__}"
                yield SourceRow(number, {}, (FieldError(field="(line)", problem=problem),))
                continue
            nested = "charges" in value
            if not nested:
                unknown.update(key for key in value if key not in _KNOWN)
                info.ignored_columns = tuple(sorted(unknown))
            bad = tuple(
                FieldError(field=path or "(line)", problem=NOT_TEXT, code=NOT_TEXT_CODE)
                for path in text_problems(value)
            )
            yield SourceRow(number, storable(value) if bad else value, bad, nested=nested)


# --- XLSX ------------------------------------------------------------------------------------------


def read_xlsx_rows(path: Path, info: SourceInfo, limits: XlsxLimits | None = None) -> Iterator[SourceRow]:
    """Rows of the first sheet of an XLSX workbook, read in openpyxl's streaming mode after the
    workbook passed `amnesty.io.xlsx_guard.check_workbook` (`limits`: the file limits of `amnesty
    batch` unless given); more rows than the limits allow stop the reading. The header is the first
    of the first rows that names known columns (a title may stand above it); a header whose cells are
    merged across columns, or a column holding data without a name, stops the reading with its cells
    named, before any row is used."""
    import openpyxl

    from amnesty.io.xlsx_guard import FILE_LIMITS, check_workbook, refused_rows

    limits = limits or FILE_LIMITS
    merged = check_workbook(path, limits)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise FileReadError(f"not a readable XLSX workbook: {type(error).__name__}: {error}") from None
    try:
        rows = enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)
        first = [(number, list(cells)) for number, cells in itertools.islice(rows, HEADER_SEARCH_ROWS)]
        if not any(any(_clean_name(cell) for cell in cells) for _, cells in first):
            raise FileReadError("the workbook's first sheet is empty (no header row)")
        skipped = header_index([cells for _, cells in first])
        header_row, header_cells = first[skipped]
        _note_title_rows(info, skipped, "row")
        header = [_clean_name(cell) for cell in header_cells]
        _check_merged_header(merged, header_row, header)
        info.columns = tuple(name for name in header if name)
        info.ignored_columns = tuple(name for name in header if name and name not in _KNOWN)
        for number, cells in itertools.chain(first[skipped + 1 :], rows):
            if number > limits.max_rows:
                raise refused_rows(limits)
            if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
                continue
            _check_unnamed(header, header_row, number, cells)
            values = {name: _excel_value(cell) for name, cell in zip(header, cells, strict=False) if name}
            long = [n for n, v in values.items() if isinstance(v, str) and len(v) > limits.max_cell_chars]
            problems = tuple(
                FieldError(
                    field=name,
                    problem=f"is longer than a cell can hold ({limits.max_cell_chars:,} characters)",
                )
                for name in long
            )
            for name in long:
                values.pop(name)
            yield SourceRow(number, values, problems)
    finally:
        workbook.close()


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 1-based column number (1 -> A, 28 -> AB)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _check_merged_header(merged: tuple[str, ...], header_row: int, header: list[str]) -> None:
    """Refuse a header with cells merged across columns: the columns after the first have no name."""
    for ref in merged:
        start, end = ref.split(":")
        first_col, first_row = _split_cell(start)
        last_col, last_row = _split_cell(end)
        if first_row <= header_row <= last_row and last_col > first_col:
            name = header[first_col - 1] if first_col - 1 < len(header) else ""
            after = column_letter(first_col + 1)
            if last_col > first_col + 1:
                after += f"-{column_letter(last_col)}"
            raise FileReadError(
                f"the header cells {column_letter(first_col)}{header_row}:{column_letter(last_col)}{header_row} "
                f"are merged ({name or 'no name'}): the columns after the first ({after}) have no name of "
                "their own; unmerge them and name each column"
            )


def _split_cell(cell: str) -> tuple[int, int]:
    letters = cell.rstrip("0123456789")
    return _column_number(letters), int(cell[len(letters) :])


def _check_unnamed(
    header: list[str], header_row: int, number: int, cells: tuple[Any, ...] | list[Any]
) -> None:
    """Refuse a row holding data in a column whose header cell is empty (its data would be lost)."""
    for index, cell in enumerate(cells):
        if (index >= len(header) or not header[index]) and cell is not None and str(cell).strip():
            raise FileReadError(
                f"column {column_letter(index + 1)} holds data (row {number}) but has no name in the "
                f"header row {header_row}; name it or delete it"
            )


def _excel_value(cell: Any) -> Any:
    if isinstance(cell, dt.datetime):
        return cell.date() if cell.time() == dt.time() else cell.isoformat()
    return cell


# --- Parquet ---------------------------------------------------------------------------------------


def parquet_reader(path: Path | str) -> pq.ParquetFile:
    """A Parquet file opened for streaming its row groups in order. Without Arrow's pre-buffering:
    with it, the reader kept the byte ranges of every row group it had read until it was closed, so
    a run's memory grew with the size of its input (about 0.6 MB per 20,000 rows; 1.6 GB instead of
    1.2 GB at 10 million persons, BENCHMARKS.md)."""
    return pq.ParquetFile(path, pre_buffer=False)


def open_parquet(path: Path, info: SourceInfo) -> pq.ParquetFile:
    """Open a Parquet file (its footer must be intact) and record its columns."""
    try:
        parquet = parquet_reader(path)
    except (pa.ArrowInvalid, OSError) as error:
        raise FileReadError(f"not a readable Parquet file (truncated?): {error}") from None
    names = tuple(parquet.schema_arrow.names)
    info.columns = names
    info.ignored_columns = tuple(name for name in names if name not in _KNOWN)
    return parquet


def arrow_rows(table: pa.Table | pa.RecordBatch, numbers: list[int]) -> list[SourceRow]:
    """Turn a slice of a Parquet file into rows, numbered by `numbers`."""
    columns = [name for name in table.schema.names if name in _KNOWN]
    data = []
    for name in columns:
        column = table.column(name)
        values = column.to_pylist()
        if pa.types.is_timestamp(column.type):
            values = [_arrow_value(value) for value in values]
        data.append(values)
    return [
        SourceRow(number, dict(zip(columns, cells, strict=True)))
        for number, cells in zip(numbers, zip(*data, strict=True), strict=True)
    ]


def _arrow_value(cell: Any) -> Any:
    if isinstance(cell, dt.datetime):
        return cell.date() if cell.time() == dt.time() else cell.isoformat()
    return cell
