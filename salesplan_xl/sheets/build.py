"""Lay out every sheet of the kit from its spec: list and grid sheets through the
generic list layout, plus the three structural kinds (目录 index, 参数 settings, forms)."""

from __future__ import annotations

from .cell import Cell
from .layout import (
    HEADER_ROW,
    SUBTITLE_ROW,
    TITLE_ROW,
    SheetLayout,
    is_home_token,
    lay_out_list,
)
from .sources import get_source, settings_rows
from .spec import SheetSpec, render_text, wrapped_lines


def lay_out_all(ctx, specs: tuple[SheetSpec, ...]) -> list[SheetLayout]:
    """Every sheet in spec order; dashboards are laid out last (they read the others)."""
    done = {id(lay.spec): lay for lay in iter_layouts(ctx, specs)}
    return [done[id(s)] for s in specs if id(s) in done]


def reads_from(spec: SheetSpec) -> set[str]:
    """The ids of the sheets whose columns this sheet reads (``sheet.col`` tokens)."""
    out = set()
    for c in spec.columns:
        for tok in c.args.values():
            for t in tok if isinstance(tok, list) else [tok]:
                if is_home_token(t):
                    out.add(t.rpartition(".")[0])
    return out


def with_homes(specs: tuple[SheetSpec, ...], every: tuple[SheetSpec, ...]) -> tuple[SheetSpec, ...]:
    """``specs`` plus the sheets they read facts from (taken from ``every``), in the
    order of ``every``: a kit of a few sheets still has the homes of their facts."""
    by_id = {s.id: s for s in every}
    want = {s.id for s in specs}
    todo = list(specs)
    while todo:
        for dep in reads_from(todo.pop()):
            if dep not in want and dep in by_id:
                want.add(dep)
                todo.append(by_id[dep])
    if len(want) == len(specs):
        return specs
    given = {s.id: s for s in specs}
    order = [s.id for s in every]
    chosen = [given.get(i) or by_id[i] for i in order if i in want]
    return tuple(chosen) + tuple(s for s in specs if s.id not in by_id)


def layout_order(specs: tuple[SheetSpec, ...]) -> list[SheetSpec]:
    """Spec order, except that a sheet comes after the sheets it reads (the homes of
    its facts); dashboards last. The workbook's tab order stays the spec order."""
    by_id = {s.id: s for s in specs}
    done: list[SheetSpec] = []
    seen: set[str] = set()

    def visit(spec: SheetSpec, path: tuple[str, ...] = ()) -> None:
        if spec.id in seen:
            return
        if spec.id in path:
            raise ValueError(f"sheets read each other in a circle: {' → '.join(path)}")
        for dep in sorted(reads_from(spec)):
            if dep not in by_id:
                raise ValueError(f"{spec.id} reads sheet {dep!r}, which the kit does not have")
            visit(by_id[dep], (*path, spec.id))
        seen.add(spec.id)
        done.append(spec)

    for spec in specs:
        if spec.kind != "dashboard":
            visit(spec)
    return done + [s for s in specs if s.kind == "dashboard"]


def iter_layouts(ctx, specs: tuple[SheetSpec, ...]):
    """The sheets one by one (homes of facts before their readers, dashboards last), so
    each can be written and its cells dropped before the next is laid out (the values
    and names other sheets read are kept)."""
    earlier: list[SheetLayout] = []
    layouts = ctx.cache.setdefault("layouts", {})
    ordered = layout_order(specs)
    for spec in ordered:
        if spec.kind != "dashboard":
            for lay in _lay_out(ctx, specs, [spec], earlier):
                earlier.append(lay)
                layouts[spec.id] = lay
                yield lay
    yield from _lay_out(ctx, specs, [s for s in ordered if s.kind == "dashboard"], earlier)


def _lay_out(ctx, all_specs, specs, earlier: list[SheetLayout]) -> list[SheetLayout]:
    layouts: list[SheetLayout] = []
    for spec in specs:
        if spec.kind == "index":
            layouts.append(lay_out_index(spec, all_specs, ctx))
        elif spec.kind == "settings":
            layouts.append(lay_out_settings(spec, ctx))
        elif spec.kind in ("list", "grid"):
            rows = get_source(spec.rows)(ctx, spec)
            layouts.append(lay_out_list(spec, rows, ctx))
        elif spec.kind == "form":
            from .forms import lay_out_form

            layouts.append(lay_out_form(spec, ctx))
        elif spec.kind == "dashboard":
            from .dashboard import lay_out_dashboard

            layouts.append(lay_out_dashboard(spec, ctx, earlier))
    return layouts


