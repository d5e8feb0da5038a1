"""The QR code of the payment part drawn with fewer path commands covers exactly the same modules."""
from __future__ import annotations

import re
from decimal import Decimal

from shared.presentation.pdf.qr_bill import merge_modules, payment_part_svg

CREDITOR = {"name": "Genossenschaft Regiomech", "street": "Industriestrasse 10", "postcode": "4528",
            "city": "Zuchwil"}


def cells(path: str) -> set[tuple[int, int]]:
    out = set()
    for x, y, x1, y1 in re.findall(r"M(\d+),(\d+)H(\d+)V(\d+)H\d+z", path):
        out |= {(cx, cy) for cx in range(int(x), int(x1)) for cy in range(int(y), int(y1))}
    return out


def qr_path(svg: str) -> str:
    return max(re.findall(r'd="([^"]*)"', svg), key=len)


def test_the_payment_part_carries_the_merged_code():
    svg = payment_part_svg(CREDITOR, "CH4431999123000889012", Decimal("50.00"), "210000000003139471430009017",
                           "Programmkosten März 2025, B-0017", None)
    assert merge_modules(qr_path(svg)) == qr_path(svg)  # already merged: no two adjacent modules of a row left
    assert merge_modules("M0,0H1V1H0zM1,0H2V1H1zM3,0H4V1H3zM0,1H1V2H0z") == "M0,0H2V1H0zM3,0H4V1H3zM0,1H1V2H0z"


def test_merging_keeps_every_module_of_the_real_code():
    from qrbill import QRBill

    bill = QRBill(account="CH4431999123000889012", creditor={"name": "Genossenschaft Regiomech", "pcode": "4528",
                                                              "city": "Zuchwil"},
                  amount="50.00", reference_number="210000000003139471430009017", language="de")
    import io

    raw = io.StringIO()
    bill.as_svg(raw)
    original = qr_path(raw.getvalue())
    merged = merge_modules(original)
    assert cells(merged) == cells(original) and len(cells(original)) > 500
    assert merged.count("M") < original.count("M") * 0.7
