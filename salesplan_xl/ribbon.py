"""Ribbon actions of the SalesPlan add-in (targets of ``RunPython`` in SalesPlanRibbon.bas).

Each button of the 销售计划 tab runs ``import salesplan_xl.ribbon as r; r.<action>()``:

==================  =================================================================
action              what it does
==================  =================================================================
``regenerate``      rebuild this kit from the plan.toml and data next to the workbook
                    (into ``<folder>/regenerated/``; the open file is not overwritten)
``split_target``    split the selected total into the months/parts beside it
``refresh``         re-read the data and update the data values (inputs untouched)
``check_inputs``    mark bad input cells; list them on the sheet 检查结果
``rollover``        year rollover: collect into history.sqlite, build next year's kit
``export_pdf``      the workbook as a PDF beside it
``diagnostics``     versions, configuration, whether the SP_* UDFs import
==================  =================================================================

Every action works on a :class:`WorkbookPort`: the few operations it needs. In Excel
that is :class:`XlwingsBook` around ``xw.Book.caller()``; the tests drive the same
action code with an openpyxl-backed double (``tests/addin/ribbon_double.py``). Each
action takes the port as an optional argument and returns what it did.
"""

from __future__ import annotations

import datetime as dt
import importlib
import platform
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from .data import normalise
from .kit import find_inputs, scope_from_filename
from .sheets.a1 import cell_ref, parse_range, range_ref

__all__ = [
    "CHECK_SHEET",
    "Finding",
    "InputRule",
    "WorkbookPort",
    "XlwingsBook",
    "check_inputs",
    "diagnostics",
    "diagnostics_report",
    "export_pdf",
    "find_inputs",
    "refresh",
    "regenerate",
    "rollover",
    "scope_from_filename",
    "split_target",
]

CHECK_SHEET = "检查结果"
CHECK_HEADER = ["工作表", "单元格", "应为", "实际"]
#: Sheets the checks never look at.
HELPER_SHEETS = {CHECK_SHEET, "字典", "日历", "xlwings.conf", "salesplan.conf"}


# --- the port ------------------------------------------------------------------------------
@dataclass(frozen=True)
class InputRule:
    """A data validation as the checks need it: ``kind`` is whole, decimal, date, length
    or list; ``minimum``/``maximum`` are inclusive bounds (None: unbounded; dates as
    ``dt.date``); ``source`` is a list's defined name or its inline items."""

    sheet: str
    ref: str
    kind: str
    minimum: Any = None
    maximum: Any = None
    source: str | tuple[str, ...] | None = None


class WorkbookPort(Protocol):
    """What the ribbon actions need from a workbook (Excel via xlwings, or a test double)."""

    @property
    def path(self) -> Path | None: ...  # the workbook file; None if never saved

    def sheet_names(self) -> list[str]: ...

    def read(self, sheet: str, ref: str) -> list[list[Any]]: ...  # 2-D, None for empty

    def write(self, sheet: str, ref: str, values: list[list[Any]]) -> None: ...  # top-left

    def selection(self) -> tuple[str, str]: ...  # (sheet, "B4:D4")

    def add_sheet(self, name: str) -> None: ...  # a new empty sheet, or clear an existing one

    def validations(self, sheet: str) -> list[InputRule]: ...

    def name_refers_to(self, name: str) -> tuple[str, str] | None: ...  # (sheet, range)

    def mark(self, sheet: str, ref: str, bad: bool) -> None: ...  # highlight or clear

    def message(self, text: str) -> None: ...

    def to_pdf(self, path: Path) -> Path: ...


_VALIDATION_TYPES = {1: "whole", 2: "decimal", 3: "list", 4: "date", 6: "length"}
_OPERATORS = {1: "between", 3: "equal", 5: "greaterThan", 6: "lessThan", 7: "ge", 8: "le"}
_OPERATOR_NAMES = {
    "between": "between",
    "equal": "equal",
    "greaterThan": "greaterThan",
    "lessThan": "lessThan",
    "greaterThanOrEqual": "ge",
    "lessThanOrEqual": "le",
}


def _bound(text: Any, kind: str) -> Any:
    if text is None or text == "":
        return None
    value = float(str(text).lstrip("="))
    if kind == "date":
        return normalise.excel_date(value)
    return value


