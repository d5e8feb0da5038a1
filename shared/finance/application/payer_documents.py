"""The documents each payer of an invoice version receives (issue 19, domain-rules §5 «payment documents»):
a statement per social service, the canton's claim, and a bill per self-paying participant.

Computed on request from the invoice version and the finance decisions in force (fee waivers, federal credit
rules) through the one call of the split (``sums.split_funding``); the waiver contribution is shared over the
whole provider-month, so the other invoices of the month are split with it. Lines stay exact to the centime,
each document's total is rounded to 0.05 (``round_payment``). Nothing here is stored, and no participant's
name or address is known.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from shared.finance.application.reconciliation import (
    UNASSIGNED,
    UNASSIGNED_DE,
    SocialServiceOf,
    invoice_funding_lines,
    social_service_of,
)
from shared.finance.application.sums import split_funding
from shared.finance.domain.split import FundingLine, LineSplit
from shared.kernel.errors import NotFound
from shared.kernel.money import ZERO, amount_str, round_payment
from shared.kernel.paging import page_of

CANTON_SOURCES = ("canton_subsidy", "fee_waiver", "federal_integration_credit")
PAYERS = ("social_service", "canton", "participant")
STATEMENTS_PER_PAGE = 100  # payer documents listed at a time on an invoice's page


def social_service_key(line: FundingLine, resolve: SocialServiceOf | None = None) -> tuple[str, str]:
    """The statement a social-assistance line goes to: (register code, "") when the provider recorded the
    Kostengutsprache of its reference, else (UNASSIGNED, reference): one «nicht zugeordnet» statement per
    unrecorded reference, because each reference belongs to one (still unknown) social service and its statement
    can be sent once that is known; one statement mixing them could be sent to nobody."""
    reference = (line.cost_approval or "").strip()
    code = resolve(line.provider, reference) if resolve is not None and reference else None
    return (code, "") if code else (UNASSIGNED, reference)


def _recipient(code: str, reference: str, register: Callable | None) -> tuple[str, dict]:
    """The recipient text of a statement (code, or the unrecorded reference) and its social service as printed:
    code, the register's name and address; «nicht zugeordnet» with the reference when unrecorded."""
    if code == UNASSIGNED:
        return reference or UNASSIGNED, {"code": UNASSIGNED, "name": UNASSIGNED_DE, "address": "",
                                         "reference": reference}
    entry = register(code) if register is not None else None
    return code, {"code": code, "name": entry.name if entry else code, "address": entry.address if entry else "",
                  "reference": ""}


@dataclass
class PayerDocument:
    number: int
    payer: str  # social_service | canton | participant
    recipient: str  # the social service's code (an unrecorded reference), "canton", or the participant number
    lines: list[dict] = field(default_factory=list)
    participants: list[dict] = field(default_factory=list)
    exact: Decimal = ZERO
    social_service: dict | None = None  # code, name, address (register); reference when «nicht zugeordnet»

    @property
    def total(self) -> Decimal:
        return round_payment(self.exact)

    def as_dict(self) -> dict:
        out = {"number": self.number, "payer": self.payer, "recipient": self.recipient,
               "total": amount_str(self.total), "exact_total": amount_str(self.exact),
               "participants": self.participants, "lines": self.lines}
        if self.social_service is not None:
            out["social_service"] = self.social_service
        return out


@dataclass
class InvoiceDocuments:
    provider: str
    invoice: str
    version: int
    period: str
    documents: list[PayerDocument]

    def document(self, number: int) -> PayerDocument:
        for d in self.documents:
            if d.number == number:
                return d
        raise NotFound(f"Beleg {number} gibt es zu dieser Rechnung nicht")


def _line(s: LineSplit, source: dict, amount: Decimal, **extra) -> dict:
    ln = s.line
    return {"row": ln.row, "period": ln.period, "participant": ln.participant, "programme": ln.programme,
            "unit": ln.unit, "quantity": source.get("quantity"), "allowed": amount_str(ln.allowed),
            "amount": amount_str(amount), "cost_approval": ln.cost_approval,
            "federal_integration_credit": amount_str(s.amounts["federal_integration_credit"]), **extra}


