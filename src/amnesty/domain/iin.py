"""Kazakhstan's individual identification number (IIN): format, check digit, encoded birth date.

An IIN is 12 digits: YYMMDD, a century-and-sex digit (1-6), four serial digits and a check digit.
The check digit is the weighted sum of the first eleven digits modulo 11, with weights 1..11; when
that gives 10, a second pass uses weights 3..11, 1, 2; a second 10 means the number cannot be issued.

`iin_arrays` is the column form of `validate_iin` and `birth_date_from_iin` for many strings at once
(bulk runs): the check digit's weighted sum is the one `_weighted_remainder` both use, and a property
test checks the column form against the scalar functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from operator import mul
from typing import Any

import numpy as np

_FIRST_WEIGHTS = tuple(range(1, 12))
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_PASSES = (_FIRST_WEIGHTS, _SECOND_WEIGHTS)
_CENTURY = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}


class IinError(ValueError):
    """An IIN that is malformed or fails its check digit; `code` names the problem for translation."""

    def __init__(self, message: str, code: str = "iin_format") -> None:
        super().__init__(message)
        self.code = code


def iin_check_digit(first_eleven: str) -> int | None:
    """The check digit for the first eleven digits, or None when no valid digit exists."""
    if len(first_eleven) != len(_FIRST_WEIGHTS):
        raise IinError("the check digit needs exactly 11 digits")
    digits = list(map(int, first_eleven))
    for weights in _PASSES:
        remainder: int = _weighted_remainder(digits, weights)
        if remainder != 10:
            return remainder
    return None


def _weighted_remainder(digits: Sequence[Any], weights: Sequence[int]) -> Any:
    """The weighted sum of the digits modulo 11: of one number (its digits as ints), or of many at once
    (one array per digit position)."""
    return sum(map(mul, digits, weights)) % 11


def validate_iin(iin: str) -> str:
    """Return the IIN if it is 12 digits with a correct check digit, else raise `IinError`."""
    if len(iin) != 12 or not iin.isdigit():
        raise IinError("IIN must be exactly 12 digits")
    expected = iin_check_digit(iin[:11])
    if expected is None or expected != int(iin[11]):
        raise IinError("IIN check digit is wrong", "iin_check_digit")
    if iin[6] in _CENTURY and birth_date_from_iin(iin) is None:
        raise IinError("IIN encodes an impossible birth date", "iin_birth_date")
    return iin


def birth_date_from_iin(iin: str) -> dt.date | None:
    """The birth date encoded in the IIN, or None when the century digit does not encode one."""
    century = _CENTURY.get(iin[6])
    if century is None:
        return None
    try:
        return dt.date(century + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return None


def female_from_iin(iin: str) -> bool | None:
    """The sex the IIN encodes in its seventh digit (odd: male, even: female), as "is female"; None when
    the digit encodes no century (an IIN issued to a legal entity or a foreigner's number)."""
    if iin[6] not in _CENTURY:
        return None
    return int(iin[6]) % 2 == 0


def iin_arrays(iins: Sequence[str]) -> tuple[Any, Any]:
    """For each string, whether `validate_iin` accepts it, and for an accepted one the birth date
    `birth_date_from_iin` gives: the column form of both, in one pass, as arrays (booleans, and dates
    as `datetime64[D]`, NaT for none).

    Strings of 12 ASCII digits (every IIN in practice) are checked as arrays, one per digit position;
    any other string of 12 digits (Unicode digits, which `int` may read) is left to the scalar
    functions, and a string of any other length is not an IIN."""
    text = "".join(iins)
    if set(map(len, iins)) <= {12} and text.isdigit() and text.isascii():  # the usual case
        return _ascii_iins(text)
    valid = np.zeros(len(iins), dtype=bool)
    born = np.full(len(iins), np.datetime64("NaT"), dtype="datetime64[D]")
    plain: list[int] = []
    for index, iin in enumerate(iins):
        if len(iin) != 12 or not iin.isdigit():
            continue
        if iin.isascii():
            plain.append(index)
            continue
        try:
            validate_iin(iin)
        except ValueError:
            continue
        birth = birth_date_from_iin(iin)
        valid[index] = True
        born[index] = np.datetime64("NaT") if birth is None else np.datetime64(birth, "D")
    if plain:
        accepted, births = _ascii_iins("".join(iins[index] for index in plain))
        valid[plain], born[plain] = accepted, births
    return valid, born


def _ascii_iins(text: str) -> tuple[Any, Any]:
    """`iin_arrays` for strings of 12 ASCII digits, joined in `text`: the verdicts and the birth dates
    (NaT where not accepted)."""
    digits = (np.frombuffer(text.encode("ascii"), dtype=np.uint8).reshape(-1, 12).astype(np.int64) - 48).T
    check = np.full(digits.shape[1], -1)
    for weights in reversed(_PASSES):  # the first pass whose remainder is not 10 gives the digit
        remainder = _weighted_remainder(list(digits[:11]), weights)
        check = np.where(remainder != 10, remainder, check)
    centuries = np.full(10, -1)
    for digit, century in _CENTURY.items():
        centuries[int(digit)] = century
    century_of = centuries[digits[6]]
    year = century_of + 10 * digits[0] + digits[1]
    month, day = 10 * digits[2] + digits[3], 10 * digits[4] + digits[5]
    month_start = np.where(century_of >= 0, (year - 1970) * 12 + month - 1, 0).astype("datetime64[M]")
    date = month_start.astype("datetime64[D]") + (day - 1)
    real = (century_of >= 0) & (month >= 1) & (month <= 12) & (day >= 1)
    real &= date.astype("datetime64[M]") == month_start  # the day exists in that month
    accepted = (check == digits[11]) & ((century_of < 0) | real)
    return accepted, np.where(accepted & real, date, np.datetime64("NaT"))


def make_iin(birth_date: dt.date, serial: int, female: bool = False) -> str:
    """Build a valid IIN for a birth date and serial (used by synthetic data and tests)."""
    century_digit = {1800: 1, 1900: 3, 2000: 5}[birth_date.year // 100 * 100] + (1 if female else 0)
    for bump in range(10_000):
        first = f"{birth_date:%y%m%d}{century_digit}{(serial + bump) % 10_000:04d}"
        check = iin_check_digit(first)
        if check is not None:
            return first + str(check)
    raise IinError(
        "no valid IIN for this birth date", "iin_birth_date"
    )  # pragma: no cover - unreachable in practice
