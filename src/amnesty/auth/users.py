"""Accounts: creating, listing and disabling users, passwords, roles and regions; logging in; API
bearer tokens. A password reset, disabling, or a role or region change ends every web session and API
token of the user at once.

Every change is an audit event. Usernames are account names, not case data; no password or token
ever reaches a log or the audit trail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session

from amnesty.audit.chain import record_event
from amnesty.auth.passwords import check_password_rules, hash_password, needs_rehash, verify_password
from amnesty.auth.ratelimit import LOGIN_LIMITER
from amnesty.auth.roles import Role
from amnesty.auth.sessions import end_all_sessions
from amnesty.domain.regions import normalise_region
from amnesty.store.models import ApiToken, utcnow
from amnesty.store.models import UserRow as User

__all__ = [
    "TokenHolder",
    "User",
    "UserError",
    "authenticate",
    "create_user",
    "get_user",
    "issue_token",
    "list_users",
    "revoke_token",
    "set_disabled",
    "set_password",
    "set_region",
    "set_role",
    "token_holder",
    "user_for_token",
]

TOKEN_LIFETIME = dt.timedelta(hours=12)
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,63}$")


class UserError(ValueError):
    """A user could not be created or changed (the message says why)."""


def normalise_username(username: str) -> str:
    """Usernames are case-insensitive: stored in lower case."""
    return username.strip().lower()


def get_user(db: Session, username: str) -> User | None:
    """The user with this name, or None."""
    return db.scalar(select(User).where(User.username == normalise_username(username)))


def create_user(
    db: Session,
    username: str,
    password: str,
    role: Role | str,
    region: str | None = None,
    actor: str = "system",
) -> User:
    """Create an account (a social worker needs a region); the caller commits."""
    name = normalise_username(username)
    if not USERNAME_PATTERN.match(name):
        raise UserError(
            "username: 2-64 characters, letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    try:
        role_value = Role(role)
    except ValueError:
        raise UserError(f"role: expected one of {', '.join(r.value for r in Role)}") from None
    region_value = _checked_region(role_value, region)
    try:
        check_password_rules(password)
    except ValueError as error:
        raise UserError(f"password: {error}") from None
    if get_user(db, name) is not None:
        raise UserError(f"username: {name!r} already exists")
    user = User(
        username=name, password_hash=hash_password(password), role=role_value.value, region=region_value
    )
    db.add(user)
    db.flush()
    record_event(db, actor, "user.create", "user", name, {"role": role_value.value, "region": region_value})
    return user


def set_password(db: Session, user: User, password: str, actor: str = "system") -> None:
    """Replace a user's password and end every web session and API token of the user (the caller
    commits)."""
    try:
        check_password_rules(password)
    except ValueError as error:
        raise UserError(f"password: {error}") from None
    user.password_hash = hash_password(password)
    record_event(db, actor, "user.password", "user", user.username)
    end_all_sessions(db, user, "password", actor)


def set_disabled(db: Session, user: User, disabled: bool, actor: str = "system") -> None:
    """Disable (or re-enable) an account; disabling ends its web sessions and API tokens. The caller
    commits."""
    user.disabled = disabled
    record_event(db, actor, "user.disable" if disabled else "user.enable", "user", user.username)
    if disabled:
        end_all_sessions(db, user, "disabled", actor)


def unlock(db: Session, user: User, actor: str = "system") -> int:
    """Lift a sign-in lock of the account (every failure counted against it, from every address), as
    an administrator does; audited as `user.unlock`. The caller commits. How many failures were
    forgotten."""
    forgotten = LOGIN_LIMITER.lift(db, user.username)
    record_event(db, actor, "user.unlock", "user", user.username, {"failures": forgotten})
    return forgotten


def _checked_region(role: Role, region: str | None) -> str | None:
    try:
        value = normalise_region(region) if region else None
    except ValueError as error:
        raise UserError(f"region: {error}") from None
    if role is Role.SOCIAL_WORKER and value is None:
        raise UserError("region: a social worker needs the region whose akimat they work for")
    return value


def set_role(db: Session, user: User, role: Role | str, actor: str = "system") -> None:
    """Give the user another role; a change ends every web session and API token of the user, so
    the new rights apply from the next sign-in. The caller commits."""
    try:
        role_value = Role(role)
    except ValueError:
        raise UserError(f"role: expected one of {', '.join(r.value for r in Role)}") from None
    _checked_region(role_value, user.region)
    if role_value.value == user.role:
        return
    previous = user.role
    user.role = role_value.value
    record_event(db, actor, "user.role", "user", user.username, {"from": previous, "to": role_value.value})
    end_all_sessions(db, user, "role", actor)


def set_region(db: Session, user: User, region: str | None, actor: str = "system") -> None:
    """Set (or clear) the user's region; a change ends every web session and API token of the user.
    The caller commits."""
    value = _checked_region(Role(user.role), region)
    if value == user.region:
        return
    previous = user.region
    user.region = value
    record_event(db, actor, "user.region", "user", user.username, {"from": previous, "to": value})
    end_all_sessions(db, user, "region", actor)


def list_users(db: Session) -> list[User]:
    """All accounts, by username."""
    return list(db.scalars(select(User).order_by(User.username)))


def authenticate(db: Session, username: str, password: str, client: str = "unknown") -> User | None:
    """The user if the password is right and the account enabled, else None; commits its audit event.

    Rate-limited per username and client address (`client_address(request)`; the web sign-in and
    the API both call this): raises `LoginRateLimitedError` when locked out. The failures are kept in
    the database, so every worker process counts the same ones.
    """
    name = normalise_username(username)[:64]
    LOGIN_LIMITER.check(db, name, client)
    user = get_user(db, name) if name else None
    valid = verify_password(user.password_hash if user else None, password)
    if user is None or not valid or user.disabled:
        LOGIN_LIMITER.failure(db, name, client)
        # an unknown name is not recorded: people type passwords into the username field
        record_event(db, "anonymous", "login.failure", "user", user.username if user else "(unknown)")
        db.commit()
        return None
    LOGIN_LIMITER.success(db, name, client)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    record_event(db, user.username, "login.success", "user", user.username)
    db.commit()
    return user


def token_digest(token: str) -> str:
    """The SHA-256 of a token: the only form in which the database holds it."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(db: Session, user: User) -> tuple[str, dt.datetime]:
    """A new bearer token for the user and its expiry; only its digest is stored. The caller commits."""
    token = secrets.token_urlsafe(32)
    expires = utcnow() + TOKEN_LIFETIME
    db.add(ApiToken(digest=token_digest(token), user_fk=user.id, expires_at=expires))
    record_event(db, user.username, "token.issue", "user", user.username)
    return token, expires


