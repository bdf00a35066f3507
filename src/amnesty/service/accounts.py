"""Use cases of administration: accounts (list, add, disable, reset the password, set role and
region, lift a sign-in lock) through `amnesty.auth`'s user functions, and the audit trail (filtered, paginated) with the
chain check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Engine, func, select
from sqlalchemy.orm import Session, object_session

from amnesty.audit.chain import AuditReport, record_event, verify_chain
from amnesty.auth import Role, UserError, create_user, generate_password, get_user, list_users
from amnesty.auth import set_disabled as auth_set_disabled
from amnesty.auth import set_password as auth_set_password
from amnesty.auth.ratelimit import LOGIN_LIMITER
from amnesty.auth.users import set_region as auth_set_region
from amnesty.auth.users import set_role as auth_set_role
from amnesty.auth.users import unlock as auth_unlock
from amnesty.domain.regions import normalise_region
from amnesty.service.errors import InvalidInputError, NotFoundError
from amnesty.service.policy import Action, Actor, require
from amnesty.service.results import Page, Result
from amnesty.store.migrate import current_revision
from amnesty.store.models import AuditEvent, UserProfileRow, UserRow
from amnesty.store.queries import MAX_PAGE_SIZE
from amnesty.store.queries import iso as iso  # the routes' ISO text of a time

User = UserRow
"""A signed-in account as the API's routes receive it (`amnesty.api.deps`): the stored row, which the
routes read and hand to the use cases, never query."""


def schema_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (None for an empty database), for the health check."""
    return current_revision(engine)


class Account(Result):
    """An account as administrators and auditors see it (never the hash); `password` only once, when
    it was just generated."""

    username: str
    full_name: str | None = None
    organisation: str | None = None
    role: Role
    region: str | None
    disabled: bool
    created_at: str | None
    password: str | None = None


def _account(row: UserRow, password: str | None = None, profile: UserProfileRow | None = None) -> Account:
    if profile is None:
        session = object_session(row)
        profile = session.get(UserProfileRow, row.id) if session is not None else None
    return Account(
        username=row.username,
        full_name=profile.full_name if profile else None,
        organisation=profile.organisation if profile else None,
        role=Role(row.role),
        region=row.region,
        disabled=row.disabled,
        created_at=iso(row.created_at),
        password=password,
    )


def _refused(error: UserError) -> InvalidInputError:
    field, _, problem = str(error).partition(": ")
    return InvalidInputError(problem or str(error), field or "username")


def accounts(db: Session, user: Actor) -> list[Account]:
    """Every account, by username."""
    require(user, Action.READ_USERS)
    profiles = {row.user_fk: row for row in db.scalars(select(UserProfileRow))}
    return [_account(row, profile=profiles.get(row.id)) for row in list_users(db)]


MAX_PROFILE_CHARS = 200
"""Characters of an account's full name and of its organisation."""


def _text(value: str | None) -> str | None:
    return " ".join(value.split()) if value and value.strip() else None


def add_account(
    db: Session,
    user: Actor,
    username: str,
    role: Role,
    region: str | None,
    password: str | None = None,
    *,
    full_name: str | None = None,
    organisation: str | None = None,
) -> Account:
    """Create an account with the person's full name and organisation (each up to
    `MAX_PROFILE_CHARS`, audited); without a password one is generated and returned once."""
    require(user, Action.WRITE_USERS)
    name, body = _text(full_name), _text(organisation)
    for field, text in (("full_name", name), ("organisation", body)):
        if text is not None and len(text) > MAX_PROFILE_CHARS:
            raise InvalidInputError(f"at most {MAX_PROFILE_CHARS} characters", field, "too_long")
    secret = password or generate_password()
    try:
        row = create_user(db, username, secret, role, region or None, actor=user.username)
    except UserError as error:
        db.rollback()
        raise _refused(error) from None
    if name or body:
        db.add(UserProfileRow(user_fk=row.id, full_name=name, organisation=body))
        db.flush()
        record_event(
            db, user.username, "user.profile", "user", row.username, {"full_name": name, "organisation": body}
        )
    db.commit()
    return _account(row, None if password else secret)


def _target(db: Session, username: str) -> UserRow:
    row = get_user(db, username)
    if row is None:
        raise NotFoundError("user", username)
    return row


def set_disabled(db: Session, user: Actor, username: str, disabled: bool) -> Account:
    """Disable (or enable) an account; one's own account cannot be disabled."""
    require(user, Action.WRITE_USERS)
    row = _target(db, username)
    if disabled and row.username == user.username:
        raise InvalidInputError("you cannot disable your own account", "disabled")
    auth_set_disabled(db, row, disabled, actor=user.username)
    db.commit()
    return _account(row)


