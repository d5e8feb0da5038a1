"""JSON: {"period": "2025-03", "lines": [{…}, …]} (capacity reports: "rows", or "lines")."""
from __future__ import annotations

import json
from decimal import Decimal

from shared.register.domain.catalogue import Catalogue
from shared.submissions.domain.documents import FormatIssue
from shared.submissions.parsers.dates import convert_period
from shared.submissions.parsers.limits import Limits, too_many_rows
from shared.submissions.parsers.numbers import ExponentNumber
from shared.submissions.parsers.records import Assembler, DocumentKind, document_issue, reject
from shared.submissions.parsers.shown import quoted, value_text
from shared.submissions.parsers.values import REPORTED, Invalid

TOP_LEVEL_KEYS = frozenset({"period", "lines", "rows"})


def _no_constant(name: str) -> object:
    raise ValueError(name)


def _number(text: str) -> object:
    """A JSON number with a fraction or an exponent: a Decimal as written, or kept as written when it has an
    exponent (``1E-999999`` would otherwise become a megabyte of digits, ``1E-3000000`` silently 0)."""
    if "e" in text or "E" in text:
        return ExponentNumber(text)
    return Decimal(text)


def load(data: bytes) -> object:
    try:
        return json.loads(data, parse_float=_number, parse_constant=_no_constant)
    except RecursionError:
        raise document_issue("Das JSON ist zu tief verschachtelt.") from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, over-long integers, NaN
        where = f" (Zeile {exc.lineno}, Spalte {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise document_issue(f"Der Inhalt ist kein gültiges JSON{where}.") from None


def parse_json(data: bytes, kind: DocumentKind, catalogue: Catalogue, limits: Limits) -> object:
    document = load(data)
    if not isinstance(document, dict):
        raise document_issue('Erwartet wird ein JSON-Objekt wie {"period": "2025-03", '
                             f'"{kind.json_rows_keys[0]}": [...]}}.')
    key = next((k for k in kind.json_rows_keys if k in document), kind.json_rows_keys[0])
    lines = document.get(key)
    if lines is None:
        raise document_issue(f'Das Feld "{key}" mit den Zeilen fehlt.', column=key)
    if not isinstance(lines, list):
        raise document_issue(f'"{key}" muss eine Liste von Zeilen sein.', column=key, value=value_text(lines))
    if len(lines) > limits.max_rows:
        raise too_many_rows(limits)

    errors: list[FormatIssue] = []
    warnings: list[FormatIssue] = [
        FormatIssue(None, value_text(name), None, f"Unbekanntes Feld {quoted(name)} wird ignoriert")
        for name in document if name not in TOP_LEVEL_KEYS]
    default = None
    fallback: object = None
    if document.get("period") not in (None, ""):
        period = convert_period(document["period"])
        if isinstance(period, Invalid):
            errors.append(FormatIssue(None, "period", value_text(document["period"]),
                                      f"period: {period.message}"))
            fallback = REPORTED
        else:
            default = fallback = period

    fields = kind.fields
    keys = [spec.attr for spec in fields]
    period_position = keys.index("period")
    known = frozenset(keys)
    unknown_seen: set[str] = set()
    assembler = Assembler(kind, catalogue, [(spec, i) for i, spec in enumerate(fields)],
                          {spec.attr: spec.attr for spec in fields}, default_period=default)
    assembler.errors.extend(errors)
    for position, line in enumerate(lines, 1):
        if not isinstance(line, dict):
            assembler.rows_seen += 1
            assembler.errors.append(FormatIssue(position, None, value_text(line),
                                                "Die Zeile ist kein JSON-Objekt"))
            continue
        row = [line.get(k) for k in keys]
        if fallback is not None and row[period_position] in (None, ""):
            row[period_position] = fallback
        if len(line) > len(known) or not known.issuperset(line):
            for name in line:
                if name not in known and name not in unknown_seen:
                    unknown_seen.add(name)
                    warnings.append(FormatIssue(position, value_text(name), None,
                                                f"Unbekanntes Feld {quoted(name)} wird ignoriert"))
        assembler.add(position, row)
    if not lines:
        empty = FormatIssue(None, key, None, f'Die Einreichung enthält keine Zeilen ("{key}" ist leer).')
        raise reject([*assembler.errors, empty])
    return assembler.finish(warnings, "Die Einreichung enthält keine Zeilen.")
