"""What is read of a provider's Kostengutsprachen: the terms the checks compare, each approval with approved,
used and remaining, the warnings of the provider's home page, and `approval_for` (the payer documents)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from shared.costapprovals.domain.book import CostApprovalBook, cost_approval_book_id
from shared.costapprovals.domain.terms import NOTHING, ApprovalTerms, Usage, approval_key
from shared.kernel.money import amount_str, quantity_str
from shared.privacy.sealing import SHREDDED
from shared.store.followed import Remember

SOON = timedelta(days=31)  # «within a month»


@dataclass(frozen=True)
class CostApproval:
    """A recorded Kostengutsprache as other contexts read it (the payer documents): the participant opened."""

    provider: str
    reference: str
    social_service: str  # the code in the canton's register
    participant: str
    programme: str
    valid_from: date
    valid_to: date
    quantity: Decimal | None
    amount: Decimal | None
    used: Usage


def _terms(stored: dict) -> ApprovalTerms:
    """The terms the checks compare (the reference stays sealed: the book knows it by its keyed hash)."""
    return ApprovalTerms(
        reference="", social_service=stored["social_service"], participant=stored["subject"],
        programme=stored["programme"], valid_from=date.fromisoformat(stored["valid_from"]),
        valid_to=date.fromisoformat(stored["valid_to"]),
        quantity=Decimal(stored["quantity"]) if stored.get("quantity") else None,
        amount=Decimal(stored["amount"]) if stored.get("amount") else None)


class CostApprovalReads:
    _approval_terms_cache: dict | None = None

    def approval_terms(self, book: CostApprovalBook) -> dict[str, ApprovalTerms]:
        """key -> terms, made once per version of the provider's book."""
        cache = self._approval_terms_cache
        if cache is None:
            cache = self._approval_terms_cache = {}
        hit = cache.get(book.provider)
        if hit is None or hit[0] != book.version:
            hit = cache[book.provider] = (book.version, {k: _terms(v) for k, v in book.approvals.items()})
        return hit[1]

    def reference_key(self, provider: str, reference: str | None) -> str:
        """How the book knows a reference: a keyed hash of it as references compare (approval_key), never
        the reference itself (personal, like the participant number)."""
        subject = self.required_sealer().vault.participant_subject(provider, "\x1fKGS\x1f" + approval_key(reference))
        return "r:" + subject[2:]

    def _opened(self, stored: dict) -> dict:
        """participant and reference, or «gelöscht» after the participant's key was shredded."""
        opened = self.required_sealer().open_fields(stored["subject"], stored["sealed"])
        return opened if opened else {"participant": SHREDDED, "reference": SHREDDED}

    def approval_for(self, provider: str, reference: str | None) -> CostApproval | None:
        """The provider's recorded Kostengutsprache of a reference (as an invoice line writes it), or None."""
        key = self.reference_key(provider, reference)

        def read(book: CostApprovalBook | None, remember: Remember) -> CostApproval | None:
            if book is None or key not in book.approvals:
                return None
            t, opened = _terms(book.approvals[key]), self._opened(book.approvals[key])
            used = _usage(book, remember)[0].get(key, NOTHING)
            return CostApproval(provider, opened["reference"], t.social_service, opened["participant"], t.programme,
                                t.valid_from, t.valid_to, t.quantity, t.amount, used)

        return self.followed.read(cost_approval_book_id(provider), read)

    def social_services_by_reference(self, provider: str, head: int | None = None) -> dict[str, str]:
        """reference_key -> the register code of its social service, for every recorded Kostengutsprache.
        Each book is read once per process and then followed: only its newer events are read, and none when
        the log's newest notification (`head`, read once by a caller asking for every provider) is the one
        seen last time (profile of issue 16: the finance page replayed all 26 books, two thirds of its time).
        Pseudonyms and register codes only: nothing personal is kept."""
        cache = self.__dict__.setdefault("_by_reference", {})
        version, found, seen = cache.get(provider, (0, {}, -1))
        head = head if head is not None else self.recorder.max_notification_id() or 0
        if head == seen:
            return found
        new = list(self.events.get(cost_approval_book_id(provider), gt=version or None))
        if new:
            found = dict(found)
            for e in new:
                if isinstance(e, CostApprovalBook.Recorded | CostApprovalBook.Changed):
                    found[e.key] = e.terms["social_service"]
            version = new[-1].originator_version
        cache[provider] = (version, found, head)
        return found

    def cost_approval_view(self, book: CostApprovalBook, key: str, today: date | None = None,
                           services: dict | None = None, usage: Usages | None = None) -> dict:
        """One approval as api.md lists it; `usage`: the book's usage_by_approval() when read already."""
        stored = book.approvals[key]
        t = _terms(stored)
        used = book.used(key) if usage is None else usage[0].get(key, NOTHING)
        remaining = {"quantity": quantity_str(t.quantity - used.quantity) if t.quantity is not None else None,
                     "amount": amount_str(t.amount - used.amount) if t.amount is not None else None}
        opened = self._opened(stored)
        entry = self.register_app.social_service(t.social_service, services) if self.register_app is not None \
            else None
        view = {"reference": opened["reference"], "social_service": t.social_service,
                "social_service_name": entry.name if entry is not None else None,
                "participant": opened["participant"], "programme": t.programme,
                "valid_from": t.valid_from.isoformat(), "valid_to": t.valid_to.isoformat(),
                "approved": {"quantity": quantity_str(t.quantity) if t.quantity is not None else None,
                             "amount": amount_str(t.amount) if t.amount is not None else None},
                "used": {"quantity": quantity_str(used.quantity), "amount": amount_str(used.amount)},
                "remaining": remaining}
        if today is not None:
            by_period = book.usage_by_period(key) if usage is None else usage[1].get(key, {})
            view["warning"] = approval_warning(t, used, by_period, today)
        return view

    def cost_approvals(self, provider: str, today: date | None = None) -> list[dict]:
        """api.md: the provider's Kostengutsprachen, each with approved, used and remaining (and a warning:
        null, "expired", "expires" or "runs_out")."""
        today = today or self.deadlines.local_date(self.clock())

        def read(book: CostApprovalBook | None, remember: Remember) -> list[dict]:
            if book is None:
                return []
            services = self.register_app.social_services() if self.register_app is not None else None
            usage = _usage(book, remember)
            return [self.cost_approval_view(book, key, today, services, usage) for key in book.approvals]

        return self.followed.read(cost_approval_book_id(provider), read)

    def cost_approvals_in_force(self, provider: str) -> tuple[list[dict], list[dict]]:
        """The provider's page: those in force, to come or expired within the last month (warned about); and
        those expired longer ago, kept apart (a correction of an earlier month still uses them)."""
        today = self.deadlines.local_date(self.clock())
        current: list[dict] = []
        past: list[dict] = []
        for view in self.cost_approvals(provider, today):
            (past if long_expired(date.fromisoformat(view["valid_to"]), today) else current).append(view)
        return current, past

    def cost_approval_warnings(self, provider: str) -> list[dict]:
        """The approvals the provider's home page warns about: each approval's warning from its terms and the
        book's usage (one pass over the usage for all of them, remembered with the book's version and the day);
        only those warned about are opened."""
        today = self.deadlines.local_date(self.clock())

        def read(book: CostApprovalBook | None, remember: Remember) -> list[dict]:
            if book is None:
                return []
            usage = _usage(book, remember)
            warned = remember(("warned", today), lambda: [
                key for key, t in self.approval_terms(book).items()
                if approval_warning(t, usage[0].get(key, NOTHING), usage[1].get(key, {}), today)])
            services = self.register_app.social_services() if self.register_app is not None and warned else None
            return [self.cost_approval_view(book, key, today, services, usage) for key in warned]

        return self.followed.read(cost_approval_book_id(provider), read)


Usages = tuple[dict[str, Usage], dict[str, dict[str, Usage]]]


def _usage(book: CostApprovalBook, remember: Remember) -> Usages:
    """The book's usage_by_approval(), once per version of the book."""
    return remember("usage", book.usage_by_approval)


def approval_warning(t: ApprovalTerms, used: Usage, by_period: dict[str, Usage], today: date) -> str | None:
    """"expired" (validity over, within the last month), "expires" (within a month), "runs_out" (what remains
    is less than a month's use at the rate of the months billed so far), or None."""
    if t.valid_to < today:
        return None if long_expired(t.valid_to, today) else "expired"
    if t.valid_to - today <= SOON:
        return "expires"
    months = [u for u in by_period.values() if u != NOTHING]
    if not months:
        return None
    if t.quantity is not None and t.quantity - used.quantity < used.quantity / len(months):
        return "runs_out"
    if t.amount is not None and t.amount - used.amount < used.amount / len(months):
        return "runs_out"
    return None


def long_expired(valid_to: date, today: date) -> bool:
    """Over for more than a month: no longer warned about."""
    return today - valid_to > SOON
