"""Roles, tokens and passwords: one place that decides who is who and what a role may reach."""
from __future__ import annotations

import hashlib
import os
import secrets
import threading
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ROLES = ("provider", "supervisor", "finance", "admin")
CANTON_ROLES = frozenset({"supervisor", "finance", "admin"})
TOKEN_PREFIX = "ami_"  # noqa: S105 (a prefix, not a secret)

_hasher = PasswordHasher()
# At most as many passwords hashed at once as the machine has cores. argon2 takes ~90 ms of a core and 64 MiB each:
# 20 logins at once, all hashing, took 1.8 s each (p50) as they pushed each other and every page off the cores;
# taken a few at a time the same 20 are done sooner (measured in docs/benchmarks.md) and pages keep a core.
_hashing = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))


@dataclass(frozen=True)
class Principal:
    """Who is calling: a role, and for provider staff the one provider whose data they may see."""

    role: str
    provider: str | None
    name: str

    @property
    def is_canton(self) -> bool:
        return self.role in CANTON_ROLES

    def may_see_provider(self, slug: str) -> bool:
        return self.is_canton or self.provider == slug

    def may(self, action: str) -> bool:
        return self.role in PERMISSIONS.get(action, frozenset())


PERMISSIONS: dict[str, frozenset[str]] = {
    "submit": frozenset({"provider"}),
    "read_own": frozenset({"provider"}),
    "supervise": frozenset({"supervisor", "finance", "admin"}),
    "review": frozenset({"supervisor", "admin"}),
    "finance": frozenset({"finance", "admin"}),
    "register": frozenset({"supervisor", "admin"}),
    "administer": frozenset({"admin"}),  # what the public reads of the canton: the decision tool
}


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Tokens carry 256 random bits, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    with _hashing:
        return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        with _hashing:
            return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def validate_role(role: str, provider: str | None) -> None:
    if role not in ROLES:
        raise ValueError(f"Unbekannte Rolle «{role}»: erlaubt sind {', '.join(ROLES)}")
    if (role == "provider") != bool(provider):
        raise ValueError("Die Rolle «provider» braucht genau einen Anbieter (--provider SLUG)")
