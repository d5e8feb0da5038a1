"""What the pages read, each one call into shared/: the dashboard's choice of month, the supervisor's file on a
provider, one invoice with its history, and the register's changes the forms ask for (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

import pytest

from shared.checks.notices import DOCUMENT_NOTICES
from shared.kernel.errors import Invalid, NotFound
from shared.kernel.periods import Period
from shared.portal.reporting import Upload
from shared.readmodels.dashboard_view import dashboard_view
from shared.readmodels.provider_view import provider_file
from shared.register.application.history import entry_history
from shared.register.domain.register import offering_id, provider_id
from shared.review.application.invoice_file import invoice_file, invoice_original
from tests.integration.web_cases import CORRECTED, HEADER, WITH_FINDINGS, login

FEBRUARY = (HEADER + "\n02.2025;Q-7;Qualifizierung;Selbstzahler;;;;;Einsatztag;23;85.00;1955.00\n").encode()


def submit(portal, body: bytes, provider: str = "regiomech"):
    return portal.reporting.submit_invoice(provider, Upload(body, "text/csv", "rechnung.csv"), "user:anna").document


# --- the dashboard ------------------------------------------------------------------------------------
def test_the_dashboard_opens_on_the_month_now_due_and_takes_any_month_of_the_year(portal):
    submit(portal, WITH_FINDINGS)  # March 2025; the clock stands on 3 April 2025
    first = dashboard_view(portal)
    assert first["year"] == 2025 and first["period"] == Period(2025, 3)
    providers = len(portal.supervision.provider_slugs())
    assert first["status_counts"] == {"received": 1, "late": 0, "missing": 0, "pending": providers - 1}
    assert first["total"]["claimed"] == "2555.00" and first["total"]["open_findings"] == first["total"]["findings"] == 4
    # most open first, then in the rules' order; each with its rule's severity
    assert [(c["code"], c["open"], c["severity"]) for c in first["by_code"]] == [
        ("offering_not_registered", 2, "warning"), ("tariff_above_max", 1, "error"), ("days_above_month", 1, "error")]
    assert dashboard_view(portal, month="")["period"] is None  # the whole year
    assert dashboard_view(portal, year=2024)["period"] is None  # the month now due is not in 2024
    assert dashboard_view(portal, month="2024-05")["period"] is None  # another year's month: the whole year
    with pytest.raises(Invalid) as refused:
        dashboard_view(portal, month="Mai")
    assert refused.value.field == "monat" and refused.value.value == "Mai"


def test_a_month_not_yet_begun_is_an_empty_month_not_an_error(portal, supervision, accounts):
    """It answered 500 (KeyError on the grid's cell) before the dashboard read moved to shared/."""
    submit(portal, WITH_FINDINGS)
    december = dashboard_view(portal, month="2025-12")
    assert december["period"] == Period(2025, 12)
    assert set(december["status_counts"].values()) == {0}
    login(supervision, "sara")
    page = supervision.get("/dashboard?monat=2025-12")
    assert page.status_code == 200 and "Übersicht Dezember 2025" in page.text


# --- a provider's file ----------------------------------------------------------------------------------
def test_the_providers_file_lists_the_year_so_far_and_open_findings_first(portal):
    feb, mar = submit(portal, FEBRUARY), submit(portal, WITH_FINDINGS)  # February late, January missing
    portal.supervision.review_finding(UUID(mar["id"]), 2, "tariff_above_max", "confirmed", "", "user:sara")
    found = provider_file(portal, "regiomech")
    assert found["provider"].slug == "regiomech"
    assert [m["period"] for m in found["months"]] == ["2025-03", "2025-02", "2025-01"]
    assert [m["invoice_status"] for m in found["months"]] == ["received", "late", "missing"]
    findings = found["findings"]
    assert found["findings_total"] == len(findings) == 9  # March 4; February 3 on its line and 2 notices
    # open before decided, the newest month first, errors before warnings, then by row and the rules' order
    shown = [(f["period"], f["row"], f["code"], bool(f.get("review"))) for f in findings]
    assert shown == [("2025-03", 2, "days_above_month", False), ("2025-03", 2, "offering_not_registered", False),
                     ("2025-03", 3, "offering_not_registered", False), ("2025-02", 2, "tariff_above_max", False),
                     ("2025-02", 2, "days_above_month", False), ("2025-02", 2, "offering_not_registered", False),
                     ("2025-02", 2, "capacity_report_missing", False), ("2025-02", 2, "late_submission", False),
                     ("2025-03", 2, "tariff_above_max", True)]
    assert {f["invoice"] for f in findings[3:8]} == {feb["id"]} and findings[0]["participant"] == "Q-1"
    late = findings[7]  # a notice about the whole invoice: once, with its rows, no participant
    assert late["rows"] == [2] and late["participant"] is None
    assert [m["invoices"][0]["counts"]["open"] for m in found["months"][:2]] == [3, 5]
    summary = {c["code"]: c for c in found["summary"]}
    tariff = summary["tariff_above_max"]
    assert (tariff["count"], tariff["open"], tariff["confirmed"], tariff["waived"]) == (2, 1, 1, 0)
    assert [c["code"] for c in found["summary"]][:2] == ["tariff_above_max", "days_above_month"]  # rules' order
    assert sum(c["count"] for c in found["summary"]) == len(findings)
    with pytest.raises(NotFound):
        provider_file(portal, "gibts-nicht")


# --- one invoice ----------------------------------------------------------------------------------------
def test_an_invoice_is_read_as_a_version_of_the_providers_own_with_its_merged_history(portal):
    iid = UUID(submit(portal, WITH_FINDINGS)["id"])
    portal.supervision.review_finding(iid, 2, "tariff_above_max", "waived", "mündlich vereinbart", "user:sara")
    portal.reporting.correct_invoice("regiomech", iid, Upload(CORRECTED, "text/csv", "v2.csv"), "user:anna")
    with pytest.raises(NotFound):
        invoice_file(portal, iid, provider="oltech")
    with pytest.raises(NotFound):
        invoice_file(portal, iid, version=3)
    latest = invoice_file(portal, iid, provider="regiomech")
    assert latest["invoice"]["version"] == 2 and latest["versions"] == [2, 1] and latest["latest_version"] == 2
    first = invoice_file(portal, iid, version=1, only_findings=True)
    assert first["invoice"]["version"] == 1
    own = [ln["row"] for ln in first["invoice"]["lines"] if any(f["code"] not in DOCUMENT_NOTICES
                                                                for f in ln["findings"])]
    assert [ln["row"] for ln in first["lines"]] == own and own
    row2 = first["lines"][0]["findings"]  # its own, in the rules' order, with the supervisor's decision
    assert [f["code"] for f in row2] == ["tariff_above_max", "days_above_month", "offering_not_registered"]
    assert row2[0]["review"]["decision"] == "waived" and not row2[1].get("review")
    assert first["counts"]["error"] == 2 and first["provider"].name == "Genossenschaft Regiomech"
    history = latest["history"]
    assert [h["event"] for h in history] == ["Invoice.Received", "InvoiceReview.FindingReviewed",
                                             "Invoice.Corrected"]
    decided = history[1]
    assert (decided["decision"], decided["row"], decided["code"], decided["detail"]) == (
        "waived", 2, "tariff_above_max", "mündlich vereinbart")
    assert history[2]["changes"] == [("claimed", Decimal("-219.00")), ("reduction", Decimal("-219.00"))]
    assert invoice_original(portal, iid, version=1)["original"] == WITH_FINDINGS


# --- the register as its forms change it ---------------------------------------------------------------
def test_a_new_edition_replaces_only_the_given_maxima(portal):
    sup = portal.supervision
    before = {(r["programme_type"], r["unit"]): r["max_chf"] for r in sup.editions()[-1].rows}
    record = sup.publish_edition_changes("2026", date(2026, 1, 1), [
        {"programme_type": "qualifizierung", "unit": "assignment_day", "max_chf": "82.00"}], "user:sara")
    after = {(r["programme_type"], r["unit"]): r["max_chf"] for r in record.rows}
    assert after.pop(("qualifizierung", "assignment_day")) == "82.00"
    before.pop(("qualifizierung", "assignment_day"))
    assert after == before
    with pytest.raises(Invalid) as refused:
        sup.publish_edition_changes("2027", date(2027, 1, 1), [
            {"programme_type": "kochkurs", "unit": "assignment_day", "max_chf": "1"}], "user:sara")
    assert refused.value.field == "programme_type"


def test_one_agreed_tariff_is_set_and_the_others_kept(portal):
    sup = portal.supervision
    sup.register_offering("regiomech", "Q-9", {"programme_type": "qualifizierung", "name": "Qualifizierung",
                                               "valid_from": "2025-01-01", "places": 5,
                                               "agreed_tariffs": {"assignment_day": "75.00"}}, "user:sara")
    sup.change_offering("regiomech", "Q-9", {"places": "6"}, "user:sara", agreed_tariff=("reduced_day", "30,50"))
    terms = sup.get_or_none(offering_id("regiomech", "Q-9")).terms
    assert terms["agreed_tariffs"] == {"assignment_day": "75.00", "reduced_day": "30.50"} and terms["places"] == 6
    sup.change_offering("regiomech", "Q-9", {}, "user:sara", agreed_tariff=("assignment_day", "70"))
    terms = sup.get_or_none(offering_id("regiomech", "Q-9")).terms
    assert terms["agreed_tariffs"] == {"assignment_day": "70.00", "reduced_day": "30.50"}


def test_the_provider_form_records_only_what_differs(portal):
    sup = portal.supervision
    now = sup.provider("regiomech")
    same = {"name": now.name, "website": now.website, "contact": now.contact, "active": now.active}
    with pytest.raises(Invalid) as refused:
        sup.change_provider("regiomech", same, "user:sara", only_differences=True)
    assert "Keine Änderung" in refused.value.message
    sup.change_provider("regiomech", {**same, "contact": "Frau Muster"}, "user:sara", only_differences=True)
    last = entry_history(sup, provider_id("regiomech"))[-1]
    assert list(last["changes"]) == ["contact"]
