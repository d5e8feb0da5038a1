"""What every PDF shares: the checkpoint it was made from, the events and figures it embeds, its rendering.

Each PDF first writes (or reuses) a signed checkpoint of both services, reads the store as that checkpoint
saw it, and prints the checkpoint's position and root. Source data are embedded (PDF/A-3 attachments).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from shared.audit.application.checkpoints import StoreDigest, key_id, load_signing_key
from shared.audit.application.verify_pdf import EVENTS_FORMAT
from shared.kernel.money import amount_str
from shared.presentation import labels
from shared.presentation.pdf.render import EmbeddedFile, render_pdf

OFFICE = "Kanton Solothurn · Amt für Gesellschaft und Soziales · Aufsicht Arbeitsmarktintegration"


def public_key_hex(settings) -> str:
    """The canton's public signing key (Ed25519) as hex, as the PDFs print and embed it."""
    return bytes(load_signing_key(settings).verify_key).hex()


def events_json(document: dict, digest: StoreDigest, events: list[dict], key_hex: str) -> bytes:
    """The embedded events file: the events a document was made from, with their inclusion proofs."""
    body = {
        "format": EVENTS_FORMAT,
        "document": document,
        "store_digest": digest.digest,
        "checkpoints": {s: c.as_dict() for s, c in digest.checkpoints.items()},
        "public_key": key_hex,
        "hash": {
            "event": "SHA-256(AMI-EVENT-V1 | originator | version | topic | SHA-256(state) | previous)",
            "tree": "RFC 6962: leaf = H(0x00 | event hash), node = H(0x01 | left | right)",
        },
        "events": events,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")  # compact: proofs are long


def figures_json(data) -> bytes:
    """A report's figures as embedded JSON: amounts as text to the centime, sets as sorted lists."""

    def default(o):
        if isinstance(o, Decimal):
            return amount_str(o)
        if isinstance(o, set):
            return sorted(o)
        raise TypeError(type(o).__name__)

    return json.dumps(data, ensure_ascii=False, indent=1, default=default).encode("utf-8")


def render_document(
    portal, digest: StoreDigest, template: str, context: dict, files: list[EmbeddedFile], document: dict
) -> bytes:
    """The sealed PDF of `template`, with the checkpoint block, the office line and the list of attachments."""
    return render_pdf(**document_job(portal, digest, template, context, files, document))


def document_job(
    portal, digest: StoreDigest, template: str, context: dict, files: list[EmbeddedFile], document: dict
) -> dict:
    """The arguments of ``render_pdf`` for `template` (``render_each`` renders many of them at once)."""
    key = load_signing_key(portal.settings)
    key_hex = bytes(key.verify_key).hex()
    kid = key_id(key.verify_key)
    created = datetime.fromisoformat(max(cp.time for cp in digest.checkpoints.values()))
    local = created.astimezone(ZoneInfo(portal.settings.timezone))
    context = {
        **context,
        "audit": _audit_context(digest, key_hex, kid),
        "office": OFFICE,
        "made_at": local.strftime("%d.%m.%Y %H:%M"),
        "attachments": [
            {"name": f.name, "description": f.description, "size": len(f.data), "sha256": _sha(f.data)}
            for f in files
        ],
    }
    return {"template": template, "context": context, "files": files, "document": document,
            "store_digest": digest.digest, "key": key, "created": created}


def _audit_context(digest: StoreDigest, key_hex: str, kid: str) -> dict:
    rows = []
    for service, cp in sorted(digest.checkpoints.items()):
        rows.append(
            {
                "service": service,
                "label": labels.SERVICE.get(service, service),
                "position": cp.position,
                "tree_size": cp.tree_size,
                "root": cp.root,
                "time": cp.time,
                "seq": cp.seq,
            }
        )
    return {"digest": digest.digest, "checkpoints": rows, "key_id": kid, "public_key": key_hex}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
