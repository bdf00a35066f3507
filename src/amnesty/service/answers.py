"""Answering a guided question of a `needs_review` decision: the answer is put at the question's field
of the stored record and saved as the case's new facts by the case edit (re-evaluated at once, with the
diff and the audit of an edit); who answered, when and from which source document is audited beside. A
reviewer's override in force closes the decision's questions."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from amnesty.domain.records import parse_record
from amnesty.engine.questions import FieldPathError, set_field
from amnesty.law.loader import Law
from amnesty.service import cases
from amnesty.service.errors import InvalidInputError, NotFoundError, VersionConflictError
from amnesty.service.policy import Action, Actor, region_limit, require
from amnesty.service.results import CaseChange
from amnesty.store import queries
from amnesty.store.convert import case_record
from amnesty.store.in_force import decision_in_force

__all__ = ["MAX_SOURCE", "answer_question", "open_question_fields"]

MAX_SOURCE = 500
"""Characters a source document reference may have."""


def open_question_fields(decision: dict[str, Any] | None) -> list[str]:
    """The fields the questions of a stored decision (its JSON) ask about."""
    questions = (decision or {}).get("questions") or []
    return [str(question["field"]) for question in questions]


def answer_question(
    db: Session,
    user: Actor,
    person_id: str,
    case_id: int,
    expected_version: int,
    field: str,
    value: Any,
    source: str,
    law: Law,
) -> CaseChange:
    """Set `value` at `field` (a question of the case's newest decision) in the stored record and save
    it as the case's facts if the user saw the current version (else 409); a value the record refuses
    is a 422 naming the field. The audit event `case.answer` records the field, the source document
    and the decision it gave (the actor and time are the event's own)."""
    require(user, Action.ANSWER_QUESTIONS)
    case = queries.get_case(db, case_id, region_limit(user))
    if case is None or case.person.person_id != person_id:
        raise NotFoundError("case", case_id)
    source = source.strip()
    if not source:
        raise InvalidInputError("name the source document of the answer", "source")
    if len(source) > MAX_SOURCE:
        raise InvalidInputError(f"at most {MAX_SOURCE} characters", "source")
    if case.version != expected_version:
        raise VersionConflictError("case", case_id, expected_version, case.version)
    in_force = decision_in_force(case.decisions)
    if in_force is not None and in_force.override is not None:
        raise InvalidInputError(
            "a reviewer's decision is in force: it closed the questions (withdraw it to answer them)", "field"
        )
    newest = in_force.decision.decision if in_force is not None else None
    if field not in open_question_fields(newest):
        raise InvalidInputError("the case's newest decision asks no question about this field", "field")
    try:
        record = parse_record(set_field(case_record(case), field, value))
    except FieldPathError as error:
        raise InvalidInputError(str(error), "field") from None
    except ValidationError as error:
        problem = error.errors(include_url=False)[0]
        where = ".".join(str(step) for step in problem["loc"]) or field
        raise InvalidInputError(f"{where}: {problem['msg']}", "value") from None
    details = {"person_id": person_id, "field": field, "source": source}
    return cases.update_case_facts(db, user, case_id, expected_version, record, law, answer=details)
