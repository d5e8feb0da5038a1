"""The review aggregate (review/domain/review.py): stable id, replay into the same state, stored event names."""
from __future__ import annotations

from uuid import UUID

from shared.review.domain.review import InvoiceReview, review_id
from tests.unit.eventsourced import assert_topics_kept, replay, sqlite_application, state, stored_topics

INVOICE = UUID("245dde4b-7201-56f0-8f0b-25e83e9f8b0b")
FIRST = "shared.aggregates.review"


def make_review() -> InvoiceReview:
    review = InvoiceReview(invoice_id=INVOICE, provider="regiomech", period="2025-03")
    review.review_finding(row=2, code="tariff_above_max", decision="confirmed", comment="", actor="user:anna",
                          version=1)
    review.decide([3, 4, 5], "late_submission", "waived", "Frist erstreckt", "user:anna", 1)  # one event, three rows
    review.decide([6], "tariff_above_max", "confirmed", "", "user:anna", 1)  # one row: as review_finding
    review.return_for_correction(version=1, reason="Zeile 2", actor="user:anna")
    review.approve(version=2, comment="ok", actor="user:beat")
    return review


def test_one_review_per_invoice_with_a_stable_id():
    assert review_id(INVOICE) == UUID("492c65be-78bc-598e-a1cb-df0c18c64697")
    assert make_review().id == review_id(INVOICE)


def test_replay_in_memory_gives_the_same_state():
    review = make_review()
    assert (review.approved_version, review.returned) == (2, None)
    assert len(review.decisions) == 5
    assert [review.decisions[f"{r}/late_submission"]["decision"] for r in (3, 4, 5)] == ["waived"] * 3
    expected = state(review)
    assert state(replay(review.collect_events())) == expected


def test_replay_from_the_store_gives_the_same_state(tmp_path):
    app = sqlite_application(tmp_path)
    review = make_review()
    expected = state(review)
    app.save(review)
    assert state(app.repository.get(review.id)) == expected


def test_the_events_keep_their_first_stored_names(tmp_path):
    assert_topics_kept(FIRST, InvoiceReview)
    app = sqlite_application(tmp_path)
    review = make_review()
    app.save(review)
    assert stored_topics(app, review.id) == [f"{FIRST}:InvoiceReview.{e}" for e in (
        "Opened", "FindingReviewed", "FindingsReviewed", "FindingReviewed", "ReturnedForCorrection", "Approved")]
