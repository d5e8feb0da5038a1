"""Issue 15's billing rules through the reporting API on a real store (SQLite and PostgreSQL): offering codes
across invoices, format errors that store nothing, months without a tariff, notices once per invoice."""
from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HEADER = ("Monat;Teilnehmer;Programm;Angebot;Finanzierung;Kostengutsprache;Eintritt;Austritt;Austrittsgrund;"
          "Leistung;Menge;Ansatz;Betrag")
ZURICH = ZoneInfo("Europe/Zurich")


def csv(*rows: str) -> bytes:
    return ("\n".join((HEADER, *rows)) + "\n").encode()


def post(client, headers, body: bytes, ctype: str = "text/csv"):
    return client.post("/api/v1/invoices", content=body, headers={**headers, "Content-Type": ctype})


def q_line(participant: str, code: str = "", period: str = "03.2025", days: str = "21.7") -> str:
    return f"{period};{participant};Qualifizierung;{code};Selbstzahler;;;;;Einsatztag;{days};80.00;1736.00"


def test_an_offering_code_in_another_case_is_billed_once_across_invoices(portal, reporting, tokens):
    for code in ("RM-Q1", "RM-Q2"):
        portal.supervision.register_offering("regiomech", code, {"programme_type": "qualifizierung", "places": 10,
                                                                 "valid_from": "2025-01-01"}, "test")
    h = tokens("regiomech")
    first = post(reporting, h, csv(q_line("B-0017", "RM-Q1")))
    assert first.status_code == 201 and first.json()["totals"]["allowed"] == "1736.00"
    again = post(reporting, h, csv(q_line("B-0017", " rm-q1 ")))
    assert again.status_code == 201, again.text
    line = again.json()["lines"][0]
    assert [f["code"] for f in line["findings"]] == ["duplicate_line"] and line["allowed"] == "0.00"
    other = post(reporting, h, csv(q_line("B-0017", "RM-Q2")))
    assert other.status_code == 201 and other.json()["lines"][0]["findings"] == []
    assert other.json()["totals"]["allowed"] == "1736.00"


def test_a_month_before_the_first_tariff_edition_is_not_billable(reporting, tokens):
    h = tokens("regiomech")
    before = post(reporting, h, csv(q_line("B-0017", period="12.2023"))).json()
    assert before["edition"] is None and before["totals"]["allowed"] == "0.00"
    assert "period_not_billable" in [f["code"] for f in before["lines"][0]["findings"]]
    first = post(reporting, h, csv(q_line("B-0017", period="01.2024"))).json()
    assert first["edition"] == "2024/25" and first["totals"]["allowed"] == "1736.00"


def test_notices_appear_once_the_deadline_has_passed_and_once_per_invoice(portal, reporting, tokens, clock):
    for code, programme in (("RM-Q", "qualifizierung"), ("RM-C", "coaching")):
        portal.supervision.register_offering("regiomech", code, {"programme_type": programme, "places": 10,
                                                                 "valid_from": "2025-01-01"}, "test")
    h = tokens("regiomech")
    two = ("03.2025;B-1;Qualifizierung;;Selbstzahler;;;;;Einsatztag;21.7;80.00;1736.00",
           "03.2025;B-2;Qualifizierung;;Selbstzahler;;;;;Einsatztag;5;80.00;400.00",
           "03.2025;C-3;Coaching;;Selbstzahler;;;;;Coachingstunde;3;200.00;600.00")
    clock.now = datetime(2025, 4, 10, 23, 30, tzinfo=ZURICH)
    in_time = post(reporting, h, csv(*two[:2])).json()
    assert in_time["notices"] == []
    assert all(ln["findings"] == [] for ln in in_time["lines"])

    clock.now = datetime(2025, 4, 11, 0, 30, tzinfo=ZURICH)
    late = post(reporting, h, csv(*(row.replace(";B-", ";D-") for row in two))).json()
    assert [[f["code"] for f in ln["findings"]] for ln in late["lines"]] == [
        ["capacity_report_missing", "late_submission"]] * 3  # the contract: on every line, as before
    second = [n for n in late["notices"] if n["code"] == "month_has_invoice"]  # the answer names the first invoice
    assert [n["invoice_id"] for n in second] == [in_time["id"]]
    checked = [n for n in late["notices"] if n["code"] != "month_has_invoice"]
    assert [(n["code"], n["rows"], n["message"]) for n in checked] == [
        ("capacity_report_missing", [2, 3], "Keine Kapazitätsmeldung für Qualifizierung im März 2025"),
        ("capacity_report_missing", [4], "Keine Kapazitätsmeldung für Coaching im März 2025"),
        ("late_submission", [2, 3, 4], "Rechnung März 2025 am 11.04.2025 eingegangen, Frist 10.04.2025")]
    assert late["totals"]["allowed"] == "2736.00"
    again = reporting.get(f"/api/v1/invoices/{late['id']}", headers=h).json()
    assert again["notices"] == checked
    listed = reporting.get("/api/v1/invoices?period=2025-03", headers=h).json()
    assert [len(i["notices"]) for i in listed] == [0, 3]


