"""Case records from CSV, XLSX, Parquet and JSON Lines files: rows grouped into persons, validated.

The flat layout (CONTRACT.md) has one row per charge with the person fields repeated; rows are
grouped into persons by person_id. Rows of one person normally follow each other; when a person's
rows are scattered through the file, a first pass over the person_id column finds them and their
rows are gathered and decided after the others (so memory stays bounded for sorted files, and no
row is ever decided twice).

`read_records(path)` is the simple entry point (file uploads, small files): every person becomes a
`ParsedRecord` or a `RecordError`, in the order of the file. `open_source(path)` is the streaming
entry point the batch runner uses.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from amnesty.domain.records import FieldError
from amnesty.io.assemble import (
    PersonRecord,
    PersonRejected,
    as_field_errors,
    assemble_person,
    missing_required,
)
from amnesty.io.columns import (
    ALL_COLUMNS,
    BOOL_COLUMNS,
    DATE_COLUMNS,
    FLOAT_COLUMNS,
    INT_COLUMNS,
)
from amnesty.io.json_records import ParsedRecord, RecordError
from amnesty.io.sources import (
    FileReadError,
    InputFormat,
    SourceInfo,
    SourceRow,
    arrow_rows,
    detect_format,
    open_parquet,
    read_csv_rows,
    read_jsonl_rows,
    read_xlsx_rows,
)
from amnesty.io.whitespace import PYTHON_WHITESPACE
from amnesty.io.xlsx_guard import FILE_LIMITS, XlsxLimits

ROW_COLUMN = "__row"
"""Column added to Parquet chunks: the 1-based row number of each row in the file."""

_KNOWN = frozenset(ALL_COLUMNS)
_KEY_BATCH = 500_000


@dataclass(frozen=True)
class Chunk:
    """A slice of the input holding whole persons: explicit row groups, or an Arrow table whose
    consecutive rows with the same person_id form one person."""

    index: int
    groups: tuple[tuple[SourceRow, ...], ...] = ()
    table: pa.Table | None = None
    missing_columns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Give a table the types the record model takes (`model_typed`); a table that cannot have
        them exactly becomes the rows it holds, read as a CSV's cells are (`amnesty.io.assemble`)."""
        if self.table is None:
            return
        typed = model_typed(self.table)
        if typed is None:
            object.__setattr__(self, "groups", tuple(self.person_groups()))
        object.__setattr__(self, "table", typed)

    @property
    def row_count(self) -> int:
        """How many input rows the chunk holds."""
        if self.table is not None:
            return int(self.table.num_rows)
        return sum(len(group) for group in self.groups)

    def person_groups(self) -> list[tuple[SourceRow, ...]]:
        """The chunk's persons, each as its rows."""
        if self.table is None:
            return list(self.groups)
        numbers = self.table.column(ROW_COLUMN).to_pylist()
        return group_consecutive(arrow_rows(self.table.drop_columns([ROW_COLUMN]), numbers))


_DATE_TEXT = r"^\d{4}-\d{2}-\d{2}$"
_INT_TEXT = r"^-?\d+$"
_FLOAT_TEXT = r"^-?\d+(\.\d+)?$"
_BOOL_TEXT = {"true": True, "false": False}


def _fits(column: str, dtype: pa.DataType) -> bool:
    """True when a column of this Arrow type holds what the record model takes for `column` as it is
    (the column-wise checks and the screen read such columns; `amnesty.batch.typed`)."""
    if pa.types.is_null(dtype):
        return True
    if column in DATE_COLUMNS:
        return bool(pa.types.is_date(dtype) or pa.types.is_timestamp(dtype))
    if column in INT_COLUMNS:
        return bool(pa.types.is_integer(dtype))
    if column in FLOAT_COLUMNS:
        return bool(pa.types.is_integer(dtype) or pa.types.is_floating(dtype))
    if column in BOOL_COLUMNS:
        return bool(pa.types.is_boolean(dtype))
    return _is_text(dtype)


