"""Packed bodies of events: compact JSON (msgspec), zlib level 1 — a 10,000-line invoice is half a megabyte
instead of fourteen, and encodes ten times faster."""
from __future__ import annotations

import base64
import zlib

import msgspec

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder()


def pack(value: object) -> bytes:
    return zlib.compress(_encoder.encode(value), 1)


def inflate(body: bytes | dict) -> bytes:
    """The JSON of packed bytes as the domain event holds them, or of the transcoded form a raw reader sees."""
    if isinstance(body, dict):  # {"_type_": "bytes_b64", "_data_": "…"} read straight from the stored JSON
        body = base64.b64decode(body["_data_"])
    return zlib.decompress(body)


def unpack(body: bytes | dict) -> object:
    return _decoder.decode(inflate(body))
