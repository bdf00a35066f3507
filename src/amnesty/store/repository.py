"""The store's functions in one place (what the CLI and the tests call; the API and the web go
through `amnesty.service`).

Writes (the caller commits; each appends audit events in the same transaction):
- `import_records(db, items, actor)`: all or nothing; `ImportRejectedError.errors` lists every bad row.
- `upsert_case`, `update_case(db, case, expected_version, record, actor)` (`VersionConflictError`),
  `evaluate_case(db, case, actor, law=None, as_of=None, strict=False, force=False)`.
- `record_override(db, decision, OverrideInput, reviewer)`, `update_task(db, task, version, TaskChange)`
  (rows only: the caller records their audit events).
Reads (typed views, `amnesty.store.views`):
- `search_persons` / `search_cases(db, CaseFilter, region_limit, sort, page, page_size) -> Page`,
  `get_person`, `get_case`, `person_file(db, person)` (the caller audits the read), `case_detail`,
  `decision_detail`, `review_queue(db, ReviewStatus, page, page_size)`, `search_tasks(db, TaskFilter, ...)`,
  `statistics(db, region_limit)`.
"""

from __future__ import annotations

from amnesty.store.cases import (
    ImportRejectedError,
    ImportResult,
    VersionConflictError,
    evaluate_case,
    import_records,
    latest_decision,
    update_case,
    upsert_case,
)
from amnesty.store.convert import case_record
from amnesty.store.queries import (
    CaseFilter,
    ReviewStatus,
    TaskFilter,
    case_detail,
    case_summary,
    decision_detail,
    decision_summary,
    get_case,
    get_person,
    override_view,
    person_file,
    review_queue,
    search_cases,
    search_persons,
    search_tasks,
    statistics,
    task_view,
)
from amnesty.store.views import Page
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
    "case_detail",
    "case_record",
    "case_summary",
    "decision_detail",
    "decision_summary",
    "evaluate_case",
    "get_case",
    "get_person",
    "import_records",
    "latest_decision",
    "override_view",
    "person_file",
    "record_override",
    "review_queue",
    "search_cases",
    "search_persons",
    "search_tasks",
    "statistics",
    "task_view",
    "update_case",
    "update_task",
    "upsert_case",
]
