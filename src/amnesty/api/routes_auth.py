"""`/api/auth`: bearer tokens for the API (login, logout, who am I)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from amnesty.api.deps import bearer_token, current_user, get_db
from amnesty.api.errors import ApiError, error_responses
from amnesty.api.schemas import Me, TokenRequest, TokenResponse
from amnesty.auth.roles import Role
from amnesty.auth.sessions import client_address
from amnesty.auth.users import authenticate, issue_token, revoke_token
from amnesty.service.accounts import User

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/token",
    response_model=TokenResponse,
    responses=error_responses(401, 422, 429),
)
def login(body: TokenRequest, request: Request, db: Session = Depends(get_db)) -> TokenResponse:
    """Exchange a username and password for a bearer token (12 hours). Failed attempts are
    rate-limited per username and address (5 in 15 minutes, then 429 with Retry-After), counted in
    the database like the web sign-in's. A password reset, disabling, or a role or region change
    revokes every token of the user."""
    user = authenticate(db, body.username, body.password, client_address(request))
    if user is None:
        raise ApiError(401, "invalid_credentials", "wrong username or password, or the account is disabled")
    token, expires = issue_token(db, user)
    db.commit()
    return TokenResponse(access_token=token, expires_at=expires, username=user.username, role=Role(user.role))


@router.post("/logout", status_code=204, responses=error_responses(401))
def logout(request: Request, user: User = Depends(current_user), db: Session = Depends(get_db)) -> None:
    """Revoke the bearer token used for this request (the user's other tokens and web sessions stay)."""
    token = bearer_token(request)
    if token is not None:
        revoke_token(db, token)
        db.commit()


@router.get("/me", response_model=Me, responses=error_responses(401))
def me(user: User = Depends(current_user)) -> Me:
    """The logged-in user's name, role and region."""
    return Me(username=user.username, role=Role(user.role), region=user.region)
