"""Whether a provider ever billed a participant (the finance page asks before a fee waiver for a number never
billed) from the read models: by the number's pseudonym, without replaying the provider's invoices — the same
answer as opening every line of the latest version of each invoice, also after a correction drops a participant
and after a participant is shredded; on SQLite and PostgreSQL."""
from __future__ import annotations

from uuid import UUID

from shared.privacy.shredding import shred_participant
from shared.readmodels.search import ever_billed
from tests.integration.projector_cases import csv
from tests.integration.test_invoice_file_reads import counted_reads

LINE = "03.2025;{};Qualifizierung;;Selbstzahler;;;;;Einsatztag;2;100;200"


def replayed(portal, provider: str, participant: str) -> bool:
    """The answer as it was read before (every line of every invoice opened)."""
    rep = portal.reporting
    return any(line.get("participant") == participant.strip()
               for invoice in rep.invoices(provider) for line in rep.invoice_view(invoice)["lines"])


def test_ever_billed_is_the_replays_answer_without_reading_an_invoice(portal):
    rep = portal.reporting
    stored = rep.submit_invoice("regiomech", csv(LINE.format("B-1"), LINE.format("B-2")), "test")
    rep.submit_invoice("oltech", csv(LINE.format("O-7")), "test")
    cases = [("regiomech", "B-1"), ("regiomech", " B-2 "), ("regiomech", "B-3"), ("oltech", "B-1"),
             ("oltech", "O-7"), ("regiomech", ""), ("nowhere", "B-1")]

    def answers() -> list[bool]:
        with counted_reads(rep.recorder) as reads:
            found = [ever_billed(portal, provider, number) for provider, number in cases]
        assert not reads  # no invoice, month or ledger replayed
        assert found == [replayed(portal, provider, number) for provider, number in cases]
        return found

    assert answers() == [True, True, False, False, True, False, False]
    rep.correct_invoice("regiomech", UUID(stored.document["id"]), csv(LINE.format("B-1")), "test")
    assert answers()[:2] == [True, False]  # the latest version no longer bills B-2
    shred_participant(portal, "regiomech", "B-1", "user:sara")
    assert answers()[0] is False  # shredded: its lines no longer name the number
