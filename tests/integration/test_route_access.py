"""Every API route of both services, enumerated from the apps' route tables (a new route is covered at once):
without a token 401; with another provider's token no data of the provider it belongs to. The public routes
under /api/v1/public/ are the exception by design (test_public_api.py)."""
from __future__ import annotations

import re

import pytest

HEADER = "Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Leistung;Menge;Ansatz;Betrag"
BODY = (HEADER + "\n03.2025;SECRET-77;Qualifizierung;Selbstzahler;;Einsatztag;23;85.00;1955.00\n").encode()


PUBLIC = "/api/v1/public/"  # the finder and the decision tool: no login, no personal data (test_public_api.py)


def api_routes(app):
    for route in app.routes:
        if not route.path.startswith("/api/") or route.path.startswith(PUBLIC):
            continue
        for method in sorted(getattr(route, "methods", set()) - {"OPTIONS", "HEAD"}):
            yield method, route.path


def fill(path: str, values: dict) -> str:
    def repl(m):
        name = m.group(1)
        return str(values.get(name, "x"))

    return re.sub(r"\{(\w+)(?::\w+)?\}", repl, path)


@pytest.fixture
def owned(reporting, tokens):
    h = tokens("regiomech")
    inv = reporting.post("/api/v1/invoices", content=BODY, headers={**h, "Content-Type": "text/csv"}).json()
    rep = reporting.post("/api/v1/capacity-reports",
                         content="Monat;Programm;Plätze;Belegt;Eintritte;Austritte\n03.2025;Qualifizierung;5;4;0;0\n".encode(),
                         headers={**h, "Content-Type": "text/csv"}).json()
    return {"invoice_id": inv["id"], "report_id": rep["id"], "slug": "regiomech", "row": 2,
            "code": "tariff_above_max", "code_": "x", "valid_from": "2024-01-01", "id": inv["id"],
            "waiver_id": inv["id"]}


def test_every_api_route_refuses_a_missing_token(reporting, supervision, owned):
    count = 0
    for client in (reporting, supervision):
        for method, path in api_routes(client.app):
            r = client.request(method, fill(path, owned), content=b"{}", headers={"Content-Type": "application/json"})
            assert r.status_code == 401, (method, path, r.status_code)
            count += 1
    assert count >= 20


def test_no_route_shows_a_provider_another_providers_data(reporting, supervision, owned, tokens):
    foreign = tokens("oltech")
    covered = 0
    for client in (reporting, supervision):
        for method, path in api_routes(client.app):
            url = fill(path, owned)
            own_body = BODY.replace(b"SECRET-77", b"OTHER-1")
            r = client.request(method, url, content=own_body, headers={**foreign, "Content-Type": "text/csv"})
            covered += 1
            if client is supervision:
                assert r.status_code in (401, 403), (method, path, r.status_code)
                continue
            assert b"SECRET-77" not in r.content, (method, path)
            assert owned["invoice_id"] not in r.text and owned["report_id"] not in r.text, (method, path)
            if "{" in path:
                assert r.status_code in (404, 405, 422), (method, path, r.status_code)
    assert covered >= 20
