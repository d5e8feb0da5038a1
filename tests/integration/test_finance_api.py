"""Finance over the API (api.md, domain-rules §5 and §6), on SQLite and on PostgreSQL."""
from __future__ import annotations

from tests.integration.finance_cases import (
    FRAU_A,
    SOURCES,
    funding,
    invoice,
    line,
    post_json,
    row_of,
    upload_frau_a,
    upload_herr_b,
    upload_social_assistance,
    waiver_body,
)

# --- the brochure's worked examples (§6) -----------------------------------------------------------------

def test_herr_b_waiver_recorded_after_the_invoices_gives_the_brochure_amounts(reporting, supervision, tokens):
    upload_herr_b(reporting, tokens)
    fin = tokens(role="finance")
    before = funding(supervision, fin, period="2024-12")
    assert row_of(before, "regiomech")["canton_subsidy"] == "868.00"
    assert row_of(before, "regiomech")["participant"] == "868.00"
    assert row_of(before, "regiomech")["fee_waiver"] == "0.00"

    r = supervision.post("/api/v1/fee-waivers", json=waiver_body(), headers=fin)
    assert r.status_code == 201, r.text
    w = r.json()
    assert w["id"] and w["status"] == "active" and w["monthly_contribution"] == "50.00"
    assert [e["type"] for e in w["history"]] == ["Decided"]

    expected = {"2024-11": ("400.00", "200.00", "150.00"), "2024-12": ("1736.00", "868.00", "818.00"),
                "2025-01": ("1736.00", "868.00", "818.00"), "2025-02": ("1200.00", "600.00", "550.00")}
    for period, (cost, subsidy, waived) in expected.items():
        report = funding(supervision, fin, period=period)
        assert report["period"] == period
        assert len(report["providers"]) == 26
        row = row_of(report, "regiomech")
        assert row == {"provider": "regiomech", "social_service": "0.00", "canton_subsidy": subsidy,
                       "fee_waiver": waived, "participant": "50.00", "federal_integration_credit": "0.00",
                       "other": "0.00"}, period
        assert report["total"] == {k: v for k, v in row.items() if k != "provider"}
        assert sum(float(row[k]) for k in SOURCES) == float(cost)
        assert all(p == {"provider": p["provider"], **dict.fromkeys(SOURCES, "0.00")}
                   for p in report["providers"] if p["provider"] != "regiomech")


def test_frau_a_without_waiver_pays_half_the_canton_subsidy_the_other(reporting, supervision, tokens):
    upload_frau_a(reporting, tokens)
    sup = tokens(role="supervisor")
    for period, _hours, amount in FRAU_A:
        row = row_of(funding(supervision, sup, period=period), "oltech")
        half = f"{float(amount) / 2:.2f}"
        assert (row["canton_subsidy"], row["participant"], row["fee_waiver"]) == (half, half, "0.00")
    # the quarter and the year add up the months
    q4 = funding(supervision, sup, quarter="2024-Q4")
    assert q4["period"] == "2024-Q4" and row_of(q4, "oltech")["canton_subsidy"] == "400.00"
    year = funding(supervision, sup, year="2025")
    assert year["period"] == "2025" and row_of(year, "oltech")["participant"] == "200.00"
    assert "budgets" in year and "budgets" not in q4


def test_waiver_contribution_is_per_participant_month_not_per_line(reporting, supervision, tokens):
    h = tokens("regiomech")
    body = invoice("2025-01",
                   line("B-0017", "qualifizierung", "assignment_day", "10", "80.00", "800.00"),
                   line("B-0017", "coaching", "coaching_hour", "1", "200.00", "200.00"))
    assert post_json(reporting, h, body).status_code == 201
    fin = tokens(role="finance")
    assert supervision.post("/api/v1/fee-waivers", json=waiver_body(valid_from="2025-01-01"),
                            headers=fin).status_code == 201
    row = row_of(funding(supervision, fin, period="2025-01"), "regiomech")
    # allowed 1000.00: subsidy 500.00, the participant 50.00 in total (not 50.00 per line), waiver 450.00
    assert (row["canton_subsidy"], row["participant"], row["fee_waiver"]) == ("500.00", "50.00", "450.00")


