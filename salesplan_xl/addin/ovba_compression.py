"""The VBA compression format of [MS-OVBA] 2.4.1 (an LZ77 variant).

Every module stream and the ``dir`` stream of a VBA project are stored as a
*CompressedContainer* ([MS-OVBA] 2.4.1.1.1): one signature byte ``0x01``
followed by *CompressedChunks* ([MS-OVBA] 2.4.1.1.4), each encoding up to 4096
bytes of the decompressed buffer.

A chunk starts with a 16-bit little-endian header ([MS-OVBA] 2.4.1.1.5):
bits 0-11 hold the chunk size minus 3, bits 12-14 the signature ``0b011`` and
bit 15 the flag (1 = token sequences follow, 0 = 4096 raw bytes follow).
A *TokenSequence* ([MS-OVBA] 2.4.1.1.7) is one flag byte and up to eight
tokens: a clear bit means a one-byte *LiteralToken*, a set bit a two-byte
*CopyToken* ([MS-OVBA] 2.4.1.1.8) whose split between offset bits and length
bits depends on how far into the chunk the token is ([MS-OVBA] 2.4.1.3.19.1).

:func:`compress` produces exactly the bytes of the spec's compression
algorithm ([MS-OVBA] 2.4.1.3.6-2.4.1.3.10, with the exhaustive "Matching"
search of 2.4.1.3.19.4), found in linear-ish time with ``bytes.rfind``
instead of the spec's quadratic candidate scan. That includes the spec's
raw chunks: a chunk whose token encoding would not fit in 4098 bytes is stored
raw, padded with zero bytes to 4096 ([MS-OVBA] 2.4.1.3.10), so decompressing
an incompressible *final* chunk yields trailing zero bytes. VBA source text
always compresses well enough never to need a raw chunk; see
:func:`has_raw_chunk`.
"""

from __future__ import annotations

import struct

__all__ = ["compress", "decompress", "has_raw_chunk", "CHUNK_SIZE"]

#: Bytes of decompressed data per chunk ([MS-OVBA] 2.4.1.1.3).
CHUNK_SIZE = 4096
#: Largest chunk, header included ([MS-OVBA] 2.4.1.1.4).
MAX_CHUNK_BYTES = CHUNK_SIZE + 2
#: CompressedContainer signature byte ([MS-OVBA] 2.4.1.1.1).
SIGNATURE_BYTE = 0x01
#: CompressedChunkSignature, bits 12-14 of the chunk header ([MS-OVBA] 2.4.1.1.5).
CHUNK_SIGNATURE = 0b011
MIN_MATCH = 3


def copy_token_bit_count(position_in_chunk: int) -> int:
    """Offset bits of a CopyToken at ``position_in_chunk`` ([MS-OVBA] 2.4.1.3.19.1).

    ``BitCount`` is the smallest ``n`` with ``2**n >= difference``, at least 4,
    where ``difference`` is the distance from the start of the decompressed chunk.
    """
    return max((position_in_chunk - 1).bit_length(), 4)


def max_copy_length(position_in_chunk: int) -> int:
    """``MaximumLength`` of a CopyToken at ``position_in_chunk`` ([MS-OVBA] 2.4.1.3.19.1)."""
    return (0xFFFF >> copy_token_bit_count(position_in_chunk)) + MIN_MATCH


def pack_copy_token(offset: int, length: int, position_in_chunk: int) -> int:
    """Pack a CopyToken ([MS-OVBA] 2.4.1.3.19.3)."""
    bit_count = copy_token_bit_count(position_in_chunk)
    return ((offset - 1) << (16 - bit_count)) | (length - MIN_MATCH)


def unpack_copy_token(token: int, position_in_chunk: int) -> tuple[int, int]:
    """Unpack a CopyToken into ``(offset, length)`` ([MS-OVBA] 2.4.1.3.19.2)."""
    bit_count = copy_token_bit_count(position_in_chunk)
    length_mask = 0xFFFF >> bit_count
    return (token >> (16 - bit_count)) + 1, (token & length_mask) + MIN_MATCH


def chunk_header(size: int, compressed: bool) -> bytes:
    """Pack a CompressedChunkHeader for a chunk of ``size`` bytes ([MS-OVBA] 2.4.1.3.13-16)."""
    flag = 0x8000 if compressed else 0
    return struct.pack("<H", flag | (CHUNK_SIGNATURE << 12) | (size - 3))


def longest_match(data: bytes, chunk_start: int, current: int, end: int) -> tuple[int, int]:
    """The spec's "Matching" result at ``current`` ([MS-OVBA] 2.4.1.3.19.4).

    Returns ``(length, candidate)`` of the longest earlier occurrence (inside the
    chunk, overlapping allowed) of the bytes at ``current``, bounded by ``end``,
    nearest candidate first among equals - the same choice as the spec's backward
    scan with its strict ``>`` test. Length is not yet clamped to
    ``MaximumLength``. Returns ``(0, 0)`` when no 3-byte match exists.
    """
    if current == chunk_start or end - current < MIN_MATCH:
        return 0, 0
    best = MIN_MATCH - 1
    candidate = -1
    while best < end - current:
        want = best + 1
        # An occurrence starting before `current`: it ends before current + want - 1.
        found = data.rfind(data[current : current + want], chunk_start, current + want - 1)
        if found < 0:
            break
        candidate = found
        best = want + common_prefix(data, found + want, current + want, end)
    if candidate < 0:
        return 0, 0
    return best, candidate


