"""Spreadsheet cells safe from formula injection (OWASP "CSV Injection").

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula, which can run commands or leak data when the file is
opened. Every CSV and XLSX writer of the project passes its cells through `safe_cell` (or
`safe_row`): such text gets a leading single quote, so it is shown as the text it was
(`'=HYPERLINK(...)`) and never evaluated. Only text is changed: numbers stay numbers (-5 in a numeric
column is a number, not a formula), and other text stays exactly as it was. XLSX workbooks are also
opened with `XLSX_OPTIONS`, so that no string is ever turned into a formula or a link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TypeVar

import polars as pl

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_OPTIONS: dict[str, bool] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}

T = TypeVar("T")
_STARTS_WITH_TRIGGER = "^[" + "".join(re.escape(trigger) for trigger in FORMULA_TRIGGERS) + "]"
"""A text that starts with one of the triggers (each one character), as one anchored pattern."""


def neutralise(text: str) -> str:
    """The text with a leading single quote if a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def safe_cell(value: T) -> T | str:
    """A cell value safe to write into CSV or XLSX: text neutralised, anything else unchanged."""
    if isinstance(value, str):
        return neutralise(value)
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """Every cell of a row passed through `safe_cell`."""
    return [safe_cell(value) for value in values]


def safe_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with every text column neutralised as `neutralise` does, column-wise (for the
    columnar writers of bulk runs); other columns unchanged."""
    texts = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    if not texts:
        return frame
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(_STARTS_WITH_TRIGGER))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in texts
    )
