"""SP_* worksheet functions: xlwings UDFs over the planning engine (category 销售计划).

Every function here is a thin wrapper: it reads Excel's arguments (cells or ranges),
calls the function in :mod:`salesplan_xl.planning` that also produced the workbook's
cached values, and shapes the result for the sheet. Nothing is computed twice.

Shapes. xlwings passes every argument as a 2-D list (``ndim=2``; a single cell is
``[[x]]``, an empty cell ``None``). Element-wise functions take cells or ranges of the same
shape (a single cell is repeated over a range) and return one value per cell; a range
argument is one call returning a 2-D list that spills in Excel 365 (in older Excel, enter
it as an array formula over the target cells). When every argument is a single cell the
result is a single value.

Reading values. Numbers, text numbers (``"1,234.5"``, ``"¥100"``, ``"12%"``, ``"1.5万"``)
and dates (date cells, Excel serial numbers, ``"2025/3/5"``, ``"2025年3月5日"``) are read by
:mod:`salesplan_xl.data.normalise`, the same rules as the data import. Bad input gives a
readable text in the cell, ``"#SP! plan: expected a number, got 'abc'"``; never a Python
traceback. Ratios with a 0 or blank denominator give ``""`` (as the native formulas do).

Called from Python, the functions take scalars, flat lists (a column) or 2-D lists::

    >>> SP_COMPLETION(80, 100)
    0.8
    >>> SP_COMPLETION([[80], [None], [30]], [[100], [0], ["¥60"]])
    [[0.8], [''], [0.5]]
    >>> SP_SPLIT(1000, [[1], [1], [1]], 100)
    [[400.0], [300.0], [300.0]]
    >>> SP_SPLIT(1000, [[1, -1]])
    '#SP! weight 1 is negative (-1.0); weights must be 0 or more'

The VBA module that xlwings' "Import Functions" creates for these functions is kept in
``macros/generated/SalesPlanUdfs.bas``; regenerate it with::

    python -m salesplan_xl.udfs --write-vba macros/generated/SalesPlanUdfs.bas

See docs/udfs.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import importlib.util
import math
import sys
import types
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

import numpy as np
import xlwings as xw

from .data import normalise
from .planning import arrays
from .planning.ratings import (
    KEY_ACCOUNT_CRITERIA,
    abc_classes,
    credit_grade,
    key_account_grade,
    key_account_score,
)
from .planning.receivables import ageing_bucket, credit_usage, overdue_days
from .planning.rmb import rmb_upper
from .planning.seasonality import monthly_shares
from .planning.splits import split_total
from .planning.tracking import completion_rate, forecast, growth_rate, ytd
from .planning.workdays import time_progress

__all__ = [
    "CATEGORY",
    "ERROR_PREFIX",
    "UDF_NAMES",
    "SP_COMPLETION",
    "SP_SPLIT",
    "SP_SEASONAL_SPLIT",
    "SP_GROWTH",
    "SP_YTD",
    "SP_TIME_PROGRESS",
    "SP_FORECAST",
    "SP_OVERDUE_DAYS",
    "SP_AGEING",
    "SP_CREDIT_USAGE",
    "SP_CREDIT_GRADE",
    "SP_KA_GRADE",
    "SP_ABC",
    "SP_RMB_UPPER",
    "decorated_module",
    "vba_module",
]

#: Excel function-wizard category of every SP_* function.
CATEGORY = "销售计划"
#: Start of every error text a function puts in a cell.
ERROR_PREFIX = "#SP! "
#: Name of the Python module the VBA wrappers call (``UDF Modules`` in xlwings' settings).
MODULE_NAME = "salesplan_xl.udfs"
#: The add-in the VBA wrappers are generated for (an ``.xlam`` calls ``ActiveWorkbook``).
ADDIN_NAME = "SalesPlan.xlam"

# Every argument: always a 2-D list from Excel; Excel errors arrive as text ("#N/A").
_RANGE = {"ndim": 2, "err_to_str": True}


# --------------------------------------------------------------------------- errors


def _error_text(exc: BaseException) -> str:
    """``#SP! message`` (first line only, no traceback)."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return ERROR_PREFIX + message


