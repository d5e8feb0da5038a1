"""Two invoices consuming the same Kostengutsprache at once never use more than it holds (issue 19, point 3):
parallel uploads through two portals on one PostgreSQL store (two service processes)."""
from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from shared.config import load_settings
from shared.kernel.money import ZERO
from shared.portal import open_portal
from shared.portal.reporting import Upload

pytestmark = pytest.mark.postgres

HEADER = "Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Leistung;Menge;Ansatz;Betrag"
KGS = ("Kostengutsprache;Sozialdienst;Teilnehmer;Programm;Gültig ab;Gültig bis;Menge;Betrag\n"
       "KGS-OL-2025-031;SD-OLTEN;S-0103;Beschäftigung I;01.01.2025;31.12.2025;30;\n")


def invoice(month: str) -> Upload:
    body = f"{HEADER}\n{month};S-0103;Beschäftigung I;Sozialhilfe;KGS-OL-2025-031;Einsatztag;20;35.00;700.00\n"
    body += f"{month};B-2;Qualifizierung;Selbstzahler;;Einsatztag;1;80.00;80.00\n"
    return Upload(body.encode(), "text/csv", f"{month}.csv")


def test_parallel_uploads_never_use_more_than_the_approval_holds(pg_database_url, tmp_path, clock):
    settings = load_settings({"AMI_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": pg_database_url})
    first = open_portal(settings, clock=clock)
    second = open_portal(settings, clock=clock)
    try:
        first.supervision.record_social_service({"code": "SD-OLTEN", "name": "Sozialdienst Olten",
                                                 "valid_from": "2020-01-01"}, "test")
        first.reporting.record_cost_approvals("regiomech", Upload(KGS.encode(), "text/csv", "kgs.csv"), "test")
        months = ["01.2025", "02.2025", "03.2025", "04.2025"]
        for month in months:  # the months exist: the parallel uploads meet only in the Kostengutsprachen
            first.reporting.submit_invoice("regiomech", Upload(
                f"{HEADER}\n{month};B-1;Qualifizierung;Selbstzahler;;Einsatztag;1;80.00;80.00\n".encode(),
                "text/csv", None), "test")
        barrier = threading.Barrier(len(months))
        results: dict[str, dict] = {}
        errors: list[BaseException] = []

        def send(portal, month: str) -> None:
            try:
                barrier.wait()
                results[month] = portal.reporting.submit_invoice("regiomech", invoice(month), "test").document
            except BaseException as exc:  # noqa: BLE001 (reported below)
                errors.append(exc)

        threads = [threading.Thread(target=send, args=(first if i % 2 else second, m)) for i, m in enumerate(months)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        days_allowed = sum((Decimal(r["lines"][0]["allowed"]) / Decimal("35.00") for r in results.values()), ZERO)
        assert days_allowed == Decimal(30)  # 20 + 10 + 0 + 0, in whatever order they won
        assert sorted(Decimal(r["lines"][0]["allowed"]) for r in results.values()) == [
            Decimal("0.00"), Decimal("0.00"), Decimal("350.00"), Decimal("700.00")]
        listed = second.reporting.cost_approvals("regiomech")[0]
        assert listed["used"]["quantity"] == "30" and listed["remaining"]["quantity"] == "0"
    finally:
        first.close()
        second.close()