def make_rule(
    sheet: str, ref: str, kind: str, operator: str | None, formula1: Any, formula2: Any = None
) -> InputRule | None:
    """An :class:`InputRule` from the parts of an Excel validation (types as in the file:
    ``whole``, ``decimal``, ``date``, ``textLength``, ``list``); None for kinds not checked
    (custom, time, any)."""
    kind = {"textLength": "length"}.get(kind, kind)
    if kind == "list":
        text = str(formula1 or "").strip()
        if text.startswith('"') and text.endswith('"'):
            items = tuple(s.strip() for s in text[1:-1].split(","))
            return InputRule(sheet, ref, "list", source=items)
        return InputRule(sheet, ref, "list", source=text.lstrip("="))
    if kind not in ("whole", "decimal", "date", "length"):
        return None
    op = _OPERATOR_NAMES.get(operator or "between", operator or "between")
    lo, hi = _bound(formula1, kind), _bound(formula2, kind)
    bounds = {
        "between": (lo, hi),
        "equal": (lo, lo),
        "ge": (lo, None),
        "greaterThan": (lo, None),
        "le": (None, lo),
        "lessThan": (None, lo),
    }.get(op)
    if bounds is None:  # notBetween / notEqual: not used by the kit
        return None
    return InputRule(sheet, ref, kind, *bounds)


class XlwingsBook:
    """:class:`WorkbookPort` over an ``xlwings.Book`` (default: ``xw.Book.caller()``).

    Validations are read through COM (Windows); on a Mac :meth:`validations` returns none
    (AppleScript exposes no validation objects), so 检查输入 then checks nothing.
    """

    def __init__(self, book=None):
        if book is None:
            import xlwings as xw

            book = xw.Book.caller()
        self.book = book

    @property
    def path(self) -> Path | None:
        full = Path(self.book.fullname)
        return full if full.is_file() else None

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def read(self, sheet: str, ref: str) -> list[list[Any]]:
        return self.book.sheets[sheet].range(ref).options(ndim=2).value

    def write(self, sheet: str, ref: str, values: list[list[Any]]) -> None:
        self.book.sheets[sheet].range(ref).value = values

    def selection(self) -> tuple[str, str]:
        rng = self.book.selection
        return rng.sheet.name, rng.address.replace("$", "")

    def add_sheet(self, name: str) -> None:
        if name in self.sheet_names():
            self.book.sheets[name].clear()
        else:
            self.book.sheets.add(name, after=self.book.sheets[len(self.book.sheets) - 1])

    def validations(self, sheet: str) -> list[InputRule]:
        if not sys.platform.startswith("win"):
            return []
        try:
            cells = self.book.sheets[sheet].api.Cells.SpecialCells(-4174)  # AllValidation
        except Exception:  # no validation on the sheet
            return []
        rules = []
        for area in cells.Areas:
            for column in area.Columns:
                v = column.Validation
                kind = _VALIDATION_TYPES.get(v.Type)
                if kind is None:
                    continue
                rule = make_rule(
                    sheet,
                    column.Address.replace("$", ""),
                    kind if kind != "length" else "textLength",
                    _OPERATORS.get(v.Operator, "between"),
                    v.Formula1,
                    v.Formula2 if v.Operator in (1, 2) else None,
                )
                if rule:
                    rules.append(rule)
        return rules

    def name_refers_to(self, name: str) -> tuple[str, str] | None:
        try:
            rng = self.book.names[name].refers_to_range
        except Exception:
            return None
        return rng.sheet.name, rng.address.replace("$", "")

    def mark(self, sheet: str, ref: str, bad: bool) -> None:
        rng = self.book.sheets[sheet].range(ref)
        rng.color = (255, 199, 206) if bad else None

    def message(self, text: str) -> None:
        self.book.app.alert(text, title="SalesPlan")

    def to_pdf(self, path: Path) -> Path:
        self.book.to_pdf(str(path))
        return Path(path)


def _port(book: WorkbookPort | None) -> WorkbookPort:
    return book if book is not None else XlwingsBook()


# --- split_target --------------------------------------------------------------------------
def _number(value: Any) -> float | None:
    """A cell's number (``data.normalise.number``: ``1234.5``, ``"1,234.5"``, ...), or None
    for blanks, booleans and text that is no number."""
    try:
        return normalise.number(value)
    except normalise.BadValue:
        return None


def rounding_unit(book: WorkbookPort, default: float = 1.0) -> float:
    """The kit's 取整单位 (named cell ``cfg_unit``), else ``default``."""
    where = book.name_refers_to("cfg_unit")
    if where:
        value = _number(book.read(*where)[0][0])
        if value and value > 0:
            return value
    return default


