"""Header mapping and the row loop shared by CSV and XLSX (a header row, then one row per record)."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from shared.register.domain.catalogue import Catalogue
from shared.submissions.domain.documents import FormatIssue
from shared.submissions.parsers.fields import FieldSpec
from shared.submissions.parsers.limits import Limits, too_many_rows
from shared.submissions.parsers.records import Assembler, DocumentKind, reject
from shared.submissions.parsers.shown import quoted, raw_text, value_text
from shared.submissions.parsers.words import fold_key

EMPTY_DOCUMENT = "Die Datei enthält keine Datenzeilen (nur eine Kopfzeile oder gar nichts)."


def header_lookup(fields: Sequence[FieldSpec]) -> dict[str, FieldSpec]:
    """Folded header -> field: the German header, its aliases, and the JSON key."""
    lookup: dict[str, FieldSpec] = {}
    for spec in fields:
        for name in (spec.header, *spec.aliases, spec.attr):
            lookup.setdefault(fold_key(name), spec)
    return lookup


def map_header(cells: Sequence[object], fields: Sequence[FieldSpec], rownum: int
               ) -> tuple[list[tuple[FieldSpec, int]], list[FormatIssue], list[FormatIssue]]:
    """Columns found (field, index), warnings (unknown columns) and errors (missing or doubled columns)."""
    lookup = header_lookup(fields)
    columns: list[tuple[FieldSpec, int]] = []
    seen: set[str] = set()
    warnings: list[FormatIssue] = []
    errors: list[FormatIssue] = []
    for index, cell in enumerate(cells):
        text = (raw_text(cell) or "").strip()
        key = fold_key(text)
        if not key:
            continue
        spec = lookup.get(key)
        if spec is None:
            shown = value_text(text)
            warnings.append(FormatIssue(rownum, shown, shown, f"Unbekannte Spalte {quoted(text)} wird ignoriert"))
        elif spec.attr in seen:
            errors.append(FormatIssue(rownum, spec.header, value_text(text),
                                      f'Die Spalte "{spec.header}" kommt mehrfach vor'))
        else:
            seen.add(spec.attr)
            columns.append((spec, index))
    for spec in fields:
        if spec.required and spec.attr not in seen:
            errors.append(FormatIssue(rownum, spec.header, None, f'Pflichtspalte "{spec.header}" fehlt'))
    return columns, warnings, errors


def parse_table(rows: Iterable[tuple[int, Sequence[object]]], kind: DocumentKind, catalogue: Catalogue,
                limits: Limits, *, is_empty: Callable[[Sequence[object]], bool], filler: object,
                strict_width: bool) -> object:
    """Rows as (row number, cells): the first non-empty one is the header, the rest are records.

    ``strict_width`` (CSV): a row with non-empty cells beyond the header is an error, since it
    usually means a decimal comma that shifted the columns.
    """
    iterator = iter(rows)
    header: Sequence[object] | None = None
    header_rownum = 1
    for rownum, cells in iterator:
        if not is_empty(cells):
            header, header_rownum = cells, rownum
            break
    if header is None:
        raise reject([FormatIssue(None, None, None, "Die Datei ist leer.")])
    columns, warnings, errors = map_header(header, kind.fields, header_rownum)
    if errors:
        raise reject(errors)
    labels = {spec.attr: spec.header for spec in kind.fields}
    assembler = Assembler(kind, catalogue, columns, labels)
    width = max(index for _, index in columns) + 1
    header_width = len(header)
    max_rows = limits.max_rows
    count = 0
    add = assembler.add
    for rownum, cells in iterator:
        if not cells or not cells[0] or cells[0].__class__ is str and cells[0].isspace():
            if is_empty(cells):  # only looked at when the first cell is empty (cheap in the hot loop)
                continue
        count += 1
        if count > max_rows:
            raise too_many_rows(limits)
        size = len(cells)
        if size < width:
            cells = [*cells, *([filler] * (width - size))]
        elif strict_width and size > header_width and not is_empty(cells[header_width:]):
            assembler.errors.append(FormatIssue(
                rownum, None, None,
                f"Die Zeile hat {size} Felder, die Kopfzeile nur {header_width} – vermutlich ein "
                f"Trennzeichen oder Dezimalkomma in einem Wert ohne Anführungszeichen"))
        add(rownum, cells)
    return assembler.finish(warnings, EMPTY_DOCUMENT)
