"""`GET /api/v1/invoices` and `GET /api/v1/capacity-reports` from the read models (issue 16): the same answers as
replaying each document (and an invoice's review), on the demo year and through the API after the decisions a
supervisor can take (a notice decided with a comment, an approval, a return after it, a correction), with the
parser's warnings, a late report and its correction — on SQLite and PostgreSQL, and after a rebuild of the views."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from services.demo.generator import run_demo
from shared.readmodels.document_lists import capacity_report_list, invoice_list
from tests.integration.test_invoice_file_reads import counted_reads
from tests.integration.web_cases import CORRECTED, WITH_FINDINGS

PROVIDERS = ["regiomech", "impiega"]  # findings decided, returns and approvals; a correction


def replayed(portal, provider: str, period: str | None = None) -> list[dict]:
    rep = portal.reporting
    return [rep.invoice_view(i, with_lines=False) for i in rep.invoices(provider, period)]


def replayed_reports(portal, provider: str, period: str | None = None) -> list[dict]:
    rep = portal.reporting
    return [rep.capacity_report_view(r) for r in rep.capacity_reports(provider, period)]


def test_the_list_read_from_the_views_is_the_replay_of_the_demo_year(portal):
    run_demo(portal, providers=PROVIDERS, workers=2)
    every = []
    for slug in PROVIDERS:
        with counted_reads(portal.reporting.recorder) as documents, counted_reads(portal.supervision.recorder) as rev:
            listed = invoice_list(portal, slug)
            reports = capacity_report_list(portal, slug)
        assert not documents and not rev  # no document, month or review replayed
        assert listed == replayed(portal, slug)
        assert reports == replayed_reports(portal, slug) and reports
        every += listed
        for period in sorted({i["period"] for i in listed})[::5]:
            assert invoice_list(portal, slug, period) == replayed(portal, slug, period)
            assert capacity_report_list(portal, slug, period) == replayed_reports(portal, slug, period)
    assert {i["status"] for i in every} >= {"approved", "checked", "changed_since_approval"} and any(i["version"] > 1 for i in every)
    assert any(i["notices"] for i in every) and all(i["filename"] for i in every)
    assert any(i.get("returned_reason") for i in every)  # returned, then corrected (demo cast: RETURNED)
    portal.views.projector.rebuild()
    assert invoice_list(portal, "regiomech") == replayed(portal, "regiomech")


def test_the_api_lists_warnings_decisions_and_a_return_after_approval_as_the_invoice_reads(reporting, supervision,
                                                                                         tokens, portal, clock):
    clock.now = datetime(2025, 4, 11, 0, 30, tzinfo=ZoneInfo("Europe/Zurich"))  # late: notices about the invoice
    prov, sup = tokens("regiomech"), tokens(role="supervisor")
    csv = {**prov, "content-type": "text/csv"}
    rows = WITH_FINDINGS.decode().strip().split("\n")  # a column the format does not know: a warning
    extra = "\n".join([rows[0] + ";Bemerkung", *(r + ";x" for r in rows[1:])]).encode() + b"\n"
    first = reporting.post("/api/v1/invoices", content=extra, headers=csv).json()
    assert first["warnings"] and first["notices"]
    iid = first["id"]

    def listed() -> list[dict]:
        with counted_reads(portal.reporting.recorder) as reads:
            answer = reporting.get("/api/v1/invoices", headers=prov)
        assert answer.status_code == 200 and not reads  # no document replayed
        assert answer.json() == replayed(portal, "regiomech")
        assert reporting.get("/api/v1/invoices?period=2025-03", headers=prov).json() == answer.json()
        return answer.json()

    assert listed()[0]["warnings"] == first["warnings"]
    notice = first["notices"][0]
    decided = supervision.post(f"/api/v1/findings/{iid}/{notice['rows'][0]}/{notice['code']}/review", headers=sup,
                               json={"decision": "confirmed", "comment": "Meldung folgt, Q-1 telefonisch"})
    assert decided.status_code == 201
    shown = listed()[0]["notices"][0]["review"]
    assert shown["comment"] == "Meldung folgt, Q-1 telefonisch" and shown["decision"] == "confirmed"
    assert supervision.post(f"/api/v1/invoices/{iid}/approval", headers=sup, json={"comment": "ok"}).status_code == 201
    assert listed()[0]["status"] == "approved"
    back = supervision.post(f"/api/v1/invoices/{iid}/return", headers=sup, json={"reason": "Ansatz zu hoch"})
    assert back.status_code == 201
    after = listed()[0]
    assert (after["status"], after["returned_reason"]) == (back.json()["status"], "Ansatz zu hoch")
    corrected = reporting.post(f"/api/v1/invoices/{iid}/versions", content=CORRECTED, headers=csv)
    assert corrected.status_code == 201
    now = listed()[0]
    assert (now["version"], now["warnings"], now["status"]) == (2, [], "checked")  # the return undid the approval
    portal.views.projector.rebuild()
    listed()


def test_the_api_lists_capacity_reports_with_warnings_lateness_and_corrections_as_replayed(reporting, tokens,
                                                                                        portal, clock):
    prov = tokens("regiomech")
    header = "Monat;Programm;Angebot;Plätze;Belegt;Eintritte;Austritte;Warteliste"
    rows = ["03.2025;Qualifizierung;;20;18;1;0;2", "03.2025;Coaching;;8;6;0;1;"]

    def post(path: str, *lines: str, extra: str = ""):
        body = "\n".join([header + extra, *(line + (";x" if extra else "") for line in lines)]) + "\n"
        answer = reporting.post(path, content=body.encode(), headers={**prov, "content-type": "text/csv"})
        assert answer.status_code == 201, answer.text
        return answer.json()

    def listed() -> list[dict]:
        with counted_reads(portal.reporting.recorder) as reads:
            answer = reporting.get("/api/v1/capacity-reports", headers=prov)
        assert not reads and answer.status_code == 200 and answer.json() == replayed_reports(portal, "regiomech")
        assert reporting.get("/api/v1/capacity-reports?period=2025-03", headers=prov).json() == answer.json()
        return answer.json()

    clock.now = datetime(2025, 4, 11, 0, 30, tzinfo=ZoneInfo("Europe/Zurich"))  # after the deadline
    first = post("/api/v1/capacity-reports", *rows, extra=";Bemerkung")
    shown = listed()
    assert shown[0]["warnings"] and shown[0]["late"] and shown[0]["rows"][1]["waiting_list"] is None
    assert [r["offering"] for r in shown[0]["rows"]] == [None, None]
    post(f"/api/v1/capacity-reports/{first['id']}/versions", rows[0].replace(";18;", ";19;"))
    again = listed()[0]
    assert (again["version"], again["warnings"], len(again["rows"]), again["late"]) == (2, [], 1, True)
    portal.views.projector.rebuild()
    listed()
