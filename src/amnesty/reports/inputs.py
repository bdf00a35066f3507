"""Reading the inputs of the after-the-decision commands: case records or decisions, from a file.

Case records come as JSON / JSON Lines (`amnesty.io.json_records`) or as CSV / XLSX / Parquet through
`amnesty.io.tabular.read_records` when that module is installed. Decisions come as JSON Lines (as written
by `amnesty batch`: `decisions.jsonl.zst`, compressed with zstd, or plain `decisions.jsonl`) or a JSON
array; a JSON file whose name ends in `.zst` is read through zstd. Nothing read is dropped: every item
is either kept or returned as an error naming its position, person and field.

A file in the output directory of `amnesty batch` is trusted only when the run's `manifest.json` lists
it with its size and SHA-256 (`amnesty.batch.publish.verified_file`): the files of a run that was
killed or failed, or a file changed since, are refused with a message saying so.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from amnesty.batch.compact import RUN_FIELDS, ZSTD_SUFFIX, decision_from_compact
from amnesty.batch.publish import SUMMARY_JSON, UnpublishedError, verified_file
from amnesty.domain.decision import Decision
from amnesty.domain.records import CaseRecord, FieldError, field_errors
from amnesty.io.json_records import ParsedRecord, RecordError, duplicate_person_errors, read_json_records

JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
TABULAR_SUFFIXES = (".csv", ".xlsx", ".parquet", ".pq")


class InputError(ValueError):
    """An input file that cannot be read at all (missing, wrong format, wrong encoding)."""


@dataclass(frozen=True)
class RecordsRead:
    """Validated records and the items that failed validation, in input order."""

    records: tuple[CaseRecord, ...]
    errors: tuple[RecordError, ...]


def _read_text(path: Path) -> str:
    try:
        verified_file(path)
        return _read_bytes(path).decode("utf-8-sig")
    except UnpublishedError as error:
        raise InputError(str(error)) from None
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except UnicodeDecodeError as error:
        raise InputError(f"{path} is not UTF-8 text (byte {error.start})") from None


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, decompressed when its name ends in `.zst`."""
    if path.suffix.lower() != ZSTD_SUFFIX:
        return path.read_bytes()
    from amnesty.batch.outputs import read_output  # here: the commands start without Arrow

    try:
        return read_output(path)
    except FileNotFoundError:
        raise
    except (OSError, ValueError) as error:  # Arrow's errors for a file that is not zstd
        raise InputError(f"{path} is not a zstd-compressed file: {error}") from None


def json_suffix(path: Path) -> str:
    """The file's JSON suffix (`.jsonl` for `decisions.jsonl.zst`), in lower case."""
    name = path.name.lower().removesuffix(ZSTD_SUFFIX)
    return Path(name).suffix


def _tabular_items(path: Path) -> list[Any]:
    try:
        tabular = importlib.import_module("amnesty.io.tabular")
    except ImportError:
        raise InputError(
            f"{path}: CSV, XLSX and Parquet input needs amnesty.io.tabular (the batch module); "
            "use JSON or JSON Lines"
        ) from None
    if not path.exists():
        raise InputError(f"no such file: {path}")
    result = tabular.read_records(path)
    items = getattr(result, "items", result)
    return list(items() if callable(items) else items)


def _as_item(index: int, item: Any) -> ParsedRecord | RecordError:
    if isinstance(item, ParsedRecord | RecordError):
        return item
    if isinstance(item, CaseRecord):
        return ParsedRecord(index, None, item)
    record = getattr(item, "record", None)
    if isinstance(record, CaseRecord):
        return ParsedRecord(index, getattr(item, "line", None), record)
    errors = getattr(item, "errors", None)
    if errors is not None:
        field_list = tuple(
            error if isinstance(error, FieldError) else FieldError(field="(row)", problem=str(error))
            for error in errors
        )
        return RecordError(index, getattr(item, "line", None), getattr(item, "person_id", None), field_list)
    problem = f"unexpected item from the tabular reader: {type(item).__name__}"
    return RecordError(index, None, None, (FieldError(field="(row)", problem=problem),))