def _is_text(dtype: pa.DataType) -> bool:
    return bool(
        pa.types.is_string(dtype) or pa.types.is_large_string(dtype) or pa.types.is_string_view(dtype)
    )


def _from_text(column: str, values: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """A text column as the model's type, when every cell is the canonical text of its value (an ISO
    date, a whole number, a plain decimal, true/false) or empty, so that the reader's own conversion
    (`amnesty.io.assemble.convert_cell`) would give the same value; None otherwise."""
    values = values.cast(pa.large_string())
    empty = pc.equal(values, "")
    values = pc.if_else(empty, pa.scalar(None, pa.large_string()), values)
    if column in BOOL_COLUMNS:
        pattern, target = "^(true|false)$", pa.bool_()
    elif column in DATE_COLUMNS:
        pattern, target = _DATE_TEXT, pa.date32()
    elif column in INT_COLUMNS:
        pattern, target = _INT_TEXT, pa.int64()
    elif column in FLOAT_COLUMNS:
        pattern, target = _FLOAT_TEXT, pa.float64()
    else:
        return None
    if pc.all(pc.match_substring_regex(values, pattern), skip_nulls=True).as_py() not in (True, None):
        return None
    try:
        if target == pa.bool_():
            return pc.equal(values, "true")
        if target == pa.date32():
            dates = pc.strptime(values, format="%Y-%m-%d", unit="s").cast(pa.date32())
            same = pc.equal(pc.strftime(dates, format="%Y-%m-%d").cast(pa.large_string()), values)
            return dates if pc.all(same, skip_nulls=True).as_py() in (True, None) else None
        return values.cast(target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None  # a date that is no day (2024-02-30), a number out of range


def model_typed(table: pa.Table) -> pa.Table | None:
    """The table with dictionary columns decoded and text columns holding dates, numbers or
    true/false given those types (`_from_text`); None when some column cannot be given the type the
    record model takes without changing a value (its rows are then read one by one, as CSV rows)."""
    for index, name in enumerate(table.column_names):
        if name not in _KNOWN:
            continue
        column = table.column(index)
        changed = False
        if pa.types.is_dictionary(column.type):
            column, changed = column.cast(column.type.value_type), True
        if not _fits(name, column.type):
            if not _is_text(column.type):
                return None
            converted = _from_text(name, column)
            if converted is None:
                return None
            column, changed = converted, True
        if changed:
            table = table.set_column(index, name, column)
    return table


def group_consecutive(rows: Iterable[SourceRow]) -> list[tuple[SourceRow, ...]]:
    """Consecutive rows with the same person_id form one person; rows without one stand alone."""
    groups: list[tuple[SourceRow, ...]] = []
    current: list[SourceRow] = []
    current_key: str | None = None
    for row in rows:
        key = row.person_key
        if current and key is not None and key == current_key and not row.nested:
            current.append(row)
            continue
        if current:
            groups.append(tuple(current))
        current, current_key = [row], key
    if current:
        groups.append(tuple(current))
    return groups


def decide_group(
    group: tuple[SourceRow, ...], missing_columns: tuple[str, ...]
) -> PersonRecord | PersonRejected:
    """Assemble and validate one person's rows."""
    return assemble_person(group[0].person_key, group, missing_columns)


KeyBatches = Callable[[], Iterator[pl.Series]]
"""Something that reads the person keys of the whole input again, batch by batch (each a text series,
null for a row without a key), each time called."""

KEY_HASH_SEEDS = {"seed": 152}
"""The seeds of the 64-bit hash of person keys (`scattered_keys` here and on a cluster)."""


def run_starts(keys: pl.Series, previous: str | None = None) -> pl.Series:
    """True for a row whose key starts a run of rows: a key different from the row before (`previous`:
    the key of the row before the first)."""
    return keys.is_not_null() & keys.ne_missing(keys.shift(1, fill_value=previous))


def scattered_keys(batches: KeyBatches) -> frozenset[str]:
    """person_ids whose rows are not all next to each other: keys that start more than one run.

    Memory stays small for any size: a first pass keeps one 64-bit hash per run (8 bytes a person);
    only when two runs share a hash (a scattered person, or a rare collision) does a second pass count
    those keys exactly, so the answer never depends on the hash."""
    arrays: list[np.ndarray[Any, np.dtype[np.uint64]]] = []
    previous: str | None = None
    for keys in batches():
        arrays.append(keys.filter(run_starts(keys, previous)).hash(**KEY_HASH_SEEDS).to_numpy())
        previous = keys[-1] if keys.len() else previous
    if not arrays:
        return frozenset()
    every = np.concatenate(arrays)
    del arrays
    every.sort()
    candidates = pl.Series(every[1:][every[1:] == every[:-1]], dtype=pl.UInt64).unique()
    del every
    if candidates.len() == 0:
        return frozenset()
    counts: Counter[str] = Counter()
    previous = None
    for keys in batches():
        starts = keys.filter(run_starts(keys, previous))
        previous = keys[-1] if keys.len() else previous
        counts.update(starts.filter(starts.hash(**KEY_HASH_SEEDS).is_in(candidates.implode())).to_list())
    return frozenset(key for key, runs in counts.items() if runs > 1)


@dataclass
class Source:
    """An input file opened for streaming: its format, what was learnt about it, and its chunks."""

    path: Path
    format: InputFormat
    encoding: str = "utf-8"
    info: SourceInfo = field(default_factory=SourceInfo)
    rows_total: int | None = None
    xlsx_limits: XlsxLimits = FILE_LIMITS
    """What an XLSX workbook may hold (`amnesty.io.xlsx_guard`: uploads are held to UPLOAD_LIMITS)."""

    def _row_iterator(self) -> Iterator[SourceRow]:
        if self.format is InputFormat.CSV:
            return read_csv_rows(self.path, self.info, self.encoding)
        if self.format is InputFormat.JSONL:
            return read_jsonl_rows(self.path, self.info, self.encoding)
        if self.format is InputFormat.XLSX:
            return read_xlsx_rows(self.path, self.info, self.xlsx_limits)
        raise AssertionError("Parquet is read in Arrow batches")

    def missing_columns(self) -> tuple[str, ...]:
        """Required columns absent from a flat file (JSON Lines records are checked one by one)."""
        if self.format is InputFormat.JSONL:
            return ()
        return missing_required(self.info.columns)

    def chunks(self, rows_per_chunk: int = 20_000) -> Iterator[Chunk]:
        """The input in chunks of whole persons (about `rows_per_chunk` rows each), in file order;
        persons whose rows are scattered come last, in the order they first appear."""
        if self.format is InputFormat.PARQUET:
            yield from self._parquet_chunks(rows_per_chunk)
            return
        scattered = scattered_keys(self._key_batches)
        missing = self.missing_columns()
        index = 0
        pending: list[tuple[SourceRow, ...]] = []
        pending_rows = 0
        held: dict[str, list[SourceRow]] = {}
        contiguous = (row for row in self._row_iterator() if not self._hold(row, scattered, held))
        for group in _stream_groups(contiguous):
            pending.append(group)
            pending_rows += len(group)
            if pending_rows >= rows_per_chunk:
                yield Chunk(index, tuple(pending), None, missing)
                index, pending, pending_rows = index + 1, [], 0
        pending += [tuple(rows) for rows in held.values()]
        if pending:
            yield Chunk(index, tuple(pending), None, missing)

    def _key_batches(self) -> Iterator[pl.Series]:
        """The person keys of every row, in batches (counts the rows as it goes)."""
        batch: list[str | None] = []
        total = 0
        for row in self._row_iterator():
            batch.append(row.person_key)
            if len(batch) >= _KEY_BATCH:
                total += len(batch)
                yield pl.Series(batch, dtype=pl.String)
                batch = []
        total += len(batch)
        self.rows_total = total
        if batch:
            yield pl.Series(batch, dtype=pl.String)

    @staticmethod
    def _hold(row: SourceRow, scattered: frozenset[str], held: dict[str, list[SourceRow]]) -> bool:
        key = row.person_key
        if key is not None and key in scattered:
            held.setdefault(key, []).append(row)
            return True
        return False

    def _parquet_chunks(self, rows_per_chunk: int) -> Iterator[Chunk]:
        parquet = open_parquet(self.path, self.info)
        missing = self.missing_columns()
        columns = [name for name in parquet.schema_arrow.names if name in _KNOWN]
        self.rows_total = parquet.metadata.num_rows
        scattered: frozenset[str] = frozenset()
        if "person_id" in columns:

            def key_batches() -> Iterator[pl.Series]:
                for batch in parquet.iter_batches(batch_size=_KEY_BATCH, columns=["person_id"]):
                    yield key_series(pa.Table.from_batches([batch]))

            scattered = scattered_keys(key_batches)
        held: list[pa.Table] = []
        carry: pa.Table | None = None
        first_row = 1
        index = 0
        for batch in parquet.iter_batches(batch_size=rows_per_chunk, columns=columns):
            table = pa.Table.from_batches([batch])
            numbers = pa.array(range(first_row, first_row + table.num_rows), type=pa.int64())
            first_row += table.num_rows
            table = table.append_column(ROW_COLUMN, numbers)
            if carry is not None:
                table = pa.concat_tables([carry, table])
                carry = None
            keys = arrow_keys(table)
            if scattered:
                mask = pa.array([key is not None and key in scattered for key in keys])
                if pc.any(mask).as_py():
                    held.append(table.filter(mask))
                    table = table.filter(pc.invert(mask))
                    keys = [key for key in keys if key is None or key not in scattered]
            cut = last_boundary(keys)
            if cut < len(keys):
                carry = table.slice(cut)
                table = table.slice(0, cut)
            if table.num_rows:
                yield Chunk(index, (), table, missing)
                index += 1
        if carry is not None and carry.num_rows:
            yield Chunk(index, (), carry, missing)
            index += 1
        if held:
            rows: dict[str, list[SourceRow]] = {}
            for table in held:
                numbers = table.column(ROW_COLUMN).to_pylist()
                for row in arrow_rows(table.drop_columns([ROW_COLUMN]), numbers):
                    key = row.person_key
                    assert key is not None
                    rows.setdefault(key, []).append(row)
            ordered = sorted(rows.values(), key=lambda group: group[0].row)
            yield Chunk(index, tuple(tuple(group) for group in ordered), None, missing)


def arrow_key_column(table: pa.Table) -> pa.ChunkedArray:
    """The person key of each row: its person_id as text, stripped as `str.strip()` strips; null for
    none or a blank one (such a row stands alone). Computed by Arrow over the whole column."""
    if "person_id" not in table.column_names:
        return pa.chunked_array([pa.nulls(table.num_rows, pa.large_string())])
    column = table.column("person_id")
    if pa.types.is_string_view(column.type):
        column = column.cast(pa.large_string())
    elif not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        texts = [None if value is None else str(value) for value in column.to_pylist()]
        column = pa.chunked_array([pa.array(texts, pa.large_string())])
    stripped = pc.utf8_trim(column, characters=PYTHON_WHITESPACE)
    return pc.if_else(pc.equal(stripped, ""), pa.scalar(None, stripped.type), stripped)


def key_series(table: pa.Table) -> pl.Series:
    """The person key of each row (`arrow_key_column`), as a Polars text series."""
    keys = pl.from_arrow(arrow_key_column(table))
    assert isinstance(keys, pl.Series)
    return keys.cast(pl.String).alias("key")


def arrow_keys(table: pa.Table) -> list[str | None]:
    """The person key of each row (`arrow_key_column`), as a list."""
    keys: list[str | None] = arrow_key_column(table).to_pylist()
    return keys


def last_boundary(keys: list[str | None]) -> int:
    """Index where the last person of the list starts (it may continue in the next batch)."""
    if not keys:
        return 0
    last = keys[-1]
    if last is None:
        return len(keys)
    index = len(keys) - 1
    while index > 0 and keys[index - 1] == last:
        index -= 1
    return index


def _stream_groups(rows: Iterable[SourceRow]) -> Iterator[tuple[SourceRow, ...]]:
    current: list[SourceRow] = []
    current_key: str | None = None
    for row in rows:
        key = row.person_key
        if current and key is not None and key == current_key and not row.nested and not current[0].nested:
            current.append(row)
            continue
        if current:
            yield tuple(current)
        current, current_key = [row], key
    if current:
        yield tuple(current)


def open_source(path: Path, encoding: str = "utf-8", xlsx_limits: XlsxLimits = FILE_LIMITS) -> Source:
    """Open an input file for streaming (`FileReadError` when it is missing, empty or of unknown type)."""
    input_format = detect_format(path)
    if not path.is_file():
        raise FileReadError(f"no such file: {path}")
    if path.stat().st_size == 0:
        raise FileReadError("the file is empty")
    return Source(path, input_format, encoding, xlsx_limits=xlsx_limits)


def missing_columns_text(missing: Iterable[str], columns: Iterable[str]) -> str:
    """A file-level refusal naming the required columns a flat file lacks, and what its header holds."""
    found = [name for name in columns if name]
    held = ", ".join(found[:40]) + (" ..." if len(found) > 40 else "") if found else "nothing"
    return f"the file has no column {', '.join(missing)} (required); its header row holds: {held}"


def iter_persons(source: Source, rows_per_chunk: int = 20_000) -> Iterator[PersonRecord | PersonRejected]:
    """Every person of the source, validated, in output order (single process)."""
    for chunk in source.chunks(rows_per_chunk):
        for group in chunk.person_groups():
            yield decide_group(group, chunk.missing_columns)


def person_item(index: int, person: PersonRecord | PersonRejected) -> ParsedRecord | RecordError:
    """A decided person as an import item: the record, or the row's errors (`index` counts from 0;
    `line` is the row number of the person's first row)."""
    if isinstance(person, PersonRecord):
        return ParsedRecord(index, person.rows[0], person.record)
    line = person.rows[0] if person.rows else None
    return RecordError(index, line, person.person_id, as_field_errors(person))


def item_chunks(
    source: Source, rows_per_chunk: int = 20_000
) -> Iterator[tuple[int, list[ParsedRecord | RecordError]]]:
    """The source's items chunk by chunk, with the number of file rows each chunk held; raises
    `FileReadError` when the file lacks a required column (known once the first chunk is read) or
    cannot be read on."""
    index = 0
    for chunk in source.chunks(rows_per_chunk):
        missing = source.missing_columns()
        if missing:
            raise FileReadError(missing_columns_text(missing, source.info.columns))
        items = []
        for group in chunk.person_groups():
            items.append(person_item(index, decide_group(group, chunk.missing_columns)))
            index += 1
        yield chunk.row_count, items


def read_records(
    path: Path | str, encoding: str = "utf-8", xlsx_limits: XlsxLimits = FILE_LIMITS
) -> Iterator[ParsedRecord | RecordError]:
    """Case records from a CSV, XLSX, Parquet or JSON Lines file, one item per person (or per row that
    has no usable person_id), in the order of the file. `index` counts the items from 0; `line` is
    the row number of the person's first row. A file that cannot be read at all gives one
    `RecordError` with field `(file)`; so does a workbook beyond `xlsx_limits`."""
    try:
        source = open_source(Path(path), encoding, xlsx_limits)
        items = [item for _rows, chunk in item_chunks(source) for item in chunk]
        missing = source.missing_columns()
        if missing:
            raise FileReadError(missing_columns_text(missing, source.info.columns))
    except FileReadError as error:
        yield RecordError(0, None, None, (FieldError(field="(file)", problem=str(error)),))
        return
    yield from items