def split_target(
    book: WorkbookPort | None = None,
    weights: Sequence[float] | None = None,
    months: int = 12,
) -> list[float]:
    """Split the selected total into parts that add up exactly (``planning.splits``).

    Selection: one cell holding the total -> the ``months`` (12) cells to its right are
    the parts; a row (or column) of cells -> the first is the total, the others the
    parts. Weights: ``weights`` if given, else the parts' current values (so re-splitting
    a changed total keeps the seasonality already there; with 12 parts they are turned
    into month shares by ``planning.seasonality.monthly_shares``), else an even split.
    Parts are multiples of the kit's rounding unit (``cfg_unit``). Returns the parts.
    """
    from salesplan_xl.planning.seasonality import monthly_shares
    from salesplan_xl.planning.splits import split_total

    book = _port(book)
    sheet, ref = book.selection()
    r1, c1, r2, c2 = parse_range(ref)
    if (r1, c1) == (r2, c2):
        parts_ref = range_ref(r1, c1 + 1, r1, c1 + months)
        horizontal = True
    elif r1 == r2:
        parts_ref, horizontal = range_ref(r1, c1 + 1, r1, c2), True
    elif c1 == c2:
        parts_ref, horizontal = range_ref(r1 + 1, c1, r2, c1), False
    else:
        book.message("拆分目标：请选择一个合计单元格，或一行/一列（首格为合计）。")
        return []
    total = _number(book.read(sheet, cell_ref(r1, c1))[0][0])
    if total is None:
        book.message(f"拆分目标：{sheet}!{cell_ref(r1, c1)} 不是数字。")
        return []
    current = book.read(sheet, parts_ref)
    current = [row[0] for row in current] if not horizontal else current[0]
    n = len(current)
    if weights is None:
        existing = [max(_number(v) or 0.0, 0.0) for v in current]
        if any(existing):
            weights = monthly_shares(existing) if n == 12 else existing
        else:
            weights = [1.0] * n
    elif len(weights) != n:
        raise ValueError(f"{len(weights)} weights for {n} parts")
    unit = rounding_unit(book)
    parts = split_total(total, list(weights), unit)
    values = [parts] if horizontal else [[p] for p in parts]
    book.write(sheet, parts_ref.split(":")[0], values)
    return parts


# --- check_inputs --------------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    sheet: str
    cell: str
    expected: str
    found: str


def _fmt(v: Any) -> str:
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _expected(rule: InputRule) -> str:
    what = {"whole": "整数", "decimal": "数字", "date": "日期", "length": "文本"}.get(rule.kind)
    if rule.kind == "list":
        name = rule.source if isinstance(rule.source, str) else "、".join(rule.source or ())
        return f"下拉列表之一（{name}）"
    lo, hi = rule.minimum, rule.maximum
    if rule.kind == "length":
        return f"{what}，不超过 {_fmt(hi)} 个字符" if hi is not None else what
    if lo is not None and hi is not None:
        return f"{what}，{_fmt(lo)} 至 {_fmt(hi)}"
    if lo is not None:
        return f"{what}，不小于 {_fmt(lo)}"
    if hi is not None:
        return f"{what}，不大于 {_fmt(hi)}"
    return what


def _as_date(v: Any) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, int | float) and not isinstance(v, bool) and 0 < v < 2958466:
        return normalise.excel_date(v)  # a serial number: Excel's dates end at 9999-12-31
    return None


def _list_items(book: WorkbookPort, rule: InputRule, cache: dict) -> set[str]:
    if not isinstance(rule.source, str):
        return set(rule.source or ())
    if rule.source not in cache:
        where = book.name_refers_to(rule.source)
        items: set[str] = set()
        if where:
            for row in book.read(*where):
                items.update(_fmt(v) for v in row if v not in (None, ""))
        cache[rule.source] = items
    return cache[rule.source]


def cell_ok(value: Any, rule: InputRule, items: set[str] | None = None) -> bool:
    """Whether a non-empty ``value`` satisfies ``rule``."""
    if rule.kind == "list":
        return _fmt(value) in (items or set())
    if rule.kind == "length":
        n = len(_fmt(value))
        return (rule.minimum is None or n >= rule.minimum) and (
            rule.maximum is None or n <= rule.maximum
        )
    if rule.kind == "date":
        x = _as_date(value)
    else:
        x = value if isinstance(value, int | float) and not isinstance(value, bool) else None
        if rule.kind == "whole" and x is not None and not float(x).is_integer():
            return False
    if x is None:
        return False
    return (rule.minimum is None or x >= rule.minimum) and (
        rule.maximum is None or x <= rule.maximum
    )


