"""Answering a question of a `needs_review` decision through the API: the answer becomes a fact of the
case, the case is re-evaluated at once, the answer is audited with its source; stale versions, bad
values and roles that may not edit cases are refused."""

from __future__ import annotations

from typing import Any

import pytest

from amnesty.auth import Role

FIELD = "charges[0].context"
SOURCE = "court file 2-123/2022, page 4"


def _unknown_context_case(service, record, person_id: str) -> dict[str, Any]:
    charge = {
        "article": 188,
        "part": 2,
        "category": "medium",
        "offence_date": "2022-01-05",
        "context": "unknown",
    }
    response = service.client.post(
        "/api/import", json=[record(person_id, charges=[charge])], headers=service.as_role(Role.ADMIN)
    )
    assert response.status_code == 201, response.text
    case = service.client.get(f"/api/persons/{person_id}", headers=service.as_role(Role.ADMIN)).json()[
        "cases"
    ][0]
    decision = case["decisions"][-1]["decision"]
    assert decision["outcome"] == "needs_review"
    assert FIELD in [question["field"] for question in decision["questions"]]
    return case


def _answer(service, person_id: str, case: dict[str, Any], role: Role = Role.CASE_OFFICER, **changes: Any):
    body = {
        "case_id": case["id"],
        "version": case["version"],
        "field": FIELD,
        "value": "riot",
        "source": SOURCE,
    }
    body.update(changes)
    return service.client.post(f"/api/persons/{person_id}/answers", json=body, headers=service.as_role(role))


def test_an_answer_settles_the_case_and_is_audited(service, record, unique_id):
    person_id = unique_id()
    case = _unknown_context_case(service, record, person_id)
    question = next(q for q in case["decisions"][-1]["decision"]["questions"] if q["field"] == FIELD)
    response = _answer(service, person_id, case)
    assert response.status_code == 200, response.text
    change = response.json()
    assert change["decision"]["outcome"] == question["leads_to"]["riot"]
    assert change["decision"]["outcome"] != "needs_review"
    assert change["case"]["version"] == case["version"] + 1
    stored = service.client.get(f"/api/cases/{case['id']}", headers=service.as_role(Role.ADMIN)).json()
    assert stored["record"]["charges"][0]["context"] == "riot"
    auditor = service.as_role(Role.AUDITOR)
    events = service.client.get(
        f"/api/audit?action=case.answer&object_id={case['id']}", headers=auditor
    ).json()
    assert events["total"] == 1
    event = events["items"][0]
    assert event["actor"] == service.username(Role.CASE_OFFICER)
    assert event["details"]["source"] == SOURCE
    assert event["details"]["field"] == FIELD
    assert event["details"]["decision_id"] == change["decision"]["id"]
    assert event["at"].startswith("20")


def test_a_stale_version_is_a_conflict(service, record, unique_id):
    person_id = unique_id()
    case = _unknown_context_case(service, record, person_id)
    assert _answer(service, person_id, case).status_code == 200
    again = _answer(service, person_id, case, value="unrelated")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "version_conflict"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"value": "meteor"}, "value"),
        ({"field": "charges[0].colour"}, "field"),
        ({"field": "stage", "value": "served"}, "field"),
        ({"source": "   "}, "source"),
    ],
)
def test_a_bad_answer_is_refused_naming_the_field(service, record, unique_id, changes, field):
    person_id = unique_id()
    case = _unknown_context_case(service, record, person_id)
    response = _answer(service, person_id, case, **changes)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["fields"][0]["field"] == field
    stored = service.client.get(f"/api/cases/{case['id']}", headers=service.as_role(Role.ADMIN)).json()
    assert stored["version"] == case["version"]


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.AUDITOR, Role.ANALYST])
def test_roles_that_may_not_answer_cannot(service, record, unique_id, role):
    person_id = unique_id()
    case = _unknown_context_case(service, record, person_id)
    assert _answer(service, person_id, case, role=role).status_code == 403


def test_a_reviewer_answers_a_question_without_editing_the_case(service, record, unique_id):
    person_id = unique_id()
    case = _unknown_context_case(service, record, person_id)
    response = _answer(service, person_id, case, role=Role.REVIEWER)
    assert response.status_code == 200, response.text
    stored = service.client.get(f"/api/cases/{case['id']}", headers=service.as_role(Role.ADMIN)).json()
    assert stored["record"]["charges"][0]["context"] == "riot"
    edit = service.client.put(
        f"/api/cases/{case['id']}",
        json={"version": stored["version"], "record": stored["record"]},
        headers=service.as_role(Role.REVIEWER),
    )
    assert edit.status_code == 403


def test_the_review_queue_filters_cases_with_open_questions(service, record, unique_id):
    person_id = unique_id()
    case = _unknown_context_case(service, record, person_id)
    decision_id = case["decisions"][-1]["id"]
    reviewer = service.as_role(Role.REVIEWER)

    def queue(query: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        page = 1
        while True:
            found = service.client.get(
                f"/api/review?page_size=200&page={page}{query}", headers=reviewer
            ).json()
            items += found["items"]
            if len(items) >= found["total"] or not found["items"]:
                return items
            page += 1

    everything = queue("")
    asking = queue("&questions=open")
    assert decision_id in [item["id"] for item in asking]
    assert len(asking) < len(everything)
    admin = service.as_role(Role.ADMIN)
    for item in asking:
        stored = service.client.get(f"/api/decisions/{item['id']}", headers=admin).json()
        assert stored["decision"]["questions"]
    assert _answer(service, person_id, case).status_code == 200
    assert decision_id not in [item["id"] for item in queue("&questions=open")]
    assert service.client.get("/api/review?questions=some", headers=reviewer).status_code == 422
