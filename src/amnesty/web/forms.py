"""The case form: HTML form fields <-> contract record data, and validation errors in a clerk's words.

Field names in the form are flat (`full_name`, `charges-0-article`, `sentence-years`); `record_data`
turns them into the contract's JSON shape, leaving empty inputs out so that defaults apply, and
`form_values` does the reverse to fill a form from a stored record. `friendly_errors` turns Pydantic's
errors into (field id, label, problem) in the current language, naming the field; the labels and the
problems are those of the one validation table, `amnesty.render.validation`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from amnesty.domain.records import DEFAULTED_FACTS, CaseRecord
from amnesty.render.validation import FIELD_LABELS, field_label, problem_text
from amnesty.web.i18n import current_language

PERSON_FIELDS = (
    "person_id",
    "full_name",
    "iin",
    "birth_date",
    "case_number",
    "region",
    "role",
    "recidivism",
    "stage",
)
CHOSEN_FIELDS = DEFAULTED_FACTS
"""Fields whose default asserts a fact: on a form they start empty and the officer must choose
(`unchosen_errors`), so that no one records them by not touching the list."""
FACT_FIELDS = ("sex", "disability_group")
"""Person-level facts some laws read (CONTRACT.md, "Several laws"), chosen from a list; empty: not known."""
BOOL_FIELDS = (
    "fixed_residence",
    "able_bodied",
    "needs_medical_care",
    "needs_documents",
    "veteran",
    "pregnant",
    "children_under_18",
    "sole_parent",
    "disabled_dependant",
    "negative_conduct",
)
"""Yes / no / not known (empty) facts of the person."""
CHECK_FIELDS = ("conviction_expunged", "malicious_violator", "crime_while_serving", "objects")
"""Facts of the person that are `false` unless recorded (a check box)."""
CHARGE_FIELDS = (
    "article",
    "part",
    "point",
    "category",
    "offence_date",
    "offence_end_date",
    "territory",
    "context",
    "code",
    "damage",
)
CHARGE_BOOL_FIELDS = ("victim_minor", "civil_claim", "intoxicated")
CHARGE_CHECK_FIELDS = ("criminal_group",)
INT_FIELDS = {"article", "part", "point", "years", "months", "days", "hours"}
SENTENCE_FIELDS = (
    "punishment",
    "years",
    "months",
    "days",
    "start_date",
    "fine_amount_mci",
    "hours",
    "fine_unpaid_mci",
)
_SENTENCE_NUMBERS = ("start_date", "fine_amount_mci", "hours", "fine_unpaid_mci")
"""Sentence inputs beside the punishment and the term (all numbers but the start date)."""
SENTENCE_CHECK_FIELDS = ("conditional", "death_commuted")
MAX_CHARGES = 20

_AS_MISSING = frozenset({"missing", "none_required", "string_too_short"})
"""Problems that, on a form where an empty input is left out, mean the field was not filled in."""

_TYPED = frozenset({"int_type", "date_type", "article_number"})
"""Problems of a value's type that, for an empty input (None), mean the field was not filled in."""

_CHOICE = frozenset({"enum", "literal_error"})
"""A value outside a select's list: the form says to choose one (its codes are not for people)."""


@dataclass(frozen=True)
class FormError:
    """A problem with one form field, in words: which field, and what is wrong."""

    field_id: str
    label: str
    problem: str


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value if value != "" else None
    return value


def charge_indexes(form: Mapping[str, Any]) -> list[int]:
    """The charge row numbers present in the form, in order."""
    found = set()
    for key in form:
        match = re.fullmatch(r"charges-(\d+)-[a-z_]+", key)
        if match and int(match.group(1)) < MAX_CHARGES:
            found.add(int(match.group(1)))
    return sorted(found)


def _number(value: Any, integer: bool) -> Any:
    if value is None:
        return None
    try:
        return int(value) if integer else float(value.replace(",", "."))
    except (ValueError, AttributeError):
        return value  # left for validation to name the field


def record_data(form: Mapping[str, Any], tags: Mapping[int, list[str]] | None = None) -> dict[str, Any]:
    """Contract JSON from the flat form fields (empty inputs are omitted)."""
    data: dict[str, Any] = {}
    for name in (*PERSON_FIELDS, *FACT_FIELDS):
        value = _clean(form.get(name))
        if value is not None:
            data[name] = value
    for name in BOOL_FIELDS:
        value = _clean(form.get(name))
        if value in ("yes", "no"):
            data[name] = value == "yes"
    for name in CHECK_FIELDS:
        if form.get(name) == "yes":
            data[name] = True
    charges = []
    for index in charge_indexes(form):
        charge: dict[str, Any] = {}
        for name in CHARGE_FIELDS:
            value = _clean(form.get(f"charges-{index}-{name}"))
            if value is not None:
                charge[name] = _number(value, True) if name in INT_FIELDS else value
        for name in CHARGE_BOOL_FIELDS:
            value = _clean(form.get(f"charges-{index}-{name}"))
            if value in ("yes", "no"):
                charge[name] = value == "yes"
        for name in CHARGE_CHECK_FIELDS:
            if form.get(f"charges-{index}-{name}") == "yes":
                charge[name] = True
        if tags and tags.get(index):
            charge["tags"] = tags[index]
        if "offence_date" not in charge:
            charge["offence_date"] = None
        if "article" not in charge:
            charge["article"] = None
        charges.append(charge)
    data["charges"] = charges
    punishment = _clean(form.get("sentence-punishment"))
    if punishment is not None:
        sentence: dict[str, Any] = {"punishment": punishment}
        term = {
            name: _number(_clean(form.get(f"sentence-{name}")), True)
            for name in ("years", "months", "days")
            if _clean(form.get(f"sentence-{name}")) is not None
        }
        if term:
            sentence["term"] = term
        for name in _SENTENCE_NUMBERS:
            value = _clean(form.get(f"sentence-{name}"))
            if value is not None:
                sentence[name] = _number(value, name == "hours") if name != "start_date" else value
        for name in SENTENCE_CHECK_FIELDS:
            if form.get(f"sentence-{name}") == "yes":
                sentence[name] = True
        data["sentence"] = sentence
    return data


