"""Finance aggregates of the supervision store: fee waivers, budgets, federal credit rules, their directory.

Amounts and dates are stored as strings ("50.00", "2025-03-01") so the events stay readable for decades.
"""
from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel.ids import stable_id
from shared.kernel.topics import keep_stored_names
from shared.privacy.sealing import SHREDDED, shredded_name

FINANCE_DIRECTORY_ID = stable_id("finance-directory")


def budget_id(year: int, source: str) -> UUID:
    return stable_id("budget", str(year), source)


def credit_rule_id(valid_from: str) -> UUID:
    return stable_id("federal-credit-rule", valid_from)


class FinanceDirectory(Aggregate):
    """The index of every finance aggregate, so they can be enumerated (like AccessDirectory)."""

    @staticmethod
    def create_id() -> UUID:
        return FINANCE_DIRECTORY_ID

    @event("Opened")
    def __init__(self) -> None:
        self.waivers: list[UUID] = []
        self.budgets: list[UUID] = []
        self.credit_rules: list[UUID] = []

    @event("FeeWaiverListed")
    def list_waiver(self, waiver_id: UUID) -> None:
        self.waivers.append(waiver_id)

    @event("BudgetListed")
    def list_budget(self, budget_id: UUID) -> None:
        self.budgets.append(budget_id)

    @event("CreditRuleListed")
    def list_credit_rule(self, rule_id: UUID) -> None:
        self.credit_rules.append(rule_id)


class FeeWaiver(Aggregate):
    """A Kostenerlass decision (domain-rules §5): the participant pays a fixed monthly contribution and the
    canton's waiver the rest of the participant's 50 %, for every month the decision covers.

    The participant number, the decision's reference, the comment and a revocation's reason are sealed with
    the participant's key (shared.privacy); `subject` is the participant's pseudonym. The application
    attaches its Sealer when it loads a waiver; after crypto-shredding they read «gelöscht»."""

    _sealer = None

    @event("Decided")
    def __init__(self, provider: str, valid_from: str, valid_to: str | None, monthly_contribution: str,
                 actor: str, subject: str = "", sealed: str = "", participant: str | None = None,
                 reference: str = "", comment: str = ""):
        # participant, reference and comment: only in decisions recorded before sealing (read as they are)
        self.provider = provider
        self.subject = subject
        self.sealed = sealed
        self.valid_from = valid_from
        self.valid_to = valid_to
        self.monthly_contribution = monthly_contribution
        self.revoked: dict | None = None
        self._opened: dict | None = None
        self._plain = None if participant is None else {"participant": participant, "reference": reference,
                                                        "comment": comment}

    @event("Changed")
    def change(self, valid_from: str, valid_to: str | None, monthly_contribution: str, actor: str,
               sealed: str = "", subject: str = "", reference: str = "", comment: str = "") -> None:
        self.valid_from = valid_from
        self.valid_to = valid_to
        self.monthly_contribution = monthly_contribution
        if sealed:  # (a decision recorded before sealing gets its subject with its first sealed change)
            self.sealed, self._plain, self.subject = sealed, None, subject or self.subject
        elif self._plain is not None:  # a change recorded before sealing
            self._plain = {**self._plain, "reference": reference, "comment": comment}
        self._opened = None

    @event("Revoked")
    def revoke(self, actor: str, sealed_reason: str = "", subject: str = "", reason: str | None = None) -> None:
        self.revoked = {"sealed_reason": sealed_reason, "reason": reason, "actor": actor}
        self.subject = self.subject or subject  # (a decision recorded before sealing: its subject from now)

    def attach_sealer(self, sealer) -> None:
        self._sealer = sealer
        self._opened = None

    def _fields(self) -> dict:
        if self._plain is not None:
            return self._plain
        if self._opened is None:
            opened = self._sealer.open_fields(self.subject, self.sealed) if self._sealer else None
            self._opened = opened or {"participant": shredded_name(self.subject), "reference": "", "comment": ""}
        return self._opened

    @property
    def participant(self) -> str:
        return self._fields()["participant"]

    @property
    def reference(self) -> str:
        return self._fields()["reference"]

    @property
    def comment(self) -> str:
        return self._fields()["comment"]

    @property
    def revoked_reason(self) -> str | None:
        if self.revoked is None:
            return None
        if not self.revoked.get("sealed_reason"):
            return self.revoked.get("reason")
        opened = self._sealer.open_fields(self.subject, self.revoked["sealed_reason"]) if self._sealer else None
        return (opened or {}).get("reason", SHREDDED)

    @property
    def active(self) -> bool:
        return self.revoked is None


class Budget(Aggregate):
    """The budget of one funding source in one calendar year."""

    @staticmethod
    def create_id(year: int, source: str, **_: object) -> UUID:
        return budget_id(year, source)

    @event("Set")
    def __init__(self, year: int, source: str, amount: str, comment: str, actor: str):
        self.year = year
        self.source = source
        self.amount = amount
        self.comment = comment

    @event("Revised")
    def revise(self, amount: str, comment: str, actor: str) -> None:
        self.amount = amount
        self.comment = comment


class FederalCreditRule(Aggregate):
    """Which lines the federal integration credit takes, from ``valid_from`` (a first of a month) until the
    next rule starts. Recording a rule for the same start again revises it."""

    @staticmethod
    def create_id(valid_from: str, **_: object) -> UUID:
        return credit_rule_id(valid_from)

    @event("Recorded")
    def __init__(self, valid_from: str, programmes: list[str], refugees: bool, label: str, actor: str,
                 categories: dict | None = None):
        # categories (funding category → share "0.5"): absent in rules recorded before they existed
        self.valid_from = valid_from
        self.programmes = list(programmes)
        self.refugees = refugees
        self.label = label
        self.categories = dict(categories) if categories else None

    @event("Revised")
    def revise(self, programmes: list[str], refugees: bool, label: str, actor: str,
               categories: dict | None = None) -> None:
        self.programmes = list(programmes)
        self.refugees = refugees
        self.label = label
        self.categories = dict(categories) if categories else None


keep_stored_names("shared.finance.aggregates", FinanceDirectory, FeeWaiver, Budget, FederalCreditRule)