def _excel_errors(f: Callable) -> Callable:
    """Return bad input as ``#SP! ...`` text in the cell instead of raising."""

    @functools.wraps(f)
    def guarded(*args):
        try:
            return f(*args)
        except Exception as exc:  # the cell shows a message, never a traceback
            return _error_text(exc)

    return guarded


# --------------------------------------------------------------------------- reading values


def _number(x: object, what: str) -> float | None:
    """A float, or None for a blank cell; text numbers as the data import reads them."""
    if type(x) is float:
        if math.isfinite(x):
            return x
        if math.isnan(x):
            return None
    elif x is None:
        return None
    if isinstance(x, Decimal) or (
        hasattr(x, "dtype") and not isinstance(x, bool | str)  # numpy scalars
    ):
        x = float(x)  # type: ignore[arg-type]
    if isinstance(x, dt.date):
        raise ValueError(f"{what}: expected a number, got the date {x:%Y-%m-%d}")
    try:
        if not isinstance(x, str):
            return normalise.number(x)
        if normalise.to_halfwidth(x).strip().endswith(("%", "％")):
            return normalise.percent(x)
        try:
            return normalise.number(x)
        except normalise.BadValue:
            return normalise.money(x)  # currency marks (¥, 元, RMB) and 万, to the cent
    except normalise.BadValue:
        raise ValueError(f"{what}: expected a number, got {x!r}") from None


def _date(x: object, what: str) -> dt.date | None:
    """A date, or None for a blank cell: date cells, Excel serial numbers, date text."""
    if isinstance(x, dt.datetime):
        return x.date()
    if isinstance(x, dt.date):
        return x
    try:
        return normalise.date(x)
    except normalise.BadValue as exc:
        raise ValueError(f"{what}: expected {exc.expected}, got {x!r}") from None


def _month(x: object) -> int:
    """Month number 0–12 (a date counts as its month)."""
    if isinstance(x, dt.date):
        return x.month
    try:
        m = normalise.integer(x)
    except normalise.BadValue:
        m = -1
    if m is None or not 0 <= m <= 12:
        raise ValueError(f"month: expected a whole number 0-12 or a date, got {x!r}")
    return m


# --------------------------------------------------------------------------- shapes

Grid = list[list[object]]


def _grid(x: object, what: str) -> Grid:
    """Any argument as a rectangular 2-D list: a scalar is 1×1, a flat list a column."""
    if hasattr(x, "tolist") and not isinstance(x, str | bytes):  # numpy arrays
        x = x.tolist()  # type: ignore[union-attr]
    if not isinstance(x, list | tuple):
        return [[x]]
    if not x:
        raise ValueError(f"{what} is empty")
    if set(map(type, x)) == {list}:  # what xlwings passes (ndim=2): no copy
        widths = set(map(len, x))
        if len(widths) == 1 and 0 not in widths:
            return x  # type: ignore[return-value]
    nested = [isinstance(r, list | tuple) for r in x]
    if not any(nested):
        return [[v] for v in x]
    if not all(nested):
        raise ValueError(f"{what} must be a range (rows of equal length)")
    rows = [list(r) for r in x]
    width = len(rows[0])
    if width == 0 or any(len(r) != width for r in rows):
        raise ValueError(f"{what} must be a rectangular range (rows of equal length)")
    return rows


def _shape(g: Grid) -> str:
    return f"{len(g)}×{len(g[0])}"


def _result(rows: Grid) -> object:
    """A 1×1 result as a single value, anything else as the 2-D list (it spills)."""
    return rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 else rows


def _common(sizes: list[int], grids: list[Grid], names: Sequence[str]) -> int:
    """Broadcast length of one dimension: all equal, or 1 (a single cell is repeated)."""
    big = {n for n in sizes if n != 1}
    if len(big) > 1:
        shapes = ", ".join(f"{n} is {_shape(g)}" for n, g in zip(names, grids, strict=True))
        raise ValueError(f"ranges must have the same shape (or be one cell): {shapes}")
    return big.pop() if big else 1


