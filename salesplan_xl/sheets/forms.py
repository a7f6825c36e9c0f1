"""Lay out a form: a one-record, print-ready application or card (FORMS.md part B).

A form spec (``kind: form``) lists ``blocks`` stacked top to bottom on a grid of
``len(widths)`` columns (default 8, fitting one A4 page wide). Block kinds:

``fields``      label/value pairs, ``per_row`` to a row (default 2); a field is an input
                (unlocked, validated), a lookup of the chosen customer, a 参数 setting,
                a measure (formula + cached value) or a fixed value
``lines``       a table: header, rows (``items`` given in the spec and/or rows from the
                form source, at least ``rows``), an optional 合计 row whose sums become
                fields other fields can use
``signatures``  approval boxes 申请人 → 部门经理 → 销售总监 → 财务 → 总经理: 意见
                (dropdown), 签字, 日期
``text``        free-text lines (prefilled from the source or ``items``)
``note``        a printed remark (e.g. 一式三联)

Measure argument tokens (``args``):

==================  ===================================  ===========================
token               Excel reference                      Python value
==================  ===================================  ===========================
``key``             the field's cell, e.g. ``$C$5``       the field's value
``col`` (in lines)  the column's cell in the same row     that cell's value
``table.col``       the column's range ``$C$9:$C$16``     the column's values
``$setting``        the 参数 name, e.g. ``cfg_as_of``     the setting's value
``[a, b]``          ``$C$5,$E$5``                         the list of values
a number            the number                           the number
==================  ===================================  ===========================

Lookups use the hidden 客户查询 sheet (``form: customer_lookup``), whose columns are the
defined names ``cust_<key>`` and whose id column is ``list_customers`` (the dropdown of
the 客户编号 field): ``IFERROR(INDEX(cust_name,MATCH($B$4,list_customers,0))&"","")``.
The format is documented in ``docs/templates.md`` ("Forms").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .. import measures
from ..planning.shares import total as column_total
from .cell import Cell
from .form_sources import LOOKUP_COLUMNS, LOOKUP_TYPES, chosen_customer, lookup_row
from .layout import (
    _NAMED_VALIDATIONS,
    _VALIDATE_BY_TYPE,
    SheetLayout,
    Validation,
    _cacheable,
    col_name,
    validation_message,
)
from .sources import get_source
from .spec import SheetSpec, render_text, wrapped_lines

DEFAULT_WIDTHS = (14, 10, 10, 10, 14, 10, 10, 10)
DEFAULT_ROLES = (
    ("申请人", "Applicant"),
    ("部门经理", "Department manager"),
    ("销售总监", "Sales director"),
    ("财务", "Finance"),
    ("总经理", "General manager"),
)
FORM_TITLE = "{{ number }} {{ name }}"
ROW_HEIGHT = 20
LOOKUP_LIST = "list_customers"


def lookup_name(key: str) -> str:
    """The defined name of a 客户查询 column."""
    return f"cust_{key}"


def lay_out_form(spec: SheetSpec, ctx) -> SheetLayout:
    """Place and compute one form (or the hidden customer lookup sheet)."""
    if spec.options.get("form") == "customer_lookup":
        return lay_out_customer_lookup(spec, ctx)
    return _Form(spec, ctx).build()


def lay_out_customer_lookup(spec: SheetSpec, ctx) -> SheetLayout:
    """The hidden 客户查询 sheet: one row per customer in scope, one defined name per
    column (``cust_<key>``), the ids as ``list_customers``."""
    rows = get_source(spec.rows)(ctx, spec)
    lay = SheetLayout(spec=spec, name=spec.sheet_name(ctx.lang), hidden=True, header_row=0)
    for j, (_key, zh, en, _typ) in enumerate(LOOKUP_COLUMNS):
        lay.cells.append(Cell(0, j, ctx.t(zh, en), None, "text", "header"))
    for i, row in enumerate(rows, start=1):
        for j, (key, _zh, _en, typ) in enumerate(LOOKUP_COLUMNS):
            lay.cells.append(Cell(i, j, row[key], None, typ, "data"))
    last = max(len(rows), 1)
    lay.first_row, lay.last_row = 1, last
    lay.names[LOOKUP_LIST] = (1, 0, last, 0)
    for j, (key, *_rest) in enumerate(LOOKUP_COLUMNS):
        lay.names[lookup_name(key)] = (1, j, last, j)
    lay.widths = [12 if t != "text" else 14 for *_x, t in LOOKUP_COLUMNS]
    return lay


@dataclass
class _Table:
    id: str
    first_row: int
    n: int
    columns: dict[str, tuple[int, dict]]  # key -> (sheet column, column spec)
    rows: list[dict] = field(default_factory=list)  # raw values (inputs, fixed values)


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and v == "") or (isinstance(v, float) and v != v)


class _Form:
    def __init__(self, spec: SheetSpec, ctx):
        self.spec, self.ctx = spec, ctx
        self.widths = list(spec.options.get("widths") or DEFAULT_WIDTHS)
        self.W = len(self.widths)
        self.lay = SheetLayout(
            spec=spec, name=spec.sheet_name(ctx.lang), landscape=bool(spec.landscape), header_row=0
        )
        # one page; a long form (options fit_pages: [1, 0]) one page wide, as many tall
        self.lay.fit_pages = tuple(spec.options.get("fit_pages") or (1, 1))
        records = get_source(spec.rows)(ctx, spec) if spec.rows else []
        self.record: dict = records[0] if records else {}
        self.fields: dict[str, tuple[int, int, dict]] = {}
        self.tables: dict[str, _Table] = {}
        self.field_values: dict[str, Any] = {}
        self.cell_values: dict[tuple[str, int, str], Any] = {}
        self.busy: set = set()
        self.customer_key: str | None = None
        self.row = 0
        self.pending: list = []  # (r, c, key | (table, i, col), spec) written after placement

    # --- text ---------------------------------------------------------------------------
    def text(self, d: dict | str) -> str:
        """A label (``zh``/``en`` of a dict, or a string) in the kit's language, rendered."""
        if isinstance(d, dict):
            zh = str(d.get("zh", ""))
            d = (d.get("en") or zh) if self.ctx.lang == "en" else zh
        return render_text(str(d), **self.ctx.text_context(self.spec))

    # --- placement ------------------------------------------------------------------------
    def build(self) -> SheetLayout:
        lay, ctx, spec = self.lay, self.ctx, self.spec
        title_t = spec.title_en if ctx.lang == "en" else spec.title
        if title_t in (SheetSpec.title, SheetSpec.title_en):
            title_t = FORM_TITLE
        title = render_text(title_t, **ctx.text_context(spec)).strip()
        lay.merges.append((0, 0, 0, self.W - 1, title, "title"))
        sub = ctx.t(
            f"{ctx.plan.company}　{ctx.plan.year}年　{ctx.scope.label('zh')}",
            f"{ctx.plan.company}   {ctx.plan.year}   {ctx.scope.label('en')}",
        )
        lay.merges.append((1, 0, 1, self.W - 3, sub, "subtitle"))
        if spec.money_unit:
            lay.merges.append(
                (1, self.W - 2, 1, self.W - 1, ctx.t("单位：元", "Unit: CNY"), "subtitle_right")
            )
        lay.row_heights[1] = 18
        self.row = 2
        for block in spec.options.get("blocks") or []:
            self.gap()
            kind = block.get("kind")
            handler = getattr(self, f"_block_{kind}", None)
            if handler is None:
                raise ValueError(f"{spec.source}: unknown form block kind {kind!r}")
            handler(block)
        self.emit()
        lay.widths = [float(w) for w in self.widths]
        lay.first_row, lay.last_row = 2, self.row - 1
        return lay

    def gap(self, height: float = 6) -> None:
        self.lay.row_heights[self.row] = height
        self.row += 1

    def section(self, title: str) -> None:
        r = self.row
        self.lay.merges.append((r, 0, r, self.W - 1, title, "header"))
        self.lay.row_heights[r] = ROW_HEIGHT
        self.row += 1

    def merge_or_cell(self, r, c1, c2, value, role, kind="text") -> None:
        if c2 > c1:
            self.lay.merges.append((r, c1, r, c2, value, role))
        else:
            self.lay.cells.append(Cell(r, c1, value, None, kind, role))

    def _block_fields(self, block: dict) -> None:
        if block.get("title"):
            self.section(self.text(block["title"]))
        per_row = int(block.get("per_row", 2))
        slot = self.W // per_row
        label_cols = int(block.get("label_cols", 1))
        used = per_row  # force a new row for the first field
        r = self.row - 1
        for f in block.get("fields") or []:
            span = min(int(f.get("span", 1)), per_row)
            if used + span > per_row:
                self.fill_row(r, used, per_row, slot)
                r = self.row
                self.row += 1
                self.lay.row_heights[r] = float(block.get("height", ROW_HEIGHT))
                used = 0
            c0 = used * slot
            c_end = c0 + span * slot - 1
            self.merge_or_cell(r, c0, c0 + label_cols - 1, self.text(f), "label")
            vc = c0 + label_cols
            self.place_field(r, vc, c_end, f)
            used += span
        self.fill_row(r, used, per_row, slot)

    def fill_row(self, r: int, used: int, per_row: int, slot: int) -> None:
        if r < 0 or used >= per_row:
            return
        self.merge_or_cell(r, used * slot, per_row * slot - 1, "", "label_plain")

    def place_field(self, r: int, c1: int, c2: int, f: dict) -> None:
        key = str(f["key"])
        if key in self.fields:
            raise ValueError(f"{self.spec.source}: field {key!r} appears twice")
        if f.get("customer"):
            self.customer_key = key
        self.fields[key] = (r, c1, f)
        role = self.field_role(f)
        if c2 > c1:
            self.lay.merges.append((r, c1, r, c2, "", role))
        self.pending.append(("field", key))

    def field_role(self, f: dict) -> str:
        if f.get("measure") or f.get("lookup") or f.get("setting"):
            return "computed"
        return "input" if f.get("input") or f.get("customer") else "data"

    def _block_lines(self, block: dict) -> None:
        tid = str(block["id"])
        if block.get("title"):
            self.section(self.text(block["title"]))
        cols = list(block.get("columns") or [])
        if block.get("numbered"):
            cols = [{"key": "_no", "zh": "序号", "en": "No.", "type": "int", "span": 1}] + cols
        spans = [int(c.get("span", 1)) for c in cols]
        if sum(spans) != self.W:
            raise ValueError(
                f"{self.spec.source}: the columns of {tid!r} span {sum(spans)}, not {self.W}"
            )
        hr = self.row
        self.row += 1
        self.lay.row_heights[hr] = float(block.get("header_height", ROW_HEIGHT + 4))
        positions: dict[str, tuple[int, dict]] = {}
        c = 0
        for col, span in zip(cols, spans, strict=True):
            self.merge_or_cell(hr, c, c + span - 1, self.text(col), "header")
            positions[str(col["key"])] = (c, col)
            c += span
        given = list(block.get("items") or [])
        from_source = list(self.record.get(tid) or [])
        n = max(len(given), len(from_source), int(block.get("rows", 0)))
        raw = []
        for i in range(n):
            row = dict(given[i]) if i < len(given) else {}
            if i < len(from_source):
                row.update({k: v for k, v in from_source[i].items() if v is not None})
            if block.get("numbered"):
                row["_no"] = i + 1
            raw.append(row)
        table = _Table(tid, self.row, n, positions, raw)
        self.tables[tid] = table
        for i in range(n):
            r = self.row + i
            height = float(block.get("height", ROW_HEIGHT))
            c = 0
            for col, span in zip(cols, spans, strict=True):
                if col.get("wrap"):  # wrapped text: as many lines as it needs
                    width = sum(self.widths[c : c + span])
                    height = max(height, 13.5 * wrapped_lines(raw[i].get(col["key"]), width) + 4)
                c += span
            self.lay.row_heights[r] = height
            c = 0
            for col, span in zip(cols, spans, strict=True):
                role = self.column_role(col)
                if span > 1:
                    self.lay.merges.append((r, c, r, c + span - 1, "", role))
                self.pending.append(("cell", (tid, i, str(col["key"]))))
                c += span
        self.row += n
        tot = block.get("total")
        if tot:
            r = self.row
            self.row += 1
            self.lay.row_heights[r] = ROW_HEIGHT
            sums = {str(k): str(v) for k, v in (tot.get("sum") or {}).items()}
            first = min(positions[k][0] for k in sums)
            self.merge_or_cell(r, 0, first - 1, self.text(tot.get("label", "合计")), "total")
            c = 0
            for col, span in zip(cols, spans, strict=True):
                key = str(col["key"])
                if c >= first and key in sums:
                    fkey = sums[key]
                    spec = {
                        "key": fkey,
                        "zh": "",
                        "type": col.get("type", "money"),
                        "sum": (tid, key),
                    }
                    self.fields[fkey] = (r, c, spec)
                    if span > 1:
                        self.lay.merges.append((r, c, r, c + span - 1, "", "total"))
                    self.pending.append(("field", fkey))
                elif c >= first:
                    self.merge_or_cell(r, c, c + span - 1, "", "total")
                c += span

    def column_role(self, col: dict) -> str:
        if col.get("measure"):
            return "computed"
        return "input" if col.get("input") else "data"

    def _block_signatures(self, block: dict) -> None:
        if block.get("title"):
            self.section(self.text(block["title"]))
        roles = block.get("roles") or [{"zh": zh, "en": en} for zh, en in DEFAULT_ROLES]
        opinion = bool(block.get("opinion", True))
        q = self.W // 4
        if opinion:
            heads = [
                (self.ctx.t("审批环节", "Step"), q),
                (self.ctx.t("意见", "Opinion"), q),
                (self.ctx.t("签字", "Signature"), self.W - 3 * q),
                (self.ctx.t("日期", "Date"), q),
            ]
        else:
            heads = [
                (self.ctx.t("经办", "Party"), q),
                (self.ctx.t("签字（签章）", "Signature / seal"), self.W - 2 * q),
                (self.ctx.t("日期", "Date"), q),
            ]
        hr = self.row
        self.row += 1
        self.lay.row_heights[hr] = ROW_HEIGHT
        c = 0
        for text, span in heads:
            self.merge_or_cell(hr, c, c + span - 1, text, "header")
            c += span
        height = float(block.get("height", 30))
        for role in roles:
            r = self.row
            self.row += 1
            self.lay.row_heights[r] = height
            label = self.text(role if isinstance(role, dict) else {"zh": str(role)})
            c = 0
            for k, (_text, span) in enumerate(heads):
                c2 = c + span - 1
                if k == 0:
                    self.merge_or_cell(r, c, c2, label, "label")
                elif opinion and k == 1:
                    self.merge_or_cell(r, c, c2, "", "input")
                    self.lay.validations.append(
                        Validation(
                            r,
                            r,
                            c,
                            "list",
                            source="dict_opinion",
                            title=heads[1][0],
                            message=self.ctx.t("请从下拉列表中选择", "Choose from the list"),
                        )
                    )
                elif k == len(heads) - 1:
                    self.merge_or_cell(r, c, c2, "", "input", "date")
                    self.add_validation(r, c, {"type": "date", "zh": heads[-1][0]})
                else:
                    self.merge_or_cell(r, c, c2, "", "input")
                    self.add_validation(r, c, {"zh": heads[k][0]})
                c = c2 + 1

    def _block_text(self, block: dict) -> None:
        if block.get("title"):
            self.section(self.text(block["title"]))
        key = block.get("id")
        given = [self.text(x) for x in block.get("items") or []]
        if key and self.record.get(key):
            given = [str(x) for x in self.record[key]]
        n = max(len(given), int(block.get("lines", 1)))
        for i in range(n):
            r = self.row
            self.row += 1
            self.lay.row_heights[r] = float(block.get("height", ROW_HEIGHT))
            value = given[i] if i < len(given) else ""
            kind = "text"
            if block.get("wrap"):  # wrapped over the form's width, as many lines as it needs
                kind = "wrap"
                lines = wrapped_lines(value, sum(self.widths))
                self.lay.row_heights[r] = max(self.lay.row_heights[r], 13.5 * lines + 4)
            self.lay.merges.append((r, 0, r, self.W - 1, "", "input"))
            self.lay.cells.append(Cell(r, 0, value, None, kind, "input"))
            self.add_validation(r, 0, {"zh": self.text(block.get("title") or {"zh": ""})})

    def _block_note(self, block: dict) -> None:
        r = self.row
        self.row += 1
        self.lay.row_heights[r] = float(block.get("height", 30))
        self.lay.merges.append((r, 0, r, self.W - 1, self.text(block.get("text", "")), "note"))

    # --- values ---------------------------------------------------------------------------
    def customer_cell(self) -> str:
        if self.customer_key is None:
            raise ValueError(f"{self.spec.source}: a lookup field needs a customer field")
        r, c, _ = self.fields[self.customer_key]
        return f"${col_name(c)}${r + 1}"

    def field_value(self, key: str):
        if key in self.field_values:
            return self.field_values[key]
        if key not in self.fields:
            raise KeyError(f"{self.spec.source}: no field {key!r}")
        if key in self.busy:
            raise ValueError(f"{self.spec.source}: field {key!r} depends on itself")
        self.busy.add(key)
        _, _, f = self.fields[key]
        if "sum" in f:
            tid, col = f["sum"]
            t = self.tables[tid]
            v = column_total([self.table_value(tid, i, col) for i in range(t.n)])
        elif f.get("customer"):
            v = self.record.get(key) or chosen_customer(self.ctx, int(f.get("rank", 1)))
        elif f.get("lookup"):
            cid = self.field_value(self.customer_key) if self.customer_key else ""
            row = lookup_row(self.ctx, cid) if cid else None
            v = row[f["lookup"]] if row else ""
        elif f.get("setting"):
            v = self.ctx.settings[f["setting"]].value
        elif f.get("measure"):
            m = measures.get(f["measure"])
            v = m.compute(**{p: _py(self.token_value(f["args"][p])) for p in m.params})
        else:
            v = self.record.get(key, f.get("value"))
        v = self.typed(v, f.get("type", "text"))
        self.busy.discard(key)
        self.field_values[key] = v
        return v

    def table_value(self, tid: str, i: int, col: str):
        k = (tid, i, col)
        if k in self.cell_values:
            return self.cell_values[k]
        t = self.tables[tid]
        _, cs = t.columns[col]
        if cs.get("measure"):
            m = measures.get(cs["measure"])
            v = m.compute(**{p: _py(self.token_value(cs["args"][p], t, i)) for p in m.params})
        else:
            v = t.rows[i].get(col, cs.get("value"))
        v = self.typed(v, cs.get("type", "text"))
        self.cell_values[k] = v
        return v

    def typed(self, v, typ: str):
        if isinstance(v, str) and typ == "date" and v:
            v = dt.date.fromisoformat(self.text(v)[:10])
        elif isinstance(v, str) and "{" in v:
            v = self.text(v)
        return _cacheable(v)

    def token_value(self, tok, table: _Table | None = None, i: int | None = None):
        if isinstance(tok, list):
            return [self.token_value(x, table, i) for x in tok]
        if isinstance(tok, int | float):
            return tok
        tok = str(tok)
        if tok.startswith("$"):
            return self.ctx.settings[tok[1:]].value
        if "." in tok:
            tid, col = tok.split(".", 1)
            t = self.tables[tid]
            return [self.table_value(tid, j, col) for j in range(t.n)]
        if table is not None and tok in table.columns:
            return self.table_value(table.id, i, tok)
        return self.field_value(tok)

    def token_ref(self, tok, table: _Table | None = None, i: int | None = None) -> str:
        if isinstance(tok, list):
            return ",".join(self.token_ref(x, table, i) for x in tok)
        if isinstance(tok, int | float):
            return repr(tok)
        tok = str(tok)
        if tok.startswith("$"):
            return self.ctx.settings[tok[1:]].name
        if "." in tok:
            tid, col = tok.split(".", 1)
            t = self.tables[tid]
            letter = col_name(t.columns[col][0])
            return f"${letter}${t.first_row + 1}:${letter}${t.first_row + t.n}"
        if table is not None and tok in table.columns:
            return f"{col_name(table.columns[tok][0])}{table.first_row + i + 1}"
        r, c, _ = self.fields[tok]
        return f"${col_name(c)}${r + 1}"

    def formula(self, spec: dict, table: _Table | None = None, i: int | None = None):
        if "sum" in spec:
            tid, col = spec["sum"]
            return f"SUM({self.token_ref(f'{tid}.{col}')})"
        if spec.get("lookup"):
            return self.lookup_formula(spec["lookup"], spec.get("type"))
        if spec.get("setting"):
            return self.ctx.settings[spec["setting"]].name
        if spec.get("measure"):
            m = measures.get(spec["measure"])
            missing = [p for p in m.params if p not in (spec.get("args") or {})]
            if missing:
                raise ValueError(
                    f"{self.spec.source}: {spec['key']!r} misses args {missing} for {m.name}"
                )
            refs = {}
            for p in m.params:
                refs[p] = refs[f"{p}@all"] = self.token_ref(spec["args"][p], table, i)
            return m.excel(refs, self.ctx.formula_mode)
        return None

    def lookup_formula(self, key: str, typ: str | None) -> str:
        typ = typ or LOOKUP_TYPES.get(key, "text")
        if key not in LOOKUP_TYPES:
            raise ValueError(f"{self.spec.source}: no customer lookup column {key!r}")
        idx = f"INDEX({lookup_name(key)},MATCH({self.customer_cell()},{LOOKUP_LIST},0))"
        if LOOKUP_TYPES[key] == "text":
            return f'IFERROR({idx}&"","")'
        if LOOKUP_TYPES[key] == "date":
            return f'IFERROR(IF({idx}="","",{idx}),"")'
        return f'IFERROR({idx},"")'

    # --- cells ----------------------------------------------------------------------------
    def emit(self) -> None:
        for what, ref in self.pending:
            if what == "field":
                r, c, f = self.fields[ref]
                typ = f.get("type") or LOOKUP_TYPES.get(f.get("lookup", ""), "text")
                if f.get("lookup") and "type" not in f:
                    f = {**f, "type": typ}
                value = self.field_value(ref)
                role = "total" if "sum" in f else self.field_role(f)
                self.lay.cells.append(Cell(r, c, value, self.formula(f), typ, role))
                if role == "input":
                    self.add_validation(r, c, f)
            else:
                tid, i, col = ref
                t = self.tables[tid]
                c, cs = t.columns[col]
                r = t.first_row + i
                value = self.table_value(tid, i, col)
                role = self.column_role(cs)
                typ = cs.get("type", "text")
                if cs.get("wrap") and typ == "text":
                    typ = "wrap"
                self.lay.cells.append(Cell(r, c, value, self.formula(cs, t, i), typ, role))
                if role == "input":
                    self.add_validation(r, c, cs)

    def add_validation(self, r: int, c: int, f: dict) -> None:
        t = self.ctx.t
        title = self.text(f) if f.get("zh") else ""
        typ = f.get("type", "text")
        if f.get("customer"):
            v = Validation(
                r, r, c, "list", source=LOOKUP_LIST, title=title,
                message=t("请选择客户编号", "Choose a customer ID"),
            )  # fmt: skip
        elif f.get("dict"):
            v = Validation(
                r, r, c, "list", source=f"dict_{f['dict']}", title=title,
                message=t("请从下拉列表中选择", "Choose from the list"),
            )  # fmt: skip
        else:
            if f.get("range"):
                lo, hi = f["range"]
                kind = {"date": "date", "int": "whole"}.get(typ, "decimal")
            elif f.get("validate") in _NAMED_VALIDATIONS:
                kind, lo, hi = _NAMED_VALIDATIONS[f["validate"]]
            elif typ in _VALIDATE_BY_TYPE:
                kind, lo, hi = _VALIDATE_BY_TYPE[typ]
            else:
                kind, lo, hi = "length", 0, 255
            msg = validation_message(kind, lo, hi, t)
            v = Validation(r, r, c, kind, minimum=lo, maximum=hi, title=title, message=msg)
        self.lay.validations.append(v)


def _py(v):
    """A cell value as the planning functions take it: blank ("") is None."""
    if isinstance(v, list):
        return [_py(x) for x in v]
    return None if isinstance(v, str) and v == "" else v
