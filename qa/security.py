"""Password hashing (argon2) and signed access tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from qa.models.base import utcnow

_hasher = PasswordHasher()
TOKEN_ALGORITHM = "HS256"
# Checked against when the user does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("callcoach-no-such-user")


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """What a valid token says: whose it is and the user's token version when it was signed."""

    subject: str
    version: int


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; with no hash (unknown user) a dummy is checked, answering False."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def create_access_token(*, subject: str, secret: str, minutes: int, version: int = 0) -> str:
    """A signed token for `subject` that expires after `minutes` and dies when their token version moves."""
    now = utcnow()
    claims = {"sub": subject, "ver": version, "iat": now, "exp": now + timedelta(minutes=minutes)}
    return jwt.encode(claims, secret, algorithm=TOKEN_ALGORITHM)


def read_access_token(token: str, secret: str) -> TokenClaims | None:
    """The token's claims, or None when it is forged, expired, or lacks an expiry, subject or version."""
    try:
        payload = jwt.decode(
            token, secret, algorithms=[TOKEN_ALGORITHM], options={"require": ["exp", "sub", "ver"]}
        )
    except jwt.PyJWTError:
        return None
    subject, version = payload.get("sub"), payload.get("ver")
    if not isinstance(subject, str) or not isinstance(version, int) or isinstance(version, bool):
        return None
    return TokenClaims(subject=subject, version=version)
