"""Issue 16: a request never replays more than the one document it shows; every other figure comes from the views.

Every GET route of both services (pages, API, exports), asked by each role, on two demo providers' first quarter:
the aggregates each request replays are counted where events become domain events (the mapper). Of the
documents (invoices, capacity reports, provider-months and ledgers, reviews) at most one of each kind; the
register's own aggregates (providers, offerings, accounts, rules) are small and not counted. No route answers
500. The documents made for proof (PDFs, a month's ZIP) read each aggregate they prove at the signed
checkpoint's version (shared.presentation.pdf.snapshot) and are left out here."""
from __future__ import annotations

import re
from collections import defaultdict

import pytest
from litestar.testing import TestClient

from services.demo.generator import run_demo
from services.reporting.app import create_app as reporting_app
from services.supervision.app import create_app as supervision_app
from shared.readmodels.document_lists import capacity_report_list, invoice_list
from tests.integration.web_cases import login

DOCUMENTS = {"Invoice", "CapacityReport", "ProviderMonth", "ProviderLedger", "InvoiceReview"}
PROVED = (".pdf", ".zip", "{document:str}")  # PDFs and ZIPs: read at the checkpoint's versions, with proofs
SKIPPED = ("/static", "/schema", "/health", "/favicon.ico", "/login")
QUERIES = {"/api/v1/overview": "?period=2025-03", "/api/v1/funding": "?year=2025",
           "/api/v1/funding/export.csv": "?year=2025", "/api/v1/funding/export.xlsx": "?year=2025",
           "/api/v1/reconciliation": "?year=2025", "/api/v1/public/offerings": "?programme=coaching&plz=4500&radius_km=50"}

NOTHING_TO_SHOW = {  # a route missing here was asked with values that show nothing: give it some in `values`
    "/api/v1/providers/{slug:str}/agreements/{valid_from:str}/history": {404},  # the demo concludes no agreement
    "/register/{slug:str}/vereinbarungen/{valid_from:str}/verlauf": {404},
    "/meldungen/rechnung/frage": {410},  # the question about an upload: none is waiting
}


@pytest.fixture
def replayed(monkeypatch):
    """The (aggregate id, class) of every event turned into a domain event since the last clear()."""
    import eventsourcing.persistence as persistence

    seen: list[tuple[str, str]] = []
    to_domain_event = persistence.Mapper.to_domain_event

    def counting(self, stored):
        seen.append((str(stored.originator_id), stored.topic.split(":")[1].split(".")[0]))
        return to_domain_event(self, stored)

    monkeypatch.setattr(persistence.Mapper, "to_domain_event", counting)
    return seen


def get_routes(app) -> list[str]:
    return sorted({route.path for route in app.routes if "GET" in getattr(route, "methods", ())
                   and not route.path.startswith(SKIPPED) and not route.path.endswith(PROVED)})


def fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+):\w+\}", lambda m: values[m.group(1)], path)


def test_no_page_api_or_export_replays_more_than_the_one_document_it_shows(portal, settings, accounts, tokens,
                                                                           replayed):
    run_demo(portal, providers=["regiomech", "innopark"], months=[1, 2, 3], workers=1)
    invoice = next(i for i in reversed(invoice_list(portal, "regiomech")) if i["notices"] or i["version"] > 1)
    report = capacity_report_list(portal, "regiomech")[-1]
    offering = portal.supervision.offerings("regiomech")[0]
    edition = portal.supervision.editions()[0]  # (the demo concludes no service agreement: theirs answer 404)
    values = {"invoice_id": invoice["id"], "report_id": report["id"], "slug": "regiomech",
              "period": invoice["period"], "kind": "rechnung.csv", "code": offering.code,
              "valid_from": edition.valid_from, "waiver_id": str(portal.supervision.fee_waivers("regiomech")[0].id)}
    too_many: dict[str, dict] = {}
    answered: dict[str, set[int]] = defaultdict(set)
    for make, user, token in ((reporting_app, "anna", tokens("regiomech")),
                              (supervision_app, "sara", tokens(role="supervisor")),
                              (supervision_app, "fina", tokens(role="finance"))):
        with TestClient(make(settings, portal=portal)) as client:
            assert login(client, user).status_code == 303
            for route in get_routes(client.app):
                path = fill(route, values) + QUERIES.get(route, "")
                replayed.clear()
                r = client.get(path, headers=token if path.startswith("/api/") else {})
                assert r.status_code < 500, (user, path, r.text[:300])
                answered[route].add(r.status_code)
                kinds: dict[str, set[str]] = defaultdict(set)
                for aggregate, kind in replayed:
                    kinds[kind].add(aggregate)
                documents = {k: len(ids) for k, ids in kinds.items() if k in DOCUMENTS and len(ids) > 1}
                if documents:
                    too_many[f"{user} {path}"] = documents
    assert not too_many, too_many
    # the test asked for real things: every route answered 200 but those that have nothing to show here
    refused = {route: codes for route, codes in answered.items() if 200 not in codes}
    assert refused == NOTHING_TO_SHOW, refused
    assert len(answered) - len(refused) >= 55
