"""A minimal writer of Compound File Binary files ([MS-CFB]), version 3.

Enough of [MS-CFB] to hold a VBA project: 512-byte sectors, the FAT (with
DIFAT sectors beyond the 109 FAT sectors the header can list), the MiniFAT and
mini stream for streams under 4096 bytes, and a directory whose sibling trees
are valid red-black trees. CLSIDs, state bits and timestamps are zero, so the
same tree always gives the same bytes.

File layout written here, in sector order::

    header (512 bytes, not a sector)
    FAT sectors | DIFAT sectors | directory | MiniFAT | mini stream | streams >= 4096

``write_compound_file({"PROJECT": b"...", "VBA": {"dir": b"..."}})`` - a ``dict``
value is a storage, a ``bytes`` value a stream.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["write_compound_file", "cfb_name_key", "CfbError"]

SECTOR_SIZE = 512  # version 3: SectorShift 9 ([MS-CFB] 2.2)
MINI_SECTOR_SIZE = 64  # MiniSectorShift 6 ([MS-CFB] 2.2)
MINI_STREAM_CUTOFF = 4096  # ([MS-CFB] 2.2)
IDS_PER_SECTOR = SECTOR_SIZE // 4
DIR_ENTRY_SIZE = 128
HEADER_DIFAT_SLOTS = 109
# Special sector numbers ([MS-CFB] 2.1).
DIFSECT = 0xFFFFFFFC
FATSECT = 0xFFFFFFFD
ENDOFCHAIN = 0xFFFFFFFE
FREESECT = 0xFFFFFFFF
NOSTREAM = 0xFFFFFFFF
# Object types and colours ([MS-CFB] 2.6.1).
TYPE_STORAGE = 0x01
TYPE_STREAM = 0x02
TYPE_ROOT = 0x05
RED = 0x00
BLACK = 0x01
SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
#: Version 3 files are limited to 2**31 - 1 bytes per stream; DIFAT chains are
#: supported, this cap keeps stream sizes within the 32-bit size field.
MAX_STREAM_SIZE = 0x7FFFFFFF
MAX_NAME_CHARS = 31
FORBIDDEN_NAME_CHARS = set("/\\:!")


class CfbError(ValueError):
    """The tree cannot be written as a compound file."""


@dataclass
class Entry:
    """One directory entry ([MS-CFB] 2.6.1) before serialisation."""

    name: str
    kind: int
    data: bytes = b""
    children: list[Entry] = field(default_factory=list)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = BLACK
    start: int = ENDOFCHAIN
    size: int = 0


def cfb_name_key(name: str) -> tuple[int, str]:
    """Sort key of sibling names: length first, then uppercase ([MS-CFB] 2.6.4).

    The spec compares UTF-16 lengths, then the names code point by code point
    after simple uppercasing; names here are checked to lie in the BMP, so the
    code point order equals the UTF-16 code unit order.
    """
    return len(name), name.upper()


def check_name(name: str) -> None:
    """Reject names [MS-CFB] 2.6.1 does not allow."""
    if not name or len(name) > MAX_NAME_CHARS:
        raise CfbError(f"entry name {name!r} must have 1 to {MAX_NAME_CHARS} characters")
    if FORBIDDEN_NAME_CHARS & set(name) or any(ord(c) > 0xFFFF for c in name):
        raise CfbError(f"entry name {name!r} contains a character CFB names cannot hold")


def build_entries(tree: Mapping[str, object], name: str = "Root Entry", root: bool = True) -> Entry:
    """Turn the nested ``dict`` into :class:`Entry` objects, checking names and sizes.

    Storages get starting sector 0 and size 0 ([MS-CFB] 2.6.3); the root entry's
    are set later to the mini stream's.
    """
    node = Entry(name, TYPE_ROOT if root else TYPE_STORAGE, start=0)
    seen: set[str] = set()
    for child_name, value in tree.items():
        check_name(child_name)
        if child_name.upper() in seen:
            raise CfbError(f"duplicate entry name {child_name!r} (names are case-insensitive)")
        seen.add(child_name.upper())
        if isinstance(value, Mapping):
            node.children.append(build_entries(value, child_name, root=False))
        elif isinstance(value, bytes | bytearray | memoryview):
            if len(value) > MAX_STREAM_SIZE:
                raise CfbError(f"stream {child_name!r} is larger than {MAX_STREAM_SIZE} bytes")
            node.children.append(Entry(child_name, TYPE_STREAM, bytes(value)))
        else:
            raise CfbError(f"{child_name!r}: expected bytes (stream) or dict (storage)")
    return node


def flatten(root: Entry) -> list[Entry]:
    """Directory order: pre-order walk, root first; assigns each entry its stream ID."""
    order: list[Entry] = []
    pending = [root]
    while pending:
        entry = pending.pop(0)
        entry.sid = len(order)
        order.append(entry)
        pending.extend(sorted(entry.children, key=lambda e: cfb_name_key(e.name)))
    return order


def link_siblings(entry: Entry) -> None:
    """Link a storage's children as a balanced red-black tree ([MS-CFB] 2.6.4).

    The sorted children are split at the middle recursively, so all empty
    subtrees lie on two adjacent levels. Nodes on the deepest level of a tree
    that is not perfect are red, all others black: every path from the root to
    a leaf then passes the same number of black nodes, no red node has a red
    child, and the root is black.
    """
    ordered = sorted(entry.children, key=lambda e: cfb_name_key(e.name))
    depth = max_depth(len(ordered))
    perfect = len(ordered) == 2 ** (depth + 1) - 1
    entry.child = place(ordered, 0, len(ordered), 0, depth, perfect)
    for child in ordered:
        link_siblings(child)


def max_depth(count: int) -> int:
    """Depth of the deepest node of the midpoint-split tree of ``count`` nodes."""
    return max(count.bit_length() - 1, 0)


def place(nodes: list[Entry], lo: int, hi: int, depth: int, deepest: int, perfect: bool) -> int:
    """Make ``nodes[lo:hi]`` a subtree; return its root's stream ID (or NOSTREAM)."""
    if lo >= hi:
        return NOSTREAM
    mid = (lo + hi) // 2
    node = nodes[mid]
    node.color = RED if depth == deepest and not perfect and depth > 0 else BLACK
    node.left = place(nodes, lo, mid, depth + 1, deepest, perfect)
    node.right = place(nodes, mid + 1, hi, depth + 1, deepest, perfect)
    return node.sid


