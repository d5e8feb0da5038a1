"""schemathesis against both OpenAPI documents, authenticated: no 5xx and no schema violations."""
from __future__ import annotations

import pytest
import schemathesis
import schemathesis.checks as checks
from hypothesis import HealthCheck, given, settings
from litestar.testing import TestClient

from shared.config import load_settings

CASES = {"count": 0}
# 5xx, response bodies that break their schema, wrong content types. Domain rules may refuse a schema-valid
# request (422 with a German message), so positive_data_acceptance is not asked for.
CHECKS = [checks.not_a_server_error, checks.response_schema_conformance, checks.content_type_conformance]
EXCLUDED = [checks.positive_data_acceptance, checks.status_code_conformance, checks.negative_data_rejection,
            checks.missing_required_header, checks.unsupported_method, checks.ignored_auth,
            checks.use_after_free, checks.ensure_resource_availability]


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    from services.reporting.app import create_app as reporting_app
    from services.supervision.app import create_app as supervision_app
    from shared.portal import open_portal

    s = load_settings({"AMI_DATA_DIR": str(tmp_path_factory.mktemp("st"))})
    portal = open_portal(s)
    prov = portal.supervision.issue_token("provider", "regiomech", "st", "test")
    sup = portal.supervision.issue_token("admin", None, "st", "test")
    rep_app, sup_app = reporting_app(s, portal=portal), supervision_app(s, portal=portal)
    with TestClient(rep_app), TestClient(sup_app):  # run the lifespans
        yield {"reporting": (rep_app, prov), "supervision": (sup_app, sup)}
    portal.close()


FAST = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)


def run_all(app, token: str) -> int:
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app)
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @FAST
        def call(case):
            CASES["count"] += 1
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS,
                                   excluded_checks=EXCLUDED)

        call()
        operations += 1
    return operations


@pytest.mark.parametrize("service", ["reporting", "supervision"])
def test_no_5xx_and_no_schema_violations(apps, service):
    app, token = apps[service]
    before = CASES["count"]
    assert run_all(app, token) >= 8
    assert CASES["count"] - before >= 50
    print(f"schemathesis {service}: {CASES['count'] - before} cases")
