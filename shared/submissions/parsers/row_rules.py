"""Rules across the fields of one invoice row: what a row can not say even when each field reads well.

* an exit date needs its reason, an exit reason its date (rule 6's cap needs the exit date);
* the exit can not precede the entry;
* a month holds at most 31 days and 744 hours (31 × 24): a quantity above is no entry a person makes.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from shared.kernel.periods import format_date_de
from shared.register.domain.catalogue import UNIT_NAMES_DE
from shared.submissions.domain.documents import FormatIssue
from shared.submissions.parsers.fields import FieldSpec
from shared.submissions.parsers.shown import quoted, value_text

MONTH_DAYS = Decimal(31)
MONTH_HOURS = Decimal(744)
MONTH_HOLDS = {"assignment_day": (MONTH_DAYS, "Tage"), "reduced_day": (MONTH_DAYS, "Tage"),
               "coaching_hour": (MONTH_HOURS, "Stunden"), "hour_worked": (MONTH_HOURS, "Stunden")}


class InvoiceRowRules:
    """Checks one converted invoice row; each problem becomes a FormatIssue on the column it concerns."""

    def __init__(self, columns: Sequence[tuple[FieldSpec, int]], labels: dict[str, str],
                 errors: list[FormatIssue]):
        self.index = {spec.attr: index for spec, index in columns}
        self.labels = labels
        self.errors = errors

    def _raw(self, row: Sequence[object], attr: str) -> object:
        index = self.index.get(attr)
        return row[index] if index is not None else None

    def _issue(self, rownum: int, row: Sequence[object], attr: str, message: str) -> None:
        label = self.labels[attr]
        self.errors.append(FormatIssue(rownum, label, value_text(self._raw(row, attr)), f"{label}: {message}"))

    def check(self, rownum: int, row: Sequence[object], values: dict[str, object]) -> bool:
        """True if the row keeps to every rule (fields that could not be read are left alone)."""
        good = True
        get = values.get
        exit_date, reason = get("exit_date"), get("exit_reason")
        if exit_date is not None or reason is not None:
            good = self._exit(rownum, row, get("entry_date"), exit_date, reason)
        quantity = values["quantity"]
        holds = MONTH_HOLDS.get(values["unit"])  # type: ignore[arg-type]
        if holds is not None and quantity.__class__ is Decimal and quantity > holds[0]:  # type: ignore[operator]
            raw = self._raw(row, "quantity")
            self._issue(rownum, row, "quantity",
                        f"{quoted(raw)} ist mehr, als ein Monat fasst: höchstens {holds[0]} {holds[1]} "
                        f"(«{UNIT_NAMES_DE[values['unit']]}»)")  # type: ignore[index]
            good = False
        return good

    def _exit(self, rownum: int, row: Sequence[object], entry: object, exit_date: object, reason: object) -> bool:
        if exit_date is None and reason.__class__ is str:
            raw_reason = self._raw(row, "exit_reason")
            self._issue(rownum, row, "exit_date",
                        f"Angabe fehlt – der Austrittsgrund {quoted(raw_reason)} braucht ein Austrittsdatum")
            return False
        if exit_date.__class__ is date and reason is None:
            self._issue(rownum, row, "exit_reason",
                        "Angabe fehlt – bei einem Austritt ist der Austrittsgrund anzugeben")
            return False
        if exit_date.__class__ is date and entry.__class__ is date and exit_date < entry:  # type: ignore[operator]
            self._issue(rownum, row, "exit_date",
                        f"{format_date_de(exit_date)} liegt vor dem Eintritt am "  # type: ignore[arg-type]
                        f"{format_date_de(entry)} – der Austritt kann nicht vor dem Eintritt liegen")  # type: ignore[arg-type]
            return False
        return True
