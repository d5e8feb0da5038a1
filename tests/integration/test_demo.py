"""`ami demo`: the first quarter of the demo year through the real intake, on SQLite and PostgreSQL."""
from __future__ import annotations

from services.demo import cast as D
from services.demo.generator import run_demo
from shared.checks.rules import CATALOGUE
from shared.kernel.periods import Period
from tests.oracles import overview as overview_from_aggregates


def test_a_quarter_of_the_demo_year_shows_every_check_and_runs_twice_without_change(portal):
    summary = run_demo(portal, months=[1, 2, 3], workers=4)
    assert summary.providers == 26 and summary.offerings_registered == 62
    assert summary.invoices >= 75 and summary.capacity_reports >= 75 and summary.corrections >= 1
    assert summary.decisions > 0 and summary.approvals > 0
    assert sorted(summary.accounts_created) == sorted(a[0] for a in D.ACCOUNTS)
    assert portal.supervision.login("demo-aufsicht", D.PASSWORD).role == "supervisor"
    assert portal.supervision.login("demo-regiomech", D.PASSWORD).provider == "regiomech"

    views = portal.views
    assert views.catch_up() == 0  # run_demo projected everything
    codes = {f["code"] for f in views.findings_by_code(year=2025)}
    assert codes == {r.code for r in CATALOGUE}
    for month in ("2025-01", "2025-02", "2025-03"):
        rows = views.overview(month)
        assert len(rows["providers"]) == 26
        assert rows == overview_from_aggregates(portal, Period.parse(month))
    quarter = ("2025-01", "2025-02", "2025-03")
    statuses = {r["invoice"] for m in quarter for r in views.overview(m)["providers"]}
    assert {"received", "late"} <= statuses
    assert all(t["claimed"] != "0.00" for t in views.provider_totals(year=2025))  # every provider billed
    exits = views.exits("integration-arbeit", 2025)
    assert [p["provider"] for p in exits["providers"]] == ["netzwerk-grenchen", "oltech", "regiomech"]
    assert {c["programme"] for c in views.costs_by_programme(2025)} >= {"integration-arbeit", "coaching",
                                                                        "suchthilfe-stundenlohn"}
    # a fee waiver a provider (services.demo.fee_waivers): the canton's waiver share is paid in the quarter
    assert summary.fee_waivers == 26 and len(portal.supervision.fee_waivers()) == 26
    waived = views.funding_sums(["2025-01", "2025-02", "2025-03"], references=False).per_provider
    assert sum(1 for amounts in waived.values() if amounts["fee_waiver"] > 0) >= 13

    # the finder: the offerings in the towns of the brochure's regions, with the free places of the quarter's reports
    towns = {o["place"] for o in portal.finder.search(None, "4600", 100)["offerings"]}
    assert {"Solothurn", "Olten", "Grenchen", "Basel", "Liestal", "Aarau"} <= towns
    olten = portal.finder.search("qualifizierung", "4600", 10)["offerings"]
    assert olten and all(o["as_of"] in quarter and o["free_places"] is not None for o in olten)

    # each finding decided once: a notice about the whole invoice is one decision, not one per line it is on
    decided = []
    for month, row in ((m, r) for m in quarter for r in views.overview(m)["providers"]):
        for invoice in portal.reporting.invoices(row["provider"], month):
            review = portal.supervision.review_of(invoice.id)
            for stored in portal.supervision.recorder.select_events(review.id) if review else ():
                event = portal.supervision.mapper.to_domain_event(stored)
                if type(event).__name__ in ("FindingReviewed", "FindingsReviewed"):  # one row, or several
                    rows = event.rows if hasattr(event, "rows") else [event.row]
                    decided += [(invoice.id, row, event.code) for row in rows]
    assert decided and len(decided) == len(set(decided))

    heads = views.projector.heads()
    again = run_demo(portal, months=[1, 2, 3], workers=4)
    assert views.projector.heads() == heads  # idempotent: not one new event
    assert (again.invoices, again.corrections, again.capacity_reports, again.decisions, again.approvals,
            again.offerings_registered, again.fee_waivers, again.accounts_created) == (0, 0, 0, 0, 0, 0, 0, [])


def test_a_second_demo_year_keeps_the_kostengutsprachen_recorded_before(portal):
    """A reference recorded in an earlier demo year is not recorded again for another participant (which the
    book refuses): the second year runs through."""
    run_demo(portal, year=2024, months=[12], workers=4)
    before = {slug: portal.reporting.social_services_by_reference(slug) for slug in ("regiomech", "oltech")}
    summary = run_demo(portal, year=2025, months=[1], workers=4)
    assert summary.invoices > 0
    for slug, known in before.items():
        now = portal.reporting.social_services_by_reference(slug)
        assert all(now[key] == code for key, code in known.items())


def test_the_ami_demo_command(tmp_path, capsys):
    from services.cli import main
    from shared.config import load_settings
    from shared.portal import open_portal

    data = tmp_path / "data"
    assert main(["demo", "--data-dir", str(data), "--months", "1", "--workers", "2"]) == 0
    out = capsys.readouterr().out
    assert "demo-aufsicht" in out and "demo-finanzen" in out and D.PASSWORD in out
    assert (data / "views.sqlite").exists()
    portal = open_portal(load_settings({"AMI_DATA_DIR": str(data)}))
    try:
        january = portal.views.overview("2025-01")["providers"]
        assert len(january) == 26 and sum(r["invoice"] != "missing" for r in january) >= 25
    finally:
        portal.close()
    assert main(["project", "--data-dir", str(data), "--rebuild"]) == 0
    assert "neu aufgebaut" in capsys.readouterr().out
