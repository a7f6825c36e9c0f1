"""Parity: each UDF equals its measure's native Excel formula, recalculated by LibreOffice.

One workbook (written here with XlsxWriter) holds, per measure that has a UDF, a sheet of
input cells and the native formula ``Measure.excel(refs)`` on every row. LibreOffice
recalculates it; calamine reads back the inputs (as xlwings would pass them: dates as
datetimes, empty cells as None) and LibreOffice's results; the UDF is called once on the
input columns and must agree cell by cell (numbers to 1e-9 relative, text exactly, an
empty result as "").

Inputs are numbers, dates and blanks. Text numbers are left out: the UDFs read "1,234"
as 1234, while Excel's N() reads any text as 0.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import xlsxwriter
from conftest import need_libreoffice
from python_calamine import CalamineWorkbook

import salesplan_xl.udfs as udfs
from salesplan_xl.libreoffice import recalculate
from salesplan_xl.measures import MEASURES, get
from salesplan_xl.planning import time_progress

pytestmark = pytest.mark.libreoffice

AS_OF = dt.date(2024, 12, 31)
PAIRS = [
    (80, 100),
    (None, 50),
    (10, 0),
    (10, None),
    (None, None),
    (-5, 20),
    (123.45, 678.9),
    (0, 7),
    (1e6, 3),
    (2.5, -4),
    (1 / 3, 0.1),
]
DAYS = [-10, 0, 1, 29, 30, 31, 60, 61, 90, 91, 180, 181, 365, 366, 1000]
AS_OF_DATES = [
    dt.date(2024, 6, 30),
    dt.date(2025, 1, 1),
    dt.date(2026, 10, 1),
    dt.date(2024, 12, 31),
    dt.date(2023, 12, 31),
    dt.date(2024, 2, 4),
]


@dataclass
class Case:
    """One sheet: input columns, the native formula's column, and the UDF call to compare."""

    measure: str
    inputs: dict[str, list]  # column header -> values (None: empty cell; date: date cell)
    refs: dict[str, str]  # measure placeholder -> input header (or "=formula" of other refs)
    udf_args: list[str]  # input headers passed to the UDF, in order
    udf: str = ""
    helpers: dict[str, str] = field(default_factory=dict)  # header -> measure name


def _pairs(measure: str, a: str, b: str) -> Case:
    return Case(
        measure,
        {a: [p[0] for p in PAIRS], b: [p[1] for p in PAIRS]},
        {a: a, b: b},
        [a, b],
    )


def _cases() -> list[Case]:
    dues = [AS_OF - dt.timedelta(days=d) for d in DAYS]
    progress = [time_progress(d, d.year) for d in AS_OF_DATES]
    ytds = [1000, None, 250.5, 0, 99999.99, -40]
    return [
        _pairs("completion_rate", "actual", "plan"),
        _pairs("growth_rate", "this", "last"),
        _pairs("credit_usage", "balance", "limit"),
        # SP_FORECAST(ytd, as_of) against the native YTD / progress, with the progress
        # written as the value planning.time_progress gives for the as-of date
        Case(
            "forecast",
            {"ytd": ytds, "as_of": AS_OF_DATES, "progress": progress},
            {"ytd": "ytd", "progress": "progress"},
            ["ytd", "as_of"],
        ),
        # ... and the call the renderer writes with --formulas udf: SP_FORECAST(ytd, progress)
        Case(
            "forecast",
            {"ytd": ytds, "progress": [*progress[:5], 0]},
            {"ytd": "ytd", "progress": "progress"},
            ["ytd", "progress"],
        ),
        Case(
            "overdue_days",
            {"due": dues, "as_of": [AS_OF] * len(dues)},
            {"due": "due", "as_of": "as_of"},
            ["due", "as_of"],
        ),
        # SP_AGEING(due, as_of) against the native bucket of the native overdue days
        Case(
            "ageing_bucket",
            {"due": dues, "as_of": [AS_OF] * len(dues)},
            {"days": "days"},
            ["due", "as_of"],
            helpers={"days": "overdue_days"},
        ),
        # ... and SP_AGEING(days), the --formulas udf call
        Case("ageing_bucket", {"days": [*DAYS, None]}, {"days": "days"}, ["days"]),
        # a blank score is "" for the UDF (no score, no grade) but C for the formula:
        # reported to the lead, left out here
        Case(
            "credit_grade",
            {"score": [95, 90, 89.9, 80, 79.99, 70, 69.5, 60, 59, 0, -5, 100.5]},
            {"score": "score"},
            ["score"],
        ),
        Case(
            "abc_class",
            {"value": [10, 50, 30, 5, 5, 0, 1e-3, 50, 7.5, 12]},
            {"value": "value"},
            ["value"],
        ),
        Case("abc_class", {"value": [0, 0, 0]}, {"value": "value"}, ["value"]),
        # a blank amount is "" for the UDF but 零元整 for the formula: left out (reported)
        Case(
            "rmb_upper",
            {
                "amount": [
                    0,
                    100000,
                    0.05,
                    10.05,
                    1000000.01,
                    -1680.32,
                    107000.53,
                    1409.5,
                    6007.14,
                    100000001.01,
                    987654321098.76,  # the native formula stops below 10^12 yuan
                    0.004,
                    2.675,
                    90000000.1,
                    1010101.01,
                ]
            },
            {"amount": "amount"},
            ["amount"],
        ),
    ]


