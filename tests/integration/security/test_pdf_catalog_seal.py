"""The seal of an audit PDF covers what a reader sees and does (issue 14, point 8): a script that runs on
opening, a form or an outline added afterwards makes the PDF fail verification, as a changed amount does."""
from __future__ import annotations

import io
from uuid import UUID

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from shared.audit.application.checkpoints import load_verify_key
from shared.audit.application.verify_pdf import verify_pdf
from shared.presentation.pdf.invoice_audit import invoice_audit_pdf
from tests.integration.verify_cases import seed


def rewritten(pdf: bytes, change) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def open_action(writer):
    script = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                               NameObject("/JS"): TextStringObject("app.alert('Bitte Konto bestätigen');")})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(script)


def acro_form(writer):
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): ArrayObject()})


def outline(writer):
    writer.add_outline_item(title="Zahlung an Konto CH00 0000", page_number=0)


def view_setting(writer):
    writer._root_object[NameObject("/PageLayout")] = NameObject("/TwoColumnLeft")
    writer._root_object[NameObject("/PageLabels")] = DictionaryObject(
        {NameObject("/Nums"): ArrayObject([NumberObject(0), DictionaryObject(
            {NameObject("/P"): TextStringObject("Seite ")})])})


@pytest.mark.parametrize("change", [open_action, acro_form, outline, view_setting])
def test_a_pdf_changed_after_sealing_in_what_a_reader_sees_does_not_verify(portal, settings, change):
    iid: UUID = seed(portal)
    pdf = invoice_audit_pdf(portal, iid)
    key = load_verify_key(settings)
    assert verify_pdf(pdf, key) == []
    tampered = rewritten(pdf, change)
    problems = verify_pdf(tampered, key)
    assert any(p.kind == "catalog" for p in problems), problems