def sectors_for(size: int, sector: int = SECTOR_SIZE) -> int:
    """Number of sectors of ``sector`` bytes that hold ``size`` bytes."""
    return -(-size // sector)


def chain(first: int, count: int) -> list[tuple[int, int]]:
    """FAT/MiniFAT entries ``(index, next)`` of a contiguous chain ([MS-CFB] 2.3)."""
    return [(first + i, first + i + 1 if i + 1 < count else ENDOFCHAIN) for i in range(count)]


def fat_and_difat_counts(other_sectors: int) -> tuple[int, int]:
    """Smallest (FAT sectors, DIFAT sectors) that describe themselves and ``other_sectors``."""
    fat = 1
    while True:
        difat = sectors_for(max(fat - HEADER_DIFAT_SLOTS, 0) * 4, SECTOR_SIZE - 4)
        if fat * IDS_PER_SECTOR >= fat + difat + other_sectors:
            return fat, difat
        fat += 1


def pack_entry(entry: Entry | None) -> bytes:
    """Serialise one 128-byte directory entry ([MS-CFB] 2.6.1); None is a free entry."""
    if entry is None:
        return (
            b"\x00" * 66
            + b"\x00\x00"
            + struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM)
            + (b"\x00" * 48)
        )
    name = entry.name.encode("utf-16-le") + b"\x00\x00"
    return (
        name.ljust(64, b"\x00")
        + struct.pack("<HBB", len(name), entry.kind, entry.color)
        + struct.pack("<III", entry.left, entry.right, entry.child)
        + b"\x00" * 16  # CLSID
        + b"\x00" * 4  # state bits
        + b"\x00" * 16  # creation and modified time
        + struct.pack("<IQ", entry.start, entry.size)
    )


def pad(data: bytes, unit: int) -> bytes:
    """``data`` zero-padded to a multiple of ``unit`` bytes."""
    return data + b"\x00" * (-len(data) % unit)


def pack_ids(ids: list[int], count: int) -> bytes:
    """``count`` sectors of 32-bit sector numbers, the tail filled with FREESECT."""
    ids = ids + [FREESECT] * (count * IDS_PER_SECTOR - len(ids))
    return struct.pack(f"<{len(ids)}I", *ids)


