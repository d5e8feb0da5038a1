"""A capacity report's file name is sealed like an invoice's (issue 14, point 12): a file may be named after a
person, so the name is readable in the portal and never in the stored events."""
from __future__ import annotations

from uuid import UUID

from shared.portal.reporting import Upload

BODY = "Monat;Programm;Plätze;Belegt;Eintritte;Austritte\n03.2025;Qualifizierung;12;10;1;0\n".encode()


def test_a_capacity_reports_file_name_is_not_stored_in_clear(portal):
    rep = portal.reporting
    stored = rep.submit_capacity_report("regiomech", Upload(BODY, "text/csv", "Kapazitaet_Meier_Hans.csv"), "t")
    assert stored.document["filename"] == "Kapazitaet_Meier_Hans.csv"
    raw = b"".join(n.state for n in rep.recorder.select_notifications(1, 10_000))
    assert b"Meier" not in raw and b"Kapazitaet" not in raw
    report = rep.capacity_report("regiomech", UUID(stored.document["id"]))
    assert rep.capacity_report_view(report)["filename"] == "Kapazitaet_Meier_Hans.csv"
