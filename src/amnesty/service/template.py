"""The upload template of a law: the flat columns its engine reads and one example row it decides on.

The columns are derived, not listed by hand: the facts every rule of the law's engine declares it reads
(`@implements(..., reads=...)`), each mapped to the columns of the contract's flat layout that hold it
(`amnesty.io.columns.columns_of_path`), with the columns no record can be read without, in the
layout's order. The example row is the law's example case (`amnesty.law.example`: a charge the law
reaches, dated by its own window or entry into force) with the category the Code gives it, and a value
of the contract's own for the other columns (dates in the national form); an empty cell is "not known".
"""

from __future__ import annotations

import datetime as dt

from amnesty.engine.category import code_category
from amnesty.engine.laws import engine_of
from amnesty.engine.rules import rules_of
from amnesty.io.columns import ALL_COLUMNS, REQUIRED_COLUMNS, columns_of_path
from amnesty.law.example import example_case
from amnesty.law.loader import Law

EXAMPLE_VALUES: dict[str, str] = {
    "person_id": "P-0001",
    "full_name": "Иванов Иван Иванович",
    "region": "город Алматы",
    "role": "participant",
    "recidivism": "none",
    "stage": "serving",
    "sentence_punishment": "imprisonment",
    "territory": "KZ",
    "code": "kz-2014",
}
"""The example row's values that do not depend on the law (the law's own come from its example case)."""
ADULT_AT_OFFENCE = 30
"""The example person's age on the day of the offence (an adult: no rule on minors applies)."""


def template_columns(law: Law) -> tuple[str, ...]:
    """The columns of the flat layout that the law's rules read, and the required ones, in layout order."""
    reads = {path for rule in rules_of(engine_of(law).name).values() for path in rule.reads}
    wanted = set(REQUIRED_COLUMNS) | {column for path in reads for column in columns_of_path(path)}
    return tuple(column for column in ALL_COLUMNS if column in wanted)


def _national(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def example_row(law: Law) -> dict[str, str]:
    """The template's example row for the law, by column (only the law's template columns)."""
    case = example_case(law)
    category = code_category(law, case.article, case.part)
    values = {
        **EXAMPLE_VALUES,
        "birth_date": _national(case.offence_date.replace(year=case.offence_date.year - ADULT_AT_OFFENCE)),
        "sentence_years": str(case.sentence_years),
        "sentence_start_date": _national(case.sentence_start),
        "article": str(case.article),
        "part": str(case.part),
        "category": category.value if category is not None else "",
        "offence_date": _national(case.offence_date),
        "context": case.context or "",
    }
    return {column: values.get(column, "") for column in template_columns(law)}
