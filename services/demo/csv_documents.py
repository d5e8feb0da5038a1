"""The CSV files as the provider's Excel writes them: invoices and capacity reports, UTF-8 or Windows-1252."""
from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from services.demo import cast as D
from services.demo.month_lines import NOT_BILLED, Line
from services.demo.participants import Participant
from shared.kernel.periods import Period
from shared.register.domain.catalogue import UNIT_NAMES_DE

# the spellings a provider writes in its files (the parsers accept them); not the portal's display labels
REASONS_DE = {"job_first_labour_market": "Stelle 1. Arbeitsmarkt", "apprenticeship": "Lehre",
              "programme_change": "Programmwechsel", "dropout": "Abbruch", "no_show": "Nichterscheinen",
              "regular_end": "Regulärer Abschluss", "other": "Andere"}
FUNDING_DE = {"social_assistance": "Sozialhilfe", "self_payer": "Selbstzahler", "alv_iv": "ALV"}
INVOICE_HEADER = ("Monat;Teilnehmer;Programm;Angebot;Finanzierung;Kostengutsprache;Eintritt;Austritt;"
                  "Austrittsgrund;Leistung;Menge;Ansatz;Betrag;Flüchtling/VA")
CAPACITY_HEADER = "Monat;Programm;Angebot;Plätze;Belegt;Eintritte;Austritte;Warteliste"


def invoice_csv(lines: Iterable[Line], period: Period, plan: D.ProviderPlan, catalogue) -> bytes:
    names = {pt.slug: pt.name_de for pt in catalogue.programme_types.values()}
    out = [INVOICE_HEADER]
    for ln in sorted(lines, key=lambda x: (x.participant.pid, x.unit)):
        p = ln.participant
        programme = ln.programme or p.offering.programme_type
        funding = ln.funding or p.funding
        approval = p.cost_approval if ln.cost_approval is None else ln.cost_approval
        exit_ = ln.exit or (p.exit if ln.show_exit else None)
        reason = ln.reason or (p.reason if ln.show_exit else None)
        out.append(";".join([
            f"{period.month:02d}.{period.year}", p.pid, names.get(programme, programme),
            p.offering.code if ln.offering_code is None else ln.offering_code, FUNDING_DE[funding],
            approval if funding == "social_assistance" else "", _date(p.entry) if ln.show_entry else "",
            _date(exit_) if exit_ else "", REASONS_DE[reason] if reason and exit_ else "",
            UNIT_NAMES_DE[ln.unit], _number(ln.quantity, plan), _amount(ln.price, plan),
            _amount(ln.total, plan),
            "ja" if p.refugee else "",
        ]))
    return _encode(out, plan)


def capacity_csv(people: list[Participant], period: Period, plan: D.ProviderPlan, catalogue,
                 rng: random.Random, billed: dict[str, set[str]] | None = None,
                 understate: bool = False) -> bytes:
    """One row per offering; `billed` (offering code -> participants invoiced) counts planted extra people."""
    names = {pt.slug: pt.name_de for pt in catalogue.programme_types.values()}
    first, last = period.first_day, period.last_day
    out = [CAPACITY_HEADER]
    understated = False
    for off in plan.offerings:
        if off.valid_to and date.fromisoformat(off.valid_to) < first:
            continue
        active = [p for p in people if p.offering is off and p.active(first, last)]
        occupied = max(len(active), len((billed or {}).get(off.code, ())))
        if understate and not understated and off.programme_type not in NOT_BILLED and occupied > 3:
            occupied -= 2  # reported at month end, after two exits: fewer than billed
            understated = True
        entries = sum(1 for p in active if first <= p.entry <= last)
        exits = sum(1 for p in active if p.exit is not None and p.exit <= last)
        out.append(";".join([f"{period.month:02d}.{period.year}", names[off.programme_type], off.code,
                             str(off.places), str(occupied), str(entries), str(exits),
                             str(rng.randint(0, 4))]))
    return _encode(out, plan)


def _date(day: date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def _number(value: Decimal, plan: D.ProviderPlan) -> str:
    text = format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))
    return text.replace(".", ",") if plan.decimal_comma else text


def _amount(value: Decimal, plan: D.ProviderPlan) -> str:
    text = f"{value:.2f}"
    if plan.decimal_comma:
        return text.replace(".", ",")
    whole, frac = text.split(".")
    if len(whole) > 3 and not whole.startswith("-"):
        whole = f"{whole[:-3]}'{whole[-3:]}"
    return f"{whole}.{frac}"


def _encode(rows: list[str], plan: D.ProviderPlan) -> bytes:
    if plan.decimal_comma:  # Excel «CSV (Trennzeichen-getrennt)» on Swiss Windows
        return ("\r\n".join(rows) + "\r\n").encode("cp1252")
    return ("\ufeff" + "\n".join(rows) + "\n").encode("utf-8")
