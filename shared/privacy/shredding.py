"""Crypto-shredding one participant after the retention period: their key, and the keys of the documents
that name them (the original uploads), are deleted; the events stay, and so does the audit chain over them.

What remains readable: the figures of every line (amounts, units, findings' codes) under the participant's
pseudonym, and every other participant's personal fields. The deletion itself is an event."""
from __future__ import annotations

from dataclasses import dataclass

from eventsourcing.domain import Aggregate, event

from shared.kernel.errors import Invalid
from shared.kernel.packing import unpack
from shared.privacy.sealing import document_subjects


class KeysShredded(Aggregate):
    """One deletion: which subject, which documents' originals, who, and why (never the participant number)."""

    @event("Shredded")
    def __init__(self, provider: str, subject: str, documents: list[str], actor: str, reason: str):
        self.provider = provider
        self.subject = subject
        self.documents = documents
        self.actor = actor
        self.reason = reason


@dataclass(frozen=True)
class ShredReport:
    provider: str
    subject: str
    documents: tuple[str, ...]  # invoice ids whose original upload became unreadable
    lines: int  # lines of that participant, now shown as «gelöscht»
    fee_waivers: int = 0  # Kostenerlass decisions whose personal fields became unreadable


def shred_participant(portal, provider: str, participant: str, actor: str,
                      reason: str = "Aufbewahrungsfrist abgelaufen") -> ShredReport:
    """Delete the participant's key and the keys of the originals that name them. Irreversible."""
    if provider not in portal.supervision.provider_slugs():
        raise Invalid(f"Anbieter «{provider}» ist nicht im Register", "provider", provider)
    text = (participant or "").strip()
    if not text:
        raise Invalid("Bitte die Teilnehmernummer angeben", "participant", participant)
    sealer = portal.reporting.sealer
    subject = sealer.vault.participant_subject(provider, text)
    documents: list[str] = []
    keys = {subject}  # and of each invoice naming them: its versions' originals and file names, its comments
    lines = 0
    for invoice in portal.reporting.invoices(provider):
        named = False
        for stored in invoice.stored_submissions:  # which subjects a version names, without opening it
            content = unpack(stored["body"])
            if subject in content.get("sealed", {}):  # type: ignore[union-attr]
                named = True
                lines += sum(1 for ln in content.get("lines", []) if ln.get("subject") == subject)  # type: ignore
        if named:
            documents.append(str(invoice.id))
            keys.add(sealer.document_subject(str(invoice.id)))
            keys.update(*(document_subjects(stored) for stored in invoice.stored_submissions))
    waivers = [w for w in portal.supervision.fee_waivers(provider) if w.subject == subject]
    if not documents and not waivers:
        raise Invalid(f"Zu dieser Teilnehmernummer gibt es bei {provider} keine Angaben", "participant", text)
    sealer.vault.shred(keys)
    record = KeysShredded(provider=provider, subject=subject, documents=documents, actor=actor, reason=reason)
    portal.supervision.save(record)
    return ShredReport(provider, subject, tuple(documents), lines, len(waivers))