def _cell(fn: Callable, values: Sequence[object]) -> object:
    """One result cell: None shows blank, a bad value shows its message."""
    try:
        out = fn(*values)
    except (ValueError, TypeError, ArithmeticError, OverflowError) as exc:
        return _error_text(exc)
    return "" if out is None else out


def _elementwise(fn: Callable, names: Sequence[str], *args: object) -> object:
    """``fn`` applied cell by cell over same-shaped ranges (single cells repeated)."""
    grids = [_grid(a, n) for a, n in zip(args, names, strict=True)]
    n_rows = _common([len(g) for g in grids], grids, names)
    n_cols = _common([len(g[0]) for g in grids], grids, names)
    out = []
    for i in range(n_rows):
        rows = [g[i] if len(g) > 1 else g[0] for g in grids]
        if all(len(r) == n_cols for r in rows):
            cells = zip(*rows, strict=True) if n_cols > 1 else [tuple(r[0] for r in rows)]
        else:
            cells = (tuple(r[j] if len(r) > 1 else r[0] for r in rows) for j in range(n_cols))
        out.append([_cell(fn, c) for c in cells])
    return _result(out)


_BLOCK_TYPES = {float, type(None)}


def _float_block(grids: list[Grid]) -> list[np.ndarray] | None:
    """The grids as float arrays (NaN for a blank) when every cell is a finite float or
    blank, what xlwings passes for a block of numbers; else None (the cell-by-cell path
    reads text numbers, dates and reports bad cells)."""
    out = []
    for g in grids:
        flat = [v for row in g for v in row] if len(g[0]) > 1 else [row[0] for row in g]
        if not set(map(type, flat)) <= _BLOCK_TYPES:
            return None
        a = np.array(flat, dtype=float)
        if np.isinf(a).any():
            return None
        out.append(a.reshape(len(g), len(g[0])))
    return out


def _from_block(result: np.ndarray, shape: tuple[int, int]) -> object:
    """A numpy result as the 2-D list a range gets ("" for a blank: NaN or None)."""
    flat = np.broadcast_to(result, shape).ravel().tolist()
    if result.dtype == object:
        flat = ["" if v is None else v for v in flat]
    else:
        flat = ["" if v != v else v for v in flat]
    n_cols = shape[1]
    if n_cols == 1:
        return _result([[v] for v in flat])
    return _result([flat[k : k + n_cols] for k in range(0, len(flat), n_cols)])


def _vectorised(
    vector: Callable, fn: Callable, names: Sequence[str], *args: object, check=None
) -> object:
    """``vector`` (a :mod:`planning.arrays` function) over blocks of numbers, ``fn`` cell by
    cell otherwise; ``check`` may refuse the blocks (then cell by cell too)."""
    grids = [_grid(a, n) for a, n in zip(args, names, strict=True)]
    n_rows = _common([len(g) for g in grids], grids, names)
    n_cols = _common([len(g[0]) for g in grids], grids, names)
    blocks = _float_block(grids)
    if blocks is None or (check is not None and not check(*blocks)):
        return _elementwise(fn, names, *grids)
    return _from_block(vector(*blocks), (n_rows, n_cols))


def _line(x: object, what: str) -> tuple[list[object], bool]:
    """A one-row or one-column range as a flat list, and whether it is a row."""
    g = _grid(x, what)
    if len(g) == 1:
        return g[0], len(g[0]) > 1
    if len(g[0]) == 1:
        return [r[0] for r in g], False
    raise ValueError(f"{what} must be one row or one column, got {_shape(g)}")


def _single(x: object, what: str) -> object:
    """The value of an argument that must be a single cell."""
    g = _grid(x, what)
    if len(g) != 1 or len(g[0]) != 1:
        raise ValueError(f"{what} must be a single cell, got {_shape(g)}")
    return g[0][0]


def _shaped_like_line(values: list[object], as_row: bool) -> object:
    return _result([values] if as_row else [[v] for v in values])


