"""What the provider's pages list of an invoice's latest result: its findings as stored, and their ciphertexts.

A line's own findings in line order, then each notice about the whole invoice once with its rows
(shared.checks.notices), as the invoice's page shows them. The view keeps the skeleton the event holds: the
participant's pseudonym, a message that quotes a person as null with the key of its sealed text, and the
ciphertext per participant with a finding, opened only when a page is read (shared.readmodels.provider_view)."""
from __future__ import annotations

import msgspec

from shared.checks.notices import is_notice
from shared.readmodels import statements as S
from shared.readmodels.projector.batch import Batch

_encode = msgspec.json.Encoder().encode


def write_page_findings(batch: Batch, stale: list[str], notices: dict[str, list[dict]]) -> None:
    """The page findings and sealed participants of every invoice whose result changed in this batch (`notices`:
    each one's notices, as `invoice_notices` grouped them for the findings table)."""
    findings, sealed = [], []
    for iid, inv in batch.invoices.items():
        if inv.result is None:
            continue
        rows, subjects = page_rows(iid, inv.provider, inv.period, inv.result["lines"], notices[iid])
        findings += rows
        ciphertexts = inv.result_sealed or {}
        sealed += [(iid, s, ciphertexts[s]) for s in sorted(subjects) if s in ciphertexts]
    tx = batch.tx
    tx.delete_in(S.DELETE_PAGE_FINDINGS, stale)
    tx.delete_in(S.DELETE_SEALED_PARTICIPANTS, stale)
    tx.insert(S.INSERT_PAGE_FINDING, findings)
    tx.insert(S.INSERT_SEALED_PARTICIPANT, sealed)


def page_rows(iid: str, provider: str, period: str, lines: list[dict],
              notices: list[dict]) -> tuple[list[tuple], set[str]]:
    """(page_findings rows, the pseudonyms they name) of one result's lines as stored and its notices."""
    rows: list[tuple] = []
    subjects: set[str] = set()
    for i, line in enumerate(lines):
        if not line["findings"]:
            continue
        # the pseudonym; a result stored before sealing carries the number itself, as the event does
        who = line.get("subject") or line.get("participant")
        for j, f in enumerate(line["findings"]):
            if is_notice(f):
                continue
            key = f"{i}.{j}" if f.get("message") is None else None
            rows.append((iid, len(rows), provider, period, line["row"], f["code"], f["severity"], who, key,
                         _encode(f).decode()))
            subjects.add(who)
    for n in notices:
        rows.append((iid, len(rows), provider, period, n["rows"][0], n["code"], n["severity"], None, None,
                     _encode(n).decode()))
    return rows, subjects
