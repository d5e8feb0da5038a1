"""Structured payment references of a participant's QR-bill (Swiss Payment Standards): a QR reference (QRR,
27 digits, recursive modulo 10) with a QR-IBAN, a creditor reference (SCOR, ISO 11649 «RF…») with an IBAN.

The reference is derived from what the bill is made of (invoice, version, document number, month), so the same
bill always carries the same reference and the provider can match a payment to its bill."""
from __future__ import annotations

import hashlib

_MOD10 = (0, 9, 4, 6, 8, 2, 7, 1, 3, 5)


def reference_digits(invoice_id: str, version: int, number: int, period: str) -> str:
    """21 digits: the month (YYYYMM), 11 digits of the invoice and version, the document number (4 digits)."""
    digest = int(hashlib.sha256(f"{invoice_id}:{version}".encode()).hexdigest(), 16) % 10**11
    return f"{period.replace('-', '')[:6]}{digest:011d}{number % 10**4:04d}"


def qr_reference(digits: str) -> str:
    """The 27-digit QR reference: the digits padded to 26 and the recursive modulo-10 check digit."""
    body = digits.zfill(26)
    carry = 0
    for d in body:
        carry = _MOD10[(carry + int(d)) % 10]
    return body + str((10 - carry) % 10)


def creditor_reference(digits: str) -> str:
    """The ISO 11649 creditor reference RFnn + the digits (at most 21)."""
    numeric = int(digits + "271500")  # "RF00" as digits (R=27, F=15) behind the reference
    return f"RF{98 - numeric % 97:02d}{digits}"


def payment_reference(iban_is_qr: bool, digits: str) -> str:
    return qr_reference(digits) if iban_is_qr else creditor_reference(digits)