def _unit(x: object) -> float:
    u = _number(_single(x, "unit"), "unit")
    return 1.0 if u is None else u


def _required(x: object, what: str) -> float:
    v = _number(_single(x, what), what)
    if v is None:
        raise ValueError(f"{what} is blank")
    return v


# --------------------------------------------------------------------------- plan tracking


@xw.func(category=CATEGORY)
@xw.arg("actual", doc="实际金额：单元格或区域。Actual amount(s): a cell or a range.", **_RANGE)
@xw.arg(
    "plan",
    doc="计划金额：与实际同形状的区域或单个单元格。Plan amount(s): same shape as actual, or one cell.",
    **_RANGE,
)
@xw.ret(transpose=False)
@_excel_errors
def SP_COMPLETION(actual, plan):
    """完成率 = 实际 ÷ 计划；计划为 0 或空时为空。Completion rate = actual / plan; blank where the plan is 0 or blank. Ranges give one rate per cell."""
    return _vectorised(
        arrays.completion_rates,
        lambda a, p: completion_rate(_number(a, "actual"), _number(p, "plan")),
        ("actual", "plan"),
        actual,
        plan,
    )


@xw.func(category=CATEGORY)
@xw.arg("this", doc="本期金额：单元格或区域。This period's amount(s): a cell or a range.", **_RANGE)
@xw.arg(
    "last",
    doc="上期/去年同期金额：同形状区域或单个单元格。Last period's amount(s): same shape, or one cell.",
    **_RANGE,
)
@xw.ret(transpose=False)
@_excel_errors
def SP_GROWTH(this, last):
    """增长率 = 本期 ÷ 上期 − 1；上期为 0 或空时为空。Growth rate = this / last - 1; blank where last is 0 or blank."""
    return _vectorised(
        arrays.growth_rates,
        lambda t, la: growth_rate(_number(t, "this"), _number(la, "last")),
        ("this", "last"),
        this,
        last,
    )


@xw.func(category=CATEGORY)
@xw.arg(
    "monthly_range",
    doc="月度金额：一行或一列（1-12月）；多行多列时每行一个客户。Monthly amounts: one row or column (Jan-Dec); with several rows and columns each row is one series.",
    **_RANGE,
)
@xw.arg(
    "month",
    doc="截至月份 0-12（或某日期，取其月份）；可为每行一个值的一列。Through month 0-12 (or a date: its month); one cell or one per row.",
    **_RANGE,
)
@xw.ret(transpose=False)
@_excel_errors
def SP_YTD(monthly_range, month):
    """本年累计：1 月至指定月份之和（空白按 0）。Year to date: the sum of months 1 to month (blanks count as 0); one result per row of a multi-row range."""
    g = _grid(monthly_range, "monthly_range")
    series = [[v for r in g for v in r]] if len(g) == 1 or len(g[0]) == 1 else g
    return _elementwise(
        lambda row, m: ytd([_number(v, "monthly_range") for v in row], _month(m)),
        ("monthly_range", "month"),
        [[row] for row in series],
        month,
    )


@xw.func(category=CATEGORY)
@xw.arg(
    "as_of",
    doc="基准日（日期或日期区域），按其所在年度计算。As-of date(s); the year is the as-of date's year.",
    **_RANGE,
)
@xw.ret(transpose=False)
@_excel_errors
def SP_TIME_PROGRESS(as_of):
    """时间进度 = 年初至基准日的法定工作日数 ÷ 全年工作日数（中国法定节假日及调休）。Time progress: statutory workdays from 1 Jan through the as-of date / workdays in its year."""

    def progress(x):
        d = _date(x, "as_of")
        return None if d is None else time_progress(d, d.year)

    return _elementwise(progress, ("as_of",), as_of)


def _progress(x: object) -> float | None:
    """Time progress from a date (its year's workday progress) or a fraction 0–1 itself."""
    if isinstance(x, dt.date):
        return time_progress(x, x.year)
    try:
        p = _number(x, "as_of")
    except ValueError:
        p = 2.0  # not a number: read it as date text below
    if p is None:
        return None
    if 0 <= p <= 1:
        return p
    d = _date(x, "as_of")
    return None if d is None else time_progress(d, d.year)


