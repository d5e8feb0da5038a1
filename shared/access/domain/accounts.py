"""Who may do what: API tokens and web accounts (only hashes are stored), and their directory."""
from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel.ids import stable_id
from shared.kernel.topics import keep_stored_names

DIRECTORY_ID = stable_id("access-directory")


def token_id(token_hash: str) -> UUID:
    return stable_id("api-token", token_hash)


def account_id(username: str) -> UUID:
    return stable_id("account", username.lower())


class AccessDirectory(Aggregate):
    @staticmethod
    def create_id() -> UUID:
        return DIRECTORY_ID

    @event("Opened")
    def __init__(self) -> None:
        self.tokens: list[UUID] = []
        self.accounts: list[UUID] = []

    @event("TokenListed")
    def list_token(self, token_id: UUID) -> None:
        self.tokens.append(token_id)

    @event("AccountListed")
    def list_account(self, account_id: UUID) -> None:
        self.accounts.append(account_id)


class ApiToken(Aggregate):
    @staticmethod
    def create_id(token_hash: str, **_: object) -> UUID:
        return token_id(token_hash)

    @event("Issued")
    def __init__(self, token_hash: str, role: str, provider: str | None, label: str, actor: str):
        self.token_hash = token_hash
        self.role = role
        self.provider = provider
        self.label = label
        self.revoked = False

    @event("Revoked")
    def revoke(self, actor: str) -> None:
        self.revoked = True


class Account(Aggregate):
    @staticmethod
    def create_id(username: str, **_: object) -> UUID:
        return account_id(username)

    @event("Created")
    def __init__(self, username: str, password_hash: str, role: str, provider: str | None, actor: str):
        self.username = username
        self.password_hash = password_hash
        self.role = role
        self.provider = provider
        self.disabled = False

    @event("PasswordChanged")
    def change_password(self, password_hash: str, actor: str) -> None:
        self.password_hash = password_hash

    @event("Disabled")
    def disable(self, actor: str) -> None:
        self.disabled = True


keep_stored_names("shared.aggregates.access", AccessDirectory, ApiToken, Account)
