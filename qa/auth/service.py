"""Logging in: credentials or a token's claims in, the principal qa.access decides about out.

Wrong passwords are counted in the database (table login_failure) per username and per address, so the
limit holds across API worker processes, machines and the coaching view alike.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from sqlalchemy.orm import Session

from qa import access
from qa.access import Principal
from qa.auth import repository
from qa.users import service as user_service

# At most this many wrong passwords per window; then the name or address waits until the oldest ages out.
FAILURE_WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_ADDRESS = 30


@dataclass(frozen=True, slots=True)
class LoginOutcome:
    """A principal and their token version on success; `retry_after` seconds when attempts are limited."""

    principal: Principal | None
    token_version: int = 0
    retry_after: int | None = None


def principal_for(*, session: Session, username: str, token_version: int | None = None) -> Principal | None:
    """The active user called `username` as a principal, or None.

    With `token_version` (from a token or a coaching-view login) also None once the user's version moved on
    (password changed, deactivated); without it (server-side code, tests) only activity is checked.
    """
    user = user_service.get_by_username(session=session, username=username)
    if user is None or not user.is_active:
        return None
    if token_version is not None and user.token_version != token_version:
        return None
    return access.principal_of(user)


def log_in(
    *, session: Session, username: str, password: str, address: str | None, now: float | None = None
) -> LoginOutcome:
    """Check credentials under the attempt limits; failures are recorded in `session` (commit it)."""
    now = time.time() if now is None else now
    since = now - FAILURE_WINDOW_SECONDS
    limits = [(f"user:{username.strip().lower()}", MAX_FAILURES_PER_USER)]
    if address:
        limits.append((f"address:{address}", MAX_FAILURES_PER_ADDRESS))
    wait = max(_wait_seconds(session, key, limit, since, now) for key, limit in limits)
    if wait > 0:
        return LoginOutcome(principal=None, retry_after=wait)
    user = user_service.authenticate(session=session, username=username, password=password)
    if user is None:
        repository.prune(session, since)
        for key, _limit in limits:
            repository.add(session, key, now)
        return LoginOutcome(principal=None)
    repository.clear(session, limits[0][0])
    return LoginOutcome(principal=access.principal_of(user), token_version=user.token_version)


def _wait_seconds(session: Session, key: str, limit: int, since: float, now: float) -> int:
    count = repository.count_since(session, key, since)
    if count < limit:
        return 0
    # Once the failure that put the count at the limit ages out, one more attempt is allowed.
    pivot = repository.nth_since(session, key, since, count - limit)
    return max(1, math.ceil((pivot or now) + FAILURE_WINDOW_SECONDS - now))
