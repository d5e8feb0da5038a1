"""One handler per event kind: what each event changes in the batch (documents, reviews) or writes (register)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import msgspec

from shared.readmodels import statements as S
from shared.readmodels.projector import funding as F
from shared.readmodels.projector import topics as T
from shared.readmodels.projector.batch import Batch, InvoiceState, ReportState
from shared.register.domain.register import offering_id, provider_id

_encode = msgspec.json.Encoder().encode

# Each handler gets the batch, the notification (id, originator_id, topic) and the event's state as a dict.
Handler = Callable[[Batch, Any, dict], None]


# --- reporting: invoices and capacity reports --------------------------------------------------------
def invoice_received(batch: Batch, n, st: dict) -> None:
    """A new invoice: its row, totals per programme, findings and exits; its month to recompute."""
    sub = st["submission"]
    content = batch.decode_content(sub["body"])
    at = sub["received_at"]
    sealed = content.get("sealed") or {}
    batch.invoices[str(n.originator_id)] = InvoiceState(st["provider"], st["period"], n.id, at, sub["version"],
                                                        at, new=True, result=content["result"],
                                                        lines=content["lines"], filename=sub.get("filename"),
                                                        sealed=sealed, result_sealed=sealed,
                                                        warnings=_warnings(sub))
    batch.dirty_months.add((st["provider"], st["period"]))


def invoice_corrected(batch: Batch, n, st: dict) -> None:
    """A new version of an invoice: its lines and result replace the previous ones."""
    inv = batch.invoice(n)
    sub = st["submission"]
    content = batch.decode_content(sub["body"])
    inv.version, inv.received_at = sub["version"], sub["received_at"]
    inv.result, inv.lines = content["result"], content["lines"]
    inv.filename, inv.sealed = sub.get("filename"), content.get("sealed") or {}
    inv.result_sealed, inv.warnings = inv.sealed, _warnings(sub)
    batch.dirty_months.add((inv.provider, inv.period))


def _warnings(sub: dict) -> str | None:
    """The version's parser warnings as the views keep them: JSON text, None when there are none."""
    found = sub.get("warnings")
    return _encode(found).decode() if isinstance(found, list) and found else None


def invoice_reevaluated(batch: Batch, n, st: dict) -> None:
    """A new check result of the same version (e.g. after a capacity report): the result only."""
    inv = batch.invoice(n)
    found = batch.decode_result(st["result_body"])
    inv.result, inv.result_sealed = found["result"], found.get("sealed") or {}
    batch.dirty_months.add((inv.provider, inv.period))


def report_received(batch: Batch, n, st: dict) -> None:
    """A new capacity report: its rows; the month's capacity in force and the month to recompute."""
    sub = st["submission"]
    at = sub["received_at"]
    batch.reports[str(n.originator_id)] = ReportState(st["provider"], st["period"], n.id, at, sub["version"],
                                                      at, new=True, rows=sub["rows"], filename=sub.get("filename"),
                                                      warnings=_warnings(sub))
    batch.dirty_months.add((st["provider"], st["period"]))
    batch.dirty_capacity.add((st["provider"], st["period"]))


def report_corrected(batch: Batch, n, st: dict) -> None:
    """A new version of a capacity report: its rows replace the previous ones."""
    rep = batch.report(n)
    sub = st["submission"]
    rep.version, rep.received_at, rep.rows = sub["version"], sub["received_at"], sub["rows"]
    rep.filename, rep.warnings = sub.get("filename"), _warnings(sub)
    batch.dirty_capacity.add((rep.provider, rep.period))


# --- supervision: the register (few events: written at once, in order) ---------------------------------
def provider_registered(batch: Batch, n, st: dict) -> None:
    test = int(bool(st.get("integration_arbeit_test")))
    batch.tx.execute(S.UPSERT_PROVIDER, (st["slug"], st["name"], n.id, test))


def provider_changed(batch: Batch, n, st: dict) -> None:
    slugs = batch.tx.execute(S.SELECT_PROVIDER_SLUGS)
    slug = next((s for (s,) in slugs if provider_id(s) == n.originator_id), None)
    if slug is None:
        raise LookupError(f"Anbieter {n.originator_id} (Ereignis {n.id}) fehlt in den Lesemodellen")
    changes = st.get("changes") or {}
    for column in ("name", "active", "integration_arbeit_test"):
        if column in changes:
            value = changes[column]
            batch.tx.execute(S.UPDATE_PROVIDER.replace("{column}", column),
                             (int(value) if isinstance(value, bool) else value, slug))


