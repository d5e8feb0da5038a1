"""The canton's side of the demo: offerings registered, findings decided, invoices approved or returned, accounts."""
from __future__ import annotations

import random

from services.demo import cast as D
from services.demo.parallel import per_provider
from services.demo.progress import Progress, Summary
from shared.checks.notices import is_notice
from shared.kernel.periods import Period

SUPERVISOR = "user:demo-aufsicht"
RETURN_REASON = ("Betrag stimmt nicht mit Menge × Ansatz überein; bitte die Rechnung korrigieren und "
                 "erneut einreichen.")
WAIVE_COMMENTS = ("Nachweis nachgereicht, Abweichung begründet", "Mit Sozialdienst geklärt",
                  "Einmalige Ausnahme gemäss Absprache mit dem AGS",
                  "Verspätung vorgängig gemeldet, Frist erstreckt")


def register_offerings(sup, plans: list[D.ProviderPlan], year: int, progress: Progress, summary: Summary) -> None:
    """Each provider's offerings in the register, where they are not there yet."""
    total = sum(len(p.offerings) for p in plans)
    progress.start("register", "Register: Angebote", total)
    for plan in plans:
        existing = {o.code for o in sup.offerings(plan.slug)}
        for off in plan.offerings:
            if off.code not in existing:
                sup.register_offering(plan.slug, off.code, {
                    "programme_type": off.programme_type, "name": off.name, "location": off.town,
                    "postcode": off.postcode, "places": off.places, "agreed_tariffs": dict(off.agreed),
                    "valid_from": f"{year - 1}-01-01", "valid_to": off.valid_to,
                }, SUPERVISOR)
                summary.offerings_registered += 1
            progress.advance("register", f"{plan.slug} · {off.code}")
    progress.finish("register")


def review_invoices(portal, plans, year: int, months: set[int], progress: Progress, summary: Summary,
                    workers: int = 1, last_month: int = 12) -> None:
    """The supervisor's work as of `last_month` (12: December): findings decided up to two months before it
    (that month only half), invoices approved up to three months before it (October and September)."""
    rep, sup = portal.reporting, portal.supervision
    decided, approved = last_month - 2, last_month - 3
    todo = [(index, plan, m) for index, plan in enumerate(plans) for m in sorted(months) if m <= decided]
    progress.start("reviews", "Prüfungen der Aufsicht", len(todo))

    def work(group: list) -> None:
        for index, plan, m in group:
            period = str(Period(year, m))
            for invoice in rep.invoices(plan.slug, period):
                if sup.review_of(invoice.id) is not None:
                    continue  # reviewed by an earlier run (or by hand): leave it as it is
                if m == decided and index % 2:
                    continue  # the backlog: that month only half done
                for row, code, decision, comment in _decisions(invoice):
                    sup.review_finding(invoice.id, row, code, decision, comment, SUPERVISOR)
                    summary.count(decisions=1)
                if (plan.slug, m) == D.RETURNED:
                    sup.return_for_correction(invoice.id, RETURN_REASON, SUPERVISOR)
                    summary.count(returns=1)
                elif m <= approved:
                    sup.approve(invoice.id, "Geprüft", SUPERVISOR)
                    summary.count(approvals=1)
            progress.advance("reviews", f"{plan.slug} · {period}")

    per_provider(todo, lambda item: item[1].slug, work, workers)
    progress.finish("reviews")


def _decisions(invoice) -> list[tuple[int, str, str, str]]:
    """The supervisor's decisions on one invoice: (row, code, decision, comment). A notice about the whole
    document is decided once (the review decides it on every row it concerns), with the last decision drawn
    for it: the state a decision per line would leave, without re-deciding all its rows on each line."""
    rng = random.Random(f"ami-demo:{invoice.id}:review")
    own, notices = [], {}
    for line in invoice.result["lines"]:
        for f in line["findings"]:
            decision, comment = _decide(f, rng)
            if is_notice(f):
                notices[(f["code"], f["message"])] = (line["row"], f["code"], decision, comment)
            elif decision:
                own.append((line["row"], f["code"], decision, comment))
    return own + [n for n in notices.values() if n[2]]


def _decide(finding: dict, rng: random.Random) -> tuple[str | None, str]:
    code, roll = finding["code"], rng.random()
    if finding["severity"] == "error":
        return ("waived", rng.choice(WAIVE_COMMENTS[:3])) if roll < 0.15 else ("confirmed", "")
    if code == "late_submission":
        return ("waived", WAIVE_COMMENTS[3]) if roll < 0.4 else ("confirmed", "")
    if code == "capacity_exceeded":
        return (("waived", "Austritte während des Monats; Belegung am Monatsende tiefer") if roll < 0.5
                else ("confirmed", ""))
    if code == "capacity_report_missing":
        return ("confirmed", "") if roll < 0.7 else (None, "")
    return "confirmed", ""


def create_accounts(sup, summary: Summary) -> None:
    from shared.access.domain.accounts import account_id

    for username, role, provider in D.ACCOUNTS:
        if sup.get_or_none(account_id(username)) is None:
            sup.create_account(username, D.PASSWORD, role, provider, "cli:demo")
            summary.accounts_created.append(username)
