"""What both services' pages show of an invoice: German labels, lines with names, the merged history, CSV."""
from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from shared.aggregates.review import review_id
from shared.catalogue import UNIT_NAMES_DE
from shared.checks.rules import ORDER, RULES
from shared.format import chf
from shared.privacy.seal import open_event_texts
from shared.reviews import STATUS_DE

SEVERITY_DE = {"error": "Fehler", "warning": "Hinweis"}
DECISION_DE = {"confirmed": "bestätigt", "waived": "erlassen"}
FUNDING_DE = {"social_assistance": "Sozialhilfe", "self_payer": "Selbstzahler", "alv_iv": "ALV/IV"}
ROLE_DE = {"provider": "Programmanbietende", "supervisor": "Aufsicht", "finance": "Finanzen",
           "admin": "Administration"}
DOCUMENT_STATUS_DE = {"received": "eingegangen", "late": "verspätet", "missing": "fehlt",
                      "pending": "ausstehend"}
TOTAL_KEYS = (("claimed", "Verrechnet"), ("allowed", "Zulässig"), ("reduction", "Kürzung"))
REVIEW_EVENTS_DE = {"Approved": "Freigegeben", "ReturnedForCorrection": "Zur Korrektur zurückgewiesen"}


def check_title(code: str) -> str:
    rule = RULES.get(code)
    return rule.title_de if rule else code


def programme_name(catalogue, slug: str) -> str:
    pt = catalogue.programme_types.get(slug)
    return pt.name_de if pt else slug


def actor_de(actor: str | None) -> str:
    """«user:anna» → «anna»; tokens and the system keep their prefix so one can tell them apart."""
    if not actor:
        return ""
    return actor.removeprefix("user:")


def local_time(value, tz: str) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(ZoneInfo(tz))


def finding_counts(view: dict) -> dict:
    """Errors, warnings and the findings no supervisor has decided on yet, over all lines."""
    counts = {"error": 0, "warning": 0, "open": 0, "total": 0}
    for line in view.get("lines", []):
        for f in line["findings"]:
            counts[f["severity"]] = counts.get(f["severity"], 0) + 1
            counts["total"] += 1
            if not f.get("review"):
                counts["open"] += 1
    return counts


def invoice_page(portal, invoice, version: int | None = None) -> dict:
    """The invoice as the pages show it: the view with reviews, lines with German names, counts, versions."""
    view = portal.reporting.invoice_view(invoice, version)
    catalogue = portal.supervision.catalogue()
    lines = []
    for line in view["lines"]:
        findings = sorted(line["findings"], key=lambda f: ORDER.get(f["code"], 99))
        lines.append({**line, "programme_name": programme_name(catalogue, line["programme"]),
                      "unit_name": UNIT_NAMES_DE.get(line["unit"], line["unit"]),
                      "funding_name": FUNDING_DE.get(line.get("funding") or "", line.get("funding") or ""),
                      "findings": [{**f, "title": check_title(f["code"]),
                                    "severity_name": SEVERITY_DE.get(f["severity"], f["severity"])}
                                   for f in findings]})
    view = {**view, "lines": lines}
    tz = portal.settings.timezone
    review = portal.supervision.review_of(invoice.id)
    return {"invoice": view, "counts": finding_counts(view), "status_name": STATUS_DE.get(view["status"]),
            "approved_version": review.approved_version if review else None,
            "received": local_time(view["received_at"], tz), "latest_version": invoice.document_version,
            "versions": list(range(invoice.document_version, 0, -1)),
            "first_received": local_time(invoice.first_received_at, tz)}


def invoice_history(portal, invoice) -> list[dict]:
    """Every event of the invoice and of the supervisor's review, oldest first: who, when, which version,
    and by how much the totals changed against the previous check result."""
    tz = portal.settings.timezone
    entries = []
    previous: dict | None = None
    for h in portal.reporting.history(None, invoice.id):
        totals = h.get("totals")
        changes = []
        if totals and previous:
            for key, label in TOTAL_KEYS:
                diff = Decimal(totals[key]) - Decimal(previous[key])
                if diff:
                    changes.append(f"{label} {'+' if diff > 0 else '−'}{chf(abs(diff))}")
        if totals:
            previous = totals
        entries.append({"time": local_time(h["time"], tz), "label": h["label"], "actor": actor_de(h["actor"]),
                        "version": h["version"], "detail": h.get("reason") or "", "totals": totals,
                        "changes": changes, "kind": "document"})
    for ev in portal.supervision.repository.event_store.get(review_id(invoice.id)):
        kind, state = type(ev).__name__, open_event_texts(ev.__dict__, portal.supervision.sealer)
        if kind == "FindingReviewed":
            label = f"Befund {DECISION_DE.get(state['decision'], state['decision'])}"
            detail = f"Zeile {state['row']}, {check_title(state['code'])}"
            if state.get("comment"):
                detail += f": «{state['comment']}»"
        elif kind in REVIEW_EVENTS_DE:
            label = REVIEW_EVENTS_DE[kind]
            detail = state.get("reason") or state.get("comment") or ""
        else:
            continue
        entries.append({"time": local_time(ev.timestamp, tz), "label": label,
                        "actor": actor_de(state.get("actor")), "version": state.get("version"),
                        "detail": detail, "totals": None, "changes": [], "kind": "review"})
    entries.sort(key=lambda e: e["time"])
    return entries


def _cell(value) -> str:
    """Text a spreadsheet must not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _finding_text(f: dict) -> str:
    text = f"{f['code']} ({SEVERITY_DE.get(f['severity'], f['severity'])}): {f['message']}"
    if f.get("review"):
        text += f" [{DECISION_DE.get(f['review']['decision'], '')}]"
    return text


def lines_csv(view: dict) -> bytes:
    """The check result line by line, as Swiss Excel opens it: semicolons, UTF-8 with BOM."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Zeile", "Teilnehmer", "Programm", "Angebot", "Finanzierung", "Leistung", "Menge",
                     "Ansatz", "Verrechnet", "Zulässig", "Kürzung", "Befunde", "Berechnung"])
    for line in view["lines"]:
        findings = " | ".join(_finding_text(f) for f in line["findings"])
        writer.writerow([line["row"], _cell(line["participant"]), line["programme"],
                         _cell(line.get("offering")), line.get("funding") or "", line["unit"],
                         line["quantity"], line["unit_price"], line["claimed"], line["allowed"],
                         line["reduction"], _cell(findings), _cell(" / ".join(line.get("trace", [])))])
    totals = view["totals"]
    writer.writerow(["Total", "", "", "", "", "", "", "", totals["claimed"], totals["allowed"],
                     totals["reduction"], "", ""])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def download_name(kind: str, provider: str, period: str, version: int, ext: str) -> str:
    return f"{kind}-{provider}-{period}-v{version}.{ext}"
