"""A laid-out cell: the typed record every sheet layout produces and ``render/`` writes.

    >>> c = Cell(3, 1, 1200.0, "SUM(B4:M4)", "money", "computed")
    >>> c.role is Role.COMPUTED, c.row, c.formula
    (True, 3, 'SUM(B4:M4)')
    >>> Cell(0, 0, "x", None, "text", "bold")
    Traceback (most recent call last):
    ...
    ValueError: 'bold' is not a valid Role
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, NamedTuple


class Role(StrEnum):
    """What a cell is for: it decides its look, its protection and what reads it."""

    TITLE = "title"
    SUBTITLE = "subtitle"
    SUBTITLE_RIGHT = "subtitle_right"
    HEADER = "header"
    DATA = "data"  # a value from the data (locked)
    INPUT = "input"  # a fact the user types (unlocked, yellow)
    COMPUTED = "computed"  # a formula with its Python value cached
    SUBTOTAL = "subtotal"
    TOTAL = "total"
    FOOTER = "footer"
    NOTE = "note"
    NOTE_LINE = "note_line"
    LABEL = "label"
    LABEL_PLAIN = "label_plain"
    LINK = "link"
    MERGE = "_merge"  # writer-internal: a merged range in row order
    LINK_TO = "_link"  # writer-internal: a hyperlink in row order


class _Fields(NamedTuple):
    row: int
    col: int
    value: Any
    formula: str | None
    kind: str  # the number format family: money, money0, percent, date, text, wrap, ...
    role: Role


class Cell(_Fields):
    """(row, col, value, formula, kind, role), 0-based; ``role`` is checked."""

    __slots__ = ()

    def __new__(cls, row, col, value, formula, kind, role):
        return super().__new__(cls, row, col, value, formula, kind, Role(role))