def find_bad_inputs(book: WorkbookPort) -> list[Finding]:
    """Every filled cell that breaks its sheet's data validation, in sheet order."""
    findings: list[Finding] = []
    cache: dict[str, set[str]] = {}
    for sheet in book.sheet_names():
        if sheet in HELPER_SHEETS:
            continue
        for rule in book.validations(sheet):
            r1, c1, _, _ = parse_range(rule.ref)
            items = _list_items(book, rule, cache) if rule.kind == "list" else None
            for i, row in enumerate(book.read(sheet, rule.ref)):
                for j, value in enumerate(row):
                    if value is None or value == "":
                        continue
                    if not cell_ok(value, rule, items):
                        findings.append(
                            Finding(sheet, cell_ref(r1 + i, c1 + j), _expected(rule), _fmt(value))
                        )
    return findings


def check_inputs(book: WorkbookPort | None = None) -> list[Finding]:
    """Mark bad input cells (wrong type, out of range, not in the drop-down list) and
    list them on the sheet 检查结果 (工作表, 单元格, 应为, 实际). Marks of the previous
    check are cleared first. Returns the findings."""
    book = _port(book)
    if CHECK_SHEET in book.sheet_names():  # clear the previous run's marks
        for row in book.read(CHECK_SHEET, "A2:B10000"):
            if row[0] in book.sheet_names() and row[1]:
                book.mark(str(row[0]), str(row[1]), False)
    findings = find_bad_inputs(book)
    book.add_sheet(CHECK_SHEET)
    rows = [CHECK_HEADER] + [[f.sheet, f.cell, f.expected, f.found] for f in findings]
    book.write(CHECK_SHEET, "A1", rows)
    for f in findings:
        book.mark(f.sheet, f.cell, True)
    book.message(
        f"检查输入：发现 {len(findings)} 处问题，见“{CHECK_SHEET}”工作表。"
        if findings
        else "检查输入：未发现问题。"
    )
    return findings


# --- plan and data beside the workbook ------------------------------------------------------
def regenerate(book: WorkbookPort | None = None, out_dir: Path | None = None) -> list[Path]:
    """Rebuild this kit from plan.toml and the data beside the workbook, for the same
    scope and formula mode, into ``<folder>/regenerated/`` (the open file stays)."""
    from salesplan_xl.errors import SalesplanError
    from salesplan_xl.kit import build_from_files

    book = _port(book)
    try:
        plan, data = find_inputs(book.path)
        target = out_dir or book.path.parent / "regenerated"
        formulas = "udf" if book.path.suffix.lower() == ".xlsm" else None
        paths = build_from_files(
            plan, data, target, scopes=[scope_from_filename(book.path)], formulas=formulas
        )
    except (FileNotFoundError, SalesplanError) as exc:
        book.message(f"重新生成失败：{exc}")
        return []
    book.message("重新生成完成：" + "；".join(str(p) for p in paths))
    return paths


# --- refresh ---------------------------------------------------------------------------------
def _same(a: Any, b: Any) -> bool:
    """Equal as cell values (blank = "", dates by day, numbers to 1e-6)."""
    if a in (None, "") or b in (None, ""):
        return a in (None, "") and b in (None, "")
    if isinstance(a, dt.date) or isinstance(b, dt.date):
        da = _as_date(a)
        return da is not None and da == _as_date(b)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) < 1e-6
    return _fmt(a) == _fmt(b)


def _runs(cells: list[tuple[int, int, Any]]) -> list[tuple[int, int, list[Any]]]:
    """Group (row, col, value) into horizontal runs of adjacent cells."""
    runs: list[tuple[int, int, list[Any]]] = []
    for r, c, v in sorted(cells, key=lambda x: (x[0], x[1])):
        if runs and runs[-1][0] == r and runs[-1][1] + len(runs[-1][2]) == c:
            runs[-1][2].append(v)
        else:
            runs.append((r, c, [v]))
    return runs


@dataclass
class RefreshResult:
    updated: int  # cells whose value changed
    sheets: list[str]  # sheets refreshed
    skipped: list[str]  # sheets whose rows no longer match the data (regenerate them)


