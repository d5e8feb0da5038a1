"""The providers' help page: open without a login, every check explained with its anchor, the templates as
CSV and XLSX that the portal's own parsers read, and the findings of an invoice linking to their check."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from shared.checks.rules import CATALOGUE
from shared.register.domain.catalogue import load_default_catalogue
from shared.submissions.parsers import parse_capacity_report, parse_invoice
from tests.integration.web_cases import login, submit_invoice


def test_the_help_page_explains_every_check_and_every_field(reporting):
    page = reporting.get("/hilfe")
    assert page.status_code == 200
    for rule in CATALOGUE:
        assert f'id="regel-{rule.code}"' in page.text
    for header in ("Monat", "Teilnehmer", "Kostengutsprache", "Austrittsgrund", "Plätze", "Warteliste"):
        assert f"<strong>{header}</strong>" in page.text
    assert "21.7 × CHF 80.00 = CHF 1’736.00" in page.text  # the brochure's example
    assert "Frau A." in page.text and "Herr B." in page.text


@pytest.mark.parametrize("kind", ["rechnung", "kapazitaet"])
def test_the_templates_are_read_by_the_portal_s_own_parsers(reporting, kind):
    parse = parse_invoice if kind == "rechnung" else parse_capacity_report
    catalogue = load_default_catalogue()
    csv = reporting.get(f"/hilfe/vorlagen/{kind}.csv")
    assert csv.status_code == 200 and 'filename="vorlage-' in csv.headers["content-disposition"]
    assert csv.content.startswith(b"\xef\xbb\xbfMonat;")
    assert len(csv.content.decode("utf-8-sig").strip().splitlines()) == 2  # header and one example
    xlsx = reporting.get(f"/hilfe/vorlagen/{kind}.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.title == ("Rechnung" if kind == "rechnung" else "Kapazität")
    assert sheet.max_row == 2 and sheet["A1"].value == "Monat" and sheet["A2"].value == "03.2025"
    for body, filename in ((csv.content, "v.csv"), (xlsx.content, "v.xlsx")):
        parsed = parse(body, catalogue=catalogue, filename=filename)
        assert str(parsed.period) == "2025-03"
    assert reporting.get("/hilfe/vorlagen/anderes.csv").status_code == 404


@pytest.mark.usefixtures("accounts")
def test_each_finding_links_to_its_check_on_the_help_page(reporting):
    login(reporting, "anna")
    invoice_id = submit_invoice(reporting)
    page = reporting.get(f"/rechnungen/{invoice_id}").text
    links = set(re.findall(r'href="/hilfe#regel-([a-z_]+)"', page))
    assert "tariff_above_max" in links and "days_above_month" in links
    help_page = reporting.get("/hilfe").text
    assert all(f'id="regel-{code}"' in help_page for code in links)
    assert '<a href="/hilfe"' in page  # the layout links the help
