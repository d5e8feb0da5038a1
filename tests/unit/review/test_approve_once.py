"""A version is approved once (review/domain/review.py): a second approval is refused, an old store replays."""
from __future__ import annotations

import pytest

from shared.kernel.errors import Conflict
from shared.review.application.commands import open_question
from shared.review.domain.review import InvoiceReview
from tests.unit.review.test_review import INVOICE


def test_a_second_approval_of_the_same_version_is_refused_and_records_nothing():
    review = InvoiceReview(invoice_id=INVOICE, provider="regiomech", period="2025-03")
    review.approve_once(version=1, comment="", actor="user:sara")
    events = len(review.collect_events())
    with pytest.raises(Conflict) as refused:
        review.approve_once(version=1, comment="", actor="user:beat")
    assert "Version 1 ist bereits freigegeben" in refused.value.message and refused.value.status == 409
    assert review.collect_events() == [] and events == 2
    review.approve_once(version=2, comment="", actor="user:sara")  # a correction needs approval again
    assert review.approved_version == 2


def test_a_store_with_two_approvals_of_a_version_still_replays():
    review = InvoiceReview(invoice_id=INVOICE, provider="regiomech", period="2025-03")
    review.approve(version=1, comment="", actor="user:sara")
    review.approve(version=1, comment="", actor="user:sara")  # as recorded before the refusal existed
    assert review.approved_version == 1


def test_the_question_before_approving_with_open_findings():
    assert open_question({"open": 13, "total": 15}) == "13 von 15 Befunden sind offen – trotzdem freigeben?"
    assert open_question({"open": 1, "total": 4}) == "1 von 4 Befunden ist offen – trotzdem freigeben?"
