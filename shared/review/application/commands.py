"""The supervisor's decisions on an invoice (mixed into the supervision Application): a finding confirmed or
waived, the version approved or returned for correction; comments and reasons sealed with the invoice's key.

Each decision is one call with the invoice's id; the invoice is read from the reporting Application
(`self.documents`, wired by shared.portal)."""
from __future__ import annotations

from uuid import UUID

from shared.checks.notices import is_notice, notice_rows
from shared.kernel.errors import Invalid, NotFound
from shared.review.domain.review import InvoiceReview, review_id
from shared.review.domain.status import DECISIONS, finding_counts

MAX_COMMENT = 2000  # characters of a comment or a reason; longer is refused, never cut


class ReviewCommands:
    def review_of(self, invoice_id: UUID) -> InvoiceReview | None:
        return self.get_or_none(review_id(invoice_id))

    def review_finding(self, invoice_id: UUID, row: int, code: str, decision: str, comment: str,
                       actor: str) -> dict:
        """Confirm or waive the finding `code` of line `row` (a waiver needs a comment)."""
        if decision not in DECISIONS:
            raise Invalid(f"Entscheid «{decision}» ist ungültig: confirmed oder waived", "decision", decision)
        comment = _text(comment, "comment")
        if decision == "waived" and not comment:
            raise Invalid("Wer einen Befund erlässt, begründet es im Kommentar", "comment", comment)
        invoice = self.documents.invoice(None, invoice_id)
        found = _finding(invoice, row, code)
        # a notice about the whole document is one notice: decided once, on every row it concerns
        rows = notice_rows(invoice.result["lines"], found) if is_notice(found) else [row]

        def command() -> dict:
            review = self._review(invoice)
            sealed = self._sealed_text(invoice, comment)
            review.decide(rows, code, decision, sealed, actor, invoice.document_version)  # one event
            self.save(review)
            return review.decision(row, code)

        return self.retrying(command)

    def confirm_warnings(self, findings: list[tuple[UUID, int, str]], comment: str, actor: str) -> int:
        """Confirm many warnings at once with one comment (the work queue's «alle markierten bestätigen»): one
        event per invoice and code, with every row it decides (a notice about the whole invoice: every row
        carrying it, the same code and message), all saved together or none.
        Refused as a whole if one is not a warning of the invoice's current version. Returns how many."""
        if not findings:
            raise Invalid("Bitte mindestens einen Befund markieren", "finding", "")
        comment = _text(comment, "comment")
        chosen: dict[UUID, list[tuple[int, str]]] = {}
        for invoice_id, row, code in findings:
            chosen.setdefault(invoice_id, []).append((row, code))
        invoices = {iid: self.documents.invoice(None, iid) for iid in chosen}
        for iid, pairs in chosen.items():
            for row, code in pairs:
                if _finding(invoices[iid], row, code)["severity"] != "warning":
                    raise Invalid(f"Zeile {row}, {code}: nur Hinweise lassen sich gesammelt bestätigen", "finding",
                                  f"{row}/{code}")

        def command() -> int:
            reviews = []
            for iid, pairs in chosen.items():
                invoice, review = invoices[iid], self._review(invoices[iid])
                sealed = self._sealed_text(invoice, comment)
                by_code: dict[str, set[int]] = {}
                for row, code in pairs:
                    found = _finding(invoice, row, code)
                    # the queue shows a notice once per invoice and message: all the rows it concerns
                    by_code.setdefault(code, set()).update(
                        notice_rows(invoice.result["lines"], found) if is_notice(found) else [row])
                for code, rows in by_code.items():
                    review.decide(sorted(rows), code, "confirmed", sealed, actor, invoice.document_version)
                reviews.append(review)
            self.save(*reviews)
            return len(findings)

        return self.retrying(command)

    def approve(self, invoice_id: UUID, comment: str, actor: str, *, open_accepted: bool = True) -> InvoiceReview:
        """Approve the invoice's current version (Conflict if it is approved already). With open_accepted=False
        an invoice with undecided findings is refused with the question the page asks first."""
        comment = _text(comment, "comment")
        invoice = self.documents.invoice(None, invoice_id)
        if not open_accepted:
            counts = finding_counts(self.documents.invoice_view(invoice))
            if counts["open"]:
                raise Invalid(open_question(counts), "confirm_open", str(counts["open"]))

        def command() -> InvoiceReview:
            review = self._review(invoice)
            review.approve_once(version=invoice.document_version, comment=self._sealed_text(invoice, comment),
                                actor=actor)
            self.save(review)
            return review

        return self.retrying(command)

    def return_for_correction(self, invoice_id: UUID, reason: str, actor: str) -> InvoiceReview:
        """Return the invoice's current version to the provider, with the reason they will read."""
        reason = _text(reason, "reason")
        if not reason:
            raise Invalid("Bitte den Grund für die Rückweisung angeben", "reason", reason)
        invoice = self.documents.invoice(None, invoice_id)

        def command() -> InvoiceReview:
            review = self._review(invoice)
            review.return_for_correction(version=invoice.document_version,
                                         reason=self._sealed_text(invoice, reason), actor=actor)
            self.save(review)
            return review

        return self.retrying(command)

    def _review(self, invoice) -> InvoiceReview:
        review = self.review_of(invoice.id) or InvoiceReview(invoice_id=invoice.id, provider=invoice.provider,
                                                             period=invoice.period)
        review.attach_sealer(self.sealer)
        return review

    def _sealed_text(self, invoice, text: str) -> str:
        """A comment may name a participant: sealed with the invoice's document key."""
        sealer = self.required_sealer()
        return sealer.seal_text(sealer.document_subject(str(invoice.id)), text)


def _finding(invoice, row: int, code: str) -> dict:
    lines = [ln for ln in invoice.result["lines"] if ln["row"] == row]
    found = next((f for f in lines[0]["findings"] if f["code"] == code), None) if lines else None
    if found is None:
        raise NotFound(f"Kein Befund «{code}» in Zeile {row} dieser Rechnung")
    return found


def open_question(counts: dict) -> str:
    """«13 von 15 Befunden sind offen – trotzdem freigeben?»"""
    verb = "ist" if counts["open"] == 1 else "sind"
    return f"{counts['open']} von {counts['total']} Befunden {verb} offen – trotzdem freigeben?"


def _text(value: str | None, field: str) -> str:
    text = (value or "").strip()
    if len(text) > MAX_COMMENT:
        raise Invalid(f"Höchstens {MAX_COMMENT} Zeichen (hier {len(text)})", field, text[:40] + "…")
    return text
