"""Kazakhstan's individual identification number (IIN): format, check digit, encoded birth date.

An IIN is 12 digits: YYMMDD, a century-and-sex digit (1-6), four serial digits and a check digit.
The check digit is the weighted sum of the first eleven digits modulo 11, with weights 1..11; when
that gives 10, a second pass uses weights 3..11, 1, 2; a second 10 means the number cannot be issued.
"""

from __future__ import annotations

import datetime as dt
from operator import mul

_FIRST_WEIGHTS = tuple(range(1, 12))
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
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
    for weights in (_FIRST_WEIGHTS, _SECOND_WEIGHTS):
        remainder: int = sum(map(mul, digits, weights)) % 11
        if remainder != 10:
            return remainder
    return None


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