@dataclass(frozen=True)
class TokenHolder:
    """Who holds a live bearer token: the user's id, name, role and region, read with the token in
    one indexed query (no ORM object: for routes that need nothing else of the database)."""

    user_id: int
    username: str
    role: Role
    region: str | None


TOKEN_HOLDER_QUERY = (
    select(
        User.id, User.username, User.role, User.region, User.disabled, ApiToken.expires_at, ApiToken.revoked
    )
    .join(ApiToken, ApiToken.user_fk == User.id)
    .where(ApiToken.digest == bindparam("digest"))
)


def token_holder(connection: Connection | Session, token: str) -> TokenHolder | None:
    """The enabled user holding this unexpired, unrevoked token, or None: the one check of a bearer
    token (`user_for_token` loads the account from it)."""
    return live_holder(connection.execute(TOKEN_HOLDER_QUERY, {"digest": token_digest(token)}).first())


def live_holder(row: Any) -> TokenHolder | None:
    """The holder of a token's row of `TOKEN_HOLDER_QUERY` (None: no row) if the token is live: not
    revoked, not expired, its account enabled."""
    if row is None or row.revoked or row.disabled:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.UTC)
    if expires <= utcnow():
        return None
    return TokenHolder(row.id, row.username, Role(row.role), row.region)


def user_for_token(db: Session, token: str) -> User | None:
    """The account of the enabled user holding this unexpired, unrevoked token, or None."""
    holder = token_holder(db, token)
    return None if holder is None else db.get(User, holder.user_id)


def revoke_token(db: Session, token: str) -> bool:
    """Revoke a token (logout); True if it existed. The caller commits."""
    row = db.scalar(select(ApiToken).where(ApiToken.digest == token_digest(token)))
    if row is None:
        return False
    row.revoked = True
    record_event(db, row.user.username, "token.revoke", "user", row.user.username)
    return True
