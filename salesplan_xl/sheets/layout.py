"""Lay out a list or grid sheet: where every cell goes and what it holds.

This is the generic part of the generator: given a :class:`SheetSpec` and the rows its
source produced, it places the title, header, data rows, group subtotals and the total
row, computes every measure column with the Python function of its measure (the value
cached in the cell) and builds the matching Excel formula. No XlsxWriter here: the
result is a :class:`SheetLayout` that ``render/`` writes.

Argument tokens of a measure column (``args`` in the spec):

=================  =======================================  ===========================
token              Excel reference                          Python value
=================  =======================================  ===========================
``col``            the cell of column ``col`` in this row   that cell's value
``col@group``      the column's cell in the group subtotal  the group's subtotal
``col@total``      the column's cell in the total row       the total
``$setting``       the defined name of a 参数 setting        the setting's value
``sheet.col@total``  the home column's total cell            its total
``sheet.col@all``  the home column's data rows (a name)     its values
``sheet.col``      column ``col`` of sheet ``sheet`` (its id,  that sheet's value for the
                   e.g. ``9.3.2.total``) in the row of the     same customer
                   same ``customer_id``, through the column's
                   defined name: ``INDEX(t_9_3_2_total,7)``
``[a, b, c]``      ``A5:C5`` (or ``A5,C5,..``)               the list of values
a number           the number                               the number
=================  =======================================  ===========================
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .. import measures
from .cell import Cell
from .spec import Column, SheetSpec, render_text, wrapped_lines

TITLE_ROW, SUBTITLE_ROW, HEADER_ROW = 0, 1, 2
#: Rows added to the window of ``{param@near}`` beyond the longest run of equal values.
NEAR_SLACK = 10


@cache
def col_name(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


@dataclass(frozen=True)
class Setting:
    """A named cell on the 参数 sheet: formulas use ``name``, Python uses ``value``."""

    name: str
    value: Any


@dataclass
class Validation:
    first_row: int
    last_row: int
    col: int
    kind: str  # list | decimal | whole | date | length
    source: str | None = None  # a defined name for list
    minimum: Any = None
    maximum: Any = None
    title: str = ""
    message: str = ""


@dataclass
class Alert:
    first_row: int
    last_row: int
    col: int
    op: str
    value: str  # an Excel expression: number, quoted text, name or cell ref (row-relative)
    style: str
    databar: bool = False


@dataclass
class SheetLayout:
    spec: SheetSpec
    name: str
    cells: list[Cell] = field(default_factory=list)  # typed records (sheets/cell.py)
    merges: list[tuple] = field(default_factory=list)  # (r1, c1, r2, c2, value, role)
    widths: list[float] = field(default_factory=list)
    header_row: int = HEADER_ROW
    first_row: int = HEADER_ROW + 1
    last_row: int = HEADER_ROW  # last data row (incl. extra rows), < first_row when empty
    total_row: int | None = None
    validations: list[Validation] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    table: bool = False
    landscape: bool = False
    links: list[tuple] = field(default_factory=list)  # (row, col, target sheet, text)
    charts: list[dict] = field(default_factory=list)
    values: dict[str, list] = field(default_factory=dict)  # data-row values by column key
    totals: dict[str, Any] = field(default_factory=dict)  # total-row values by column key
    named_cells: dict[str, tuple[int, int]] = field(default_factory=dict)  # setting key -> cell
    row_of: list[int] = field(default_factory=list)  # data row i -> sheet row
    col_of: dict[str, int] = field(default_factory=dict)  # column key -> sheet column
    hidden: bool = False

    def ref(self, key: str, i: int) -> str:
        """Data row ``i`` of column ``key``, from another sheet: through the column's
        defined name (``INDEX(t_P5_target,4)``), never by column letter."""
        return f"INDEX({self.column_range(key)},{self.row_of[i] - self.first_row + 1})"

    def column_range(self, key: str) -> str:
        """The defined name of column ``key``'s data rows (first to last, subtotal rows
        included), e.g. ``t_9_3_1_ytd``."""
        name = column_name(self.spec.id, key)
        if name not in self.names:
            raise KeyError(f"{self.spec.id}: column {key!r} has no rows to name")
        return name

    hidden: bool = False  # a helper sheet (e.g. the forms' customer lookup)
    row_heights: dict[int, float] = field(default_factory=dict)  # row -> height in points
    names: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)  # name -> range
    fit_pages: tuple[int, int] = (1, 0)  # print: pages wide, pages tall (0: as needed)


def is_home_token(tok) -> bool:
    """A ``sheet.col`` token (a fact read from its home sheet)."""
    return isinstance(tok, str) and "." in tok and not tok.startswith("$")


class _Homes:
    """``sheet.col`` tokens: a fact read from its home sheet, in the row of the same
    customer. Rows the kit lists are matched when laid out (a direct ``INDEX`` into the
    home column's defined name, constant cost per cell); the blank rows left for the
    user look the typed customer id up (``INDEX``/``MATCH``)."""

    MARK = "{home:"

    def __init__(self, ctx, rows: list[dict], n_data: int):
        self.layouts = ctx.cache.get("layouts", {})
        self.ids = [row.get("customer_id") for row in rows[:n_data]]
        self.n_data = n_data
        self._pos: dict[str, dict] = {}

    def _split(self, tok: str):
        tok, _, mod = tok.partition("@")
        sheet, _, key = tok.rpartition(".")
        lay = self.layouts.get(sheet)
        if lay is None:
            raise ValueError(f"{tok!r}: sheet {sheet!r} is not laid out before this one")
        if key not in lay.values:
            raise ValueError(f"{tok!r}: sheet {sheet!r} has no column {key!r}")
        return sheet, lay, key, mod

    def _positions(self, sheet: str, lay) -> dict:
        if sheet not in self._pos:
            ids = lay.values.get("customer_id", [])
            self._pos[sheet] = {cid: k for k, cid in enumerate(ids)}
        return self._pos[sheet]

    def value(self, tok: str, i: int | None):
        sheet, lay, key, mod = self._split(tok)
        if mod == "total":
            return lay.totals.get(key)
        if mod == "all":
            return list(lay.values[key])
        if i is None or i >= self.n_data:
            return None
        k = self._positions(sheet, lay).get(self.ids[i])
        return None if k is None else lay.values[key][k]

    def ref(self, tok: str, id_cell: str) -> str:
        """The home's total cell or whole column (``@total``, ``@all``), else a marker
        filled row by row by :meth:`fill`."""
        sheet, lay, key, mod = self._split(tok)
        if mod in ("total", "all"):
            return column_name(lay.spec.id, key, total=mod == "total")
        return f"{self.MARK}{sheet}|{key}|{id_cell}}}"

    def fill(self, formula: str, i: int) -> str:
        while self.MARK in formula:
            a = formula.index(self.MARK)
            b = formula.index("}", a)
            sheet, key, id_cell = formula[a + len(self.MARK) : b].split("|")
            lay = self.layouts[sheet]
            name, ids = column_name(lay.spec.id, key), column_name(lay.spec.id, "customer_id")
            k = self._positions(sheet, lay).get(self.ids[i]) if i < self.n_data else None
            if k is not None:
                text = f"INDEX({name},{lay.row_of[k] - lay.first_row + 1})"
            elif id_cell:
                text = f'IF({id_cell}="","",INDEX({name},MATCH({id_cell},{ids},0)))'
            else:
                text = '""'
            formula = formula[:a] + text + formula[b + 1 :]
        return formula


def column_name(sheet_id: str, key: str, total: bool = False) -> str:
    """The workbook-level defined name of a list column (its data rows) or, with
    ``total``, of its cell in the total row: ``t_<sheet>_<column>[_total]``.

    >>> column_name("9.3.2", "m1"), column_name("P4", "target", total=True)
    ('t_9_3_2_m1', 't_P4_target_total')
    """
    name = "t_" + re.sub(r"\W", "_", f"{sheet_id}_{key}")
    return name + "_total" if total else name


def _name_columns(lay: SheetLayout, spec: SheetSpec) -> None:
    """A defined name for every column's data rows and every total-row cell: the
    references cross-sheet formulas, collect and audit use instead of letters."""
    for j, c in enumerate(spec.columns):
        if lay.last_row >= lay.first_row:
            lay.names[column_name(spec.id, c.key)] = (lay.first_row, j, lay.last_row, j)
        if lay.total_row is not None and c.total != "none":
            lay.names[column_name(spec.id, c.key, True)] = (lay.total_row, j, lay.total_row, j)


def lay_out_list(spec: SheetSpec, rows: list[dict], ctx) -> SheetLayout:
    """Place and compute a list/grid sheet; ``ctx`` gives settings, language and titles."""
    t = ctx.t
    cols = spec.columns
    index = {c.key: i for i, c in enumerate(cols)}
    lay = SheetLayout(spec=spec, name=spec.sheet_name(ctx.lang))
    lay.landscape = spec.landscape if spec.landscape is not None else len(cols) > 8

    # --- row positions -----------------------------------------------------------
    slots: list[tuple] = []  # ("data", i) | ("group", g)
    groups: list[dict] = []
    if spec.group_by:
        current = object()
        for i, row in enumerate(rows):
            value = row.get(spec.group_by)
            if value != current:
                if groups:
                    slots.append(("group", len(groups) - 1))
                groups.append({"value": value, "members": []})
                current = value
            groups[-1]["members"].append(i)
            slots.append(("data", i))
        if groups:
            slots.append(("group", len(groups) - 1))
        extra = 0
    else:
        slots = [("data", i) for i in range(len(rows))]
        extra = spec.extra_rows
    n_extra_start = len(rows)
    slots += [("extra", n_extra_start + k) for k in range(extra)]
    first = HEADER_ROW + 1
    data_row_of: dict[int, int] = {}
    group_row_of: dict[int, int] = {}
    row_group: dict[int, int] = {}
    for offset, (kind, ref) in enumerate(slots):
        r = first + offset
        if kind == "group":
            group_row_of[ref] = r
        else:
            data_row_of[ref] = r
    for g, grp in enumerate(groups):
        for i in grp["members"]:
            row_group[i] = g
    last = first + len(slots) - 1
    lay.first_row, lay.last_row = first, last
    total_row = last + 1 if spec.total and rows else None
    lay.total_row = total_row
    n_data = len(rows)
    all_rows = list(rows) + [{} for _ in range(extra)]

    # --- values, column by column in dependency order --------------------------------
    vals: dict[str, list] = {}
    gvals: dict[str, list] = {}
    tvals: dict[str, Any] = {}
    formulas: dict[str, list] = {}
    gform: dict[str, list] = {}
    tform: dict[str, Any] = {}
    settings = ctx.settings
    homes = _Homes(ctx, rows, n_data)

    def ref(key: str, r: int | None, absolute: bool = False) -> str:
        """A cell reference; ``r=None`` leaves the row as the marker ``{r}`` (a template
        filled row by row with str.replace)."""
        letter = col_name(index[key])
        if r is None:
            return f"{letter}{{r}}"
        return f"${letter}${r + 1}" if absolute else f"{letter}{r + 1}"

    def token_value(tok, i: int | None, where: str, g: int | None):
        if isinstance(tok, list):
            return [token_value(x, i, where, g) for x in tok]
        if isinstance(tok, int | float):
            return tok
        if tok.startswith("$"):
            return settings[tok[1:]].value
        if is_home_token(tok):
            return homes.value(tok, i) if where == "data" else None
        key, _, mod = tok.partition("@")
        compute(key)
        if mod == "group" and where == "data":
            return gvals[key][g]
        if mod == "total" or (mod == "group" and where == "total"):
            return tvals[key]
        if mod == "group":
            return gvals[key][g]
        if where == "data":
            return vals[key][i]
        if where == "group":
            return gvals[key][g]
        return tvals[key]

    def token_ref(tok, r: int, g: int | None, where: str) -> str:
        if isinstance(tok, list) and any(is_home_token(k) for k in tok):
            return ",".join(token_ref(k, r, g, where) for k in tok)
        if isinstance(tok, list):
            idx = [index[k] for k in tok]
            if idx == list(range(idx[0], idx[0] + len(idx))):
                return f"{ref(tok[0], r)}:{ref(tok[-1], r)}"
            return ",".join(ref(k, r) for k in tok)
        if isinstance(tok, int | float):
            return repr(tok)
        if tok.startswith("$"):
            return settings[tok[1:]].name
        if is_home_token(tok):
            return homes.ref(tok, ref("customer_id", r) if "customer_id" in index else "")
        key, _, mod = tok.partition("@")
        if mod == "total" or (mod == "group" and where == "total"):
            return ref(key, total_row, absolute=True)
        if mod == "group":
            return ref(key, group_row_of[g], absolute=True)
        return ref(key, r)

    def refs_for(col: Column, m, r: int, g: int | None, where: str) -> dict[str, str]:
        out = _self_refs(col, r, where)
        for p in m.params:
            tok = col.args[p]
            out[p] = token_ref(tok, r, g, where)
            if isinstance(tok, str) and not tok.startswith("$") and "@" not in tok and (
                not is_home_token(tok)
            ):
                letter = col_name(index[tok])
                lo, hi = first, last
                if g is not None and where == "data":  # grouped sheets: ranges within the group
                    lo, hi = (
                        data_row_of[groups[g]["members"][0]],
                        data_row_of[groups[g]["members"][-1]],
                    )
                out[f"{p}@all"] = f"${letter}${lo + 1}:${letter}${hi + 1}"
                out[f"{p}@upto"] = f"${letter}${lo + 1}:{ref(tok, r)}"
        return out

    def _self_refs(col: Column, r: int | None, where: str) -> dict[str, str]:
        """Placeholders of a column's own cells (linear formulas, no whole-column scan
        per row): ``self@prev`` this column's cell in the row above (the header above the
        first row: N() of it is 0), ``self@total`` its total-row cell (``total: grand`` or
        ``positive``), ``{p}@near`` / ``{p}@extra`` for a column whose equal values stand
        together (see :func:`_near_window`)."""
        letter = col_name(index[col.key])
        out = {}
        if where == "data" and groups:
            return out  # running formulas would cross the subtotal rows
        out["self@prev"] = f"{letter}{{rp}}" if r is None else f"{letter}{r}"
        if total_row is not None:
            out["self@total"] = f"${letter}${total_row + 1}"
        for p in m_params(col):
            tok = col.args[p]
            if isinstance(tok, str) and tok in index:
                v = col_name(index[tok])
                out[f"{p}@near"] = f"{v}{{rlo}}:{v}{{rhi}}"
                out[f"{p}@extra"] = (
                    f"${v}${n_extra_start + first + 1}:${v}${last + 1}"
                    if extra
                    else f"${v}${HEADER_ROW + 1}"  # no rows left for the user: the header
                )
        return out

    def m_params(col: Column) -> tuple[str, ...]:
        return measures.get(col.measure).params if col.measure else ()

    def _near_window(col: Column) -> tuple[int, int] | None:
        """For a measure with ``@near`` in its formula: how far (in rows) equal values of
        its first argument can stand from each other. They must stand together (each value
        in one run of rows, as a list sorted by it); the window is the longest run plus
        ``NEAR_SLACK`` rows, so that a run the user lengthens (a neighbour's row retyped)
        is still counted whole."""
        m = measures.get(col.measure)
        near = [p for p in m.placeholders() if p.endswith("@near")]
        if not near:
            return None
        key = col.args[near[0].split("@")[0]]
        values = [row.get(key) for row in rows]
        seen: set = set()
        longest, run = 0, 0
        for i, v in enumerate(values):
            if i and v == values[i - 1]:
                run += 1
            else:
                if v in seen and v not in (None, ""):
                    raise ValueError(
                        f"{spec.source}: column {col.key!r} ({m.name}) needs the rows grouped "
                        f"by {key!r}, but {v!r} stands in two places"
                    )
                seen.add(v)
                run = 1
            longest = max(longest, run)
        return longest + NEAR_SLACK, n_data

    done: set[str] = set()
    busy: set[str] = set()

    def compute(key: str) -> None:
        if key in done:
            return
        if key in busy:
            raise ValueError(f"{spec.source}: column {key!r} depends on itself")
        busy.add(key)
        col = cols[index[key]]
        if col.measure:
            _compute_measure(col)
        else:
            vals[key] = [row.get(key) for row in all_rows]
            formulas[key] = [None] * len(all_rows)
        _compute_totals(col)
        busy.discard(key)
        done.add(key)

    def _compute_measure(col: Column) -> None:
        m = measures.get(col.measure)
        missing = [p for p in m.params if p not in col.args]
        if missing:
            raise ValueError(
                f"{spec.source}: column {col.key!r} misses args {missing} for {m.name}"
            )
        if "self@total" in m.placeholders() and col.total not in ("grand", "positive"):
            raise ValueError(
                f"{spec.source}: column {col.key!r} ({m.name}) reads its total row: "
                "give it total: grand or total: positive"
            )
        out, fs = [None] * len(all_rows), [None] * len(all_rows)
        if m.vector:  # over all data rows, or within each group
            parts = [grp["members"] for grp in groups] if groups else [list(range(n_data))]
            for members in parts:
                args = {
                    p: token_value(col.args[p], None, "data", None)
                    if str(col.args[p]).startswith("$")
                    else [token_value(col.args[p], i, "data", None) for i in members]
                    for p in m.params
                }
                for i, v in zip(members, m.compute(**args) if members else [], strict=True):
                    out[i] = v
        elif n_data:
            arglists = [column_values(col.args[p]) for p in m.params]
            try:
                out[:n_data] = map(m.python, *arglists)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{spec.source}: column {col.key!r} ({m.name}): {exc}") from exc
        # One formula template per group (or sheet), filled with each row's number.
        templates: dict[int | None, str] = {}
        window = _near_window(col)
        for i in range(len(all_rows)):
            g = row_group.get(i)
            tmpl = templates.get(g)
            if tmpl is None:
                tmpl = templates[g] = m.excel(refs_for(col, m, None, g, "data"), ctx.formula_mode)
            f = tmpl
            if i >= n_data:
                f = _blank_guard(f, None, col)
            r = data_row_of[i] + 1
            if "{rp}" in f:
                f = f.replace("{rp}", str(r - 1))
            if window is not None:  # the rows that can hold this row's value
                width, n = window
                lo, hi = (max(0, i - width + 1), min(n, i + width) - 1) if i < n else (0, n - 1)
                # no data rows: the header (it holds no customer)
                rlo, rhi = (data_row_of[lo] + 1, data_row_of[hi] + 1) if n else (HEADER_ROW + 1,) * 2
                f = f.replace("{rlo}", str(rlo)).replace("{rhi}", str(rhi))
            fs[i] = homes.fill(f.replace("{r}", str(r)), i)
        vals[col.key], formulas[col.key] = [_cacheable(v) for v in out], fs

    def column_values(tok) -> list:
        """A token's Python value for every data row."""
        if isinstance(tok, list):
            return [list(t) for t in zip(*(column_values(x) for x in tok), strict=True)]
        if isinstance(tok, int | float):
            return [tok] * n_data
        if tok.startswith("$"):
            return [settings[tok[1:]].value] * n_data
        if is_home_token(tok):
            return [homes.value(tok, i) for i in range(n_data)]
        key, _, mod = tok.partition("@")
        compute(key)
        if mod == "group":
            return [gvals[key][row_group[i]] for i in range(n_data)]
        if mod == "total":
            return [tvals[key]] * n_data
        return vals[key][:n_data]

    def _input_deps(col: Column, seen: set | None = None) -> list[Column]:
        """Same-row input columns a measure column depends on, directly or through
        other measure columns."""
        seen = set() if seen is None else seen
        out: list[Column] = []
        toks = []
        for tok in col.args.values():
            toks.extend(tok if isinstance(tok, list) else [tok])
        for tok in toks:
            if not isinstance(tok, str) or tok.startswith("$") or "@" in tok or tok in seen:
                continue
            if is_home_token(tok):
                continue
            seen.add(tok)
            dep = cols[index[tok]]
            if dep.measure:
                out.extend(_input_deps(dep, seen))
            elif dep.input:
                out.append(dep)
        return out

    def _blank_guard(formula: str, r: int | None, col: Column) -> str:
        """Blank rows left for the user: show nothing until the inputs are typed; a
        date the result depends on must be there."""
        deps = _input_deps(col)
        if not deps:
            return formula
        dates = [d for d in deps if d.type == "date"]
        if dates:
            cond = (
                "OR(" + ",".join(f'{ref(d.key, r)}=""' for d in dates) + ")"
                if len(dates) > 1
                else f'{ref(dates[0].key, r)}=""'
            )
        else:
            cond = "COUNTA(" + ",".join(ref(d.key, r) for d in deps) + ")=0"
        return f'IF({cond},"",{formula})'

    def _compute_totals(col: Column) -> None:
        key = col.key
        gv, gf = [None] * len(groups), [None] * len(groups)
        letter = col_name(index[key])
        if col.total == "sum":  # blank while nothing in the range is a number yet
            for g, grp in enumerate(groups):
                gv[g] = _sum_or_blank([vals[key][i] for i in grp["members"]])
                a, b = data_row_of[grp["members"][0]], data_row_of[grp["members"][-1]]
                gf[g] = _subtotal_or_blank(f"{letter}{a + 1}:{letter}{b + 1}")
            tvals[key] = _sum_or_blank(vals[key])
            tform[key] = _subtotal_or_blank(f"{letter}{first + 1}:{letter}{last + 1}")
        elif col.total == "count":
            for g, grp in enumerate(groups):
                gv[g] = sum(1 for i in grp["members"] if vals[key][i] not in (None, ""))
                a, b = data_row_of[grp["members"][0]], data_row_of[grp["members"][-1]]
                gf[g] = f"SUBTOTAL(3,{letter}{a + 1}:{letter}{b + 1})"
            tvals[key] = sum(1 for v in vals[key] if v not in (None, ""))
            tform[key] = f"SUBTOTAL(3,{letter}{first + 1}:{letter}{last + 1})"
        elif col.total in ("grand", "positive"):
            # one shared cell for a sheet-wide quantity of the measure's first argument
            # (SUM ignores filters, unlike the SUBTOTAL of a total row)
            src = col.args[measures.get(col.measure).params[0]]
            compute(src)
            sletter = col_name(index[src])
            rng = f"{sletter}{first + 1}:{sletter}{last + 1}"
            nums = vals[src]
            if col.total == "grand":
                tvals[key], tform[key] = _fsum(nums), f"SUM({rng})"
            else:
                tvals[key] = _fsum(v for v in nums if isinstance(v, int | float) and v > 0)
                tform[key] = f'SUMIF({rng},">0")'
        elif col.total == "measure" and col.measure:
            gvals[key], gform[key] = gv, gf  # visible to self-references
            m = measures.get(col.measure)
            for g in range(len(groups)):
                gv[g] = _cacheable(
                    m.compute(**{p: token_value(col.args[p], None, "group", g) for p in m.params})
                )
                gf[g] = m.excel(refs_for(col, m, group_row_of[g], g, "group"), ctx.formula_mode)
            if total_row is not None:
                tvals[key] = _cacheable(
                    m.compute(
                        **{p: token_value(col.args[p], None, "total", None) for p in m.params}
                    )
                )
                tform[key] = m.excel(refs_for(col, m, total_row, None, "total"), ctx.formula_mode)
        else:
            tvals.setdefault(key, None)
        gvals[key], gform[key] = gv, gf
        tform.setdefault(key, None)

    for c in cols:
        compute(c.key)
    lay.values = {k: v[:n_data] for k, v in vals.items()}
    lay.totals = {k: v for k, v in tvals.items() if v is not None}
    lay.row_of = [data_row_of[i] for i in range(n_data)]
    lay.col_of = dict(index)
    _name_columns(lay, spec)

    # --- cells ---------------------------------------------------------------------
    title = render_text(spec.title_en if ctx.lang == "en" else spec.title, **ctx.text_context(spec))
    ncols = max(len(cols), 1)
    lay.merges.append((TITLE_ROW, 0, TITLE_ROW, ncols - 1, title, "title"))
    lay.cells.append(Cell(SUBTITLE_ROW, 0, ctx.subtitle(), None, "text", "subtitle"))
    if spec.money_unit:
        lay.cells.append(
            Cell(SUBTITLE_ROW, ncols - 1, t("单位：元", "Unit: CNY"), None, "text", "subtitle_right")
        )
    cells = lay.cells
    for j, c in enumerate(cols):
        cells.append(Cell(HEADER_ROW, j, column_header(c, spec, ctx), None, "text", "header"))
    for i in range(len(all_rows)):
        r = data_row_of[i]
        types = all_rows[i].get("_types") or {}  # a row may format a cell differently
        for j, c in enumerate(cols):
            role = "computed" if c.measure else ("input" if c.input else "data")
            typ = types.get(c.key, c.type)
            if c.wrap and typ == "text":
                typ = "wrap"
                lines = wrapped_lines(vals[c.key][i], c.width or 10)
                if lines > 1:
                    lay.row_heights[r] = max(lay.row_heights.get(r, 0), 13.5 * lines + 3)
            cells.append(Cell(r, j, vals[c.key][i], formulas[c.key][i], typ, role))
    label_col = 0
    for g, grp in enumerate(groups):
        r = group_row_of[g]
        for j, c in enumerate(cols):
            v, f = gvals[c.key][g], gform[c.key][g]
            if j == label_col and f is None:
                v = f"{grp['value']} {t('小计', 'subtotal')}"
            cells.append(Cell(r, j, v, f, c.type if f is not None else "text", "subtotal"))
    if total_row is not None:
        for j, c in enumerate(cols):
            v, f = tvals[c.key], tform[c.key]
            if j == label_col and f is None:
                v = t("合计", "Total")
            kind = c.type if f is not None else "text"
            if c.total in ("grand", "positive"):  # formatted as the numbers it sums
                kind = cols[index[c.args[measures.get(c.measure).params[0]]]].type
            cells.append(Cell(total_row, j, v, f, kind, "total"))
    if spec.footer:
        fr = (total_row if total_row is not None else last) + 2
        text = t(f"制表：{ctx.plan.preparer}", f"Prepared by: {ctx.plan.preparer}")
        cells.append(Cell(fr, 0, text, None, "text", "footer"))
        cells.append(Cell(fr, max(ncols // 3, 1), t("审核：", "Reviewed by:"), None, "text", "footer"))
        cells.append(
            Cell(fr, max(2 * ncols // 3, 2), t("批准：", "Approved by:"), None, "text", "footer")
        )
    for k, note in enumerate(spec.notes):
        base = (total_row if total_row is not None else last) + (4 if spec.footer else 2)
        cells.append(
            Cell(base + k, 0, render_text(note, **ctx.text_context(spec)), None, "text", "note_line")
        )

    lay.widths = [c.width or _auto_width(c, ctx.lang) for c in cols]
    lay.table = spec.table and not spec.group_by and bool(rows)
    _validations_and_alerts(lay, spec, ctx, index, first, last)
    return lay


def column_header(c: Column, spec: SheetSpec, ctx) -> str:
    """The header text; one with ``{{ }}`` is rendered with the text context plus the 参数
    values as ``setting`` (e.g. a weight: ``{{ '%g' % setting.ka_w1 }}``)."""
    head = c.header(ctx.lang)
    if "{" not in head:
        return head
    values = {k: s.value for k, s in ctx.settings.items()}
    return render_text(head, **ctx.text_context(spec), setting=values)


def _auto_width(c: Column, lang: str) -> float:
    head = c.header(lang)
    wide = sum(2 if ord(ch) > 0x2E80 else 1 for ch in head)
    base = {"money": 14, "money0": 12, "date": 11, "percent": 8, "int": 7, "text": 10}.get(
        c.type, 10
    )
    return float(max(base, min(wide + 2, 30)))


def _sum_or_blank(values) -> float | str:
    """The sum of the numbers, '' when there are none (a month not yet reached)."""
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool) and v == v]
    return math.fsum(numbers) if numbers else ""


def _subtotal_or_blank(rng: str) -> str:
    return f'IF(COUNT({rng})=0,"",SUBTOTAL(9,{rng}))'


def _fsum(values) -> float:
    return math.fsum(
        v for v in values if isinstance(v, int | float) and not isinstance(v, bool) and v == v
    )


def _cacheable(v):
    """None/NaN → '' (what the formula shows); numpy scalars → Python numbers."""
    if v is None:
        return ""
    if isinstance(v, float) and math.isnan(v):
        return ""
    if hasattr(v, "item") and not isinstance(v, str | dt.date):
        return v.item()
    return v


_VALIDATE_BY_TYPE = {
    "money": ("decimal", 0, 1e12),
    "money0": ("decimal", 0, 1e12),
    "amount": ("decimal", 0, 1e12),
    "number": ("decimal", 0, 1e12),
    "int": ("whole", 0, 10**9),
    "hours": ("decimal", 0, 24),
    "percent": ("decimal", -10, 10),
    "date": ("date", dt.date(2000, 1, 1), dt.date(2100, 12, 31)),
}

_NAMED_VALIDATIONS = {
    "score1_5": ("whole", 1, 5),
    "score0_100": ("decimal", 0, 100),
    "score0_10": ("whole", 0, 10),
    "any_number": ("decimal", -1e12, 1e12),
}


def validation_message(kind: str, lo, hi, t) -> str:
    """The input message of a validation (``t`` picks the language)."""
    if kind == "decimal":
        return t(f"请输入 {lo} 到 {hi:g} 之间的数字", f"Enter a number from {lo} to {hi:g}")
    if kind == "whole":
        return t(f"请输入 {lo} 到 {hi} 之间的整数", f"Enter a whole number from {lo} to {hi}")
    if kind == "date":
        return t("请输入日期，格式 yyyy-mm-dd", "Enter a date as yyyy-mm-dd")
    return t("不超过 255 个字符", "At most 255 characters")


def _validations_and_alerts(
    lay: SheetLayout, spec: SheetSpec, ctx, index, first: int, last: int
) -> None:
    t = ctx.t
    if last < first:
        return
    for j, c in enumerate(spec.columns):
        if c.input:
            if c.dict:
                lay.validations.append(
                    Validation(
                        first,
                        last,
                        j,
                        "list",
                        source=f"dict_{c.dict}",
                        title=column_header(c, spec, ctx),
                        message=t("请从下拉列表中选择", "Choose from the list"),
                    )
                )
            elif c.validate in _NAMED_VALIDATIONS or c.type in _VALIDATE_BY_TYPE:
                kind, lo, hi = _NAMED_VALIDATIONS.get(c.validate) or _VALIDATE_BY_TYPE[c.type]
                msg = validation_message(kind, lo, hi, t)
                lay.validations.append(
                    Validation(
                        first,
                        last,
                        j,
                        kind,
                        minimum=lo,
                        maximum=hi,
                        title=column_header(c, spec, ctx),
                        message=msg,
                    )
                )
            else:
                lay.validations.append(
                    Validation(
                        first,
                        last,
                        j,
                        "length",
                        minimum=0,
                        maximum=255,
                        title=column_header(c, spec, ctx),
                        message=validation_message("length", 0, 255, t),
                    )
                )
        for a in c.alerts:
            lay.alerts.append(
                Alert(first, last, j, a.when, _alert_value(a.value, ctx, index, first), a.style)
            )
        if c.databar:
            lay.alerts.append(Alert(first, last, j, "databar", "", "good", databar=True))


def _alert_value(value, ctx, index, first: int) -> str:
    if isinstance(value, int | float):
        return repr(value)
    value = str(value)
    if value.startswith("$"):
        return ctx.settings[value[1:]].name
    if value in index:
        return f"{col_name(index[value])}{first + 1}"  # relative: applies row by row
    return '"' + value.replace('"', '""') + '"'