@xw.func(category=CATEGORY)
@xw.arg(
    "ytd", doc="本年累计实际：单元格或区域。Year-to-date actual(s): a cell or a range.", **_RANGE
)
@xw.arg(
    "as_of",
    doc="基准日（或直接给时间进度 0-1）。As-of date (or the time progress itself, a fraction 0-1).",
    **_RANGE,
)
@xw.ret(transpose=False)
@_excel_errors
def SP_FORECAST(ytd, as_of):
    """全年预测 = 本年累计 ÷ 时间进度（按基准日的法定工作日）。Full-year forecast = YTD / time progress at the as-of date; blank when the progress is 0."""
    return _vectorised(
        arrays.forecasts,
        lambda y, a: forecast(_number(y, "ytd"), _progress(a)),
        ("ytd", "as_of"),
        ytd,
        as_of,
        # a number above 1 is a date serial, not a progress: cell by cell
        check=lambda y, a: not (np.nan_to_num(a) > 1).any() and not (a < 0).any(),
    )


# --------------------------------------------------------------------------- splits


@xw.func(category=CATEGORY)
@xw.arg("total", doc="要分解的总额（单个单元格）。The total to split (one cell).", **_RANGE)
@xw.arg(
    "weights",
    doc="权重：一行或一列，非负，空白按 0；结果同方向。Weights: one row or one column, not negative, blanks count as 0; the parts come back in the same orientation.",
    **_RANGE,
)
@xw.arg(
    "unit",
    doc="取整单位，默认 1（元）；如 100、1000。Rounding unit, default 1; e.g. 100 or 1000.",
    **_RANGE,
)
@xw.ret(transpose=False)
@_excel_errors
def SP_SPLIT(total, weights, unit=1):
    """按权重分解总额，取整到单位且合计恰好等于总额（最大余额法）。Split a total by weights into multiples of the unit that add up exactly (largest remainder)."""
    line, as_row = _line(weights, "weights")
    w = [_number(v, f"weight {i + 1}") for i, v in enumerate(line)]
    parts = split_total(_required(total, "total"), w, _unit(unit))
    return _shaped_like_line(parts, as_row)


def _history_years(history: object) -> tuple[list[list[object]], bool]:
    """Years of 12 months from a range, and whether the result should be a row.

    12 columns: each row is a year (result: a row). Else 12 rows: each column is a year
    (result: a column). A single row or column of 24, 36, ... months is read year after year.
    """
    g = _grid(history, "history")
    n_rows, n_cols = len(g), len(g[0])
    if n_cols == 12:
        return g, True
    if n_rows == 12:
        return [list(col) for col in zip(*g, strict=True)], False
    if n_rows == 1 and n_cols % 12 == 0:
        return [g[0][k : k + 12] for k in range(0, n_cols, 12)], True
    if n_cols == 1 and n_rows % 12 == 0:
        flat = [r[0] for r in g]
        return [flat[k : k + 12] for k in range(0, n_rows, 12)], False
    raise ValueError(
        f"history must hold 12 months per year, in rows or in columns, got {_shape(g)}"
    )


@xw.func(category=CATEGORY)
@xw.arg("annual", doc="全年目标（单个单元格）。The annual target (one cell).", **_RANGE)
@xw.arg(
    "history",
    doc="历史月度销售：每行一年（12列）或每列一年（12行），可多年。Monthly sales history: one year of 12 months per row or per column, one or more years.",
    **_RANGE,
)
@xw.arg("unit", doc="取整单位，默认 1。Rounding unit, default 1.", **_RANGE)
@xw.ret(transpose=False)
@_excel_errors
def SP_SEASONAL_SPLIT(annual, history, unit=1):
    """按历史季节性把全年目标分到 12 个月，合计恰好等于全年目标；无历史时平均分。Split the annual target over 12 months by the history's month shares; adds up exactly."""
    years, as_row = _history_years(history)
    numbers = [[_number(v, "history") for v in year] for year in years]
    months = split_total(_required(annual, "annual"), monthly_shares(numbers), _unit(unit))
    return _shaped_like_line(months, as_row)


