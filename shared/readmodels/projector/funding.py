"""The funding split per invoice line, projected: line facts from the invoices, the split from THE split call
(shared.finance.application.sums.split_funding) with the fee waivers as projected and the credit rules in force.

A line's split depends on its participant-month (a fee waiver's contribution is shared by the participant's
lines of a provider and month) and on the directory. So whatever concerns a participant — a new or corrected
invoice, a re-evaluation, a fee waiver decided, changed or revoked — splits all of that participant's lines
again (a few dozen), and a credit rule recorded or revised splits every line again (rare). Participants are
pseudonyms here; their numbers and Kostengutsprache references stay sealed as the events sealed them
(`funding_sealed`, opened only for the exports). A social-assistance line's social service (the reference's
prefix, not personal) and the reference's keyed pseudonym are read when the line is projected, with the
portal's key vault."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from shared.finance.application.sums import split_funding
from shared.finance.domain.sources import SOURCES
from shared.finance.domain.split import FundingLine, WaiverTerms
from shared.readmodels.centimes import cents, money
from shared.readmodels.projector.batch import Batch, InvoiceState
from shared.readmodels.projector.funding_sums import resum
from shared.readmodels.statements import chunks, with_in

FACTS = ("invoice_id", "seq", "line_row", "line_index", "provider", "period", "subject", "programme", "funding",
         "unit", "refugee", "received_at", "exit_reason", "reference_key", "allowed")
AMOUNTS = tuple(f"s_{s}" for s in SOURCES)
COLUMNS = (*FACTS, *AMOUNTS, "waiver_id", "credit_rule")
NFACTS = len(FACTS)
SELECT = "SELECT " + ", ".join(COLUMNS) + " FROM funding_lines"  # noqa: S608
INSERT_LINES = f"INSERT INTO funding_lines ({', '.join(COLUMNS)}) VALUES {{values}}"  # noqa: S608
INSERT_SEALED = "INSERT INTO funding_sealed (invoice_id, subject, sealed) VALUES {values}"
INSERT_REFERENCE = "INSERT INTO funding_references (reference_key, invoice_id, subject, line_index) VALUES {values}"
FIRST_LINES = """
SELECT reference_key, MIN(invoice_id || ' ' || subject || ' ' || line_index) FROM funding_lines
WHERE reference_key IN {in} AND reference_key <> '' GROUP BY reference_key
"""  # the second condition names the partial index funding_lines_reference (lines with a Kostengutsprache)
WAIVERS = "SELECT waiver_id, provider, subject, valid_from, valid_to, monthly_contribution FROM funding_waivers " \
          "WHERE active = 1"
UPSERT_WAIVER = """
INSERT INTO funding_waivers (waiver_id, provider, subject, valid_from, valid_to, monthly_contribution, active)
VALUES (?, ?, ?, ?, ?, ?, 1)
ON CONFLICT (waiver_id) DO UPDATE SET provider = excluded.provider, subject = excluded.subject,
    valid_from = excluded.valid_from, valid_to = excluded.valid_to,
    monthly_contribution = excluded.monthly_contribution
