"""The reporting service's contract (api.md), on SQLite and on PostgreSQL."""
from __future__ import annotations

import io
import json

import openpyxl

HEADER = "Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Eintritt;Austritt;Austrittsgrund;Leistung;Menge;Ansatz;Betrag"
CLEAN = (HEADER + "\n03.2025;B-0017;Qualifizierung;Selbstzahler;;;;;Einsatztag;21.7;80.00;1736.00\n"
         "03.2025;S-0103;Beschäftigung I;Sozialhilfe;KGS-OL-2025-031;;;;Einsatztag;21,7;35.00;759.50\n").encode()
WITH_FINDINGS = (HEADER + "\n03.2025;Q-1;Qualifizierung;Selbstzahler;;;;;Einsatztag;23;85.00;1955.00\n").encode()


def post_csv(client, headers, body=CLEAN, path="/api/v1/invoices"):
    return client.post(path, content=body, headers={**headers, "Content-Type": "text/csv"})


def test_upload_csv_answers_201_with_the_checked_invoice(reporting, tokens):
    r = post_csv(reporting, tokens("regiomech"))
    assert r.status_code == 201, r.text
    inv = r.json()
    assert inv["provider"] == "regiomech" and inv["period"] == "2025-03" and inv["version"] == 1
    assert inv["status"] == "checked"
    assert inv["totals"]["claimed"] == "2495.50"
    assert [ln["row"] for ln in inv["lines"]] == [2, 3]
    assert inv["lines"][0]["allowed"] == "1736.00" and inv["lines"][0]["quantity"] == "21.7"


def test_findings_reduce_the_allowed_amount_with_a_trace(reporting, tokens):
    inv = post_csv(reporting, tokens("regiomech"), WITH_FINDINGS).json()
    line = inv["lines"][0]
    assert line["claimed"] == "1955.00" and line["allowed"] == "1736.00"
    codes = {f["code"] for f in line["findings"]}
    assert {"days_above_month", "tariff_above_max"} <= codes
    assert inv["totals"]["reduction"] == "219.00"
    assert any("1’736.00" in t for t in line["trace"])


def test_same_bytes_again_answer_200_with_the_same_invoice_and_no_new_version(reporting, tokens):
    h = tokens("regiomech")
    first = post_csv(reporting, h).json()
    again = post_csv(reporting, h)
    assert again.status_code == 200
    assert again.json()["id"] == first["id"] and again.json()["version"] == 1
    assert len(reporting.get(f"/api/v1/invoices/{first['id']}/history", headers=h).json()) == 1


def test_format_errors_answer_422_with_every_error_and_store_nothing(reporting, tokens):
    h = tokens("regiomech")
    bad = (HEADER + "\n03.2025;Q-1;Qualifizierung;Selbstzahler;;;;;Einsatztag;abc;80.00;1736.00\n"
           "03.2025;756.1234.5678.97;Qualifizierung;Selbstzahler;;;;;Einsatztag;2;80.00;160.00\n").encode()
    r = post_csv(reporting, h, bad)
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert {(e["row"], e["column"]) for e in errors} >= {(2, "Menge"), (3, "Teilnehmer")}
    assert all(e["message"] for e in errors)
    assert reporting.get("/api/v1/invoices", headers=h).json() == []


def test_too_large_answers_413(reporting, tokens, portal):
    big = HEADER.encode() + b"\n" + b"x" * (portal.settings.max_upload_bytes + 10)
    assert post_csv(reporting, tokens("regiomech"), big).status_code == 413