# --- a format error stores nothing (a property over generated files) -----------------------------

GOOD = {"participant": "B-0017", "programme": "Qualifizierung", "offering": "", "funding": "Selbstzahler",
        "cost_approval": "", "entry_date": "", "exit_date": "", "exit_reason": "", "unit": "Einsatztag",
        "quantity": "21.7", "unit_price": "80.00", "amount": "1736.00"}
IMPOSSIBLE = [
    {"quantity": "1E-999999"}, {"quantity": "2e3"}, {"amount": "1736.00001"}, {"quantity": "31.25"},
    {"unit": "Coachingstunde", "programme": "Coaching", "quantity": "1000000000", "unit_price": "200.00"},
    {"exit_reason": "Abbruch"}, {"entry_date": "25.03.2025", "exit_date": "24.03.2025", "exit_reason": "Lehre"},
    {"participant": "=1+1"}, {"cost_approval": "+41-79"}, {"offering": "@SUM(A1:A9)"},
    {"participant": "A\x07B"}, {"offering": "RM\u202e1"},
]
NUMBERS = ("quantity", "unit_price", "amount")


def as_csv(rows: list[dict]) -> bytes:
    head = "Monat;Teilnehmer;Programm;Angebot;Finanzierung;Kostengutsprache;Eintritt;Austritt;Austrittsgrund;" \
           "Leistung;Menge;Ansatz;Betrag"
    return "\n".join([head, *("03.2025;" + ";".join(r.values()) for r in rows)]).encode()


def as_json(rows: list[dict]) -> bytes:
    def value(key: str, text: str) -> str:
        return text if key in NUMBERS else json.dumps(text)
    lines = ["{" + ", ".join(f'"{k}": {value(k, v)}' for k, v in r.items() if v) + "}" for r in rows]
    return ('{"period": "2025-03", "lines": [' + ", ".join(lines) + "]}").encode()


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(count=st.integers(1, 4), bad_at=st.integers(0, 3), bad=st.sampled_from(IMPOSSIBLE),
       fmt=st.sampled_from(["csv", "json"]))
def test_a_format_error_stores_nothing(portal, reporting, tokens, count, bad_at, bad, fmt):
    h = tokens("regiomech")
    before = portal.health()
    rows = [{**GOOD, "participant": f"P-{i}"} for i in range(count)]
    index = bad_at % count
    rows[index] = {**rows[index], **bad}
    body = as_csv(rows) if fmt == "csv" else as_json(rows)
    r = post(reporting, h, body, "text/csv" if fmt == "csv" else "application/json")
    assert r.status_code == 422, r.text
    errors = r.json()["errors"]
    assert errors and all(e["row"] == (index + 1 if fmt == "json" else index + 2) for e in errors)
    assert len(r.content) < 2000 and all(e["message"].isprintable() for e in errors)
    assert portal.health() == before
    assert reporting.get("/api/v1/invoices", headers=h).json() == []
