"""offering_errors: a line naming an offering code the provider does not have (the intake's 422)."""
from __future__ import annotations

from shared.checks import offering_errors

from .factory import CATALOGUE, PROVIDER, invoice, line, offering

OFFERINGS = (offering("qualifizierung", "RM-Q1"), offering("qualifizierung", "RM-Q2"),
             offering("coaching", "RM-C1"), offering("qualifizierung", "OL-Q9", provider="oltech"))


def test_an_unknown_offering_code_is_a_format_issue_naming_row_column_and_code():
    parsed = invoice(line(2, offering="RM-Q1"), line(3, offering="RM-X7"))
    issues = offering_errors(parsed, OFFERINGS, PROVIDER)
    assert len(issues) == 1
    issue = issues[0]
    assert (issue.row, issue.column, issue.value) == (3, "Angebot", "RM-X7")
    assert "RM-X7" in issue.message and "RM-Q1" in issue.message and "RM-Q2" in issue.message
    assert issue.as_dict() == {"row": 3, "column": "Angebot", "value": "RM-X7", "message": issue.message}


def test_a_code_of_another_programme_type_or_provider_is_unknown():
    parsed = invoice(line(2, offering="RM-C1"), line(3, offering="OL-Q9"))
    issues = offering_errors(parsed, OFFERINGS, PROVIDER, CATALOGUE.programme_types)
    assert [(i.row, i.value) for i in issues] == [(2, "RM-C1"), (3, "OL-Q9")]
    assert "für die Programmart Qualifizierung nicht registriert" in issues[0].message  # its name, not its slug


def test_known_codes_and_lines_without_a_code_are_fine():
    parsed = invoice(line(2, offering="RM-Q1"), line(3, offering=" rm-q2 "), line(4),
                     line(5, programme="coaching", unit="coaching_hour", unit_price="200.00", quantity="1",
                          offering="RM-C1"))
    assert offering_errors(parsed, OFFERINGS, PROVIDER) == []


def test_a_provider_without_any_registered_offering_gets_warnings_not_errors():
    assert offering_errors(invoice(line(2, offering="RM-Q1")), (), PROVIDER) == []
