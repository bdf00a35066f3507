"""An example case a law reaches, read from the law's own data: the charge and the dates a draft's
starter scenarios and the upload template's example row are written with.

The charge is the first part of the Criminal Code (among the articles the law lists, when it has a
list) whose sanction allows imprisonment of at most two years and that the catalogue gives no kind of
offence; the offence is dated on the first day of the law's window, or half a year before the law came
into force for a law without one; the sentence begins a month later (before the entry into force).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from amnesty.law.loader import Law, LawPackError

SMALL_GRAVITY_YEARS = 2
"""The longest imprisonment of a crime of small gravity (Criminal Code art. 11 p. 2): the example's
charge is one, so that a decision on it reaches the law's relief rules."""
BEFORE_ENTRY_INTO_FORCE = dt.timedelta(days=182)
SENTENCE_AFTER_OFFENCE = dt.timedelta(days=30)


@dataclass(frozen=True)
class ExampleCase:
    """A charge the law reaches and the dates of an example case under it."""

    article: int | str
    part: int | str
    context: str | None
    """The first context the law accepts, for a law that lists articles with contexts (else None)."""
    offence_date: dt.date
    sentence_start: dt.date
    sentence_years: int
    entry_into_force: dt.date
    deadline: dt.date | None


def _reached_part(law: Law) -> tuple[int | str, int | str, int]:
    listed = {entry.article for entry in law.pack.article_list.entries} if law.pack.article_list else None
    for entry in law.catalogue.entries:
        sanction = entry.sanction
        if entry.part is None or sanction is None or sanction.max_years is None:
            continue
        if listed is not None and entry.article not in listed:
            continue
        if sanction.max_years <= SMALL_GRAVITY_YEARS and not law.facts(entry.article, entry.part).tags:
            listed_entry = law.list_by_article.get(entry.article)
            if listed_entry is None or listed_entry.covers_part(entry.part):
                return entry.article, entry.part, sanction.max_years
    raise LawPackError(f"{law.pack.id}: no part of the Code to write an example case with")


def example_case(law: Law) -> ExampleCase:
    """The example case of `law` (see the module doc)."""
    article, part, years = _reached_part(law)
    entry_into_force = law.entry_into_force
    window = law.pack.dates.offence_window
    offence = window.start if window is not None else entry_into_force - BEFORE_ENTRY_INTO_FORCE
    start = min(offence + SENTENCE_AFTER_OFFENCE, entry_into_force - dt.timedelta(days=1))
    contexts = law.pack.scope.contexts if law.pack.article_list is not None else ()
    return ExampleCase(
        article=article,
        part=part,
        context=contexts[0].value if contexts else None,
        offence_date=offence,
        sentence_start=start,
        sentence_years=min(years, 1),
        entry_into_force=entry_into_force,
        deadline=law.pack.dates.implementation_deadline.value,
    )
