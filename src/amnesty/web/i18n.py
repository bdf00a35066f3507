"""Languages of the web pages: gettext catalogues (ru, kk, en) compiled from the .po files at start-up.

The .po files under `locale/<lang>/LC_MESSAGES/messages.po` are the source; they are compiled in
memory with Babel (no compiled .mo files are kept in the repository) by
`amnesty.domain.vocabulary_labels.translations`, the one loader, which the words of the closed
vocabularies read too. The language of a request comes
from the `lang` cookie, else from the Accept-Language header, else Russian. The current language is a
context variable, read by the Jinja2 gettext callables.
"""

from __future__ import annotations

import contextvars
import datetime as dt

from amnesty.domain.vocabulary_labels import po_text, translations
from amnesty.render.formats import format_date, format_numeric_date

__all__ = ["po_text", "translations"]

LANGUAGES: dict[str, str] = {"ru": "Русский", "kk": "Қазақша", "en": "English"}
DEFAULT_LANGUAGE = "ru"
LANG_COOKIE = "lang"

current_language: contextvars.ContextVar[str] = contextvars.ContextVar("amnesty_web_language", default="ru")


def gettext(message: str) -> str:
    """Translate into the current language."""
    return translations(current_language.get()).gettext(message)


def ngettext(singular: str, plural: str, number: int) -> str:
    """Translate with a plural form chosen by the language's rules."""
    return translations(current_language.get()).ngettext(singular, plural, number)


def pick_language(cookie: str | None, accept_language: str | None) -> str:
    """The language to serve: the cookie's, else the first acceptable one, else Russian."""
    if cookie in LANGUAGES:
        return cookie
    for item in (accept_language or "").split(","):
        code = item.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def local_date(day: dt.date | None) -> str:
    """A date in the current language's long form ('5 января 2024 г.'); a dash when absent."""
    return format_date(day, current_language.get()) if day is not None else "—"


def short_date(day: dt.date | dt.datetime | str | None) -> str:
    """A date in the current locale's short numeric form (Babel CLDR data); ISO text is read first."""
    if not day:
        return "—"
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    from babel.dates import format_date as babel_format_date

    value = day.date() if isinstance(day, dt.datetime) else day
    return babel_format_date(
        value, format="short" if current_language.get() == "en" else "medium", locale=current_language.get()
    )


def numeric_date(day: dt.date | dt.datetime | str | None) -> str:
    """A date in figures in the current language ('07.03.2026' in ru and kk; ISO text is read first),
    a dash when absent: the dates of job results and of exports of the audit log and impact runs."""
    if not day:
        return "—"
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    value = day.date() if isinstance(day, dt.datetime) else day
    return format_numeric_date(value, current_language.get())


def numeric_moment(moment: dt.datetime | str | None) -> str:
    """A moment (UTC when naive) on Kazakhstan's clock, in figures: '07.03.2026 23:03:12'."""
    if not moment:
        return "—"
    value = dt.datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    local = value.astimezone(local_zone())
    return f"{numeric_date(local.date())} {local:%H:%M:%S}"


LOCAL_ZONE = "Asia/Almaty"
"""Times are shown on the clock of Kazakhstan (stored in UTC)."""


def local_time(moment: dt.datetime | str | None) -> str:
    """A moment (ISO text or datetime, UTC when naive) as a date and time in the current language, on
    Kazakhstan's clock: '29 нояб. 2026 г., 23:03:12'."""
    if not moment:
        return "—"
    from babel.dates import format_datetime

    value = dt.datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return format_datetime(value.astimezone(local_zone()), format="medium", locale=current_language.get())


def local_zone() -> dt.tzinfo:
    """Kazakhstan's clock (UTC when the system has no time zone data)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(LOCAL_ZONE)
    except ZoneInfoNotFoundError:
        return dt.UTC


def local_day(moment: dt.datetime | str | None) -> dt.date | None:
    """The day of a moment (ISO text or datetime, UTC when naive) on Kazakhstan's clock: the day
    `local_today` counts ages from."""
    if not moment:
        return None
    value = dt.datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(local_zone()).date()


def local_today() -> dt.date:
    """Today on Kazakhstan's clock (due days and ages of the work queues)."""
    return dt.datetime.now(local_zone()).date()
