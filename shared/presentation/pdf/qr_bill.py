"""The payment part of a participant's bill: a Swiss QR-bill (Swiss Payment Standards) drawn by the `qrbill`
library as SVG, put inline into the bill's HTML (the renderer fetches no URL, so no image file).

The creditor is the provider with the IBAN or QR-IBAN and the address of the register; the debtor (name and
address) is what the person printing typed, used for this PDF only; without it the standard's empty «Zahlbar
durch» field is printed for a handwritten address."""
from __future__ import annotations

import io
import re
from decimal import Decimal

from shared.kernel.errors import Invalid

FONT = "Liberation Sans"  # metric-compatible with Arial, one of the fonts the standard names; bundled
_STREET = re.compile(r"^(.*?)(?:\s+(\d+\s*[a-zA-Z]?))?$")
LIMITS = {"name": 70, "street": 70, "postcode": 16, "city": 35}
_MODULE = re.compile(r"M(\d+),(\d+)H(\d+)V(\d+)H\d+z")
_MODULES = re.compile(r'd="((?:M\d+,\d+H\d+V\d+H\d+z)+)"')


def split_street(street: str) -> tuple[str, str]:
    """«Bahnhofstrasse 12a» → ("Bahnhofstrasse", "12a") (the QR-bill's structured address)."""
    m = _STREET.match((street or "").strip())
    return (m.group(1).strip(), (m.group(2) or "").replace(" ", "")) if m else (street, "")


def debtor_address(name, street, postcode, city, country="CH") -> dict | None:
    """The debtor typed at printing time, checked (422 naming the field); None when all is empty."""
    values = {"name": name, "street": street, "postcode": postcode, "city": city}
    clean = {k: " ".join(str(v or "").split()) for k, v in values.items()}
    if not any(clean.values()):
        return None
    for key, text in clean.items():
        if len(text) > LIMITS[key] or not text.isprintable():
            raise Invalid(f"«{key}» hat höchstens {LIMITS[key]} Zeichen, ohne Steuerzeichen", key, None)
    for key in ("name", "postcode", "city"):
        if not clean[key]:
            raise Invalid("Für die Adresse der Zahlenden Name, PLZ und Ort angeben", key, None)
    country = str(country or "CH").strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise Invalid("Land als zweistelliger Code (CH)", "country", None)
    return {**clean, "country": country}


def merge_modules(path: str) -> str:
    """The QR code's path with adjacent modules drawn as one rectangle (a row's run, then equal runs of the rows
    below): the same black area in far fewer commands (the renderer parses SVG paths slowly: half the time of a
    bill went to the QR code)."""
    runs: list[list[int]] = []  # x0, y, x1, y1 of each row's runs
    for m in _MODULE.finditer(path):
        x, y, x1, y1 = map(int, m.groups())
        if runs and runs[-1][1] == y and runs[-1][3] == y1 and runs[-1][2] == x:
            runs[-1][2] = x1
        else:
            runs.append([x, y, x1, y1])
    rects: list[list[int]] = []
    open_at: dict[tuple[int, int, int], list[int]] = {}  # (x0, x1, bottom) -> the rectangle ending there
    for x, y, x1, y1 in runs:
        above = open_at.pop((x, x1, y), None)
        if above is not None:
            above[3] = y1
        else:
            above = [x, y, x1, y1]
            rects.append(above)
        open_at[(x, x1, y1)] = above
    return "".join(f"M{x},{y}H{x1}V{y1}H{x}z" for x, y, x1, y1 in rects)


def _address(name: str, street: str, postcode: str, city: str, country: str = "CH") -> dict:
    road, number = split_street(street)
    return {"name": name[:70], "street": road[:70], "house_num": number[:16], "pcode": postcode, "city": city[:35],
            "country": country}


def payment_part_svg(creditor: dict, iban: str, amount: Decimal, reference: str, message: str,
                     debtor: dict | None) -> str:
    """The SVG (without XML declaration) of the receipt and payment part, 210 × 105 mm, German labels."""
    from qrbill import QRBill

    bill = QRBill(account=iban, creditor=_address(**creditor), amount=f"{amount:.2f}", currency="CHF",
                  reference_number=reference, additional_information=message[:140], language="de",
                  debtor=_address(**debtor) if debtor else None, top_line=True)
    out = io.StringIO()
    bill.as_svg(out)
    svg = out.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = _MODULES.sub(lambda m: f'd="{merge_modules(m.group(1))}"', svg, count=1)
    return svg.replace(f'font-family="{QRBill.font_family}"', f'font-family="{FONT}"')
