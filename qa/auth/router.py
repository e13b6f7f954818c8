"""POST /api/auth/token: username and password in, bearer token out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from qa.auth import service as auth_service
from qa.auth.dependencies import SessionDep, SettingsDep
from qa.security import create_access_token

router = APIRouter(prefix="/api/auth", tags=["auth"])


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


@router.post("/token", response_model=Token)
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep, settings: SettingsDep
) -> Token:
    """Exchange a username and password (OAuth2 password form) for a bearer token."""
    principal = auth_service.authenticate(session=session, username=form.username, password=form.password)
    if principal is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="wrong username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    token = create_access_token(
        subject=principal.username, secret=settings.secret_key, minutes=settings.token_minutes
    )
    return Token(access_token=token)
