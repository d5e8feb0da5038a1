"""Domain errors, raised beside the code that knows them and mapped to HTTP once per service."""
from __future__ import annotations


class DomainError(Exception):
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class Gone(DomainError):
    """The data existed and was deleted for good (crypto-shredding after the retention period)."""

    status = 410


class Invalid(DomainError):
    """A command that breaks a rule of the register or of a review (422, German message)."""

    status = 422

    def __init__(self, message: str, field: str | None = None, value: str | None = None):
        super().__init__(message)
        self.field = field
        self.value = value
