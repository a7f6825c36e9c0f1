"""docs/coverage.md: every mapped text of the source documents is in the demo kit, in the
cell the table names."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl.utils import column_index_from_string
from python_calamine import CalamineWorkbook

DOC = Path(__file__).resolve().parents[1] / "docs" / "coverage.md"
CELL = re.compile(r"^([A-Z]{1,3})(\d+)$")


def mapped_rows() -> list[tuple[str, str, str, str]]:
    """(section, sheet id, cell, text) of every table row that names a cell."""
    rows = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        parts = [p.strip() for p in line.strip().strip("|").split("|")]
        if len(parts) == 5 and CELL.match(parts[3]):
            rows.append((parts[1], parts[2], parts[3], parts[4]))
    return rows


def test_coverage_table_maps_the_listed_documents():
    rows = mapped_rows()
    assert len(rows) >= 100
    sheets = {sid for _, sid, _, _ in rows}
    assert {"P2", "P6", "P7", "P8"} <= sheets


def test_every_mapped_text_is_in_its_cell_of_the_demo_kit(demo_kit):
    wb = CalamineWorkbook.from_path(str(demo_kit))
    grids = {}
    missing = []
    for section, sid, cell, text in mapped_rows():
        name = next(n for n in wb.sheet_names if n.startswith(sid + " "))
        if name not in grids:
            grids[name] = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        col, row = CELL.match(cell).groups()
        r, c = int(row) - 1, column_index_from_string(col) - 1
        g = grids[name]
        value = g[r][c] if r < len(g) and c < len(g[r]) else ""
        if text not in str(value):
            missing.append(f"{section}: {sid}!{cell} holds {value!r}, not {text!r}")
    assert missing == [], "\n".join(missing)
