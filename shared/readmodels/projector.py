"""Follows both notification logs in order and writes the read models exactly once per event.

Each batch is one transaction of the view store: read the source's tracking position, select the next
notifications after it, apply them, write the new position. A crash anywhere rolls the whole batch
back, position included, so a restart applies every event once (never twice, never skipped).

Only the topics the views need are selected (the store filters them); the position still moves to
the end of the range looked at. The document events (invoices, capacity reports) carry the whole
submission and check result: where the application stores plain JSON (no cipher, no compression,
no upcasting) they are read with msgspec into just the fields the views use, which is an order of
magnitude faster than building the domain event; otherwise, and for every other event, the
application's own mapper decodes them (`app.mapper.to_domain_event`). Both paths give the same dicts.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from shared.privacy.sealing import open_result
from shared.readmodels import store as V
from shared.readmodels.store import Tx, ViewStore, chunks
from shared.register.domain.register import Offering, Provider, offering_id, provider_id
from shared.review.domain.review import InvoiceReview
from shared.submissions.domain.capacity_report import CapacityReport
from shared.submissions.domain.invoice import Invoice

log = logging.getLogger("ami.projector")

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
APPROVED = get_topic(InvoiceReview.Approved)
RETURNED = get_topic(InvoiceReview.ReturnedForCorrection)

TOPICS = {
    "reporting": [INVOICE_RECEIVED, INVOICE_CORRECTED, INVOICE_REEVALUATED, REPORT_RECEIVED,
                  REPORT_CORRECTED],
    "supervision": [PROVIDER_REGISTERED, PROVIDER_CHANGED, OFFERING_REGISTERED, OFFERING_CHANGED,
                    REVIEW_OPENED, FINDING_REVIEWED, APPROVED, RETURNED],
}
EVENT_CLASSES = {INVOICE_RECEIVED: Invoice.Received, INVOICE_CORRECTED: Invoice.Corrected,
                 INVOICE_REEVALUATED: Invoice.Reevaluated, REPORT_RECEIVED: CapacityReport.Received,
                 REPORT_CORRECTED: CapacityReport.Corrected, REVIEW_OPENED: InvoiceReview.Opened,
                 FINDING_REVIEWED: InvoiceReview.FindingReviewed, APPROVED: InvoiceReview.Approved,
                 RETURNED: InvoiceReview.ReturnedForCorrection}
REVIEW_EVENTS = (FINDING_REVIEWED, APPROVED, RETURNED)


def cents(amount: str) -> int:
    """"1736.05" → 173605 (amounts in events are strings with two decimals, as amount_str writes them)."""
    if len(amount) > 3 and amount[-3] == ".":
        return int(amount[:-3] + amount[-2:])
    return int(Decimal(amount).scaleb(2).to_integral_value())


def _fast_decoders() -> dict[str, Callable[[bytes], dict]]:
    """msgspec decoders of the document events into plain dicts with only the fields the views read."""
    from shared.readmodels import decoding as D

    return D.decoders({
        INVOICE_RECEIVED: D.InvoiceReceivedFields, INVOICE_CORRECTED: D.InvoiceCorrectedFields,
        INVOICE_REEVALUATED: D.InvoiceReevaluatedFields, REPORT_RECEIVED: D.ReportReceivedFields,
        REPORT_CORRECTED: D.ReportCorrectedFields, REVIEW_OPENED: D.ReviewOpenedFields,
        FINDING_REVIEWED: D.FindingReviewedFields, APPROVED: D.ApprovedFields, RETURNED: D.ReturnedFields,
    })


# --- what a batch collects before it writes ------------------------------------------------------
@dataclass
class _Invoice:
    provider: str
    period: str
    ordinal: int
    first_received_at: str
    version: int
    received_at: str
    new: bool
    result: dict | None = None  # set when the result changed in this batch
    lines: list | None = None  # set when the submitted lines changed in this batch


@dataclass
class _Report:
    provider: str
    period: str
    ordinal: int
    first_received_at: str
    version: int
    received_at: str
    new: bool
    rows: list = field(default_factory=list)


class _Batch:
    """The effects of one batch of notifications of one source, written at the end in bulk."""

    def __init__(self, projector: Projector, tx: Tx):
        self.p = projector
        self.tx = tx
        self.invoices: dict[str, _Invoice] = {}
        self.reports: dict[str, _Report] = {}
        self.dirty_months: set[tuple[str, str]] = set()
        self.dirty_capacity: set[tuple[str, str]] = set()
        # review id -> invoice, provider, period, approved version, returned version, reason
        self.new_reviews: dict[str, list] = {}
        self.review_states: dict[str, tuple] = {}  # the last three, for reviews stored earlier
        self.decisions: dict[tuple, tuple] = {}

    # --- reporting ----------------------------------------------------------------------------
    def preload(self, notes: Iterable) -> None:
        """The stored state of documents that this batch corrects or re-evaluates but did not receive."""
        def ids(*topics: str) -> set[str]:
            return {str(n.originator_id) for n in notes if n.topic in topics}

        received = ids(INVOICE_RECEIVED, REPORT_RECEIVED)
        invoices = ids(INVOICE_CORRECTED, INVOICE_REEVALUATED)
        reports = ids(REPORT_CORRECTED)
        for chunk in chunks(sorted(invoices - received)):
            for iid, *row in self.tx.execute(V.with_in(V.SELECT_INVOICES_BY_ID, len(chunk)), chunk):
                self.invoices[iid] = _Invoice(*row, new=False)
        for chunk in chunks(sorted(reports - received)):
            for rid, *row in self.tx.execute(V.with_in(V.SELECT_REPORTS_BY_ID, len(chunk)), chunk):
                self.reports[rid] = _Report(*row, new=False)
        known = self.p.review_ids
        reviews = ids(*REVIEW_EVENTS) - ids(REVIEW_OPENED) - known.keys()
        for chunk in chunks(sorted(reviews)):
            for rid, *row in self.tx.execute(V.with_in(V.SELECT_REVIEWS_BY_ID, len(chunk)), chunk):
                known[rid] = tuple(row)

    def invoice_received(self, n, st: dict) -> None:
        sub = st["submission"]
        content = self.p.decode_content(sub["body"])
        at = sub["received_at"]
        self.invoices[str(n.originator_id)] = _Invoice(st["provider"], st["period"], n.id, at, sub["version"],
                                                       at, new=True, result=content["result"],
                                                       lines=content["lines"])
        self.dirty_months.add((st["provider"], st["period"]))

    def invoice_corrected(self, n, st: dict) -> None:
        inv = self._invoice(n)
        sub = st["submission"]
        content = self.p.decode_content(sub["body"])
        inv.version, inv.received_at = sub["version"], sub["received_at"]
        inv.result, inv.lines = content["result"], content["lines"]
        self.dirty_months.add((inv.provider, inv.period))

    def invoice_reevaluated(self, n, st: dict) -> None:
        inv = self._invoice(n)
        inv.result = self.p.decode_result(st["result_body"])
        self.dirty_months.add((inv.provider, inv.period))

    def _invoice(self, n) -> _Invoice:
        found = self.invoices.get(str(n.originator_id))
        if found is None:
            raise LookupError(f"Rechnung {n.originator_id} (Ereignis {n.id}) fehlt in den Lesemodellen")
        return found

    def report_received(self, n, st: dict) -> None:
        sub = st["submission"]
        at = sub["received_at"]
        self.reports[str(n.originator_id)] = _Report(st["provider"], st["period"], n.id, at, sub["version"],
                                                     at, new=True, rows=sub["rows"])
        self.dirty_months.add((st["provider"], st["period"]))
        self.dirty_capacity.add((st["provider"], st["period"]))

    def report_corrected(self, n, st: dict) -> None:
        rep = self.reports.get(str(n.originator_id))
        if rep is None:
            raise LookupError(f"Kapazitätsmeldung {n.originator_id} (Ereignis {n.id}) fehlt")
        sub = st["submission"]
        rep.version, rep.received_at, rep.rows = sub["version"], sub["received_at"], sub["rows"]
        self.dirty_capacity.add((rep.provider, rep.period))

    # --- supervision (few events: written at once, in order) -----------------------------------
    def provider_registered(self, n, st: dict) -> None:
        test = int(bool(st.get("integration_arbeit_test")))
        self.tx.execute(V.UPSERT_PROVIDER, (st["slug"], st["name"], n.id, test))

    def provider_changed(self, n, st: dict) -> None:
        slugs = self.tx.execute("SELECT slug FROM providers")
        slug = next((s for (s,) in slugs if provider_id(s) == n.originator_id), None)
        if slug is None:
            raise LookupError(f"Anbieter {n.originator_id} (Ereignis {n.id}) fehlt in den Lesemodellen")
        changes = st.get("changes") or {}
        for column in ("name", "active", "integration_arbeit_test"):
            if column in changes:
                value = changes[column]
                self.tx.execute("UPDATE providers SET " + column + " = ? WHERE slug = ?",  # noqa: S608
                                (int(value) if isinstance(value, bool) else value, slug))

    def offering_registered(self, n, st: dict) -> None:
        t = st["terms"]
        self.tx.execute(V.UPSERT_OFFERING, (st["provider"], st["code"], t["programme_type"],
                                            t.get("name") or st["code"], int(t.get("places", 0)),
                                            t.get("valid_from"), t.get("valid_to")))

    def offering_changed(self, n, st: dict) -> None:
        key = next((k for k in self.tx.execute("SELECT provider, code FROM offerings")
                    if offering_id(*k) == n.originator_id), None)
        if key is None:
            raise LookupError(f"Angebot {n.originator_id} (Ereignis {n.id}) fehlt in den Lesemodellen")
        t = st["terms"]
        for column in ("programme_type", "name", "places", "valid_from", "valid_to"):
            if column in t:
                self.tx.execute("UPDATE offerings SET " + column + " = ? WHERE provider = ? AND code = ?",  # noqa: S608
                                (t[column], *key))

    def review_opened(self, n, st: dict) -> None:
        invoice = st["invoice_id"]  # a UUID from the mapper, {"_type_": "uuid_hex", "_data_": …} from msgspec
        iid = str(UUID(invoice["_data_"]) if isinstance(invoice, dict) else invoice)
        rid = str(n.originator_id)
        self.new_reviews[rid] = [iid, st["provider"], st["period"], None, None, None]
        self.p.review_ids[rid] = (iid, st["provider"], st["period"])

    def finding_reviewed(self, n, st: dict) -> None:
        iid, provider, period = self._review(n)
        self.decisions[(iid, st["row"], st["code"])] = (st["decision"], st.get("comment") or "",
                                                        st.get("actor") or "", st["version"])
        self.dirty_months.add((provider, period))

    def approved(self, n, st: dict) -> None:
        self._review_state(n, (st["version"], None, None))

    def returned(self, n, st: dict) -> None:
        self._review_state(n, (None, st["version"], st.get("reason") or ""))

    def _review_state(self, n, state: tuple) -> None:
        self._review(n)
        rid = str(n.originator_id)
        if rid in self.new_reviews:
            self.new_reviews[rid][3:] = state
        else:
            self.review_states[rid] = state

    def _review(self, n) -> tuple[str, str, str]:
        found = self.p.review_ids.get(str(n.originator_id))
        if found is None:
            raise LookupError(f"Prüfung {n.originator_id} (Ereignis {n.id}) fehlt in den Lesemodellen")
        return found

    # --- write ---------------------------------------------------------------------------------
    def flush(self) -> None:
        self._write_invoices()
        self._write_reports()
        self.tx.insert(V.INSERT_REVIEW, [(rid, *row) for rid, row in self.new_reviews.items()])
        self.tx.executemany(V.UPDATE_REVIEW, [(*state, rid) for rid, state in self.review_states.items()])
        self.tx.insert(V.UPSERT_DECISION, [(*key, *value) for key, value in self.decisions.items()])
        if self.dirty_capacity:
            self._recompute_capacity(sorted(self.dirty_capacity))
        if self.dirty_months or self.dirty_capacity:
            self._recompute_months(sorted(self.dirty_months | self.dirty_capacity))

    def _write_invoices(self) -> None:
        rows, programmes, findings, exits = [], [], [], []
        stale_results, stale_lines = [], []
        for iid, inv in self.invoices.items():
            if inv.result is None:
                continue  # preloaded, then nothing changed it
            result = inv.result
            provider, period = inv.provider, inv.period
            per_programme: dict[str, list[int]] = {}
            seq = 0
            for line in result["lines"]:
                programme = line["programme"]
                agg = per_programme.get(programme)
                if agg is None:
                    agg = per_programme[programme] = [0, 0, 0]
                agg[0] += 1
                agg[1] += cents(line["claimed"])
                agg[2] += cents(line["allowed"])
                for f in line["findings"]:
                    findings.append((iid, seq, line["row"], f["code"], f["severity"], provider, period,
                                     programme))
                    seq += 1
            for programme, (count, claimed, allowed) in per_programme.items():
                programmes.append((iid, provider, period, programme, count, claimed, allowed,
                                   claimed - allowed))
            totals = result["totals"]
            rows.append((iid, provider, period, inv.ordinal, inv.version, inv.first_received_at,
                         inv.received_at, result.get("edition"), cents(totals["claimed"]),
                         cents(totals["allowed"]), cents(totals["reduction"]), len(result["lines"]), seq))
            if not inv.new:
                stale_results.append(iid)
            if inv.lines is not None:
                if not inv.new:
                    stale_lines.append(iid)
                seen: set[tuple] = set()
                for line in inv.lines:
                    reason = line.get("exit_reason")
                    if reason:
                        who = line.get("subject") or line["participant"]  # the pseudonym: the number is sealed
                        key = (line["programme"], line.get("offering") or "", who)
                        if key not in seen:  # one exit per participant and offering, whatever the units
                            seen.add(key)
                            exits.append((iid, provider, period, *key, line.get("exit_date"), reason))
        tx = self.tx
        tx.delete_in(V.DELETE_INVOICE_PROGRAMMES, stale_results)
        tx.delete_in(V.DELETE_FINDINGS, stale_results)
        tx.delete_in(V.DELETE_EXITS, stale_lines)
        tx.insert(V.UPSERT_INVOICE, rows)
        tx.insert(V.INSERT_INVOICE_PROGRAMME, programmes)
        tx.insert(V.INSERT_FINDING, findings)
        tx.insert(V.INSERT_EXIT, exits)

    def _write_reports(self) -> None:
        rows, report_rows, stale = [], [], []
        for rid, rep in self.reports.items():
            rows.append((rid, rep.provider, rep.period, rep.ordinal, rep.version, rep.first_received_at,
                         rep.received_at))
            if not rep.new:
                stale.append(rid)
            for r in rep.rows:
                report_rows.append((rid, r["row"], rep.provider, rep.period, r["programme"],
                                    r.get("offering") or "", r["places"], r["occupied"], r["entries"],
                                    r["exits"], r.get("waiting_list")))
        self.tx.delete_in(V.DELETE_CAPACITY_ROWS, stale)
        self.tx.insert(V.UPSERT_REPORT, rows)
        self.tx.insert(V.INSERT_CAPACITY_ROW, report_rows)

    def _recompute_capacity(self, keys: list[tuple[str, str]]) -> None:
        """The rows in force per offering-month: in filing order, a later row replaces an earlier one."""
        tx = self.tx
        for periods, providers, pairs in _spans(keys):
            wanted = set(pairs)
            effective: dict[tuple, tuple] = {}
            for provider, period, programme, offering, *values in tx.execute(
                    *V.with_span(V.SELECT_MONTH_CAPACITY_ROWS, periods, providers)):
                if (provider, period) in wanted:
                    effective[(provider, period, programme, offering)] = tuple(values)
            tx.execute(*V.with_pairs(V.DELETE_MONTH_CAPACITY, pairs))
            tx.insert(V.INSERT_CAPACITY, [(*k, *v) for k, v in effective.items()])

    def _recompute_months(self, keys: list[tuple[str, str]]) -> None:
        """provider_months from the documents' rows: amounts, first receipts, findings still open.

        One query per kind for all the batch's months (a few extra rows fetched, far fewer round trips)."""
        tx = self.tx
        upserts, deletes = [], []
        for periods, providers, pairs in _spans(keys):
            months = {key: _Month() for key in pairs}
            for provider, period, iid, first, claimed, allowed, reduction in tx.execute(
                    *V.with_span(V.SELECT_MONTH_INVOICES, periods, providers)):
                m = months.get((provider, period))
                if m is not None:
                    m.invoices.append(first)
                    m.ids.append(iid)
                    m.claimed += claimed
                    m.allowed += allowed
                    m.reduction += reduction
            for provider, period, count, still_open in tx.execute(
                    *V.with_span(V.SELECT_MONTH_FINDINGS, periods, providers)):
                m = months.get((provider, period))
                if m is not None:
                    m.findings, m.open = int(count), int(still_open or 0)
            reports = tx.execute(*V.with_span(V.SELECT_MONTH_REPORTS, periods, providers))
            for provider, period, first in reports:
                m = months.get((provider, period))
                if m is not None:
                    m.reports.append(first)
            for (provider, period), m in months.items():
                if not m.invoices and not m.reports:
                    deletes.append((provider, period))
                else:
                    upserts.append((provider, period, _earliest(m.invoices), _earliest(m.reports), len(m.ids),
                                    m.claimed, m.allowed, m.reduction, m.findings, m.open, json.dumps(m.ids)))
        if deletes:
            tx.execute(*V.with_pairs(V.DELETE_PROVIDER_MONTHS, deletes))
        tx.insert(V.UPSERT_PROVIDER_MONTH, upserts)


