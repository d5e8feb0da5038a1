"""The working state of one check of one invoice, shared by its passes (engine, group_pass, results)."""
from __future__ import annotations

from decimal import Decimal

from shared.checks.allowed import LineState
from shared.checks.findings import CheckContext, Finding
from shared.checks.month import MonthTerms
from shared.submissions.domain.documents import ParsedInvoice


class CheckRun:
    """Per line (by index in the document): its working state if it has a finding, its warnings, its month
    and its quantity group; and the groups the line pass filled for the passes after it."""

    __slots__ = ("parsed", "ctx", "lines", "order", "states", "warnings", "months", "group_keys",
                 "group_totals", "group_limits", "capped", "capacity_groups", "document_notices")

    def __init__(self, parsed: ParsedInvoice, ctx: CheckContext):
        self.parsed = parsed
        self.ctx = ctx
        self.lines = lines = parsed.lines
        count = len(lines)
        rows = [line.row for line in lines]
        self.order = sorted(range(count), key=rows.__getitem__)  # «the later row» = the higher row number
        self.states: list[LineState | None] = [None] * count
        self.warnings: list[list[Finding] | None] = [None] * count  # warnings never need a working state
        self.months: list[MonthTerms] = [None] * count  # type: ignore[list-item]
        self.group_keys: list[tuple | None] = [None] * count  # the line's quantity group, if it is in one
        self.group_totals: dict[tuple, Decimal] = {}
        # the groups that may be above a limit: above rule 2's 21.7 days, or with a limit of rules 3 or 6
        self.group_limits: dict[tuple, dict] = {}
        self.capped: list[int] = []  # lines under a tariff with a monthly cap
        self.capacity_groups: dict[tuple, tuple] = {}  # capacity row key -> (row, participants, line indexes)
        self.document_notices: tuple[Finding, ...] = ()  # late_submission: on every line, after the others

    def state(self, i: int) -> LineState:
        st = self.states[i]
        if st is None:
            st = self.states[i] = LineState(self.lines[i])
        return st

    def warn(self, i: int, finding: Finding) -> None:
        found = self.warnings[i]
        if found is None:
            self.warnings[i] = [finding]
        else:
            found.append(finding)
