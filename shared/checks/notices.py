"""Notices about the whole document (domain-rules §4): `capacity_report_missing` and `late_submission`.

The checks put them on every line they concern (the API's contract keeps them there); an invoice shows each
once, with the rows it concerns: `invoice_notices` groups them, `line_findings` leaves them off a line.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from shared.checks.rules import CAPACITY_REPORT_MISSING, LATE_SUBMISSION, ORDER

DOCUMENT_NOTICES = frozenset({CAPACITY_REPORT_MISSING.code, LATE_SUBMISSION.code})


def is_notice(finding: Mapping) -> bool:
    return finding["code"] in DOCUMENT_NOTICES


def invoice_notices(lines: Iterable[Mapping]) -> list[dict]:
    """Each notice once — code, severity, rule, message, figures — with the rows it concerns, in the
    catalogue's order (the same message on several lines is one notice; another message is another)."""
    grouped: dict[tuple[str, str], dict] = {}
    for line in lines:
        for f in line["findings"]:
            if f["code"] in DOCUMENT_NOTICES:
                key = (f["code"], f["message"])
                notice = grouped.get(key)
                if notice is None:
                    notice = grouped[key] = {"code": f["code"], "severity": f["severity"], "rule": f["rule"],
                                             "message": f["message"], "figures": dict(f.get("figures", {})),
                                             "rows": []}
                notice["rows"].append(line["row"])
    return sorted(grouped.values(), key=lambda n: (ORDER[n["code"]], n["rows"][0]))


def first_rows(notices: Iterable[Mapping]) -> dict[tuple[str, str], int]:
    """(code, message) → the first row of each notice of `invoice_notices`: where a notice counts, once."""
    return {(n["code"], n["message"]): n["rows"][0] for n in notices}


def line_findings(line: Mapping) -> list:
    """A line's own findings: those about the whole document are shown once with the invoice."""
    return [f for f in line["findings"] if f["code"] not in DOCUMENT_NOTICES]


def has_own_findings(line: Mapping) -> bool:
    """Whether a line has a finding of its own (`line_findings` not empty), without building the list."""
    return any(f["code"] not in DOCUMENT_NOTICES for f in line["findings"])


def notice_rows(lines: Iterable[Mapping], notice: Mapping) -> list[int]:
    """The rows that carry this notice (the same code and message)."""
    return [line["row"] for line in lines
            if any(f["code"] == notice["code"] and f["message"] == notice["message"] for f in line["findings"])]
