"""Billing checks of the AMI portal (domain-rules §3, §4): pure domain code, no web framework.

    checked = check_invoice(parsed, CheckContext(provider="regiomech", catalogue=catalogue))

`check_invoice` runs every check of the catalogue (`CATALOGUE`) over the invoice's lines and gives
each line its findings, its allowed amount and a German calculation trace.
"""
from shared.checks.engine import check_invoice, line_key
from shared.checks.findings import ERROR, WARNING, CheckContext, CheckedInvoice, CheckedLine, Finding
from shared.checks.offerings import offering_errors
from shared.checks.rules import CATALOGUE, RULES, CheckRule

__all__ = [
    "CATALOGUE",
    "ERROR",
    "RULES",
    "WARNING",
    "CheckContext",
    "CheckRule",
    "CheckedInvoice",
    "CheckedLine",
    "Finding",
    "check_invoice",
    "line_key",
    "offering_errors",
]
