"""Finance: who pays what (domain-rules §5) — the funding split, fee waivers, budgets, federal credit rules,
reconciliation against budgets for the canton's finance staff."""
