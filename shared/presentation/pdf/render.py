"""HTML templates to PDF/A-3b with WeasyPrint: bundled assets only, source data embedded, sealed.

The URL fetcher serves the files in shared/presentation/pdf/assets under `ami-asset:NAME` and refuses every other URL
(file:, http:, https:, data: ...), so text from a submission can never make the renderer read a file or
reach the network. The templates autoescape everything.
"""

from __future__ import annotations

import hashlib
import io
import logging
import mimetypes
import multiprocessing
import re
import struct
import threading
import zlib
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from nacl.signing import SigningKey
from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher, URLFetcherResponse

from shared.audit.application.checkpoints import key_id
from shared.audit.application.pdf_seal import SEAL_NAME, catalog_digest, make_seal, open_pdf, page_digests
from shared.presentation.format import register_filters

HERE = Path(__file__).parent
ASSETS = HERE / "assets"
TEMPLATES = HERE / "templates"
ASSET_SCHEME = "ami-asset:"
PDF_VARIANT = "pdf/a-3b"
LARGE_FILE = 1 << 20  # bytes: an embedded file from this size on is written by append_attachments
LARGE_FILE_LEVEL = 3  # zlib level for those: 0.1 s for 25 MB of JSON (level 9: 0.3 s), about 15 % larger

log = logging.getLogger("ami")
logging.getLogger("weasyprint").setLevel(logging.CRITICAL)  # refusals are logged above, once, without the URL
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
            log.warning("PDF: URL refused (scheme %s)", url.split(":", 1)[0][:20])
            raise RefusedURL(f"Nur eingebettete Dateien erlaubt: {url[:80]}")
        path = self._files[name]
        ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if name.endswith(".ttf"):
            ctype = "font/ttf"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": ctype})


_SPACES = re.compile(r"\s+")
_env_lock = threading.Lock()
_render_lock = threading.Lock()  # one layout at a time: WeasyPrint and Pango are not thread-safe
_env: Environment | None = None
LAST_FETCHERS: list[AssetFetcher] = []  # the fetchers of the latest renders (for tests), at most 20
_pool_lock = threading.Lock()  # one pool at a time: its jobs are handed to the forked workers in _JOBS
_JOBS: list[dict] = []


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
    """The HTML, with runs of whitespace folded to one space (the templates use no <pre>): less to parse."""
    return _SPACES.sub(" ", environment().get_template(template).render(**context))


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
    html = render_html(template, context)
    with _render_lock:
        fetcher = AssetFetcher()
        LAST_FETCHERS.append(fetcher)
        del LAST_FETCHERS[:-20]
        doc = HTML(string=html, base_url=None, url_fetcher=fetcher).render()
        # a large file (the events of a year: 25 MB) is embedded with the seal, compressed once at a fast level:
        # WeasyPrint compresses attachments at level 9, and twice (0.6 s for those 25 MB)
        large = [f for f in files if len(f.data) >= LARGE_FILE]
        if len(large) == len(files):
            large = large[1:]  # WeasyPrint writes the catalog's /Names tree only with a file of its own
        attachments = [
            Attachment(string=f.data, name=f.name, description=f.description, relationship=f.relationship,
                       created=created, modified=created, url_fetcher=fetcher)
            for f in files if all(f is not g for g in large)
        ]
        first = doc.write_pdf(attachments=attachments, pdf_variant=PDF_VARIANT)
    before = open_pdf(first)  # each version is read once: digested, then (the first) updated
    pages, catalog = page_digests(before), catalog_digest(before)
    seal = make_seal(pages, {f.name: f.data for f in files}, document, store_digest, key,
                     key_id(key.verify_key), catalog)
    final = append_attachments(first, [*large, EmbeddedFile(
        SEAL_NAME, seal, "Siegel: signierte Prüfsummen der Seiten und Anhänge", "Supplement")], created, before)
    after = open_pdf(final)
    if page_digests(after) != pages or catalog_digest(after) != catalog:
        raise RuntimeError("PDF nach dem Siegeln verändert")  # the pages and catalog must be those sealed
    return final


def _render_job(index: int) -> bytes:
    """In a forked worker: render job ``index`` of ``_JOBS`` (the parent forked while holding the render lock,
    so the worker's copy of that lock is taken: it gets its own)."""
    global _render_lock
    _render_lock = threading.Lock()
    return render_pdf(**_JOBS[index])


def render_each(jobs: list[dict], workers: int = 1) -> Iterator[bytes]:
    """``render_pdf(**job)`` of each job, in order, each as soon as it is made; with ``workers`` > 1 and more than
    one job in that many forked processes (Pango lays out one document per process at a time, so this is how a
    ZIP of many PDFs uses more than one core). Forked while no layout runs here; a pool that fails before its
    first document falls back to one process. Consume it to the end in one thread (it holds the pool's lock)."""
    workers = min(workers, len(jobs))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (render_pdf(**job) for job in jobs)
        return
    with _pool_lock:
        _JOBS[:] = jobs
        made, pool = 0, None
        try:
            pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
            with _render_lock:  # the first submit forks every worker: not in the middle of a layout
                futures = [pool.submit(_render_job, 0)]
            futures += [pool.submit(_render_job, i) for i in range(1, len(jobs))]
            for future in futures:
                yield future.result()
                made += 1
        except (OSError, RuntimeError) as exc:  # BrokenProcessPool is a RuntimeError
            if made:
                raise
            log.warning("PDF: parallel rendering failed (%s), rendering in this process", type(exc).__name__)
            yield from (render_pdf(**job) for job in jobs)
        finally:  # left early (the download was cancelled): the documents not begun are not made
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
            _JOBS.clear()


