"""The audit PDFs over HTTP, on SQLite and PostgreSQL: content, attachments, PDF/A, rendering, safety."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from shared.audit.application.checkpoints import parse_public_key
from shared.audit.application.verify_pdf import verify_pdf
from shared.presentation.pdf import render
from tests.pdf_reading import check_pdf_file, pdf_text, squeeze

HEADER = (
    "Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Eintritt;Austritt;Austrittsgrund;Leistung;"
    "Menge;Ansatz;Betrag"
)
HOSTILE_KGS = '<img src="file:///etc/passwd">'
HOSTILE_COMMENT = "<img src=x> geprüft & bestätigt"
INVOICE = (
    HEADER + "\n03.2025;Q-1;Qualifizierung;Selbstzahler;;;;;Einsatztag;23;85.00;1955.00\n"
    f"03.2025;S-0103;Beschäftigung I;Sozialhilfe;{HOSTILE_KGS};;;;Einsatztag;21,7;35.00;759.50\n"
).encode()
CAPACITY = "Monat;Programm;Plätze;Belegt;Eintritte;Austritte\n03.2025;Qualifizierung;12;10;1;0\n".encode()


@pytest.fixture
def filed(reporting, supervision, tokens, clock):
    """An invoice with findings, a capacity report, a reviewed finding with a hostile comment, an approval."""
    h = tokens("regiomech")
    inv = reporting.post(
        "/api/v1/invoices", content=INVOICE, headers={**h, "Content-Type": "text/csv"}
    ).json()
    assert inv["lines"][1]["participant"] == "S-0103", inv
    # the report arrives after the deadline, without Beschäftigung I: now missing, the invoice is re-evaluated
    clock.now = clock.now.replace(day=11)
    r = reporting.post(
        "/api/v1/capacity-reports", content=CAPACITY, headers={**h, "Content-Type": "text/csv"}
    )
    assert r.status_code == 201, r.text
    sup = tokens(role="supervisor")
    r = supervision.post(
        f"/api/v1/findings/{inv['id']}/2/days_above_month/review",
        headers=sup,
        json={"decision": "confirmed", "comment": HOSTILE_COMMENT},
    )
    assert r.status_code == 201, r.text
    r = supervision.post(f"/api/v1/invoices/{inv['id']}/approval", headers=sup, json={"comment": "ok"})
    assert r.status_code == 201, r.text
    return inv


def test_invoice_audit_pdf(supervision, tokens, filed, settings, tmp_path):
    render.LAST_FETCHERS.clear()
    r = supervision.get(f"/api/v1/invoices/{filed['id']}/audit.pdf", headers=tokens(role="finance"))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/pdf")
    pdf = r.content
    reader = check_pdf_file(pdf, tmp_path, "audit")
    text = pdf_text(pdf)
    flat = squeeze(text)
    for expected in (
        "Prüfbericht Rechnung",
        "Genossenschaft Regiomech",
        "März 2025",
        "Q-1",
        "S-0103",
        "days_above_month",
        "tariff_above_max",
        "CHF 2’714.50",
        "CHF 2’495.50",
        "CHF 219.00",
        "1’955.00",
        "1’736.00",
        "759.50",
        "21.7 × CHF 80.00 = CHF 1’736.00",
        "bestätigt",
        "freigegeben",
        "eingegangen",
        "beurteilt",
        "Freigegeben",
        "Neu",
        "03.04.2025",
    ):
        assert squeeze(expected) in flat, expected
    # the digest and the positions it was made from
    events = json.loads(reader.attachments["ereignisse.json"][0])
    assert events["store_digest"] in squeeze(text)
    for service, cp in events["checkpoints"].items():
        assert cp["root"] in squeeze(text), service
        assert f"Position {cp['position']}" in text
    # hostile text is printed as text, and nothing was fetched but the bundled assets
    assert squeeze(HOSTILE_KGS) in squeeze(text) and squeeze(HOSTILE_COMMENT) in squeeze(text)
    assert render.LAST_FETCHERS, "the renderer's fetcher was not used"
    for fetcher in render.LAST_FETCHERS:
        assert fetcher.refused == []
        assert all(u.startswith("ami-asset:") for u in fetcher.requested), fetcher.requested
    # attachments: the original bytes, the events with proofs, the seal
    files = {n: c[0] for n, c in reader.attachments.items()}
    assert set(files) == {"original-v1.csv", "ereignisse.json", "siegel.json"}
    assert files["original-v1.csv"] == INVOICE
    kinds = {e["topic"].rsplit(".", 1)[-1] for e in events["events"]}
    assert {"Received", "Reevaluated", "Opened", "FindingReviewed", "Approved"} <= kinds
    assert all(e["inclusion_proof"] is not None and e["state"] for e in events["events"])
    assert verify_pdf(pdf, parse_public_key(str(settings.keys_dir / "signing.pub"))) == []


def test_provider_report_with_data_and_on_an_empty_store(
    supervision, tokens, filed, portal, settings, tmp_path
):
    from shared.kernel.errors import DomainError

    try:  # an offering with a hostile name: shown as text in the report
        portal.supervision.register_offering(
            "regiomech",
            "Q-<b>",
            {
                "programme_type": "qualifizierung",
                "name": "<script>alert(1)</script> Werkstatt",
                "places": 12,
                "valid_from": "2025-01-01",
            },
            "test",
        )
    except DomainError as exc:
        pytest.fail(exc.message)
    sup = tokens(role="supervisor")
    r = supervision.get("/api/v1/providers/regiomech/report.pdf?year=2025", headers=sup)
    assert r.status_code == 200, r.text
    pdf = r.content
    reader = check_pdf_file(pdf, tmp_path, "provider")
    text = pdf_text(pdf)
    for expected in (
        "Jahresbericht 2025",
        "Genossenschaft Regiomech",
        "März",
        "Qualifizierung",
        "Beschäftigung I",
        "days_above_month",
        "tariff_above_max",
        "2’714.50",
        "2’495.50",
        "219.00",
        "83.3 %",
        "Befunde nach Code und Ergebnis",
        "Kosten nach Programmart",
    ):
        assert squeeze(expected) in squeeze(text), expected
    assert "<script>alert(1)</script>Werkstatt" in squeeze(text)
    assert "<svg" not in text and reader.pages[0].get("/Annots") is None
    figures = json.loads(reader.attachments["kennzahlen.json"][0])
    assert figures["totals"]["allowed"] == "2495.50" and figures["months"][2]["occupied"] == 10
    assert verify_pdf(pdf, parse_public_key(str(settings.keys_dir / "signing.pub"))) == []

    # a provider without any data
    r = supervision.get("/api/v1/providers/heks/report.pdf?year=2024", headers=sup)
    assert r.status_code == 200, r.text
    check_pdf_file(r.content, tmp_path, "empty")
    assert "keine Rechnungen" in pdf_text(r.content)


def test_provider_report_on_a_fresh_store(supervision, tokens, tmp_path):
    r = supervision.get("/api/v1/providers/regiomech/report.pdf?year=2025", headers=tokens(role="admin"))
    assert r.status_code == 200, r.text
    check_pdf_file(r.content, tmp_path, "fresh")
    assert "Keine Befunde im Jahr 2025" in pdf_text(r.content)


def test_canton_report_lists_all_providers(supervision, tokens, filed, portal, tmp_path):
    r = supervision.get("/api/v1/reports/canton.pdf?year=2025", headers=tokens(role="supervisor"))
    assert r.status_code == 200, r.text
    check_pdf_file(r.content, tmp_path, "canton")
    text = squeeze(pdf_text(r.content))
    providers = portal.supervision.providers()
    assert len(providers) == 26
    for p in providers:
        assert squeeze(p.name) in text, p.name
    assert "2’495.50" in text and "days_above_month" in text


def test_roles_and_errors(supervision, tokens, filed):
    provider = tokens("regiomech")
    paths = [
        f"/api/v1/invoices/{filed['id']}/audit.pdf",
        "/api/v1/providers/regiomech/report.pdf?year=2025",
        "/api/v1/reports/canton.pdf?year=2025",
    ]
    for path in paths:
        assert supervision.get(path, headers=provider).status_code in (401, 403), path
        assert supervision.get(path).status_code == 401, path
    sup = tokens(role="supervisor")
    assert (
        supervision.get(
            "/api/v1/invoices/00000000-0000-0000-0000-000000000000/audit.pdf", headers=sup
        ).status_code
        == 404
    )
    assert supervision.get("/api/v1/providers/nope/report.pdf?year=2025", headers=sup).status_code == 404
    assert supervision.get("/api/v1/providers/regiomech/report.pdf?year=12", headers=sup).status_code == 400
    assert supervision.get("/api/v1/reports/canton.pdf", headers=sup).status_code == 400


def test_history_rows_show_the_amounts_of_each_receipt(reporting, supervision, tokens):
    """«Ereignisverlauf» reads every receipt's and correction's totals through the one history reader
    (shared.store.history, entry_totals): the amounts that version was checked to, never «verrechnet –»."""
    h = {**tokens("regiomech"), "Content-Type": "text/csv"}
    first = reporting.post("/api/v1/invoices", content=INVOICE, headers=h).json()
    fixed = INVOICE.replace(b"23;85.00;1955.00", b"21.7;80.00;1736.00")
    r = reporting.post(f"/api/v1/invoices/{first['id']}/versions", content=fixed, headers=h)
    assert r.status_code == 201, r.text
    second = r.json()
    assert (first["totals"]["claimed"], second["totals"]["claimed"]) == ("2714.50", "2495.50")
    r = supervision.get(f"/api/v1/invoices/{first['id']}/audit.pdf", headers=tokens(role="supervisor"))
    assert r.status_code == 200, r.text
    text = squeeze(pdf_text(r.content))
    for doc in (first, second):
        claimed, allowed = (
            "CHF " + f"{Decimal(doc['totals'][k]):,.2f}".replace(",", "’") for k in ("claimed", "allowed")
        )
        assert squeeze(f"Version {doc['version']}, Datei –; verrechnet {claimed}, zulässig {allowed}") in text, doc
    assert "verrechnet–" not in text and "zulässig–" not in text


def test_canton_report_reuses_figures_until_the_store_moves_on(reporting, supervision, tokens, filed):
    from shared.audit.application.pdf_seal import attachments

    def made() -> tuple[dict, list]:
        r = supervision.get("/api/v1/reports/canton.pdf?year=2025", headers=tokens(role="supervisor"))
        assert r.status_code == 200, r.text
        files = attachments(r.content)
        events = json.loads(files["ereignisse.json"])["events"]
        return json.loads(files["kennzahlen.json"]), [(e["originator_id"], e["originator_version"]) for e in events]

    figures, events = made()
    assert made() == (figures, events)  # the same checkpoint: the same figures and the same events embedded
    april = INVOICE.replace(b"03.2025", b"04.2025")
    r = reporting.post("/api/v1/invoices", content=april, headers={**tokens("regiomech"), "Content-Type": "text/csv"})
    assert r.status_code == 201, r.text
    later, later_events = made()
    assert Decimal(later["totals"]["claimed"]) == Decimal(figures["totals"]["claimed"]) + Decimal("2714.50")
    assert len(later_events) > len(events)


def test_a_long_invoices_report_prints_its_lines_with_findings_and_attaches_every_line(
        supervision, tokens, filed, tmp_path, monkeypatch):
    """Above PRINTED_LINES (1,000; here 1) the report prints the first lines with a finding of their own and as many
    distinct findings, each finding's rows shortened; every line is attached as the check result's CSV (a 10,000-line
    invoice printed in full was 1,011 pages, 133 s and 3.2 GB)."""
    from shared.presentation.pdf import invoice_audit

    monkeypatch.setattr(invoice_audit, "PRINTED_LINES", 1)
    r = supervision.post(f"/api/v1/findings/{filed['id']}/2/tariff_above_max/review", headers=tokens(role="supervisor"),
                         json={"decision": "waived", "comment": "vereinbart"})  # a second decision
    assert r.status_code == 201, r.text
    r = supervision.get(f"/api/v1/invoices/{filed['id']}/audit.pdf", headers=tokens(role="supervisor"))
    assert r.status_code == 200, r.text
    reader = check_pdf_file(r.content, tmp_path, "long")
    flat = squeeze(pdf_text(r.content))
    assert squeeze("Die Rechnung hat 2 Zeilen. Gedruckt sind die ersten 1 der 2 Zeilen mit eigenem Befund") in flat
    assert squeeze("«rechnungszeilen.csv» bei") in flat and squeeze("Total (2 Zeilen)") in flat
    assert squeeze("Gedruckt sind die ersten 1 der") in flat and squeeze("verschiedenen Befunde") in flat
    assert squeeze("Gedruckt sind die ersten 1 der 2 Entscheide (nach Zeile)") in flat
    assert "1’955.00" in flat and "759.50" not in flat  # the second line is left out of the print...
    files = {n: c[0] for n, c in reader.attachments.items()}
    assert set(files) == {"original-v1.csv", "rechnungszeilen.csv", "ereignisse.json", "siegel.json"}
    rows = files["rechnungszeilen.csv"].decode("utf-8-sig").splitlines()
    assert rows[1].startswith("2;Q-1;") and rows[2].startswith("3;S-0103;")  # ... and is in the attachment
    assert "[bestätigt]" in rows[1].lower() and "[erlassen]" in rows[1].lower()  # both decisions on row 2
    assert verify_pdf(r.content, parse_public_key(str(supervision.app.state.settings.keys_dir / "signing.pub"))) == []


def test_an_invoice_of_millions_keeps_its_figures_whole_and_apart(reporting, supervision, tokens):
    """The totals stand one above the other, each as wide as both amount columns, and the versions' amount columns
    hold eight digits (the bench's 10,000-line invoice, CHF 11.6 million, ran its totals into each other): 150
    lines of CHF 99’999.80, CHF 15 million, every figure whole, none touching another."""
    from tests.pdf_layout import layout_problems

    rows = "".join(f"03.2025;Q-{i};Qualifizierung;Selbstzahler;;;;;Einsatztag;20;4999.99;99999.80\n"
                   for i in range(1, 151))
    inv = reporting.post("/api/v1/invoices", content=(HEADER + "\n" + rows).encode(),
                         headers={**tokens("regiomech"), "Content-Type": "text/csv"}).json()
    assert inv["totals"]["claimed"] == "14999970.00", inv["totals"]
    r = supervision.get(f"/api/v1/invoices/{inv['id']}/audit.pdf", headers=tokens(role="supervisor"))
    assert r.status_code == 200, r.text
    assert layout_problems(r.content) == []
    words = pdf_text(r.content).split()
    assert words.count("14’999’970.00") >= 2  # the lines' total and the version's, each whole on its line
