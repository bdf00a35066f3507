"""Errors of the use cases, each with a stable code; the API answers them as JSON, the pages in words."""

from __future__ import annotations

from amnesty.store.cases import ImportRejectedError, VersionConflictError
from amnesty.store.workflow import SupersededError

__all__ = [
    "DuplicateCaseError",
    "ImportRejectedError",
    "InvalidInputError",
    "NotFoundError",
    "ServiceError",
    "SupersededError",
    "VersionConflictError",
]


class ServiceError(Exception):
    """Base of the use cases' own errors: an HTTP status, a stable code and the field concerned."""

    status = 422
    code = "validation_error"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(ServiceError):
    """No such object, or not one the user may see (its existence is not disclosed)."""

    status = 404
    code = "not_found"

    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"no {kind} {key!s}"[:200])
        self.kind = kind


class InvalidInputError(ServiceError):
    """A value the use case refuses, naming the field (`code` may be more specific)."""

    def __init__(self, message: str, field: str, code: str = "validation_error") -> None:
        super().__init__(message, field)
        self.code = code


class DuplicateCaseError(ServiceError):
    """A new case whose person and case number are already in the register."""

    status = 409
    code = "conflict"
