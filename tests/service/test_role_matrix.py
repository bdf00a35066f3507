"""Every role against every endpoint: each permission answers with success, each refusal with 403
(401 without login; 404 for objects outside a social worker's region)."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import pytest

from amnesty.auth import LOGIN_LIMITER, Role

A, CO, RV, SW, AU = Role.ADMIN, Role.CASE_OFFICER, Role.REVIEWER, Role.SOCIAL_WORKER, Role.AUDITOR
EVERYONE = frozenset(Role)
READ_CASES = frozenset({A, CO, RV, AU})
ANONYMOUS = "anonymous"


def _record(person_id: str, region: str = "Almaty", context: str = "riot") -> dict[str, Any]:
    return {
        "person_id": person_id,
        "case_number": f"M-{person_id}",
        "region": region,
        "stage": "serving",
        "charges": [
            {
                "article": 188,
                "part": 2,
                "category": "medium",
                "offence_date": "2022-01-05",
                "context": context,
            }
        ],
        "sentence": {"punishment": "imprisonment", "term": {"years": 2}, "start_date": "2022-01-06"},
    }


@dataclass
class World:
    """Objects the matrix requests refer to."""

    service: Any
    here: str
    there: str
    case_id: int
    decision_id: int
    task_here: int
    task_there: int
    user_target: str

    def admin_get(self, path: str) -> Any:
        response = self.service.client.get(path, headers=self.service.as_role(A))
        assert response.status_code == 200, response.text
        return response.json()

    def fresh_review_decision(self) -> int:
        person_id = f"MX-{secrets.token_hex(4)}"
        self.service.client.post(
            "/api/import", json=[_record(person_id, context="unknown")], headers=self.service.as_role(A)
        )
        return int(self.admin_get(f"/api/persons/{person_id}")["cases"][0]["decisions"][-1]["id"])


@pytest.fixture(scope="module")
def world(service) -> World:
    here, there = f"MX-{secrets.token_hex(4)}", f"MX-{secrets.token_hex(4)}"
    response = service.client.post(
        "/api/import", json=[_record(here), _record(there, region="Shymkent")], headers=service.as_role(A)
    )
    assert response.status_code == 201, response.text
    case_id = response.json()["case_ids"][0]

    def first_task(person_id: str) -> int:
        items = service.client.get(f"/api/tasks?person_id={person_id}", headers=service.as_role(A)).json()[
            "items"
        ]
        return int(items[0]["id"])

    decision_id = service.client.get(f"/api/cases/{case_id}", headers=service.as_role(A)).json()["decision"][
        "id"
    ]
    target = f"target-{secrets.token_hex(3)}"
    created = service.client.post(
        "/api/users", json={"username": target, "role": "auditor"}, headers=service.as_role(A)
    )
    assert created.status_code == 201
    return World(service, here, there, case_id, decision_id, first_task(here), first_task(there), target)


Request = Callable[[World], tuple[str, str, dict[str, Any]]]


@dataclass(frozen=True)
class Endpoint:
    """One request and who may make it (`status` for success; `region_refusal` for social workers)."""

    name: str
    route: tuple[str, str]
    request: Request
    allowed: frozenset[Role | str]
    status: int = 200
    outside_region: bool = False
    hidden: frozenset[Role] = frozenset()
    """Roles that may use the endpoint but not see this object (404): other users' jobs."""


def _get(path: Callable[[World], str]) -> Request:
    return lambda w: ("GET", path(w), {})


def _case_put(w: World) -> tuple[str, str, dict[str, Any]]:
    version = w.admin_get(f"/api/cases/{w.case_id}")["version"]
    return "PUT", f"/api/cases/{w.case_id}", {"json": {"version": version, "record": _record(w.here)}}


def _task_patch(task: Callable[[World], int]) -> Request:
    def build(w: World) -> tuple[str, str, dict[str, Any]]:
        task_id = task(w)
        version = w.admin_get(f"/api/tasks/{task_id}")["version"]
        return "PATCH", f"/api/tasks/{task_id}", {"json": {"version": version, "notes": secrets.token_hex(4)}}

    return build


def _override(w: World) -> tuple[str, str, dict[str, Any]]:
    body = {"outcome": "release", "justification": "checked against the court file", "citation": "art. 1"}
    return "POST", f"/api/decisions/{w.fresh_review_decision()}/overrides", {"json": body}


def _import_file(_w: World) -> tuple[str, str, dict[str, Any]]:
    content = json.dumps(_record(f"MX-{secrets.token_hex(4)}")).encode()
    return "POST", "/api/import/file", {"files": {"file": ("x.jsonl", content, "application/x-ndjson")}}


