"""Layout checks of a rendered PDF from pdfplumber's character boxes: no text runs off the page, and no two
characters overlap (beyond the slight overlap kerning gives neighbours on a line)."""
from __future__ import annotations

import io
from collections import defaultdict


def _boxes(page) -> list[tuple[float, float, float, float, str, int, float]]:
    """(x0, top, x1, bottom, text, position in the content stream, size) of every visible character."""
    return [(c["x0"], c["top"], c["x1"], c["bottom"], c["text"], n, c["size"])
            for n, c in enumerate(page.chars) if c["text"].strip()]


def _kerned(a, b) -> bool:
    """Neighbours in the stream on one line may overlap by a kerning pair's amount (T·e, r·.)."""
    return (abs(a[5] - b[5]) == 1 and abs(a[1] - b[1]) < 0.5
            and min(a[2], b[2]) - max(a[0], b[0]) < 0.2 * max(a[6], b[6]))


def layout_problems(pdf: bytes, tolerance: float = 0.25) -> list[str]:
    """Each problem as «page N: …»; empty when the text stays on the page and never overlaps."""
    import pdfplumber

    problems: list[str] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, start=1):
            boxes = _boxes(page)
            for x0, top, x1, bottom, text, _n, _size in boxes:
                if x0 < -0.5 or top < -0.5 or x1 > page.width + 0.5 or bottom > page.height + 0.5:
                    problems.append(f"page {number}: «{text}» off the page at ({x0:.0f}, {top:.0f})")
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
