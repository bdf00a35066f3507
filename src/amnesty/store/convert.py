"""Between validated case records and the rows of persons, cases, charges and sentences."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from amnesty.domain.records import CaseRecord, FieldError, parse_record
from amnesty.store.models import Case, ChargeRow, Person, SentenceRow, utcnow


def case_key(record: CaseRecord) -> str:
    """The key of a case within a person: its number, or '' when the record has none."""
    return record.case_number or ""


def record_json(record: CaseRecord) -> dict[str, Any]:
    """The record as plain JSON data (what a decision was made on)."""
    return record.model_dump(mode="json")


def apply_person_fields(person: Person, record: CaseRecord) -> None:
    """Copy the person-level facts of a record onto the person row."""
    person.iin = record.iin
    person.full_name = record.full_name
    person.birth_date = record.birth_date
    person.region = record.region
    person.role = record.role.value
    person.recidivism = record.recidivism.value
    person.conviction_expunged = record.conviction_expunged
    person.fixed_residence = record.fixed_residence
    person.able_bodied = record.able_bodied
    person.needs_medical_care = record.needs_medical_care
    person.needs_documents = record.needs_documents
    person.updated_at = utcnow()


def apply_case_fields(case: Case, record: CaseRecord) -> None:
    """Replace the case's stage, charges and sentence with the record's."""
    case.case_number = record.case_number
    case.case_key = case_key(record)
    case.stage = record.stage.value
    case.updated_at = utcnow()
    existing = list(case.charges)
    for position, charge in enumerate(record.charges):
        row = existing[position] if position < len(existing) else ChargeRow(position=position)
        row.article = charge.article
        row.part = charge.part
        row.point = charge.point
        row.category = charge.category.value if charge.category else None
        row.offence_date = charge.offence_date
        row.offence_end_date = charge.offence_end_date
        row.territory = charge.territory
        row.context = charge.context.value
        row.tags = [tag.value for tag in charge.tags]
        row.victim_minor = charge.victim_minor
        if position >= len(existing):
            case.charges.append(row)
    del case.charges[len(record.charges) :]
    sentence = record.sentence
    if sentence is None:
        case.sentence = None
        return
    term = sentence.term
    target = case.sentence if case.sentence is not None else SentenceRow()
    target.punishment = sentence.punishment.value
    target.term_years = term.years if term else None
    target.term_months = term.months if term else None
    target.term_days = term.days if term else None
    target.start_date = sentence.start_date
    target.conditional = sentence.conditional
    target.fine_amount_mci = sentence.fine_amount_mci
    target.hours = sentence.hours
    target.additional = list(sentence.additional)
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
                "article": charge.article,
                "part": charge.part,
                "point": charge.point,
                "category": charge.category,
                "offence_date": charge.offence_date,
                "offence_end_date": charge.offence_end_date,
                "territory": charge.territory,
                "context": charge.context,
                "tags": list(charge.tags or []),
                "victim_minor": charge.victim_minor,
            }
            for charge in case.charges
        ],
        "sentence": None,
        "conviction_expunged": person.conviction_expunged,
        "fixed_residence": person.fixed_residence,
        "able_bodied": person.able_bodied,
        "needs_medical_care": person.needs_medical_care,
        "needs_documents": person.needs_documents,
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


def storable_problems(record: CaseRecord) -> list[FieldError]:
    """Values a valid record may hold but a database column cannot: integers beyond 32 bits and
    NUL characters (PostgreSQL refuses them)."""
    problems: list[FieldError] = []
    for path, value in _walk(record.model_dump(mode="json"), ""):
        if isinstance(value, bool):
            continue
        if isinstance(value, int) and abs(value) > MAX_DB_INTEGER:
            problems.append(FieldError(field=path, problem=f"must be at most {MAX_DB_INTEGER}"))
        elif isinstance(value, str) and "\x00" in value:
            problems.append(FieldError(field=path, problem="contains a NUL character"))
    return problems
