"""Whether a provider ever billed a participant: the latest version of each of its invoices, line by line
(a fee waiver for a participant never billed is most likely a typing error in the number)."""
from __future__ import annotations


def ever_billed(rep, provider: str, participant: str) -> bool:
    """`rep` is the reporting Application; the number compared as the invoices carry it (trimmed)."""
    wanted = (participant or "").strip()
    for invoice in rep.invoices(provider):
        if any(line.get("participant") == wanted for line in rep.invoice_view(invoice)["lines"]):
            return True
    return False
