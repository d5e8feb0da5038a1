"""HTML templates to PDF/A-3b with WeasyPrint: bundled assets only, source data embedded, sealed.

The URL fetcher serves the files in shared/pdf/assets under `ami-asset:NAME` and refuses every other URL
(file:, http:, https:, data: ...), so text from a submission can never make the renderer read a file or
reach the network. The templates autoescape everything.
"""

from __future__ import annotations

import io
import logging
import mimetypes
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from nacl.signing import SigningKey
from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher, URLFetcherResponse

from shared.audit.checkpoints import key_id
from shared.audit.seal import SEAL_NAME, make_seal, page_digests
from shared.format import register_filters

HERE = Path(__file__).parent
ASSETS = HERE / "assets"
TEMPLATES = HERE / "templates"
ASSET_SCHEME = "ami-asset:"
PDF_VARIANT = "pdf/a-3b"

logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
logging.getLogger("fontTools").setLevel(logging.WARNING)


class RefusedURL(ValueError):
    pass


class AssetFetcher(URLFetcher):
    """Serves ami-asset:NAME from the bundled assets; everything else is refused and remembered."""

    def __init__(self) -> None:
        super().__init__(timeout=1, allowed_protocols=("ami-asset",), allow_redirects=False)
        self.requested: list[str] = []
        self.refused: list[str] = []
        self._files = {p.name: p for p in ASSETS.iterdir() if p.is_file()}

    def fetch(self, url, headers=None):
        self.requested.append(url)
        name = url[len(ASSET_SCHEME) :].lstrip("/") if url.startswith(ASSET_SCHEME) else None
        if name not in self._files:
            self.refused.append(url)
            raise RefusedURL(f"Nur eingebettete Dateien erlaubt: {url[:80]}")
        path = self._files[name]
        ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if name.endswith(".ttf"):
            ctype = "font/ttf"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": ctype})


_env_lock = threading.Lock()
_env: Environment | None = None
LAST_FETCHERS: list[AssetFetcher] = []  # the fetchers of the latest renders (for tests), at most 20


def environment() -> Environment:
    global _env
    with _env_lock:
        if _env is None:
            env = Environment(
                loader=FileSystemLoader(str(TEMPLATES)),
                autoescape=select_autoescape(default=True, default_for_string=True),
                auto_reload=False,
                trim_blocks=True,
                lstrip_blocks=True,
            )
            register_filters(env.filters)
            _env = env
        return _env


@dataclass(frozen=True)
class EmbeddedFile:
    name: str
    data: bytes
    description: str
    relationship: str  # Source, Data, Supplement (PDF/A-3 AFRelationship)


def render_html(template: str, context: dict) -> str:
    return environment().get_template(template).render(**context)


def render_pdf(
    template: str,
    context: dict,
    files: list[EmbeddedFile],
    *,
    document: dict,
    store_digest: str,
    key: SigningKey,
    created: datetime,
) -> bytes:
    """Lay the document out and write it once, digest its pages, and append the seal as an incremental
    update (PDF/A-3 allows one): the pages stay byte for byte what was sealed."""
    fetcher = AssetFetcher()
    LAST_FETCHERS.append(fetcher)
    del LAST_FETCHERS[:-20]
    html = render_html(template, context)
    doc = HTML(string=html, base_url=None, url_fetcher=fetcher).render()
    attachments = [
        Attachment(string=f.data, name=f.name, description=f.description, relationship=f.relationship,
                   created=created, modified=created, url_fetcher=fetcher)
        for f in files
    ]
    first = doc.write_pdf(attachments=attachments, pdf_variant=PDF_VARIANT)
    pages = page_digests(first)
    seal = make_seal(pages, {f.name: f.data for f in files}, document, store_digest, key,
                     key_id(key.verify_key))
    final = append_attachment(first, EmbeddedFile(
        SEAL_NAME, seal, "Siegel: signierte Prüfsummen der Seiten und Anhänge", "Supplement"), created)
    if page_digests(final) != pages:  # the pages must be the ones that were sealed
        raise RuntimeError("PDF-Seiten nach dem Siegeln verändert")
    return final


def append_attachment(pdf: bytes, file: EmbeddedFile, created: datetime) -> bytes:
    """Embed one more file as an incremental update, with what PDF/A-3 asks of it (AF, MIME type, dates)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, NameObject, create_string_object

    writer = PdfWriter(PdfReader(io.BytesIO(pdf)), incremental=True)
    ef = writer.add_attachment(file.name, file.data)
    ef.alternative_name = create_string_object(file.name)
    ef.description = create_string_object(file.description)
    ef.subtype = NameObject("/" + (mimetypes.guess_type(file.name)[0] or "application/octet-stream"))
    ef.associated_file_relationship = NameObject("/" + file.relationship)
    ef.creation_date = created
    ef.modification_date = created
    root = writer._root_object  # noqa: SLF001 - pypdf has no public accessor for the catalog
    if "/AF" not in root:
        root[NameObject("/AF")] = ArrayObject()
    root["/AF"].get_object().append(ef.pdf_object.indirect_reference)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
