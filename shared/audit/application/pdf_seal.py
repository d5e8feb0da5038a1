"""The seal of an audit PDF: a signature over what every page shows and over every embedded file.

A page's digest is SHA-256 over a canonical form of the page's object graph: its content streams
(decoded), its resources (fonts with their font programs, images, patterns, graphics states), its
annotations and its boxes, with object numbers left out (so it does not depend on how the file is laid
out). Changing one digit of an amount changes the page's digest; so does changing a glyph in a font.
The seal (`siegel.json`) lists the page digests, the SHA-256 of each other attachment and the digest of
the document catalog (what a reader does on opening the file: actions, forms, scripts, outlines, metadata;
without its list of pages and of embedded files, which the other digests cover), signed with the
installation's Ed25519 key. A reader's active content (open actions, forms, scripts) is refused outright.
"""

from __future__ import annotations

import hashlib
import io
import json
import struct

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

SEAL_NAME = "siegel.json"
SEAL_FORMAT = "ami-pdf-seal/2"  # /2 seals the catalog too; PDFs sealed as /1 still verify their pages and files
SEAL_FORMATS = ("ami-pdf-seal/1", SEAL_FORMAT)
ACTIVE = ("/OpenAction", "/AA", "/AcroForm")  # in the catalog: what runs or asks for input when a PDF opens
SKIPPED_KEYS = frozenset({"/Parent", "/P", "/Length"})


class _Canon:
    def __init__(self, pages: dict[tuple[int, int], int] | None = None) -> None:
        self.memo: dict[tuple[int, int], bytes] = {}
        self.active: set[tuple[int, int]] = set()
        self.pages = pages or {}  # page objects named by their number (their content has its own digest)

    def digest(self, obj) -> bytes:
        h = hashlib.sha256()
        self.feed(obj, h)
        return h.digest()

    def feed(self, obj, h) -> None:  # noqa: C901 - one branch per PDF object type
        from pypdf.generic import (
            ArrayObject,
            BooleanObject,
            ByteStringObject,
            DictionaryObject,
            FloatObject,
            IndirectObject,
            NameObject,
            NullObject,
            NumberObject,
            StreamObject,
            TextStringObject,
        )

        def put(tag: bytes, data: bytes = b"") -> None:
            h.update(tag + struct.pack(">Q", len(data)) + data)

        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in self.pages:
                put(b"P", struct.pack(">Q", self.pages[ref]))
                return
            if ref in self.active:
                put(b"C")  # a cycle back to an object being hashed
                return
            if ref not in self.memo:
                self.active.add(ref)
                try:
                    self.memo[ref] = self.digest(obj.get_object())
                finally:
                    self.active.discard(ref)
            put(b"R", self.memo[ref])
        elif isinstance(obj, StreamObject):
            put(b"S")
            self._dict(obj, h)
            try:
                data = obj.get_data()
            except Exception:  # an unknown filter: the encoded bytes then
                data = obj._data  # noqa: SLF001
            put(b"D", data if isinstance(data, bytes) else str(data).encode())
        elif isinstance(obj, DictionaryObject):
            put(b"{")
            self._dict(obj, h)
        elif isinstance(obj, ArrayObject):
            put(b"[", struct.pack(">Q", len(obj)))
            for item in obj:
                self.feed(item, h)
        elif isinstance(obj, NameObject):
            put(b"N", str(obj).encode("utf-8"))
        elif isinstance(obj, ByteStringObject):
            put(b"B", bytes(obj))
        elif isinstance(obj, TextStringObject):
            put(b"T", str(obj).encode("utf-8"))
        elif isinstance(obj, BooleanObject):
            put(b"b", b"1" if obj else b"0")
        elif isinstance(obj, NumberObject | FloatObject):
            put(b"n", repr(float(obj)).encode())
        elif isinstance(obj, NullObject) or obj is None:
            put(b"0")
        else:
            put(b"?", str(obj).encode("utf-8"))

    def _dict(self, obj, h) -> None:
        keys = sorted(k for k in obj.keys() if k not in SKIPPED_KEYS)
        h.update(struct.pack(">Q", len(keys)))
        for k in keys:
            h.update(struct.pack(">Q", len(k)) + k.encode("utf-8"))
            self.feed(obj.raw_get(k), h)


def open_pdf(pdf):
    """A pypdf reader of the bytes (a reader is returned as it is): read once, digested several times."""
    from pypdf import PdfReader

    return pdf if isinstance(pdf, PdfReader) else PdfReader(io.BytesIO(pdf), strict=False)


def page_digests(pdf) -> list[str]:
    """One digest per page, in page order (``pdf``: the bytes or an ``open_pdf`` reader)."""
    reader = open_pdf(pdf)
    canon = _Canon()
    result = []
    for page in reader.pages:
        h = hashlib.sha256(b"AMI-PAGE-V1\x00")
        h.update(repr([float(x) for x in page.mediabox]).encode())
        h.update(repr([float(x) for x in page.cropbox]).encode())
        h.update(repr(int(page.rotation)).encode())
        canon.feed(page.get_object(), h)
        result.append(h.hexdigest())
    return result


def catalog_digest(pdf) -> str:
    """The document catalog without /Pages, /AF and the /EmbeddedFiles name tree (sealed page by page and
    file by file); an update that adds an action, a form, a script or an outline changes it."""
    from pypdf.generic import DictionaryObject, NameObject

    reader = open_pdf(pdf)
    catalog = reader.trailer["/Root"].get_object()
    pages = {(p.indirect_reference.idnum, p.indirect_reference.generation): i for i, p in enumerate(reader.pages)}
    view = DictionaryObject({NameObject(k): catalog.raw_get(k) for k in catalog.keys() if k not in ("/Pages", "/AF")})
    names = catalog.get("/Names")
    if names is not None:
        names = names.get_object()
        view[NameObject("/Names")] = DictionaryObject({NameObject(k): names.raw_get(k) for k in names.keys()
                                                       if k != "/EmbeddedFiles"})
    return _Canon(pages).digest(view).hex()


def active_content(pdf: bytes) -> list[str]:
    """What in the catalog would act when the PDF is opened: ["/OpenAction", "/Names/JavaScript", …]."""
    from pypdf import PdfReader

    catalog = PdfReader(io.BytesIO(pdf), strict=False).trailer["/Root"].get_object()
    found = [k for k in ACTIVE if k in catalog]
    names = catalog.get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        found.append("/Names/JavaScript")
    return found


def attachments(pdf: bytes) -> dict[str, bytes]:
    """The embedded files by name (the first, where a name occurs twice)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf), strict=False)
    return {name: contents[0] for name, contents in reader.attachments.items() if contents}


def canonical(data: dict) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def make_seal(
    pages: list[str], files: dict[str, bytes], document: dict, store_digest: str, key: SigningKey, key_id: str,
    catalog: str,
) -> bytes:
    body = {
        "format": SEAL_FORMAT,
        "catalog": catalog,
        "key_id": key_id,
        "document": document,
        "store_digest": store_digest,
        "pages": pages,
        "attachments": {n: hashlib.sha256(b).hexdigest() for n, b in sorted(files.items())},
    }
    body["signature"] = key.sign(canonical(body)).signature.hex()
    return json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def seal_signature_valid(seal: dict, verify_key: VerifyKey) -> bool:
    body = {k: v for k, v in seal.items() if k != "signature"}
    try:
        verify_key.verify(canonical(body), bytes.fromhex(str(seal.get("signature", ""))))
    except (BadSignatureError, ValueError):
        return False
    return True
