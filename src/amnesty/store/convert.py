"""Between validated case records and the rows of persons, cases, charges and sentences."""

from __future__ import annotations

from typing import Any

from amnesty.domain.records import CaseRecord, parse_record
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
    case.charges = [
        ChargeRow(
            position=position,
            article=charge.article,
            part=charge.part,
            category=charge.category.value if charge.category else None,
            offence_date=charge.offence_date,
            offence_end_date=charge.offence_end_date,
            territory=charge.territory,
            context=charge.context.value,
            tags=[tag.value for tag in charge.tags],
        )
        for position, charge in enumerate(record.charges)
    ]
    sentence = record.sentence
    if sentence is None:
        case.sentence = None
        return
    term = sentence.term
    case.sentence = SentenceRow(
        punishment=sentence.punishment.value,
        term_years=term.years if term else None,
        term_months=term.months if term else None,
        term_days=term.days if term else None,
        start_date=sentence.start_date,
        conditional=sentence.conditional,
        fine_amount_mci=sentence.fine_amount_mci,
        hours=sentence.hours,
        additional=list(sentence.additional),
    )


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
                "category": charge.category,
                "offence_date": charge.offence_date,
                "offence_end_date": charge.offence_end_date,
                "territory": charge.territory,
                "context": charge.context,
                "tags": list(charge.tags or []),
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
