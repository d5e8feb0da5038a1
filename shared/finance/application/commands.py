"""Finance's use cases, mixed into the supervision Application: fee waivers, budgets and federal credit rules.

Each command validates its whole input (``Invalid`` with a German message → 422), then loads, decides and
saves inside ``retrying`` so that two finance staff working at once never lose an event."""
from __future__ import annotations

from shared.finance.application.budgets import BudgetCommands
from shared.finance.application.fee_waivers import FeeWaiverCommands


class FinanceCommands(FeeWaiverCommands, BudgetCommands):
    """Fee waivers, budgets and credit rules."""
