"""A fingerprint of the values a kit's input cells hold when it is written.

The kit records, as the custom document property ``salesplan_inputs``, how many input
(unlocked) cells hold a value and an order-independent digest of them: ``"v1 COUNT HEX"``.
Reading a kit later (:mod:`salesplan_xl.cycle.typed_inputs`) and computing the same from
its cells tells whether anyone typed into it since, without comparing it to a rebuild.

Values are compared as the file stores them: text as text (``\\r`` dropped), numbers,
dates (serial numbers) and booleans as numbers with 15 significant digits.

>>> a, b = InputDigest(), InputDigest()
>>> a.add("S", 1, 2, 3.0); a.add("S", 0, 0, "x")
>>> b.add("S", 0, 0, "x"); b.add("S", 1, 2, 3)
>>> a.text() == b.text()
True
>>> parse_property(a.text())[0]
2
"""

from __future__ import annotations

import datetime as dt
import hashlib

PROPERTY = "salesplan_inputs"
_MASK = (1 << 64) - 1


def normal_value(value) -> str | None:
    """The comparable form of a written value; ``None`` for a blank cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "n:" + ("1" if value else "0")
    if isinstance(value, dt.datetime):
        value = (value - dt.datetime(1899, 12, 30)).total_seconds() / 86400
    elif isinstance(value, dt.date):
        value = float((value - dt.date(1899, 12, 30)).days)
    if isinstance(value, (int, float)):
        return "n:" + format(float(value), ".15g")
    text = str(value).replace("\r", "")
    return "s:" + text if text else None


class InputDigest:
    """Count and order-independent digest of (sheet, row, column, value) of input cells."""

    def __init__(self) -> None:
        self.count = 0
        self.total = 0

    def add(self, sheet: str, row: int, col: int, value) -> None:
        norm = normal_value(value)
        if norm is None:
            return
        self.add_normal(sheet, row, col, norm)

    def add_normal(self, sheet: str, row: int, col: int, norm: str) -> None:
        key = f"{sheet}\x1f{row}\x1f{col}\x1f{norm}".encode()
        h = int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big")
        self.total = (self.total + h) & _MASK
        self.count += 1

    def text(self) -> str:
        return f"v1 {self.count} {self.total:016x}"


def parse_property(text: str | None) -> tuple[int, str] | None:
    """(count, digest hex) from the property's text, or ``None`` when absent or unknown."""
    parts = (text or "").split()
    if len(parts) != 3 or parts[0] != "v1" or not parts[1].isdigit():
        return None
    return int(parts[1]), parts[2]
