"""Layout checks of a rendered PDF from pdfplumber's character boxes: no text runs off the page or into the side
margins, no two characters overlap (beyond the slight overlap kerning gives neighbours on a line), no two
figures run together into one word («8’307’386.658’296’376.85») and no figure is broken over two lines.

`PORTAL_PDFS` names every PDF the portal makes and how to make it from a portal holding a demo year;
`tests/integration/test_pdf_layout.py` checks each. A new document (the payer documents) registers itself
with `@portal_pdf("name")` and is checked from then on."""
from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Callable

SIDE_MARGIN_PT = 42.0  # the documents have 15 mm (42.5 pt): text nearer a side ran past the content's edge
# more than two digits after a point and then a thousands mark or another point (an amount's centimes run into
# the next figure: «386.658’296»), or a word run into an amount («Sozialdiens306’082.40»); dates do not match
RUN_TOGETHER = re.compile(r"\.\d{3,}[’'.,]|[A-Za-zäöüÄÖÜ]{3}\d{1,3}’\d{3}")
# a figure broken over two lines: a word ending in a thousands mark and fewer than three digits («8’307’»,
# «4’999’99») or in the centimes' first digit («8’307’386.6»); an amount is always written whole
BROKEN_FIGURE = re.compile(r"\d’\d{0,2}$|\d’\d{3}\.\d$")

PORTAL_PDFS: dict[str, Callable] = {}
SIDE_MARGINS: dict[str, float] = {}  # a document whose side margin is not SIDE_MARGIN_PT
QR_BILL_MARGIN_PT = 13.5  # the QR-bill's payment part: 210 mm wide, its text 5 mm (14.2 pt) from the edge


def portal_pdf(name: str, side_margin: float = SIDE_MARGIN_PT):
    """Register `make(portal, year) -> bytes` as one of the portal's PDFs, for the layout test."""

    def register(make: Callable) -> Callable:
        PORTAL_PDFS[name] = make
        SIDE_MARGINS[name] = side_margin
        return make

    return register


@portal_pdf("invoice_audit")
def _invoice_audit(portal, year: int) -> bytes:
    """The audit PDF of the demo year's invoice with the most versions, findings and re-evaluations."""
    from shared.presentation.pdf.invoice_audit import invoice_audit_pdf

    invoices = [i for p in portal.supervision.providers() for i in portal.reporting.invoices(p.slug, None)
                if i.period.startswith(str(year))]
    richest = max(invoices, key=lambda i: (len(i.submissions), len(getattr(i, "reevaluations", []) or []),
                                           sum(len(ln["findings"]) for ln in i.result["lines"])))
    return invoice_audit_pdf(portal, richest.id)


@portal_pdf("provider_year")
def _provider_year(portal, year: int) -> bytes:
    from shared.presentation.pdf.annual_reports import provider_report_pdf

    return provider_report_pdf(portal, "regiomech", year)


@portal_pdf("canton_year")
def _canton_year(portal, year: int) -> bytes:
    from shared.presentation.pdf.annual_reports import canton_report_pdf

    return canton_report_pdf(portal, year)


@portal_pdf("reconciliation")
def _reconciliation(portal, year: int) -> bytes:
    from shared.presentation.pdf.finance_report import reconciliation_pdf

    return reconciliation_pdf(portal, year)


@portal_pdf("evaluation")
def _evaluation(portal, year: int) -> bytes:
    from shared.evaluation.application.evaluation import parse_query
    from shared.presentation.pdf.evaluation_report import evaluation_pdf

    query = parse_query(portal.supervision.catalogue(), None, f"{year}-01", f"{year}-12", None)
    return evaluation_pdf(portal, query)


def _payer_documents(portal, year: int, payer: str):
    """The richest payer document of this kind of regiomech's year (most lines), and its invoice's documents."""
    from shared.finance.application.payer_documents import month_documents

    bundles = [b for m in range(1, 13) for b in month_documents(portal, "regiomech", f"{year}-{m:02d}")]
    return max(((b, d) for b in bundles for d in b.documents if d.payer == payer), key=lambda bd: len(bd[1].lines))


