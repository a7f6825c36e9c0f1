"""[MS-OVBA] 2.4.1 compression: our codec, the spec's own algorithm and olevba's decoder."""

from __future__ import annotations

import os
import random
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import decompress_stream

from salesplan_xl.addin.ovba_compression import (
    CHUNK_SIZE,
    compress,
    decompress,
    has_raw_chunk,
    pack_copy_token,
    unpack_copy_token,
)


def spec_compress(data: bytes) -> bytes:
    """[MS-OVBA] 2.4.1.3.6-2.4.1.3.10 transcribed literally, quadratic scan and all.

    An independent, slow second implementation: the fast codec must give the
    very same bytes.
    """
    out = bytearray([0x01])
    chunk_start = 0
    while chunk_start < len(data):
        end = min(chunk_start + 4096, len(data))
        header_at = len(out)
        out += b"\x00\x00"
        compressed_end = header_at + 4098
        current = chunk_start
        while current < end and len(out) < compressed_end:
            flag_at = len(out)
            out.append(0)
            flags = 0
            for index in range(8):
                if not (current < end and len(out) < compressed_end):
                    continue
                best_length, best_candidate = 0, 0
                candidate = current - 1
                while candidate >= chunk_start:
                    c, d, length = candidate, current, 0
                    while d < end and data[d] == data[c]:
                        length, c, d = length + 1, c + 1, d + 1
                    if length > best_length:
                        best_length, best_candidate = length, candidate
                    candidate -= 1
                if best_length >= 3:
                    difference = current - chunk_start
                    bit_count = 4
                    while (1 << bit_count) < difference:
                        bit_count += 1
                    length = min(best_length, (0xFFFF >> bit_count) + 3)
                    offset = current - best_candidate
                    if len(out) + 1 < compressed_end:
                        token = ((offset - 1) << (16 - bit_count)) | (length - 3)
                        out += struct.pack("<H", token)
                        flags |= 1 << index
                        current += length
                    else:
                        compressed_end = len(out)
                else:
                    out.append(data[current])
                    current += 1
            out[flag_at] = flags
        if current < end:
            del out[header_at:]
            out += struct.pack("<H", 0x3000 | 4095)
            out += data[chunk_start:end].ljust(4096, b"\x00")
        else:
            size = len(out) - header_at
            out[header_at : header_at + 2] = struct.pack("<H", 0xB000 | (size - 3))
        chunk_start = end
    return bytes(out)


def expected_decompressed(data: bytes, container: bytes) -> bytes:
    """What any spec reader must return: ``data``, plus zero padding if the last chunk is raw."""
    pos, last_header = 1, 0x8000
    while pos < len(container):
        (last_header,) = struct.unpack_from("<H", container, pos)
        pos += (last_header & 0x0FFF) + 3
    if not last_header & 0x8000 and len(data) % CHUNK_SIZE:
        return data + bytes(CHUNK_SIZE - len(data) % CHUNK_SIZE)
    return data


def check_round_trip(data: bytes) -> bytes:
    container = compress(data)
    want = expected_decompressed(data, container)
    assert decompress(container) == want
    assert bytes(decompress_stream(container)) == want
    return container


def test_spec_example_uncompressible_text() -> None:
    # [MS-OVBA] 3.2.1: no copy tokens possible.
    data = b"abcdefghijklmnopqrstuv."
    expected = bytes.fromhex("0119B000") + b"abcdefgh\x00ijklmnop\x00qrstuv."
    assert compress(data) == expected
    assert decompress(expected) == data


def test_spec_example_normal_compression_decodes() -> None:
    # [MS-OVBA] 3.2.2: the spec's compressed bytes decode to its input.
    data = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
    container = bytes.fromhex(
        "012FB00023616161626364658266007061676869 6A01380861 6B6C00306D6E6F70"
        "06710270041072737475761077 78797A003C".replace(" ", "")
    )
    assert decompress(container) == data
    assert bytes(decompress_stream(container)) == data
    assert decompress(compress(data)) == data


