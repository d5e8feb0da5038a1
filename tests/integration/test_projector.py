"""The projector and the read models, on SQLite and on PostgreSQL: exactly once, rebuildable, fresh.

A small month of the canton is told through the real intake: invoices with findings, a capacity report
that re-evaluates them, a correction, a supplementary invoice, a corrected capacity report, an offering
changed, and the supervisor's decisions, an approval and a return.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from shared.kernel.periods import Period
from shared.readmodels import Projector
from shared.readmodels.projector import TOPICS
from tests.integration.projector_cases import at, csv, docs_id, relevant_events
from tests.oracles import overview as overview_from_aggregates


def test_overview_equals_the_aggregates_and_the_stored_invoices(portal, told):
    views = portal.views
    assert views.catch_up() > 0
    for period in ("2025-02", "2025-03", "2025-04"):
        from_views = views.overview(period)
        assert from_views == overview_from_aggregates(portal, Period.parse(period))
        assert len(from_views["providers"]) == 26
        for row in from_views["providers"]:
            stored = portal.reporting.invoices(row["provider"], period)
            assert Decimal(row["allowed"]) == sum((Decimal(i.result["totals"]["allowed"]) for i in stored),
                                                  Decimal(0))
    march = {r["provider"]: r for r in views.overview("2025-03")["providers"]}
    assert march["regiomech"]["invoice"] == "received" and march["oltech"]["invoice"] == "late"
    assert march["heks"]["invoice"] == "missing" and march["heks"]["claimed"] == "0.00"
    assert march["regiomech"]["open_findings"] == 0  # every finding decided


def test_restart_after_every_event_gives_the_same_views(portal, told):
    store = portal.views.store
    store.reset()
    Projector(portal, store, batch_size=3).run()
    reference = store.dump()
    total = relevant_events(portal)
    assert total > 20
    for n in range(total + 1):
        store.reset()
        first = Projector(portal, store, batch_size=3)
        assert first.run(max_events=n) == n
        second = Projector(portal, store, batch_size=3)  # a fresh process: nothing remembered
        assert second.run() == total - n
        assert store.dump() == reference, f"restart after {n} events"


# The database refuses the batch's last write (a month's summary, after its documents were written).
REFUSE_MONTHS = {
    "sqlite": ["CREATE TRIGGER crash_mid_batch BEFORE INSERT ON provider_months "
               "BEGIN SELECT RAISE(ABORT, 'crash mid-batch'); END"],
    "postgres": ["CREATE FUNCTION crash_mid_batch() RETURNS trigger LANGUAGE plpgsql "
                 "AS $$ BEGIN RAISE EXCEPTION 'crash mid-batch'; END $$",
                 "CREATE TRIGGER crash_mid_batch BEFORE INSERT ON provider_months "
                 "FOR EACH ROW EXECUTE FUNCTION crash_mid_batch()"],
}
ACCEPT_MONTHS = {"sqlite": ["DROP TRIGGER crash_mid_batch"],
                 "postgres": ["DROP TRIGGER crash_mid_batch ON provider_months", "DROP FUNCTION crash_mid_batch()"]}


def execute(store, statements: list[str]) -> None:
    with store.write() as tx:
        for statement in statements:
            tx.execute(statement)


def test_a_failure_inside_a_batch_leaves_nothing_behind(portal, told):
    store = portal.views.store
    store.reset()
    Projector(portal, store).run()
    reference = store.dump()
    store.reset()
    register = len(portal.supervision.recorder.select_notifications(1, 100_000, topics=TOPICS["supervision"]))
    Projector(portal, store, batch_size=4).run(max_events=register + 1)  # the register and one document
    before = store.dump()

    execute(store, REFUSE_MONTHS[store.backend])
    with pytest.raises(Exception, match="crash mid-batch"):
        Projector(portal, store, batch_size=50).run()  # the other documents: one batch, refused at its end
    assert store.dump() == before  # the whole batch rolled back, its documents and tracking position included
    execute(store, ACCEPT_MONTHS[store.backend])
    Projector(portal, store).run()
    assert store.dump() == reference


def test_an_event_the_views_cannot_place_is_set_aside_and_the_rest_goes_on(portal, told, clock):
    """A correction of an invoice whose receipt was never stored: recorded as set aside (issue 14), once;
    the other events of its batch reach the views."""
    from shared.submissions.domain.invoice import Invoice

    rep, store = portal.reporting, portal.views.store
    portal.views.catch_up()
    at(clock, "2025-05-05T09:00")
    heks = rep.submit_invoice("heks", csv("04.2025;HK-3;Coaching;HK-CO;Selbstzahler;;;;;Coachingstunde;1;200;200"),
                              "test").document
    known = rep.invoice(None, docs_id(told["rm"]))
    orphan = Invoice(provider="regiomech", period="2025-05", submission=known.stored_submissions[0])
    orphan.collect_events()  # its receipt is never saved
    orphan.correct(submission=known.stored_submissions[1])
    rep.save(orphan)
    for _ in range(2):  # a second run does not meet it again
        Projector(portal, store, batch_size=50).run()
    dump = store.dump()
    assert [r[3] for r in dump["skipped_events"]] == [str(orphan.id)]
    assert "fehlt in den Lesemodellen" in dump["skipped_events"][0][4]
    assert str(docs_id(heks)) in {r[0] for r in dump["invoices"]}


def test_rebuild_and_the_mapper_path_give_identical_views(portal, told):
    views = portal.views
    views.catch_up()
    built = views.store.dump()
    figures = [views.overview(p) for p in ("2025-03", "2025-04")]
    assert views.projector.rebuild() > 0
    assert views.store.dump() == built
    views.store.reset()
    Projector(portal, views.store, fast=False).run()  # every event through app.mapper.to_domain_event
    assert views.store.dump() == built
    assert [views.overview(p) for p in ("2025-03", "2025-04")] == figures


def test_catch_up_is_cheap_when_nothing_is_new(portal, told):
    views = portal.views
    views.catch_up()
    assert views.catch_up() == 0
    assert not views.projector.pending()


def test_the_dashboard_queries(portal, told):
    views = portal.views
    views.catch_up()
    grid = views.grid(2025)
    assert grid["months"][0] == "2025-01" and len(grid["months"]) == 12 and len(grid["providers"]) == 26
    rm = next(p for p in grid["providers"] if p["provider"] == "regiomech")
    assert rm["name"] == "Genossenschaft Regiomech"
    assert rm["cells"][2] == {"period": "2025-03", "invoice": "received", "capacity_report": "received"}

    totals = {t["provider"]: t for t in views.provider_totals(year=2025)}
    assert set(totals) == set(portal.supervision.provider_slugs())
    corrected = portal.reporting.invoice(None, docs_id(told["rm"]))
    assert totals["regiomech"]["allowed"] == corrected.result["totals"]["allowed"]
    assert totals["regiomech"]["reduction"] == corrected.result["totals"]["reduction"]
    ia = {t["provider"]: t for t in views.provider_totals(period="2025-03", programme="integration-arbeit")}
    assert ia["regiomech"]["claimed"] == "2150.00" and ia["heks"]["claimed"] == "0.00"

    codes = {f["code"]: f for f in views.findings_by_code(year=2025)}
    assert {"quarter_hour", "duplicate_line", "late_submission", "offering_not_registered"} <= set(codes)
    assert codes["quarter_hour"]["confirmed"] == 1
    assert all(f["count"] == f["open"] + f["confirmed"] + f["waived"] for f in codes.values())
    assert [f["code"] for f in views.findings_by_code(period="2025-04", programme="coaching")] == [
        "capacity_report_missing", "late_submission"]
    assert views.findings_by_code(period="2025-02") == []

    costs = views.costs_by_programme(2025)
    assert {"period": "2025-03", "programme": "qualifizierung", "allowed": "3255.00"} in costs
    assert sum(Decimal(c["allowed"]) for c in costs) == sum(Decimal(t["allowed"]) for t in totals.values())

    occupancy = {o["provider"]: o for o in views.occupancy("2025-03")}
    assert occupancy["oltech"]["occupied"] == 3  # the corrected report
    assert occupancy["regiomech"]["places"] == 20 and occupancy["heks"]["reported"] is False

    months = views.provider_months("oltech", 2025)
    march = months[2]
    assert march["period"] == "2025-03" and march["invoice"] == "late" and len(march["invoice_ids"]) == 2
    assert [i["status"] for i in march["invoices"]] == ["returned", "checked"]
    approved = views.provider_months("regiomech", 2025)[2]["invoices"]
    assert [i["status"] for i in approved] == ["approved"]


def test_exits_of_the_integration_arbeit_test_programme(portal, told):
    portal.views.catch_up()
    exits = portal.views.exits("integration-arbeit", 2025)
    assert [p["provider"] for p in exits["providers"]] == ["netzwerk-grenchen", "oltech", "regiomech"]
    by = {p["provider"]: p for p in exits["providers"]}
    assert by["regiomech"]["by_reason"]["job_first_labour_market"] == 1  # one participant, two lines
    assert by["regiomech"]["by_reason"]["dropout"] == 1
    assert by["oltech"]["by_reason"]["apprenticeship"] == 1
    assert exits["total"]["exits"] == 3 and set(exits["reasons"]) >= {"no_show", "other"}
    assert portal.views.exits("integration-arbeit", 2024)["total"]["exits"] == 0


def test_the_api_shows_an_upload_at_once(portal, reporting, supervision, tokens, clock):
    boss = tokens(role="supervisor")
    before = supervision.get("/api/v1/overview?period=2025-03", headers=boss).json()
    assert {r["provider"]: r["invoice"] for r in before["providers"]}["regiomech"] == "missing"
    r = reporting.post("/api/v1/invoices", headers={**tokens("regiomech"), "Content-Type": "text/csv"},
                       content=csv("03.2025;Q-1;Qualifizierung;;Selbstzahler;;;;;Einsatztag;21.7;80;1736").data)
    assert r.status_code == 201, r.text
    after = supervision.get("/api/v1/overview?period=2025-03", headers=boss).json()
    row = {x["provider"]: x for x in after["providers"]}["regiomech"]
    assert row["invoice"] == "received" and row["claimed"] == "1736.00"
    assert after == overview_from_aggregates(portal, Period.parse("2025-03"))
    assert supervision.get("/api/v1/overview?period=2025-3x", headers=boss).status_code in (400, 422)


def test_the_exits_endpoint(portal, supervision, tokens, told):
    boss = tokens(role="supervisor")
    r = supervision.get("/api/v1/exits?programme=integration-arbeit&year=2025", headers=boss)
    assert r.status_code == 200, r.text
    assert r.json()["total"]["exits"] == 3
    assert supervision.get("/api/v1/exits?programme=unbekannt", headers=boss).status_code in (400, 422)
    assert supervision.get("/api/v1/exits", headers=tokens("regiomech")).status_code in (401, 403)


def test_timestamps_decide_the_first_receipt_whatever_the_offset(portal, clock):
    """Two invoices of one month: the earlier instant counts, even if written with another offset."""
    clock.now = datetime(2025, 4, 10, 23, 30, tzinfo=ZoneInfo("UTC")) - timedelta(hours=2)  # 10.4. 23:30 CEST
    portal.reporting.submit_invoice("regiomech", csv(
        "03.2025;Q-1;Qualifizierung;;Selbstzahler;;;;;Einsatztag;21.7;80;1736"), "test")
    at(clock, "2025-04-11T08:00")
    portal.reporting.submit_invoice("regiomech", csv(
        "03.2025;Q-2;Qualifizierung;;Selbstzahler;;;;;Einsatztag;21.7;80;1736"), "test")
    portal.views.catch_up()
    assert portal.views.overview("2025-03") == overview_from_aggregates(portal, Period.parse("2025-03"))


def test_months_recomputed_in_small_groups_give_the_same_views(portal, told):
    store = portal.views.store
    store.reset()
    Projector(portal, store).run()
    reference = store.dump()
    assert len(reference["provider_months"]) > 2  # so groups of two are several groups
    store.reset()
    Projector(portal, store, batch_size=1000, group_size=2).run()
    assert store.dump() == reference