@dataclass
class _Month:
    invoices: list[str] = field(default_factory=list)  # first receipts
    reports: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    claimed: int = 0
    allowed: int = 0
    reduction: int = 0
    findings: int = 0
    open: int = 0


def _spans(keys: list[tuple[str, str]], size: int = 200) -> list[tuple[list[str], list[str], list]]:
    """The (provider, period) keys in groups: each group's months, providers and keys."""
    result = []
    for group in chunks(sorted(keys, key=lambda k: (k[1], k[0])), size):
        result.append((sorted({k[1] for k in group}), sorted({k[0] for k in group}), list(group)))
    return result


def _earliest(stamps: list[str]) -> str | None:
    """The first receipt as stored (the instant decides, whatever the offset it was written with)."""
    return min(stamps, key=datetime.fromisoformat) if stamps else None


HANDLERS: dict[str, Callable[[_Batch, Any, dict], None]] = {
    INVOICE_RECEIVED: _Batch.invoice_received, INVOICE_CORRECTED: _Batch.invoice_corrected,
    INVOICE_REEVALUATED: _Batch.invoice_reevaluated, REPORT_RECEIVED: _Batch.report_received,
    REPORT_CORRECTED: _Batch.report_corrected, PROVIDER_REGISTERED: _Batch.provider_registered,
    PROVIDER_CHANGED: _Batch.provider_changed, OFFERING_REGISTERED: _Batch.offering_registered,
    OFFERING_CHANGED: _Batch.offering_changed, REVIEW_OPENED: _Batch.review_opened,
    FINDING_REVIEWED: _Batch.finding_reviewed, APPROVED: _Batch.approved, RETURNED: _Batch.returned,
}