# --------------------------------------------------------------------------- receivables


def _overdue(due: object, as_of: object) -> int | None:
    d, a = _date(due, "due_date"), _date(as_of, "as_of")
    if d is None or a is None:
        return None
    return overdue_days(d, a)


@xw.func(category=CATEGORY)
@xw.arg("due_date", doc="到期日：单元格或区域。Due date(s): a cell or a range.", **_RANGE)
@xw.arg(
    "as_of",
    doc="基准日：单个单元格或同形状区域。As-of date: one cell or a range of the same shape.",
    **_RANGE,
)
@xw.ret(transpose=False)
@_excel_errors
def SP_OVERDUE_DAYS(due_date, as_of):
    """逾期天数 = max(0, 基准日 − 到期日)；日期为空时为空。Days overdue = max(0, as_of - due date); blank where a date is blank."""
    return _elementwise(_overdue, ("due_date", "as_of"), due_date, as_of)


@xw.func(category=CATEGORY)
@xw.arg(
    "due_date",
    doc="到期日：单元格或区域（省略基准日时：逾期天数）。Due date(s); without as_of: the days overdue.",
    **_RANGE,
)
@xw.arg(
    "as_of",
    doc="基准日（可省略，此时第一个参数为逾期天数）。As-of date (optional: leave it out to pass days overdue).",
    **_RANGE,
)
@xw.ret(transpose=False)
@_excel_errors
def SP_AGEING(due_date, as_of=None):
    """账龄区间：未到期、1-30、31-60、61-90、91-180、181-365、>365（按逾期天数）。Ageing bucket of the days overdue at the as-of date."""
    if as_of is None:
        return _vectorised(
            arrays.ageing_buckets,
            lambda days: ageing_bucket(_number(days, "days")),
            ("days",),
            due_date,
        )

    def bucket(due, at):
        days = _overdue(due, at)
        return None if days is None else ageing_bucket(days)

    return _elementwise(bucket, ("due_date", "as_of"), due_date, as_of)


@xw.func(category=CATEGORY)
@xw.arg("balance", doc="应收余额：单元格或区域。Balance(s) owed: a cell or a range.", **_RANGE)
@xw.arg(
    "limit",
    doc="信用额度：同形状区域或单个单元格。Credit limit(s): same shape, or one cell.",
    **_RANGE,
)
@xw.ret(transpose=False)
@_excel_errors
def SP_CREDIT_USAGE(balance, limit):
    """额度使用率 = 余额 ÷ 信用额度；无额度时为空。Credit usage = balance / credit limit; blank without a limit."""
    return _vectorised(
        arrays.credit_usages,
        lambda b, lim: credit_usage(_number(b, "balance"), _number(lim, "limit")),
        ("balance", "limit"),
        balance,
        limit,
    )


# --------------------------------------------------------------------------- ratings


@xw.func(category=CATEGORY)
@xw.arg(
    "score",
    doc="5C 信用评分 0-100：单元格或区域。5C credit score(s) 0-100: a cell or a range.",
    **_RANGE,
)
@xw.ret(transpose=False)
@_excel_errors
def SP_CREDIT_GRADE(score):
    """信用等级：AAA ≥90、AA ≥80、A ≥70、B ≥60，否则 C；无评分为空。Credit grade: AAA >= 90, AA >= 80, A >= 70, B >= 60, else C; blank without a score."""
    return _vectorised(
        arrays.credit_grades, lambda s: credit_grade(_number(s, "score")), ("score",), score
    )


def _ka_weights(weights: object) -> dict[str, object]:
    if weights is None:
        return dict(KEY_ACCOUNT_CRITERIA)
    line, _ = _line(weights, "weights")
    return {f"criterion {i + 1}": _number(v, f"weight {i + 1}") for i, v in enumerate(line)}


