"""Compare a workbook's cached formula values with LibreOffice's recalculation."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

ERRORS = ("#DIV/0!", "#VALUE!", "#NAME?", "#REF!", "#N/A", "#NUM!", "#NULL!", "Err:", "#ERR")


def formula_cells(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet → {(row, col) 0-based: formula text} for every formula cell."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    out = {}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                v = getattr(c, "value", None)
                if isinstance(v, str) and v.startswith("="):
                    cells[(c.row - 1, c.column - 1)] = v
        out[ws.title] = cells
    wb.close()
    return out


def values(path: Path) -> dict[str, list[list]]:
    wb = CalamineWorkbook.from_path(str(path))
    return {
        name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names
    }


def _get(grid, r, c):
    if r < len(grid) and c < len(grid[r]):
        return grid[r][c]
    return ""


def _norm(v):
    if isinstance(v, dt.datetime):
        return (v - dt.datetime(1899, 12, 30)).total_seconds() / 86400
    if isinstance(v, dt.date):
        return float((v - dt.date(1899, 12, 30)).days)
    if isinstance(v, bool):
        return float(v)
    return v


def same(a, b, rel=1e-9) -> bool:
    a, b = _norm(a), _norm(b)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=rel, abs_tol=1e-9)
    return a == b


def compare(original: Path, recalculated: Path) -> tuple[int, list[str]]:
    """(number of formula cells checked, list of mismatches and error values)."""
    formulas = formula_cells(original)
    cached = values(original)
    fresh = values(recalculated)
    problems, n = [], 0
    for sheet, cells in formulas.items():
        for (r, c), f in sorted(cells.items()):
            n += 1
            a, b = _get(cached[sheet], r, c), _get(fresh[sheet], r, c)
            if not same(a, b):
                problems.append(
                    f"{sheet}!{openpyxl.utils.get_column_letter(c + 1)}{r + 1} {f}: cached {a!r}, LibreOffice {b!r}"
                )
    for sheet, grid in fresh.items():
        for r, row in enumerate(grid):
            for c, v in enumerate(row):
                if isinstance(v, str) and v.startswith(ERRORS):
                    problems.append(
                        f"{sheet}!{openpyxl.utils.get_column_letter(c + 1)}{r + 1}: error value {v}"
                    )
    return n, problems
