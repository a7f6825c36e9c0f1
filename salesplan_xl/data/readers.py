"""Read the user's input (one workbook, or a folder of CSV files) into a :class:`Dataset`.

Input forms
-----------
- A workbook (``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``) with one sheet per table, read
  with python-calamine: cached cell values only, formulas are never evaluated and
  external links never followed.
- A folder of CSV files, one per table (``客户.csv`` or ``customers.csv`` ...), in UTF-8
  (with or without BOM) or GBK / GB18030; comma, tab or semicolon separated.

Sheets and files are matched by the table's Chinese or English name or an alias
(:mod:`salesplan_xl.data.schema`), ignoring case and spaces; other sheets are ignored.
The header is the first of the first 10 rows that holds all required headers of the
table (a title row and blank rows above it are skipped). Fully blank rows are skipped.

Problems
--------
Everything wrong is collected and raised as one :class:`InputError`. Each
:class:`Problem` names: ``file`` (the path as given; for a CSV folder, the folder path
joined with the CSV file name), ``sheet`` (the sheet name as found; ``None`` for CSV),
``row`` (1-based, as the user sees it, counting title and header rows), ``column`` (the
header as found, or the expected Chinese header when missing). Message forms
(``str(problem)``)::

    data.xlsx: expected a sheet named 客户 (or customers), found sheets 说明, Sheet1
    data.xlsx: expected a file of at most 200 MB, found 312.4 MB
    data.xlsx: expected an Excel workbook (.xlsx, .xlsm, .xls or .ods), found a file that cannot be read (...)
    data.xlsx, sheet 销售: expected at most 1048576 rows, found 1048577 rows
    data/销售.csv: expected at most 1048576 rows, found more than 1048576 rows
    data.xlsx, sheet 销售: expected one sheet for table 销售, found sheets 销售 and sales
    data.xlsx, sheet 客户, row 2, column 区域: expected a column 区域 (region) in the header row, found headers 客户编号, 客户名称
    data.xlsx, sheet 客户, column 客户编号: expected a header row with column 客户编号 (customer id) in the first 10 rows, found no header row
    data.xlsx, sheet 销售, row 1, column 月份: expected a column 月份 (month) or 日期 (date) in the header row, found headers 客户编号, 销售额
    data.xlsx, sheet 客户, row 2, column 客户编码: expected one column for 客户编号, found columns 客户代码 and 客户编码
    data.xlsx, sheet 客户, row 7, column 客户编号: expected a customer id, found a blank cell
    data.xlsx, sheet 客户, row 7, column 客户编号: expected a unique customer id, found 'C0007' (also on row 3)
    data.xlsx, sheet 销售, row 5, column 客户编号: expected a customer id listed on sheet 客户, found 'C9999'
    data.xlsx, sheet 客户, row 4, column 业务员编号: expected a rep id listed on sheet 业务员, found 'R99'
    data.xlsx, sheet 销售, row 5, column 销售额: expected a non-negative amount, found -120
    data.xlsx, sheet 销售, row 5, column 销售额: expected an amount of money such as 1234.50, found 'abc'
    data.xlsx, sheet 销售, row 5, column 月份: expected a month from 2023-01 to 2026-12, found '2019-03'
    data.xlsx, sheet 销售, row 5, column 月份: expected a month or a date, found a blank cell
    data.xlsx, sheet 销售, row 5, column 月份: expected the month of 日期 (2025-03), found '2025-04'
    data.xlsx, sheet 应收, row 4, column 已收: expected no more than the invoice amount (1,000.00), found 1200
    data.xlsx, sheet 应收, row 4, column 到期日: expected a date on or after the invoice date (2025-03-05), found '2025-03-01'
    data/客户.csv: expected a CSV file in UTF-8 or GBK encoding, found undecodable bytes
    data/客户.csv, row 3, column 客户编号: expected a unique customer id, found 'C1' (also on row 2)

``found`` shows text in single quotes, numbers plainly, dates as ``YYYY-MM-DD``,
blank cells as ``a blank cell``. Problems are ordered by table (客户, 业务员, 销售, 应收,
拜访, 产品), then row, then column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook, PasswordError

from salesplan_xl.data import normalise as nz
from salesplan_xl.data import schema
from salesplan_xl.data.dataset import Dataset
from salesplan_xl.data.xlsx_bounds import MAX_COLUMNS, bound_problems
from salesplan_xl.errors import InputError, Problem

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_ROWS = 1_048_576
HEADER_SEARCH_ROWS = 10
DEFAULT_CREDIT_DAYS = 30
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_CSV_ENCODINGS = ("utf-8-sig", "gb18030")
_CSV_FIELD_LIMIT = csv.field_size_limit()  # 131,072 characters

_CONVERT = {
    schema.TEXT: nz.clean_text,
    schema.MONEY: nz.money,
    schema.NUMBER: nz.number,
    schema.INT: nz.integer,
    schema.DATE: nz.date,
    schema.MONTH: nz.month,
    schema.BOOL: nz.boolean,
    schema.PERCENT: nz.percent,
}

_MAX_MONEY = float(nz.MAX_MONEY)
_BAD = object()  # marks a cell that produced a problem


def describe(value: object) -> str:
    """How a raw cell value is shown after "found"."""
    if nz.is_blank(value):
        return "a blank cell"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return nz._number_text(value) if math.isfinite(value) else str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = nz.printable(str(value).strip(nz._STRIP))
    if len(text) > 60:
        text = text[:57] + "..."
    return f"'{text}'"


def _article(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


@dataclass
class _Sheet:
    """Raw cells of one table's sheet or CSV file; ``rows[i]`` is the user's row i+1."""

    table: schema.Table
    file: str
    sheet: str | None
    rows: list[list]
    listed_as: str  # "sheet 客户" or "客户.csv", for cross-reference messages


@dataclass
class _Parsed:
    sheet: _Sheet
    headers: dict[str, tuple[int, str]] = field(default_factory=dict)  # key -> (col, text)
    rownums: list[int] = field(default_factory=list)  # user row number of each record
    values: dict[str, list] = field(default_factory=dict)  # key -> clean values (or _BAD)
    raw: dict[str, list] = field(default_factory=dict)  # key -> raw cells
    complete: bool = False  # all required columns present

    def cell(self, key: str) -> tuple[int, str]:
        """(column index, header as found) of a column."""
        return self.headers[key]


class _Problems:
    """Problems with a sort key (table, row, column, arrival order)."""

    def __init__(self) -> None:
        self._items: list[tuple[int, int, int, int, Problem]] = []

    def add(self, problem: Problem, table: int = -1, col: int = -1) -> None:
        row = -1 if problem.row is None else problem.row
        self._items.append((table, row, col, len(self._items), problem))

    def __bool__(self) -> bool:
        return bool(self._items)

    def sorted(self) -> list[Problem]:
        return [item[-1] for item in sorted(self._items, key=lambda t: t[:4])]


# -- reading files ---------------------------------------------------------------------


def size_problem(path: Path, label: str) -> Problem | None:
    """A Problem when the file is over MAX_FILE_BYTES (also used for filled kits)."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return Problem(
            file=label,
            expected=f"a file of at most {MAX_FILE_BYTES // (1024 * 1024)} MB",
            found=f"{size / (1024 * 1024):.1f} MB",
        )
    return None