def offering_registered(batch: Batch, n, st: dict) -> None:
    t = st["terms"]
    batch.tx.execute(S.UPSERT_OFFERING, (st["provider"], st["code"], t["programme_type"],
                                         t.get("name") or st["code"], int(t.get("places", 0)),
                                         t.get("valid_from"), t.get("valid_to")))


def offering_changed(batch: Batch, n, st: dict) -> None:
    key = next((k for k in batch.tx.execute(S.SELECT_OFFERING_KEYS) if offering_id(*k) == n.originator_id),
               None)
    if key is None:
        raise LookupError(f"Angebot {n.originator_id} (Ereignis {n.id}) fehlt in den Lesemodellen")
    t = st["terms"]
    for column in ("programme_type", "name", "places", "valid_from", "valid_to"):
        if column in t:
            batch.tx.execute(S.UPDATE_OFFERING.replace("{column}", column), (t[column], *key))


# --- supervision: reviews of invoices ------------------------------------------------------------------
def review_opened(batch: Batch, n, st: dict) -> None:
    invoice = st["invoice_id"]  # a UUID from the mapper, {"_type_": "uuid_hex", "_data_": …} from msgspec
    iid = str(UUID(invoice["_data_"]) if isinstance(invoice, dict) else invoice)
    rid = str(n.originator_id)
    batch.new_reviews[rid] = [iid, st["provider"], st["period"], None, None, None]
    batch.review_ids[rid] = (iid, st["provider"], st["period"])


def finding_reviewed(batch: Batch, n, st: dict) -> None:
    """A decision on one finding (the last one counts); the month's open findings to recompute."""
    iid, provider, period = batch.review(n)
    batch.decisions[(iid, st["row"], st["code"])] = (provider, period, st["decision"], st.get("comment") or "",
                                                     st.get("actor") or "", st["version"])
    batch.dirty_months.add((provider, period))


def findings_reviewed(batch: Batch, n, st: dict) -> None:
    """One decision on the finding `code` of several rows: as one finding_reviewed per row."""
    iid, provider, period = batch.review(n)
    decided = (provider, period, st["decision"], st.get("comment") or "", st.get("actor") or "", st["version"])
    for row in st["rows"]:
        batch.decisions[(iid, row, st["code"])] = decided
    batch.dirty_months.add((provider, period))


def approved(batch: Batch, n, st: dict) -> None:
    _review_state(batch, n, (st["version"], None, None))


def returned(batch: Batch, n, st: dict) -> None:
    _review_state(batch, n, (None, st["version"], st.get("reason") or ""))


def _review_state(batch: Batch, n, state: tuple) -> None:
    """approved version, returned version, reason: on the new review's row, or an update of a stored one."""
    batch.review(n)
    rid = batch.key(n)
    if rid in batch.new_reviews:
        batch.new_reviews[rid][3:] = state
    else:
        batch.review_states[rid] = state


HANDLERS: dict[str, Handler] = {
    T.INVOICE_RECEIVED: invoice_received, T.INVOICE_CORRECTED: invoice_corrected,
    T.INVOICE_REEVALUATED: invoice_reevaluated, T.REPORT_RECEIVED: report_received,
    T.REPORT_CORRECTED: report_corrected, T.PROVIDER_REGISTERED: provider_registered,
    T.PROVIDER_CHANGED: provider_changed, T.OFFERING_REGISTERED: offering_registered,
    T.OFFERING_CHANGED: offering_changed, T.REVIEW_OPENED: review_opened,
    T.FINDING_REVIEWED: finding_reviewed, T.FINDINGS_REVIEWED: findings_reviewed, T.APPROVED: approved,
    T.RETURNED: returned,
    T.WAIVER_DECIDED: F.waiver_decided, T.WAIVER_CHANGED: F.waiver_changed, T.WAIVER_REVOKED: F.waiver_revoked,
    T.RULE_RECORDED: F.credit_rule_changed, T.RULE_REVISED: F.credit_rule_changed,
}
