"""The checks that look at one invoice line on its own (domain-rules §4), one function per code.

Each returns a Finding when the check hits, or None. The engine applies the effect.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from shared.checks import rules as R
from shared.checks.findings import Finding
from shared.checks.offerings import OfferingMatch
from shared.checks.trace import chf, date_de, qty, unit_name_de, units_de
from shared.costapprovals.domain.terms import ApprovalTerms
from shared.kernel.money import amount_str, floor_quarter, quantity_str, to_cents
from shared.kernel.periods import Period
from shared.register.domain.catalogue import ProgrammeType, Tariff, TariffEdition, programme_name_de
from shared.register.domain.offering import OfferingTerms
from shared.submissions.domain.deadlines import Deadlines
from shared.submissions.domain.documents import FUNDING_NAMES_DE, InvoiceLine

TOLERANCE = Decimal("0.01")


def tariff_above_max(unit: str, unit_price: Decimal, tariff: Tariff,
                     day_price: Decimal | None) -> Finding | None:
    """Unit price above the canton's maximum in force (a reduced day: above 70 % of the day's)."""
    if unit_price <= tariff.max_price:
        return None
    if unit == "reduced_day" and day_price is not None:
        message = (f"Ansatz {chf(unit_price)} über dem Höchsttarif {chf(tariff.max_price)} für Einsatztage "
                   f"unter 4 Stunden (70 % von {chf(day_price)}, Regel 4)")
    else:
        message = f"Ansatz {chf(unit_price)} über dem Höchsttarif {chf(tariff.max_price)}"
    return R.TARIFF_ABOVE_MAX.finding(message, unit_price=amount_str(unit_price),
                                      max_price=amount_str(tariff.max_price))


def tariff_above_agreed(unit_price: Decimal, agreed: tuple[Decimal, OfferingTerms] | None) -> Finding | None:
    """Unit price above the agreed tariff of the provider's offering, where one is registered."""
    if agreed is None or unit_price <= agreed[0]:
        return None
    price, offering = agreed
    return R.TARIFF_ABOVE_AGREED.finding(
        f"Ansatz {chf(unit_price)} über dem vereinbarten Tarif {chf(price)} des Angebots {offering.code}",
        unit_price=amount_str(unit_price), agreed_price=amount_str(price), offering=offering.code)


def unit_not_billable(line: InvoiceLine, ptype: ProgrammeType | None, billable: frozenset[str],
                      edition: str) -> Finding | None:
    """The unit has no tariff for the programme type in the month's edition (e.g. anything in Teillohn)."""
    if line.unit in billable:
        return None
    unit_de = unit_name_de(line.unit)
    if ptype is None:
        message = f"Programmart {line.programme} ist im Tarif {edition} nicht vorgesehen"
    elif not billable:
        message = f"In {ptype.name_de} ist nichts verrechenbar (Tarif {edition})"
    else:
        message = f"{unit_de} sind in {ptype.name_de} nicht verrechenbar (Tarif {edition})"
    return R.UNIT_NOT_BILLABLE.finding(message, unit=line.unit, programme=line.programme,
                                       billable_units=", ".join(sorted(billable)), edition=edition)


def quarter_hour(line: InvoiceLine) -> tuple[Finding, Decimal] | None:
    """Coaching hours not in quarter hours: rounded down to 0.25."""
    if line.unit != "coaching_hour":
        return None
    floored = floor_quarter(line.quantity)
    if floored == line.quantity:
        return None
    finding = R.QUARTER_HOUR.finding(
        f"{units_de(line.quantity, 'coaching_hour')} sind kein Vielfaches von 0.25, "
        f"abgerundet auf {qty(floored)}",
        billed_hours=quantity_str(line.quantity), allowed_hours=quantity_str(floored))
    return finding, floored


def social_assistance_only(line: InvoiceLine, ptype: ProgrammeType | None) -> Finding | None:
    """Suchthilfe Stundenlohn and Teillohn are open only to social-assistance recipients."""
    if ptype is None or not ptype.social_assistance_only or line.funding == "social_assistance":
        return None
    return R.SOCIAL_ASSISTANCE_ONLY.finding(
        f"{ptype.name_de} ist nur für Sozialhilfebeziehende offen "
        f"(Finanzierung: {FUNDING_NAMES_DE.get(line.funding, line.funding)})",
        programme=line.programme, funding=line.funding)


def cost_approval_missing(line: InvoiceLine) -> Finding | None:
    """A social-assistance participant needs the social service's Kostengutsprache."""
    if line.funding != "social_assistance" or (line.cost_approval or "").strip():
        return None
    return R.COST_APPROVAL_MISSING.finding(
        "Sozialhilfe ohne Kostengutsprache: verrechenbar erst mit der Referenz der Kostengutsprache",
        funding=line.funding, cost_approval="")


def amount_mismatch(line: InvoiceLine) -> Finding | None:
    """The amount is above quantity × unit price (to the centime), or below it by more than CHF 0.01: the
    lower one counts. The tolerance is for a centime rounded down; it never pays above the product."""
    computed = line.quantity * line.unit_price
    if computed - line.amount <= TOLERANCE and to_cents(line.amount) <= to_cents(computed):
        return None
    return R.AMOUNT_MISMATCH.finding(
        f"Betrag {chf(line.amount)} ≠ {qty(line.quantity)} × {chf(line.unit_price)} = {chf(computed)}; "
        f"der tiefere Betrag gilt",
        amount=amount_str(line.amount), computed=amount_str(computed))


