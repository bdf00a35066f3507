"""The one policy of who may do what: roles, the actions each role may take, and region scoping.

The API routes and the web pages both ask this module; neither keeps a table of its own.

| action | admin | case_officer | reviewer | social_worker | auditor |
|---|---|---|---|---|---|
| evaluate a record (stateless), statistics, dashboard | yes | yes | yes | yes (own region) | yes |
| the impact of a law variant (page), an impact job over the register | yes | yes | yes | - | job only |
| import records, enter, edit and re-evaluate cases, batch upload | yes | yes | - | - | - |
| read persons (search, a person's file with its cases and decisions) | yes | yes | yes | own region only | yes |
| read the case list, decisions, history, review queue, overrides | yes | yes | yes | - | yes |
| record an override | yes | - | yes | - | - |
| take review items, assign them to a reviewer, confirm provisional decisions in bulk | yes | - | yes | - | - |
| what-if and the impact of a law variant | yes | yes | yes | - | - |
| a law's report (outcomes by region and stage, relief, exclusions by rule; its downloads) | yes | yes | yes | - | yes |
| decision documents | yes | yes | yes | - | yes |
| read tasks | yes | yes | - | own region only | yes |
| update tasks | yes | - | - | own region only | - |
| read users, the audit log, verify the audit chain | yes | - | - | - | yes |
| create, disable users, reset passwords, set role and region | yes | - | - | - | - |
| start import and re-evaluation jobs | yes | yes | - | - | - |
| start an impact job over the register | yes | yes | yes | - | - |
| see every user's jobs (others see their own) | yes | - | - | - | yes |

The analyst (`analyst`) evaluates records, reads the statistics and dashboard counts and a law's
report (counts, no person), and runs the impact of a law variant (the page and the register job);
nothing else (no person, case, task, user or audit page).

Region scoping: a social worker sees only the persons who are *currently* in their region (the
person's region as last recorded), and the tasks of those persons; a social worker whose account
names no region sees no person and no task. Objects outside the scope are answered as absent (404).

Where the API and the old web pages disagreed, this is the rule: an override needs a justification of
at least `MIN_JUSTIFICATION` (20) characters; a social worker without a region sees nothing; case
officers read tasks but do not change them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from amnesty.auth.roles import Role

MIN_JUSTIFICATION = 20
"""Characters an override's justification needs (API and web alike)."""

NO_REGION = "-"
"""The scope of a social worker whose account names no region: matches no person and no task."""


class Action(StrEnum):
    """What a user may ask the system to do."""

    EVALUATE = "evaluate"
    READ_STATS = "read_stats"
    WRITE_CASES = "write_cases"
    ANSWER_QUESTIONS = "answer_questions"
    READ_PERSONS = "read_persons"
    READ_CASES = "read_cases"
    OVERRIDE = "override"
    ASSIGN_REVIEW = "assign_review"
    WHAT_IF = "what_if"
    IMPACT = "impact"
    DOCUMENTS = "documents"
    READ_TASKS = "read_tasks"
    WRITE_TASKS = "write_tasks"
    READ_AUDIT = "read_audit"
    READ_USERS = "read_users"
    WRITE_USERS = "write_users"
    IMPORT = "import"
    REEVALUATE = "reevaluate"
    IMPACT_REGISTER = "impact_register"
    SEE_ALL_JOBS = "see_all_jobs"
    READ_REPORTS = "read_reports"


A, CO, RV, SW, AU = Role.ADMIN, Role.CASE_OFFICER, Role.REVIEWER, Role.SOCIAL_WORKER, Role.AUDITOR
AN = Role.ANALYST

PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.EVALUATE: frozenset(Role),
    Action.READ_STATS: frozenset(Role),
    Action.WRITE_CASES: frozenset({A, CO}),
    Action.ANSWER_QUESTIONS: frozenset({A, CO, RV}),  # a reviewer settles a question from a document
    Action.READ_PERSONS: frozenset({A, CO, RV, SW, AU}),
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
    Action.IMPACT_REGISTER: frozenset(
        {A, CO, RV, AN}
    ),  # as WHAT_IF, and the analyst: the auditor reads, never runs the law
    Action.SEE_ALL_JOBS: frozenset({A, AU}),
    Action.READ_REPORTS: frozenset({A, CO, RV, AU, AN}),  # counts only; a social worker works cases
}
REGION_SCOPED: frozenset[Role] = frozenset({SW})
"""Roles confined to the persons (and their tasks) of their own region."""


class Actor(Protocol):
    """What the policy needs to know of a user (the stored `UserRow` has it)."""

    @property
    def username(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def region(self) -> str | None: ...


class ForbiddenError(Exception):
    """The user's role does not allow the action."""

    def __init__(self, action: Action) -> None:
        super().__init__(f"this needs one of the roles: {', '.join(sorted(roles_for(action)))}")
        self.action = action


def roles_for(action: Action) -> frozenset[Role]:
    """The roles allowed to take an action."""
    return PERMISSIONS[action]


def role_of(user: Actor) -> Role:
    """The user's role as the enum."""
    return Role(user.role)


def may(user: Actor | None, action: Action) -> bool:
    """Whether the user may take the action (no user: never)."""
    return user is not None and role_of(user) in PERMISSIONS[action]


def require(user: Actor, action: Action) -> None:
    """Raise `ForbiddenError` unless the user may take the action."""
    if not may(user, action):
        raise ForbiddenError(action)


def region_limit(user: Actor) -> str | None:
    """The only region whose persons the user may see (None: no limit). A region-scoped user without a
    region gets `NO_REGION`, which matches nothing."""
    if role_of(user) in REGION_SCOPED:
        return user.region or NO_REGION
    return None


def in_scope(user: Actor, person_region: str | None) -> bool:
    """Whether a person currently recorded in `person_region` is visible to the user."""
    limit = region_limit(user)
    return limit is None or (person_region is not None and person_region == limit)
