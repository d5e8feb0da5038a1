"""A large invoice's answer, compact when asked (issue 16): `?lines=findings|none`, `Prefer: return=minimal`,
lines paged with `offset`/`limit`; api.md's fields all stay, the default answer is unchanged."""
from __future__ import annotations

from tests.integration.test_reporting_api import CLEAN, HEADER, post_csv

MIXED = (HEADER + "\n03.2025;B-0017;Qualifizierung;Selbstzahler;;;;;Einsatztag;21.7;80.00;1736.00\n"
         "03.2025;Q-1;Qualifizierung;Selbstzahler;;;;;Einsatztag;23;85.00;1955.00\n"
         "03.2025;S-0103;Beschäftigung I;Sozialhilfe;KGS-OL-2025-031;;;;Einsatztag;21,7;35.00;759.50\n").encode()
NOTICES = {"capacity_report_missing", "late_submission"}
CONTRACT = {"id", "provider", "period", "version", "received_at", "status", "totals", "lines"}


def test_the_default_answer_is_the_contracts_and_a_compact_one_keeps_every_field(reporting, tokens):
    h = tokens("regiomech")
    full = post_csv(reporting, h, MIXED).json()
    assert CONTRACT <= full.keys() and "summary" not in full and len(full["lines"]) == 3
    own = [ln["row"] for ln in full["lines"] if any(f["code"] not in NOTICES for f in ln["findings"])]
    codes = [f["code"] for ln in full["lines"] for f in ln["findings"] if f["code"] not in NOTICES]

    r = post_csv(reporting, h, MIXED, "/api/v1/invoices?lines=none")  # the same bytes: 200, compact as asked
    assert r.status_code == 200
    none = r.json()
    assert CONTRACT <= none.keys() and none["lines"] == [] and none["totals"] == full["totals"]
    assert none["summary"]["lines"] == 3 and none["summary"]["lines_with_findings"] == len(own)
    assert sum(none["summary"]["by_code"].values()) == len(codes) + len(full["notices"])
    assert none["summary"]["findings"]["total"] == none["summary"]["findings"]["open"] > 0
    assert none["lines_page"] == {"mode": "none", "offset": 0, "count": 0, "total": 0}
    found = reporting.get(f"/api/v1/invoices/{full['id']}?lines=findings", headers=h).json()
    assert [ln["row"] for ln in found["lines"]] == own and found["lines"][0] == full["lines"][own[0] - 2]

    minimal = reporting.get(f"/api/v1/invoices/{full['id']}", headers={**h, "Prefer": "return=minimal"}).json()
    assert minimal["lines"] == [] and minimal["summary"] == none["summary"]
    assert "summary" not in reporting.get(f"/api/v1/invoices/{full['id']}", headers=h).json()
    other = post_csv(reporting, h, CLEAN, "/api/v1/invoices?lines=findings").json()  # another file of the month
    assert other["version"] == 1 and other["lines_page"]["mode"] == "findings"


def test_lines_are_paged_with_offset_and_limit_and_a_next_address(reporting, tokens):
    h = tokens("regiomech")
    iid = post_csv(reporting, h, MIXED).json()["id"]
    first = reporting.get(f"/api/v1/invoices/{iid}?limit=2", headers=h).json()
    assert [ln["row"] for ln in first["lines"]] == [2, 3]
    assert first["lines_page"]["next"] == f"/api/v1/invoices/{iid}?lines=all&offset=2&limit=2"
    rest = reporting.get(first["lines_page"]["next"], headers=h).json()
    assert [ln["row"] for ln in rest["lines"]] == [4] and "next" not in rest["lines_page"]
    assert rest["lines_page"]["total"] == 3 and rest["summary"] == first["summary"]


def test_a_wrong_parameter_is_a_422_naming_it_and_nothing_is_stored(reporting, tokens, portal):
    h = tokens("regiomech")
    r = post_csv(reporting, h, MIXED, "/api/v1/invoices?lines=wenige")
    assert r.status_code == 422 and "lines" in r.text
    assert portal.reporting.invoices("regiomech") == []
    iid = post_csv(reporting, h, MIXED).json()["id"]
    assert reporting.get(f"/api/v1/invoices/{iid}?limit=0", headers=h).status_code == 422
    assert reporting.get(f"/api/v1/invoices/{iid}?offset=-1", headers=h).status_code == 422