def read_records(path: Path) -> RecordsRead:
    """Read and validate the case records in `path` (JSON, JSON Lines, CSV, XLSX, Parquet)."""
    if path.suffix.lower() in TABULAR_SUFFIXES:
        items = [_as_item(index, item) for index, item in enumerate(_tabular_items(path))]
    else:
        items, _ = read_json_records(_read_text(path))
    items = duplicate_person_errors(items)
    return RecordsRead(
        records=tuple(item.record for item in items if isinstance(item, ParsedRecord)),
        errors=tuple(item for item in items if isinstance(item, RecordError)),
    )


@dataclass(frozen=True)
class DecisionsRead:
    """Decisions read from a file, with any extra fields a writer added (region, stage, ...)."""

    decisions: tuple[Decision, ...]
    extras: tuple[dict[str, Any], ...]
    errors: tuple[RecordError, ...]


def looks_like_decisions(path: Path) -> bool:
    """True when the first JSON object in the file is a decision (it has `outcome` and `law_version`)."""
    if json_suffix(path) not in JSON_SUFFIXES:
        return False
    text = _read_text(path).lstrip()
    try:
        first: Any = json.loads(text)
    except json.JSONDecodeError:
        first_line = text.split("\n", 1)[0]
        try:
            first = json.loads(first_line)
        except json.JSONDecodeError:
            return False
    if isinstance(first, list):
        first = first[0] if first else {}
    return isinstance(first, dict) and "outcome" in first and "law_version" in first


def _batch_run(path: Path) -> dict[str, Any] | None:
    """The run's fields of `amnesty batch` (its `summary.json` beside the decisions), which compact
    decision lines leave out; None when there is no such summary."""
    summary = path.parent / SUMMARY_JSON
    try:
        verified_file(summary)
        found = json.loads(summary.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # UnpublishedError too: a summary no manifest vouches for
        return None
    if not isinstance(found, dict) or any(name not in found for name in RUN_FIELDS):
        return None
    return found


def read_decisions(path: Path) -> DecisionsRead:
    """Read decisions (a JSON array or JSON Lines of decision objects)."""
    text = _read_text(path).strip()
    raw: list[tuple[int | None, Any]]
    try:
        whole = json.loads(text)
        raw = [(None, item) for item in (whole if isinstance(whole, list) else [whole])]
    except json.JSONDecodeError:
        raw = []
        for number, raw_line in enumerate(text.splitlines(), start=1):
            if raw_line.strip():
                try:
                    raw.append((number, json.loads(raw_line)))
                except json.JSONDecodeError as error:
                    raw.append((number, error))
    decisions: list[Decision] = []
    extras: list[dict[str, Any]] = []
    errors: list[RecordError] = []
    known = set(Decision.model_fields)
    run = _batch_run(path)
    for index, (line, data) in enumerate(raw):
        if isinstance(data, json.JSONDecodeError):
            problem = f"not valid JSON: {data.msg} (column {data.colno})"
            errors.append(RecordError(index, line, None, (FieldError(field="(line)", problem=problem),)))
            continue
        if not isinstance(data, dict):
            problem = f"expected a JSON object, got {type(data).__name__}"
            errors.append(RecordError(index, line, None, (FieldError(field="(record)", problem=problem),)))
            continue
        try:
            fields = {k: v for k, v in data.items() if k in known}
            if run is not None and "engine_version" not in data:  # a compact line of `amnesty batch`
                decision = decision_from_compact(fields, run)
            else:
                decision = Decision.model_validate(fields)
        except ValidationError as error:
            person = data.get("person_id")
            errors.append(
                RecordError(index, line, str(person) if person else None, tuple(field_errors(error)))
            )
            continue
        decisions.append(decision)
        extras.append({k: v for k, v in data.items() if k not in known})
    return DecisionsRead(tuple(decisions), tuple(extras), tuple(errors))
