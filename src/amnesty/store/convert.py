"""Between validated case records and the rows of persons, cases, charges and sentences.

The facts some laws read (CONTRACT.md, "Several laws") are columns too; a row written before they
existed holds null there, as does a row whose fact has the model's default; null is left out of
the record data, so the record model's default stands for it ("not known", or `false` where the contract says so). An article, part or point is
stored as text ("272", "188-1") and read back as the record has it (`stored_number`)."""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from typing import Any

from pydantic import BaseModel

from amnesty.domain.records import CaseRecord, FieldError, parse_record
from amnesty.store.models import Case, ChargeRow, Person, SentenceRow, utcnow


def case_key(record: CaseRecord) -> str:
    """The key of a case within a person: its number, or '' when the record has none."""
    return record.case_number or ""


def record_json(record: CaseRecord) -> dict[str, Any]:
    """The record as plain JSON data (what a decision was made on)."""
    return record.model_dump(mode="json")


def person_values(record: CaseRecord) -> dict[str, Any]:
    """The person-level facts of a record as column values of `persons` (without keys)."""
    return {
        "iin": record.iin,
        "full_name": record.full_name,
        "birth_date": record.birth_date,
        "region": record.region,
        "role": record.role.value,
        "recidivism": record.recidivism.value,
        "conviction_expunged": record.conviction_expunged,
        "fixed_residence": record.fixed_residence,
        "able_bodied": record.able_bodied,
        "needs_medical_care": record.needs_medical_care,
        "needs_documents": record.needs_documents,
        **_facts(record, PERSON_FACTS),
    }