class Projector:
    """Projects both Applications' notification logs into a ViewStore.

    `run()` goes to the end of both logs as they are now; `follow()` keeps going until stopped.
    """

    def __init__(self, portal, store: ViewStore, *, batch_size: int = 1000, fast: bool = True):
        self.apps = {"reporting": portal.reporting, "supervision": portal.supervision}
        self.store = store
        self.batch_size = batch_size
        self.decoders = {source: self._decoders(app) if fast else {} for source, app in self.apps.items()}
        # an invoice body: typed decoding reads only the fields the views use (sealed parts skipped unread);
        # the mapper path opens it the general way, for the comparison in the tests
        if fast:
            from shared.readmodels.decoding import body_decoders

            self.decode_content, self.decode_result = body_decoders()
        else:
            from shared.privacy.sealing import open_content

            self.decode_content, self.decode_result = open_content, open_result
        # immutable facts, safe to remember across transactions (and across a rebuild)
        self.review_ids: dict[str, tuple[str, str, str]] = {}

    @staticmethod
    def _decoders(app) -> dict[str, Callable[[bytes], dict]]:
        mapper = app.mapper
        if getattr(mapper, "cipher", None) or getattr(mapper, "compressor", None):
            return {}
        fast = _fast_decoders()
        return {topic: dec for topic, dec in fast.items()
                if getattr(EVENT_CLASSES[topic], "class_version", 1) == 1}

    def heads(self) -> dict[str, int]:
        return {source: app.recorder.max_notification_id() or 0 for source, app in self.apps.items()}

    def pending(self) -> bool:
        """Whether either log has events beyond the tracked positions (cheap: three small queries)."""
        heads = self.heads()
        positions = self.store.positions()
        return any(heads[s] > positions.get(s, 0) for s in SOURCES)

    def run(self, *, max_events: int | None = None, heads: dict[str, int] | None = None,
            progress: Callable[[str, int, int], None] | None = None) -> int:
        """Project every event up to the logs' current ends (or `heads`); at most `max_events` (for tests).

        Returns the number of events applied. progress(source, position, head) is called after each batch.
        """
        heads = heads or self.heads()
        applied = 0
        for source in SOURCES:
            while True:
                budget = None if max_events is None else max_events - applied
                if budget == 0:
                    return applied
                count, position = self._batch(source, heads[source], budget)
                applied += count
                if progress is not None:
                    progress(source, position, heads[source])
                if position >= heads[source]:
                    break
        return applied

    def _batch(self, source: str, head: int, budget: int | None) -> tuple[int, int]:
        """One transaction: the next notifications after the tracked position, applied, position moved."""
        app = self.apps[source]
        limit = self.batch_size if budget is None else min(self.batch_size, budget)
        decoders = self.decoders[source]
        with self.store.write() as tx:
            position = tx.position(source)
            if position >= head:
                return 0, position
            notes = app.recorder.select_notifications(position + 1, limit, stop=head, topics=TOPICS[source])
            batch = _Batch(self, tx)
            batch.preload(notes)
            for n in notes:
                self.apply(batch, app, decoders, n)
            batch.flush()
            # Fewer than asked for: nothing else of interest up to head, so the position moves to head.
            position = notes[-1].id if len(notes) == limit else head
            tx.set_position(source, position)
        return len(notes), position

    def apply(self, batch: _Batch, app, decoders: dict, n) -> None:
        decode = decoders.get(n.topic)
        if decode is not None:
            state = decode(n.state)
        else:
            state = app.mapper.to_domain_event(n).__dict__
        HANDLERS[n.topic](batch, n, state)

    def rebuild(self, progress: Callable[[str, int, int], None] | None = None) -> int:
        """Drop the views and replay both logs: the same figures, from the events alone."""
        self.store.reset(drop=True)
        return self.run(progress=progress)

    def follow(self, stop: threading.Event, *, poll: float = 0.5,
               on_batch: Callable[[int], None] | None = None) -> None:
        """Keep the views current until `stop` is set. On PostgreSQL only one follower runs at a time
        (a session advisory lock; a second one waits for it) and it wakes on NOTIFY as well as by polling.
        When the database goes away (restart, failover) the follower connects again and competes for the
        lock anew: a restarted server has released it, so another follower may have taken over meanwhile."""
        while not stop.is_set():
            leader = listener = None
            try:
                leader = self._leader(stop, poll)
                listener = self._listener()
                self._follow_connected(leader, listener, stop, poll, on_batch)
            except Exception:  # the store went away (or never came): wait, connect again
                log.exception("Projektor ohne Datenbank; neuer Versuch in %.1f s", poll * 4)
                stop.wait(poll * 4)
            finally:
                for conn in (listener, leader):
                    if conn is not None and not conn.closed:
                        conn.close()

    def _follow_connected(self, leader, listener, stop: threading.Event, poll: float,
                          on_batch: Callable[[int], None] | None) -> None:
        """Project while this follower's connections live; return when one of them broke."""
        while not stop.is_set():
            if any(c is not None and (c.closed or c.broken) for c in (leader, listener)):
                log.warning("Verbindung zur Datenbank verloren; der Projektor verbindet sich neu.")
                return
            try:
                count = self.run()
            except Exception:  # the store went away for a moment: log, wait, try again
                log.exception("Projektion fehlgeschlagen; neuer Versuch in %.1f s", poll * 4)
                stop.wait(poll * 4)
                continue
            if on_batch is not None and count:
                on_batch(count)
            if count == 0:
                self._wait(listener, stop, poll)

    def _leader(self, stop: threading.Event, poll: float):
        if self.store.backend != "postgres":
            return None
        from shared.readmodels.store import LEADER_LOCK
        from shared.store.eventstore import connect_postgres

        conn = connect_postgres(self.store.url)  # type: ignore[attr-defined]
        announced = False
        while not stop.is_set():
            if conn.execute("SELECT pg_try_advisory_lock(%s)", (LEADER_LOCK,)).fetchone()[0]:
                return conn
            if not announced:
                log.warning("Ein anderer Projektor ist aktiv; dieser wartet.")
                announced = True
            stop.wait(max(poll, 1.0))
        conn.close()
        return None

    def _listener(self):
        if self.store.backend != "postgres":
            return None
        from shared.store.eventstore import connect_postgres

        conn = connect_postgres(self.store.url)  # type: ignore[attr-defined]
        for app in self.apps.values():
            channel = getattr(app.recorder, "channel_name", None)
            if channel:
                conn.execute(f'LISTEN "{channel}"')
        return conn

    @staticmethod
    def _wait(listener, stop: threading.Event, poll: float) -> None:
        if listener is None:
            stop.wait(poll)
            return
        deadline = time.monotonic() + max(poll, 2.0)  # NOTIFY wakes at once; the timeout is a safety net
        while not stop.is_set() and time.monotonic() < deadline:
            for _ in listener.notifies(timeout=min(poll, 0.5), stop_after=1):
                return


def run_command(portal, *, follow: bool = False, rebuild: bool = False, echo: Callable[[str], None] = print,
                stop: threading.Event | None = None) -> int:
    """`ami project`: to the end of both logs once; `--rebuild` from scratch; `--follow` until stopped."""
    views = portal.views
    projector = views.projector
    t0 = time.perf_counter()
    if rebuild:
        count = projector.rebuild()
        echo(f"Lesemodelle neu aufgebaut: {count} Ereignisse in {time.perf_counter() - t0:.1f} s")
    elif not follow:
        count = projector.run()
        echo(f"{count} Ereignisse projiziert in {time.perf_counter() - t0:.1f} s; Positionen "
             + ", ".join(f"{k} {v}" for k, v in sorted(views.store.positions().items())))
    if follow:
        stop = stop or threading.Event()
        echo(f"Projektor folgt den Ereignissen ({views.store.backend}); Ende mit Ctrl-C.")
        projector.follow(stop, on_batch=lambda n: log.info("%d Ereignisse projiziert", n))
    return 0
