"""Both services' OpenAPI documents (/schema/openapi.json) as a provider's developer reads them: bearer security
on every guarded operation and on no public one, upload bodies in all four formats with the spec's example,
German summaries and descriptions, real examples (no generated filler), tags per audience; paths unchanged."""
from __future__ import annotations

import json
import re

import pytest
from litestar.testing import TestClient

from shared.config import load_settings

AUDIENCES = {"Anbieter", "Aufsicht", "Finanzen", "Öffentlich", "Betrieb"}
UPLOADS = ["/api/v1/invoices", "/api/v1/invoices/{invoice_id}/versions", "/api/v1/capacity-reports",
           "/api/v1/capacity-reports/{report_id}/versions"]
ENGLISH = re.compile(r"\b(the|and|of|with|every|upload|invoice)\b")
GERMAN = re.compile(r"[äöüÄÖÜß]|\b(der|die|das|den|dem|und|eine?|eines|einer|mit|für|je|als|des|im|von|nach|alle)\b")


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    from services.reporting.app import create_app as reporting_app
    from services.supervision.app import create_app as supervision_app

    settings = load_settings({"AMI_DATA_DIR": str(tmp_path_factory.mktemp("oa"))})
    out = {}
    for name, make in (("reporting", reporting_app), ("supervision", supervision_app)):
        with TestClient(make(settings)) as client:
            r = client.get("/schema/openapi.json")
            assert r.status_code == 200
            out[name] = r.json()
    return out


def _operations(doc):
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield method.upper(), path, op


def test_bearer_security_is_declared_on_every_protected_operation(documents):
    for name, doc in documents.items():
        assert doc["components"]["securitySchemes"]["bearer"] == {
            "type": "http", "scheme": "bearer", "bearerFormat": "ami_…",
            "description": "API-Token aus `ami token create`: `Authorization: Bearer TOKEN`"}
        for method, path, op in _operations(doc):
            public = path == "/health" or path.startswith("/api/v1/public/")
            assert ("security" in op) != public, (name, method, path)
            if not public:
                assert op["security"] == [{"bearer": []}], (method, path)


def test_uploads_document_their_bodies_with_the_spec_example(documents):
    ops = documents["reporting"]["paths"]
    for path in UPLOADS:
        body = ops[path]["post"]["requestBody"]
        assert set(body["content"]) == {"text/csv", "application/json", "multipart/form-data",
                                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        assert body["content"]["multipart/form-data"]["schema"]["properties"]["file"]["format"] == "binary"
        csv_example = body["content"]["text/csv"]["examples"]["beispiel"]["value"]
        assert csv_example.startswith("Monat;")
        assert "period" in body["content"]["application/json"]["examples"]["beispiel"]["value"]
    invoice_csv = ops["/api/v1/invoices"]["post"]["requestBody"]["content"]["text/csv"]["examples"]["beispiel"]
    assert "03.2025;S-0103;Beschäftigung I;Sozialhilfe;KGS-OL-2025-031;;;;Einsatztag;21,7;35.00;759.50" in \
        invoice_csv["value"]
    answers = ops["/api/v1/invoices"]["post"]["responses"]
    created = answers["201"]["content"]["application/json"]["examples"]["beispiel"]["value"]
    assert created["totals"] == {"claimed": "1759.50", "allowed": "1759.50", "reduction": "0.00"}
    errors = answers["422"]["content"]["application/json"]["examples"]["beispiel"]["value"]["errors"]
    assert errors[0] == {"row": 3, "column": "Menge", "value": "zwei", "message": "Menge «zwei» ist keine Zahl"}


def test_operations_are_described_in_german_and_tagged_by_audience(documents):
    for name, doc in documents.items():
        assert {t["name"] for t in doc["tags"]} == AUDIENCES
        for method, path, op in _operations(doc):
            where = (name, method, path)
            assert len(op["tags"]) == 1 and op["tags"][0] in AUDIENCES, where
            assert op["summary"] and not re.fullmatch(r"(?:[A-Z][a-z]+){2,}", op["summary"]), where  # not «SubmitInvoice»
            text = f"{op['summary']} {op['description']}"
            assert GERMAN.search(text) and not ENGLISH.search(text), where
    supervision = documents["supervision"]["paths"]
    assert supervision["/api/v1/funding"]["get"]["tags"] == ["Finanzen"]
    assert supervision["/api/v1/reconciliation.pdf"]["get"]["tags"] == ["Finanzen"]
    assert supervision["/api/v1/public/offerings"]["get"]["tags"] == ["Öffentlich"]
    assert supervision["/api/v1/overview"]["get"]["tags"] == ["Aufsicht"]
    assert {op["tags"][0] for _m, p, op in _operations(documents["reporting"]) if p.startswith("/api/")} == {"Anbieter"}


def test_no_generated_filler_examples_and_the_contract_paths_stay(documents):
    for doc in documents.values():
        text = json.dumps(doc, ensure_ascii=False)
        assert not re.search(r"https?://www\.[a-z-]+\.(com|net|org|info|biz)/", text)  # Faker's URLs
        for _method, _path, op in _operations(doc):
            for response in op["responses"].values():
                for media in (response.get("content") or {}).values():
                    assert "examples" not in media.get("schema", {}), "generated schema examples"
    for path in ("/api/v1/invoices", "/api/v1/invoices/{invoice_id}", "/api/v1/invoices/{invoice_id}/versions",
                 "/api/v1/invoices/{invoice_id}/history", "/api/v1/capacity-reports"):
        assert path in documents["reporting"]["paths"], path
    for path in ("/api/v1/overview", "/api/v1/findings/{invoice_id}/{row}/{code}/review", "/api/v1/fee-waivers",
                 "/api/v1/funding", "/api/v1/invoices/{invoice_id}/audit.pdf", "/api/v1/providers/{slug}/report.pdf",
                 "/api/v1/public/offerings", "/api/v1/public/decision-tree", "/api/v1/evaluations"):
        assert path in documents["supervision"]["paths"], path
