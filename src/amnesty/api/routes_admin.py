"""Health, the audit log and its verification, and user administration."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from amnesty import __version__
from amnesty.api.common import PageNumber, PageSize, not_found
from amnesty.api.deps import get_db, require_roles
from amnesty.api.errors import ApiError, FieldProblem, error_responses
from amnesty.api.schemas import Health, UserCreate, UserOut, UserUpdate
from amnesty.auth.passwords import generate_password
from amnesty.auth.ratelimit import LOGIN_LIMITER
from amnesty.auth.roles import Role
from amnesty.auth.users import (
    UserError,
    create_user,
    get_user,
    list_users,
    set_disabled,
    set_password,
    unlock,
)
from amnesty.service.accounts import (
    AuditFilter,
    AuditItem,
    User,
    audit_trail,
    iso,
    schema_revision,
    verify_audit,
)
from amnesty.service.policy import Action, roles_for
from amnesty.service.results import Page

router = APIRouter()


@router.get("/health", response_model=Health, tags=["health"])
def health(request: Request, db: Session = Depends(get_db)) -> Health:
    """Liveness: the database answers; the schema revision it is at."""
    try:
        db.execute(text("SELECT 1"))
        database = "ok"
    except Exception:
        database = "unavailable"
    revision = schema_revision(request.app.state.engine) if database == "ok" else None
    return Health(
        status="ok" if database == "ok" else "degraded",
        database=database,
        schema_revision=revision,
        version=__version__,
    )


@router.get("/audit", tags=["audit"], responses=error_responses(401, 403, 422))
def audit_log(
    action: Annotated[str | None, Query(max_length=64)] = None,
    actor: Annotated[str | None, Query(max_length=64)] = None,
    object_type: Annotated[str | None, Query(max_length=32)] = None,
    object_id: Annotated[str | None, Query(max_length=128)] = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 100,
    user: User = Depends(require_roles(*roles_for(Action.READ_AUDIT))),
    db: Session = Depends(get_db),
) -> Page[AuditItem]:
    """The audit events, newest first, filtered by action, actor, object or day (from, to)."""
    filters = AuditFilter(actor, action, object_type, object_id, date_from, date_to)
    return audit_trail(db, user, filters, page, page_size)


@router.get("/audit/verify", tags=["audit"], responses=error_responses(401, 403))
def audit_verify(
    user: User = Depends(require_roles(*roles_for(Action.READ_AUDIT))), db: Session = Depends(get_db)
) -> dict[str, Any]:
    """Recompute the hash chain: `ok`, and every altered or deleted event by sequence number."""
    return verify_audit(db, user).to_json_dict()


def _user_out(user: User, password: str | None = None, locked: bool = False) -> UserOut:
    return UserOut(
        username=user.username,
        role=Role(user.role),
        region=user.region,
        disabled=user.disabled,
        locked=locked,
        created_at=iso(user.created_at),
        password=password,
    )


@router.get("/users", response_model=list[UserOut], tags=["users"], responses=error_responses(401, 403))
def users(
    user: User = Depends(require_roles(*roles_for(Action.READ_USERS))), db: Session = Depends(get_db)
) -> list[UserOut]:
    """Every account (never the password hash)."""
    return [_user_out(u, locked=LOGIN_LIMITER.account_locked(db, u.username)) for u in list_users(db)]


def _user_error(error: UserError) -> ApiError:
    field, _, problem = str(error).partition(": ")
    status = 409 if "already exists" in problem else 422
    return ApiError(
        status,
        "conflict" if status == 409 else "validation_error",
        str(error),
        [FieldProblem(field=field, problem=problem)],
    )


@router.post(
    "/users",
    status_code=201,
    response_model=UserOut,
    tags=["users"],
    responses=error_responses(401, 403, 409, 422),
)
def add_user(
    body: UserCreate,
    user: User = Depends(require_roles(*roles_for(Action.WRITE_USERS))),
    db: Session = Depends(get_db),
) -> UserOut:
    """Create an account. Without a password, one is generated and returned in this answer only."""
    password = body.password or generate_password()
    try:
        created = create_user(db, body.username, password, body.role, body.region, actor=user.username)
    except UserError as error:
        db.rollback()
        raise _user_error(error) from None
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise ApiError(409, "conflict", f"username: {body.username!r} was created at the same time") from None
    return _user_out(created, None if body.password else password)


@router.patch(
    "/users/{username}", response_model=UserOut, tags=["users"], responses=error_responses(401, 403, 404, 422)
)
def change_user(
    username: Annotated[str, Path(min_length=1, max_length=64)],
    body: UserUpdate,
    user: User = Depends(require_roles(*roles_for(Action.WRITE_USERS))),
    db: Session = Depends(get_db),
) -> UserOut:
    """Disable or enable an account (disabling revokes its tokens), set its password, or lift its
    sign-in lock (`{"unlock": true}`)."""
    target = get_user(db, username)
    if target is None:
        raise not_found("user", username)
    if body.disabled is True and target.id == user.id:
        raise ApiError(
            422,
            "validation_error",
            "you cannot disable your own account",
            [FieldProblem(field="disabled", problem="own account")],
        )
    try:
        if body.disabled is not None:
            set_disabled(db, target, body.disabled, actor=user.username)
        if body.password is not None:
            set_password(db, target, body.password, actor=user.username)
        if body.unlock:
            unlock(db, target, actor=user.username)
    except UserError as error:
        db.rollback()
        raise _user_error(error) from None
    db.commit()
    return _user_out(target, locked=LOGIN_LIMITER.account_locked(db, target.username))