"""


@dataclass
class FundingContext:
    """What the projection needs besides the events: the supervision Application (credit rules in force) and
    the key vault (a social-assistance line's reference, read to key the Kostengutsprache)."""

    supervision: object
    vault: object | None
    _references: dict = field(default_factory=dict)

    @classmethod
    def of(cls, portal) -> FundingContext:
        sealer = getattr(portal.reporting, "sealer", None)
        return cls(portal.supervision, getattr(sealer, "vault", None))

    def reference_key(self, reference: str) -> str:
        """The reference's keyed pseudonym (remembered: references recur month after month)."""
        found = self._references.get(reference)
        if found is None:
            if len(self._references) > 100_000:
                self._references.clear()
            found = self.vault.reference_key(reference) if self.vault else reference
            self._references[reference] = found
        return found

    def subject(self, provider: str, line: dict) -> str:
        """The line's pseudonym (a body packed before sealing names the participant: pseudonymised here)."""
        if line.get("subject"):
            return line["subject"]
        number = line.get("participant") or ""
        return self.vault.participant_subject(provider, number) if self.vault else number


# --- handlers of the supervision log's finance events ---------------------------------------------------
def waiver_decided(batch: Batch, n, st: dict) -> None:
    ctx: FundingContext = batch.funding
    subject = st.get("subject") or ctx.subject(st["provider"], {"participant": st.get("participant")})
    batch.tx.execute(UPSERT_WAIVER, (str(n.originator_id), st["provider"], subject, st["valid_from"],
                                     st.get("valid_to"), st["monthly_contribution"]))
    batch.funding_people.add((st["provider"], subject))


def waiver_changed(batch: Batch, n, st: dict) -> None:
    provider, subject = _waiver(batch, n)
    subject = st.get("subject") or subject
    batch.tx.execute("UPDATE funding_waivers SET valid_from = ?, valid_to = ?, monthly_contribution = ?, "
                     "subject = ? WHERE waiver_id = ?", (st["valid_from"], st.get("valid_to"),
                                                         st["monthly_contribution"], subject, str(n.originator_id)))
    batch.funding_people.add((provider, subject))


def waiver_revoked(batch: Batch, n, st: dict) -> None:
    provider, subject = _waiver(batch, n)
    batch.tx.execute("UPDATE funding_waivers SET active = 0 WHERE waiver_id = ?", (str(n.originator_id),))
    batch.funding_people.add((provider, subject))


def credit_rule_changed(batch: Batch, n, st: dict) -> None:
    batch.funding_all = True


def _waiver(batch: Batch, n) -> tuple[str, str]:
    found = batch.tx.execute("SELECT provider, subject FROM funding_waivers WHERE waiver_id = ?",
                             (str(n.originator_id),))
    if not found:
        raise LookupError(f"Kostenerlass {n.originator_id} (Ereignis {n.id}) fehlt in den Lesemodellen")
    return found[0]


# --- the writer (called by writers.flush after the invoices) -------------------------------------------
def write_funding(batch: Batch) -> None:
    """The lines of the invoices this batch changed, then the split of every participant concerned."""
    tx = batch.tx
    fresh: list[tuple] = []
    sealed: list[tuple] = []
    replaced: list[str] = []
    versions = {iid: inv for iid, inv in batch.invoices.items() if inv.result is not None and inv.lines is not None}
    opened = _references_opened(versions, batch.funding)
    for iid, inv in batch.invoices.items():
        if inv.result is None:
            continue
        if inv.lines is None:  # a re-evaluation: the same lines, a new result
            fresh += _reevaluated(tx, iid, inv, batch.funding)
            replaced.append(iid)
            continue
        if not inv.new:
            replaced.append(iid)
        fresh += _facts(iid, inv, batch.funding, opened)
        sealed += [(iid, s, ct) for s, ct in (inv.sealed or {}).items()]
    references = {r[13] for r in fresh}
    for provider, subject, period, key in tx.take("funding_lines", ("provider", "subject", "period", "reference_key"),
                                                  ("invoice_id",), [(iid,) for iid in replaced]):
        batch.funding_months.add((provider, subject, period))
        references.add(key)
    tx.delete_in("DELETE FROM funding_sealed WHERE invoice_id IN {in}",
                 [iid for iid, inv in batch.invoices.items() if inv.lines is not None and not inv.new])
    tx.insert(INSERT_SEALED, sealed)
    batch.funding_months.update((r[4], r[6], r[5]) for r in fresh)
    split_again(batch, fresh)
    repoint(tx, references)


def _references_opened(versions: dict[str, InvoiceState], ctx: FundingContext) -> dict[tuple[str, str], dict]:
    """The sealed parts of the social-assistance participants of these versions, opened (one key lookup)."""
    if ctx.vault is None:
        return {}
    from shared.privacy.sealing import open_each

    places = sorted({(iid, cl["subject"]) for iid, inv in versions.items() if inv.sealed
                     for cl in inv.result["lines"]
                     if cl.get("funding") == "social_assistance" and cl.get("subject") in inv.sealed})
    parts = open_each([(s, versions[iid].sealed[s]) for iid, s in places], ctx.vault)
    return {place: part for place, part in zip(places, parts, strict=True) if part is not None}


def _facts(iid: str, inv: InvoiceState, ctx: FundingContext, opened: dict[tuple[str, str], dict]) -> list[tuple]:
    """One row of facts per checked line of a new version (amounts follow in split_again)."""
    by_row = {ln.get("row"): (i, ln) for i, ln in enumerate(inv.lines or [])}
    rows = []
    for seq, cl in enumerate(inv.result["lines"]):
        index, src = by_row.get(cl["row"], (-1, {}))
        subject = ctx.subject(inv.provider, cl)
        reference_key = ""
        if cl.get("funding") == "social_assistance":
            personal = opened.get((iid, subject))
            ref = (personal.get("c", {}).get(str(index)) if personal else src.get("cost_approval")) or ""
            ref = ref.strip()
            if ref:
                reference_key = ctx.reference_key(ref)
        rows.append((iid, seq, cl["row"], index, inv.provider, src.get("period") or inv.period, subject,
                     cl["programme"], cl.get("funding") or "", cl.get("unit") or "",
                     int(bool(src.get("refugee", cl.get("refugee", False)))), inv.first_received_at,
                     src.get("exit_reason"), reference_key, cents(cl["allowed"])))
    return rows


def repoint(tx, keys: set[str]) -> None:
    """Each Kostengutsprache these changes touched points at the first of its lines (none: it is gone)."""
    keys = sorted(k for k in keys if k)
    if not keys:
        return
    tx.delete_in("DELETE FROM funding_references WHERE reference_key IN {in}", keys)
    rows = []
    for chunk in chunks(keys):
        for key, first in tx.execute(with_in(FIRST_LINES, len(chunk)), chunk):
            invoice, subject, index = first.split(" ")
            rows.append((key, invoice, subject, int(index)))
    tx.insert(INSERT_REFERENCE, rows)


def _reevaluated(tx, iid: str, inv: InvoiceState, ctx: FundingContext) -> list[tuple]:
    """The stored facts of a re-evaluated invoice with the new result's programme, funding, unit and amount."""
    stored = {r[1]: r for r in tx.execute(SELECT + " WHERE invoice_id = ?", (iid,))}
    rows = []
    for seq, cl in enumerate(inv.result["lines"]):
        old = stored.get(seq)
        if old is None:
            continue
        rows.append((*old[:6], ctx.subject(inv.provider, cl), cl["programme"], cl.get("funding") or old[8],
                     cl.get("unit") or old[9], *old[10:14], cents(cl["allowed"])))
    return rows


def split_again(batch: Batch, fresh: list[tuple]) -> None:
    """The split of every line of the participants concerned (all lines after a credit rule changed)."""
    tx = batch.tx
    if not batch.funding_all and not batch.funding_people and not batch.funding_months:
        return
    # no line stored (a rebuild's first batch): none to take back, and every sum is made anew in one statement
    # (profile of a PostgreSQL rebuild: taking back nothing for ~5,000 participant-months took 23 ms, summing
    # provider by provider 27 statements, 42 ms, of 0.54 s)
    empty = not tx.execute("SELECT 1 FROM funding_lines LIMIT 1")
    stored = _split_again(batch, fresh, empty)
    # the months whose lines went or came, summed again (also those with no line left)
    months = {(p, period) for p, _, period in batch.funding_months}
    months.update((f[4], f[5]) for f in (*stored, *fresh))
    resum(tx, months, everything=batch.funding_all or empty)


def _split_again(batch: Batch, fresh: list[tuple], empty: bool) -> list[tuple]:
    """The lines concerned split again; returns those that were stored before (`empty`: none is stored)."""
    tx = batch.tx
    stored: list[tuple] = []
    if batch.funding_all:
        stored = tx.execute(SELECT)
        tx.execute("DELETE FROM funding_lines")
    elif not empty:  # the lines of each participant concerned, and of each participant-month the batch touched
        stored = tx.take("funding_lines", COLUMNS, ("provider", "subject"), sorted(batch.funding_people))
        stored += tx.take("funding_lines", COLUMNS, ("provider", "period", "subject"),
                          sorted((p, period, s) for p, s, period in batch.funding_months
                                 if (p, s) not in batch.funding_people))
    facts = [r[:NFACTS] for r in stored] + fresh
    if not facts:
        return stored
    lines = {}
    for f in facts:
        line = FundingLine(provider=f[4], period=f[5], participant=f[6], programme=f[7], funding=f[8],
                           allowed=money(f[14]), unit=f[9], refugee=bool(f[10]), invoice=f[0],
                           row=f[2], received_at=f[11], exit_reason=f[12])
        lines[id(line)] = (line, f)
    waivers = [WaiverTerms(id=w, provider=p, participant=s, valid_from=date.fromisoformat(a),
                           valid_to=date.fromisoformat(b) if b else None, monthly_contribution=Decimal(c))
               for w, p, s, a, b, c in tx.execute(WAIVERS)]
    rows = []
    for split in split_funding(batch.funding.supervision, [line for line, _ in lines.values()], waivers):
        fact = lines[id(split.line)][1]
        rows.append((*fact, *(int(split.amounts[s].scaleb(2)) for s in SOURCES), split.waiver, split.credit_rule))
    tx.insert(INSERT_LINES, rows)
    return stored