# --- waiver change and revoke ---------------------------------------------------------------------------

def test_waiver_change_and_revoke_are_events_and_change_the_split(reporting, supervision, tokens):
    upload_herr_b(reporting, tokens)
    fin = tokens(role="finance")
    wid = supervision.post("/api/v1/fee-waivers", json=waiver_body(), headers=fin).json()["id"]

    r = supervision.put(f"/api/v1/fee-waivers/{wid}", headers=fin,
                        json={"valid_from": "2024-11-25", "valid_to": "2025-02-28",
                              "monthly_contribution": "0.00", "comment": "voller Erlass nach Neubeurteilung"})
    assert r.status_code == 200, r.text
    assert r.json()["monthly_contribution"] == "0.00"
    row = row_of(funding(supervision, fin, period="2024-12"), "regiomech")
    assert (row["canton_subsidy"], row["fee_waiver"], row["participant"]) == ("868.00", "868.00", "0.00")

    # shortened: January and February no longer covered
    r = supervision.put(f"/api/v1/fee-waivers/{wid}", headers=fin,
                        json={"valid_from": "2024-11-25", "valid_to": "2024-12-31",
                              "monthly_contribution": "50"})
    assert r.status_code == 200, r.text
    assert row_of(funding(supervision, fin, period="2025-01"), "regiomech")["participant"] == "868.00"
    assert row_of(funding(supervision, fin, period="2024-12"), "regiomech")["participant"] == "50.00"

    r = supervision.post(f"/api/v1/fee-waivers/{wid}/revoke", json={"reason": "Wegzug"}, headers=fin)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "revoked" and r.json()["revoked_reason"] == "Wegzug"
    assert [e["type"] for e in r.json()["history"]] == ["Decided", "Changed", "Changed", "Revoked"]
    assert all(e["actor"] and e["time"] for e in r.json()["history"])
    row = row_of(funding(supervision, fin, period="2024-12"), "regiomech")
    assert (row["fee_waiver"], row["participant"]) == ("0.00", "868.00")

    # a revoked decision can be neither revoked again nor changed
    assert supervision.post(f"/api/v1/fee-waivers/{wid}/revoke", json={}, headers=fin).status_code == 409
    assert supervision.put(f"/api/v1/fee-waivers/{wid}", headers=fin,
                           json={"valid_from": "2025-01-01", "monthly_contribution": "1"}).status_code == 409
    listed = supervision.get("/api/v1/fee-waivers", headers=fin).json()
    assert [w["id"] for w in listed] == [wid]
    assert supervision.get("/api/v1/fee-waivers?status=active", headers=fin).json() == []
    got = supervision.get(f"/api/v1/fee-waivers/{wid}", headers=tokens(role="supervisor")).json()
    assert got["version"] == 4


def test_waiver_validation(supervision, tokens):
    fin = tokens(role="finance")
    cases = [waiver_body(provider="nobody"), waiver_body(participant="Hans Muster"),
             waiver_body(participant="756.1234.5678.97"),
             waiver_body(valid_from="1.1.2025"), waiver_body(valid_to="2024-01-01"),
             waiver_body(monthly_contribution="-5"), waiver_body(monthly_contribution="12.345"),
             waiver_body(monthly_contribution="abc")]
    for body in cases:
        r = supervision.post("/api/v1/fee-waivers", json=body, headers=fin)
        assert r.status_code == 422, (body, r.text)
        assert r.json()["errors"][0]["message"]
    assert supervision.post("/api/v1/fee-waivers", json=waiver_body(), headers=fin).status_code == 201
    overlapping = supervision.post("/api/v1/fee-waivers", json=waiver_body(valid_from="2025-02-01",
                                                                           valid_to=None), headers=fin)
    assert overlapping.status_code == 422
    other = supervision.post("/api/v1/fee-waivers", json=waiver_body(valid_from="2025-03-01", valid_to=None,
                                                                     monthly_contribution=20), headers=fin)
    assert other.status_code == 201, other.text
    assert supervision.put("/api/v1/fee-waivers/00000000-0000-0000-0000-000000000000", headers=fin,
                           json={"valid_from": "2025-01-01", "monthly_contribution": "1"}).status_code == 404