def payer_documents(splits: list[LineSplit], quantities: dict[int, dict], resolve: SocialServiceOf | None = None,
                    register: Callable | None = None, *, detail: bool = True) -> list[PayerDocument]:
    """The documents of one invoice's line splits: social services (by ``social_service_key`` through
    ``resolve``, named by ``register(code)``; by name, the unrecorded references last), the canton, the
    participants (by number), numbered from 1 in that order; a payer with nothing to pay gets none.
    ``detail=False``: without their lines and participants (a list of the documents needs only their totals)."""
    services: dict[tuple[str, str], list[LineSplit]] = defaultdict(list)
    canton: list[LineSplit] = []
    participants: dict[str, list[LineSplit]] = defaultdict(list)
    for s in splits:
        if s.amounts["social_service"]:
            services[social_service_key(s.line, resolve)].append(s)
        if any(s.amounts[k] for k in CANTON_SOURCES):
            canton.append(s)
        if s.amounts["participant"]:
            participants[s.line.participant].append(s)
    docs: list[PayerDocument] = []
    named = {key: _recipient(*key, register) for key in services}
    for key in sorted(services, key=lambda k: (k[0] == UNASSIGNED, named[k][1]["name"].casefold(), k)):
        rows = services[key]
        recipient, service = named[key]
        doc = PayerDocument(len(docs) + 1, "social_service", recipient, social_service=service)
        if detail:
            doc.lines = [_line(s, quantities.get(s.line.row, {}), s.amounts["social_service"]) for s in rows]
            approvals: dict[str, set[str]] = defaultdict(set)  # per participant, in one pass over the rows
            for s in rows:
                approvals[s.line.participant].add(s.line.cost_approval or "")
            doc.participants = [{"participant": p, "cost_approvals": sorted(approvals[p])} for p in sorted(approvals)]
        doc.exact = sum((s.amounts["social_service"] for s in rows), ZERO)
        docs.append(doc)
    if canton:
        doc = PayerDocument(len(docs) + 1, "canton", "canton")
        per: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(CANTON_SOURCES, ZERO))
        for s in canton:
            for k in CANTON_SOURCES:
                per[s.line.participant][k] += s.amounts[k]
        if detail:
            doc.lines = [_line(s, quantities.get(s.line.row, {}), sum((s.amounts[k] for k in CANTON_SOURCES), ZERO),
                               **{k: amount_str(s.amounts[k]) for k in CANTON_SOURCES
                                  if k != "federal_integration_credit"}) for s in canton]
            doc.participants = [{"participant": p, **{k: amount_str(v) for k, v in a.items()},
                                 "total": amount_str(sum(a.values(), ZERO))} for p, a in sorted(per.items())]
        doc.exact = sum((sum(a.values(), ZERO) for a in per.values()), ZERO)
        docs.append(doc)
    for p in sorted(participants):
        rows = participants[p]
        doc = PayerDocument(len(docs) + 1, "participant", p)
        doc.exact = sum((s.amounts["participant"] for s in rows), ZERO)
        if detail:
            doc.lines = [_line(s, quantities.get(s.line.row, {}), s.amounts["participant"],
                               waiver=s.waiver is not None) for s in rows]
            doc.participants = [{"participant": p, "fee_waiver": any(s.waiver for s in rows)}]
        docs.append(doc)
    return docs


def invoice_documents(portal, provider: str | None, invoice_id, version: int | None = None, *,
                      invoice=None, detail: bool = True) -> InvoiceDocuments:
    """The payer documents of an invoice version (the latest unless ``version``); ``provider`` None for the
    canton's staff, a provider's slug to refuse another provider's invoice (NotFound); ``invoice`` the
    aggregate when the caller loaded it already (its opened versions are kept on it)."""
    rep, sup = portal.reporting, portal.supervision
    inv = invoice or rep.invoice(provider, invoice_id)
    version = version or inv.document_version
    if not 1 <= version <= inv.document_version:
        raise NotFound(f"Version {version} gibt es nicht")
    lines = invoice_funding_lines(inv, version)
    waivers = sup.waiver_terms()
    waived = {(w.provider, w.participant) for w in waivers}
    if any((ln.provider, ln.participant) in waived for ln in lines):  # else no line of the month changes its split
        for other in rep.invoices(inv.provider, inv.period, without=inv.id):
            lines.extend(invoice_funding_lines(other))  # the month's contribution of a waiver is shared with them
    own = str(inv.id)
    splits = [s for s in split_funding(sup, lines, waivers) if s.line.invoice == own]
    sub = inv.submission(version)
    quantities = {ln["row"]: ln for ln in sub.get("lines", [])}
    docs = payer_documents(splits, quantities, social_service_of(portal), sup.social_service, detail=detail)
    return InvoiceDocuments(inv.provider, str(inv.id), version, inv.period, docs)


def month_documents(portal, provider: str, period: str) -> list[InvoiceDocuments]:
    """The payer documents of every invoice (latest version) of a provider's month."""
    return [invoice_documents(portal, provider, inv.id) for inv in portal.reporting.invoices(provider, period)]


def statements_index(bundle: InvoiceDocuments, base: str) -> list[dict]:
    """``GET /api/v1/invoices/{id}/statements``: each document with its payer, recipient, total and PDF."""
    return [{"payer": d.payer, "recipient": d.recipient, "total": amount_str(d.total), "number": d.number,
             "exact_total": amount_str(d.exact), "version": bundle.version, "pdf": f"{base}/{d.number}.pdf",
             **({"social_service": d.social_service} if d.social_service is not None else {})}
            for d in bundle.documents]


def statements_of(portal, provider: str | None, invoice_id, version: int, *, invoice=None) -> list[dict]:
    """The «Belege» section of an invoice page: each document of that version with its page download."""
    bundle = invoice_documents(portal, provider, invoice_id, version, invoice=invoice, detail=False)
    return statements_index(bundle, f"/rechnungen/{invoice_id}/belege")


def statements_page(portal, provider: str | None, invoice_id, version: int, *, invoice=None,
                    page: int | None = None) -> dict:
    """The «Belege» of an invoice page a page at a time (an invoice of many self-payers has thousands):
    statements (that page's), statements_paging."""
    shown, paging = page_of(statements_of(portal, provider, invoice_id, version, invoice=invoice), page,
                            STATEMENTS_PER_PAGE)
    return {"statements": shown, "statements_paging": paging}
