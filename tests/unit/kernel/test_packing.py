"""Packed bodies: Zstandard from now on, zlib bodies of older stores still read, a damaged body refused."""
from __future__ import annotations

import base64
import threading
import zlib

import msgspec
import pytest
import zstandard

from shared.kernel.packing import ZSTD_MAGIC, inflate, pack, unpack

VALUE = {"lines": [{"row": i, "allowed": "1736.00", "note": "Ä" * (i % 7)} for i in range(500)]}


def test_a_body_is_packed_with_zstandard_and_read_back():
    body = pack(VALUE)
    assert body.startswith(ZSTD_MAGIC)
    assert unpack(body) == VALUE
    assert len(body) < len(msgspec.json.encode(VALUE)) / 5


def test_a_body_packed_with_zlib_before_still_reads():
    old = zlib.compress(msgspec.json.encode(VALUE), 1)
    assert unpack(old) == VALUE


def test_the_transcoded_form_a_raw_reader_sees():
    for body in (pack(VALUE), zlib.compress(msgspec.json.encode(VALUE), 1)):
        assert unpack({"_type_": "bytes_b64", "_data_": base64.b64encode(body).decode()}) == VALUE


def test_a_damaged_body_is_refused_not_misread():
    with pytest.raises(zstandard.ZstdError):
        inflate(pack(VALUE)[:-20])
    with pytest.raises(zlib.error):
        inflate(b"\x78\x01garbage")


def test_threads_pack_at_once_without_mixing_their_bodies():
    results: dict[int, object] = {}

    def work(n: int) -> None:
        value = {"n": n, "lines": VALUE["lines"][: 50 + n]}
        for _ in range(20):
            assert unpack(pack(value)) == value
        results[n] = True

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8
