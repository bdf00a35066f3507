"""Request and response bodies of the API that are not domain objects."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from amnesty.auth.roles import Role
from amnesty.domain.enums import Outcome, TaskStatus
from amnesty.domain.records import CaseRecord, TermIn
from amnesty.service.answers import MAX_SOURCE
from amnesty.service.policy import MIN_JUSTIFICATION

Text200 = Annotated[str, Field(min_length=1, max_length=200)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TokenRequest(_In):
    """Credentials for a bearer token."""

    username: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=1024)]


class TokenResponse(BaseModel):
    """A bearer token for the `Authorization` header, and when it expires."""

    access_token: str
    token_type: str = "bearer"  # noqa: S105 (the OAuth token type, not a secret)
    expires_at: dt.datetime
    username: str
    role: Role


class Me(BaseModel):
    """The logged-in user."""

    username: str
    role: Role
    region: str | None


class CaseUpdate(_In):
    """New facts of a case, with the version the client read (optimistic locking)."""

    version: Annotated[int, Field(ge=1, le=2**31 - 1)]
    record: CaseRecord


class AnswerRequest(_In):
    """An answer to a question of a case's newest decision: the case and the version the client read,
    the question's field, the value and the source document it comes from."""

    case_id: Annotated[int, Field(ge=1, le=2**31 - 1)]
    version: Annotated[int, Field(ge=1, le=2**31 - 1)]
    field: Annotated[str, Field(min_length=1, max_length=100)]
    value: bool | int | str | dict[str, Any]
    source: Annotated[str, Field(min_length=1, max_length=MAX_SOURCE)]


class OverrideRequest(_In):
    """A reviewer's decision and its justification."""

    outcome: Outcome
    justification: Annotated[str, Field(min_length=MIN_JUSTIFICATION, max_length=10_000)]
    citation: Annotated[str, Field(min_length=3, max_length=300)]
    release_date: dt.date | None = None
    new_end_date: dt.date | None = None
    new_term: TermIn | None = None


class TaskUpdate(_In):
    """Changes to a task, with the version the client read. `null` for assignee/due_date clears them."""

    version: Annotated[int, Field(ge=1, le=2**31 - 1)]
    status: TaskStatus | None = None
    assignee: Annotated[str, Field(max_length=64)] | None = None
    due_date: dt.date | None = None
    notes: Annotated[str, Field(max_length=10_000)] | None = None
    reason: Annotated[str, Field(max_length=2_000)] | None = None


class UserCreate(_In):
    """A new account; without a password one is generated and returned once."""

    username: Annotated[str, Field(min_length=2, max_length=64)]
    role: Role
    region: Annotated[str, Field(max_length=40)] | None = None
    password: Annotated[str, Field(min_length=10, max_length=1024)] | None = None


class UserUpdate(_In):
    """Disable or enable an account, set its password, or lift its sign-in lock (`unlock`)."""

    disabled: bool | None = None
    unlock: bool | None = None
    password: Annotated[str, Field(min_length=10, max_length=1024)] | None = None


class UserOut(BaseModel):
    """An account as shown to administrators and auditors (never the hash)."""

    username: str
    role: Role
    region: str | None
    disabled: bool
    locked: bool = False
    """Signed-in attempts failed too often, from any addresses: locked until an administrator
    unlocks it or the failures age out (docs/service.md)."""
    created_at: str | None
    password: str | None = None


class ImportRows(BaseModel):
    """Records to import as a JSON array (or an object with a `records` array)."""

    records: list[Any]


class Health(BaseModel):
    """Liveness and schema state."""

    status: str
    database: str
    schema_revision: str | None
    version: str