PERSON_FACTS = (
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
"""Person-level facts some laws read, stored in columns of the same names."""
CHARGE_FACTS = ("code", "damage", "civil_claim", "criminal_group", "intoxicated")
"""Charge-level facts some laws read, stored in columns of the same names."""
SENTENCE_FACTS = ("death_commuted", "fine_unpaid_mci")
"""Sentence facts some laws read, stored in columns of the same names."""


def _facts(model: BaseModel, names: tuple[str, ...]) -> dict[str, Any]:
    """The model's facts as column values: null where the fact has the model's default (`false`,
    the 2014 Code, "not known"), so that a record recording none of them is stored as before they
    existed; an enum member as its value."""
    values: dict[str, Any] = {}
    for name in names:
        value = getattr(model, name)
        default = type(model).model_fields[name].default
        values[name] = None if value == default else (value.value if isinstance(value, Enum) else value)
    return values


def _text(number: int | str | None) -> str | None:
    """An article, part or point number as stored: its text."""
    return None if number is None else str(number)


def stored_number(text: str | int | None) -> int | str | None:
    """An article, part or point number as stored, as the record has it: the digits of a whole number
    as that number, an inserted number ("188-1") or a letter point as text."""
    if isinstance(text, str) and text.isdigit():
        return int(text)
    return text


def _known(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """The row's facts that are recorded (not null), by name."""
    return {name: value for name in names if (value := getattr(row, name)) is not None}


def person_facts(person: Person) -> dict[str, Any]:
    """The person-level facts some laws read as the record has them (JSON values): a stored null is
    the record model's default."""
    data = CaseRecord.model_construct(**_known(person, PERSON_FACTS))
    return {name: _json_value(getattr(data, name)) for name in PERSON_FACTS}


def _json_value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def case_values(record: CaseRecord) -> dict[str, Any]:
    """The case-level facts of a record as column values of `cases` (without keys)."""
    return {"case_number": record.case_number, "case_key": case_key(record), "stage": record.stage.value}


def charge_values(record: CaseRecord) -> list[dict[str, Any]]:
    """Each charge of a record as column values of `charges` (with its position, without the case key)."""
    return [
        {
            "position": position,
            "article": str(charge.article),
            "part": _text(charge.part),
            "point": _text(charge.point),
            "category": charge.category.value if charge.category else None,
            "offence_date": charge.offence_date,
            "offence_end_date": charge.offence_end_date,
            "territory": charge.territory,
            "context": charge.context.value,
            "tags": [tag.value for tag in charge.tags],
            "victim_minor": charge.victim_minor,
            **_facts(charge, CHARGE_FACTS),
        }
        for position, charge in enumerate(record.charges)
    ]


def sentence_values(record: CaseRecord) -> dict[str, Any] | None:
    """The sentence of a record as column values of `sentences` (without the case key), or None."""
    sentence = record.sentence
    if sentence is None:
        return None
    term = sentence.term
    return {
        "punishment": sentence.punishment.value,
        "term_years": term.years if term else None,
        "term_months": term.months if term else None,
        "term_days": term.days if term else None,
        "start_date": sentence.start_date,
        "conditional": sentence.conditional,
        "fine_amount_mci": sentence.fine_amount_mci,
        "hours": sentence.hours,
        "additional": list(sentence.additional),
        **_facts(sentence, SENTENCE_FACTS),
    }


def apply_person_fields(person: Person, record: CaseRecord) -> None:
    """Copy the person-level facts of a record onto the person row."""
    for name, value in person_values(record).items():
        setattr(person, name, value)
    person.updated_at = utcnow()


def apply_case_fields(case: Case, record: CaseRecord) -> None:
    """Replace the case's stage, charges and sentence with the record's."""
    for name, value in case_values(record).items():
        setattr(case, name, value)
    case.updated_at = utcnow()
    existing = list(case.charges)
    charges = charge_values(record)
    for position, values in enumerate(charges):
        row = existing[position] if position < len(existing) else ChargeRow(position=position)
        for name, value in values.items():
            setattr(row, name, value)
        if position >= len(existing):
            case.charges.append(row)
    del case.charges[len(charges) :]
    sentence = sentence_values(record)
    if sentence is None:
        case.sentence = None
        return
    target = case.sentence if case.sentence is not None else SentenceRow()
    for name, value in sentence.items():
        setattr(target, name, value)
    case.sentence = target


def case_record_data(case: Case) -> dict[str, Any]:
    """The case and its person as record data (CONTRACT.md shape)."""
    person = case.person
    data: dict[str, Any] = {
        "person_id": person.person_id,
        "iin": person.iin,
        "birth_date": person.birth_date,
        "full_name": person.full_name,
        "case_number": case.case_number,
        "region": person.region,
        "role": person.role,
        "recidivism": person.recidivism,
        "stage": case.stage,
        "charges": [
            {
                "article": stored_number(charge.article),
                "part": stored_number(charge.part),
                "point": stored_number(charge.point),
                "category": charge.category,
                "offence_date": charge.offence_date,
                "offence_end_date": charge.offence_end_date,
                "territory": charge.territory,
                "context": charge.context,
                "tags": list(charge.tags or []),
                "victim_minor": charge.victim_minor,
                **_known(charge, CHARGE_FACTS),
            }
            for charge in case.charges
        ],
        "sentence": None,
        "conviction_expunged": person.conviction_expunged,
        "fixed_residence": person.fixed_residence,
        "able_bodied": person.able_bodied,
        "needs_medical_care": person.needs_medical_care,
        "needs_documents": person.needs_documents,
        **_known(person, PERSON_FACTS),
    }
    sentence = case.sentence
    if sentence is not None:
        has_term = sentence.term_years is not None
        data["sentence"] = {
            "punishment": sentence.punishment,
            "term": {
                "years": sentence.term_years or 0,
                "months": sentence.term_months or 0,
                "days": sentence.term_days or 0,
            }
            if has_term
            else None,
            "start_date": sentence.start_date,
            "conditional": sentence.conditional,
            "fine_amount_mci": sentence.fine_amount_mci,
            "hours": sentence.hours,
            "additional": list(sentence.additional or []),
            **_known(sentence, SENTENCE_FACTS),
        }
    return data


def case_to_record(case: Case) -> CaseRecord:
    """Rebuild the validated record of a stored case."""
    return parse_record(case_record_data(case))


MAX_DB_INTEGER = 2**31 - 1


def _walk(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")
    else:
        yield path, value


def _unstorable(value: Any) -> bool:
    """Whether any value inside is an integer beyond 32 bits or a string with a NUL character."""
    if isinstance(value, dict):
        return any(_unstorable(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(_unstorable(item) for item in value)
    if isinstance(value, str):
        return "\x00" in value
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_DB_INTEGER


def storable_problems(record: CaseRecord) -> list[FieldError]:
    """Values a valid record may hold but a database column cannot: integers beyond 32 bits and
    NUL characters (PostgreSQL refuses them)."""
    problems: list[FieldError] = []
    data = record.model_dump(mode="json")
    if not _unstorable(data):
        return problems
    for path, value in _walk(data, ""):
        if isinstance(value, bool):
            continue
        if isinstance(value, int) and abs(value) > MAX_DB_INTEGER:
            problems.append(FieldError(field=path, problem=f"must be at most {MAX_DB_INTEGER}"))
        elif isinstance(value, str) and "\x00" in value:
            problems.append(FieldError(field=path, problem="contains a NUL character"))
    return problems


def case_record(case: Case) -> dict[str, Any]:
    """The stored facts of a case as record JSON."""
    return record_json(case_to_record(case)) if case.charges else case_record_data(case)
