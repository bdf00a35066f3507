"""Every role against every API endpoint and every web page: each permission answers with success,
each refusal with 403 (401 or the sign-in page without login; 404 for objects outside a social
worker's region). Who may do what comes from the one policy module (`amnesty.service.policy`), and
that policy is checked against the table documented in docs/service.md."""

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
from amnesty.service.policy import PERMISSIONS, Action, roles_for

A, CO, RV, SW, AU = Role.ADMIN, Role.CASE_OFFICER, Role.REVIEWER, Role.SOCIAL_WORKER, Role.AUDITOR
AN = Role.ANALYST
EVERYONE = frozenset(Role)
ANONYMOUS = "anonymous"

DOCUMENTED: dict[Action, frozenset[Role]] = {
    Action.EVALUATE: EVERYONE,
    Action.READ_STATS: EVERYONE,
    Action.WRITE_CASES: frozenset({A, CO}),
    Action.ANSWER_QUESTIONS: frozenset({A, CO, RV}),
    Action.READ_PERSONS: EVERYONE - {AN},
    Action.READ_CASES: frozenset({A, CO, RV, AU}),
    Action.OVERRIDE: frozenset({A, RV}),
    Action.ASSIGN_REVIEW: frozenset({A, RV}),
    Action.WHAT_IF: frozenset({A, CO, RV}),
    Action.IMPACT: frozenset({A, CO, RV, AN}),
    Action.DOCUMENTS: frozenset({A, CO, RV, AU}),
    Action.READ_TASKS: frozenset({A, CO, SW, AU}),
    Action.WRITE_TASKS: frozenset({A, SW}),
    Action.READ_AUDIT: frozenset({A, AU}),
    Action.READ_USERS: frozenset({A, AU}),
    Action.WRITE_USERS: frozenset({A}),
    Action.IMPORT: frozenset({A, CO}),
    Action.REEVALUATE: frozenset({A, CO}),
    Action.IMPACT_REGISTER: frozenset({A, CO, RV, AN}),
    Action.SEE_ALL_JOBS: frozenset({A, AU}),
}
"""The role table of docs/service.md, written out independently of the code."""


def test_the_policy_is_the_documented_table():
    assert PERMISSIONS == DOCUMENTED


def may(action: Action) -> frozenset[Role | str]:
    """The roles the policy allows the action."""
    return frozenset(roles_for(action))


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
    body = {
        "outcome": "release",
        "justification": "checked against the court file",
        "citation": "art. 1",
        "release_date": "2024-01-10",
    }
    return "POST", f"/api/decisions/{w.fresh_review_decision()}/overrides", {"json": body}


def _withdraw(w: World) -> tuple[str, str, dict[str, Any]]:
    _, path, body = _override(w)
    created = w.service.client.post(path, headers=w.service.as_role(A), **body)
    assert created.status_code == 201, created.text
    reason = {"reason": "entered for the wrong person by mistake"}
    return "POST", f"/api/overrides/{created.json()['id']}/withdrawal", {"json": reason}


def _answer(w: World) -> tuple[str, str, dict[str, Any]]:
    person_id = f"MX-{secrets.token_hex(4)}"
    w.service.client.post(
        "/api/import", json=[_record(person_id, context="unknown")], headers=w.service.as_role(A)
    )
    case = w.admin_get(f"/api/persons/{person_id}")["cases"][0]
    body = {
        "case_id": case["id"],
        "version": case["version"],
        "field": "charges[0].context",
        "value": "riot",
        "source": "court file 2-123/2022, p. 4",
    }
    return "POST", f"/api/persons/{person_id}/answers", {"json": body}


def _import_file(_w: World) -> tuple[str, str, dict[str, Any]]:
    content = json.dumps(_record(f"MX-{secrets.token_hex(4)}")).encode()
    return "POST", "/api/import/file", {"files": {"file": ("x.jsonl", content, "application/x-ndjson")}}


