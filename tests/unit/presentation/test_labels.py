"""German labels (presentation/labels.py): every code of every glossary has a German name that is not the code,
spelled one way — no second copy of a glossary anywhere in shared/ or services/ (another spelling there is only
ever an input word the parsers accept for the same code)."""
from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from uuid import uuid4

import pytest

from shared.access.domain.roles import ROLES
from shared.checks.findings import ERROR, WARNING
from shared.checks.rules import CATALOGUE
from shared.finance.domain.sources import SOURCE_NAMES_DE, SOURCES
from shared.presentation import labels
from shared.presentation.format import register_filters
from shared.register.domain.catalogue import UNIT_NAMES_DE, UNITS, load_default_catalogue
from shared.review.domain.review import InvoiceReview
from shared.review.domain.status import DECISIONS, status
from shared.submissions.domain.deadlines import STATUSES
from shared.submissions.domain.documents import (
    EXIT_REASON_NAMES_DE,
    EXIT_REASONS,
    FUNDING_NAMES_DE,
    FUNDINGS,
)
from shared.submissions.parsers.words import EXIT_REASON_WORDS, FUNDING_WORDS, UNIT_WORDS, fold_key

ROOT = Path(__file__).resolve().parents[3]


def review_statuses() -> tuple[str, ...]:
    """Every status review/domain/status.py gives an invoice, found by driving it (it keeps no list)."""
    approved = InvoiceReview(invoice_id=uuid4(), provider="p", period="2025-03")
    approved.approve(version=1, comment="", actor="a")
    returned = InvoiceReview(invoice_id=uuid4(), provider="p", period="2025-03")
    returned.return_for_correction(version=1, reason="r", actor="a")
    found = [status(1, None), status(1, approved), status(2, approved), status(1, returned), status(2, returned)]
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class Glossary:
    name: str
    codes: tuple[str, ...]
    label: Callable[[str], str]
    names: dict[str, str] | None = None  # the dict that defines the names, where there is one
    home: str = ""  # the module (path under the repository) that defines them
    input_words: dict[str, str] = field(default_factory=dict)  # folded word -> code, what the parsers accept


GLOSSARIES = [
    Glossary("funding", FUNDINGS, labels.funding, FUNDING_NAMES_DE, "shared/submissions/domain/documents.py",
             FUNDING_WORDS),
    Glossary("exit_reason", EXIT_REASONS, labels.exit_reason, EXIT_REASON_NAMES_DE,
             "shared/submissions/domain/documents.py", EXIT_REASON_WORDS),
    Glossary("unit", UNITS, labels.unit, UNIT_NAMES_DE, "shared/register/domain/catalogue.py", UNIT_WORDS),
    Glossary("check", tuple(r.code for r in CATALOGUE), labels.check_title, None, "shared/checks/rules.py"),
    Glossary("source", SOURCES, labels.source, SOURCE_NAMES_DE, "shared/finance/domain/sources.py"),
    Glossary("document_status", STATUSES, labels.document_status, labels.DOCUMENT_STATUS,
             "shared/presentation/labels.py"),
    Glossary("review_status", review_statuses(), labels.review_status, labels.REVIEW_STATUS,
             "shared/presentation/labels.py"),
    Glossary("decision", DECISIONS, labels.decision, labels.DECISION, "shared/presentation/labels.py"),
    Glossary("severity", (ERROR, WARNING), labels.severity, labels.SEVERITY, "shared/presentation/labels.py"),
    Glossary("role", ROLES, labels.role, labels.ROLE, "shared/presentation/labels.py"),
    Glossary("programme", tuple(load_default_catalogue().programme_types), labels.programme),
]
IDS = [g.name for g in GLOSSARIES]


@pytest.mark.parametrize("glossary", GLOSSARIES, ids=IDS)
def test_every_code_has_a_german_label_that_is_not_the_code(glossary):
    assert glossary.codes
    for code in glossary.codes:
        label = glossary.label(code)
        assert label and label.strip() == label, (code, label)
        assert label != code, (code, label)


@pytest.mark.parametrize("glossary", GLOSSARIES, ids=IDS)
def test_no_two_codes_share_a_label(glossary):
    shown = [fold_key(glossary.label(code)) for code in glossary.codes]
    assert len(set(shown)) == len(shown), shown


@pytest.mark.parametrize("glossary", [g for g in GLOSSARIES if g.names is not None], ids=lambda g: g.name)
def test_the_names_are_exactly_the_codes(glossary):
    """No code without a name, and no name of a code that no longer exists."""
    assert set(glossary.names) == set(glossary.codes)


def test_the_review_statuses_are_found():
    assert set(review_statuses()) == {"checked", "approved", "changed_since_approval", "returned"}


def test_check_titles_are_the_rules_own():
    assert all(labels.check_title(rule.code) == rule.title_de for rule in CATALOGUE)


@pytest.mark.parametrize("glossary", [g for g in GLOSSARIES if g.input_words], ids=lambda g: g.name)
def test_every_label_reads_back_as_its_code(glossary):
    """What the portal shows (a CSV export, a page) a provider may type back in."""
    for code in glossary.codes:
        assert glossary.input_words[fold_key(glossary.label(code))] == code


