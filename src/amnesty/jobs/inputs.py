"""Reading an uploaded or named file of case records for an import job, through `amnesty.io`.

JSON (an array or one object) and JSON Lines are read by `amnesty.io.json_records`; CSV, XLSX and
Parquet by `amnesty.io.tabular`. The result is one item per record: the validated record, or the
row's errors. A file that cannot be read at all raises `UnreadableFileError` with a message for people.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from amnesty.io.json_records import ParsedRecord, RecordError, read_json_records
from amnesty.io.tabular import read_records
from amnesty.io.text import NOT_TEXT_CODE
from amnesty.io.xlsx_guard import UPLOAD_LIMITS
from amnesty.jobs.queue import RowProblem
from amnesty.render.validation import message, recognise

JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
TABULAR_SUFFIXES = (".csv", ".xlsx", ".parquet")
ACCEPTED_SUFFIXES = JSON_SUFFIXES + TABULAR_SUFFIXES
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class UnreadableFileError(ValueError):
    """The file is of a type we do not read, or not readable as its type: the message in English, and
    its code and parameters (`amnesty.render.validation.PROBLEMS`) for other languages."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = {name: str(value) for name, value in params.items()}
        super().__init__(message(code, "en", **self.params))

    def text(self, language: str) -> str:
        """The message in `language`."""
        return message(self.code, language, **self.params)


def check_name(name: str) -> str:
    """The file's suffix when it is one we read, else `UnreadableFileError`."""
    suffix = Path(name).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        raise UnreadableFileError(
            "unsupported_file_type", suffix=repr(suffix or "-"), accepted=", ".join(ACCEPTED_SUFFIXES)
        )
    return suffix


def read_upload(name: str, content: bytes) -> list[ParsedRecord | RecordError]:
    """The records of a file's content; `name` gives its type by suffix."""
    suffix = check_name(name)
    if suffix in JSON_SUFFIXES:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            return _named_bad_bytes(content, error.start)
        if "\x00" in text or "\\u0000" in text:
            raise UnreadableFileError("nul_character")
        items, _single = read_json_records(text)
        return items
    with tempfile.TemporaryDirectory(prefix="amnesty-import-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(content)
        try:
            items = list(read_records(path, xlsx_limits=UPLOAD_LIMITS))
        except (OSError, ValueError) as error:
            raise UnreadableFileError("unreadable_file", suffix=suffix, kind=type(error).__name__) from None
    refusal = _file_refusal(items)
    if refusal is not None:
        raise refusal
    return items


FILE_REFUSALS = frozenset(
    {
        "workbook_part_too_large",
        "workbook_too_many_rows",
        "workbook_text_too_long",
        "header_merged",
        "unnamed_column",
        "missing_columns",
    }
)
"""Problems of a whole file that refuse it (its shape, or its limits) rather than reject a record."""


def _file_refusal(items: list[ParsedRecord | RecordError]) -> UnreadableFileError | None:
    """The file-level refusal when the reader gave one instead of records."""
    if len(items) != 1 or not isinstance(items[0], RecordError) or items[0].errors[0].field != "(file)":
        return None
    found = recognise(items[0].errors[0].problem)
    if found is None or found.code not in FILE_REFUSALS:
        return None
    return UnreadableFileError(found.code, **found.params)


def _named_bad_bytes(content: bytes, byte: int) -> list[ParsedRecord | RecordError]:
    """The records of JSON whose bytes are not all UTF-8, when the bad bytes sit inside strings: each
    becomes a lone surrogate that the reader names by record and field (`amnesty.io.text`). Bytes
    elsewhere leave no JSON to read: `UnreadableFileError` naming the first bad byte."""
    text = content.decode("utf-8-sig", errors="surrogateescape")
    items = [] if "\x00" in text else read_json_records(text)[0]
    if not any(
        isinstance(item, RecordError) and any(error.code == NOT_TEXT_CODE for error in item.errors)
        for item in items
    ):
        raise UnreadableFileError("not_utf8", byte=byte)
    return items


def read_path(path: Path) -> list[ParsedRecord | RecordError]:
    """The records of a file on disk."""
    return read_upload(path.name, path.read_bytes())


def row_problems(errors: list[RecordError]) -> list[RowProblem]:
    """One problem per row and field, numbered by the row's line in the file (else its position)."""
    return [
        RowProblem(
            row=error.line if error.line is not None else error.index + 1,
            person_id=error.person_id,
            field=problem.field,
            problem=problem.problem,
            code=problem.code,
            params=problem.params,
        )
        for error in errors
        for problem in error.errors
    ]
