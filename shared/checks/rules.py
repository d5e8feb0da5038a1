"""The check catalogue of domain-rules §4: one named rule per code, with severity, rule reference and effect.

The detection of each check lives in `line_checks` (one line at a time) and `group_checks` (several
lines of a participant, an offering or a month); this module only says what each check *is*.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shared.checks.findings import ERROR, WARNING, Finding

# What an error does to the allowed amount (§4, last paragraph).
QUANTITY = "quantity"  # limits the billable quantity
PRICE = "price"  # limits the unit price
CEILING = "ceiling"  # limits the amount (amount_mismatch: the lower of amount and quantity × price)
CAP = "cap"  # monthly cap per participant
ZERO = "zero"  # allowed amount 0
NONE = "none"  # warnings: amount unchanged, a supervisor reviews
APPROVAL = "approval"  # limits the quantity and/or the amount to what a Kostengutsprache has left


@dataclass(frozen=True)
class CheckRule:
    code: str
    severity: str
    rule: str  # the rule of domain-rules §2/§3 the check enforces, as shown to providers
    effect: str
    title_de: str

    def finding(self, message: str, **figures: str) -> Finding:
        return Finding(self.code, self.severity, self.rule, message, figures)


TARIFF_ABOVE_MAX = CheckRule("tariff_above_max", ERROR, "§2", PRICE, "Ansatz über dem Höchsttarif")
TARIFF_ABOVE_AGREED = CheckRule("tariff_above_agreed", ERROR, "§2", PRICE,
                                "Ansatz über dem vereinbarten Tarif des Angebots")
UNIT_NOT_BILLABLE = CheckRule("unit_not_billable", ERROR, "§2", ZERO, "Einheit nicht verrechenbar")
QUARTER_HOUR = CheckRule("quarter_hour", ERROR, "Regel 5", QUANTITY,
                         "Coachingstunden nicht in Viertelstunden")
DAYS_ABOVE_MONTH = CheckRule("days_above_month", ERROR, "Regel 2", QUANTITY,
                             "Mehr Einsatztage als ein voller Monat")
DAYS_ABOVE_WORKING_DAYS = CheckRule("days_above_working_days", ERROR, "Regel 3", QUANTITY,
                                    "Mehr Einsatztage als Arbeitstage im Ein- oder Austrittsmonat")
DROPOUT_CAP = CheckRule("dropout_cap", ERROR, "Regel 6", QUANTITY,
                        "Programmabbruch / Nichterscheinen über der Obergrenze")
MONTHLY_CAP = CheckRule("monthly_cap", ERROR, "§2", CAP, "Über der Monatsobergrenze")
SOCIAL_ASSISTANCE_ONLY = CheckRule("social_assistance_only", ERROR, "Regel 8", ZERO,
                                   "Programm nur für Sozialhilfebeziehende")
COST_APPROVAL_MISSING = CheckRule("cost_approval_missing", ERROR, "Regel 7", ZERO, "Kostengutsprache fehlt")
AMOUNT_MISMATCH = CheckRule("amount_mismatch", ERROR, "§4", CEILING, "Betrag ≠ Menge × Ansatz")
DUPLICATE_LINE = CheckRule("duplicate_line", ERROR, "Regel 1", ZERO, "Zeile doppelt verrechnet")
PERIOD_NOT_BILLABLE = CheckRule("period_not_billable", ERROR, "§4", ZERO, "Monat nicht verrechenbar")
OFFERING_NOT_REGISTERED = CheckRule("offering_not_registered", WARNING, "§4", NONE,
                                    "Kein Angebot registriert")
CAPACITY_EXCEEDED = CheckRule("capacity_exceeded", WARNING, "§4", NONE,
                              "Mehr Teilnehmende als gemeldete belegte Plätze")
CAPACITY_REPORT_MISSING = CheckRule("capacity_report_missing", WARNING, "§4", NONE, "Kapazitätsmeldung fehlt")
LATE_SUBMISSION = CheckRule("late_submission", WARNING, "§4", NONE, "Rechnung nach der Frist eingereicht")
COST_APPROVAL_UNKNOWN = CheckRule("cost_approval_unknown", WARNING, "Regel 7", NONE,
                                  "Kostengutsprache nicht erfasst")
COST_APPROVAL_NOT_VALID = CheckRule("cost_approval_not_valid", ERROR, "Regel 7", ZERO,
                                    "Kostengutsprache gilt nicht für diese Zeile")
COST_APPROVAL_EXCEEDED = CheckRule("cost_approval_exceeded", ERROR, "Regel 7", APPROVAL,
                                   "Kostengutsprache ausgeschöpft")

# The order of §4: findings on a line are listed in this order.
CATALOGUE: tuple[CheckRule, ...] = (
    TARIFF_ABOVE_MAX, TARIFF_ABOVE_AGREED, UNIT_NOT_BILLABLE, QUARTER_HOUR, DAYS_ABOVE_MONTH,
    DAYS_ABOVE_WORKING_DAYS, DROPOUT_CAP, MONTHLY_CAP, SOCIAL_ASSISTANCE_ONLY, COST_APPROVAL_MISSING,
    AMOUNT_MISMATCH, DUPLICATE_LINE, PERIOD_NOT_BILLABLE, OFFERING_NOT_REGISTERED, CAPACITY_EXCEEDED,
    CAPACITY_REPORT_MISSING, LATE_SUBMISSION, COST_APPROVAL_UNKNOWN, COST_APPROVAL_NOT_VALID, COST_APPROVAL_EXCEEDED,
)
RULES: Mapping[str, CheckRule] = {r.code: r for r in CATALOGUE}
ORDER: Mapping[str, int] = {r.code: i for i, r in enumerate(CATALOGUE)}