def _title(spec: SheetSpec, ctx) -> str:
    return render_text(spec.title_en if ctx.lang == "en" else spec.title, **ctx.text_context(spec))


PURPOSE_WIDTH = 60


def lay_out_index(spec: SheetSpec, specs, ctx) -> SheetLayout:
    """目录: every sheet with its number, name and purpose, linked."""
    t = ctx.t
    lay = SheetLayout(spec=spec, name=spec.sheet_name(ctx.lang), landscape=False)
    lay.merges.append((TITLE_ROW, 0, TITLE_ROW, 3, _title(spec, ctx), "title"))
    lay.cells.append(Cell(SUBTITLE_ROW, 0, ctx.subtitle(), None, "text", "subtitle"))
    heads = [t("序号", "No."), t("编号", "Number"), t("表名", "Sheet"), t("用途", "Purpose")]
    for j, h in enumerate(heads):
        lay.cells.append(Cell(HEADER_ROW, j, h, None, "text", "header"))
    r = HEADER_ROW + 1
    listed = (s for s in specs if s is not spec and not s.options.get("hidden"))
    for n, s in enumerate(listed, start=1):
        purpose = s.purpose_en if ctx.lang == "en" and s.purpose_en else s.purpose
        lay.cells.append(Cell(r, 0, n, None, "int", "data"))
        lay.cells.append(Cell(r, 1, s.number or s.id, None, "text", "data"))
        lay.links.append((r, 2, s.sheet_name(ctx.lang), s.display_name(ctx.lang)))
        purpose = render_text(purpose, **ctx.text_context(s))
        lines = wrapped_lines(purpose, PURPOSE_WIDTH)  # 用途 wraps within its column
        if lines > 1:
            lay.row_heights[r] = 13.5 * lines + 3
        lay.cells.append(Cell(r, 3, purpose, None, "wrap", "data"))
        r += 1
    lay.first_row, lay.last_row = HEADER_ROW + 1, r - 1
    lay.widths = [6, 10, 30, PURPOSE_WIDTH]
    return lay


def lay_out_settings(spec: SheetSpec, ctx) -> SheetLayout:
    """参数: one named cell per setting; formulas elsewhere refer to the names."""
    t = ctx.t
    lay = SheetLayout(spec=spec, name=spec.sheet_name(ctx.lang), landscape=False)
    lay.merges.append((TITLE_ROW, 0, TITLE_ROW, 2, _title(spec, ctx), "title"))
    lay.cells.append(Cell(SUBTITLE_ROW, 0, ctx.subtitle(), None, "text", "subtitle"))
    for j, h in enumerate([t("项目", "Setting"), t("值", "Value"), t("说明", "Note")]):
        lay.cells.append(Cell(HEADER_ROW, j, h, None, "text", "header"))
    r = HEADER_ROW + 1
    from .layout import Validation

    for row in settings_rows(ctx):
        role = "computed" if row.get("formula") else ("input" if row.get("input") else "data")
        lay.cells.append(Cell(r, 0, t(row["zh"], row["en"]), None, "text", "label"))
        lay.cells.append(Cell(r, 1, row["value"], row.get("formula"), row["type"], role))
        lay.cells.append(
            Cell(r, 2, t(row.get("note", ""), row.get("note_en", "")), None, "text", "label_plain")
        )
        lay.named_cells[row["key"]] = (r, 1)
        if row.get("input"):
            kind = {"date": "date", "int": "whole"}.get(row["type"], "decimal")
            lo, hi = row.get("range", (0, 1e12))
            lay.validations.append(
                Validation(
                    r,
                    r,
                    1,
                    kind,
                    minimum=lo,
                    maximum=hi,
                    title=t(row["zh"], row["en"]),
                    message=t(f"范围 {lo} 至 {hi}", f"From {lo} to {hi}"),
                )
            )
        r += 1
    lay.first_row, lay.last_row = HEADER_ROW + 1, r - 1
    notes = getattr(ctx.plan, "notes", ())  # what check and build warned about
    if notes:
        r += 1
        lay.cells.append(Cell(r, 0, t("检查提示", "Warnings"), None, "text", "label"))
        for line in notes:
            r += 1
            lay.cells.append(Cell(r, 0, line, None, "text", "note_line"))
    lay.widths = [22, 18, 60]
    return lay
