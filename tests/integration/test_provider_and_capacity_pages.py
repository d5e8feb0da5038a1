"""A supervisor's provider page by year and page, a capacity report's detail, providers in alphabetical order."""
from __future__ import annotations

from shared.readmodels.provider_view import provider_file
from tests.integration.test_page_reads import FEBRUARY, submit
from tests.integration.web_cases import WITH_FINDINGS, login, upload

CAPACITY = "Monat;Programm;Plätze;Belegt;Eintritte;Austritte\n03.2025;Qualifizierung;12;10;2;1\n".encode()


def test_the_providers_findings_come_in_pages_and_a_year_can_be_chosen(portal):
    submit(portal, FEBRUARY), submit(portal, WITH_FINDINGS)
    first = provider_file(portal, "regiomech", page_size=4)
    assert (first["page"], first["pages"], first["findings_total"], len(first["findings"])) == (1, 3, 9, 4)
    last = provider_file(portal, "regiomech", page=3, page_size=4)
    assert len(last["findings"]) == 1 and last["findings"][0] not in first["findings"]
    assert provider_file(portal, "regiomech", page=99, page_size=4)["page"] == 3
    assert first["years"] == [2025]
    other = provider_file(portal, "regiomech", year=2024)
    assert other["months"] == [] and other["findings_total"] == 0 and other["year"] == 2024


def test_capacity_report_detail_and_the_provider_page_by_year(reporting, supervision, accounts):
    login(reporting, "anna")
    r = upload(reporting, "/meldungen/kapazitaet", CAPACITY, "kapazitaet.csv")
    report_id = r.headers["location"].split("/kapazitaetsmeldungen/")[1].split("?")[0]
    login(supervision, "sara")
    provider = supervision.get("/anbieter/regiomech?jahr=2025").text
    assert f'href="/kapazitaetsmeldungen/{report_id}"' in provider and "Jahresbericht 2025 (PDF)" in provider
    assert "jahresbericht.pdf?jahr=2025" in provider
    page = supervision.get(f"/kapazitaetsmeldungen/{report_id}")
    assert page.status_code == 200 and "Kapazitätsmeldung März 2025 · Genossenschaft Regiomech" in page.text
    assert ">12<" in page.text and "Korrektur hochladen" not in page.text
    assert supervision.get("/kapazitaetsmeldungen/00000000-0000-0000-0000-000000000000").status_code == 404


def test_the_dashboard_lists_providers_alphabetically(supervision, accounts):
    import re

    login(supervision, "sara")
    page = supervision.get("/dashboard").text
    amounts = page.split('class="amounts"')[1].split("</tbody>")[0]
    names = re.findall(r'data-label="Anbieter"><a href="/anbieter/[^"]+">([^<]+)</a>', amounts)
    assert len(names) > 20 and names == sorted(names, key=str.casefold)


def test_search_finds_providers_invoices_and_a_participant_by_pseudonym(reporting, supervision, accounts,
                                                                        portal, settings):
    from tests.integration.web_cases import form, submit_invoice

    login(reporting, "anna")
    iid = submit_invoice(reporting)  # bills
    login(supervision, "sara")
    found = supervision.get("/suche?q=regio").text
    assert 'href="/anbieter/regiomech"' in found
    assert f'href="/rechnungen/{iid}"' in supervision.get(f"/suche?q={iid[:8]}").text
    assert "Nichts gefunden" in supervision.get("/suche?q=gibtsnicht").text
    r = form(supervision, "/suche/teilnehmer", nummer="Q-1")
    assert r.status_code == 303 and "Q-1" not in r.headers["location"]
    page = supervision.get(r.headers["location"]).text
    assert f'href="/rechnungen/{iid}"' in page and "(1)" in page
    form(supervision, "/suche/teilnehmer", nummer="Q-999")
    assert "Keine Rechnung verrechnet" in supervision.get("/suche?teilnehmer=1").text
    # a number typed into the first field: nothing found there, one click searches it as a participant (posted)
    typed = supervision.get("/suche?q=Q-1").text
    offer = typed.split('class="search-instead"')[1].split("</div>")[0]
    assert '<input type="hidden" name="nummer" value="Q-1">' in offer and 'action="/suche/teilnehmer"' in offer
    assert '<input type="hidden" name="referenz" value="Q-1">' in offer
    assert 'class="search-instead"' not in found  # a provider found: no offer
    # the read model holds pseudonyms only
    portal.views.catch_up()
    stored = [r[0] for r in portal.views.rows("SELECT subject FROM participant_invoices")]
    assert stored and all(s.startswith("p:") for s in stored) and "Q-1" not in stored


def test_the_dashboards_amounts_sort_by_a_column_and_the_grid_stays_alphabetical(
        reporting, supervision, accounts):
    import re

    from tests.integration.web_cases import submit_invoice

    login(reporting, "anna")
    submit_invoice(reporting)  # Regiomech bills March
    login(supervision, "sara")
    page = supervision.get("/dashboard?jahr=2025&monat=2025-03&sortierung=verrechnet&richtung=ab").text
    amounts = page.split('class="amounts"')[1].split("</tbody>")[0]
    names = re.findall(r'data-label="Anbieter"><a href="/anbieter/[^"]+">([^<]+)</a>', amounts)
    assert names[0] == "Genossenschaft Regiomech" and 'aria-sort="descending"' in page
    grid = page.split('class="grid-table"')[1].split("</tbody>")[0]
    listed = re.findall(r'<th scope="row" class="prov"><a href="/anbieter/[^"]+">([^<]+)</a>', grid)
    assert listed == sorted(listed, key=str.casefold)


def test_search_finds_the_invoices_naming_a_kostengutsprache(reporting, supervision, accounts,
                                                               portal):
    from tests.integration.web_cases import HEADER, form, submit_invoice

    login(reporting, "anna")
    body = (HEADER + "\n03.2025;S-1;Qualifizierung;Sozialhilfe;KGS-2540-2025-001;;;;Einsatztag;5;80.00;400.00\n"
            "03.2025;S-2;Qualifizierung;Sozialhilfe;KGS-2540-2025-002;;;;Einsatztag;5;80.00;400.00\n").encode()
    iid = submit_invoice(reporting, body)
    login(supervision, "sara")
    r = form(supervision, "/suche/teilnehmer", referenz=" KGS-2540-2025-001 ")
    assert r.status_code == 303 and "KGS" not in r.headers["location"]
    page = supervision.get(r.headers["location"]).text
    assert f'href="/rechnungen/{iid}"' in page and "Rechnungen mit der gesuchten Kostengutsprache" in page
    form(supervision, "/suche/teilnehmer", referenz="KGS-2540-2025-999")  # a near miss: no invoice names it
    assert "Keine Rechnung nennt diese Kostengutsprache" in supervision.get("/suche?kostengutsprache=1").text
    stored = [r[0] for r in portal.views.rows("SELECT reference_key FROM funding_lines")]
    assert stored and not any("KGS" in key for key in stored)  # pseudonyms only
