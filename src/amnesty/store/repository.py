"""The store's service functions in one place (what the API, the web pages and the CLI call).

Writes (the caller commits; each appends audit events in the same transaction):
- `import_records(db, items, actor)`: all or nothing; `ImportRejectedError.errors` lists every bad row.
- `upsert_case`, `update_case(db, case, expected_version, record, actor)` (`VersionConflictError`),
  `evaluate_case(db, case, actor, law=None, as_of=None, strict=False, force=False)`.
- `record_override(db, decision, OverrideInput, reviewer)`, `update_task(db, task, version, TaskChange, actor)`.
Reads:
- `search_persons` / `search_cases(db, CaseFilter, region_limit, sort, page, page_size) -> Page`,
  `get_person`, `get_case`, `person_file(db, person, actor)` (audited read), `case_json`,
  `decision_json`, `review_queue(db, ReviewStatus, page, page_size)`, `search_tasks(db, TaskFilter, ...)`,
  `statistics(db, region_limit)`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from amnesty.audit.chain import record_event
from amnesty.store.cases import (
    ImportRejectedError,
    ImportResult,
    VersionConflictError,
    case_record,
    evaluate_case,
    import_records,
    latest_decision,
    update_case,
    upsert_case,
)
from amnesty.store.convert import person_facts
from amnesty.store.models import Person
from amnesty.store.queries import (
    CaseFilter,
    Page,
    ReviewStatus,
    TaskFilter,
    answered_questions,
    case_json,
    case_summary,
    decision_json,
    decision_summary,
    get_case,
    get_person,
    iso,
    override_json,
    review_queue,
    search_cases,
    search_persons,
    search_tasks,
    statistics,
    task_json,
)
from amnesty.store.workflow import OverrideInput, SupersededError, TaskChange, record_override, update_task

__all__ = [
    "CaseFilter",
    "ImportRejectedError",
    "ImportResult",
    "OverrideInput",
    "Page",
    "ReviewStatus",
    "SupersededError",
    "TaskChange",
    "TaskFilter",
    "VersionConflictError",
    "case_json",
    "case_record",
    "case_summary",
    "decision_json",
    "decision_summary",
    "evaluate_case",
    "get_case",
    "get_person",
    "import_records",
    "latest_decision",
    "override_json",
    "person_file",
    "record_override",
    "review_queue",
    "search_cases",
    "search_persons",
    "search_tasks",
    "statistics",
    "task_json",
    "update_case",
    "update_task",
    "upsert_case",
]


def person_file(db: Session, person: Person, actor: str) -> dict[str, Any]:
    """A person's whole file: facts, cases, every decision with its diff and overrides, tasks.
    Reading it is an audit event (the caller commits)."""
    record_event(db, actor, "person.read", "person", person.person_id)
    answers = answered_questions(db, [case.id for case in person.cases])
    return {
        "person_id": person.person_id,
        "full_name": person.full_name,
        "iin": person.iin,
        "birth_date": iso(person.birth_date),
        "region": person.region,
        "role": person.role,
        "recidivism": person.recidivism,
        "conviction_expunged": person.conviction_expunged,
        "fixed_residence": person.fixed_residence,
        "able_bodied": person.able_bodied,
        "needs_medical_care": person.needs_medical_care,
        "needs_documents": person.needs_documents,
        **person_facts(person),
        "created_at": iso(person.created_at),
        "updated_at": iso(person.updated_at),
        "cases": [
            case_json(case, case_record(case)) | {"answers": answers[case.id]} for case in person.cases
        ],
    }
