"""A1 cell references, 1-based rows and columns (``"B7"`` is row 7, column 2).

Column letters come from :func:`salesplan_xl.sheets.layout.col_name`, the one place that
spells them; this module adds reading references back, for code that works on an open
workbook (the ribbon actions).
"""

from __future__ import annotations

import re

from .layout import col_name

__all__ = ["cell_ref", "col_number", "parse_cell", "parse_range", "range_ref"]

_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def col_number(letters: str) -> int:
    """``"A"`` -> 1, ``"AA"`` -> 27."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def parse_cell(ref: str) -> tuple[int, int]:
    """``"B7"`` (or ``"$B$7"``) -> (row 7, column 2)."""
    m = _CELL.match(ref.strip())
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(m.group(2)), col_number(m.group(1))


def parse_range(ref: str) -> tuple[int, int, int, int]:
    """``"B4:D9"`` -> (first row, first col, last row, last col); one cell is a range."""
    first, _, last = ref.partition(":")
    r1, c1 = parse_cell(first)
    r2, c2 = parse_cell(last) if last else (r1, c1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def cell_ref(row: int, col: int) -> str:
    """(7, 2) -> ``"B7"``."""
    return f"{col_name(col - 1)}{row}"


def range_ref(r1: int, c1: int, r2: int, c2: int) -> str:
    """``"B4:D9"``, or ``"B4"`` for a single cell."""
    return cell_ref(r1, c1) if (r1, c1) == (r2, c2) else f"{cell_ref(r1, c1)}:{cell_ref(r2, c2)}"