def locked_accounts(db: Session, user: Actor) -> frozenset[str]:
    """The accounts whose sign-in is locked (too many failures from any addresses)."""
    require(user, Action.READ_USERS)
    return frozenset(row.username for row in list_users(db) if LOGIN_LIMITER.account_locked(db, row.username))


def unlock_account(db: Session, user: Actor, username: str) -> int:
    """Lift an account's sign-in lock (`amnesty.auth.users.unlock`, audited as `user.unlock`); how many
    failed sign-ins were forgotten."""
    require(user, Action.WRITE_USERS)
    row = _target(db, username)
    forgotten = auth_unlock(db, row, actor=user.username)
    db.commit()
    return forgotten


def reset_password(db: Session, user: Actor, username: str, password: str | None = None) -> Account:
    """Give an account a new password (generated and returned once when none is given)."""
    require(user, Action.WRITE_USERS)
    row = _target(db, username)
    secret = password or generate_password()
    try:
        auth_set_password(db, row, secret, actor=user.username)
    except UserError as error:
        db.rollback()
        raise _refused(error) from None
    db.commit()
    return _account(row, None if password else secret)


def set_role(db: Session, user: Actor, username: str, role: Role, region: str | None) -> Account:
    """Set an account's role and region (a social worker needs a region); audited. A change ends every
    web session and API token of the account."""
    require(user, Action.WRITE_USERS)
    row = _target(db, username)
    try:
        region_value = normalise_region(region) if region else None
    except ValueError as error:
        raise InvalidInputError(str(error), "region") from None
    if role is Role.SOCIAL_WORKER and region_value is None:
        raise InvalidInputError("a social worker needs the region whose akimat they work for", "region")
    if row.username == user.username and role is not Role(row.role):
        raise InvalidInputError("you cannot change your own role", "role")
    try:
        # the order keeps every intermediate state valid (a social worker always has a region)
        if role is Role.SOCIAL_WORKER:
            auth_set_region(db, row, region_value, actor=user.username)
            auth_set_role(db, row, role, actor=user.username)
        else:
            auth_set_role(db, row, role, actor=user.username)
            auth_set_region(db, row, region_value, actor=user.username)
    except UserError as error:
        db.rollback()
        raise _refused(error) from None
    db.commit()
    return _account(row)


class AuditItem(Result):
    """One audit event."""

    seq: int
    at: str
    actor: str
    action: str
    object_type: str
    object_id: str
    details: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditFilter:
    """Criteria of the audit trail (all optional): who, what, which object, from and to which day."""

    actor: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def audit_conditions(filters: AuditFilter) -> list[ColumnElement[bool]]:
    """The SQL conditions of the filters (the audit page and its export select the same events)."""
    conditions: list[ColumnElement[bool]] = []
    for column, value in (
        (AuditEvent.actor, filters.actor),
        (AuditEvent.action, filters.action),
        (AuditEvent.object_type, filters.object_type),
        (AuditEvent.object_id, filters.object_id),
    ):
        if value:
            conditions.append(column == value)
    if filters.date_from:
        conditions.append(AuditEvent.at >= filters.date_from.isoformat())
    if filters.date_to:
        conditions.append(AuditEvent.at < (filters.date_to + dt.timedelta(days=1)).isoformat())
    return conditions


def audit_trail(
    db: Session, user: Actor, filters: AuditFilter, page: int = 1, page_size: int = 100
) -> Page[AuditItem]:
    """Audit events, newest first, filtered in SQL and paginated."""
    require(user, Action.READ_AUDIT)
    conditions = audit_conditions(filters)
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    page = max(1, page)
    total = db.scalar(select(func.count(AuditEvent.id)).where(*conditions)) or 0
    rows = db.scalars(
        select(AuditEvent)
        .where(*conditions)
        .order_by(AuditEvent.seq.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    items = [
        AuditItem(
            seq=e.seq,
            at=e.at,
            actor=e.actor,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            details=e.details,
            prev_hash=e.prev_hash,
            hash=e.hash,
        )
        for e in rows
    ]
    return Page[AuditItem](items=items, total=total, page=page, page_size=page_size)


def verify_audit(db: Session, user: Actor) -> AuditReport:
    """Recompute the audit hash chain and name every altered or deleted event."""
    require(user, Action.READ_AUDIT)
    return verify_chain(db)
