"""Every address a person may type answers in German: 404/405 pages on both services, JSON only for machines
(/api, with a German detail), a favicon, the skip link."""
from __future__ import annotations

import pytest


@pytest.fixture(params=["reporting", "supervision"])
def client(request, backend):
    return request.getfixturevalue(request.param)


def test_an_unknown_page_is_a_german_page_not_json(client):
    r = client.get("/gibtsnicht")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "Nicht gefunden" in r.text and "Zum Inhalt" in r.text
    assert '"detail"' not in r.text


def test_a_wrong_method_is_a_german_page_with_allow(client):
    r = client.get("/logout")  # a form's address, opened directly
    assert r.status_code == 405
    assert r.headers["content-type"].startswith("text/html")
    assert "Nicht möglich" in r.text
    assert "POST" in r.headers.get("allow", "")


def test_an_unknown_api_address_stays_json_with_a_german_detail(client):
    r = client.get("/api/v1/gibtsnicht")
    assert r.status_code == 404
    assert r.json() == {"detail": "Nicht gefunden."}
    r = client.delete("/health")
    assert r.status_code == 405
    assert r.json()["detail"] == "Diese Methode ist für diese Adresse nicht erlaubt."


def test_favicon_and_skip_link(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    page = client.get("/login").text
    assert '<a class="skip-link" href="#inhalt">Zum Inhalt</a>' in page
    assert '<main id="inhalt"' in page and 'rel="icon"' in page
