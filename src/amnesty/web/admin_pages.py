"""Administration pages: accounts for administrators (add, disable and enable, reset the password,
set role and region, lift a sign-in lock) and the audit trail for auditors and administrators (filter by actor, action,
object and day; run the chain check)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response

from amnesty.auth import Role
from amnesty.domain.enums import REGIONS
from amnesty.service import accounts
from amnesty.service.errors import InvalidInputError, NotFoundError
from amnesty.service.exports import ExportFormat, audit_rows, start_audit_export
from amnesty.service.policy import Action, may
from amnesty.web.downloads import stream
from amnesty.web.i18n import gettext
from amnesty.web.labels import N_
from amnesty.web.templating import render
from amnesty.web.viewer import Viewer, check_csrf, database, require

router = APIRouter()

USER_ACTIONS = ("disable", "disable_confirmed", "enable", "reset", "role", "unlock")
"""`disable` asks for confirmation (the page names the account); `disable_confirmed` disables it."""


def _users_page(
    request: Request,
    user: Viewer,
    message: str | None = None,
    error: str | None = None,
    shown_password: tuple[str, str] | None = None,
    status: int = 200,
    values: dict[str, str] | None = None,
    confirm_disable: str | None = None,
) -> Response:
    with database(request) as db:
        rows = accounts.accounts(db, user)
        locked = accounts.locked_accounts(db, user)
    context: dict[str, Any] = {
        "user": user,
        "nav": "users",
        "accounts": rows,
        "locked": locked,
        "roles": list(Role),
        "regions": REGIONS,
        "message": message,
        "error": error,
        "shown_password": shown_password,
        "may_edit": may(user, Action.WRITE_USERS),
        "values": values or {},
        "confirm_disable": confirm_disable,
    }
    return render(request, "admin/users.html", context, status_code=status)


@router.get("/admin/users")
def users_page(request: Request) -> Response:
    """Every account with its role, region and state; forms to change them (administrators)."""
    user = require(request, Action.READ_USERS)
    return _users_page(request, user)


def _role(value: str) -> Role | None:
    try:
        return Role(value)
    except ValueError:
        return None


@router.post("/admin/users")
def add_user(
    request: Request,
    username: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    region: Annotated[str, Form()] = "",
    full_name: Annotated[str, Form(max_length=200)] = "",
    organisation: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Create an account with the person's full name and organisation; its generated password is
    shown once."""
    user = require(request, Action.WRITE_USERS)
    check_csrf(request, csrf_token)
    values = {
        "username": username,
        "role": role,
        "region": region,
        "full_name": full_name,
        "organisation": organisation,
    }
    chosen = _role(role)
    if chosen is None:
        return _users_page(request, user, error=gettext("Choose a role."), status=422, values=values)
    try:
        with database(request) as db:
            created = accounts.add_account(
                db, user, username, chosen, region or None, full_name=full_name, organisation=organisation
            )
    except InvalidInputError as error:
        return _users_page(request, user, error=f"{error.field}: {error}", status=422, values=values)
    message = gettext("Account {name} created.").format(name=created.username)
    return _users_page(request, user, message, shown_password=(created.username, created.password or ""))


@router.post("/admin/users/{username}")
def change_user(
    request: Request,
    username: str,
    action: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    region: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Disable, enable, reset the password of, set the role and region of, or lift the sign-in lock of
    an account."""
    user = require(request, Action.WRITE_USERS)
    check_csrf(request, csrf_token)
    if action not in USER_ACTIONS:
        raise HTTPException(status_code=422, detail=N_("Unknown action."))
    shown: tuple[str, str] | None = None
    saved = gettext("Saved.")
    try:
        with database(request) as db:
            if action == "disable":
                if not any(row.username == username for row in accounts.accounts(db, user)):
                    raise NotFoundError("user", username)
                return _users_page(request, user, confirm_disable=username)
            if action in ("disable_confirmed", "enable"):
                accounts.set_disabled(db, user, username, action == "disable_confirmed")
            elif action == "unlock":
                accounts.unlock_account(db, user, username)
                saved = gettext("The sign-in of {name} is unlocked.").format(name=username)
            elif action == "reset":
                changed = accounts.reset_password(db, user, username)
                shown = (changed.username, changed.password or "")
            else:
                chosen = _role(role)
                if chosen is None:
                    raise InvalidInputError("choose a role", "role")
                accounts.set_role(db, user, username, chosen, region or None)
    except NotFoundError:
        raise HTTPException(status_code=404) from None
    except InvalidInputError as error:
        return _users_page(request, user, error=f"{error.field}: {error}", status=422)
    return _users_page(request, user, saved, shown_password=shown)


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _audit_filter(
    actor: str, action: str, object_type: str, object_id: str, date_from: str, date_to: str
) -> accounts.AuditFilter:
    """The filters of the audit page (and of its export) from the query."""
    return accounts.AuditFilter(
        actor.strip()[:64] or None,
        action.strip()[:64] or None,
        object_type.strip()[:32] or None,
        object_id.strip()[:128] or None,
        _day(date_from),
        _day(date_to),
    )


@router.get("/audit/export.{fmt}")
def audit_export(
    request: Request,
    fmt: str,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: str = "",
    date_to: str = "",
) -> Response:
    """The audit trail with the page's filters as CSV or XLSX in the reader's words, streamed (the
    log is never held whole); the export is audited before its first byte."""
    user = require(request, Action.READ_AUDIT)
    if fmt not in {f.value for f in ExportFormat}:
        raise HTTPException(status_code=404)
    export = ExportFormat(fmt)
    filters = _audit_filter(actor, action, object_type, object_id, date_from, date_to)
    with database(request) as db:
        upto = start_audit_export(db, user, filters, export)
    table = audit_rows(request.app.state.sessions, user, filters, upto)
    return stream("audit", export, table, request.state.language)


@router.get("/audit")
def audit_page(
    request: Request,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: str = "",
    date_to: str = "",
    page: int = 1,
    verify: str = "",
) -> Response:
    """The audit trail, newest first, filtered; with `verify`, the result of the chain check."""
    user = require(request, Action.READ_AUDIT)
    filters = _audit_filter(actor, action, object_type, object_id, date_from, date_to)
    with database(request) as db:
        found = accounts.audit_trail(db, user, filters, max(1, min(page, 1_000_000)), 50)
        report = accounts.verify_audit(db, user) if verify else None
    context = {
        "user": user,
        "nav": "audit",
        "result": found,
        "filters": filters,
        "report": report,
        "query": request.url.query,
        "export_query": urlencode(
            {
                key: value
                for key, value in (
                    ("actor", filters.actor),
                    ("action", filters.action),
                    ("object_type", filters.object_type),
                    ("object_id", filters.object_id),
                    ("date_from", filters.date_from.isoformat() if filters.date_from else None),
                    ("date_to", filters.date_to.isoformat() if filters.date_to else None),
                )
                if value
            }
        ),
    }
    return render(request, "admin/audit.html", context)
