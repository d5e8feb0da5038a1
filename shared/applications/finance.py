"""Finance commands of the supervision Application: fee waivers, budgets, federal credit rules."""
from __future__ import annotations


class FinanceCommands:
    """Mixed into SupervisionApplication (one Application per service)."""
