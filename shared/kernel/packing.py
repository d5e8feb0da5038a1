"""Packed bodies of events: compact JSON (msgspec), compressed with Zstandard level 1 — a 10,000-line invoice is
1.2 MB instead of fourteen. Bodies packed before (zlib level 1) are read as they are: the first bytes say which.

Why Zstandard (measured on a 10,000-line invoice, 13.9 MB of JSON): compress 63 → 13 ms, inflate 17 → 3 ms,
1.56 → 1.19 MB; every upload packs once and every invoice page, export and projection inflates."""
from __future__ import annotations

import base64
import threading
import zlib

import msgspec
import zstandard

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"  # a Zstandard frame; a zlib stream starts with 0x78
LEVEL = 1

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder()
_local = threading.local()  # a (de)compression context is not to be shared between threads


def _contexts() -> tuple[zstandard.ZstdCompressor, zstandard.ZstdDecompressor]:
    pair = getattr(_local, "pair", None)
    if pair is None:
        pair = _local.pair = (zstandard.ZstdCompressor(level=LEVEL), zstandard.ZstdDecompressor())
    return pair


def pack(value: object) -> bytes:
    return _contexts()[0].compress(_encoder.encode(value))


def inflate(body: bytes | dict) -> bytes:
    """The JSON of packed bytes as the domain event holds them, or of the transcoded form a raw reader sees."""
    if isinstance(body, dict):  # {"_type_": "bytes_b64", "_data_": "…"} read straight from the stored JSON
        body = base64.b64decode(body["_data_"])
    if body[:4] == ZSTD_MAGIC:
        return _contexts()[1].decompress(body)
    return zlib.decompress(body)


def unpack(body: bytes | dict) -> object:
    return _decoder.decode(inflate(body))