ENDPOINTS = [
    Endpoint("health", ("GET", "/api/health"), _get(lambda w: "/api/health"), EVERYONE | {ANONYMOUS}),
    Endpoint("me", ("GET", "/api/auth/me"), _get(lambda w: "/api/auth/me"), may(Action.EVALUATE)),
    Endpoint("laws", ("GET", "/api/laws"), _get(lambda w: "/api/laws"), may(Action.EVALUATE)),
    Endpoint(
        "evaluate",
        ("POST", "/api/evaluate"),
        lambda w: ("POST", "/api/evaluate", {"json": _record("EVAL")}),
        may(Action.EVALUATE),
    ),
    Endpoint(
        "import",
        ("POST", "/api/import"),
        lambda w: ("POST", "/api/import", {"json": [_record(f"MX-{secrets.token_hex(4)}")]}),
        may(Action.WRITE_CASES),
        201,
    ),
    Endpoint("import file", ("POST", "/api/import/file"), _import_file, may(Action.WRITE_CASES), 201),
    Endpoint("persons", ("GET", "/api/persons"), _get(lambda w: "/api/persons"), may(Action.READ_PERSONS)),
    Endpoint(
        "person here",
        ("GET", "/api/persons/{person_id}"),
        _get(lambda w: f"/api/persons/{w.here}"),
        may(Action.READ_PERSONS),
    ),
    Endpoint(
        "person elsewhere",
        ("GET", "/api/persons/{person_id}"),
        _get(lambda w: f"/api/persons/{w.there}"),
        may(Action.READ_PERSONS) - {SW},
        outside_region=True,
    ),
    Endpoint("answer", ("POST", "/api/persons/{person_id}/answers"), _answer, may(Action.ANSWER_QUESTIONS)),
    Endpoint("cases", ("GET", "/api/cases"), _get(lambda w: "/api/cases"), may(Action.READ_CASES)),
    Endpoint(
        "case",
        ("GET", "/api/cases/{case_id}"),
        _get(lambda w: f"/api/cases/{w.case_id}"),
        may(Action.READ_CASES),
    ),
    Endpoint("case edit", ("PUT", "/api/cases/{case_id}"), _case_put, may(Action.WRITE_CASES)),
    Endpoint(
        "case re-evaluate",
        ("POST", "/api/cases/{case_id}/evaluate"),
        lambda w: ("POST", f"/api/cases/{w.case_id}/evaluate", {}),
        may(Action.WRITE_CASES),
    ),
    Endpoint(
        "case history",
        ("GET", "/api/cases/{case_id}/decisions"),
        _get(lambda w: f"/api/cases/{w.case_id}/decisions"),
        may(Action.READ_CASES),
    ),
    Endpoint(
        "decision",
        ("GET", "/api/decisions/{decision_id}"),
        _get(lambda w: f"/api/decisions/{w.decision_id}"),
        may(Action.READ_CASES),
    ),
    Endpoint(
        "overrides",
        ("GET", "/api/decisions/{decision_id}/overrides"),
        _get(lambda w: f"/api/decisions/{w.decision_id}/overrides"),
        may(Action.READ_CASES),
    ),
    Endpoint(
        "override",
        ("POST", "/api/decisions/{decision_id}/overrides"),
        _override,
        may(Action.OVERRIDE),
        201,
    ),
    Endpoint(
        "withdraw override",
        ("POST", "/api/overrides/{override_id}/withdrawal"),
        _withdraw,
        may(Action.OVERRIDE),
        201,
    ),
    Endpoint("review queue", ("GET", "/api/review"), _get(lambda w: "/api/review"), may(Action.READ_CASES)),
    Endpoint("tasks", ("GET", "/api/tasks"), _get(lambda w: "/api/tasks"), may(Action.READ_TASKS)),
    Endpoint(
        "task here",
        ("GET", "/api/tasks/{task_id}"),
        _get(lambda w: f"/api/tasks/{w.task_here}"),
        may(Action.READ_TASKS),
    ),
    Endpoint(
        "task elsewhere",
        ("GET", "/api/tasks/{task_id}"),
        _get(lambda w: f"/api/tasks/{w.task_there}"),
        may(Action.READ_TASKS) - {SW},
        outside_region=True,
    ),
    Endpoint(
        "task update here",
        ("PATCH", "/api/tasks/{task_id}"),
        _task_patch(lambda w: w.task_here),
        may(Action.WRITE_TASKS),
    ),
    Endpoint(
        "task update elsewhere",
        ("PATCH", "/api/tasks/{task_id}"),
        _task_patch(lambda w: w.task_there),
        may(Action.WRITE_TASKS) - {SW},
        outside_region=True,
    ),
    Endpoint("stats", ("GET", "/api/stats"), _get(lambda w: "/api/stats"), may(Action.READ_STATS)),
    Endpoint("audit log", ("GET", "/api/audit"), _get(lambda w: "/api/audit"), may(Action.READ_AUDIT)),
    Endpoint(
        "audit verify",
        ("GET", "/api/audit/verify"),
        _get(lambda w: "/api/audit/verify"),
        may(Action.READ_AUDIT),
    ),
    Endpoint("users", ("GET", "/api/users"), _get(lambda w: "/api/users"), may(Action.READ_USERS)),
    Endpoint(
        "user create",
        ("POST", "/api/users"),
        lambda w: (
            "POST",
            "/api/users",
            {"json": {"username": f"u-{secrets.token_hex(4)}", "role": "reviewer"}},
        ),
        may(Action.WRITE_USERS),
        201,
    ),
    Endpoint(
        "user disable",
        ("PATCH", "/api/users/{username}"),
        lambda w: ("PATCH", f"/api/users/{w.user_target}", {"json": {"disabled": True}}),
        may(Action.WRITE_USERS),
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
        frozenset({A, CO, RV, AN}),
        202,
    ),
    Endpoint("jobs", ("GET", "/api/jobs"), _get(lambda w: "/api/jobs"), frozenset({A, CO, RV, AU, AN})),
    Endpoint(
        "job",
        ("GET", "/api/jobs/{job_id}"),
        _get(lambda w: f"/api/jobs/{_admin_job(w)}"),
        frozenset({A, AU}),
        hidden=frozenset({CO, RV, AN}),
    ),
    Endpoint(
        "job cancel (finished)",
        ("POST", "/api/jobs/{job_id}/cancel"),
        lambda w: ("POST", f"/api/jobs/{_admin_job(w)}/cancel", {}),
        frozenset({A, AU}),
        409,
        hidden=frozenset({CO, RV, AN}),
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


# ---------------------------------------------------------------- the web pages, from the same policy


@dataclass(frozen=True)
class WebPage:
    """One page (GET) and the action of the policy it serves."""

    name: str
    route: str
    path: Callable[[World], str]
    allowed: frozenset[Role | str]
    outside_region: bool = False
    hidden: frozenset[Role | str] = frozenset()
    """Roles for which the object does not exist (404): another user's job."""


JOB_USERS = (
    may(Action.IMPORT) | may(Action.REEVALUATE) | may(Action.IMPACT_REGISTER) | may(Action.SEE_ALL_JOBS)
)
"""Roles that may start some kind of job or see everyone's, and so see the jobs pages."""

WEB_PAGES = [
    WebPage("home", "/home", lambda w: "/home", may(Action.READ_STATS)),
    WebPage("dashboard", "/dashboard", lambda w: "/dashboard", may(Action.READ_STATS)),
    WebPage("cases", "/cases", lambda w: "/cases", may(Action.READ_PERSONS)),
    WebPage("cases export", "/cases/export.{fmt}", lambda w: "/cases/export.csv", may(Action.READ_PERSONS)),
    WebPage("person here", "/cases/{person_id}", lambda w: f"/cases/{w.here}", may(Action.READ_PERSONS)),
    WebPage(
        "person elsewhere",
        "/cases/{person_id}",
        lambda w: f"/cases/{w.there}",
        may(Action.READ_PERSONS) - {SW},
        outside_region=True,
    ),
    WebPage("new case", "/cases/new", lambda w: "/cases/new", may(Action.WRITE_CASES)),
    WebPage(
        "edit case", "/cases/{person_id}/edit", lambda w: f"/cases/{w.here}/edit", may(Action.WRITE_CASES)
    ),
    WebPage(
        "what-if", "/cases/{person_id}/what-if", lambda w: f"/cases/{w.here}/what-if", may(Action.WHAT_IF)
    ),
    WebPage("documents", "/documents/{person_id}", lambda w: f"/documents/{w.here}", may(Action.DOCUMENTS)),
    WebPage("review", "/review", lambda w: "/review", may(Action.READ_CASES)),
    WebPage("review export", "/review/export.{fmt}", lambda w: "/review/export.xlsx", may(Action.READ_CASES)),
    WebPage("tasks", "/tasks", lambda w: "/tasks", may(Action.READ_TASKS)),
    WebPage("tasks export", "/tasks/export.{fmt}", lambda w: "/tasks/export.csv", may(Action.READ_TASKS)),
    WebPage("impact", "/impact", lambda w: "/impact", may(Action.IMPACT)),
    WebPage("batch", "/batch", lambda w: "/batch", may(Action.WRITE_CASES)),
    WebPage(
        "upload template", "/upload/template.{fmt}", lambda w: "/upload/template.csv", may(Action.IMPORT)
    ),
    WebPage(
        "upload template form",
        "/upload/template",
        lambda w: "/upload/template?format=xlsx&law=kz-2021-81-vii",
        may(Action.IMPORT),
    ),
    WebPage("users", "/admin/users", lambda w: "/admin/users", may(Action.READ_USERS)),
    WebPage("audit", "/audit", lambda w: "/audit", may(Action.READ_AUDIT)),
    WebPage("audit export", "/audit/export.{fmt}", lambda w: "/audit/export.csv", may(Action.READ_AUDIT)),
    WebPage("law", "/law", lambda w: "/law", EVERYONE | {ANONYMOUS}),
    WebPage("jobs", "/jobs", lambda w: "/jobs", JOB_USERS),
    WebPage(
        "job of another user",
        "/jobs/{job_id}",
        lambda w: f"/jobs/{_admin_job(w)}",
        may(Action.SEE_ALL_JOBS),
        hidden=JOB_USERS - may(Action.SEE_ALL_JOBS),
    ),
    WebPage(
        "job file of another user",
        "/jobs/{job_id}/{name}",
        lambda w: f"/jobs/{_admin_job(w)}/rejected.csv",
        may(Action.SEE_ALL_JOBS),
        hidden=JOB_USERS - may(Action.SEE_ALL_JOBS),
    ),
]
WEB_NOT_PAGES = {
    "/",
    "/static/{name}",
    "/favicon.ico",
    "/lang/{code}",
    "/signin",
    "/cases/new/charge",
    "/cases/new/removed",
    "/cases/new/iin",
    "/impact/chart/{token}.png",
    "/documents/{person_id}/{case_id}/{language}.{fmt}",
    "/documents/{person_id}/{case_id}/{kind}/{language}.{fmt}",
}
"""GET routes that are not pages of their own: fragments, files, downloads of one object."""


def _get_paths(routes: Any) -> set[str]:
    """GET paths of a router's routes, through included routers."""
    found: set[str] = set()
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            found |= _get_paths(inner.routes)
        elif "GET" in (getattr(route, "methods", None) or set()):
            found.add(route.path)
    return found


def test_the_web_matrix_covers_every_page():
    from amnesty.web.routes import router

    routes = _get_paths(router.routes)
    assert routes == {page.route for page in WEB_PAGES} | WEB_NOT_PAGES


def web_client(service: Any, who: Role | str) -> Any:
    """A browser-like client signed in on the pages as the role's test user (or anonymous)."""
    from fastapi.testclient import TestClient

    from .conftest import PASSWORD

    client = TestClient(service.app)
    client.cookies.set("lang", "en")
    if who != ANONYMOUS:
        answer = client.post(
            "/signin", data={"username": service.username(who), "password": PASSWORD}, follow_redirects=False
        )
        assert answer.status_code == 303, answer.text
    return client


@pytest.fixture(scope="module")
def web_clients(service):
    clients = {who: web_client(service, who) for who in [*Role, ANONYMOUS]}
    yield clients
    LOGIN_LIMITER.reset()


@pytest.mark.parametrize("page", WEB_PAGES, ids=lambda p: p.name)
@pytest.mark.parametrize("who", [*Role, ANONYMOUS], ids=str)
def test_web_role_matrix(world, web_clients, page, who):
    response = web_clients[who].get(page.path(world), follow_redirects=False)
    if who in page.allowed:
        expected = 200
    elif who == ANONYMOUS:
        expected = 303
    elif (who is SW and page.outside_region) or who in page.hidden:
        expected = 404
    else:
        expected = 403
    assert response.status_code == expected, f"{who} GET {page.path(world)}: {response.text[:300]}"
    if expected == 303:
        assert response.headers["location"].startswith("/signin?next=")


# ---------------------------------------------------------------- no region leak


def test_every_person_a_social_worker_is_shown_opens_for_them(world, web_clients):
    import re

    social = web_clients[SW]
    shown: set[str] = set()
    pages = ["/home", "/dashboard", "/cases", "/cases?outcome=release", "/cases?sort=end_date", "/tasks"]
    for path in pages:
        html = social.get(path).text
        shown.update(re.findall(r'href="/cases/([^"/?#]+)(?:[#?][^"]*)?"', html))
    shown -= {"new", "export.csv", "export.xlsx"}
    api = world.service.client.get("/api/persons?page_size=200", headers=world.service.as_role(SW)).json()
    shown.update(item["person_id"] for item in api["items"])
    tasks = world.service.client.get("/api/tasks?page_size=200", headers=world.service.as_role(SW)).json()
    shown.update(item["person_id"] for item in tasks["items"])
    assert world.here in shown
    assert world.there not in shown
    for person_id in shown:
        assert social.get(f"/cases/{person_id}").status_code == 200, person_id
        answer = world.service.client.get(f"/api/persons/{person_id}", headers=world.service.as_role(SW))
        assert answer.status_code == 200, person_id
        assert answer.json()["region"] == "Almaty"


def test_a_social_worker_without_a_region_sees_nobody(service):
    from fastapi.testclient import TestClient

    from amnesty.store.models import UserRow

    from .conftest import PASSWORD

    name = f"sw-{secrets.token_hex(3)}"
    created = service.client.post(
        "/api/users",
        json={"username": name, "role": "social_worker", "region": "Almaty", "password": PASSWORD},
        headers=service.as_role(A),
    )
    assert created.status_code == 201
    with service.app.state.sessions() as db:
        row = db.query(UserRow).filter(UserRow.username == name).one()
        row.region = None
        db.commit()
    client = TestClient(service.app)
    client.cookies.set("lang", "en")
    client.post("/signin", data={"username": name, "password": PASSWORD})
    assert "Found: 0" in client.get("/cases").text
    assert "Your account names no region" in client.get("/cases").text
    headers = {
        "Authorization": "Bearer "
        + client.post("/api/auth/token", json={"username": name, "password": PASSWORD}).json()["access_token"]
    }
    assert client.get("/api/persons", headers=headers).json()["total"] == 0
    assert client.get("/api/tasks", headers=headers).json()["total"] == 0
    LOGIN_LIMITER.reset()