def _match_sources(names: list[str], strip_suffix: bool) -> dict[str, list[str]]:
    lookup = schema.table_lookup()
    out: dict[str, list[str]] = {}
    for name in names:
        stem = name.rsplit(".", 1)[0] if strip_suffix else name
        key = lookup.get(schema.header_key(stem))
        if key:
            out.setdefault(key, []).append(name)
    return out


def _read_workbook(path: Path, label: str, problems: _Problems) -> list[_Sheet]:
    bad_size = size_problem(path, label)
    if bad_size:
        problems.add(bad_size)
        return []
    beyond = bound_problems(path, label) if path.suffix.lower() in (".xlsx", ".xlsm") else []
    if beyond:
        for p in beyond:
            problems.add(p)
        return []
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except PasswordError:
        problems.add(
            Problem(
                file=label,
                expected="a workbook without a password",
                found="a password-protected workbook",
            )
        )
        return []
    except Exception as exc:  # calamine raises several types for unreadable files
        problems.add(
            Problem(
                file=label,
                expected="an Excel workbook (.xlsx, .xlsm, .xls or .ods)",
                found=f"a file that cannot be read ({exc})",
            )
        )
        return []
    names = list(wb.sheet_names)
    matched = _match_sources(names, strip_suffix=False)
    sheets: list[_Sheet] = []
    for ti, table in enumerate(schema.TABLES):
        found = matched.get(table.key, [])
        if not found:
            if not table.optional:
                problems.add(
                    Problem(
                        file=label,
                        expected=f"a sheet named {table.zh} (or {table.en})",
                        found="sheets " + (", ".join(names) or "none"),
                    ),
                    ti,
                )
            continue
        if len(found) > 1:
            problems.add(
                Problem(
                    file=label,
                    sheet=found[1],
                    expected=f"one sheet for table {table.zh}",
                    found="sheets " + " and ".join(found),
                ),
                ti,
            )
            continue
        ws = wb.get_sheet_by_name(found[0])
        height = ws.end[0] + 1 if ws.end else 0  # rows from row 1 to the last used row
        if height > MAX_ROWS:
            problems.add(
                Problem(
                    file=label,
                    sheet=found[0],
                    expected=f"at most {MAX_ROWS} rows",
                    found=f"{height} rows",
                ),
                ti,
            )
            continue
        rows = ws.to_python(skip_empty_area=False)
        sheets.append(_Sheet(table, label, found[0], rows, f"sheet {found[0]}"))
    wb.close()
    return sheets