def common_prefix(data: bytes, a: int, b: int, end: int) -> int:
    """Length of the common run of ``data[a:]`` and ``data[b:]``, with ``b + length <= end``.

    A short byte loop covers the usual few-byte extensions; galloping slice
    comparisons keep long runs cheap in Python.
    """
    limit = end - b
    length = 0
    short = min(limit, 16)
    while length < short and data[a + length] == data[b + length]:
        length += 1
    if length < short or length == limit:
        return length
    step = 16
    while length < limit:
        step = min(step, limit - length)
        if data[a + length : a + length + step] == data[b + length : b + length + step]:
            length += step
            step *= 2
        elif step == 1:
            break
        else:
            step //= 2
    return length


def compress_chunk(data: bytes, chunk_start: int) -> bytes:
    """Compress one DecompressedChunk ([MS-OVBA] 2.4.1.3.7), header included.

    Token sequences are written while the output stays within 4098 bytes
    ([MS-OVBA] 2.4.1.3.8 Compressing a TokenSequence, 2.4.1.3.9 Compressing a
    Token); if the chunk's bytes do not all fit, the chunk is stored raw.
    """
    end = min(chunk_start + CHUNK_SIZE, len(data))
    out = bytearray(2)
    out_end = MAX_CHUNK_BYTES
    current = chunk_start
    while current < end and len(out) < out_end:
        flag_index = len(out)
        out.append(0)
        flags = 0
        for index in range(8):
            if current >= end or len(out) >= out_end:
                break
            length, candidate = longest_match(data, chunk_start, current, end)
            if length:
                if len(out) + 1 >= out_end:
                    out_end = len(out)  # CompressedCurrent := CompressedEnd
                    break
                position = current - chunk_start
                length = min(length, max_copy_length(position))
                token = pack_copy_token(current - candidate, length, position)
                out += struct.pack("<H", token)
                flags |= 1 << index
                current += length
            else:
                out.append(data[current])
                current += 1
        out[flag_index] = flags
    if current < end:
        return raw_chunk(data, chunk_start, end)
    out[0:2] = chunk_header(len(out), compressed=True)
    return bytes(out)


def raw_chunk(data: bytes, chunk_start: int, end: int) -> bytes:
    """A raw chunk: header and 4096 bytes, zero-padded ([MS-OVBA] 2.4.1.3.10)."""
    body = data[chunk_start:end].ljust(CHUNK_SIZE, b"\x00")
    return chunk_header(MAX_CHUNK_BYTES, compressed=False) + body


def compress(data: bytes) -> bytes:
    """Compress ``data`` into a CompressedContainer ([MS-OVBA] 2.4.1.3.6)."""
    data = bytes(data)
    parts = [bytes([SIGNATURE_BYTE])]
    for chunk_start in range(0, len(data), CHUNK_SIZE):
        parts.append(compress_chunk(data, chunk_start))
    return b"".join(parts)


def decompress(data: bytes) -> bytes:
    """Decompress a CompressedContainer ([MS-OVBA] 2.4.1.3.1).

    Raises ``ValueError`` on a bad signature byte, a bad chunk signature, a
    truncated chunk or a copy token that points before the chunk start.
    """
    if not data or data[0] != SIGNATURE_BYTE:
        raise ValueError("not a CompressedContainer: signature byte must be 0x01")
    out = bytearray()
    pos = 1
    while pos < len(data):
        if pos + 2 > len(data):
            raise ValueError(f"truncated chunk header at byte {pos}")
        (header,) = struct.unpack_from("<H", data, pos)
        if (header >> 12) & 0b111 != CHUNK_SIGNATURE:
            raise ValueError(f"bad CompressedChunkSignature at byte {pos}")
        size = (header & 0x0FFF) + 3
        if not header & 0x8000:
            out += decompress_raw_chunk(data, pos, size)
        else:
            out += decompress_chunk(data[pos + 2 : pos + size], pos)
        pos += size
    return bytes(out)


def decompress_raw_chunk(data: bytes, pos: int, size: int) -> bytes:
    """Decompress a raw chunk: the next 4096 bytes ([MS-OVBA] 2.4.1.3.3)."""
    if size != MAX_CHUNK_BYTES or pos + size > len(data):
        raise ValueError(f"raw chunk at byte {pos} is not 4096 bytes of data")
    return data[pos + 2 : pos + size]


def decompress_chunk(body: bytes, pos: int) -> bytes:
    """Decode the TokenSequences of one compressed chunk ([MS-OVBA] 2.4.1.3.2, 2.4.1.3.4-5)."""
    out = bytearray()
    i = 0
    while i < len(body):
        flags = body[i]
        i += 1
        for bit in range(8):
            if i >= len(body):
                break
            if not flags >> bit & 1:
                out.append(body[i])
                i += 1
                continue
            if i + 2 > len(body):
                raise ValueError(f"truncated copy token in chunk at byte {pos}")
            (token,) = struct.unpack_from("<H", body, i)
            i += 2
            offset, length = unpack_copy_token(token, len(out))
            if offset > len(out):
                raise ValueError(f"copy token points before the chunk start at byte {pos}")
            source = len(out) - offset
            for k in range(length):  # byte by byte: the copy may overlap its own output
                out.append(out[source + k])
    return bytes(out)


def has_raw_chunk(container: bytes) -> bool:
    """True if a CompressedContainer holds any raw (uncompressed) chunk."""
    pos = 1
    while pos + 2 <= len(container):
        (header,) = struct.unpack_from("<H", container, pos)
        if not header & 0x8000:
            return True
        pos += (header & 0x0FFF) + 3
    return False
