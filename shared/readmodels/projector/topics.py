"""Which stored events the projector reads, by stored topic, from which source (notification log)."""
from __future__ import annotations

from eventsourcing.utils import get_topic

from shared.finance.domain.aggregates import FederalCreditRule, FeeWaiver
from shared.register.domain.register import Offering, Provider
from shared.review.domain.review import InvoiceReview
from shared.submissions.domain.capacity_report import CapacityReport
from shared.submissions.domain.invoice import Invoice

SOURCES = ("supervision", "reporting")  # the register first: a fresh store's providers before their documents

INVOICE_RECEIVED = get_topic(Invoice.Received)
INVOICE_CORRECTED = get_topic(Invoice.Corrected)
INVOICE_REEVALUATED = get_topic(Invoice.Reevaluated)
REPORT_RECEIVED = get_topic(CapacityReport.Received)
REPORT_CORRECTED = get_topic(CapacityReport.Corrected)
PROVIDER_REGISTERED = get_topic(Provider.Registered)
PROVIDER_CHANGED = get_topic(Provider.Changed)
OFFERING_REGISTERED = get_topic(Offering.Registered)
OFFERING_CHANGED = get_topic(Offering.Changed)
REVIEW_OPENED = get_topic(InvoiceReview.Opened)
FINDING_REVIEWED = get_topic(InvoiceReview.FindingReviewed)
FINDINGS_REVIEWED = get_topic(InvoiceReview.FindingsReviewed)  # one decision on several rows
APPROVED = get_topic(InvoiceReview.Approved)
RETURNED = get_topic(InvoiceReview.ReturnedForCorrection)
# what changes the funding split besides the invoices (shared.readmodels.projector.funding)
WAIVER_DECIDED = get_topic(FeeWaiver.Decided)
WAIVER_CHANGED = get_topic(FeeWaiver.Changed)
WAIVER_REVOKED = get_topic(FeeWaiver.Revoked)
RULE_RECORDED = get_topic(FederalCreditRule.Recorded)
RULE_REVISED = get_topic(FederalCreditRule.Revised)

# Only these topics are selected from each log (the event store filters them); others never reach the projector.
TOPICS = {
    "reporting": [INVOICE_RECEIVED, INVOICE_CORRECTED, INVOICE_REEVALUATED, REPORT_RECEIVED,
                  REPORT_CORRECTED],
    "supervision": [PROVIDER_REGISTERED, PROVIDER_CHANGED, OFFERING_REGISTERED, OFFERING_CHANGED,
                    REVIEW_OPENED, FINDING_REVIEWED, FINDINGS_REVIEWED, APPROVED, RETURNED, WAIVER_DECIDED,
                    WAIVER_CHANGED, WAIVER_REVOKED, RULE_RECORDED, RULE_REVISED],
}
# The events that may be read without the application's mapper (see decoding.fast_decoders), by class:
# only while their class is at version 1 (an upcast event goes through the mapper).
EVENT_CLASSES = {INVOICE_RECEIVED: Invoice.Received, INVOICE_CORRECTED: Invoice.Corrected,
                 INVOICE_REEVALUATED: Invoice.Reevaluated, REPORT_RECEIVED: CapacityReport.Received,
                 REPORT_CORRECTED: CapacityReport.Corrected, REVIEW_OPENED: InvoiceReview.Opened,
                 FINDING_REVIEWED: InvoiceReview.FindingReviewed, FINDINGS_REVIEWED: InvoiceReview.FindingsReviewed,
                 APPROVED: InvoiceReview.Approved,
                 RETURNED: InvoiceReview.ReturnedForCorrection}
REVIEW_EVENTS = (FINDING_REVIEWED, FINDINGS_REVIEWED, APPROVED, RETURNED)
