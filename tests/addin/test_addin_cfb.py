"""[MS-CFB] writer: olefile reads it back; our own walk checks header and red-black trees."""

from __future__ import annotations

import io
import random
import struct

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesplan_xl.addin.cfb import CfbError, cfb_name_key, write_compound_file

NOSTREAM = 0xFFFFFFFF


def read_tree(data: bytes) -> dict:
    """Read every storage and stream with olefile into the writer's dict shape."""
    ole = olefile.OleFileIO(io.BytesIO(data))
    tree: dict = {}
    for path in ole.listdir(streams=True, storages=True):
        node = tree
        for part in path[:-1]:
            node = node.setdefault(part, {})
        if ole.get_type("/".join(path)) == olefile.STGTY_STORAGE:
            node.setdefault(path[-1], {})
        else:
            node[path[-1]] = ole.openstream("/".join(path)).read()
    return tree


def directory_entries(data: bytes) -> list[dict]:
    """Parse the directory sectors by following the FAT (single FAT sector is enough here)."""
    first_dir = struct.unpack_from("<I", data, 48)[0]
    fat_sector = struct.unpack_from("<I", data, 76)[0]
    fat = struct.unpack_from("<128I", data, 512 + fat_sector * 512)
    entries, sector = [], first_dir
    while sector != 0xFFFFFFFE:
        base = 512 + sector * 512
        for i in range(4):
            raw = data[base + 128 * i : base + 128 * (i + 1)]
            name_len, kind, color = struct.unpack_from("<HBB", raw, 64)
            left, right, child = struct.unpack_from("<III", raw, 68)
            name = raw[: max(name_len - 2, 0)].decode("utf-16-le")
            entries.append(
                dict(name=name, kind=kind, color=color, left=left, right=right, child=child)
            )
        sector = fat[sector]
    return entries


def check_red_black(entries: list[dict], sid: int) -> int:
    """Check the sibling tree under ``sid``; return its black height."""
    if sid == NOSTREAM:
        return 1
    node = entries[sid]
    for side in ("left", "right"):
        child = node[side]
        if child != NOSTREAM:
            assert not (node["color"] == 0 and entries[child]["color"] == 0), "red-red"
            key, child_key = cfb_name_key(node["name"]), cfb_name_key(entries[child]["name"])
            assert (child_key < key) if side == "left" else (child_key > key)
    left = check_red_black(entries, node["left"])
    right = check_red_black(entries, node["right"])
    assert left == right, f"black heights differ under {node['name']!r}"
    return left + (node["color"] == 1)


def in_order(entries: list[dict], sid: int) -> list[str]:
    if sid == NOSTREAM:
        return []
    node = entries[sid]
    return in_order(entries, node["left"]) + [node["name"]] + in_order(entries, node["right"])


def check_all_trees(data: bytes) -> None:
    entries = directory_entries(data)
    assert entries[0]["name"] == "Root Entry" and entries[0]["kind"] == 5
    for entry in entries:
        if entry["kind"] in (1, 5) and entry["child"] != NOSTREAM:
            assert entries[entry["child"]]["color"] == 1, "tree root must be black"
            check_red_black(entries, entry["child"])
            names = in_order(entries, entry["child"])
            assert names == sorted(names, key=cfb_name_key)


def test_vba_shaped_tree_round_trips() -> None:
    rng = random.Random(1)
    tree = {
        "PROJECT": b"ID=...\r\n" * 20,
        "PROJECTwm": b"\x00\x00",
        "VBA": {
            "_VBA_PROJECT": bytes.fromhex("CC61FFFF000100"),
            "dir": rng.randbytes(700),
            "ThisWorkbook": rng.randbytes(4095),
            "Sheet1": rng.randbytes(4096),
            "Ribbon": rng.randbytes(4097),
            "Big": rng.randbytes(70_000),
            "Empty": b"",
        },
    }
    data = write_compound_file(tree)
    assert read_tree(data) == tree
    check_all_trees(data)


