"""FastAPI dependencies defined once: settings, the request's session and the calling principal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from qa.access import Principal
from qa.auth import service as auth_service
from qa.config import Settings, get_settings
from qa.db import session_scope
from qa.security import read_access_token

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token")

SettingsDep = Annotated[Settings, Depends(get_settings)]


def _session(settings: SettingsDep) -> Iterator[Session]:
    # One unit of work per request: commits when the route returns, rolls back when it raises.
    with session_scope(settings.database_url) as session:
        yield session


# scope="function": the commit happens before the response is sent, so a failed commit is a 500, not a lie.
SessionDep = Annotated[Session, Depends(_session, scope="function")]


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"}
    )


def _current_principal(token: Annotated[str, Depends(oauth2_scheme)], settings: SettingsDep) -> Principal:
    claims = read_access_token(token, settings.secret_key)
    if claims is None:
        raise _unauthorized("invalid or expired token")
    # Its own short unit of work, not the request's session: the connection goes back to the pool at once,
    # so an upload neither holds it while its body arrives nor waits for a second one for its own work
    # (under load every connection was held by an upload waiting for another: 500 after the pool timeout).
    with session_scope(settings.database_url) as session:
        principal = auth_service.principal_for(
            session=session, username=claims.subject, token_version=claims.version
        )
    if principal is None:
        raise _unauthorized("unknown or inactive user, or a token revoked by a password change")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(_current_principal)]
