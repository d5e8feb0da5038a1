"""Each invoice's findings per severity and still open, counted by the projector (shared.readmodels.finding_counts),
on SQLite and PostgreSQL: always what counting the provider's page findings with their decisions gives (the query
each provider page ran before), after an upload, a decision, a waiver, a correction and a rebuild; and the provider's
home shows them."""
from __future__ import annotations

from uuid import UUID

from shared.portal.reporting import Upload
from shared.readmodels.finding_counts import OF_PROVIDER
from shared.readmodels.provider_view import provider_months
from shared.readmodels.statements import DECIDED
from tests.integration.web_cases import CORRECTED, WITH_FINDINGS

COUNTED_ON_EACH_PAGE = ("SELECT f.invoice_id, f.severity, COUNT(*), SUM(CASE WHEN d.invoice_id IS NULL THEN 1 ELSE 0 "
                        "END) FROM page_findings f " + DECIDED + " WHERE f.provider = ? GROUP BY f.invoice_id, f.severity")


def counts(portal, provider: str = "regiomech") -> list[tuple]:
    """(invoice, severity, findings, still open) as kept, after holding them equal to counting them anew."""
    portal.views.catch_up()
    with portal.views.store.read() as tx:
        kept = sorted((str(i), s, int(n), int(o)) for i, s, n, o in tx.execute(OF_PROVIDER, (provider,)))
        anew = sorted((str(i), s, int(n), int(o)) for i, s, n, o in tx.execute(COUNTED_ON_EACH_PAGE, (provider,)))
    assert kept == anew
    return kept


def still_open(found: list[tuple]) -> int:
    return sum(o for *_, o in found)


def test_the_findings_counted_per_invoice_follow_every_change(portal):
    rep, sup = portal.reporting, portal.supervision
    march = UUID(rep.submit_invoice("regiomech", Upload(WITH_FINDINGS, "text/csv", None), "test").document["id"])
    rep.submit_invoice("oltech", Upload(WITH_FINDINGS, "text/csv", None), "test")
    first = counts(portal)
    assert {s for _, s, _, _ in first} == {"error", "warning"} and all(n == o for _, _, n, o in first)
    assert len(counts(portal, "oltech")) == 2  # each provider's own

    sup.review_finding(march, 2, "tariff_above_max", "confirmed", "", "user:sara")
    decided = counts(portal)
    assert still_open(decided) == still_open(first) - 1
    sup.review_finding(march, 3, "offering_not_registered", "waived", "im Register nachgetragen", "user:sara")
    waived = counts(portal)
    assert still_open(waived) == still_open(first) - 2

    rep.correct_invoice("regiomech", march, Upload(CORRECTED, "text/csv", None), "test")
    corrected = counts(portal)  # the corrected version's findings (the price is within the tariff now)
    assert corrected != waived
    home = provider_months(portal, "regiomech")
    shown = next(m for m in home if m["period"] == "2025-03")
    assert shown["invoices"][0]["counts"]["total"] == sum(n for *_, n, _ in corrected)
    assert shown["invoices"][0]["counts"]["open"] == still_open(corrected)

    portal.views.projector.rebuild()  # counted again from the events: the same
    assert counts(portal) == corrected
