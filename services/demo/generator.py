"""The demo generator: a realistic, deterministic demo year, sent through the real intake path.

Every document is a CSV file as the provider's Excel would write it, submitted with
`portal.reporting.submit_invoice` / `submit_capacity_report` / `correct_invoice` at its simulated time of
receipt (the reporting application's clock is set to it), so the checks, the events and the read models
are exactly what real uploads would give. The register gets its offerings through `register_offering`,
the supervisor's reviews go through `review_finding`, `approve` and `return_for_correction`.

Deterministic: one random stream per provider, seeded with the year and the provider's slug, so a run
for some providers or months gives those providers the same documents as a full run. Idempotent: the
intake recognises a document it already has by its content, and the register, reviews and accounts
are only written where they are missing, so a second run adds no event.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from datetime import datetime

from services.demo import cast as D
from services.demo.cost_approvals import record_cost_approvals
from services.demo.fee_waivers import record_fee_waivers
from services.demo.parallel import per_provider
from services.demo.payment_details import record_demo_credit_rule, register_payment_details
from services.demo.progress import Progress, Summary
from services.demo.social_services import register_social_services
from services.demo.supervisor import create_accounts, register_offerings, review_invoices
from services.demo.timeline import TZ, Action, provider_year


class _Clock(threading.local):
    """The reporting application's clock during the demo: each worker thread at its own simulated time."""

    now = datetime(2025, 1, 1, tzinfo=TZ)

    def __call__(self) -> datetime:
        return self.now


def run_demo(portal, *, year: int = 2025, providers: Iterable[str] | None = None,
             months: Iterable[int] | None = None, progress: Progress | None = None,
             accounts: bool = True, project: bool = True, workers: int = 4, review_until: int = 12,
             until: datetime | None = None) -> Summary:
    """Fill the store with the demo year (all 26 providers and twelve months unless narrowed). With `until`, a
    document the simulation sends later is not sent yet (a later run sends it); the supervisor's backlog is
    that of `review_until` (services.demo.supervisor.review_invoices' last_month)."""
    t0 = time.perf_counter()
    progress = progress or Progress()
    wanted = set(providers) if providers is not None else None
    plans = [p for p in D.PROVIDERS if wanted is None or p.slug in wanted]
    month_set = set(months) if months is not None else set(range(1, 13))
    summary = Summary(providers=len(plans))
    rep, sup = portal.reporting, portal.supervision
    catalogue = sup.catalogue()

    register_offerings(sup, plans, year, progress, summary)
    register_social_services(sup)
    record_cost_approvals(rep, plans, year)
    register_payment_details(sup, plans)
    record_demo_credit_rule(sup)
    summary.fee_waivers = record_fee_waivers(sup, plans, year)

    actions = sorted(a for plan in plans for a in provider_year(plan, year, month_set, catalogue)
                     if until is None or a.at <= until)
    progress.start("documents", f"Einreichungen {year}", len(actions))
    clock, saved_clock = _Clock(), rep.clock
    rep.clock = clock  # each document is received at its simulated time
    try:
        def submit(group: list[Action]) -> None:
            _submit(group, rep, clock, progress, summary)

        def provider(a: Action) -> str:
            return a.provider

        per_provider([a for a in actions if a.kind != "late_correction"], provider, submit, workers)
        progress.finish("documents")
        review_invoices(portal, plans, year, month_set, progress, summary, workers, last_month=review_until)
        per_provider([a for a in actions if a.kind == "late_correction"], provider, submit, workers)
    finally:
        rep.clock = saved_clock

    if accounts:
        create_accounts(sup, summary)
    summary.events = {"reporting": rep.recorder.max_notification_id() or 0,
                      "supervision": sup.recorder.max_notification_id() or 0}
    if project:
        heads = portal.views.projector.heads()
        total = sum(heads.values()) or 1
        progress.start("views", "Lesemodelle", total)
        done: dict[str, int] = {}

        def step(source: str, position: int, head: int) -> None:
            before = sum(done.values())
            done[source] = position
            progress.advance("views", f"{source} bis {position}", sum(done.values()) - before)

        summary.projected = portal.views.projector.run(progress=step)
        progress.finish("views")
    summary.seconds = time.perf_counter() - t0
    return summary


_KIND_DE = {"invoice": "Rechnung", "capacity": "Kapazitätsmeldung", "correction": "Korrektur",
            "supplement": "Nachtragsrechnung", "late_correction": "Korrektur nach Prüfung"}


def _submit(actions: list[Action], rep, clock: _Clock, progress: Progress, summary: Summary) -> None:
    from shared.portal.reporting import Upload
    from shared.submissions.domain.invoice import invoice_id

    for a in actions:
        clock.now = a.at
        upload = Upload(a.data, "text/csv", f"{a.kind}-{a.provider}-{a.period}.csv")
        actor = f"user:demo-{a.provider}"
        if a.kind in ("invoice", "supplement"):
            stored = rep.submit_invoice(a.provider, upload, actor)
            summary.count(invoices=stored.created)
        elif a.kind == "capacity":
            stored = rep.submit_capacity_report(a.provider, upload, actor)
            summary.count(capacity_reports=stored.created)
        else:
            iid = invoice_id(a.provider, str(a.period), Upload(a.original or b"", None, None).sha256)
            stored = rep.correct_invoice(a.provider, iid, upload, actor)
            summary.count(corrections=stored.created)
        summary.count(documents_existing=not stored.created)
        progress.advance("documents", f"{a.provider} · {a.period} · {_KIND_DE[a.kind]}")
