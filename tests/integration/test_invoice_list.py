"""`GET /api/v1/invoices` from the read models (issue 16): the same answer as replaying each invoice and its review
(InvoiceApplication.invoice_view without lines), on the demo year and through the API after the decisions a
supervisor can take (a notice decided with a comment, an approval, a return after it, a correction), with the
parser's warnings — on SQLite and PostgreSQL, and after the views are rebuilt from the logs."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from services.demo.generator import run_demo
from shared.readmodels.invoice_list import invoice_list
from tests.integration.test_invoice_file_reads import counted_reads
from tests.integration.web_cases import CORRECTED, WITH_FINDINGS

PROVIDERS = ["regiomech", "impiega"]  # findings decided, returns and approvals; a correction


def replayed(portal, provider: str, period: str | None = None) -> list[dict]:
    rep = portal.reporting
    return [rep.invoice_view(i, with_lines=False) for i in rep.invoices(provider, period)]


def test_the_list_read_from_the_views_is_the_replay_of_the_demo_year(portal):
    run_demo(portal, providers=PROVIDERS, workers=2)
    every = []
    for slug in PROVIDERS:
        with counted_reads(portal.reporting.recorder) as documents, counted_reads(portal.supervision.recorder) as rev:
            listed = invoice_list(portal, slug)
        assert not documents and not rev  # no invoice, month or review replayed
        assert listed == replayed(portal, slug)
        every += listed
        for period in sorted({i["period"] for i in listed})[::5]:
            assert invoice_list(portal, slug, period) == replayed(portal, slug, period)
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
        answer = reporting.get("/api/v1/invoices", headers=prov)
        assert answer.status_code == 200
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
