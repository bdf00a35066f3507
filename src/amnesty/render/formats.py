"""Dates, numbers, terms and countries in the reader's language, with Babel's CLDR data.

Dates read as lawyers write them: "4 January 2022", "4 января 2022 г.", "2022 жылғы 4 қаңтар";
numbers take the locale's decimal comma and grouping ("55,57" in ru and kk).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal

LANGUAGES = ("ru", "kk", "en")
"""The languages people read the product in."""

DEFAULT_LANGUAGE = "en"

_DATE_PATTERNS = {
    "en": "d MMMM y",
    "ru": "d MMMM y 'г.'",
    "kk": "y 'жылғы' d MMMM",
}


def language_of(language: str | None) -> str:
    """One of `LANGUAGES` for a language tag ('ru-RU' -> 'ru'); English when unknown."""
    code = (language or "").strip().lower()[:2]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def language_from_accept(header: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """The reader's language from an `Accept-Language` header ('kk-KZ,ru;q=0.8' -> 'kk'): the most
    preferred of `LANGUAGES`, else `default`."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate((header or "").split(",")):
        tag, _, options = item.strip().partition(";")
        code = tag.strip().lower()[:2]
        quality = 1.0
        if options.strip().startswith("q="):
            try:
                quality = float(options.strip()[2:])
            except ValueError:
                quality = 0.0
        if code in LANGUAGES and quality > 0:
            ranked.append((-quality, position, code))
    return min(ranked)[2] if ranked else default


@lru_cache(maxsize=8)
def _month_names(language: str) -> tuple[str, ...]:
    """CLDR's month names as a date writes them ("января" in ru, "қаңтар" in kk)."""
    months = Locale.parse(language).months["format"]["wide"]
    return tuple(str(months[number]) for number in range(1, 13))


def format_date(day: dt.date, language: str = "en") -> str:
    """'4 January 2022', '4 января 2022 г.', '2022 жылғы 4 қаңтар' (Babel's CLDR month names laid out
    by `_DATE_PATTERNS`; `babel_date` is the same through Babel's pattern formatter, slower)."""
    language = language_of(language)
    month = _month_names(language)[day.month - 1]
    if language == "kk":
        return f"{day.year} жылғы {day.day} {month}"
    if language == "ru":
        return f"{day.day} {month} {day.year} г."
    return f"{day.day} {month} {day.year}"


def format_numeric_date(day: dt.date, language: str = "en") -> str:
    """A date in figures as the reader writes it in a table: '07.03.2026' in ru and kk (the national
    DD.MM.YYYY), '7 Mar 2026' in en."""
    language = language_of(language)
    if language in ("ru", "kk"):
        return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"
    return babel_format_date(day, "d MMM y", locale="en")


def format_period(start: dt.date, end: dt.date, language: str = "en", compact: bool = False) -> str:
    """A period of days, both inclusive, as a sentence says it: '4 to 7 January 2022',
    'с 4 по 7 января 2022 года', '2022 жылғы 4-7 қаңтар'; `compact` gives '4-7 January 2022',
    '4-7 января 2022 года'. Across months or years each end is a whole date."""
    language = language_of(language)
    months = _month_names(language)
    same_month = (start.year, start.month) == (end.year, end.month)
    if language == "kk":
        if same_month:
            return f"{start.year} жылғы {start.day}-{end.day} {months[start.month - 1]}"
        return f"{format_date(start, language)} – {format_date(end, language)}"
    if language == "ru":
        if same_month:
            days = f"{start.day}-{end.day}" if compact else f"с {start.day} по {end.day}"
            return f"{days} {months[start.month - 1]} {start.year} года"
        first = f"{start.day} {months[start.month - 1]} {start.year} года"
        last = f"{end.day} {months[end.month - 1]} {end.year} года"
        return f"{first} – {last}" if compact else f"с {first} по {last}"
    if same_month:
        days = f"{start.day}-{end.day}" if compact else f"{start.day} to {end.day}"
        return f"{days} {months[start.month - 1]} {start.year}"
    return f"{format_date(start, language)} {'-' if compact else 'to'} {format_date(end, language)}"


def babel_date(day: dt.date, language: str = "en") -> str:
    """The date through Babel's pattern formatter (`_DATE_PATTERNS`): what `format_date` must equal."""
    language = language_of(language)
    return babel_format_date(day, _DATE_PATTERNS[language], locale=language)


@lru_cache(maxsize=4_096)
def _format_number(value: Decimal, language: str) -> str:
    return format_decimal(value, locale=language_of(language))


def format_number(value: float | int | Decimal | str, language: str = "en") -> str:
    """A number with the locale's separators: '55.57' (en), '55,57' (ru, kk); '1 234,5' in ru."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return _format_number(number, language)


def _plural_ru(value: int, one: str, few: str, many: str) -> str:
    if value % 10 == 1 and value % 100 != 11:
        return one
    if 2 <= value % 10 <= 4 and not 12 <= value % 100 <= 14:
        return few
    return many


_RU_UNITS = {
    "y": ("год", "года", "лет"),
    "m": ("месяц", "месяца", "месяцев"),
    "d": ("день", "дня", "дней"),
}
_KK_UNITS = {"y": "жыл", "m": "ай", "d": "күн"}
_EN_UNITS = {"y": "year", "m": "month", "d": "day"}


def format_term(years: int, months: int, days: int, language: str = "en") -> str:
    """A term in words: '2 years 3 months', '2 года 3 месяца', '2 жыл 3 ай' (zero parts left out)."""
    language = language_of(language)
    parts: list[str] = []
    for value, unit in ((years, "y"), (months, "m"), (days, "d")):
        if not value:
            continue
        if language == "ru":
            parts.append(f"{value} {_plural_ru(value, *_RU_UNITS[unit])}")
        elif language == "kk":
            parts.append(f"{value} {_KK_UNITS[unit]}")
        else:
            parts.append(f"{value} {_EN_UNITS[unit]}{'' if value == 1 else 's'}")
    if parts:
        return " ".join(parts)
    return {"ru": "0 дней", "kk": "0 күн"}.get(language, "0 days")


@lru_cache(maxsize=1_024)
def format_country(code: str, language: str = "en") -> str:
    """A country's name from its ISO code ('KG' -> 'Киргизия'); the code itself when unknown."""
    names = Locale.parse(language_of(language)).territories
    return str(names.get(code.upper(), code))
