"""What a supervisor's decisions mean for an invoice as shown: status, and each finding's review."""
from __future__ import annotations

from shared.aggregates.review import InvoiceReview

DECISIONS = ("confirmed", "waived")
STATUS_DE = {"checked": "geprüft", "approved": "freigegeben", "returned": "zur Korrektur zurückgewiesen",
             "changed_since_approval": "geändert seit Freigabe"}


def status(version: int, review: InvoiceReview | None) -> str:
    if review is None:
        return "checked"
    if review.approved_version is not None:
        return "approved" if review.approved_version == version else "changed_since_approval"
    if review.returned and review.returned["version"] == version:
        return "returned"
    return "checked"


def apply_review(view: dict, review: InvoiceReview | None) -> dict:
    """The invoice view with its status and every finding's decision; open findings are those undecided."""
    view = dict(view)
    view["status"] = status(view["version"], review)
    if review and review.returned:
        view["returned_reason"] = review.returned_reason
    if "lines" in view:
        lines = []
        for line in view["lines"]:
            findings = []
            for f in line["findings"]:
                decided = review.decision(line["row"], f["code"]) if review else None
                findings.append({**f, "review": decided} if decided else f)
            lines.append({**line, "findings": findings})
        view["lines"] = lines
    return view


def open_findings(result: dict, review: InvoiceReview | None) -> int:
    return sum(1 for line in result["lines"] for f in line["findings"]
               if not (review and review.decision(line["row"], f["code"])))