# --- roles ------------------------------------------------------------------------------------------------

def test_roles_provider_refused_supervisor_reads_only(supervision, tokens):
    provider, sup, fin, admin = tokens("regiomech"), tokens(role="supervisor"), tokens(role="finance"), \
        tokens(role="admin")
    reads = ["/api/v1/funding?period=2025-01", "/api/v1/fee-waivers", "/api/v1/budgets?year=2025",
             "/api/v1/federal-credit-rules", "/api/v1/funding/export.csv?year=2025",
             "/api/v1/funding/export.xlsx?period=2025-01", "/api/v1/reconciliation?year=2025"]
    for path in reads:
        assert supervision.get(path).status_code == 401, path
        assert supervision.get(path, headers=provider).status_code in (401, 403), path
        for h in (sup, fin, admin):
            assert supervision.get(path, headers=h).status_code == 200, path
    writes = [("/api/v1/fee-waivers", waiver_body()),
              ("/api/v1/budgets", {"year": 2025, "source": "fee_waiver", "amount": "1000.00"}),
              ("/api/v1/federal-credit-rules", {"valid_from": "2026-01", "programmes": [], "refugees": True})]
    for path, body in writes:
        assert supervision.post(path, json=body, headers=provider).status_code in (401, 403), path
        assert supervision.post(path, json=body, headers=sup).status_code == 403, path
    for path, body in writes:
        assert supervision.post(path, json=body, headers=fin).status_code == 201, path
    assert supervision.get("/api/v1/funding", headers=fin).status_code == 422
    assert supervision.get("/api/v1/funding?period=2025-13", headers=fin).status_code == 422


# --- social services and the federal integration credit -------------------------------------------------

def test_social_assistance_goes_to_the_social_service_of_the_register(reporting, supervision, tokens):
    upload_social_assistance(reporting, supervision, tokens)
    report = funding(supervision, tokens(role="finance"), period="2025-01")
    row = row_of(report, "regiomech")
    assert row["social_service"] == "1609.50" and row["other"] == "800.00"
    assert row["federal_integration_credit"] == "0.00"  # social-assistance lines stay with the social service
    by = {g["social_service"]: g for g in report["by_social_service"]}
    assert by["SD-OLTEN"]["amount"] == "1109.50" and by["SD-OLTEN"]["name"] == "Sozialdienst Olten"
    assert by["unassigned"]["amount"] == "500.00" and by["unassigned"]["name"] == "nicht zugeordnet"
    assert [r["reference"] for r in by["SD-OLTEN"]["references"]] == ["KGS-OL-2025-031", "KGS-OL-2025-044"]
    assert [g["social_service"] for g in report["by_social_service"]] == ["SD-OLTEN", "unassigned"]
    grouped = funding(supervision, tokens(role="finance"), period="2025-01", by="social_service")
    assert grouped["by"] == "social_service" and grouped["total"] == "1609.50"
    assert grouped["social_services"] == report["by_social_service"]
    r = supervision.get("/api/v1/funding?period=2025-01&by=colour", headers=tokens(role="finance"))
    assert r.status_code == 422
    csv_text = supervision.get("/api/v1/funding/export.csv?period=2025-01",
                               headers=tokens(role="finance")).content.decode("utf-8-sig")
    assert "Sozialdienst" in csv_text.splitlines()[0] and ";Sozialdienst Olten;" in csv_text
    assert "nicht zugeordnet" in csv_text