def duplicate_line(line: InvoiceLine, name_de: str, first_row: int | None, earlier: bool) -> Finding | None:
    """The same participant, programme, offering, unit and month billed twice (Regel 1: one line each)."""
    if first_row is None and not earlier:
        return None
    offering = f", Angebot {line.offering}" if line.offering else ""
    what = (f"{line.participant}, {name_de}{offering}, {unit_name_de(line.unit, plural=False)}, "
            f"{line.period.label_de()}")
    if first_row is not None:
        return R.DUPLICATE_LINE.finding(
            f"Dieselbe Zeile ({what}) ist bereits in Zeile {first_row} verrechnet", first_row=str(first_row))
    return R.DUPLICATE_LINE.finding(
        f"Dieselbe Zeile ({what}) ist bereits in einer früheren Rechnung verrechnet", earlier_invoice="true")


def period_not_billable(line: InvoiceLine, future: bool, match: OfferingMatch,
                        no_tariff: TariffEdition | None = None) -> Finding | None:
    """Month in the future, before the first tariff edition (no_tariff: that first edition), outside the
    offering's validity, or outside the participant's dates."""
    period = line.period
    reasons: list[str] = []
    figures: dict[str, str] = {"period": str(period)}
    if no_tariff is not None:
        reasons.append(f"für {period.label_de()} gilt kein Tarif (erste Tarifausgabe {no_tariff.label} "
                       f"ab {date_de(no_tariff.valid_from)})")
        figures["edition"] = ""
        figures["first_edition_from"] = no_tariff.valid_from.isoformat()
    if future:
        reasons.append(f"{period.label_de()} liegt in der Zukunft")
        figures["future"] = "true"
    if match.candidates and not match.covering:
        spans = ", ".join(f"{o.code} gültig {_validity(o)}" for o in match.candidates)
        reasons.append(f"kein Angebot gültig im {period.label_de()} ({spans})")
        figures["offering_validity"] = "; ".join(f"{o.code}: {o.valid_from.isoformat()}–"
                                                 f"{o.valid_to.isoformat() if o.valid_to else ''}"
                                                 for o in match.candidates)
    if line.entry_date is not None and line.entry_date > period.last_day:
        reasons.append(f"Eintritt am {date_de(line.entry_date)}, nach dem verrechneten Monat")
        figures["entry_date"] = line.entry_date.isoformat()
    if line.exit_date is not None and line.exit_date < period.first_day:
        reasons.append(f"Austritt am {date_de(line.exit_date)}, vor dem verrechneten Monat")
        figures["exit_date"] = line.exit_date.isoformat()
    if not reasons:
        return None
    return R.PERIOD_NOT_BILLABLE.finding(f"Nicht verrechenbar: {'; '.join(reasons)}", **figures)


def _validity(o: OfferingTerms) -> str:
    return f"ab {date_de(o.valid_from)}" + (f" bis {date_de(o.valid_to)}" if o.valid_to else "")


def offering_not_registered(line: InvoiceLine, match: OfferingMatch, name_de: str) -> Finding | None:
    """The provider has no offering of the programme type registered for the month (a warning)."""
    if match.covering:
        return None
    code = f" «{line.offering}»" if line.offering else ""
    return R.OFFERING_NOT_REGISTERED.finding(
        f"Kein Angebot{code} der Programmart {name_de} für {line.period.label_de()} registriert",
        programme=line.programme, offering=line.offering or "", period=str(line.period))


def late_submission(period: Period, received_at: datetime | None, deadlines: Deadlines) -> Finding | None:
    """Received after the deadline, counted in the local date (Assumption: the 10th)."""
    if received_at is None or not deadlines.is_late(period, received_at):
        return None
    local, deadline = deadlines.local_date(received_at), deadlines.deadline(period)
    return R.LATE_SUBMISSION.finding(
        f"Rechnung {period.label_de()} am {date_de(local)} eingegangen, Frist {date_de(deadline)}",
        received=local.isoformat(), deadline=deadline.isoformat())


def cost_approval_unknown(line: InvoiceLine) -> Finding:
    """The provider has recorded Kostengutsprachen, and the line's reference is not among them (a warning)."""
    # the reference is personal (sealed with the participant): never in a message or a figure
    return R.COST_APPROVAL_UNKNOWN.finding(
        "Die Kostengutsprache dieser Zeile ist nicht erfasst: bitte unter «Kostengutsprachen» erfassen")


def cost_approval_not_valid(line: InvoiceLine, terms: ApprovalTerms, participant_key,
                            programme_types: Mapping[str, ProgrammeType]) -> Finding | None:
    """The month lies outside the recorded Kostengutsprache's validity, or it is for another participant or
    programme type (named from `programme_types`). `participant_key` turns the line's participant number into
    what terms.participant holds."""
    reasons = []
    if not terms.covers(line.period):
        reasons.append(f"gilt vom {date_de(terms.valid_from)} bis {date_de(terms.valid_to)}, nicht im "
                       f"{line.period.label_de()}")
    if participant_key(line.participant) != terms.participant:
        reasons.append("ist für eine andere Teilnehmernummer")
    if line.programme != terms.programme:
        reasons.append(f"ist für eine andere Programmart ({programme_name_de(programme_types, terms.programme)})")
    if not reasons:
        return None
    return R.COST_APPROVAL_NOT_VALID.finding(
        f"Die Kostengutsprache dieser Zeile {' und '.join(reasons)}",
        valid_from=terms.valid_from.isoformat(), valid_to=terms.valid_to.isoformat(), programme=terms.programme)
