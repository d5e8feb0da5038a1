"""What finance reads from the funding read model (projector.funding): the sums of months and every line's split
for the exports (the only read that opens every sealed participant number and reference); the evaluation's
lines: shared.readmodels.evaluation_lines."""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from operator import itemgetter

from shared.finance.application.sums import FundingSums
from shared.finance.domain.sources import SOURCES
from shared.finance.domain.split import FundingLine, LineSplit
from shared.privacy.sealing import SHREDDED, open_each, shredded_name
from shared.readmodels.centimes import money
from shared.readmodels.statements import in_list

AMOUNTS = ", ".join(f"SUM(s_{s})" for s in SOURCES)
# from the sums the projector keeps per provider, month and Kostengutsprache (a few hundred rows a year, not
# every line: shared.readmodels.projector.funding_sums)
SUMS = f"SELECT provider, period, SUM(allowed), {AMOUNTS} FROM funding_month_sums WHERE period IN {{in}} " \
       "GROUP BY provider, period"  # noqa: S608
# per provider and Kostengutsprache (its keyed pseudonym) the amount; its text is sealed in funding_references
REFERENCES = """
SELECT provider, reference_key, SUM(s_social_service)
FROM funding_month_sums WHERE period IN {in} AND social_lines > 0
GROUP BY provider, reference_key
"""
SEALED = """
SELECT r.reference_key, r.subject, s.sealed, r.line_index FROM funding_references r
JOIN funding_sealed s ON s.invoice_id = r.invoice_id AND s.subject = r.subject WHERE r.reference_key IN {in}
"""
SUBJECTS = "SELECT reference_key, subject FROM funding_references WHERE reference_key IN {in}"
LINES = f"""
SELECT f.provider, f.period, f.subject, f.programme, f.funding, f.unit, f.refugee, f.invoice_id, f.line_row,
    f.received_at, f.exit_reason, f.line_index, f.allowed, {", ".join(f"f.s_{s}" for s in SOURCES)},
    f.waiver_id, f.credit_rule, s.sealed
FROM funding_lines f LEFT JOIN funding_sealed s ON s.invoice_id = f.invoice_id AND s.subject = f.subject
WHERE f.period IN {{in}}
"""  # noqa: S608

def funding_sums(store, periods: Sequence[str], vault, *, references: bool = True,
                 texts: ReferenceTexts | None = None) -> FundingSums:
    """The sums of these months: per provider and month, and per Kostengutsprache (each reference opened once,
    or read from `texts`, the references a process opened before; `references=False`: none, for a reader of the
    sums alone)."""
    sums = FundingSums()
    if not periods:
        return sums
    with store.read() as tx:
        totals = tx.execute(SUMS.replace("{in}", in_list(len(periods))), list(periods))
        refs = tx.execute(REFERENCES.replace("{in}", in_list(len(periods))), list(periods)) if references else []
    for provider, period, allowed, *amounts in totals:
        sums.add(provider, period, {s: money(a) for s, a in zip(SOURCES, amounts, strict=True)}, money(allowed))
    wanted = sorted({key for _, key, _ in refs if key})
    opened = texts(store, wanted, vault) if texts is not None else reference_texts(store, wanted, vault)
    for provider, key, amount in refs:
        target = (provider, opened.get(key, SHREDDED) if key else "")
        sums.references[target] = sums.references.get(target, Decimal(0)) + money(amount)
    return sums


def reference_texts(store, keys: list[str], vault) -> dict[str, str]:
    """Each Kostengutsprache's text by its key, opened («gelöscht» once its participant's key is shredded)."""
    with store.read() as tx:
        sealed = tx.select_in(SEALED, keys)
    opened = open_each([(subject, ct) for _, subject, ct, _ in sealed], vault) if vault is not None else []
    texts = {}
    for (key, _, _, index), personal in zip(sealed, opened, strict=False):
        text = (personal or {}).get("c", {}).get(str(index))
        texts[key] = text.strip() if text else SHREDDED
    return texts


class ReferenceTexts:
    """Each Kostengutsprache's text by its key, remembered once opened (the newest `size`). The key is a keyed hash
    of the text itself, so what it opened to stays true; it is shown only while the key of the participant whose
    line the reference points at is in the vault, as an opening would show it («gelöscht» once shredded). Profile
    of issue 16: opening a year's ~800 references (a participant's whole sealed part each) was a tenth of the
    finance page."""

    def __init__(self, size: int = 50_000):
        self._size = size
        self._texts: dict[str, str] = {}

    def __call__(self, store, keys: list[str], vault) -> dict[str, str]:
        if vault is None or not keys:
            return reference_texts(store, keys, vault)
        with store.read() as tx:
            subjects = dict(tx.select_in(SUBJECTS, keys))
        present = vault.keys(set(subjects.values()), create=False)
        found, missing = {}, []
        for key, subject in subjects.items():
            if present.get(subject) is None:
                found[key] = SHREDDED
            elif key in self._texts:
                found[key] = self._texts[key]
            else:
                missing.append(key)
        if missing:
            opened = reference_texts(store, missing, vault)
            if len(self._texts) + len(opened) > self._size:
                self._texts.clear()
            self._texts.update((k, text) for k, text in opened.items() if text != SHREDDED)
            found.update(opened)
        return found


def funding_splits(store, periods: Sequence[str], vault) -> list[LineSplit]:
    """Every line of these months with its split, the participant's number and reference opened (once per
    invoice and participant); «gelöscht (…)» where the participant's key has been shredded."""
    if not periods:
        return []
    with store.read() as tx:
        rows = tx.execute(LINES.replace("{in}", in_list(len(periods))), list(periods))
    # provider, month, receipt, invoice, row: sorted here, not by the database (a year's 9,034 lines with their
    # sealed parts: 30 ms of PostgreSQL's time per export, here 5 ms)
    rows.sort(key=itemgetter(0, 1, 9, 7, 8))
    pairs: dict[tuple[str, str], int] = {}
    for r in rows:
        if r[-1] is not None:
            pairs.setdefault((r[2], r[-1]), len(pairs))
    opened = open_each(list(pairs), vault) if vault is not None else [None] * len(pairs)
    result = []
    n = len(SOURCES)
    chf = Francs().__getitem__  # each amount made once (most of a line's sources are 0, tariffs repeat)
    for (provider, period, subject, programme, funding, unit, refugee, invoice, row, received_at, exit_reason,
         index, allowed, *rest) in rows:
        amounts, (waiver, rule, sealed) = rest[:n], rest[n:]
        personal = opened[pairs[(subject, sealed)]] if sealed is not None else None
        number = personal["p"] if personal else shredded_name(subject)
        reference = personal.get("c", {}).get(str(index)) if personal else None
        line = FundingLine(provider=provider, period=period, participant=number, programme=programme,
                           funding=funding, allowed=chf(allowed), unit=unit, cost_approval=reference,
                           refugee=bool(refugee), invoice=invoice, row=row, received_at=received_at,
                           exit_reason=exit_reason)
        result.append(LineSplit(line, dict(zip(SOURCES, map(chf, amounts), strict=True)), waiver, rule))
    return result


class Francs(dict):
    """Centimes → Decimal francs, each amount converted once per read."""

    def __missing__(self, centimes: int) -> Decimal:
        found = self[centimes] = money(centimes)
        return found
