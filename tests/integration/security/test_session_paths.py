"""Pages whose path merely contains «/schema», «/health», «/api/» or «/static» keep their session (issue 14,
point 6): the session and CSRF exclusions are anchored at the start of the path, and no page or API answer
shows an exception's own text (it may name the server's internals)."""
from __future__ import annotations

import pytest
from litestar.exceptions import ImproperlyConfiguredException

from tests.integration.web_cases import PASSWORD, login

INTERNAL = "is not defined in scope"


@pytest.fixture
def people(portal):
    portal.supervision.create_account("anna", PASSWORD, "provider", "regiomech", "test")
    portal.supervision.create_account("sara", PASSWORD, "supervisor", None, "test")


@pytest.mark.parametrize("path", ["/anbieter/schema", "/anbieter/health", "/anbieter/api/x", "/anbieter/static",
                                  "/rechnungen/schema/openapi.json", "/register/health", "/x/static/y"])
def test_a_page_path_with_a_reserved_word_is_a_page_or_a_german_404(supervision, people, path):
    assert login(supervision, "sara").status_code == 303
    r = supervision.get(path)
    assert r.status_code in (200, 404), r.text[:300]
    assert "SessionMiddleware" not in r.text and INTERNAL not in r.text
    assert "<html" in r.text


@pytest.mark.parametrize("path", ["/meldungen/schema", "/rechnungen/health", "/x/api/y"])
def test_the_same_on_the_provider_pages(reporting, people, path):
    assert login(reporting, "anna").status_code == 303
    r = reporting.get(path)
    assert r.status_code in (200, 404), r.text[:300]
    assert "SessionMiddleware" not in r.text


def test_the_provider_register_of_a_provider_named_schema_is_a_german_404(supervision, people):
    assert login(supervision, "sara").status_code == 303
    r = supervision.get("/register/schema")
    assert r.status_code == 404 and "Nicht gefunden" in r.text


def test_schema_health_static_and_the_api_stay_without_session(supervision, tokens):
    for path in ("/schema/openapi.json", "/health", "/static/swagger/init.js"):
        r = supervision.get(path)
        assert r.status_code == 200, path
        assert "ami_session" not in r.headers.get("set-cookie", "")
    r = supervision.get("/api/v1/providers", headers=tokens(role="supervisor"))
    assert r.status_code == 200 and "ami_session" not in r.headers.get("set-cookie", "")


def test_an_internal_error_shows_no_internal_text(supervision, people, tokens, monkeypatch):
    import services.supervision.dashboard_page as page

    def broken(*_, **__):
        raise ImproperlyConfiguredException("'session' is not defined in scope, install a SessionMiddleware")

    monkeypatch.setattr(page, "dashboard_view", broken)
    assert login(supervision, "sara").status_code == 303
    r = supervision.get("/dashboard?jahr=2025")
    assert r.status_code == 500 and "Interner Fehler" in r.text and INTERNAL not in r.text
    monkeypatch.setattr("shared.readmodels.queries.Views.overview", broken)
    r = supervision.get("/api/v1/overview?period=2025-03", headers=tokens(role="supervisor"))
    assert r.status_code == 500 and INTERNAL not in r.text and "Interner Fehler" in r.json()["detail"]
