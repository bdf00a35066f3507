"""Refusing a hostile XLSX workbook before it is read: checks on the zip container, cheap and early.

An XLSX file is a zip of XML parts. A few hundred kilobytes can hold a part of gigabytes (one cell of
600 MB of one letter compresses a thousandfold), and a parser given it builds the whole text in
memory. So before openpyxl opens the workbook (`amnesty.io.sources.read_xlsx_rows`):

1. every part's uncompressed size, as the zip directory declares it, must be within
   `XlsxLimits.max_part_bytes` (the shared strings, which openpyxl keeps in memory whole, within
   `max_shared_strings_bytes`). Python's zip reader never inflates a part beyond its declared size
   (a part that lies about its size fails its CRC check), so the declared sizes bound the work;
2. the first sheet's declared dimension (`<dimension ref="A1:AG6342"/>`) must not exceed
   `max_rows`;
3. the first sheet and the shared strings are inflated in a stream, without parsing, to find the
   longest run of text between two tags: a run longer than a cell can be (`max_cell_chars`, Excel's
   own 32,767 characters, at most 8 bytes each as a numeric character reference) is refused before
   any parser sees it.

Reading then goes on in openpyxl's streaming mode (read_only), which counts rows against `max_rows`
and cell lengths against `max_cell_chars` as it goes (a workbook may omit its dimension). The limits
and why they were chosen are in docs/security.md ("Hostile files").
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from amnesty.io.sources import FileReadError

EXCEL_MAX_ROWS = 1_048_576
"""The most rows a sheet of Excel can hold."""
EXCEL_MAX_CELL_CHARS = 32_767
"""The most characters a cell of Excel can hold."""
_BYTES_PER_CHAR = 8
"""The most bytes one character of a cell takes in a part: 4 as UTF-8, up to 8 as a numeric
reference (`&#1046;`, `&#65535;`, which openpyxl writes for every character beyond ASCII; a
character beyond the BMP, `&#128512;`, counts as two of Excel's characters)."""
_MIB = 1024 * 1024
_HEAD_BYTES = 64 * 1024
_SCAN_CHUNK = 1024 * 1024
_TAG = ord("<")


@dataclass(frozen=True)
class XlsxLimits:
    """What a workbook may hold (docs/security.md, "Hostile files")."""

    max_rows: int
    """Sheet rows (the header row included)."""
    max_part_bytes: int
    """Uncompressed bytes of any one part (a sheet is the largest)."""
    max_shared_strings_bytes: int
    """Uncompressed bytes of the shared strings, which openpyxl holds in memory whole."""
    max_cell_chars: int = EXCEL_MAX_CELL_CHARS

    @property
    def max_text_run(self) -> int:
        """The longest run of bytes between two tags a cell of `max_cell_chars` can need."""
        return self.max_cell_chars * _BYTES_PER_CHAR


UPLOAD_LIMITS = XlsxLimits(max_rows=200_001, max_part_bytes=400 * _MIB, max_shared_strings_bytes=64 * _MIB)
"""For a file sent to the service (`POST /api/import/file`, import jobs, the web upload): 200,000
charge rows and the header; a sheet part of at most 400 MiB (about 2 KiB a row of 33 columns)."""

FILE_LIMITS = XlsxLimits(
    max_rows=EXCEL_MAX_ROWS, max_part_bytes=2048 * _MIB, max_shared_strings_bytes=512 * _MIB
)
"""For a file named on the command line (`amnesty batch`): whatever Excel itself can hold."""


def _refuse(text: str) -> FileReadError:
    return FileReadError(f"the workbook is refused: {text}")


def refused_rows(limits: XlsxLimits) -> FileReadError:
    """The refusal of a sheet with more rows than the limits allow."""
    return _refuse(
        f"its sheet has more than the {limits.max_rows - 1:,} rows of records (and a header row) "
        "allowed in one file"
    )


_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\b(?:\w+:)?id=\"([^\"]+)\"")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_ATTRIBUTE = re.compile(rb"\b(Id|Target)=\"([^\"]*)\"")


def _first_sheet(archive: zipfile.ZipFile) -> str:
    """The part name of the workbook's first sheet (as openpyxl orders them), read with patterns
    rather than a parser (the parts are small: their sizes were checked)."""
    fallback = "xl/worksheets/sheet1.xml"
    try:
        first = _SHEET.search(archive.read("xl/workbook.xml"))
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return fallback
    if first is None:
        return fallback
    for relationship in _RELATIONSHIP.finditer(rels):
        attributes = dict(_ATTRIBUTE.findall(relationship[0]))
        if attributes.get(b"Id") == first[1] and attributes.get(b"Target"):
            target = attributes[b"Target"].decode("utf-8", "replace")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    return fallback


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"\$?[A-Z]*\$?(\d+)(?::\$?[A-Z]*\$?(\d+))?\"")


