"""POST /api/auth/token: username and password in, bearer token out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from qa.auth import service as auth_service
from qa.auth.dependencies import SessionDep, SettingsDep
from qa.security import create_access_token

router = APIRouter(prefix="/api/auth", tags=["auth"])


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


@router.post(
    "/token",
    response_model=Token,
    responses={401: {"description": "wrong username or password"}, 429: {"description": "too many attempts"}},
)
def login(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
) -> Token | JSONResponse:
    """Exchange a username and password (OAuth2 password form) for a bearer token.

    Wrong passwords are limited per username and per client address: then 429 with Retry-After.
    """
    address = request.client.host if request.client else None
    outcome = auth_service.log_in(
        session=session, username=form.username, password=form.password, address=address
    )
    # Answered, not raised: the failure just counted must commit with the request.
    if outcome.retry_after is not None:
        return JSONResponse(
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            content={"detail": f"too many failed logins; try again in {outcome.retry_after} seconds"},
            headers={"Retry-After": str(outcome.retry_after)},
        )
    if outcome.principal is None:
        return JSONResponse(
            status_code=status.HTTP_401_UNAUTHORIZED,
            content={"detail": "wrong username or password"},
            headers={"WWW-Authenticate": "Bearer"},
        )
    token = create_access_token(
        subject=outcome.principal.username,
        secret=settings.secret_key,
        minutes=settings.token_minutes,
        version=outcome.token_version,
    )
    return Token(access_token=token)
