"""What a Russian or Kazakh reader must never see: a Latin-script word outside a short allowlist, a
reason code (UPPER_SNAKE), or an ISO date. Shared by the wording tests."""

from __future__ import annotations

import re

ALLOWED_LATIN = frozenset({"PDF", "DOCX", "CSV", "XLSX", "JSON", "JSONL", "NDJSON", "PARQUET", "UTF"})
"""File formats keep their Latin names in every language."""

_IDENTIFIERS = re.compile(
    r"\b\d+-[IVXLC]+\b"  # a law's number: 152-VII (Roman numerals, as the law is numbered)
    r"|\bsha256:[0-9a-f]+\b"  # the law pack's version
    r"|\b[A-Z]{1,3}\d+\b"  # a rule of LAW.md: S4, R8, X6, M1
    r"|\b[A-Z][A-Za-z]*-[A-Za-z0-9-]*\d[A-Za-z0-9-]*\b"  # registry identifiers: P-000123, W-01
)
_CODE = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def wording_problems(text: str) -> list[str]:
    """Every reason code, ISO date and Latin-script word (outside the allowlist) in `text`."""
    problems = [f"reason code {code!r}" for code in _CODE.findall(text)]
    problems += [f"ISO date {day!r}" for day in _ISO_DATE.findall(text)]
    rest = _IDENTIFIERS.sub(" ", text)
    problems += [
        f"Latin word {word!r}" for word in _LATIN_WORD.findall(rest) if word.upper() not in ALLOWED_LATIN
    ]
    return problems


def assert_readable(text: str, where: str) -> None:
    """Fail naming `where` and each problem (with the text around it)."""
    problems = wording_problems(text)
    assert not problems, f"{where}: {'; '.join(sorted(set(problems)))}\n--- text ---\n{text}"