def refresh_from(book: WorkbookPort, plan_path: Path, data_path: Path) -> RefreshResult:
    """Write the values the data gives (role ``data``, no formula, numbers and dates)
    into the open kit; inputs, formulas and labels are left alone. A sheet whose text
    cells (names, ids) no longer match the data is skipped: its rows moved."""
    from salesplan_xl.kit import check_inputs as load_inputs
    from salesplan_xl.kit import lay_out_kit, make_context

    plan, data = load_inputs(plan_path, data_path)
    formulas = "udf" if book.path and book.path.suffix.lower() == ".xlsm" else None
    ctx = make_context(plan, data, scope_from_filename(book.path), formulas=formulas)
    names = set(book.sheet_names())
    result = RefreshResult(0, [], [])
    for lay in lay_out_kit(ctx):
        if lay.name not in names:
            continue
        cells = [(r, c, v, k) for r, c, v, f, k, role in lay.cells if role == "data" and f is None]
        if not cells:
            continue
        last_row = max(r for r, *_ in cells) + 1
        last_col = max(c for _, c, *_ in cells) + 1
        current = book.read(lay.name, range_ref(1, 1, last_row, last_col))
        if any(k == "text" and not _same(current[r][c], v) for r, c, v, k in cells):
            result.skipped.append(lay.name)
            continue
        changed = [
            (r + 1, c + 1, _excel_value(v))
            for r, c, v, k in cells
            if k != "text" and not _same(current[r][c], v)
        ]
        for r, c, values in _runs(changed):
            book.write(lay.name, cell_ref(r, c), [values])
        result.updated += len(changed)
        result.sheets.append(lay.name)
    return result


def _excel_value(v: Any) -> Any:
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return dt.datetime(v.year, v.month, v.day)
    return v


def refresh(book: WorkbookPort | None = None) -> RefreshResult | None:
    """Re-read plan.toml and the data beside the workbook and update the values that come
    from the data; Excel then recalculates the formulas (native or SP_*)."""
    from salesplan_xl.errors import SalesplanError

    book = _port(book)
    try:
        result = refresh_from(book, *find_inputs(book.path))
    except (FileNotFoundError, SalesplanError) as exc:
        book.message(f"刷新失败：{exc}")
        return None
    text = f"刷新完成：更新 {result.updated} 个单元格。"
    if result.skipped:
        text += "以下工作表的行与数据不再对应，请“重新生成”：" + "、".join(result.skipped)
    book.message(text)
    return result


# --- rollover, PDF, diagnostics ------------------------------------------------------------
def rollover(book: WorkbookPort | None = None) -> Path | None:
    """Year rollover (年度滚动): collect this kit into history.sqlite and build next year's
    kit beside it (:func:`salesplan_xl.cycle.rollover_workbook`). Bad cells are listed."""
    from salesplan_xl.cycle import rollover_workbook
    from salesplan_xl.errors import SalesplanError

    book = _port(book)
    if book.path is None:
        book.message("年度滚动：请先保存工作簿。")
        return None
    try:
        new = Path(rollover_workbook(book.path))
    except (FileNotFoundError, SalesplanError) as exc:
        book.message(f"年度滚动失败：{exc}")
        return None
    book.message(f"年度滚动完成：{new}")
    return new


def export_pdf(book: WorkbookPort | None = None) -> Path | None:
    """Export the workbook to ``<name>.pdf`` beside it (each sheet's print setup)."""
    book = _port(book)
    if book.path is None:
        book.message("导出 PDF：请先保存工作簿。")
        return None
    pdf = book.to_pdf(book.path.with_suffix(".pdf"))
    book.message(f"已导出：{pdf}")
    return pdf


def diagnostics_report() -> dict[str, str]:
    """Versions, interpreter, configuration files and whether the SP_* UDFs import."""
    from salesplan_xl import __version__

    report = {
        "Python": f"{platform.python_version()} ({sys.executable})",
        "Platform": platform.platform(),
        "salesplan_xl": __version__,
    }
    try:
        import xlwings

        report["xlwings"] = xlwings.__version__
    except ImportError as exc:
        report["xlwings"] = f"not importable: {exc}"
    from salesplan_xl.addin.package import UnsupportedPlatform, user_config_path

    try:
        user_conf = user_config_path()
        report["User config"] = str(user_conf) if user_conf.is_file() else f"{user_conf} (none)"
    except UnsupportedPlatform:
        report["User config"] = "(Excel runs on Windows and macOS only)"
    try:
        udfs = importlib.import_module("salesplan_xl.udfs")
        names = sorted(n for n in dir(udfs) if n.startswith("SP_"))
        report["UDFs"] = f"ok: {len(names)} ({', '.join(names)})"
    except Exception as exc:  # any import failure is what the user needs to see
        report["UDFs"] = f"not importable: {type(exc).__name__}: {exc}"
    return report


def diagnostics(book: WorkbookPort | None = None) -> dict[str, str]:
    """Show :func:`diagnostics_report` (and the workbook's path)."""
    book = _port(book)
    report = diagnostics_report()
    report["Workbook"] = str(book.path) if book.path else "(not saved)"
    book.message("\n".join(f"{k}: {v}" for k, v in report.items()))
    return report
