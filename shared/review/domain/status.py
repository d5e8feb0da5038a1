"""What a supervisor's decisions mean for an invoice as shown: status, and each finding's review."""
from __future__ import annotations

from shared.checks.notices import is_notice
from shared.review.domain.review import InvoiceReview

DECISIONS = ("confirmed", "waived")


def status(version: int, review: InvoiceReview | None) -> str:
    if review is None:
        return "checked"
    return status_of(version, review.approved_version, returned_version(review))


def returned_version(review: InvoiceReview) -> int | None:
    """The version the supervisor returned for correction (None: none)."""
    return review.returned["version"] if review.returned else None


def status_of(version: int, approved: int | None, returned: int | None) -> str:
    """The status of an invoice's `version` given the version approved and the version returned (None: none):
    approved (this version), changed_since_approval, returned (this version), checked."""
    if approved is not None:
        return "approved" if approved == version else "changed_since_approval"
    if returned is not None and returned == version:
        return "returned"
    return "checked"


def put_review_state(view: dict, approved: int | None, returned: int | None, reason: str | None) -> dict:
    """The invoice view's status for the versions approved and returned, and the reason of a return; the replay
    (apply_review) and the read model (document_lists) both put it on here."""
    view["status"] = status_of(view["version"], approved, returned)
    if returned is not None:
        view["returned_reason"] = reason
    return view


def apply_review(view: dict, review: InvoiceReview | None) -> dict:
    """The invoice view with its status and every finding's decision; open findings are those undecided."""
    view = dict(view)
    if review is None:  # nothing decided: every finding as it is (a 10,000-line invoice is not copied)
        return put_review_state(view, None, None, None)
    put_review_state(view, review.approved_version, returned_version(review), review.returned_reason)
    if "lines" in view:
        lines = []
        for line in view["lines"]:
            findings = []
            for f in line["findings"]:
                decided = review.decision(line["row"], f["code"]) if review else None
                findings.append({**f, "review": decided} if decided else f)
            lines.append({**line, "findings": findings})
        view["lines"] = lines
    if "notices" in view:  # a notice is decided on every row it concerns at once (review_finding)
        notices = []
        for n in view["notices"]:
            decided = review.decision(n["rows"][0], n["code"]) if review else None
            notices.append({**n, "review": decided} if decided else n)
        view["notices"] = notices
    return view


def finding_counts(view: dict) -> dict:
    """Errors, warnings and the findings no supervisor has decided on yet, over all lines; a notice about the
    whole document (the view's `notices`) counts once, not once per line."""
    counts = {"error": 0, "warning": 0, "open": 0, "total": 0}
    notices = view.get("notices")

    def count(f: dict) -> None:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
        counts["total"] += 1
        if not f.get("review"):
            counts["open"] += 1

    for line in view.get("lines", []):
        for f in line["findings"]:
            if notices is None or not is_notice(f):
                count(f)
    for n in notices or ():
        count(n)
    return counts
