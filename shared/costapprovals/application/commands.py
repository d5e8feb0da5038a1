"""Kostengutsprachen as use cases (mixed into the reporting Application): the provider records or changes them
(JSON, CSV or XLSX; all rows or none), and every invoice naming a changed one is checked again, each change an
event; the invoices' checks read them through `approval_context`, and save what they use with the book."""
from __future__ import annotations

from datetime import datetime
from uuid import UUID

from shared.costapprovals.application.reads import CostApprovalReads
from shared.costapprovals.domain.book import CostApprovalBook, cost_approval_book_id
from shared.costapprovals.domain.terms import NOTHING, Usage
from shared.kernel.money import amount_str, quantity_str
from shared.kernel.periods import Period
from shared.kernel.unread import UNREAD
from shared.submissions.domain.documents import FormatIssue, ParsedInvoice, SubmissionRejected, line_from_dict
from shared.submissions.domain.provider_month import provider_month_id
from shared.submissions.parsers.cost_approvals import ParsedApproval, issue, parse_cost_approvals

REEVALUATED = "Kostengutsprache erfasst oder geändert"
RELEASED = "Kostengutsprache durch eine Korrektur frei geworden"


class CostApprovalCommands(CostApprovalReads):
    def record_cost_approvals(self, provider: str, upload, actor: str) -> list[dict]:
        """Record new Kostengutsprachen, or changes of recorded ones (same reference, same participant); refused
        as a whole (422, row, column, value) for an unknown social service or a reference already recorded for
        another participant. The invoices naming them are checked again in the same transaction."""
        parsed = parse_cost_approvals(upload.data, catalogue=self._catalogue(), content_type=upload.content_type,
                                      filename=upload.filename, limits=self.limits)
        codes, errors = {}, []
        for a in parsed:
            entry = self.register_app.social_service(a.social_service)
            if entry is None:
                errors.append(issue(a.row, "social_service", a.social_service,
                                    f"Der Sozialdienst «{a.social_service}» ist nicht im Register des Kantons"))
            else:
                codes[a.row] = entry.code
        if errors:
            raise SubmissionRejected(errors)
        sealer = self.required_sealer()
        subjects = {a.participant: sealer.vault.participant_subject(provider, a.participant) for a in parsed}
        sealer.vault.keys(set(subjects.values()), create=True)  # one round trip for every participant's key

        def command() -> list[dict]:
            book = self._book(provider)
            changed: set[str] = set()
            problems: list[FormatIssue] = []
            for a in parsed:
                key = self.reference_key(provider, a.reference)
                subject = subjects[a.participant]
                old = book.approvals.get(key)
                if old is not None and old["subject"] != subject:
                    problems.append(issue(a.row, "reference", a.reference,
                                          f"Die Kostengutsprache {a.reference} ist schon für eine andere "
                                          f"Teilnehmernummer erfasst"))
                    continue
                terms = self._stored_terms(a, codes[a.row], subject, old)
                if old is None:
                    book.record(key=key, terms=terms, actor=actor)
                elif {k: v for k, v in old.items() if k != "sealed"} != {k: v for k, v in terms.items()
                                                                         if k != "sealed"}:
                    book.change(key=key, terms=terms, actor=actor)
                else:
                    continue
                changed.add(key)
            if problems:
                raise SubmissionRejected(problems)
            reevaluated = self._reevaluate_for_approvals(provider, book, changed, actor) if changed else []
            self.save(book, *reevaluated)
            return [self.cost_approval_view(book, self.reference_key(provider, a.reference)) for a in parsed]

        return self.retrying(command)

    def _stored_terms(self, a: ParsedApproval, code: str, subject: str, old: dict | None) -> dict:
        """The terms as the book stores them: the participant number and the reference (both personal) sealed
        with the participant's key; the book knows the reference only by its keyed hash."""
        sealed = (old or {}).get("sealed") or self.required_sealer().seal_fields(
            subject, {"participant": a.participant, "reference": a.reference})
        return {"social_service": code, "subject": subject, "sealed": sealed,
                "programme": a.programme, "valid_from": a.valid_from.isoformat(), "valid_to": a.valid_to.isoformat(),
                "quantity": quantity_str(a.quantity) if a.quantity is not None else None,
                "amount": amount_str(a.amount) if a.amount is not None else None}

    def _book(self, provider: str) -> CostApprovalBook:
        return self.followed.fork(cost_approval_book_id(provider)) or CostApprovalBook(provider=provider)

    def _released(self, book: CostApprovalBook | None, iid: UUID, checked) -> set[str]:
        """The approvals of which a corrected invoice now uses less than before."""
        before = book.usage.get(str(iid)) if book is not None else None
        if before is None:
            return set()
        released = set()
        for key, pair in before["usage"].items():
            was, now = Usage.of(pair), checked.approval_usage.get(key) or NOTHING
            if now.quantity < was.quantity or now.amount < was.amount:
                released.add(key)
        return released

    def _release_approvals(self, provider: str, keys: set[str], actor: str) -> None:
        """The invoices naming these approvals checked again in order, now that a correction uses less of them."""
        book = self._book(provider)
        changed = self._reevaluate_for_approvals(provider, book, keys, actor, reason=RELEASED)
        self.save(book, *changed)

    def _reevaluate_for_approvals(self, provider: str, book: CostApprovalBook, keys: set[str], actor: str,
                                  reason: str = REEVALUATED) -> list:
        """The invoices naming a changed approval, checked again in the order they first used one: each starts
        from what the others use (the later ones' old use of these approvals left out, as they follow)."""
        from shared.checks import check_invoice

        affected = book.invoices_naming(keys) + self._invoices_naming_outside(provider, book, keys)
        for iid in affected:  # the later ones are checked again after: their use of these approvals is open
            entry = book.usage.get(iid)
            if entry is None:
                continue
            book.usage[iid] = {**entry, "usage": {k: v for k, v in entry["usage"].items() if k not in keys}}
        changed = []
        for iid in affected:
            invoice = self.repository.get(UUID(iid))
            month = self.repository.get(provider_month_id(provider, invoice.period))
            lines = tuple(line_from_dict(d) for d in invoice.latest["lines"])
            parsed = ParsedInvoice(Period.parse(invoice.period), lines)
            ctx = self._context(provider, parsed.period, month, invoice.id,
                                datetime.fromisoformat(invoice.first_received_at), book=book)
            checked = check_invoice(parsed, ctx)
            book.consume(invoice=iid, period=invoice.period, usage={k: u.as_list()
                                                                    for k, u in checked.approval_usage.items()})
            result = checked.as_dict()
            if result != invoice.result:
                invoice.reevaluate(result_body=self.required_sealer().seal_result(provider, result),
                                   totals=result["totals"], reason=reason, actor=actor)
                changed.append(invoice)
        return changed

    def _invoices_naming_outside(self, provider: str, book: CostApprovalBook, keys: set[str]) -> list[str]:
        """The provider's invoices that name one of these references and are not in the book yet (received
        before the provider recorded any Kostengutsprache)."""
        found = []
        for period in self.periods(provider):
            for invoice in self.invoices(provider, period):
                if str(invoice.id) in book.usage:
                    continue
                if any(d.get("funding") == "social_assistance" and d.get("cost_approval")
                       and self.reference_key(provider, d["cost_approval"]) in keys for d in invoice.latest["lines"]):
                    found.append(str(invoice.id))
        return found

    def _approval_context(self, provider: str, this: UUID | None, book: CostApprovalBook | None | object = UNREAD
                          ) -> dict:
        """What the checks of one invoice read of the book: the approvals, what the other invoices use, and the
        participant's pseudonym to compare numbers with. `book`: as the caller loaded it (None: there is none)."""
        if book is UNREAD:
            book = self.followed.fork(cost_approval_book_id(provider))
        if book is None or not book.approvals:
            return {}
        vault = self.required_sealer().vault
        return {"cost_approvals": self.approval_terms(book),
                "approval_used": book.used_by_others(str(this) if this is not None else None),
                "participant_key": lambda number: vault.participant_subject(provider, number),
                "approval_key": lambda reference: self.reference_key(provider, reference)}

    def _consumption(self, provider: str, iid: UUID, period: str, checked, book: CostApprovalBook | None) -> list:
        """The book with what this invoice now uses (to be saved with it), if it names or used any approval."""
        if book is None:
            if not checked.approval_usage:
                return []
            book = self._book(provider)
        before = book.usage.get(str(iid))
        usage = {k: u.as_list() for k, u in checked.approval_usage.items()}
        if before is None and not usage:
            return []
        if before is not None and before["usage"] == usage:
            return []
        book.consume(invoice=str(iid), period=period, usage=usage)
        return [book]
