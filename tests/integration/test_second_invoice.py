"""A second invoice for a month: the API keeps accepting it and names the existing one in `notices`; the page
asks first («als Korrektur hochladen?») and keeps the file until the answer."""
from __future__ import annotations

import pytest

from tests.integration.web_cases import CORRECTED, WITH_FINDINGS, csrf, login, upload

OTHER = WITH_FINDINGS.replace(b"Q-1;", b"Q-9;")


def test_the_api_accepts_a_second_invoice_and_names_the_first(reporting, tokens):
    auth = tokens("regiomech")
    first = reporting.post("/api/v1/invoices", content=WITH_FINDINGS, headers={**auth, "content-type": "text/csv"})
    assert first.status_code == 201
    assert all(n["code"] != "month_has_invoice" for n in first.json()["notices"])
    second = reporting.post("/api/v1/invoices", content=OTHER, headers={**auth, "content-type": "text/csv"})
    assert second.status_code == 201
    notice = [n for n in second.json()["notices"] if n["code"] == "month_has_invoice"]
    assert notice == [{**notice[0], "invoice_id": first.json()["id"], "version": 1, "severity": "info"}]
    assert notice[0]["message"].startswith("Für März 2025 besteht schon eine Rechnung (Version 1)")
    again = reporting.post("/api/v1/invoices", content=OTHER, headers={**auth, "content-type": "text/csv"})
    assert again.status_code == 200  # the same bytes: no question, no new invoice
    assert len(reporting.get("/api/v1/invoices?period=2025-03", headers=auth).json()) == 2


@pytest.mark.usefixtures("accounts")
def test_the_page_asks_and_stores_a_correction_as_version_2(reporting):
    login(reporting, "anna")
    r = upload(reporting, "/meldungen/rechnung", WITH_FINDINGS)
    first = r.headers["location"].split("/rechnungen/")[1].split("?")[0]
    r = upload(reporting, "/meldungen/rechnung", CORRECTED, filename="korrigiert.csv")
    assert r.status_code == 303 and r.headers["location"].startswith("/meldungen/rechnung/frage?t=")
    page = reporting.get(r.headers["location"])
    assert "Für März 2025 besteht schon eine Rechnung (Version 1) – als Korrektur hochladen?" in page.text
    assert "korrigiert.csv" in page.text and "nichts gespeichert" in page.text
    token = r.headers["location"].split("t=")[1]
    answer = reporting.post("/meldungen/rechnung/frage", data={"t": token, "als": first,
                                                               "_csrf_token": csrf(reporting)},
                            follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == f"/rechnungen/{first}?korrigiert=1"
    assert "Die Korrektur ist als Version 2 gespeichert" in reporting.get(answer.headers["location"]).text
    again = reporting.post("/meldungen/rechnung/frage", data={"t": token, "als": first,
                                                              "_csrf_token": csrf(reporting)})
    assert again.status_code == 410 and "nicht mehr bereitgehalten" in again.text  # answered once only


@pytest.mark.usefixtures("accounts")
def test_the_page_stores_a_further_invoice_when_asked_and_no_other_user_takes_the_file(reporting):
    login(reporting, "anna")
    upload(reporting, "/meldungen/rechnung", WITH_FINDINGS)
    r = upload(reporting, "/meldungen/rechnung", OTHER)
    location = r.headers["location"]
    token = location.split("t=")[1]
    reporting.post("/logout", data={"_csrf_token": csrf(reporting)})
    login(reporting, "otto")  # another provider's user: the file is not his
    assert reporting.get(location).status_code in (403, 410)
    reporting.post("/logout", data={"_csrf_token": csrf(reporting)})
    login(reporting, "anna")
    answer = reporting.post("/meldungen/rechnung/frage", data={"t": token, "als": "weitere",
                                                               "_csrf_token": csrf(reporting)},
                            follow_redirects=False)
    assert answer.status_code == 303 and "neu=1" in answer.headers["location"]
    months = reporting.get("/meldungen").text
    assert months.count('href="/rechnungen/') >= 2