def test_json_and_multipart_and_xlsx_are_accepted(reporting, tokens):
    h = tokens("oltech")
    body = {"period": "2025-02", "lines": [{"participant": "J-1", "programme": "coaching", "funding": "self_payer",
                                            "unit": "coaching_hour", "quantity": 3, "unit_price": "200.00",
                                            "amount": "600.00"}]}
    r = reporting.post("/api/v1/invoices", content=json.dumps(body), headers={**h, "Content-Type": "application/json"})
    assert r.status_code == 201, r.text
    assert r.json()["lines"][0]["allowed"] == "600.00"
    r = reporting.post("/api/v1/invoices", files={"file": ("rechnung.csv", CLEAN, "text/csv")}, headers=h)
    assert r.status_code == 201, r.text
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Rechnung"
    ws.append(HEADER.split(";"))
    ws.append(["04.2025", "X-1", "Qualifizierung", "Selbstzahler", None, None, None, None, "Einsatztag", 21.7, 80, 1736])
    buf = io.BytesIO()
    wb.save(buf)
    r = reporting.post("/api/v1/invoices", content=buf.getvalue(),
                       headers={**h, "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    assert r.status_code == 201, r.text
    assert r.json()["totals"]["allowed"] == "1736.00"


def test_list_get_correct_and_history(reporting, tokens):
    h = tokens("regiomech")
    inv = post_csv(reporting, h, WITH_FINDINGS).json()
    listed = reporting.get("/api/v1/invoices?period=2025-03", headers=h).json()
    assert [i["id"] for i in listed] == [inv["id"]]
    assert reporting.get("/api/v1/invoices?period=2025-04", headers=h).json() == []
    fixed = WITH_FINDINGS.replace(b"23;85.00;1955.00", b"21.7;80.00;1736.00")
    r = post_csv(reporting, h, fixed, f"/api/v1/invoices/{inv['id']}/versions")
    assert r.status_code == 201 and r.json()["version"] == 2
    assert r.json()["lines"][0]["findings"] == [] or all(
        f["severity"] == "warning" for f in r.json()["lines"][0]["findings"])
    latest = reporting.get(f"/api/v1/invoices/{inv['id']}", headers=h).json()
    assert latest["version"] == 2 and latest["totals"]["allowed"] == "1736.00"
    v1 = reporting.get(f"/api/v1/invoices/{inv['id']}?version=1", headers=h).json()
    assert v1["version"] == 1 and v1["totals"]["claimed"] == "1955.00"
    history = reporting.get(f"/api/v1/invoices/{inv['id']}/history", headers=h).json()
    assert [(e["type"], e["version"]) for e in history] == [("Received", 1), ("Corrected", 2)]
    assert all(e["actor"] and e["time"] for e in history)
    # a correction must not flag the invoice's own earlier version as a duplicate
    assert not any(f["code"] == "duplicate_line" for ln in latest["lines"] for f in ln["findings"])


def test_a_second_invoice_of_the_month_with_the_same_line_is_a_duplicate(reporting, tokens):
    h = tokens("regiomech")
    post_csv(reporting, h, CLEAN)
    second = post_csv(reporting, h, CLEAN + b"\n").json()  # other bytes, same lines
    codes = [f["code"] for ln in second["lines"] for f in ln["findings"]]
    assert codes.count("duplicate_line") == 2
    assert second["totals"]["allowed"] == "0.00"


def test_stored_invoice_is_byte_for_byte_recoverable(reporting, tokens):
    h = tokens("regiomech")
    raw = "\ufeff".encode() + CLEAN.decode().replace("\n", "\r\n").encode("utf-8")
    inv = post_csv(reporting, h, raw).json()
    got = reporting.get(f"/api/v1/invoices/{inv['id']}/original", headers=h)
    assert got.status_code == 200 and got.content == raw


def test_capacity_report_and_reevaluation(reporting, tokens, clock):
    h = tokens("regiomech")
    clock.now = clock.now.replace(day=11)  # the capacity report is due on the 10th: now it is missing
    inv = post_csv(reporting, h).json()
    assert any(f["code"] == "capacity_report_missing" for ln in inv["lines"] for f in ln["findings"])
    body = "Monat;Programm;Plätze;Belegt;Eintritte;Austritte\n03.2025;Qualifizierung;12;10;1;0\n".encode()
    r = reporting.post("/api/v1/capacity-reports", content=body, headers={**h, "Content-Type": "text/csv"})
    assert r.status_code == 201, r.text
    assert r.json()["rows"][0]["places"] == 12
    after = reporting.get(f"/api/v1/invoices/{inv['id']}", headers=h).json()
    q_line = next(ln for ln in after["lines"] if ln["programme"] == "qualifizierung")
    assert not any(f["code"] == "capacity_report_missing" for f in q_line["findings"])
    history = reporting.get(f"/api/v1/invoices/{inv['id']}/history", headers=h).json()
    assert history[-1]["type"] == "Reevaluated"


def test_auth_no_token_bad_token_foreign_provider(reporting, supervision, tokens):
    h = tokens("regiomech")
    inv = post_csv(reporting, h).json()
    assert reporting.get("/api/v1/invoices").status_code == 401
    assert reporting.get("/api/v1/invoices", headers={"Authorization": "Bearer nope"}).status_code == 401
    other = tokens("oltech")
    for path in (f"/api/v1/invoices/{inv['id']}", f"/api/v1/invoices/{inv['id']}/history",
                 f"/api/v1/invoices/{inv['id']}/original"):
        assert reporting.get(path, headers=other).status_code == 404
    assert post_csv(reporting, other, CLEAN, f"/api/v1/invoices/{inv['id']}/versions").status_code == 404
    assert reporting.get("/api/v1/invoices", headers=other).json() == []
    assert supervision.get("/api/v1/overview?period=2025-03", headers=h).status_code in (401, 403)


def test_revoked_token_is_refused_at_once(reporting, tokens, portal):
    token = portal.supervision.issue_token("provider", "regiomech", "x", "test")
    h = {"Authorization": f"Bearer {token}"}
    assert reporting.get("/api/v1/invoices", headers=h).status_code == 200
    tid = next(t for t in portal.supervision.tokens() if t.label == "x").id.hex
    portal.supervision.revoke_token(tid, "test")
    assert reporting.get("/api/v1/invoices", headers=h).status_code == 401


def test_health_touches_the_store(reporting):
    r = reporting.get("/health")
    assert r.status_code == 200 and r.json()["notifications"]["supervision"] > 0
