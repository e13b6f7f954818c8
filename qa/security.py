"""Password hashing (argon2) and signed access tokens."""

from __future__ import annotations

from datetime import timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from qa.models.base import utcnow

_hasher = PasswordHasher()
TOKEN_ALGORITHM = "HS256"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_access_token(*, subject: str, secret: str, minutes: int) -> str:
    expires = utcnow() + timedelta(minutes=minutes)
    return jwt.encode({"sub": subject, "exp": expires}, secret, algorithm=TOKEN_ALGORITHM)


def read_access_token(token: str, secret: str) -> str | None:
    """The token's subject, or None when it is invalid or expired."""
    try:
        payload = jwt.decode(token, secret, algorithms=[TOKEN_ALGORITHM])
    except jwt.PyJWTError:
        return None
    subject = payload.get("sub")
    return subject if isinstance(subject, str) else None