def _decode_csv(data: bytes) -> str | None:
    for enc in _CSV_ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


def _csv_delimiter(text: str) -> str:
    head = text[:8192].splitlines()[: HEADER_SEARCH_ROWS + 1]
    counts = {d: sum(line.count(d) for line in head) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv_folder(path: Path, label: str, problems: _Problems) -> list[_Sheet]:
    names = sorted(p.name for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    matched = _match_sources(names, strip_suffix=True)
    sheets: list[_Sheet] = []
    for ti, table in enumerate(schema.TABLES):
        found = matched.get(table.key, [])
        if not found:
            if not table.optional:
                problems.add(
                    Problem(
                        file=label,
                        expected=f"a file {table.zh}.csv (or {table.en}.csv)",
                        found="files " + (", ".join(names) or "none"),
                    ),
                    ti,
                )
            continue
        if len(found) > 1:
            problems.add(
                Problem(
                    file=os.path.join(label, found[1]),
                    expected=f"one file for table {table.zh}",
                    found="files " + " and ".join(found),
                ),
                ti,
            )
            continue
        name = found[0]
        flabel = os.path.join(label, name)
        bad_size = size_problem(path / name, flabel)
        if bad_size:
            problems.add(bad_size, ti)
            continue
        text = _decode_csv((path / name).read_bytes())
        if text is None:
            problems.add(
                Problem(
                    file=flabel,
                    expected="a CSV file in UTF-8 or GBK encoding",
                    found="undecodable bytes",
                ),
                ti,
            )
            continue
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_csv_delimiter(text))
        rows: list[list] = []
        too_wide = False
        try:
            for record in reader:
                if len(record) > MAX_COLUMNS:
                    too_wide = True
                    problems.add(
                        Problem(
                            file=flabel,
                            row=reader.line_num,
                            expected=f"at most {MAX_COLUMNS} columns",
                            found=f"{len(record)} columns",
                        ),
                        ti,
                    )
                    break
                rows.append(record)
                if len(rows) > MAX_ROWS:
                    break
        except csv.Error as exc:  # a field beyond csv's limit, a NUL byte ...
            problems.add(
                Problem(
                    file=flabel,
                    row=reader.line_num,
                    expected=f"CSV text with fields of at most {_CSV_FIELD_LIMIT:,} characters",
                    found=str(exc),
                ),
                ti,
            )
            continue
        if too_wide:
            continue
        if len(rows) > MAX_ROWS:
            problems.add(
                Problem(
                    file=flabel,
                    expected=f"at most {MAX_ROWS} rows",
                    found=f"more than {MAX_ROWS} rows",
                ),
                ti,
            )
            continue
        sheets.append(_Sheet(table, flabel, None, rows, name))
    return sheets


# -- parsing one table ------------------------------------------------------------------


def _header_text(cell: object) -> str:
    return nz.printable(str(cell).strip(nz._STRIP)) if not isinstance(cell, float) else describe(cell)


def _scan_header_row(table: schema.Table, row: list, lookup: dict[str, str]):
    """Map a candidate header row: key -> (col, text, rank); plus duplicate clashes."""
    found: dict[str, tuple[int, str, int]] = {}
    clashes: list[tuple[str, int, str, str]] = []  # key, col, kept text, other text
    for j, cell in enumerate(row):
        if nz.is_blank(cell) or not isinstance(cell, str):
            continue
        key = None
        for hk in schema.header_keys(cell):
            key = lookup.get(hk)
            if key:
                break
        if key is None:
            continue
        text = _header_text(cell)
        names = [schema.header_key(n) for n in table.column(key).names]
        hk0 = schema.header_keys(cell)
        rank = min((names.index(h) for h in hk0 if h in names), default=len(names))
        rank = 0 if rank <= 1 else 2  # Chinese header or key beat any alias
        if key in found:
            fj, ftext, frank = found[key]
            if rank < frank:
                found[key] = (j, text, rank)
            elif rank == frank:
                clashes.append((key, j, ftext, text))
        else:
            found[key] = (j, text, rank)
    return found, clashes


def _has_required(table: schema.Table, found: dict) -> bool:
    if not all(c.key in found for c in table.required_columns):
        return False
    return all(any(k in found for k in group) for group in table.one_of)


def _parse_sheet(sh: _Sheet, ti: int, problems: _Problems) -> _Parsed:
    table = sh.table
    parsed = _Parsed(sh)
    lookup = schema.header_lookup(table)

    def problem(row, column, expected, found, col=-1):
        problems.add(
            Problem(
                file=sh.file, sheet=sh.sheet, row=row, column=column, expected=expected, found=found
            ),
            ti,
            col,
        )

    header_row = None
    best: tuple[int, dict, list] | None = None
    for i, row in enumerate(sh.rows[:HEADER_SEARCH_ROWS]):
        found, clashes = _scan_header_row(table, row, lookup)
        if _has_required(table, found):
            header_row, best = i, (i, found, clashes)
            break
        if found and (best is None or len(found) > len(best[1])):
            best = (i, found, clashes)

    if best is None:
        for col in table.required_columns:
            problem(
                None,
                col.zh,
                f"a header row with column {col.zh} ({col.label}) in the first "
                f"{HEADER_SEARCH_ROWS} rows",
                "no header row",
            )
        return parsed

    hi, found, clashes = best
    shown = [_header_text(c) for c in sh.rows[hi] if not nz.is_blank(c)]
    shown_text = "headers " + ", ".join(shown[:12]) + (", ..." if len(shown) > 12 else "")
    if header_row is None:
        for col in table.required_columns:
            if col.key not in found:
                problem(
                    hi + 1, col.zh, f"a column {col.zh} ({col.label}) in the header row", shown_text
                )
        for group in table.one_of:
            if not any(k in found for k in group):
                cols = [table.column(k) for k in group]
                alts = " or ".join(f"{c.zh} ({c.label})" for c in cols)
                problem(hi + 1, cols[0].zh, f"a column {alts} in the header row", shown_text)
    for key, j, kept, other in clashes:
        problem(
            hi + 1,
            other,
            f"one column for {table.column(key).zh}",
            f"columns {kept} and {other}",
            j,
        )
    parsed.headers = {k: (j, text) for k, (j, text, _rank) in found.items()}
    if header_row is None or clashes:
        return parsed
    parsed.complete = True

    body = sh.rows[hi + 1 :]
    kept = [(i + hi + 2, row) for i, row in enumerate(body) if not _blank_row(row)]
    parsed.rownums = [r for r, _ in kept]
    for key, (j, text) in sorted(parsed.headers.items(), key=lambda kv: kv[1][0]):
        col = table.column(key)
        raws = [row[j] if j < len(row) else None for _, row in kept]
        values = _convert_column(col, raws)
        seen: dict[object, int] = {}
        for k, value in enumerate(values):
            if isinstance(value, nz.BadValue):
                problem(parsed.rownums[k], text, value.expected, describe(raws[k]), j)
                values[k] = _BAD
            elif isinstance(value, str) and len(value) > col.text_limit:
                problem(
                    parsed.rownums[k],
                    text,
                    f"text of at most {col.text_limit:,} characters",
                    f"{len(value):,} characters",
                    j,
                )
                values[k] = _BAD
            elif value is None:
                if not col.nullable:
                    problem(parsed.rownums[k], text, _article(col.label), "a blank cell", j)
                    values[k] = _BAD
            elif (col.min is not None and value < col.min) or (
                col.max is not None and value > col.max
            ):
                problem(parsed.rownums[k], text, _range_text(col), describe(raws[k]), j)
                values[k] = _BAD
            elif col.unique:
                if value in seen:
                    problem(
                        parsed.rownums[k],
                        text,
                        f"a unique {col.label}",
                        f"'{value}' (also on row {seen[value]})",
                        j,
                    )
                    values[k] = _BAD
                else:
                    seen[value] = parsed.rownums[k]
        parsed.values[key] = values
        parsed.raw[key] = raws
    return parsed


def _blank_row(row: list) -> bool:
    for c in row:
        if c is None or c == "":
            continue
        if isinstance(c, str) and not c.strip(nz._STRIP):
            continue
        return False
    return True


def _convert_column(col: schema.Column, raws: list) -> list:
    """Clean values, or the :class:`BadValue` raised, for a column of raw cells."""
    if col.type == schema.CHOICE:
        choices = col.choices

        def convert(v):
            return nz.choice(v, choices)
    else:
        convert = _CONVERT[col.type]
    out: list = []
    append = out.append
    if col.type == schema.MONEY:
        for v in raws:
            if type(v) is float and math.isfinite(v) and abs(v) < _MAX_MONEY:
                r = round(v, 2)
                if abs(v - r) < 1e-9:
                    append(r + 0.0)
                    continue
            try:
                append(convert(v))
            except nz.BadValue as exc:
                append(exc)
        return out
    memo: dict[tuple[type, object], object] = {}
    for v in raws:
        mk = (type(v), v)
        try:
            hit = memo.get(mk, memo)
        except TypeError:  # unhashable: not expected from calamine or csv
            hit = memo
        if hit is not memo:
            append(hit)
            continue
        try:
            res = convert(v)
        except nz.BadValue as exc:
            res = exc
        if len(memo) < 100_000:
            memo[mk] = res
        append(res)
    return out


def convert_value(col: schema.Column, value: object) -> object:
    """One raw value of ``col`` cleaned (``None`` for blank), or :class:`nz.BadValue`;
    the column's range is checked too."""
    res = _convert_column(col, [value])[0]
    if isinstance(res, nz.BadValue):
        raise res
    if res is not None and (
        (col.min is not None and res < col.min) or (col.max is not None and res > col.max)
    ):
        raise nz.BadValue(_range_text(col))
    return res


def _range_text(col: schema.Column) -> str:
    noun = "amount" if col.type == schema.MONEY else "number"
    if col.min == 0 and col.max is None:
        return f"a non-negative {noun}"
    lo = "" if col.min is None else nz._number_text(float(col.min))
    hi = "" if col.max is None else nz._number_text(float(col.max))
    if col.max is None:
        return f"{_article(noun)} of at least {lo}"
    if col.min is None:
        return f"{_article(noun)} of at most {hi}"
    return f"{_article(noun)} from {lo} to {hi}"


# -- cross-table checks ----------------------------------------------------------------


def _ok(value: object) -> bool:
    return value is not None and value is not _BAD


def _check_references(
    parsed: _Parsed,
    ti: int,
    key: str,
    known: set[str] | None,
    listed_as: str,
    noun: str,
    problems: _Problems,
) -> None:
    if known is None or key not in parsed.headers:
        return
    j, text = parsed.cell(key)
    sh = parsed.sheet
    where = f"on {listed_as}" if listed_as.startswith("sheet ") else f"in {listed_as}"
    for k, v in enumerate(parsed.values[key]):
        if _ok(v) and v not in known:
            problems.add(
                Problem(
                    file=sh.file,
                    sheet=sh.sheet,
                    row=parsed.rownums[k],
                    column=text,
                    expected=f"{_article(noun)} listed {where}",
                    found=f"'{v}'",
                ),
                ti,
                j,
            )


def _check_sales(parsed: _Parsed, ti: int, year: int, history_years: int, problems: _Problems):
    """Month from date where missing; month and date agree; month within the window."""
    sh = parsed.sheet
    first = f"{year - history_years:04d}-01"
    last = f"{year:04d}-12"
    n = len(parsed.rownums)
    months = parsed.values.get("month", [None] * n)
    dates = parsed.values.get("date", [None] * n)
    mcol = parsed.headers.get("month")
    dcol = parsed.headers.get("date")

    def add(k, cell, expected, found):
        j, text = cell
        problems.add(Problem(sh.file, sh.sheet, parsed.rownums[k], text, expected, found), ti, j)

    out: list = []
    for k in range(n):
        m, d = months[k], dates[k]
        if m is _BAD or d is _BAD:
            out.append(_BAD)
            continue
        if m is None and d is None:
            add(k, mcol or dcol, "a month or a date", "a blank cell")
            out.append(_BAD)
            continue
        if d is not None:
            dm = f"{d.year:04d}-{d.month:02d}"
            if m is not None and m != dm:
                add(k, mcol, f"the month of {dcol[1]} ({dm})", describe(parsed.raw["month"][k]))
                out.append(_BAD)
                continue
        if m is None:
            m, cell, raw = dm, dcol, parsed.raw["date"][k]
        else:
            cell, raw = mcol, parsed.raw["month"][k]
        if not first <= m <= last:
            add(k, cell, f"a month from {first} to {last}", describe(raw))
            out.append(_BAD)
            continue
        out.append(m)
    parsed.values["month"] = out


def _check_invoices(parsed: _Parsed, ti: int, problems: _Problems) -> None:
    """Amount received not above the amount; due date not before the invoice date."""
    sh = parsed.sheet
    n = len(parsed.rownums)
    amounts = parsed.values["amount"]
    paid = parsed.values.get("paid", [None] * n)
    starts = parsed.values["invoice_date"]
    dues = parsed.values.get("due_date", [None] * n)
    for k in range(n):
        a, p = amounts[k], paid[k]
        if _ok(a) and _ok(p) and p > a:
            j, text = parsed.cell("paid")
            problems.add(
                Problem(
                    sh.file,
                    sh.sheet,
                    parsed.rownums[k],
                    text,
                    f"no more than the invoice amount ({a:,.2f})",
                    describe(parsed.raw["paid"][k]),
                ),
                ti,
                j,
            )
        start, due = starts[k], dues[k]
        if _ok(start) and _ok(due) and due < start:
            j, text = parsed.cell("due_date")
            problems.add(
                Problem(
                    sh.file,
                    sh.sheet,
                    parsed.rownums[k],
                    text,
                    f"a date on or after the invoice date ({start.isoformat()})",
                    describe(parsed.raw["due_date"][k]),
                ),
                ti,
                j,
            )


# -- building the Dataset ---------------------------------------------------------------


def _frame(parsed: _Parsed | None, table: schema.Table) -> pd.DataFrame:
    if parsed is None:
        return pd.DataFrame(columns=list(table.keys))
    keys = [k for k in table.keys if k in parsed.values]
    return pd.DataFrame({k: parsed.values[k] for k in keys}, columns=keys)


def load_data(path: str | os.PathLike, *, year: int, history_years: int = 3) -> Dataset:
    """Load, normalise and validate the input at ``path`` (a workbook or a CSV folder).

    Sales months must fall in [January of ``year - history_years``, December of ``year``].
    Raises :class:`InputError` with every problem found; nothing is returned partially.
    """
    label = os.fspath(path)
    p = Path(label)
    problems = _Problems()
    if p.is_dir():
        sheets = _read_csv_folder(p, label, problems)
    elif p.is_file():
        if p.suffix.lower() not in WORKBOOK_SUFFIXES:
            raise InputError(
                Problem(
                    file=label,
                    expected="an Excel workbook (.xlsx, .xlsm, .xls or .ods) or a folder of CSV files",
                    found=f"a {p.suffix or 'suffix-less'} file",
                )
            )
        sheets = _read_workbook(p, label, problems)
    else:
        raise InputError(
            Problem(
                file=label,
                expected="an Excel workbook or a folder of CSV files",
                found="nothing at that path",
            )
        )

    order = {t.key: i for i, t in enumerate(schema.TABLES)}
    parsed: dict[str, _Parsed] = {}
    for sh in sheets:
        parsed[sh.table.key] = _parse_sheet(sh, order[sh.table.key], problems)

    def known(table_key: str, key: str) -> tuple[set[str] | None, str]:
        pt = parsed.get(table_key)
        if pt is None or not pt.complete:
            return None, ""
        return {v for v in pt.values[key] if _ok(v)}, pt.sheet.listed_as

    customer_ids, customers_at = known("customers", "customer_id")
    rep_ids, reps_at = known("reps", "rep_id")
    for tkey, key, ids, at, noun in (
        ("customers", "rep_id", rep_ids, reps_at, "rep id"),
        ("sales", "customer_id", customer_ids, customers_at, "customer id"),
        ("invoices", "customer_id", customer_ids, customers_at, "customer id"),
        ("visits", "customer_id", customer_ids, customers_at, "customer id"),
        ("visits", "rep_id", rep_ids, reps_at, "rep id"),
    ):
        pt = parsed.get(tkey)
        if pt is not None and pt.complete:
            _check_references(pt, order[tkey], key, ids, at, noun, problems)
    if "sales" in parsed and parsed["sales"].complete:
        _check_sales(parsed["sales"], order["sales"], year, history_years, problems)
    if "invoices" in parsed and parsed["invoices"].complete:
        _check_invoices(parsed["invoices"], order["invoices"], problems)

    if problems:
        raise InputError(problems.sorted())

    _fill_invoice_defaults(parsed)
    frames = {t.key: _frame(parsed.get(t.key), t) for t in schema.TABLES}
    return Dataset.from_frames(source=label, **frames)


def _fill_invoice_defaults(parsed: dict[str, _Parsed]) -> None:
    """Due date: given, else invoice date + the customer's credit days, else + 30 days.
    Amount received: blank is 0."""
    inv = parsed.get("invoices")
    if inv is None:
        return
    cust = parsed.get("customers")
    days: dict[str, int | None] = {}
    if cust is not None and "credit_days" in cust.values:
        days = dict(zip(cust.values["customer_id"], cust.values["credit_days"], strict=True))
    n = len(inv.rownums)
    dues = inv.values.get("due_date", [None] * n)
    for k, start in enumerate(inv.values["invoice_date"]):
        if dues[k] is None:
            cd = days.get(inv.values["customer_id"][k])
            cd = DEFAULT_CREDIT_DAYS if cd is None else cd
            dues[k] = start + dt.timedelta(days=int(cd))
    inv.values["due_date"] = dues
    inv.values["paid"] = [0.0 if v is None else v for v in inv.values.get("paid", [None] * n)]