def test_header_fields() -> None:
    data = write_compound_file({"A": b"x"})
    assert data[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    minor, major, bom, shift, mini_shift = struct.unpack_from("<5H", data, 24)
    assert (minor, major, bom, shift, mini_shift) == (0x3E, 3, 0xFFFE, 9, 6)
    assert struct.unpack_from("<I", data, 40)[0] == 0  # directory sectors: 0 in version 3
    assert struct.unpack_from("<I", data, 56)[0] == 4096  # mini stream cutoff
    assert len(data) % 512 == 0


def test_sizes_around_the_mini_stream_cutoff() -> None:
    sizes = [0, 1, 63, 64, 65, 511, 512, 513, 4095, 4096, 4097, 9000]
    tree = {f"S{size}": bytes([size % 251]) * size for size in sizes}
    data = write_compound_file(tree)
    assert read_tree(data) == tree
    ole = olefile.OleFileIO(io.BytesIO(data))
    for size in sizes:
        assert ole.get_size(f"S{size}") == size


@pytest.mark.parametrize("count", list(range(1, 34)) + [63, 64, 100])
def test_sibling_trees_are_valid_red_black_trees(count: int) -> None:
    rng = random.Random(count)
    names = {f"{'x' * rng.randint(0, 8)}M{i}" for i in range(count)}
    tree = {name: name.encode() for name in names}
    data = write_compound_file({"VBA": tree, "Z": b"z"})
    assert read_tree(data) == {"VBA": tree, "Z": b"z"}
    check_all_trees(data)


def test_names_compare_by_length_then_uppercase() -> None:
    names = ["b", "AA", "a", "Zz", "abc", "_VBA_PROJECT", "dir", "Dir2"]
    assert sorted(names, key=cfb_name_key) == [
        "a",
        "b",
        "AA",
        "Zz",
        "abc",
        "dir",
        "Dir2",
        "_VBA_PROJECT",
    ]


def test_nested_storages() -> None:
    tree = {"A": {"B": {"C": {"leaf": b"1" * 5000}, "x": b"2"}, "y": b""}, "top": b"3"}
    data = write_compound_file(tree)
    assert read_tree(data) == tree
    check_all_trees(data)


def test_more_than_109_fat_sectors_uses_difat_sectors() -> None:
    payload = random.Random(5).randbytes(8_000_000)  # > 109 * 128 sectors of 512 bytes
    data = write_compound_file({"Big": payload, "small": b"s"})
    assert struct.unpack_from("<I", data, 72)[0] >= 1  # number of DIFAT sectors
    ole = olefile.OleFileIO(io.BytesIO(data))
    assert ole.openstream("Big").read() == payload
    assert ole.openstream("small").read() == b"s"


def test_output_is_deterministic() -> None:
    tree = {"VBA": {"dir": b"d" * 100, "M": b"m" * 5000}, "PROJECT": b"p"}
    assert write_compound_file(tree) == write_compound_file(dict(reversed(tree.items())))


@pytest.mark.parametrize(
    "tree, message",
    [
        ({"x" * 32: b""}, "1 to 31"),
        ({"": b""}, "1 to 31"),
        ({"a/b": b""}, "cannot hold"),
        ({"Dir": b"", "DIR": b""}, "duplicate"),
        ({"s": "text"}, "expected bytes"),
    ],
)
def test_rejects_what_cfb_cannot_hold(tree: dict, message: str) -> None:
    with pytest.raises(CfbError, match=message):
        write_compound_file(tree)


names = st.text(st.sampled_from("abcXYZ_019"), min_size=1, max_size=31)


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        names,
        st.one_of(
            st.binary(max_size=6000),
            st.dictionaries(names, st.binary(max_size=5000), max_size=6),
        ),
        max_size=12,
    ).filter(lambda t: len({k.upper() for k in t}) == len(t))
)
def test_random_trees_round_trip(tree: dict) -> None:
    for value in tree.values():
        if isinstance(value, dict) and len({k.upper() for k in value}) != len(value):
            return
    data = write_compound_file(tree)
    assert read_tree(data) == tree
    check_all_trees(data)