def _declared_rows(archive: zipfile.ZipFile, part: str) -> int | None:
    """The last row of the sheet's declared dimension, when it declares one near its start."""
    with archive.open(part) as stream:
        head = stream.read(_HEAD_BYTES)
    found = _DIMENSION.search(head)
    if found is None:
        return None
    return int(found[2] or found[1])


@dataclass
class _Scan:
    """What a stream over a part found: the longest run of bytes between tags, the rows it holds
    (`<row` elements) and the highest row number they give."""

    longest_run: int = 0
    rows: int = 0
    last_row: int = 0
    merged: set[str] = field(default_factory=set)
    """The merged ranges of a sheet (`A1:B1`)."""


_ROW_TAGS = (b"<row ", b"<row>", b":row ", b":row>")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+\d+:[A-Z]+\d+)\"")
_ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\s[^>]*?\br=\"(\d+)\"")


def _scan(archive: zipfile.ZipFile, part: str, limits: XlsxLimits) -> _Scan:
    """Inflate the part in a stream, without parsing it; stop once past a limit."""
    found = _Scan()
    run = 0
    tail = b""
    merge_tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_SCAN_CHUNK):
            tags = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == _TAG)
            if tags.size == 0:
                run += len(chunk)
            else:
                found.longest_run = max(found.longest_run, run + int(tags[0]))
                if tags.size > 1:
                    found.longest_run = max(found.longest_run, int(np.diff(tags).max()) - 1)
                run = len(chunk) - int(tags[-1]) - 1
            found.longest_run = max(found.longest_run, run)
            window = tail + chunk
            found.rows += sum(window.count(tag) for tag in _ROW_TAGS)
            last = window.rfind(b"row ")
            numbered = _ROW_NUMBER.search(window, max(0, last - 16)) if last >= 0 else None
            if numbered is not None:
                found.last_row = max(found.last_row, int(numbered[1]))
            tail = chunk[-4:]
            merges = merge_tail + chunk
            if b"mergeCell" in merges:
                found.merged.update(ref.decode("ascii") for ref in _MERGE.findall(merges))
            merge_tail = chunk[-64:]
            if found.longest_run > limits.max_text_run or max(found.rows, found.last_row) > limits.max_rows:
                break
    return found


def check_workbook(path: Path, limits: XlsxLimits) -> tuple[str, ...]:
    """Refuse (`FileReadError` naming the cause) a workbook beyond the limits (see the module doc);
    the merged ranges of its first sheet (`A1:B1`), which openpyxl's streaming mode does not give."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise FileReadError(f"not a readable XLSX workbook: {type(error).__name__}: {error}") from None
    with archive:
        for info in archive.infolist():
            limit = limits.max_part_bytes
            if info.filename.lower().endswith("sharedstrings.xml"):
                limit = limits.max_shared_strings_bytes
            if info.file_size > limit:
                raise _refuse(
                    f"its part {info.filename} unpacks to {info.file_size // _MIB:,} MiB, "
                    f"more than the {limit // _MIB:,} MiB allowed"
                )
        try:
            sheet = _first_sheet(archive)
            names = set(archive.namelist())
            if sheet not in names:
                return ()  # openpyxl names the broken workbook
            declared = _declared_rows(archive, sheet)
            if declared is not None and declared > limits.max_rows:
                raise refused_rows(limits)
            strings = [name for name in names if name.lower().endswith("sharedstrings.xml")]
            merged: tuple[str, ...] = ()
            for part in [sheet, *strings]:
                scanned = _scan(archive, part, limits)
                if part == sheet:
                    merged = tuple(sorted(scanned.merged))
                if part == sheet and max(scanned.rows, scanned.last_row) > limits.max_rows:
                    raise refused_rows(limits)
                if scanned.longest_run > limits.max_text_run:
                    raise _refuse(
                        f"its part {part} holds a text longer than a cell can hold "
                        f"({limits.max_cell_chars:,} characters)"
                    )
            return merged
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise FileReadError(f"not a readable XLSX workbook: {type(error).__name__}: {error}") from None
