"""An openpyxl-backed :class:`salesplan_xl.ribbon.WorkbookPort`: the ribbon actions run
unchanged on a workbook file, without Excel. Formulas are not evaluated (openpyxl keeps
their text); the checks and the tests only look at values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import PatternFill

from salesplan_xl.ribbon import InputRule, make_rule, parse_range, range_ref

BAD = PatternFill("solid", fgColor="FFFFC7CE")


class OpenpyxlBook:
    def __init__(self, path: Path, selection: tuple[str, str] | None = None):
        self._path = Path(path)
        self.wb = openpyxl.load_workbook(self._path)
        # Excel shows a formula cell's value: take the cached value from the file.
        self.cached = openpyxl.load_workbook(self._path, data_only=True)
        self._selection = selection or (self.wb.active.title, "A1")
        self.messages: list[str] = []
        self.marked: dict[tuple[str, str], bool] = {}
        self._fills: dict[tuple[str, str], Any] = {}

    # --- test helpers -------------------------------------------------------------
    def select(self, sheet: str, ref: str) -> None:
        self._selection = (sheet, ref)

    def save(self, path: Path | None = None) -> Path:
        target = Path(path or self._path)
        self.wb.save(target)
        return target

    def value(self, sheet: str, ref: str) -> Any:
        return self.wb[sheet][ref].value

    # --- WorkbookPort -------------------------------------------------------------
    @property
    def path(self) -> Path | None:
        return self._path

    def sheet_names(self) -> list[str]:
        return list(self.wb.sheetnames)

    def read(self, sheet: str, ref: str) -> list[list[Any]]:
        r1, c1, r2, c2 = parse_range(ref)
        return [[self._value(sheet, r, c) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]

    def _value(self, sheet: str, r: int, c: int) -> Any:
        v = self.wb[sheet].cell(r, c).value
        if isinstance(v, str) and v.startswith("=") and sheet in self.cached.sheetnames:
            return self.cached[sheet].cell(r, c).value
        return v

    def write(self, sheet: str, ref: str, values: list[list[Any]]) -> None:
        r1, c1, _, _ = parse_range(ref.split(":")[0])
        ws = self.wb[sheet]
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                ws.cell(r1 + i, c1 + j).value = v

    def selection(self) -> tuple[str, str]:
        return self._selection

    def add_sheet(self, name: str) -> None:
        if name in self.wb.sheetnames:
            ws = self.wb[name]
            ws.delete_rows(1, ws.max_row)
        else:
            self.wb.create_sheet(name)

    def validations(self, sheet: str) -> list[InputRule]:
        rules = []
        for dv in self.wb[sheet].data_validations.dataValidation:
            for cells in dv.sqref.ranges:
                rule = make_rule(sheet, cells.coord, dv.type, dv.operator, dv.formula1, dv.formula2)
                if rule:
                    rules.append(rule)
        return rules

    def name_refers_to(self, name: str) -> tuple[str, str] | None:
        defined = self.wb.defined_names.get(name)
        if defined is None:
            return None
        for sheet, ref in defined.destinations:
            return sheet, ref.replace("$", "")
        return None

    def mark(self, sheet: str, ref: str, bad: bool) -> None:
        self.marked[(sheet, ref)] = bad
        r1, c1, r2, c2 = parse_range(ref)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                cell = self.wb[sheet].cell(r, c)
                key = (sheet, range_ref(r, c, r, c))
                if bad:
                    self._fills.setdefault(key, cell.fill.copy())
                    cell.fill = BAD
                elif key in self._fills:
                    cell.fill = self._fills.pop(key)

    def message(self, text: str) -> None:
        self.messages.append(text)

    def to_pdf(self, path: Path) -> Path:
        from salesplan_xl.libreoffice import convert

        return convert(self._path, Path(path).parent, "pdf")