ENDPOINTS = [
    Endpoint("health", ("GET", "/api/health"), _get(lambda w: "/api/health"), EVERYONE | {ANONYMOUS}),
    Endpoint("me", ("GET", "/api/auth/me"), _get(lambda w: "/api/auth/me"), EVERYONE),
    Endpoint(
        "evaluate",
        ("POST", "/api/evaluate"),
        lambda w: ("POST", "/api/evaluate", {"json": _record("EVAL")}),
        EVERYONE,
    ),
    Endpoint(
        "import",
        ("POST", "/api/import"),
        lambda w: ("POST", "/api/import", {"json": [_record(f"MX-{secrets.token_hex(4)}")]}),
        frozenset({A, CO}),
        201,
    ),
    Endpoint("import file", ("POST", "/api/import/file"), _import_file, frozenset({A, CO}), 201),
    Endpoint("persons", ("GET", "/api/persons"), _get(lambda w: "/api/persons"), EVERYONE),
    Endpoint(
        "person here", ("GET", "/api/persons/{person_id}"), _get(lambda w: f"/api/persons/{w.here}"), EVERYONE
    ),
    Endpoint(
        "person elsewhere",
        ("GET", "/api/persons/{person_id}"),
        _get(lambda w: f"/api/persons/{w.there}"),
        READ_CASES,
        outside_region=True,
    ),
    Endpoint("cases", ("GET", "/api/cases"), _get(lambda w: "/api/cases"), READ_CASES),
    Endpoint("case", ("GET", "/api/cases/{case_id}"), _get(lambda w: f"/api/cases/{w.case_id}"), READ_CASES),
    Endpoint("case edit", ("PUT", "/api/cases/{case_id}"), _case_put, frozenset({A, CO})),
    Endpoint(
        "case re-evaluate",
        ("POST", "/api/cases/{case_id}/evaluate"),
        lambda w: ("POST", f"/api/cases/{w.case_id}/evaluate", {}),
        frozenset({A, CO}),
    ),
    Endpoint(
        "case history",
        ("GET", "/api/cases/{case_id}/decisions"),
        _get(lambda w: f"/api/cases/{w.case_id}/decisions"),
        READ_CASES,
    ),
    Endpoint(
        "decision",
        ("GET", "/api/decisions/{decision_id}"),
        _get(lambda w: f"/api/decisions/{w.decision_id}"),
        READ_CASES,
    ),
    Endpoint(
        "overrides",
        ("GET", "/api/decisions/{decision_id}/overrides"),
        _get(lambda w: f"/api/decisions/{w.decision_id}/overrides"),
        READ_CASES,
    ),
    Endpoint(
        "override", ("POST", "/api/decisions/{decision_id}/overrides"), _override, frozenset({A, RV}), 201
    ),
    Endpoint("review queue", ("GET", "/api/review"), _get(lambda w: "/api/review"), READ_CASES),
    Endpoint("tasks", ("GET", "/api/tasks"), _get(lambda w: "/api/tasks"), frozenset({A, CO, SW, AU})),
    Endpoint(
        "task here",
        ("GET", "/api/tasks/{task_id}"),
        _get(lambda w: f"/api/tasks/{w.task_here}"),
        frozenset({A, CO, SW, AU}),
    ),
    Endpoint(
        "task elsewhere",
        ("GET", "/api/tasks/{task_id}"),
        _get(lambda w: f"/api/tasks/{w.task_there}"),
        frozenset({A, CO, AU}),
        outside_region=True,
    ),
    Endpoint(
        "task update here",
        ("PATCH", "/api/tasks/{task_id}"),
        _task_patch(lambda w: w.task_here),
        frozenset({A, SW}),
    ),
    Endpoint(
        "task update elsewhere",
        ("PATCH", "/api/tasks/{task_id}"),
        _task_patch(lambda w: w.task_there),
        frozenset({A}),
        outside_region=True,
    ),
    Endpoint("stats", ("GET", "/api/stats"), _get(lambda w: "/api/stats"), EVERYONE),
    Endpoint("audit log", ("GET", "/api/audit"), _get(lambda w: "/api/audit"), frozenset({A, AU})),
    Endpoint(
        "audit verify", ("GET", "/api/audit/verify"), _get(lambda w: "/api/audit/verify"), frozenset({A, AU})
    ),
    Endpoint("users", ("GET", "/api/users"), _get(lambda w: "/api/users"), frozenset({A, AU})),
    Endpoint(
        "user create",
        ("POST", "/api/users"),
        lambda w: (
            "POST",
            "/api/users",
            {"json": {"username": f"u-{secrets.token_hex(4)}", "role": "reviewer"}},
        ),
        frozenset({A}),
        201,
    ),
    Endpoint(
        "user disable",
        ("PATCH", "/api/users/{username}"),
        lambda w: ("PATCH", f"/api/users/{w.user_target}", {"json": {"disabled": True}}),
        frozenset({A}),
    ),
]


