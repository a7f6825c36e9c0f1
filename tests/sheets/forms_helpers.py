"""Shared helpers of the form tests: build a kit of the forms and find fields by label."""

from __future__ import annotations

from pathlib import Path

from python_calamine import CalamineWorkbook

FORM_IDS = (
    "P6",
    "P7",
    "9.3.3",
    "9.3.7",
    "9.3.8",
    "9.3.10",
    "9.3.11",
    "9.3.13",
    "9.3.18",
    "9.3.19",
    "9.3.28",
    "9.3.30",
    "9.3.31",
    "9.3.32",
)


def form_specs():
    """The forms plus the sheets they need: 参数 (named settings) and 客户查询."""
    from salesplan_xl.sheets.spec import load_specs

    return tuple(s for s in load_specs() if s.kind == "form" or s.id == "P1")


def build_forms_kit(out_dir: Path, customers: int = 120) -> Path:
    from salesplan_xl.config import demo_plan
    from salesplan_xl.data.demo import demo_dataset
    from salesplan_xl.kit import build_kit

    plan = demo_plan()
    data = demo_dataset(customers=customers, as_of=plan.as_of)
    return build_kit(plan, data, out_dir, specs=form_specs())


def demo_context(customers: int = 120):
    from salesplan_xl.config import demo_plan
    from salesplan_xl.data.demo import demo_dataset
    from salesplan_xl.kit import make_context

    plan = demo_plan()
    return make_context(plan, demo_dataset(customers=customers, as_of=plan.as_of))


def sheet_of(names, form_id: str) -> str:
    prefix = f"{form_id} "
    return next(n for n in names if n.startswith(prefix))


def grids(path: Path) -> dict[str, list[list]]:
    wb = CalamineWorkbook.from_path(str(path))
    return {n: wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wb.sheet_names}


def find(grid, label: str) -> tuple[int, int]:
    """(row, col) of the cell holding exactly ``label``."""
    for r, row in enumerate(grid):
        for c, v in enumerate(row):
            if v == label:
                return r, c
    raise KeyError(label)


def field(grid, label: str):
    """The value of the field labelled ``label`` (the cell right of the label)."""
    r, c = find(grid, label)
    return grid[r][c + 1]


def column(grid, header: str, n: int) -> list:
    """``n`` values under the table header ``header``."""
    r, c = find(grid, header)
    return [grid[r + 1 + i][c] for i in range(n)]