@xw.func(category=CATEGORY)
@xw.arg(
    "scores",
    doc="各项评分 0-100，每行一个客户（默认 7 项：年销售额、增长率、毛利、回款及时率、信用、合作年限、战略价值）。Criterion scores 0-100, one customer per row (default 7 criteria).",
    **_RANGE,
)
@xw.arg(
    "weights",
    doc="各项权重（可省略，默认 25,15,15,20,10,5,10）。Criterion weights (optional; default 25,15,15,20,10,5,10).",
    **_RANGE,
)
@xw.ret(transpose=False)
@_excel_errors
def SP_KA_GRADE(scores, weights=None):
    """大客户等级：加权得分 A ≥85、B ≥70、C ≥60，否则 D；每行一个客户。Key-account grade of the weighted score: A >= 85, B >= 70, C >= 60, else D; one per customer row."""
    w = _ka_weights(weights)
    g = _grid(scores, "scores")
    k = len(w)
    if len(g[0]) == k:
        customers, as_row = g, False
    elif len(g) == k:
        customers, as_row = [list(col) for col in zip(*g, strict=True)], True
    else:
        raise ValueError(f"scores must have {k} columns (one row per customer), got {_shape(g)}")

    def grade(row):
        values = [_number(v, f"score {i + 1}") for i, v in enumerate(row)]
        if all(v is None for v in values):
            return None
        return key_account_grade(key_account_score(values, w))

    grades = [_cell(grade, (row,)) for row in customers]
    return _shaped_like_line(grades, as_row)


@xw.func(category=CATEGORY)
@xw.arg(
    "values",
    doc="金额区域（如各客户年销售额），空白按 0。Amounts, e.g. each customer's annual sales; blanks count as 0.",
    **_RANGE,
)
@xw.ret(transpose=False)
@_excel_errors
def SP_ABC(values):
    """ABC 分类：从大到小累计占比 ≤80% 为 A，≤95% 为 B，其余 C；结果与区域同形状。ABC class by cumulative share, largest first (<= 80% A, <= 95% B, else C)."""
    g = _grid(values, "values")
    flat = [_number(v, "values") for r in g for v in r]
    classes = iter(abc_classes(flat))
    return _result([[next(classes) for _ in r] for r in g])


# --------------------------------------------------------------------------- RMB words


@xw.func(category=CATEGORY)
@xw.arg("amount", doc="金额（元）：单元格或区域。Amount(s) in yuan: a cell or a range.", **_RANGE)
@xw.ret(transpose=False)
@_excel_errors
def SP_RMB_UPPER(amount):
    """人民币大写金额（按人民银行规范），如 1409.50 → 壹仟肆佰零玖元伍角。RMB amount in capital Chinese numerals."""

    def words(x):
        v = _number(x, "amount")
        return None if v is None else rmb_upper(v)

    return _elementwise(words, ("amount",), amount)


#: The worksheet functions, in the order of docs/udfs.md.
UDF_NAMES = (
    "SP_COMPLETION",
    "SP_SPLIT",
    "SP_SEASONAL_SPLIT",
    "SP_GROWTH",
    "SP_YTD",
    "SP_TIME_PROGRESS",
    "SP_FORECAST",
    "SP_OVERDUE_DAYS",
    "SP_AGEING",
    "SP_CREDIT_USAGE",
    "SP_CREDIT_GRADE",
    "SP_KA_GRADE",
    "SP_ABC",
    "SP_RMB_UPPER",
)


# --------------------------------------------------------------------------- VBA wrappers

_WIN_MODULES = ("pythoncom", "pywintypes", "win32com", "win32com.client")


def _stub_windows_modules() -> None:
    """Stand-ins for pywin32: enough for ``import xlwings.udfs`` (nothing is called)."""
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None  # type: ignore[attr-defined]
    pywintypes = types.ModuleType("pywintypes")
    pywintypes.com_error = type("com_error", (Exception,), {})  # type: ignore[attr-defined]
    win32com = types.ModuleType("win32com")
    client = types.ModuleType("win32com.client")
    client.Dispatch = lambda *a, **k: None  # type: ignore[attr-defined]
    win32com.client = client  # type: ignore[attr-defined]
    win32com.__path__ = []  # type: ignore[attr-defined]
    for name, module in zip(_WIN_MODULES, (pythoncom, pywintypes, win32com, client), strict=True):
        sys.modules[name] = module