def form_values(record: CaseRecord) -> dict[str, str]:
    """Flat form values for a stored record (the reverse of `record_data`)."""
    values: dict[str, str] = {}
    data = record.model_dump(mode="json")
    for name in (*PERSON_FIELDS, *FACT_FIELDS):
        if data.get(name) is not None:
            values[name] = str(data[name])
    for name in BOOL_FIELDS:
        if data.get(name) is not None:
            values[name] = "yes" if data[name] else "no"
    for name in CHECK_FIELDS:
        if data.get(name):
            values[name] = "yes"
    for index, charge in enumerate(data["charges"]):
        for name in CHARGE_FIELDS:
            if charge.get(name) is not None:
                values[f"charges-{index}-{name}"] = str(charge[name])
        for name in CHARGE_BOOL_FIELDS:
            if charge.get(name) is not None:
                values[f"charges-{index}-{name}"] = "yes" if charge[name] else "no"
        for name in CHARGE_CHECK_FIELDS:
            if charge.get(name):
                values[f"charges-{index}-{name}"] = "yes"
        for tag in charge.get("tags") or ():
            values[f"charges-{index}-tag-{tag}"] = "yes"
    sentence = data.get("sentence")
    if sentence:
        values["sentence-punishment"] = sentence["punishment"]
        for name in ("years", "months", "days"):
            if sentence.get("term"):
                values[f"sentence-{name}"] = str(sentence["term"][name])
        for name in _SENTENCE_NUMBERS:
            if sentence.get(name) is not None:
                values[f"sentence-{name}"] = str(sentence[name])
        for name in SENTENCE_CHECK_FIELDS:
            if sentence.get(name):
                values[f"sentence-{name}"] = "yes"
    return values


def tags_from_form(form: Mapping[str, Any]) -> dict[int, list[str]]:
    """Checked tag boxes per charge row (`charges-0-tag-terrorist=yes`)."""
    tags: dict[int, list[str]] = {}
    for key, value in form.items():
        match = re.fullmatch(r"charges-(\d+)-tag-([a-z_]+)", key)
        if match and value == "yes":
            tags.setdefault(int(match.group(1)), []).append(match.group(2))
    return tags


def _field_path(loc: tuple[int | str, ...]) -> tuple[str, str]:
    """The HTML id of the input for an error location, and the field's path as the validation table
    names it ('charges[0].offence_date', 'term_years', 'iin')."""
    parts = [p for p in loc if p not in ("function-after", "function-before")]
    if not parts:
        return "form", "(record)"
    if parts[0] == "charges" and len(parts) >= 3 and isinstance(parts[1], int):
        name = str(parts[2])
        return f"charges-{parts[1]}-{name}", f"charges[{parts[1]}].{name}"
    if parts[0] == "charges":
        return "charges", "charges"
    if parts[0] == "sentence":
        names = [str(p) for p in parts[1:] if not isinstance(p, int)]
        name = names[-1] if names else "punishment"
        if name == "term" or "term" in names:
            unit = name if name in ("years", "months", "days") else "years"
            return f"sentence-{unit}", f"term_{unit}"
        path = f"sentence_{name}" if f"sentence_{name}" in FIELD_LABELS else name
        return f"sentence-{name}", path
    name = str(parts[0])
    return name, name


def unchosen_errors(form: Mapping[str, Any]) -> list[FormError]:
    """An error naming each of `CHOSEN_FIELDS` left empty on the form (else the model's default would
    be stored as if the officer had chosen it)."""
    language = current_language.get()
    return [
        FormError(name, field_label(name, language), problem_text("choose_listed", {}, "", language))
        for name in CHOSEN_FIELDS
        if _clean(form.get(name)) is None
    ]


def friendly_errors(error: ValidationError) -> list[FormError]:
    """Validation problems in the current language, each naming its field by its label: the words come
    from the one validation table, `amnesty.render.validation`."""
    language = current_language.get()
    result: list[FormError] = []
    items = error.errors(include_url=False)
    nested = [tuple(item["loc"]) for item in items]
    for item in items:
        loc = tuple(item["loc"])
        if item["type"] == "too_short" and any(len(o) > len(loc) and o[: len(loc)] == loc for o in nested):
            continue  # a collection reported empty only because its items failed: their errors say why
        code = str(item["type"])
        params = {str(k): str(v) for k, v in (item.get("ctx") or {}).items()}
        field_id, path = _field_path(tuple(item["loc"]))
        named = params.pop("field", None)  # a check of the whole record names the field it concerns
        if named in FIELD_LABELS:
            field_id, path = named, named
        if code in _AS_MISSING or (code in _TYPED and item.get("input") is None):
            code = "missing"
        elif code in _CHOICE:
            code = "choose_listed"
        message = str(item["msg"]).removeprefix("Value error, ")
        problem = problem_text(code, params, message, language)
        result.append(FormError(field_id, field_label(path, language), problem))
    return result
