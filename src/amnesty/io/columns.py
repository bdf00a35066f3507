"""The flat column layout of case records (CONTRACT.md): one row per charge, person fields repeated.

Shared by the tabular reader (`amnesty.io.tabular`) and the synthetic registry writer, so that the
two can never disagree on a column name. Sentence fields carry the `sentence_` prefix, the term is
split into `sentence_years`, `sentence_months`, `sentence_days`, and lists (`tags`,
`sentence_additional`) are separated by `;`. The facts some laws read and others ignore (CONTRACT.md,
"Several laws") come after the others at each level, with the same names as in JSON.
"""

from __future__ import annotations

from typing import Final

PERSON_COLUMNS: Final = (
    "person_id",
    "iin",
    "birth_date",
    "full_name",
    "case_number",
    "region",
    "role",
    "recidivism",
    "stage",
    "conviction_expunged",
    "fixed_residence",
    "able_bodied",
    "needs_medical_care",
    "needs_documents",
    "sex",
    "veteran",
    "pregnant",
    "children_under_18",
    "sole_parent",
    "disabled_dependant",
    "disability_group",
    "negative_conduct",
    "malicious_violator",
    "crime_while_serving",
    "objects",
)
"""Person-level fields: the same on every row of one person."""

SENTENCE_COLUMNS: Final = (
    "sentence_punishment",
    "sentence_years",
    "sentence_months",
    "sentence_days",
    "sentence_start_date",
    "sentence_conditional",
    "sentence_fine_amount_mci",
    "sentence_hours",
    "sentence_additional",
    "sentence_death_commuted",
    "sentence_fine_unpaid_mci",
)
"""Sentence fields (person level too: the sentence of the whole case)."""

CHARGE_COLUMNS: Final = (
    "article",
    "part",
    "category",
    "offence_date",
    "offence_end_date",
    "territory",
    "context",
    "tags",
    "victim_minor",
    "point",
    "code",
    "damage",
    "civil_claim",
    "criminal_group",
    "intoxicated",
)
"""Charge-level fields: one charge per row."""

LAW_FACT_COLUMNS: Final = (
    "sex",
    "veteran",
    "pregnant",
    "children_under_18",
    "sole_parent",
    "disabled_dependant",
    "disability_group",
    "negative_conduct",
    "malicious_violator",
    "crime_while_serving",
    "objects",
    "sentence_death_commuted",
    "sentence_fine_unpaid_mci",
    "code",
    "damage",
    "civil_claim",
    "criminal_group",
    "intoxicated",
)
"""The facts some laws read and others ignore (CONTRACT.md, "Several laws"), at every level."""

ALL_COLUMNS: Final = PERSON_COLUMNS + SENTENCE_COLUMNS + CHARGE_COLUMNS
REQUIRED_COLUMNS: Final = ("person_id", "stage", "article", "offence_date")
"""Columns without which no row of the file can be read as a record."""

NUMBER_COLUMNS: Final = frozenset({"article", "part"})
"""Article and part numbers: a whole number, or text for an inserted one ("188-1", "1-1")."""
INT_COLUMNS: Final = NUMBER_COLUMNS | frozenset(
    {"point", "sentence_years", "sentence_months", "sentence_days", "sentence_hours", "disability_group"}
)
"""Whole-number columns (for `NUMBER_COLUMNS`, the typed form; an inserted number is read as text)."""
BOOL_COLUMNS: Final = frozenset(
    {
        "conviction_expunged",
        "fixed_residence",
        "able_bodied",
        "needs_medical_care",
        "needs_documents",
        "sentence_conditional",
        "victim_minor",
        "veteran",
        "pregnant",
        "children_under_18",
        "sole_parent",
        "disabled_dependant",
        "negative_conduct",
        "malicious_violator",
        "crime_while_serving",
        "objects",
        "sentence_death_commuted",
        "civil_claim",
        "criminal_group",
        "intoxicated",
    }
)
FLOAT_COLUMNS: Final = frozenset({"sentence_fine_amount_mci", "sentence_fine_unpaid_mci"})
DATE_COLUMNS: Final = frozenset({"birth_date", "offence_date", "offence_end_date", "sentence_start_date"})
LIST_COLUMNS: Final = frozenset({"tags", "sentence_additional"})
LIST_SEPARATOR: Final = ";"

TERM_FIELDS: Final = {"sentence_years": "years", "sentence_months": "months", "sentence_days": "days"}


def columns_of_path(path: str) -> tuple[str, ...]:
    """The flat columns that hold a fact of the case record named by its path (as rules declare what
    they read: `"stage"`, `"sentence.term"`, `"charges[].article"`): a whole charge or sentence is all
    its columns, the term its three; a fact with no column of its own gives none."""
    if path == "charges":
        return CHARGE_COLUMNS
    if path.startswith("charges[]."):
        name = path.removeprefix("charges[].").split(".")[0]
        return (name,) if name in CHARGE_COLUMNS else ()
    if path == "sentence":
        return SENTENCE_COLUMNS
    if path == "sentence.term":
        return tuple(TERM_FIELDS)
    if path.startswith("sentence."):
        name = "sentence_" + path.removeprefix("sentence.").removeprefix("term.").split(".")[0]
        return (name,) if name in SENTENCE_COLUMNS else ()
    return (path,) if path in PERSON_COLUMNS else ()