def decorated_module() -> tuple[types.ModuleType, types.ModuleType]:
    """(xlwings.udfs, a fresh copy of this module decorated by xlwings' real decorators).

    Off Windows ``xw.func``/``xw.arg``/``xw.ret`` do nothing. Here ``xlwings.udfs`` is
    imported with stub pywin32 modules, ``xlwings.func/arg/ret`` are bound to its
    ``xlfunc/xlarg/xlret`` while this file is executed again under another module name,
    and then ``sys.modules`` and ``xlwings`` are put back exactly as they were
    (DESIGN.md decision 6).
    """
    names = (*_WIN_MODULES, "xlwings.udfs")
    saved_modules = {n: sys.modules[n] for n in names if n in sys.modules}
    saved_attrs = {a: getattr(xw, a) for a in ("func", "arg", "ret", "udfs") if hasattr(xw, a)}
    try:
        try:
            xl_udfs = importlib.import_module("xlwings.udfs")
        except ImportError:
            _stub_windows_modules()
            sys.modules.pop("xlwings.udfs", None)
            xl_udfs = importlib.import_module("xlwings.udfs")
        xw.func, xw.arg, xw.ret = xl_udfs.xlfunc, xl_udfs.xlarg, xl_udfs.xlret
        spec = importlib.util.spec_from_file_location(
            "salesplan_xl._udfs_decorated", Path(__file__)
        )
        assert spec is not None and spec.loader is not None
        fresh = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(fresh)
        return xl_udfs, fresh
    finally:
        for n in names:
            if n in saved_modules:
                sys.modules[n] = saved_modules[n]
            else:
                sys.modules.pop(n, None)
        for a in ("func", "arg", "ret", "udfs"):
            if a in saved_attrs:
                setattr(xw, a, saved_attrs[a])
            elif hasattr(xw, a):
                delattr(xw, a)


class _Workbook:
    """What ``generate_vba_wrapper`` asks of the workbook: its name."""

    def __init__(self, name: str):
        self.Name = name


def vba_module(workbook_name: str = ADDIN_NAME) -> str:
    """The VBA module xlwings' "Import Functions" writes into ``workbook_name`` (CRLF).

    The same three header lines as ``xlwings.udfs.import_udfs`` (module ``xlwings_udfs``,
    so a later "Import Functions" replaces it instead of duplicating the functions), then
    xlwings' own ``generate_vba_wrapper`` output for every SP_* function. Help texts and
    the category are not in the VBA (Excel gets them through ``Application.MacroOptions``),
    so the module is ASCII.
    """
    import io

    xl_udfs, fresh = decorated_module()
    out = io.StringIO()
    out.write('Attribute VB_Name = "xlwings_udfs"\n')
    out.write("'Autogenerated code by xlwings - changes will be lost with next import!\n")
    out.write("""#Const App = "Microsoft Excel" 'Adjust when using outside of Excel\n""")
    xl_udfs.generate_vba_wrapper(MODULE_NAME, fresh, out, _Workbook(workbook_name))
    text = out.getvalue().replace("\r\n", "\n").replace("\n", "\r\n")
    text.encode("ascii")  # raises if anything non-ASCII reached the VBA
    return text


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m salesplan_xl.udfs --write-vba PATH``: (re)write the VBA wrapper module."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m salesplan_xl.udfs",
        description="Write the VBA module that xlwings' Import Functions creates for the SP_* UDFs.",
    )
    parser.add_argument("--write-vba", metavar="PATH", required=True, type=Path)
    parser.add_argument("--workbook", default=ADDIN_NAME, help=f"default {ADDIN_NAME}")
    args = parser.parse_args(argv)
    args.write_vba.parent.mkdir(parents=True, exist_ok=True)
    args.write_vba.write_bytes(vba_module(args.workbook).encode("ascii"))
    print(f"wrote {args.write_vba}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
