"""The decision in force of a case (`amnesty.store.in_force`): a reviewer's override in force replaces
the engine's decision in the lists, the review queue, the counts, the outcome filter and the decision
document (which says who decided, when); withdrawing the override (audited, with a reason) brings the
engine's decision back; an override closes the case's open questions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import delete, select

from amnesty.auth import Role
from amnesty.documents.render import DocumentFormat
from amnesty.law.loader import default_law
from amnesty.service import register
from amnesty.store.models import ImmutableRowError, OverrideWithdrawal


@dataclass(frozen=True)
class Reader:
    """A user as the policy sees one."""

    username: str
    role: str
    region: str | None = None


REASON = "entered for the wrong person by mistake; the engine's decision stands"


def _needs_review_case(service, record, person_id: str) -> dict[str, Any]:
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
    case = _case(service, person_id)
    assert case["decision"]["outcome"] == "needs_review"
    assert case["decisions"][-1]["decision"]["questions"]
    return case


def _case(service, person_id: str) -> dict[str, Any]:
    file = service.client.get(f"/api/persons/{person_id}", headers=service.as_role(Role.ADMIN)).json()
    return file["cases"][0]


def _override(service, decision_id: int, outcome: str = "not_covered") -> dict[str, Any]:
    body = {
        "outcome": outcome,
        "justification": "the court file shows no link to the events",
        "citation": "ст. 1",
    }
    response = service.client.post(
        f"/api/decisions/{decision_id}/overrides", json=body, headers=service.as_role(Role.REVIEWER)
    )
    assert response.status_code == 201, response.text
    return response.json()


def _withdraw(service, override_id: int, reason: str = REASON):
    return service.client.post(
        f"/api/overrides/{override_id}/withdrawal",
        json={"reason": reason},
        headers=service.as_role(Role.REVIEWER),
    )


def _open_review_ids(service, **params: str) -> set[int]:
    found: set[int] = set()
    page = 1
    while True:
        answer = service.client.get(
            "/api/review",
            params={"page": page, "page_size": 200, **params},
            headers=service.as_role(Role.ADMIN),
        ).json()
        found |= {item["id"] for item in answer["items"]}
        if page * 200 >= answer["total"]:
            return found
        page += 1


def _document_text(service, case_id: int) -> str:
    admin = Reader(service.username(Role.ADMIN), Role.ADMIN.value)
    with service.app.state.sessions() as db:
        document = register.case_document(db, admin, case_id, default_law(), "ru", DocumentFormat.DOCX)
    return document.text


def _stats(service) -> dict[str, Any]:
    return service.client.get("/api/stats", headers=service.as_role(Role.ADMIN)).json()


def test_an_override_is_the_decision_in_force_everywhere_until_withdrawn(service, record, unique_id):
    person_id = unique_id()
    case = _needs_review_case(service, record, person_id)
    decision_id = case["decisions"][-1]["id"]
    engine_document = _document_text(service, case["id"])
    assert "расчёт программы" in engine_document
    before = _stats(service)
    assert decision_id in _open_review_ids(service)
    assert decision_id in _open_review_ids(service, questions="open")

    override = _override(service, decision_id)
    case = _case(service, person_id)
    in_force = case["decision"]["in_force"]
    assert case["decision"]["effective_outcome"] == "not_covered"
    assert in_force["source"] == "reviewer"
    assert in_force["decided_by"] == service.username(Role.REVIEWER)
    assert in_force["override_id"] == override["id"]
    assert decision_id not in _open_review_ids(service)
    assert decision_id not in _open_review_ids(service, questions="open")  # the override closed them
    after = _stats(service)
    assert after["review_open"] == before["review_open"] - 1
    assert (
        after["by_effective_outcome"].get("not_covered", 0)
        == before["by_effective_outcome"].get("not_covered", 0) + 1
    )
    listed = service.client.get(
        "/api/cases", params={"outcome": "not_covered", "q": person_id}, headers=service.as_role(Role.ADMIN)
    ).json()
    assert [item["person_id"] for item in listed["items"]] == [person_id]

    document = _document_text(service, case["id"])
    assert "не подпадает под действие акта об амнистии" in document  # the not_covered notice
    assert "проверяющего " + service.username(Role.REVIEWER) in document
    assert "the court file shows no link to the events" in document
    assert document != engine_document
    assert f"-R{override['id']}" in document  # its number names the override

    withdrawn = _withdraw(service, override["id"])
    assert withdrawn.status_code == 201, withdrawn.text
    assert withdrawn.json()["withdrawn"] is True
    assert withdrawn.json()["withdrawal_reason"] == REASON
    case = _case(service, person_id)
    assert case["decision"]["in_force"]["source"] == "engine"
    assert case["decision"]["effective_outcome"] == "needs_review"
    assert case["decisions"][-1]["overrides"][0]["withdrawn_by"] == service.username(Role.REVIEWER)
    assert decision_id in _open_review_ids(service)
    assert decision_id in _open_review_ids(service, questions="open")
    assert _stats(service)["review_open"] == before["review_open"]
    assert "расчёт программы" in _document_text(service, case["id"])
    events = service.client.get(
        "/api/audit",
        params={"action": "override.withdraw", "object_id": str(decision_id)},
        headers=service.as_role(Role.ADMIN),
    ).json()["items"]
    assert len(events) == 1
    assert events[0]["actor"] == service.username(Role.REVIEWER)


def test_a_withdrawal_needs_a_reason_and_happens_once(service, record, unique_id):
    person_id = unique_id()
    case = _needs_review_case(service, record, person_id)
    override = _override(service, case["decisions"][-1]["id"])
    assert _withdraw(service, override["id"], "no").status_code == 422
    assert _case(service, person_id)["decision"]["in_force"]["source"] == "reviewer"
    assert _withdraw(service, override["id"]).status_code == 201
    assert _withdraw(service, override["id"]).status_code == 409
    officer = service.client.post(
        f"/api/overrides/{override['id']}/withdrawal",
        json={"reason": REASON},
        headers=service.as_role(Role.CASE_OFFICER),
    )
    assert officer.status_code == 403
    assert _withdraw(service, 10**9).status_code == 404


def test_withdrawing_the_newest_override_puts_the_previous_one_back_in_force(service, record, unique_id):
    person_id = unique_id()
    case = _needs_review_case(service, record, person_id)
    decision_id = case["decisions"][-1]["id"]
    first = _override(service, decision_id, "not_covered")
    second = _override(service, decision_id, "excluded")
    assert _case(service, person_id)["decision"]["effective_outcome"] == "excluded"
    assert _withdraw(service, second["id"]).status_code == 201
    in_force = _case(service, person_id)["decision"]["in_force"]
    assert (in_force["outcome"], in_force["override_id"]) == ("not_covered", first["id"])


def test_an_override_closes_the_questions_for_answers(service, record, unique_id):
    person_id = unique_id()
    case = _needs_review_case(service, record, person_id)
    _override(service, case["decisions"][-1]["id"])
    body = {
        "case_id": case["id"],
        "version": case["version"],
        "field": "charges[0].context",
        "value": "riot",
        "source": "court file 2-123/2022",
    }
    answer = service.client.post(
        f"/api/persons/{person_id}/answers", json=body, headers=service.as_role(Role.CASE_OFFICER)
    )
    assert answer.status_code == 422
    assert "closed" in answer.text


def test_the_document_cites_the_source_of_every_answered_question(service, record, unique_id):
    from amnesty.render.validation import field_label

    person_id = unique_id()
    case = _needs_review_case(service, record, person_id)
    source = f"протокол допроса № {unique_id()}"
    body = {
        "case_id": case["id"],
        "version": case["version"],
        "field": "charges[0].context",
        "value": "riot",
        "source": source,
    }
    answer = service.client.post(
        f"/api/persons/{person_id}/answers", json=body, headers=service.as_role(Role.CASE_OFFICER)
    )
    assert answer.status_code == 200, answer.text
    document = _document_text(service, case["id"])
    assert "Сведения, установленные по документам" in document
    assert f"{field_label('charges[0].context', 'ru')}: источник — {source}" in document


def test_a_withdrawal_is_never_changed_or_deleted(service, record, unique_id):
    case = _needs_review_case(service, record, unique_id())
    override = _override(service, case["decisions"][-1]["id"])
    assert _withdraw(service, override["id"]).status_code == 201
    with service.app.state.sessions() as db:
        row = db.scalar(select(OverrideWithdrawal).where(OverrideWithdrawal.override_fk == override["id"]))
        assert row is not None
        row.reason = "rewritten afterwards by someone"
        with pytest.raises(ImmutableRowError):
            db.flush()
        db.rollback()
        with pytest.raises(Exception, match="append-only"):  # the database's own trigger
            db.execute(delete(OverrideWithdrawal).where(OverrideWithdrawal.override_fk == override["id"]))
        db.rollback()