@portal_pdf("payer_statement")
def _payer_statement(portal, year: int) -> bytes:
    from shared.presentation.pdf.payer_documents import document_pdf

    bundle, doc = _payer_documents(portal, year, "social_service")
    return document_pdf(portal, bundle, doc.number)


@portal_pdf("payer_claim")
def _payer_claim(portal, year: int) -> bytes:
    from shared.presentation.pdf.payer_documents import document_pdf

    bundle, doc = _payer_documents(portal, year, "canton")
    return document_pdf(portal, bundle, doc.number)


@portal_pdf("payer_bill", side_margin=QR_BILL_MARGIN_PT)
def _payer_bill(portal, year: int) -> bytes:
    """A participant's bill with its QR payment part, printed for a long name and address."""
    from shared.presentation.pdf.payer_documents import document_pdf

    bundle, doc = _payer_documents(portal, year, "participant")
    debtor = {"name": "Maximiliane Alexandra Müller-Oberholzer-Zimmerli", "street": "Obere Rebhaldenstrasse 128b",
              "postcode": "4500", "city": "Solothurn", "country": "CH"}
    return document_pdf(portal, bundle, doc.number, debtor)


def _boxes(page) -> list[tuple[float, float, float, float, str, int, float]]:
    """(x0, top, x1, bottom, text, position in the content stream, size) of every visible character."""
    return [(c["x0"], c["top"], c["x1"], c["bottom"], c["text"], n, c["size"])
            for n, c in enumerate(page.chars) if c["text"].strip()]


def _kerned(a, b) -> bool:
    """Neighbours in the stream on one line may overlap by a kerning pair's amount (T·e, r·.)."""
    return (abs(a[5] - b[5]) == 1 and abs(a[1] - b[1]) < 0.5
            and min(a[2], b[2]) - max(a[0], b[0]) < 0.2 * max(a[6], b[6]))


def layout_problems(pdf: bytes, tolerance: float = 0.25, side_margin: float = SIDE_MARGIN_PT) -> list[str]:
    """Each problem as «page N: …»; empty when the text stays on the page and within its side margins, never
    overlaps, and no two figures touch."""
    import pdfplumber

    problems: list[str] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, start=1):
            boxes = _boxes(page)
            for x0, top, x1, bottom, text, _n, _size in boxes:
                if x0 < -0.5 or top < -0.5 or x1 > page.width + 0.5 or bottom > page.height + 0.5:
                    problems.append(f"page {number}: «{text}» off the page at ({x0:.0f}, {top:.0f})")
                elif x0 < side_margin or x1 > page.width - side_margin:
                    problems.append(f"page {number}: «{text}» in the side margin at ({x0:.0f}, {top:.0f})")
            problems += _overlaps(number, boxes, tolerance)
            for word in page.extract_words(x_tolerance=1.0, y_tolerance=1.0):
                if RUN_TOGETHER.search(word["text"]):
                    problems.append(f"page {number}: «{word['text']}» runs together at "
                                    f"({word['x0']:.0f}, {word['top']:.0f})")
                if BROKEN_FIGURE.search(word["text"]):
                    problems.append(f"page {number}: «{word['text']}» is a figure broken over two lines at "
                                    f"({word['x0']:.0f}, {word['top']:.0f})")
    return problems


def _overlaps(number: int, boxes: list, tolerance: float) -> list[str]:
    problems = []
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, (x0, top, x1, bottom, *_rest) in enumerate(boxes):
        for gx in range(int(x0 // 20), int(x1 // 20) + 1):
            for gy in range(int(top // 20), int(bottom // 20) + 1):
                grid[(gx, gy)].append(i)
    seen: set[tuple[int, int]] = set()
    for members in grid.values():
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                i, j = members[a], members[b]
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                if not _kerned(boxes[i], boxes[j]) and _overlap(boxes[i], boxes[j]) > tolerance:
                    problems.append(f"page {number}: «{boxes[i][4]}» overlaps «{boxes[j][4]}» at "
                                    f"({boxes[i][0]:.0f}, {boxes[i][1]:.0f})")
    return problems


def _overlap(a, b) -> float:
    """The intersection as a share of the smaller box."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1])) or 1e-9
    return w * h / smaller
