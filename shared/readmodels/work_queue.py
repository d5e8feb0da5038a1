"""The supervisors' work queue across providers: invoices waiting for review and open findings, filtered,
sorted and paginated in SQL on the read models (no participant: the findings table holds none)."""
# Codes, not labels: the page names them. A notice about the whole document is one entry per invoice and message
# (the checks put it on every line it concerns; a decision covers them all), shown at its first row.
from __future__ import annotations

from dataclasses import dataclass

from shared.checks.notices import DOCUMENT_NOTICES
from shared.checks.rules import RULES
from shared.kernel.paging import clamped, page_count
from shared.kernel.periods import parse_period
from shared.readmodels import finding_counts
from shared.readmodels.centimes import amount
from shared.readmodels.statements import RULE_ORDER, chunks, in_list

PAGE_SIZE = 50
SEVERITIES = ("error", "warning")
# the sort keys a page may ask for, each with its SQL (a fixed list: nothing typed reaches the statement)
SORTS = {"monat": "f.period", "anbieter": "p.name", "regel": RULE_ORDER, "art": "f.severity",
         "zeile": "line_row"}
# the open findings as the projector lists them (finding_counts.LIST_OPEN: one row each, a notice once); counted
# without the joins the page's rows need (every unit has its provider and invoice: 44 → 22 ms for 117,763 units)
OPEN = """
FROM open_units f
JOIN providers p ON p.slug = f.provider
JOIN invoices i ON i.invoice_id = f.invoice_id
WHERE 1 = 1 {where}
"""
COUNT_OPEN = "SELECT COUNT(*) FROM open_units f WHERE 1 = 1 {where}"
# a finding of a programme type: one of its lines is of it (a notice about lines of several types is theirs each)
OF_PROGRAMME = ("EXISTS (SELECT 1 FROM findings x WHERE x.invoice_id = f.invoice_id AND x.code = f.code "
                "AND {unit} = f.unit_row AND x.programme = ?)").replace("{unit}",
                                                                       finding_counts.UNIT_ROW.replace("f.", "x."))