def test_an_empty_or_unknown_code():
    assert labels.funding(None) == "" and labels.funding("") == ""
    assert labels.funding("new_kind") == "new_kind"  # shown as it is rather than hidden
    assert labels.check_title("new_check") == "new_check" and labels.check_title(None) == ""
    assert labels.programme(None) == "" and labels.programme("kochkurs") == "kochkurs"


def test_the_template_filters_are_the_labels():
    filters: dict = {}
    register_filters(filters)
    for name, function in labels.FILTERS.items():
        assert filters[name] is function
    assert filters["funding_de"]("self_payer") == "Selbstzahlende"
    assert filters["unit_de"]("reduced_day") == "Einsatztag <4h"
    assert filters["check_title"]("duplicate_line") == "Zeile doppelt verrechnet"
    assert filters["document_status_de"]("pending") == "ausstehend"


# --- no second copy -----------------------------------------------------------------------------------

# The calculation trace speaks of units in sentences: «10 Einsatztage unter 4 Stunden × CHF 56.00». Its
# plural and sentence forms are grammar, not a second glossary.
SENTENCE_FORMS = {"shared/checks/trace.py"}


def string_dicts(source: str) -> list[tuple[int, dict[str, str]]]:
    """Every dict literal in a module whose keys and values are all strings, with its line."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict) and node.keys and all(
                isinstance(k, ast.Constant) and isinstance(k.value, str) and isinstance(v, ast.Constant)
                and isinstance(v.value, str) for k, v in zip(node.keys, node.values, strict=True)):
            found.append((node.lineno, {k.value: v.value for k, v in zip(node.keys, node.values, strict=True)}))
    return found


@functools.cache
def source_dicts() -> tuple[tuple[str, int, dict[str, str]], ...]:
    """The string dicts of every module in shared/ and services/, by path under the repository."""
    modules = sorted(p for folder in ("shared", "services") for p in (ROOT / folder).rglob("*.py"))
    return tuple((p.relative_to(ROOT).as_posix(), lineno, names)
                 for p in modules for lineno, names in string_dicts(p.read_text(encoding="utf-8")))


def copies_of(glossary: Glossary, dicts) -> list[str]:
    """A dict naming two or more codes of the glossary outside its home is a copy: it may only hold the label,
    or a word the parsers accept for that code (the demo writes providers' files in providers' words)."""
    codes = set(glossary.codes)
    copies = []
    for where, lineno, names in dicts:
        if where in (glossary.home, "shared/presentation/labels.py") or where in SENTENCE_FORMS:
            continue
        if len(codes & names.keys()) < 2:
            continue
        for code, text in names.items():
            if code in codes and text != glossary.label(code) and glossary.input_words.get(fold_key(text)) != code:
                copies.append(f"{where}:{lineno} {code} → «{text}» (label «{glossary.label(code)}»)")
    return copies


@pytest.mark.parametrize("glossary", [g for g in GLOSSARIES if g.name != "programme"], ids=lambda g: g.name)
def test_no_second_copy_of_a_glossary(glossary):
    assert copies_of(glossary, source_dicts()) == []


def test_the_copy_finder_finds_copies():
    """The finder above, on the kinds of copy it exists for: the audit PDF's own check titles, a page's own
    funding names; a dict that only mentions one code, or words the parsers accept, is no copy."""
    by_name = {g.name: g for g in GLOSSARIES}
    pdf = string_dicts('CODE_DE = {"tariff_above_max": "Tarif zu hoch", "duplicate_line": "Zeile doppelt verrechnet"}')
    assert copies_of(by_name["check"], [("shared/presentation/pdf/reports.py", *pdf[0])]) == [
        "shared/presentation/pdf/reports.py:1 tariff_above_max → «Tarif zu hoch» (label «Ansatz über dem Höchsttarif»)"]
    page = string_dicts('F = {"self_payer": "Selbstzahler", "alv_iv": "ALV", "social_assistance": "Sozialhilfebezug"}')
    assert copies_of(by_name["funding"], [("services/x.py", *page[0])]) == [
        "services/x.py:1 social_assistance → «Sozialhilfebezug» (label «Sozialhilfe»)"]
    single = string_dicts('{"self_payer": "Zahlt selbst"}')
    assert copies_of(by_name["funding"], [("services/x.py", *single[0])]) == []
    # the finder reads the real tree: it sees the home of the funding names, and skips it only as the home
    assert ("shared/submissions/domain/documents.py", FUNDING_NAMES_DE) in [(w, n) for w, _, n in source_dicts()]


STATUS_SPAN = re.compile(r'class="(?:status|gs) (?:status|gs)-(\w+)">\W*([^<{]*)')


def test_templates_spell_a_document_status_as_its_label():
    """Pages and PDFs that write a status inline (a coloured badge) use the label's spelling."""
    templates = sorted(p for folder in ("shared", "services") for p in (ROOT / folder).rglob("*.html"))
    seen, wrong = 0, []
    for path in templates:
        for code, text in STATUS_SPAN.findall(path.read_text(encoding="utf-8")):
            if code in labels.DOCUMENT_STATUS:
                seen += 1
                if not text.startswith(labels.document_status(code)):
                    wrong.append(f"{path.relative_to(ROOT)}: {code} → «{text.strip()}»")
    assert seen >= 4 and wrong == []