def write_compound_file(tree: Mapping[str, object]) -> bytes:
    """Serialise ``tree`` as a version 3 compound file ([MS-CFB] 2).

    ``tree`` maps names to ``bytes`` (a stream) or to another mapping (a
    storage). Raises :class:`CfbError` for names CFB cannot hold, duplicate
    names (CFB compares names case-insensitively) or oversized streams.
    """
    root = build_entries(tree)
    entries = flatten(root)
    link_siblings(root)
    streams = [e for e in entries if e.kind == TYPE_STREAM]
    small = [e for e in streams if len(e.data) < MINI_STREAM_CUTOFF]
    large = [e for e in streams if len(e.data) >= MINI_STREAM_CUTOFF]

    mini_stream, minifat = layout_mini_stream(small)
    dir_sectors = sectors_for(len(entries) * DIR_ENTRY_SIZE)
    minifat_sectors = sectors_for(len(minifat) * 4)
    mini_stream_sectors = sectors_for(len(mini_stream))
    large_sectors = sum(sectors_for(len(e.data)) for e in large)
    other = dir_sectors + minifat_sectors + mini_stream_sectors + large_sectors
    fat_count, difat_count = fat_and_difat_counts(other)

    fat: dict[int, int] = {}
    next_free = 0
    fat_ids = list(range(next_free, next_free + fat_count))
    fat.update((i, FATSECT) for i in fat_ids)
    next_free += fat_count
    difat_ids = list(range(next_free, next_free + difat_count))
    fat.update((i, DIFSECT) for i in difat_ids)
    next_free += difat_count
    dir_start, next_free = allocate(fat, next_free, dir_sectors)
    minifat_start, next_free = allocate(fat, next_free, minifat_sectors)
    root.start, next_free = allocate(fat, next_free, mini_stream_sectors)
    root.size = len(mini_stream)
    body = []
    for entry in large:
        entry.start, next_free = allocate(fat, next_free, sectors_for(len(entry.data)))
        entry.size = len(entry.data)
        body.append(pad(entry.data, SECTOR_SIZE))

    fat_list = [fat[i] for i in range(next_free)]
    directory = b"".join(pack_entry(e) for e in entries)
    directory += pack_entry(None) * (dir_sectors * 4 - len(entries))
    parts = [
        pack_header(fat_ids, difat_ids, dir_start, minifat_start, minifat_sectors),
        pack_ids(fat_list, fat_count),
        pack_difat(fat_ids, difat_ids),
        directory,
        pack_ids(minifat, minifat_sectors),
        pad(mini_stream, SECTOR_SIZE),
        *body,
    ]
    return b"".join(parts)


def allocate(fat: dict[int, int], first: int, count: int) -> tuple[int, int]:
    """Chain ``count`` sectors from ``first`` in ``fat``; return (start, next free sector)."""
    if count == 0:
        return ENDOFCHAIN, first
    fat.update(chain(first, count))
    return first, first + count


def layout_mini_stream(small: list[Entry]) -> tuple[bytes, list[int]]:
    """Place small streams in the mini stream; return it and the MiniFAT ([MS-CFB] 2.4)."""
    parts: list[bytes] = []
    minifat: list[int] = []
    for entry in small:
        entry.size = len(entry.data)
        count = sectors_for(len(entry.data), MINI_SECTOR_SIZE)
        entry.start = len(minifat) if count else ENDOFCHAIN
        minifat.extend(nxt for _, nxt in chain(len(minifat), count))
        parts.append(pad(entry.data, MINI_SECTOR_SIZE))
    return b"".join(parts), minifat


def pack_header(
    fat_ids: list[int],
    difat_ids: list[int],
    dir_start: int,
    minifat_start: int,
    minifat_sectors: int,
) -> bytes:
    """The 512-byte header ([MS-CFB] 2.2) with the first 109 DIFAT entries."""
    head = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        SIGNATURE,
        b"\x00" * 16,  # header CLSID
        0x003E,  # minor version
        0x0003,  # major version 3
        0xFFFE,  # byte order mark: little-endian
        9,  # sector shift: 512-byte sectors
        6,  # mini sector shift: 64-byte mini sectors
        b"\x00" * 6,
        0,  # number of directory sectors: MUST be 0 for version 3
        len(fat_ids),
        dir_start,
        0,  # transaction signature
        MINI_STREAM_CUTOFF,
        minifat_start,
        minifat_sectors,
        difat_ids[0] if difat_ids else ENDOFCHAIN,
        len(difat_ids),
    )
    slots = fat_ids[:HEADER_DIFAT_SLOTS]
    slots += [FREESECT] * (HEADER_DIFAT_SLOTS - len(slots))
    return head + struct.pack(f"<{HEADER_DIFAT_SLOTS}I", *slots)


def pack_difat(fat_ids: list[int], difat_ids: list[int]) -> bytes:
    """DIFAT sectors ([MS-CFB] 2.5): 127 FAT sector numbers, then the next DIFAT sector."""
    rest = fat_ids[HEADER_DIFAT_SLOTS:]
    out = []
    per_sector = IDS_PER_SECTOR - 1
    for n in range(len(difat_ids)):
        ids = rest[n * per_sector : (n + 1) * per_sector]
        ids += [FREESECT] * (per_sector - len(ids))
        nxt = difat_ids[n + 1] if n + 1 < len(difat_ids) else ENDOFCHAIN
        out.append(struct.pack(f"<{IDS_PER_SECTOR}I", *ids, nxt))
    return b"".join(out)
