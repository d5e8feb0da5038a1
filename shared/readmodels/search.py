"""The supervisors' search: providers by name, invoices by id, and the invoices that bill a participant or name a
Kostengutsprache, found by their keyed pseudonyms (the number or reference is never stored or looked up in clear);
the same way, whether a provider ever billed a number (the finance page asks before a fee waiver if not)."""
from __future__ import annotations

import re

LIMIT = 50
HEX = re.compile(r"^[0-9a-f-]{6,36}$")
INVOICES_BY_ID = """
SELECT i.invoice_id, i.provider, p.name, i.period, i.version FROM invoices i
JOIN providers p ON p.slug = i.provider WHERE i.invoice_id LIKE ? ORDER BY i.period DESC LIMIT ?
"""
INVOICES_OF_SUBJECTS = """
SELECT i.invoice_id, i.provider, p.name, i.period, i.version FROM participant_invoices x
JOIN invoices i ON i.invoice_id = x.invoice_id JOIN providers p ON p.slug = i.provider
WHERE x.subject IN ({subjects}) ORDER BY i.period DESC, p.name LIMIT ?
"""
BILLED = "SELECT 1 FROM participant_invoices WHERE subject = ? AND provider = ? LIMIT 1"
INVOICES_OF_REFERENCES = """
SELECT DISTINCT i.invoice_id, i.provider, p.name, i.period, i.version FROM funding_lines f
JOIN invoices i ON i.invoice_id = f.invoice_id JOIN providers p ON p.slug = i.provider
WHERE f.reference_key IN ({keys}) ORDER BY i.period DESC, p.name LIMIT ?
"""


def _invoice(row) -> dict:
    iid, provider, name, period, version = row
    return {"invoice": str(iid), "provider": provider, "name": name, "period": period, "version": version}


def search(views, text: str) -> dict:
    """providers [(slug, name)] whose name or slug contains the text (alphabetical), invoices [{invoice,
    provider, name, period, version}] whose id starts with it (six characters at least)."""
    text = (text or "").strip()
    if not text:
        return {"providers": [], "invoices": []}
    views.catch_up()
    wanted = text.casefold()
    providers = sorted(((slug, name) for slug, name in views.providers()
                        if wanted in name.casefold() or wanted in slug), key=lambda p: p[1].casefold())
    invoices = []
    if HEX.match(wanted):
        invoices = [_invoice(r) for r in views.rows(INVOICES_BY_ID, (wanted + "%", LIMIT))]
    return {"providers": providers, "invoices": invoices}


def participant_subjects(portal, number: str) -> list[str]:
    """The pseudonyms a participant number has at each provider (keyed HMAC: nothing is stored or created)."""
    number = (number or "").strip()
    if not number:
        return []
    vault = portal.reporting.required_sealer().vault
    return [vault.participant_subject(slug, number) for slug, _ in portal.views.providers()]


def invoices_of(views, subjects: list[str]) -> list[dict]:
    """The invoices that bill any of these pseudonyms, newest month first."""
    if not subjects:
        return []
    views.catch_up()
    found = []
    for start in range(0, len(subjects), 200):
        chunk = subjects[start:start + 200]
        sql = INVOICES_OF_SUBJECTS.replace("{subjects}", ", ".join("?" * len(chunk)))
        found += [_invoice(r) for r in views.rows(sql, (*chunk, LIMIT))]
    found.sort(key=lambda f: (f["period"], f["name"]), reverse=True)
    return found[:LIMIT]


def ever_billed(portal, provider: str, participant: str) -> bool:
    """Whether the provider ever billed this participant number (in the latest version of any of its invoices):
    by its pseudonym at that provider, as shared.privacy keys the lines; a shredded participant reads as never
    billed, as their lines do (a fee waiver for a number never billed is most likely a typing error)."""
    number = (participant or "").strip()
    if not number:
        return False
    vault = portal.reporting.required_sealer().vault
    subject = vault.participant_subject(provider, number)
    portal.views.catch_up()
    if not portal.views.rows(BILLED, (subject, provider)):
        return False
    return vault.keys([subject], create=False).get(subject) is not None


def reference_keys(portal, reference: str) -> list[str]:
    """A Kostengutsprache reference's keyed pseudonym, as the funding read model keys its lines (nothing stored)."""
    reference = (reference or "").strip()
    if not reference:
        return []
    return [portal.reporting.required_sealer().vault.reference_key(reference)]


def invoices_of_references(views, keys: list[str]) -> list[dict]:
    """The invoices whose lines name one of these Kostengutsprachen (by their pseudonyms), newest month first."""
    if not keys:
        return []
    views.catch_up()
    sql = INVOICES_OF_REFERENCES.replace("{keys}", ", ".join("?" * len(keys)))
    return [_invoice(r) for r in views.rows(sql, (*keys, LIMIT))]