def append_attachments(pdf: bytes, files: list[EmbeddedFile], created: datetime, reader=None) -> bytes:
    """Embed more files as one incremental update, with what PDF/A-3 asks of each (AF, MIME type, dates).

    Written here rather than by pypdf's incremental writer, whose cross-reference stream leaves itself out
    (qpdf then warns); the update has a complete cross-reference stream of its own. ``reader``: ``pdf`` already
    read (``open_pdf``); its catalog is changed in memory, so digest it before."""
    from pypdf.generic import ArrayObject, IndirectObject, NameObject, create_string_object

    reader = reader if reader is not None else open_pdf(pdf)
    trailer = reader.trailer
    catalog_ref = trailer.raw_get("/Root")
    catalog = catalog_ref.get_object()
    size = int(trailer["/Size"])
    xref_no = size + 2 * len(files)
    spec_refs = [IndirectObject(size + 2 * i + 1, 0, reader) for i in range(len(files))]

    names_holder = catalog["/Names"]
    ef_raw = names_holder.raw_get("/EmbeddedFiles")
    tree = ef_raw.get_object()
    names = tree["/Names"]
    pairs = [(str(names[i]), names[i + 1]) for i in range(0, len(names), 2)]
    pairs += [(f.name, ref) for f, ref in zip(files, spec_refs, strict=True)]
    pairs.sort(key=lambda p: p[0])
    tree[NameObject("/Names")] = ArrayObject([x for n, ref in pairs for x in (create_string_object(n), ref)])
    af = catalog.get("/AF")
    catalog[NameObject("/AF")] = ArrayObject([*(af.get_object() if af is not None else []), *spec_refs])

    def serial(obj) -> bytes:
        out = io.BytesIO()
        obj.write_to_stream(out)
        return out.getvalue()

    when = created.astimezone(UTC).strftime("D:%Y%m%d%H%M%SZ")
    objects: list[tuple[int, bytes]] = [(catalog_ref.idnum, serial(catalog))]
    if isinstance(ef_raw, IndirectObject):
        objects.append((ef_raw.idnum, serial(tree)))
    for i, file in enumerate(files):
        stream_no, spec_no = size + 2 * i, size + 2 * i + 1
        mime = (mimetypes.guess_type(file.name)[0] or "application/octet-stream").replace("/", "#2F")
        packed = zlib.compress(file.data, LARGE_FILE_LEVEL)
        md5 = hashlib.md5(file.data, usedforsecurity=False).hexdigest()
        params = f"/Params << /Size {len(file.data)} /CheckSum <{md5}> /CreationDate ({when}) /ModDate ({when})"
        head = f"<< /Type /EmbeddedFile /Subtype /{mime} /Filter /FlateDecode /Length {len(packed)} {params} >>>>"
        objects.append((stream_no, head.encode() + b"\nstream\n" + packed + b"\nendstream"))
        name, desc = serial(create_string_object(file.name)), serial(create_string_object(file.description))
        objects.append((spec_no, b"<< /Type /Filespec /F " + name + b" /UF " + name + b" /Desc " + desc
                        + f" /EF << /F {stream_no} 0 R >> /AFRelationship /{file.relationship} >>".encode()))
    body = io.BytesIO()
    body.write(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets: dict[int, int] = {}
    for number, data in objects:
        offsets[number] = body.tell()
        body.write(f"{number} 0 obj\n".encode() + data + b"\nendobj\n")
    offsets[xref_no] = body.tell()
    numbers = sorted(offsets)
    index: list[int] = []
    for n in numbers:
        if index and index[-2] + index[-1] == n:
            index[-1] += 1
        else:
            index += [n, 1]
    rows = zlib.compress(b"".join(struct.pack(">BIH", 1, offsets[n], 0) for n in numbers))
    ident = trailer.get("/ID")
    body.write(f"{xref_no} 0 obj\n<< /Type /XRef /Size {xref_no + 1} /Root {catalog_ref.idnum} 0 R "
               f"/Prev {reader._startxref} /Index [{' '.join(map(str, index))}] /W [1 4 2] "  # noqa: SLF001
               f"/Filter /FlateDecode /Length {len(rows)}".encode()
               + (b" /ID " + serial(ident) if ident is not None else b"") + b" >>\nstream\n" + rows
               + f"\nendstream\nendobj\nstartxref\n{offsets[xref_no]}\n%%EOF\n".encode())
    return body.getvalue()
