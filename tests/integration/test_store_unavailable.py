"""A store that is busy or away is answered 503 with Retry-After (never 500), and nothing is stored."""
from __future__ import annotations

import pytest
from eventsourcing.persistence import OperationalError
from psycopg_pool import PoolTimeout

HEADER = "Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Leistung;Menge;Ansatz;Betrag"
BODY = (HEADER + "\n03.2025;Q-1;Qualifizierung;Selbstzahler;;Einsatztag;20;80.00;1600.00\n").encode()


@pytest.mark.parametrize("error", [OperationalError("server closed the connection"),
                                   PoolTimeout("couldn't get a connection after 2.00 sec")])
def test_an_unreachable_store_is_a_503_with_retry_after(reporting, portal, tokens, monkeypatch, error):
    headers = {**tokens("regiomech"), "Content-Type": "text/csv"}

    def away(*_a, **_k):
        raise error

    monkeypatch.setattr(portal.reporting, "save", away)
    r = reporting.post("/api/v1/invoices", content=BODY, headers=headers)
    assert r.status_code == 503 and r.headers["retry-after"] == "30"
    assert "nichts gespeichert" in r.json()["detail"]
    monkeypatch.undo()
    assert portal.reporting.invoices("regiomech") == []
    assert reporting.post("/api/v1/invoices", content=BODY, headers=headers).status_code == 201
