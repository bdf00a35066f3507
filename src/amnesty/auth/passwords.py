"""Password hashing with Argon2id (argon2-cffi), and the password rules for new accounts."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))
MIN_PASSWORD_LENGTH = 10


class WeakPasswordError(ValueError):
    """The password does not meet the minimum rules."""


def check_password_rules(password: str) -> None:
    """Refuse passwords that are too short (length is what matters most)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPasswordError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")


def hash_password(password: str) -> str:
    """An Argon2id hash of the password (salted, with the library's recommended parameters)."""
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; a missing hash still costs one verification (no timing leak)."""
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with older parameters."""
    return _HASHER.check_needs_rehash(password_hash)


def generate_password() -> str:
    """A random password for generated accounts (shown once, never stored in clear)."""
    return secrets.token_urlsafe(15)
