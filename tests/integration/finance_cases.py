"""The finance tests' cases and helpers: the brochure's Herr B. and Frau A. (domain-rules §6) uploaded through
the API, invoices as JSON, the funding report, a client of the finance page with a login."""
from __future__ import annotations

import json

SOURCES = ("social_service", "canton_subsidy", "fee_waiver", "participant", "federal_integration_credit",
           "other")

# Herr B. (domain-rules §6): Qualifizierung at 80.00, entry 25.11.2024 (5 working days left in the month),
# two full months, exit 21.02.2025 (15 working days from the month's start).
HERR_B = [
    ("2024-11", "5", "400.00", {"entry_date": "2024-11-25"}),
    ("2024-12", "21.7", "1736.00", {"entry_date": "2024-11-25"}),
    ("2025-01", "21.7", "1736.00", {"entry_date": "2024-11-25"}),
    ("2025-02", "15", "1200.00", {"entry_date": "2024-11-25", "exit_date": "2025-02-21",
                                  "exit_reason": "regular_end"}),
]
FRAU_A = [("2024-11", "3", "600.00"), ("2024-12", "1", "200.00"), ("2025-01", "2", "400.00")]


def post_json(client, headers, body: dict, path="/api/v1/invoices"):
    return client.post(path, content=json.dumps(body),
                       headers={**headers, "Content-Type": "application/json"})


def invoice(period: str, *lines: dict) -> dict:
    return {"period": period, "lines": list(lines)}


def line(participant: str, programme: str, unit: str, quantity: str, price: str, amount: str,
         funding: str = "self_payer", **extra) -> dict:
    return {"participant": participant, "programme": programme, "funding": funding, "unit": unit,
            "quantity": quantity, "unit_price": price, "amount": amount, **extra}


CSV_HEADER = ("Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Eintritt;Austritt;Austrittsgrund;"
              "Leistung;Menge;Ansatz;Betrag")


def swiss_date(iso: str | None) -> str:
    return ".".join(reversed(iso.split("-"))) if iso else ""


def upload_herr_b(reporting, tokens, provider="regiomech"):
    """Four monthly invoices as Swiss Excel writes them (CSV, semicolons, decimal comma)."""
    h = tokens(provider)
    for period, days, amount, dates in HERR_B:
        year, month = period.split("-")
        reason = "Regulärer Abschluss" if "exit_date" in dates else ""
        row = (f"{month}.{year};B-0017;Qualifizierung;Selbstzahler;;{swiss_date(dates.get('entry_date'))};"
               f"{swiss_date(dates.get('exit_date'))};{reason};Einsatztag;{days.replace('.', ',')};80.00;"
               f"{amount}")
        r = reporting.post("/api/v1/invoices", content=f"{CSV_HEADER}\r\n{row}\r\n".encode("cp1252"),
                           headers={**h, "Content-Type": "text/csv"})
        assert r.status_code == 201, r.text
        assert r.json()["totals"]["allowed"] == amount, r.json()


def upload_frau_a(reporting, tokens, provider="oltech"):
    h = tokens(provider)
    for period, hours, amount in FRAU_A:
        a = line("A-0042", "coaching", "coaching_hour", hours, "200.00", amount)
        r = post_json(reporting, h, invoice(period, a))
        assert r.status_code == 201, r.text
        assert r.json()["totals"]["allowed"] == amount, r.json()


def funding(client, headers, **query):
    r = client.get("/api/v1/funding", params=query, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def row_of(report: dict, provider: str) -> dict:
    return next(p for p in report["providers"] if p["provider"] == provider)


def waiver_body(**over) -> dict:
    return {"provider": "regiomech", "participant": "B-0017", "valid_from": "2024-11-25",
            "valid_to": "2025-02-28", "monthly_contribution": "50.00", **over}


def finance_pages_client(portal, settings):
    """The supervision service's finance page with the login pages (mounted here on their own, so the test
    does not depend on how the service's page routers are wired)."""
    from litestar.testing import TestClient

    from services.common import login_pages
    from services.common.base import build_app
    from services.common.page_errors import page_router
    from services.supervision import finance_page

    pages = page_router([*login_pages.HANDLERS, *finance_page.HANDLERS])
    app = build_app(service="supervision", title="t", description="t", route_handlers=[pages],
                    settings=settings, portal=portal)
    return TestClient(app)


def log_in(client, portal, username: str, role: str) -> dict:
    portal.supervision.create_account(username, "ein-langes-passwort-123", role, None, "test")
    client.get("/login")
    csrf = {"x-csrf-token": client.cookies.get("ami_csrf")}
    r = client.post("/login", data={"username": username, "password": "ein-langes-passwort-123"},
                    headers=csrf, follow_redirects=False)
    assert r.status_code == 303, r.text
    return csrf


def upload_social_assistance(reporting, supervision, tokens) -> None:
    """Two social services in the register, two of regiomech's Kostengutsprachen with SD-OLTEN, and January 2025:
    S-1 and S-2 under those (1,109.50), S-3 under a reference nobody recorded (500.00), V-1 on ALV/IV (800.00)."""
    h = tokens("regiomech")
    r = supervision.post("/api/v1/social-services", headers=tokens(role="admin"), content=(
        "Code;Name;Gültig ab\nSD-OLTEN;Sozialdienst Olten;2020-01-01\nSD-GRENCHEN;Sozialregion Grenchen;2020-01-01\n"
    ).encode())
    assert r.status_code == 201, r.text
    kgs = ("Kostengutsprache;Sozialdienst;Teilnehmer;Programm;Gültig ab;Gültig bis\n"
           "KGS-OL-2025-031;SD-OLTEN;S-1;Beschäftigung I;01.01.2025;31.12.2025\n"
           "KGS-OL-2025-044;SD-OLTEN;S-2;Beschäftigung I;01.01.2025;31.12.2025\n")
    r = reporting.post("/api/v1/cost-approvals", content=kgs.encode(), headers={**h, "Content-Type": "text/csv"})
    assert r.status_code == 201, r.text
    body = invoice("2025-01",
                   line("S-1", "beschaeftigung-1", "assignment_day", "21.7", "35.00", "759.50",
                        funding="social_assistance", cost_approval="KGS-OL-2025-031"),
                   line("S-2", "beschaeftigung-1", "assignment_day", "10", "35.00", "350.00",
                        funding="social_assistance", cost_approval="KGS-OL-2025-044"),
                   line("S-3", "integration-arbeit", "coaching_hour", "2", "250.00", "500.00",
                        funding="social_assistance", cost_approval="KGS-GR-7"),
                   line("V-1", "qualifizierung", "assignment_day", "10", "80.00", "800.00", funding="alv_iv"))
    assert post_json(reporting, h, body).status_code == 201, "the January invoice"
