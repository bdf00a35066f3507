"""The case form: HTML form fields <-> contract record data, and validation errors in a clerk's words.

Field names in the form are flat (`full_name`, `charges-0-article`, `sentence-years`); `record_data`
turns them into the contract's JSON shape, leaving empty inputs out so that defaults apply, and
`form_values` does the reverse to fill a form from a stored record. `friendly_errors` turns Pydantic's
errors into (field id, label, problem) in the current language, naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from amnesty.domain.records import CaseRecord
from amnesty.web.i18n import gettext
from amnesty.web.labels import N_

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
BOOL_FIELDS = ("fixed_residence", "able_bodied", "needs_medical_care", "needs_documents")
CHARGE_FIELDS = (
    "article",
    "part",
    "point",
    "category",
    "offence_date",
    "offence_end_date",
    "territory",
    "context",
)
CHARGE_BOOL_FIELDS = ("victim_minor",)
INT_FIELDS = {"article", "part", "point", "years", "months", "days", "hours"}
SENTENCE_FIELDS = ("punishment", "years", "months", "days", "start_date", "fine_amount_mci", "hours")
MAX_CHARGES = 20

FIELD_LABELS: dict[str, str] = {
    "person_id": N_("Person number"),
    "full_name": N_("Full name"),
    "iin": N_("IIN"),
    "birth_date": N_("Date of birth"),
    "case_number": N_("Case number"),
    "region": N_("Region"),
    "role": N_("Role in the events"),
    "recidivism": N_("Recidivism"),
    "stage": N_("Stage of the case"),
    "charges": N_("Charges"),
    "article": N_("Article"),
    "part": N_("Part"),
    "point": N_("Point of the part"),
    "victim_minor": N_("The victim was a minor"),
    "category": N_("Category"),
    "offence_date": N_("Date of the offence"),
    "offence_end_date": N_("Offence continued until"),
    "territory": N_("Country (code)"),
    "context": N_("Connection with the events"),
    "tags": N_("Special kinds of offence"),
    "sentence": N_("Sentence"),
    "punishment": N_("Punishment"),
    "term": N_("Term"),
    "years": N_("Years"),
    "months": N_("Months"),
    "days": N_("Days"),
    "start_date": N_("Start of the term"),
    "conditional": N_("Conditional sentence"),
    "fine_amount_mci": N_("Fine (MCI)"),
    "hours": N_("Hours"),
    "fixed_residence": N_("Has a fixed residence"),
    "able_bodied": N_("Able to work"),
    "needs_medical_care": N_("Needs medical care"),
    "needs_documents": N_("Needs documents"),
    "conviction_expunged": N_("Conviction already removed"),
}

_PROBLEMS: dict[str, str] = {
    "missing": N_("must be filled in"),
    "int_parsing": N_("must be a whole number"),
    "int_type": N_("must be a whole number"),
    "float_parsing": N_("must be a number"),
    "date_from_datetime_parsing": N_("must be a date (day, month, year)"),
    "date_parsing": N_("must be a date (day, month, year)"),
    "date_type": N_("must be a date (day, month, year)"),
    "enum": N_("choose one of the listed values"),
    "greater_than_equal": N_("is too small"),
    "less_than_equal": N_("is too large"),
    "string_pattern_mismatch": N_("has the wrong format"),
    "string_too_long": N_("is too long"),
    "string_too_short": N_("must be filled in"),
    "too_short": N_("add at least one"),
}

_VALUE_PROBLEMS: tuple[tuple[str, str], ...] = (
    ("IIN must be exactly 12 digits", N_("must be exactly 12 digits")),
    ("IIN check digit is wrong", N_("is not a valid IIN: the last (check) digit does not match")),
    ("IIN encodes an impossible birth date", N_("encodes a birth date that does not exist")),
    ("disagrees with the IIN", N_("does not match the date of birth encoded in the IIN")),
    ("offence_end_date is before offence_date", N_("is before the date of the offence")),
    ("a point is given without the part", N_("needs the part it belongs to")),
    ("unknown region", N_("is not one of the regions of Kazakhstan")),
    ("person_id is empty", N_("must be filled in")),
)


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
    for name in PERSON_FIELDS:
        value = _clean(form.get(name))
        if value is not None:
            data[name] = value
    for name in BOOL_FIELDS:
        value = _clean(form.get(name))
        if value in ("yes", "no"):
            data[name] = value == "yes"
    if form.get("conviction_expunged") == "yes":
        data["conviction_expunged"] = True
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
        for name in ("start_date", "fine_amount_mci", "hours"):
            value = _clean(form.get(f"sentence-{name}"))
            if value is not None:
                sentence[name] = _number(value, name == "hours") if name != "start_date" else value
        if form.get("sentence-conditional") == "yes":
            sentence["conditional"] = True
        data["sentence"] = sentence
    return data


def form_values(record: CaseRecord) -> dict[str, str]:
    """Flat form values for a stored record (the reverse of `record_data`)."""
    values: dict[str, str] = {}
    data = record.model_dump(mode="json")
    for name in PERSON_FIELDS:
        if data.get(name) is not None:
            values[name] = str(data[name])
    for name in BOOL_FIELDS:
        if data.get(name) is not None:
            values[name] = "yes" if data[name] else "no"
    if data.get("conviction_expunged"):
        values["conviction_expunged"] = "yes"
    for index, charge in enumerate(data["charges"]):
        for name in CHARGE_FIELDS:
            if charge.get(name) is not None:
                values[f"charges-{index}-{name}"] = str(charge[name])
        for name in CHARGE_BOOL_FIELDS:
            if charge.get(name) is not None:
                values[f"charges-{index}-{name}"] = "yes" if charge[name] else "no"
        for tag in charge.get("tags") or ():
            values[f"charges-{index}-tag-{tag}"] = "yes"
    sentence = data.get("sentence")
    if sentence:
        values["sentence-punishment"] = sentence["punishment"]
        for name in ("years", "months", "days"):
            if sentence.get("term"):
                values[f"sentence-{name}"] = str(sentence["term"][name])
        for name in ("start_date", "fine_amount_mci", "hours"):
            if sentence.get(name) is not None:
                values[f"sentence-{name}"] = str(sentence[name])
        if sentence.get("conditional"):
            values["sentence-conditional"] = "yes"
    return values


def tags_from_form(form: Mapping[str, Any]) -> dict[int, list[str]]:
    """Checked tag boxes per charge row (`charges-0-tag-terrorist=yes`)."""
    tags: dict[int, list[str]] = {}
    for key, value in form.items():
        match = re.fullmatch(r"charges-(\d+)-tag-([a-z_]+)", key)
        if match and value == "yes":
            tags.setdefault(int(match.group(1)), []).append(match.group(2))
    return tags


def _label(name: str) -> str:
    return gettext(FIELD_LABELS.get(name, name))


def _field_id(loc: tuple[int | str, ...]) -> tuple[str, str]:
    """The HTML id of the input and its label for an error location."""
    parts = [p for p in loc if p not in ("function-after", "function-before")]
    if not parts:
        return "form", ""
    if parts[0] == "charges" and len(parts) >= 3 and isinstance(parts[1], int):
        number = parts[1] + 1
        name = str(parts[2])
        label = (
            gettext("Charge {number}").format(number=number) + ": " + gettext(FIELD_LABELS.get(name, name))
        )
        return f"charges-{parts[1]}-{name}", label
    if parts[0] == "sentence":
        name = str(parts[-1]) if not isinstance(parts[-1], int) else str(parts[1])
        if name == "term":
            name = "years"
        return f"sentence-{name}", gettext("Sentence") + ": " + gettext(FIELD_LABELS.get(name, name))
    name = str(parts[0])
    return name, gettext(FIELD_LABELS.get(name, name))


def friendly_errors(error: ValidationError) -> list[FormError]:
    """Validation problems in the current language, each naming its field."""
    result: list[FormError] = []
    for item in error.errors(include_url=False):
        field_id, label = _field_id(tuple(item["loc"]))
        message = str(item["msg"]).removeprefix("Value error, ")
        problem = _PROBLEMS.get(str(item["type"]))
        if item["type"] not in _PROBLEMS:  # a value error, or one of the record's own checks (iin_format...)
            for needle, words in _VALUE_PROBLEMS:
                if needle in message:
                    problem = words
                    if needle == "disagrees with the IIN":
                        field_id, label = "birth_date", _label("birth_date")
                    break
        if item["type"] in ("missing", "none_required") or (
            item["type"] == "int_type" and item.get("input") is None
        ):
            problem = _PROBLEMS["missing"]
        if item["type"] in ("date_type",) and item.get("input") is None:
            problem = _PROBLEMS["missing"]
        if field_id == "form" and "sentence" in message:
            field_id, label = "sentence-punishment", _label("sentence")
        if field_id == "charges" and item["type"] == "too_short":
            label = _label("charges")
        result.append(FormError(field_id, label, gettext(problem) if problem else message))
    return result
