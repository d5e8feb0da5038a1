"""The payer documents as sealed PDF/A (a statement to a social service, the canton's claim, a participant's
bill with a Swiss QR-bill payment part), one at a time or a month's in one ZIP.

A participant's name and address exist only in the PDF made for printing: they are not embedded in its
figures, not stored and not logged."""
from __future__ import annotations

import io
import zipfile
from typing import BinaryIO

from shared.audit.application.checkpoints import checkpoint_store
from shared.audit.application.verify_pdf import EVENTS_NAME
from shared.finance.application.payer_documents import (
    InvoiceDocuments,
    PayerDocument,
    invoice_documents,
    month_documents,
)
from shared.finance.domain.payment_reference import payment_reference, reference_digits
from shared.kernel.periods import Period
from shared.presentation.pdf.document import document_job as make_job
from shared.presentation.pdf.document import events_json, figures_json, public_key_hex
from shared.presentation.pdf.qr_bill import payment_part_svg
from shared.presentation.pdf.render import EmbeddedFile, render_each, render_pdf
from shared.presentation.pdf.snapshot import Snapshot
from shared.register.domain.provider import is_qr_iban


def _issuer(portal, slug: str) -> dict:
    p = portal.supervision.provider(slug)
    iban = getattr(p, "iban", "")
    return {"slug": slug, "name": p.name, "iban": iban, "street": getattr(p, "street", ""),
            "postcode": getattr(p, "postcode", ""), "city": getattr(p, "city", ""),
            "iban_display": " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))}


def file_name(bundle: InvoiceDocuments, doc: PayerDocument) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in doc.recipient)[:40]
    return f"beleg-{bundle.period}-{bundle.invoice[:8]}-v{bundle.version}-{doc.number:02d}-{doc.payer}-{safe}.pdf"


def document_pdf(portal, bundle: InvoiceDocuments, number: int, debtor: dict | None = None) -> bytes:
    """One payer document; ``debtor`` (name, street, postcode, city, country) only for a participant's bill."""
    with Snapshot(portal, checkpoint_store(portal.settings)) as snap:
        return render_pdf(**document_job(portal, bundle, number, debtor, snap))


def document_job(portal, bundle: InvoiceDocuments, number: int, debtor: dict | None, snap: Snapshot) -> dict:
    """What ``render_pdf`` needs for one payer document, read from the checkpoint's snapshot ``snap``."""
    digest = snap.digest
    doc = bundle.document(number)
    issuer = _issuer(portal, bundle.provider)
    document = {"kind": "payer_document", "provider": bundle.provider, "invoice": bundle.invoice,
                "version": bundle.version, "number": doc.number, "payer": doc.payer}
    named = doc.social_service["name"] if doc.social_service and doc.social_service["reference"] == "" else None
    context = {"title": f"{named or doc.recipient} {bundle.period}", "doc": doc, "issuer": issuer,
               "invoice": bundle.invoice, "version": bundle.version, "period": bundle.period,
               "debtor": debtor if doc.payer == "participant" else None,
               "payment_svg": None,
               "credit_share": any(ln["federal_integration_credit"] != "0.00" for ln in doc.lines)}
    figures = {"document": document, **doc.as_dict()}
    if doc.payer == "participant" and issuer["iban"] and issuer["postcode"] and issuer["city"]:
        qr = is_qr_iban(issuer["iban"])
        reference = payment_reference(qr, reference_digits(bundle.invoice, bundle.version, doc.number, bundle.period))
        figures["payment"] = {"iban": issuer["iban"], "reference": reference, "amount": str(doc.total),
                              "reference_type": "QRR" if qr else "SCOR"}
        creditor = {k: issuer[k] for k in ("name", "street", "postcode", "city")}
        message = f"Programmkosten {Period.parse(bundle.period).label_de()}, {doc.recipient}"
        context["payment_svg"] = payment_part_svg(creditor, issuer["iban"], doc.total, reference, message,
                                                  context["debtor"])
        context["reference_display"] = reference
    events = snap.event_records("reporting", bundle.invoice, with_state=False)
    files = [EmbeddedFile("beleg.json", figures_json(figures), "Die Zahlen dieses Belegs als JSON (ohne Namen)",
                          "Data"),
             EmbeddedFile(EVENTS_NAME, events_json(document, digest, events, public_key_hex(portal.settings)),
                          "Inklusionsbeweise der Ereignisse der Rechnung, aus der dieser Beleg stammt", "Data")]
    return make_job(portal, digest, "payer_document.html", context, files, document)


def invoice_document_pdf(portal, provider: str | None, invoice_id, number: int, version: int | None = None,
                         debtor: dict | None = None) -> tuple[bytes, str]:
    bundle = invoice_documents(portal, provider, invoice_id, version)
    doc = bundle.document(number)
    return document_pdf(portal, bundle, number, debtor), file_name(bundle, doc)


def write_month_zip(portal, provider: str, period: str, out: BinaryIO) -> None:
    """Every payer document of the provider's month (latest versions), one signed checkpoint for all, written into
    ``out`` one document after the other as each is made: appended, never seeking back (each entry's checksum in a
    data descriptor after it), so what is written can be sent while the rest is made."""
    with Snapshot(portal, checkpoint_store(portal.settings)) as snap:
        made = [(file_name(bundle, doc), document_job(portal, bundle, doc.number, None, snap))
                for bundle in month_documents(portal, provider, period) for doc in bundle.documents]
    with zipfile.ZipFile(_Appending(out), "w", zipfile.ZIP_STORED) as z:
        for (name, _), pdf in zip(made, render_each([job for _, job in made], portal.settings.pdf_workers),
                                  strict=True):
            z.writestr(name, pdf)
            out.flush()


class _Appending(io.RawIOBase):
    """``out`` for zipfile as a stream it can not seek in."""

    def __init__(self, out: BinaryIO):
        self.out, self.written = out, 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.out.write(data)
        self.written += len(data)
        return len(data)

    def tell(self) -> int:
        return self.written

    def seekable(self) -> bool:
        return False

    def seek(self, *_args) -> int:
        raise io.UnsupportedOperation("appending only")

    def flush(self) -> None:
        self.out.flush()