@pytest.mark.parametrize("size", [0, 1, 2, 3, 4095, 4096, 4097, 8192, 8193, 3 * 4096 + 17])
@pytest.mark.parametrize("kind", ["random", "repetitive", "zeros", "text"])
def test_edge_sizes_round_trip(size: int, kind: str) -> None:
    rng = random.Random(size)
    if kind == "random":
        data = rng.randbytes(size)
    elif kind == "repetitive":
        data = (b"Dim x As Long\r\n" * (size // 15 + 1))[:size]
    elif kind == "zeros":
        data = bytes(size)
    else:
        words = [b"Sub", b"End", b"If", b"Then", b"x", b"=", b"1", b"\r\n", b"Range", b"("]
        data = b" ".join(rng.choice(words) for _ in range(size))[:size]
    container = check_round_trip(data)
    if size == 0:
        assert container == b"\x01"
    if kind == "random" and size >= CHUNK_SIZE:
        assert has_raw_chunk(container)
    if kind in ("repetitive", "zeros"):
        assert not has_raw_chunk(container)
        assert len(container) < max(size // 4, 16)


def test_incompressible_final_chunk_is_padded_as_the_spec_says() -> None:
    data = random.Random(7).randbytes(4095)
    container = compress(data)
    assert container[1:3] == b"\xff\x3f"  # raw chunk header: size 4098, flag 0
    assert len(container) == 1 + 2 + 4096
    assert decompress(container) == data + b"\x00"


@pytest.mark.parametrize("run", [3, 18, 19, 4096, 4097, 10_000, 100_000])
def test_long_runs(run: int) -> None:
    data = b"ab" + b"z" * run + b"ab"
    container = check_round_trip(data)
    assert run > 4096 or container == spec_compress(data)


@settings(max_examples=120, deadline=None)
@given(st.binary(max_size=700))
def test_same_bytes_as_the_spec_algorithm_binary(data: bytes) -> None:
    assert compress(data) == spec_compress(data)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([b"a", b"b", b"ab", b"abc", b"\r\n", b"End Sub"]), max_size=500))
def test_same_bytes_as_the_spec_algorithm_repetitive(parts: list[bytes]) -> None:
    data = b"".join(parts)
    assert compress(data) == spec_compress(data)


def test_same_bytes_as_the_spec_algorithm_across_chunks() -> None:
    rng = random.Random(3)
    data = bytes(rng.choice(b"abcd") for _ in range(4096 + 900))
    assert compress(data) == spec_compress(data)


@settings(max_examples=40, deadline=None)
@given(
    st.one_of(
        st.binary(min_size=0, max_size=20_000),
        st.builds(
            lambda unit, count: unit * count,
            st.binary(min_size=1, max_size=40),
            st.integers(0, 2_000),
        ),
        st.builds(lambda n: os.urandom(n), st.integers(0, 3 * CHUNK_SIZE)),
    )
)
def test_round_trip_property(data: bytes) -> None:
    check_round_trip(data)


def test_one_megabyte_round_trip() -> None:
    rng = random.Random(11)
    words = "Dim As Long String If Then Else End Sub Function Range Cells Value".split()
    lines = []
    while sum(map(len, lines)) < 1 << 20:
        lines.append(" ".join(rng.choice(words) for _ in range(8)) + f" ' {rng.random()}\r\n")
    data = "".join(lines).encode("ascii")[: 1 << 20]
    container = check_round_trip(data)
    assert not has_raw_chunk(container)


@pytest.mark.parametrize("position", [1, 16, 17, 100, 2048, 2049, 4095])
def test_copy_token_packing(position: int) -> None:
    bit_count = max((position - 1).bit_length(), 4)
    max_offset = min(position, 1 << bit_count)
    max_length = (0xFFFF >> bit_count) + 3
    for offset, length in [(1, 3), (max_offset, max_length), (max_offset, 3)]:
        token = pack_copy_token(offset, length, position)
        assert 0 <= token <= 0xFFFF
        assert unpack_copy_token(token, position) == (offset, length)


@pytest.mark.parametrize(
    "container, message",
    [
        (b"", "signature"),
        (b"\x02", "signature"),
        (b"\x01\x00", "truncated"),
        (b"\x01\x00\x00\x00", "CompressedChunkSignature"),
        (b"\x01\x03\xb0\x02a\x00\x10", "before the chunk start"),
        (b"\x01\xff\x3fabc", "raw chunk"),
    ],
)
def test_decompress_rejects_malformed_input(container: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        decompress(container)
