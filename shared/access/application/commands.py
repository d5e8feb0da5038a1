"""Who may do what (mixed into the supervision Application): API tokens and web accounts; only hashes are stored."""
from __future__ import annotations

import functools

from shared.access.domain.accounts import AccessDirectory, Account, ApiToken, account_id, token_id
from shared.access.domain.roles import Principal, hash_password, new_token, token_hash, validate_role, verify_password
from shared.kernel.errors import Invalid, NotFound

MIN_TOKEN_PREFIX = 8


class AccessCommands:
    # --- access: tokens and accounts ---------------------------------------------------------
    def issue_token(self, role: str, provider: str | None, label: str, actor: str) -> str:
        validate_role(role, provider)
        if provider:
            self.provider(provider)
        token = new_token()

        def command() -> None:
            directory: AccessDirectory = self.repository.get(AccessDirectory.create_id())
            record = ApiToken(token_hash=token_hash(token), role=role, provider=provider, label=label, actor=actor)
            directory.list_token(record.id)
            self.save(directory, record)

        self.retrying(command)
        return token

    def authenticate_token(self, token: str) -> Principal | None:
        record: ApiToken | None = self.get_or_none(token_id(token_hash(token)))
        if record is None or record.revoked or self._provider_inactive(record.provider):
            return None
        return Principal(record.role, record.provider, f"token:{record.label or record.id.hex[:8]}")

    def _provider_inactive(self, provider: str | None) -> bool:
        return provider is not None and provider in self.inactive_providers()

    def tokens(self) -> list[ApiToken]:
        directory: AccessDirectory = self.repository.get(AccessDirectory.create_id())
        return [self.repository.get(t) for t in directory.tokens]

    def revoke_token(self, token_ref: str, actor: str) -> ApiToken:
        """Revoke the active token named by its whole id or a prefix of at least 8 characters that names no
        other token."""
        record = token_by_reference(token_ref, self.tokens())
        if record.revoked:
            raise NotFound(f"Kein aktives Token «{token_ref}»")
        record.revoke(actor=actor)
        self.save(record)
        return record

    def create_account(self, username: str, password: str, role: str, provider: str | None, actor: str) -> Account:
        validate_role(role, provider)
        if provider:
            self.provider(provider)
        if len(password) < 12:
            raise Invalid("Das Passwort braucht mindestens 12 Zeichen", "password", None)

        def command() -> Account:
            directory: AccessDirectory = self.repository.get(AccessDirectory.create_id())
            if account_id(username) in directory.accounts:
                raise Invalid(f"Das Konto «{username}» gibt es schon", "username", username)
            account = Account(username=username, password_hash=hash_password(password), role=role,
                              provider=provider, actor=actor)
            directory.list_account(account.id)
            self.save(directory, account)
            return account

        return self.retrying(command)

    def accounts(self) -> list[Account]:
        directory: AccessDirectory = self.repository.get(AccessDirectory.create_id())
        return [self.repository.get(a) for a in directory.accounts]

    def disable_account(self, username: str, actor: str) -> Account:
        account: Account | None = self.get_or_none(account_id(username))
        if account is None:
            raise NotFound(f"Kein Konto «{username}»")
        account.disable(actor=actor)
        self.save(account)
        return account

    def login(self, username: str, password: str) -> Principal | None:
        account: Account | None = self.get_or_none(account_id(username))
        if account is None:
            verify_password(_dummy_hash(), password)  # same time whether or not the account exists
            return None
        if account.disabled or not verify_password(account.password_hash, password):
            return None
        if self._provider_inactive(account.provider):
            return None
        return Principal(account.role, account.provider, f"user:{account.username}")

    def account_principal(self, username: str) -> Principal | None:
        account: Account | None = self.get_or_none(account_id(username))
        if account is None or account.disabled or self._provider_inactive(account.provider):
            return None
        return Principal(account.role, account.provider, f"user:{account.username}")


def token_by_reference(token_ref: str | None, records):
    """The one token whose id is `token_ref` or starts with it (at least 8 hex characters, dashes ignored)."""
    ref = (token_ref or "").strip().lower().replace("-", "")
    if len(ref) < MIN_TOKEN_PREFIX or any(c not in "0123456789abcdef" for c in ref):
        raise Invalid(f"Bitte die Token-ID angeben (mindestens {MIN_TOKEN_PREFIX} Zeichen, wie `ami token list` "
                      "sie zeigt)", "token_id", token_ref)
    found = [r for r in records if r.id.hex.startswith(ref)]
    if len(found) > 1:
        raise Invalid(f"«{token_ref}» passt auf {len(found)} Tokens: bitte mehr Zeichen angeben", "token_id",
                      token_ref)
    if not found:
        raise NotFound(f"Kein aktives Token «{token_ref}»")
    return found[0]


@functools.cache
def _dummy_hash() -> str:
    return hash_password("not-a-real-password-0000")
