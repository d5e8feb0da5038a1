"""From rows of raw values to invoice lines or capacity rows, collecting every problem on the way.

The same assembler serves CSV, XLSX and JSON: the format modules hand it rows (a sequence of raw
values) and say which position holds which field, and under which column name to report it.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from shared.kernel.periods import Period
from shared.register.domain.catalogue import Catalogue
from shared.submissions.domain.documents import (
    CapacityRow,
    FormatIssue,
    InvoiceLine,
    ParsedCapacityReport,
    ParsedInvoice,
    SubmissionRejected,
)
from shared.submissions.parsers.fields import CAPACITY_FIELDS, INVOICE_FIELDS, FieldSpec, converter
from shared.submissions.parsers.row_rules import InvoiceRowRules
from shared.submissions.parsers.shown import value_text
from shared.submissions.parsers.values import REPORTED, Invalid


def row_maker(cls: type) -> Callable[..., object]:
    """A maker of a frozen row dataclass from already converted values, without the frozen ``__init__``'s
    per-field ``object.__setattr__`` (a fifth of the parse time of a large file). Fields the document has
    no column for keep the class's default; equality and hashing are the dataclass's own."""
    def make(row: int, **values: object) -> object:
        item = cls.__new__(cls)
        fields = item.__dict__
        fields["row"] = row
        fields.update(values)
        return item
    return make


@dataclass(frozen=True)
class DocumentKind:
    name: str  # "invoice" or "capacity"
    fields: tuple[FieldSpec, ...]
    make_row: Callable[..., object]
    make_document: Callable[..., object]
    document_de: str  # for messages: «… weicht vom Monat der Rechnung ab»
    sheet_names: tuple[str, ...]  # folded names of the preferred XLSX sheet
    json_rows_keys: tuple[str, ...]


INVOICE = DocumentKind("invoice", INVOICE_FIELDS, row_maker(InvoiceLine),
                       lambda period, rows, warnings: ParsedInvoice(period, rows, warnings),
                       "der Rechnung", ("rechnung",), ("lines",))
CAPACITY = DocumentKind("capacity", CAPACITY_FIELDS, row_maker(CapacityRow),
                        lambda period, rows, warnings: ParsedCapacityReport(period, rows, warnings),
                        "der Kapazitätsmeldung",
                        ("kapazität", "kapazitaet", "kapazitätsmeldung", "kapazitaetsmeldung"),
                        ("rows", "lines"))

_MISS = object()
BAD = object()  # the value of a field whose problem is recorded: the row yields no object


class _Field:
    """One column of a row: the slow path for a value not in the cache of good values. It records its problems
    in the document's list of errors (and holds no reference back to the Assembler: without a cycle, a parsed
    document's rows are freed as soon as it is dropped, not by the next run of the cyclic collector)."""

    __slots__ = ("attr", "label", "required", "cache", "convert", "errors")

    def __init__(self, spec: FieldSpec, label: str, catalogue: Catalogue, errors: list[FormatIssue]):
        self.attr = spec.attr
        self.label = label
        self.required = spec.required
        self.cache: dict[object, object] = {}
        self.convert = converter(spec.kind, catalogue)
        self.errors = errors

    def slow(self, rownum: int, raw: object) -> object:
        """The converted value, or BAD (its problem recorded, unless the converter reported it already)."""
        value = self.convert(raw)
        label = self.label
        if value is None and self.required:
            self.errors.append(FormatIssue(rownum, label, value_text(raw), f"{label}: Angabe fehlt"))
            return BAD
        if value.__class__ is Invalid:
            if value is not REPORTED:
                self.errors.append(FormatIssue(rownum, label, value_text(raw),
                                               f"{label}: {value.message}"))  # type: ignore[union-attr]
            return BAD
        if raw.__class__ is str or raw.__class__ is Period:  # typed cells: 1 == 1.0 == True, never cached
            self.cache[raw] = value
        return value


def sort_issues(issues: list[FormatIssue]) -> list[FormatIssue]:
    """Document-level problems first, then by row (stable: columns keep their order)."""
    return sorted(issues, key=lambda issue: issue.row or 0)


def reject(issues: list[FormatIssue]) -> SubmissionRejected:
    return SubmissionRejected(sort_issues(issues))


def document_issue(message: str, column: str | None = None, value: str | None = None) -> SubmissionRejected:
    return SubmissionRejected([FormatIssue(None, column, value, message)])


class Assembler:
    """Converts rows one by one; ``finish`` returns the document or raises SubmissionRejected."""

    def __init__(self, kind: DocumentKind, catalogue: Catalogue, columns: Sequence[tuple[FieldSpec, int]],
                 labels: dict[str, str], *, default_period: Period | None = None):
        self.kind = kind
        self.labels = labels  # attr -> the column name the user sees (German header or JSON key)
        self.default_period = default_period
        self.errors: list[FormatIssue] = []
        self.fields = [_Field(spec, labels[spec.attr], catalogue, self.errors) for spec, _ in columns]
        self.period_index = next((index for spec, index in columns if spec.attr == "period"), None)
        self.make_row = kind.make_row
        self.items: list[object] = []
        self.periods: list[tuple[int, Period, object]] = []
        self.rows_seen = 0
        self.row_rules = InvoiceRowRules(columns, labels, self.errors) if kind.name == "invoice" else None
        self.plan = [(field.attr, index, field.cache.get, field.slow)
                     for field, (_, index) in zip(self.fields, columns, strict=True)]

    def add(self, rownum: int, row: Sequence[object]) -> None:
        """Convert one row. Hot path: a value seen before in this column is one dict lookup in the
        column's cache of good values; only new values go through the converter (``_Field.slow``),
        which also records problems."""
        self.rows_seen += 1
        bad = False
        values: dict[str, object] = {}
        for attr, index, get, slow in self.plan:
            raw = row[index]
            try:
                value = get(raw, _MISS)
            except TypeError:  # unhashable: a JSON list or object where a value belongs
                value = _MISS
            if value is _MISS:
                value = slow(rownum, raw)
                if value is BAD:
                    bad = True
            values[attr] = value
        period = values["period"]
        if period is not BAD:
            self.periods.append((rownum, period, row[self.period_index]))  # type: ignore[arg-type,index]
        rules = self.row_rules
        if rules is not None and not rules.check(rownum, row, values):
            bad = True
        if not bad:
            self.items.append(self.make_row(row=rownum, **values))

    def finish(self, warnings: Sequence[FormatIssue], empty_message: str) -> object:
        if self.rows_seen == 0:
            self.errors.append(FormatIssue(None, None, None, empty_message))
        period = self._check_one_month()
        if self.errors:
            raise reject(self.errors)
        if period is None:  # pragma: no cover - every row has a period when there are no errors
            raise document_issue(f"Der Monat {self.kind.document_de} fehlt.")
        return self.kind.make_document(period, tuple(self.items), tuple(warnings))

    def _check_one_month(self) -> Period | None:
        """A document covers one month: every row deviating from it is an error of its own."""
        periods = self.periods
        if not periods:
            return self.default_period
        reference = self.default_period
        if reference is None:
            first = periods[0][1]
            if all(p == first for _, p, _ in periods):
                return first
            reference = Counter(p for _, p, _ in periods).most_common(1)[0][0]
        label = self.labels["period"]
        for rownum, period, raw in periods:
            if period != reference:
                self.errors.append(FormatIssue(
                    rownum, label, value_text(raw),
                    f"{label}: {period} weicht vom Monat {self.kind.document_de} ({reference}) ab – "
                    f"eine Einreichung umfasst genau einen Monat"))
        return reference
