"""What a supervisor's decisions mean for an invoice as shown (review/domain/status.py)."""
from __future__ import annotations

from uuid import UUID

import pytest

from shared.config import load_settings
from shared.privacy.adapters.key_vault import KeyVault
from shared.privacy.sealing import SHREDDED, Sealer
from shared.review.domain.review import InvoiceReview
from shared.review.domain.status import DECISIONS, apply_review, finding_counts, status

INVOICE = UUID("245dde4b-7201-56f0-8f0b-25e83e9f8b0b")


def finding(code: str, severity: str = "error") -> dict:
    return {"code": code, "severity": severity, "rule": "§2", "message": f"Befund {code}", "figures": {}}


def view(version: int = 1) -> dict:
    """An invoice view as the application shows it: row 2 with two findings, row 3 with one, row 4 clean."""
    return {"version": version, "lines": [
        {"row": 2, "findings": [finding("tariff_above_max"), finding("offering_not_registered", "warning")]},
        {"row": 3, "findings": [finding("tariff_above_max")]},
        {"row": 4, "findings": []},
    ]}


def review() -> InvoiceReview:
    return InvoiceReview(invoice_id=INVOICE, provider="regiomech", period="2025-03")


def test_without_a_review_an_invoice_is_checked():
    assert status(1, None) == "checked"
    assert status(1, review()) == "checked"  # opened, nothing decided


def test_approved_and_changed_since_approval():
    r = review()
    r.approve(version=1, comment="", actor="user:anna")
    assert status(1, r) == "approved"
    assert status(2, r) == "changed_since_approval"  # the provider corrected it after the approval


def test_returned_until_a_correction_arrives():
    r = review()
    r.return_for_correction(version=1, reason="Zeile 3 prüfen", actor="user:anna")
    assert status(1, r) == "returned"
    assert status(2, r) == "checked"  # the correction is checked again


def test_the_last_decision_counts():
    r = review()
    r.return_for_correction(version=1, reason="Zeile 3 prüfen", actor="user:anna")
    r.approve(version=2, comment="", actor="user:anna")
    assert status(2, r) == "approved" and r.returned is None
    r.return_for_correction(version=2, reason="doch nicht", actor="user:beat")
    assert status(2, r) == "returned" and r.approved_version is None


def test_apply_review_sets_status_and_each_findings_decision():
    r = review()
    r.review_finding(row=2, code="tariff_above_max", decision="waived", comment="Absprache", actor="user:anna",
                     version=1)
    original = view()
    shown = apply_review(original, r)
    assert shown["status"] == "checked"
    row2, row3, row4 = shown["lines"]
    assert row2["findings"][0]["review"] == {"row": 2, "code": "tariff_above_max", "decision": "waived",
                                             "comment": "Absprache", "actor": "user:anna", "version": 1}
    assert "review" not in row2["findings"][1]  # the warning on the same row is undecided
    assert "review" not in row3["findings"][0]  # the same code on another row is undecided
    assert row4["findings"] == []
    assert original == view()  # the view given is not changed
    assert "returned_reason" not in shown


def test_apply_review_without_a_review_or_without_lines():
    shown = apply_review(view(), None)
    assert shown["status"] == "checked"
    assert all("review" not in f for line in shown["lines"] for f in line["findings"])
    r = review()
    r.approve(version=3, comment="", actor="user:anna")
    assert apply_review({"version": 3}, r) == {"version": 3, "status": "approved"}


def test_apply_review_names_the_reason_of_a_return():
    r = review()
    r.return_for_correction(version=1, reason="Zeile 3 prüfen", actor="user:anna")
    shown = apply_review(view(), r)
    assert shown["status"] == "returned" and shown["returned_reason"] == "Zeile 3 prüfen"


def test_finding_counts():
    assert finding_counts(view()) == {"error": 2, "warning": 1, "open": 3, "total": 3}
    r = review()
    r.review_finding(row=3, code="tariff_above_max", decision="confirmed", comment="", actor="user:anna", version=1)
    assert finding_counts(apply_review(view(), r)) == {"error": 2, "warning": 1, "open": 2, "total": 3}
    assert finding_counts({"version": 1}) == {"error": 0, "warning": 0, "open": 0, "total": 0}


def test_decisions_are_confirmed_or_waived():
    assert DECISIONS == ("confirmed", "waived")


@pytest.fixture
def sealer(tmp_path):
    vault = KeyVault(load_settings({"AMI_DATA_DIR": str(tmp_path)}), master=bytes(range(32)))
    yield Sealer(vault)
    vault.close()


def test_sealed_comments_and_reasons_read_opened_with_the_sealer(sealer):
    subject = sealer.document_subject(str(INVOICE))
    r = review()
    r.review_finding(row=2, code="tariff_above_max", decision="waived",
                     comment=sealer.seal_text(subject, "B-0017 war krank"), actor="user:anna", version=1)
    r.return_for_correction(version=1, reason=sealer.seal_text(subject, "B-0017 fehlt"), actor="user:anna")
    assert r.decisions["2/tariff_above_max"]["comment"].startswith("sealed:")  # as stored
    assert r.decision(2, "tariff_above_max")["comment"] == SHREDDED  # no sealer: nothing readable
    r.attach_sealer(sealer)
    shown = apply_review(view(), r)
    assert shown["lines"][0]["findings"][0]["review"]["comment"] == "B-0017 war krank"
    assert shown["returned_reason"] == "B-0017 fehlt"
    sealer.vault.shred([subject])
    assert apply_review(view(), r)["returned_reason"] == SHREDDED