WAITING = """
SELECT i.invoice_id, i.provider, p.name, i.period, i.version, i.claimed, i.allowed, i.findings,
       r.returned_version, r.approved_version
FROM invoices i JOIN providers p ON p.slug = i.provider
LEFT JOIN reviews r ON r.invoice_id = i.invoice_id
WHERE (r.approved_version IS NULL OR r.approved_version <> i.version)
  AND (r.returned_version IS NULL OR r.returned_version <> i.version) {where}
ORDER BY i.period DESC, p.name, i.ordinal
"""


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows: provider slug, month YYYY-MM, rule code, severity; sort key and direction; page."""
    provider: str | None = None
    period: str | None = None
    year: int | None = None
    programme: str | None = None
    code: str | None = None
    severity: str | None = None
    sort: str = "monat"
    descending: bool = True
    page: int = 1

    @classmethod
    def of(cls, *, provider=None, period=None, year=None, programme=None, code=None, severity=None, sort=None,
           order=None, page=None) -> QueueFilter:
        """From a page's query: unknown values are dropped (all shown), a bad month is refused (Invalid); a
        month wins over a year."""
        period = str(parse_period(period, "monat")) if period else None
        return cls(provider=provider or None, period=period, year=None if period or not year else int(year),
                   programme=programme or None,
                   code=code if code in RULES else None, severity=severity if severity in SEVERITIES else None,
                   sort=sort if sort in SORTS else "monat", descending=(order or "ab") != "auf",
                   page=max(1, int(page or 1)))

    def where(self, prefix: str = "f.", finding_filters: bool = True) -> tuple[str, list]:
        clauses, params = [], []
        for column, value in (("provider", self.provider), ("period", self.period)):
            if value:
                clauses.append(f"{prefix}{column} = ?")
                params.append(value)
        if self.year:
            clauses.append(f"{prefix}period BETWEEN ? AND ?")
            params += [f"{self.year:04d}-01", f"{self.year:04d}-12"]
        if self.programme and finding_filters:
            clauses.append(OF_PROGRAMME)
            params.append(self.programme)
        elif self.programme:  # an invoice with a line of the programme type
            exists = ("EXISTS (SELECT 1 FROM invoice_programmes x WHERE x.invoice_id = {p}invoice_id "
                      "AND x.programme = ?)")
            clauses.append(exists.replace("{p}", prefix))  # the prefix is this module's, not input
            params.append(self.programme)
        if finding_filters:
            for column, value in (("code", self.code), ("severity", self.severity)):
                if value:
                    clauses.append(f"{prefix}{column} = ?")
                    params.append(value)
        return "".join(f" AND {c}" for c in clauses), params


def open_findings(views, chosen: QueueFilter, page_size: int = PAGE_SIZE) -> dict:
    """One page of the open findings: rows [{invoice, provider, name, period, version, code, severity, row,
    rows, programme, offering}], total, page, pages (programme, offering: those of the lines, None for a notice
    about lines of several, offering '' for none; two notices of one rule in one invoice, a capacity report missing
    for two types or offerings, differ by them)."""
    views.catch_up()
    where, params = chosen.where()
    total = views.rows(COUNT_OPEN.replace("{where}", where), params)[0][0]
    pages = page_count(total, page_size)
    page = clamped(chosen.page, pages)
    direction = "DESC" if chosen.descending else "ASC"
    order = f"{SORTS[chosen.sort]} {direction}, f.period DESC, p.name, {RULE_ORDER}, f.line_row"
    sql = ("SELECT f.invoice_id, f.provider, p.name, f.period, i.version, f.code, f.severity, f.line_row, "
           "f.line_count, f.programme, f.offering " + OPEN.replace("{where}", where)
           + f" ORDER BY {order} LIMIT ? OFFSET ?")
    rows = views.rows(sql, [*params, page_size, (page - 1) * page_size])
    return {"rows": [{"invoice": str(iid), "provider": prov, "name": name, "period": period, "version": version,
                      "code": code, "severity": severity, "row": row, "rows": int(count),
                      "notice": code in DOCUMENT_NOTICES, "programme": programme,
                      "offering": offering or None}
                     for iid, prov, name, period, version, code, severity, row, count, programme, offering in rows],
            "total": int(total), "page": page, "pages": pages}


def waiting_invoices(views, chosen: QueueFilter, *, open_counts: bool = True) -> list[dict]:
    """Invoices whose current version is neither approved nor returned, newest month first, with their open
    findings: invoice, provider, name, period, version, claimed, allowed, findings, open, status (`open_counts=False`:
    open is None, for a caller that only needs which invoices wait and in which order)."""
    views.catch_up()
    where, params = chosen.where("i.", finding_filters=False)
    found = views.rows(WAITING.replace("{where}", where), params)
    ids = [str(r[0]) for r in found] if open_counts else []
    open_: dict[str, int] = {}
    for chunk in chunks(ids):  # kept by the projector: the same count as the invoice's and the provider's pages
        open_.update({str(iid): int(n) for iid, n in views.rows(finding_counts.OPEN_OF.replace(
            "{in}", in_list(len(chunk))), list(chunk))})
    return [{"invoice": str(iid), "provider": prov, "name": name, "period": period, "version": version,
             "claimed": amount(claimed), "allowed": amount(allowed), "findings": int(findings),
             "open": open_.get(str(iid), 0) if open_counts else None,
             "status": "changed_since_approval" if approved is not None else "checked"}
            for iid, prov, name, period, version, claimed, allowed, findings, returned, approved in found]


def next_waiting(views, period: str, after: str) -> dict | None:
    """The invoice of the month `period` to review after the invoice `after`: the next one waiting in the
    queue's order (from the start again after the last; the first when `after` no longer waits), or None. Its open
    findings are not counted (the invoice page names the next one only; profile of issue 16: counting them for the
    month's waiting invoices was 8 % of the database's time in the closed loop)."""
    queue = waiting_invoices(views, QueueFilter(period=period), open_counts=False)
    ids = [w["invoice"] for w in queue]
    if str(after) in ids:
        at = ids.index(str(after))
        queue = queue[at + 1:] + queue[:at]
    return queue[0] if queue else None
