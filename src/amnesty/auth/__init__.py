"""Users, roles, passwords (Argon2), server-side web sessions, API tokens, CSRF and the same-origin
check, and login rate limiting (kept in the database, shared by every worker process)."""

from amnesty.auth.passwords import generate_password, hash_password, verify_password
from amnesty.auth.ratelimit import LOGIN_LIMITER, LoginRateLimitedError
from amnesty.auth.roles import Role
from amnesty.auth.sessions import (
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    CsrfError,
    client_address,
    csrf_token,
    end_all_sessions,
    end_web_session,
    session_user,
    start_web_session,
    verify_csrf,
    verify_same_origin,
)
from amnesty.auth.users import (
    User,
    UserError,
    authenticate,
    create_user,
    get_user,
    issue_token,
    list_users,
    revoke_token,
    set_disabled,
    set_password,
    set_region,
    set_role,
    user_for_token,
)

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "LOGIN_LIMITER",
    "SESSION_COOKIE",
    "CsrfError",
    "LoginRateLimitedError",
    "Role",
    "User",
    "UserError",
    "authenticate",
    "client_address",
    "create_user",
    "csrf_token",
    "end_all_sessions",
    "end_web_session",
    "generate_password",
    "get_user",
    "hash_password",
    "issue_token",
    "list_users",
    "revoke_token",
    "session_user",
    "set_disabled",
    "set_password",
    "set_region",
    "set_role",
    "start_web_session",
    "user_for_token",
    "verify_csrf",
    "verify_password",
    "verify_same_origin",
]
