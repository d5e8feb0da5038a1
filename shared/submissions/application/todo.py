"""What a provider has to do first, from its months (shared.readmodels.provider_view.provider_months):
invoices returned for correction with the supervisor's reason, invoices with open errors, documents missing
or late by the one deadline rule (domain/deadlines.py, the months the supervisor sees as «fehlt»), and the
deadlines ahead.

Codes and dates, no labels: the page names them."""
from __future__ import annotations

from datetime import date

from shared.kernel.periods import Period
from shared.submissions.domain.deadlines import LATE, MISSING, PENDING, Deadlines

KINDS = ("invoice", "capacity")


def provider_todo(months: list[dict], deadlines: Deadlines, today: date) -> dict:
    """{returned, to_fix, missing, late, ahead}: each a list, oldest month first, empty when all is done.

    `ahead` holds the months not yet due (the month now due while its deadline has not passed, and the current
    month) with the documents still to send and their deadline."""
    returned, to_fix, missing, late = [], [], [], []
    for month in sorted(months, key=lambda m: m["period"]):
        for inv in month["invoices"]:
            entry = {"id": inv["id"], "period": month["period"], "version": inv["version"]}
            if inv["status"] == "returned":
                returned.append({**entry, "reason": inv.get("returned_reason")})
            elif inv["status"] != "approved" and inv.get("open_errors"):
                to_fix.append({**entry, "errors": inv["open_errors"]})
        statuses = {"invoice": month["invoice_status"], "capacity": month["report_status"]}
        for kind in KINDS:
            if statuses[kind] == MISSING:
                missing.append({"period": month["period"], "kind": kind, "deadline": month["deadline"]})
            elif statuses[kind] == LATE:
                late.append({"period": month["period"], "kind": kind, "deadline": month["deadline"]})
    return {"returned": returned, "to_fix": to_fix, "missing": missing, "late": late,
            "ahead": _ahead(months, deadlines, today)}


def _ahead(months: list[dict], deadlines: Deadlines, today: date) -> list[dict]:
    by_period = {m["period"]: m for m in months}
    current = Period.of(today)
    ahead = []
    for period in (current.previous(), current):
        month = by_period.get(str(period))
        if month is None:  # nothing sent for it yet
            kinds = [] if deadlines.is_due(period, today) else list(KINDS)
        else:
            kinds = [k for k, status in (("invoice", month["invoice_status"]), ("capacity", month["report_status"]))
                     if status == PENDING]
        if kinds:
            ahead.append({"period": str(period), "kinds": kinds, "deadline": deadlines.deadline(period)})
    return ahead
