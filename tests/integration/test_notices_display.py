"""Notices about the whole invoice (capacity_report_missing, late_submission) are shown once per invoice with
the rows they concern: on both services' invoice pages, in the check-result CSV and in the audit PDF; a
supervisor decides such a notice once, for every row it concerns."""
from __future__ import annotations

from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from shared.review.application.invoice_file import invoice_file
from shared.review.domain.review import review_id
from shared.store.history import read_history
from tests.integration.web_cases import HEADER, form, login, submit_invoice
from tests.pdf_reading import pdf_text, squeeze

LATE = (HEADER + "\n03.2025;Q-1;Qualifizierung;Selbstzahler;;;;;Einsatztag;21.7;80.00;1736.00"
        "\n03.2025;Q-2;Qualifizierung;Selbstzahler;;;;;Einsatztag;5;80.00;400.00"
        "\n03.2025;A-3;Coaching;Selbstzahler;;;;;Coachingstunde;3;200.00;600.00\n").encode()
MISSING = "Keine Kapazitätsmeldung für Qualifizierung im März 2025"
LATE_MESSAGE = "Rechnung März 2025 am 11.04.2025 eingegangen, Frist 10.04.2025"


def test_notices_are_shown_once_and_decided_once(portal, reporting, supervision, accounts, clock, tokens):
    for code, programme in (("RM-Q", "qualifizierung"), ("RM-C", "coaching")):
        portal.supervision.register_offering("regiomech", code, {"programme_type": programme, "places": 10,
                                                                 "valid_from": "2025-01-01"}, "test")
    clock.now = datetime(2025, 4, 11, 9, 0, tzinfo=ZoneInfo("Europe/Zurich"))
    login(reporting, "anna")
    iid = submit_invoice(reporting, LATE)

    page = reporting.get(f"/rechnungen/{iid}").text
    assert page.count(MISSING) == 1 and page.count(LATE_MESSAGE) == 1
    assert "Hinweise zur ganzen Rechnung" in page and 'href="#zeile-3"' in page
    assert "0 Fehler · 3 Hinweise · 3 offen" in page  # two reports missing, one late invoice: not 3 × 2

    csv_text = reporting.get(f"/rechnungen/{iid}/pruefergebnis.csv").content.decode("utf-8-sig")
    assert csv_text.count(MISSING) == 1 and csv_text.count(LATE_MESSAGE) == 1
    assert f"{MISSING} (Zeilen 2–3)" in csv_text and f"{LATE_MESSAGE} (Zeilen 2–4)" in csv_text

    login(supervision, "sara")
    assert supervision.get(f"/rechnungen/{iid}").text.count(MISSING) == 1
    r = form(supervision, f"/rechnungen/{iid}/befunde/2/capacity_report_missing", decision="confirmed",
             comment="gemahnt")
    assert r.status_code == 303, r.text
    view = portal.reporting.invoice_view(portal.reporting.invoice(None, UUID(iid)))
    decided = {(ln["row"], f["code"]) for ln in view["lines"] for f in ln["findings"] if f.get("review")}
    assert decided == {(2, "capacity_report_missing"), (3, "capacity_report_missing")}  # not row 4's report
    assert [bool(n.get("review")) for n in view["notices"]] == [True, False, False]
    assert "0 Fehler · 3 Hinweise · 2 offen" in supervision.get(f"/rechnungen/{iid}").text

    pdf = supervision.get(f"/api/v1/invoices/{iid}/audit.pdf", headers=tokens(role="supervisor")).content
    text = squeeze(pdf_text(pdf))
    assert text.count(squeeze(MISSING)) == 1 and text.count(squeeze(LATE_MESSAGE)) == 1
    assert squeeze("3 (2 offen)") in text  # «Befunde»: three notices, one decided

    # one event for both rows; the views project it on each row; the audit PDF names the rows once
    reviewed = [e for e in read_history(portal.supervision, review_id(UUID(iid))) if e.kind.endswith("Reviewed")]
    assert [(e.kind, e.data["rows"], e.data["code"]) for e in reviewed] == [
        ("FindingsReviewed", [2, 3], "capacity_report_missing")]
    portal.views.catch_up()
    with portal.views.store.read() as tx:
        projected = tx.execute("SELECT line_row, code, decision, comment FROM decisions WHERE invoice_id = ? "
                               "ORDER BY line_row", (iid,))
    assert [tuple(r[:3]) for r in projected] == [(2, "capacity_report_missing", "confirmed"),
                                                  (3, "capacity_report_missing", "confirmed")]
    assert squeeze("Zeilen 2–3, ") in text
    history = [h for h in invoice_file(portal, UUID(iid))["history"] if h.get("decision")]
    assert [(h["rows"], h["code"], h["detail"]) for h in history] == [([2, 3], "capacity_report_missing", "gemahnt")]