def test_federal_credit_takes_the_canton_share_by_effective_dated_rule(reporting, supervision, tokens):
    h = tokens("regiomech")
    for period in ("2025-01", "2025-02"):
        body = invoice(period,
                       line("I-1", "integration-arbeit", "coaching_hour", "2", "250.00", "500.00"),
                       line("R-1", "qualifizierung", "assignment_day", "10", "80.00", "800.00", refugee=True),
                       line("Q-1", "qualifizierung", "assignment_day", "5", "80.00", "400.00"))
        assert post_json(reporting, h, body).status_code == 201, period
    fin = tokens(role="finance")
    rules = supervision.get("/api/v1/federal-credit-rules", headers=fin).json()
    assert rules[0]["valid_from"] == "2022-10-01" and rules[0]["programmes"] == ["integration-arbeit"]
    assert rules[0]["refugees"] is True and rules[0]["origin"] == "default"

    row = row_of(funding(supervision, fin, period="2025-01"), "regiomech")
    assert row["federal_integration_credit"] == "650.00"  # 250.00 + 400.00: the canton's half of I-1 and R-1
    assert row["canton_subsidy"] == "200.00" and row["participant"] == "850.00"

    # from February, finance attributes only integration.arbeit
    r = supervision.post("/api/v1/federal-credit-rules", headers=fin,
                         json={"valid_from": "2025-02-01", "programmes": ["integration-arbeit"],
                               "refugees": False, "label": "nur integration.arbeit"})
    assert r.status_code == 201, r.text
    assert r.json()["origin"] == "recorded"
    jan = row_of(funding(supervision, fin, period="2025-01"), "regiomech")
    assert jan["federal_integration_credit"] == "650.00"
    feb = row_of(funding(supervision, fin, period="2025-02"), "regiomech")
    assert feb["federal_integration_credit"] == "250.00" and feb["canton_subsidy"] == "600.00"
    bad = supervision.post("/api/v1/federal-credit-rules", headers=fin,
                           json={"valid_from": "2025-02-15", "programmes": ["integration-arbeit"]})
    assert bad.status_code == 422
    bad = supervision.post("/api/v1/federal-credit-rules", headers=fin,
                           json={"valid_from": "2025-03", "programmes": ["unbekannt"]})
    assert bad.status_code == 422
    assert len(supervision.get("/api/v1/federal-credit-rules", headers=fin).json()) == 2


# --- budgets and reconciliation -------------------------------------------------------------------------

def test_budgets_and_the_year_against_them(reporting, supervision, tokens):
    upload_herr_b(reporting, tokens)
    fin = tokens(role="finance")
    supervision.post("/api/v1/fee-waivers", json=waiver_body(), headers=fin)
    r = supervision.post("/api/v1/budgets", headers=fin,
                         json={"year": 2025, "source": "canton_subsidy", "amount": "10000.00"})
    assert r.status_code == 201, r.text
    assert r.json()["amount"] == "10000.00" and r.json()["version"] == 1
    r = supervision.post("/api/v1/budgets", json={"year": 2025, "source": "canton_subsidy", "amount": 20000},
                         headers=fin)
    assert r.status_code == 201 and r.json()["amount"] == "20000.00" and r.json()["version"] == 2
    supervision.post("/api/v1/budgets", json={"year": 2024, "source": "fee_waiver", "amount": "500.00"},
                     headers=fin)
    assert supervision.post("/api/v1/budgets", json={"year": 2025, "source": "lotto", "amount": "1"},
                            headers=fin).status_code == 422
    assert supervision.post("/api/v1/budgets", json={"year": 2025, "source": "other", "amount": "-1"},
                            headers=fin).status_code == 422

    listed = supervision.get("/api/v1/budgets?year=2025", headers=fin).json()
    assert [(b["year"], b["source"], b["amount"]) for b in listed] == [(2025, "canton_subsidy", "20000.00")]
    assert len(supervision.get("/api/v1/budgets", headers=fin).json()) == 2

    year = funding(supervision, fin, year="2025")
    assert year["budgets"]["canton_subsidy"] == {"budget": "20000.00", "spent": "1468.00",
                                                 "remaining": "18532.00", "used_percent": "7.3"}
    assert year["budgets"]["other"]["budget"] is None
    y2024 = funding(supervision, fin, year="2024")
    assert y2024["budgets"]["fee_waiver"]["spent"] == "968.00"
    assert y2024["budgets"]["fee_waiver"]["remaining"] == "-468.00"  # over budget shows negative

    rec = supervision.get("/api/v1/reconciliation?year=2025", headers=fin).json()
    subsidy = next(s for s in rec["sources"] if s["source"] == "canton_subsidy")
    assert subsidy["months"]["2025-01"] == "868.00" and subsidy["months"]["2025-02"] == "600.00"
    assert subsidy["quarters"]["2025-Q1"] == "1468.00" and subsidy["quarters"]["2025-Q2"] == "0.00"
    assert subsidy["budget"] == "20000.00"