def _admin_job(w: World, dry_run: bool = True) -> int:
    """A finished dry-run import job of the administrator (visible to admins and auditors only)."""
    content = json.dumps(_record(f"MX-{secrets.token_hex(4)}")).encode()
    admin = w.service.as_role(A)
    answer = w.service.client.post(
        "/api/jobs/import", files={"file": ("x.jsonl", content)}, data={"dry_run": "true"}, headers=admin
    )
    job_id = int(answer.json()["id"])
    for _ in range(3000):
        if w.admin_get(f"/api/jobs/{job_id}")["status"] == "done":
            return job_id
        time.sleep(0.02)
    raise AssertionError("the job did not finish")


def _variant() -> bytes:
    return resources.files("amnesty.impact").joinpath("examples/grave-half.yaml").read_bytes()


ENDPOINTS += [
    Endpoint(
        "job import",
        ("POST", "/api/jobs/import"),
        lambda w: (
            "POST",
            "/api/jobs/import",
            {"files": {"file": ("x.json", b"[]")}, "data": {"dry_run": "true"}},
        ),
        frozenset({A, CO}),
        202,
    ),
    Endpoint(
        "job reevaluate",
        ("POST", "/api/jobs/reevaluate"),
        lambda w: ("POST", "/api/jobs/reevaluate", {}),
        frozenset({A, CO}),
        202,
    ),
    Endpoint(
        "job impact",
        ("POST", "/api/jobs/impact"),
        lambda w: ("POST", "/api/jobs/impact", {"files": {"variant": ("v.yaml", _variant())}}),
        frozenset({A, CO, RV, AU}),
        202,
    ),
    Endpoint("jobs", ("GET", "/api/jobs"), _get(lambda w: "/api/jobs"), frozenset({A, CO, RV, AU})),
    Endpoint(
        "job",
        ("GET", "/api/jobs/{job_id}"),
        _get(lambda w: f"/api/jobs/{_admin_job(w)}"),
        frozenset({A, AU}),
        hidden=frozenset({CO, RV}),
    ),
    Endpoint(
        "job cancel (finished)",
        ("POST", "/api/jobs/{job_id}/cancel"),
        lambda w: ("POST", f"/api/jobs/{_admin_job(w)}/cancel", {}),
        frozenset({A, AU}),
        409,
        hidden=frozenset({CO, RV}),
    ),
    Endpoint(
        "job add",
        ("POST", "/api/jobs/{job_id}/add"),
        lambda w: ("POST", f"/api/jobs/{_admin_job(w)}/add", {}),
        frozenset({A}),
        202,
        hidden=frozenset({CO}),
    ),
]
LOGIN_AND_LOGOUT = {("POST", "/api/auth/token"), ("POST", "/api/auth/logout")}


def test_the_matrix_covers_every_api_route(service):
    paths = service.client.get("/openapi.json").json()["paths"]
    routes = {(method.upper(), path) for path, operations in paths.items() for method in operations}
    assert routes == {endpoint.route for endpoint in ENDPOINTS} | LOGIN_AND_LOGOUT


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
@pytest.mark.parametrize("who", [*Role, ANONYMOUS], ids=str)
def test_role_matrix(world, endpoint, who):
    method, path, kwargs = endpoint.request(world)
    headers = {} if who == ANONYMOUS else world.service.as_role(who)
    response = world.service.client.request(method, path, headers=headers, **kwargs)
    if who in endpoint.allowed:
        expected = endpoint.status
    elif who == ANONYMOUS:
        expected = 401
    elif (who is SW and endpoint.outside_region) or who in endpoint.hidden:
        expected = 404
    else:
        expected = 403
    assert response.status_code == expected, f"{who} {method} {path}: {response.text[:300]}"
    if expected >= 400 and who not in endpoint.allowed:
        assert response.json()["error"]["code"] in {"not_authenticated", "forbidden", "not_found"}


@pytest.mark.parametrize("who", list(Role), ids=str)
def test_every_role_can_log_in_and_out(service, who):
    username = service.username(who)
    token = service.client.post(
        "/api/auth/token", json={"username": username, "password": "a-long-test-password"}
    )
    assert token.status_code == 200
    assert token.json()["role"] == who.value
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    assert service.client.post("/api/auth/logout", headers=headers).status_code == 204
    assert service.client.post("/api/auth/logout", headers=headers).status_code == 401
    LOGIN_LIMITER.reset()
