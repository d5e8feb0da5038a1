"""An audit PDF verifies offline from its bytes alone, and fails after a changed amount, attachment or checkpoint
(on SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import json
import re

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from shared.audit.application.checkpoints import parse_public_key
from shared.audit.application.verify_pdf import verify_pdf
from shared.audit.domain.chain import event_hash, sha256
from tests.integration.verify_cases import MARCH, seed
from tests.pdf_reading import pdf_text


# --- the PDF, offline ---------------------------------------------------------------------------------
def attachments(pdf: bytes) -> dict[str, bytes]:
    return {n: c[0] for n, c in PdfReader(io.BytesIO(pdf)).attachments.items()}


def replace_attachment(pdf: bytes, name: str, data: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    names = writer._root_object["/Names"]["/EmbeddedFiles"].get_object()["/Names"]
    for i in range(0, len(names), 2):
        if names[i] == name:
            names[i + 1].get_object()["/EF"]["/F"].get_object().set_data(data)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def change_printed_amount(pdf: bytes, old: str, new: str) -> bytes:
    """Edit page 1's content stream so that it shows another amount (glyph codes from the ToUnicode maps)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    page = writer.pages[0]
    codes: dict[str, str] = {}
    for font in page["/Resources"]["/Font"].values():
        cmap = font.get_object()["/ToUnicode"].get_object().get_data().decode()
        for src, dst in re.findall(r"<([0-9a-f]{4})>\s*<([0-9a-f]{4})>", cmap):
            codes.setdefault(chr(int(dst, 16)), src)

    def glyphs(text: str) -> bytes:
        return ">0<".join(codes[c] for c in text).encode()

    stream = page[NameObject("/Contents")].get_object()
    data = stream.get_data()
    assert glyphs(old) in data
    stream.set_data(data.replace(glyphs(old), glyphs(new), 1))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_genuine_pdf_verifies_offline_and_a_changed_one_does_not(portal, settings, tmp_path, capsys):
    from services.cli import main
    from shared.presentation.pdf.invoice_audit import invoice_audit_pdf

    invoice_id = seed(portal)
    pdf = invoice_audit_pdf(portal, invoice_id)
    pub = settings.keys_dir / "signing.pub"
    key = parse_public_key(str(pub))
    assert verify_pdf(pdf, key) == []

    # one changed amount on the page
    changed = change_printed_amount(pdf, "714.50", "814.50")
    assert "2’814.50" in pdf_text(changed) and "2’814.50" not in pdf_text(pdf)
    problems = verify_pdf(changed, key)
    assert [p.kind for p in problems] == ["page"] and "Seite 1" in problems[0].message

    # one changed attachment: the original upload
    files = attachments(pdf)
    original = files["original-v1.csv"]
    assert original == MARCH
    problems = verify_pdf(
        replace_attachment(pdf, "original-v1.csv", original.replace(b"1955.00", b"1956.00")), key
    )
    kinds = {p.kind for p in problems}
    assert {"attachment", "source"} <= kinds

    # one changed checkpoint in the embedded events
    events = json.loads(files["ereignisse.json"])
    events["checkpoints"]["reporting"]["root"] = "00" * 32
    problems = verify_pdf(replace_attachment(pdf, "ereignisse.json", json.dumps(events).encode()), key)
    assert {"attachment", "checkpoint"} <= {p.kind for p in problems}

    # an event's data changed and its hash recomputed: still not in the signed root
    events = json.loads(files["ereignisse.json"])
    events["checkpoints"] = json.loads(files["ereignisse.json"])["checkpoints"]
    ev = events["events"][0]
    import base64

    state = base64.b64decode(ev["state"]).replace(b"2714.50", b"2714.51")
    ev["state"] = base64.b64encode(state).decode()
    ev["state_sha256"] = sha256(state).hex()
    ev["event_hash"] = event_hash(
        ev["originator_id"], ev["originator_version"], ev["topic"], sha256(state), bytes(32)
    ).hex()
    problems = verify_pdf(replace_attachment(pdf, "ereignisse.json", json.dumps(events).encode()), key)
    assert "inclusion" in {p.kind for p in problems}

    # another key does not verify it
    other = parse_public_key("11" * 32)
    assert {p.kind for p in verify_pdf(pdf, other)} >= {"seal", "checkpoint"}

    # the command
    good, bad = tmp_path / "gut.pdf", tmp_path / "falsch.pdf"
    good.write_bytes(pdf)
    bad.write_bytes(changed)
    assert main(["verify", "--pdf", str(good), "--public-key", str(pub)]) == 0
    assert "PDF echt" in capsys.readouterr().out
    assert main(["verify", "--pdf", str(bad), "--public-key", str(pub)]) == 1
    assert "Seite 1: Inhalt verändert" in capsys.readouterr().out