CASES = _cases()


def _col(i: int) -> str:
    return xlsxwriter.utility.xl_col_to_name(i)


def _write(path: Path) -> list[tuple[str, Case, int, int]]:
    """The workbook; returns (sheet, case, first data row, result column) per case."""
    wb = xlsxwriter.Workbook(path)
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    placed = []
    for k, case in enumerate(CASES):
        sheet = f"{case.measure[:24]}_{k}"
        ws = wb.add_worksheet(sheet)
        headers = list(case.inputs)
        n = len(next(iter(case.inputs.values())))
        where = {h: i for i, h in enumerate(headers)}
        for i, h in enumerate(headers):
            ws.write_string(0, i, h)
            for r, v in enumerate(case.inputs[h], start=1):
                if isinstance(v, dt.date):
                    ws.write_datetime(r, i, dt.datetime.combine(v, dt.time()), date_fmt)
                elif v is not None:
                    ws.write_number(r, i, v)
        for name in case.helpers:
            where[name] = len(where)
            ws.write_string(0, where[name], name)
        result_col = len(where)
        ws.write_string(0, result_col, case.measure)
        for r in range(1, n + 1):
            cell = {h: f"{_col(c)}{r + 1}" for h, c in where.items()}
            for name, helper in case.helpers.items():
                m = MEASURES[helper]
                ws.write_formula(r, where[name], "=" + m.excel({p: cell[p] for p in m.params}))
            m = get(case.measure)
            refs = {placeholder: cell[header] for placeholder, header in case.refs.items()}
            if m.vector:  # the whole column, and the column down to this row
                c = _col(where[m.params[0]])
                refs[f"{m.params[0]}@all"] = f"${c}$2:${c}${n + 1}"
                refs[f"{m.params[0]}@upto"] = f"${c}$2:{c}{r + 1}"
            ws.write_formula(r, result_col, "=" + m.excel(refs))
        placed.append((sheet, case, 1, result_col))
    wb.close()
    return placed


def _day(v):
    """Dates compared as dates (calamine gives datetimes for date cells)."""
    return v.date() if isinstance(v, dt.datetime) else v


def _same(udf_value, lo_value) -> bool:
    """Numbers to 1e-9 relative, anything else exactly; None is an empty cell ("")."""
    udf_value = "" if udf_value is None else udf_value
    lo_value = "" if lo_value is None else lo_value
    if isinstance(lo_value, bool):
        lo_value = float(lo_value)
    if isinstance(udf_value, int | float) and isinstance(lo_value, int | float):
        return math.isclose(udf_value, lo_value, rel_tol=1e-9, abs_tol=1e-12)
    return udf_value == lo_value


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    need_libreoffice()
    root = tmp_path_factory.mktemp("udf-parity")
    placed = _write(root / "parity.xlsx")
    out = recalculate(root / "parity.xlsx", root / "lo")
    wb = CalamineWorkbook.from_path(str(out))
    grids = {s: wb.get_sheet_by_name(s).to_python(skip_empty_area=False) for s, *_ in placed}
    return placed, grids


def test_every_measure_with_a_udf_is_checked():
    get("ageing_bucket")
    covered = {c.measure for c in CASES}
    for m in MEASURES.values():
        if m.udf and m.formula is not None:
            assert m.name in covered, f"no parity case for {m.name} ({m.udf})"
    assert covered == {m.name for m in MEASURES.values() if m.udf}


@pytest.mark.parametrize(
    "k", range(len(CASES)), ids=[f"{c.measure}-{i}" for i, c in enumerate(CASES)]
)
def test_udf_equals_libreoffice(recalculated, k):
    placed, grids = recalculated
    sheet, case, first, result_col = placed[k]
    grid = grids[sheet]
    headers = list(case.inputs) + list(case.helpers)
    n = len(next(iter(case.inputs.values())))

    def column(header):  # what xlwings passes: a 2-D column, empty cells as None
        c = headers.index(header)
        return [[None if grid[r][c] == "" else grid[r][c]] for r in range(first, first + n)]

    args = [column(h) for h in case.udf_args]
    for h, values in case.inputs.items():  # the inputs survived the round trip
        got = [_day(v[0]) for v in column(h)]  # (LibreOffice saves 15 significant digits)
        assert all(_same(g, _day(v)) for g, v in zip(got, values, strict=True)), h

    m = get(case.measure)
    out = getattr(udfs, m.udf)(*args)
    out = out if isinstance(out, list) else [[out]]
    lo = [grid[r][result_col] for r in range(first, first + n)]
    udf_values = [row[0] for row in out]
    assert len(udf_values) == n
    problems = [
        f"row {i + 2}: inputs {[a[i][0] for a in args]}: UDF {u!r}, LibreOffice {v!r}"
        for i, (u, v) in enumerate(zip(udf_values, lo, strict=True))
        if not _same(u, v)
    ]
    assert not problems, f"{m.udf} vs {m.excel({p: p for p in m.placeholders()})}:\n" + "\n".join(
        problems
    )
    # and the same values one cell at a time
    for i in range(n):
        single = getattr(udfs, m.udf)(*[a[i][0] for a in args])
        if not m.vector:
            assert _same(single, lo[i]), (i, single, lo[i])
