"""P10 仪表板: small tables of formulas that read the other sheets, and charts over them.

Each table cell is a formula into another sheet of the kit (so the dashboard follows
what users type there), cached with that sheet's value. Charts: monthly target vs actual,
cumulative completion vs time progress, region share, top-10 customers, ageing profile.
"""

from __future__ import annotations

import math

from ..planning.receivables import AGEING_BUCKETS
from ..planning.tracking import completion_rate
from ..planning.workdays import month_end, time_progress
from .cell import Cell
from .layout import HEADER_ROW, SUBTITLE_ROW, TITLE_ROW, SheetLayout
from .spec import SheetSpec, render_text


def _find(layouts, spec_id: str) -> SheetLayout | None:
    return next((lay for lay in layouts if lay.spec.id == spec_id), None)


class _Block:
    """A titled table at (row, col) on the dashboard sheet."""

    def __init__(self, lay: SheetLayout, row: int, col: int, title: str, headers: list[str]):
        self.lay, self.row, self.col = lay, row, col
        lay.cells.append(Cell(row, col, title, None, "text", "subtitle"))
        for j, h in enumerate(headers):
            lay.cells.append(Cell(row + 1, col + j, h, None, "text", "header"))
        self.n = 0

    def add(self, *cells) -> int:
        """cells: (value, formula, kind) per column; returns the sheet row."""
        r = self.row + 2 + self.n
        for j, (value, formula, kind) in enumerate(cells):
            role = "computed" if formula else "data"
            self.lay.cells.append(Cell(r, self.col + j, value, formula, kind, role))
        self.n += 1
        return r

    def range(self, j: int) -> list:
        """[sheet, first_row, col, last_row, col] of column j, for chart series."""
        return [self.lay.name, self.row + 2, self.col + j, self.row + 1 + self.n, self.col + j]


def lay_out_dashboard(spec: SheetSpec, ctx, layouts: list[SheetLayout]) -> SheetLayout:
    t = ctx.t
    lay = SheetLayout(spec=spec, name=spec.sheet_name(ctx.lang), landscape=True)
    title = render_text(spec.title_en if ctx.lang == "en" else spec.title, **ctx.text_context(spec))
    lay.merges.append((TITLE_ROW, 0, TITLE_ROW, 16, title, "title"))
    lay.cells.append(Cell(SUBTITLE_ROW, 0, ctx.subtitle(), None, "text", "subtitle"))
    lay.widths = [10, 14, 14, 14, 14, 11, 11, 2, 14, 14, 10, 2, 24, 14, 2, 10, 14]
    _monthly(lay, ctx, _find(layouts, "P5"), t)
    _regions(lay, ctx, _find(layouts, "9.3.1"), t)
    _top10(lay, ctx, _find(layouts, "9.3.1"), t)
    _ageing(lay, ctx, _find(layouts, "9.3.4"), t)
    lay.first_row, lay.last_row = HEADER_ROW + 1, HEADER_ROW + 1
    return lay


def _monthly(lay, ctx, p5: SheetLayout | None, t) -> None:
    if p5 is None or not p5.row_of:
        return
    b = _Block(
        lay,
        HEADER_ROW,
        0,
        t("月度目标与实际", "Monthly target and actual"),
        [
            t("月份", "Month"),
            t("目标", "Target"),
            t("实际", "Actual"),
            t("累计目标", "Cum. target"),
            t("累计实际", "Cum. actual"),
            t("累计完成率", "Cum. completion"),
            t("时间进度", "Time progress"),
        ],
    )
    year = ctx.plan.year
    cum_t = cum_a = 0.0
    first = None
    n_actual = 0
    for i in range(12):
        target, actual = p5.values["target"][i], p5.values["actual"][i]
        has_actual = isinstance(actual, int | float) and not isinstance(actual, bool)
        n_actual = i + 1 if has_actual else n_actual
        cum_t = math.fsum([cum_t, target or 0.0])
        cum_a = math.fsum([cum_a, actual if has_actual else 0.0])
        r = HEADER_ROW + 2 + i
        first = first or r
        last_day = month_end(year, i + 1)
        tp = time_progress(last_day, year)
        rate = completion_rate(cum_a, cum_t) if has_actual else None
        b.add(
            (t(f"{i + 1}月", f"M{i + 1}"), None, "text"),
            (target, f"N({p5.ref('target', i)})", "money0"),
            (
                actual if has_actual else "",
                f'IF(ISNUMBER({p5.ref("actual", i)}),{p5.ref("actual", i)},"")',
                "money0",
            ),
            (cum_t, f"SUM($B${first + 1}:B{r + 1})", "money0"),
            (
                cum_a if has_actual else "",
                f'IF(C{r + 1}="","",SUM($C${first + 1}:C{r + 1}))',
                "money0",
            ),
            (
                "" if rate is None else rate,
                f'IF(OR(E{r + 1}="",N(D{r + 1})=0),"",E{r + 1}/D{r + 1})',
                "percent",
            ),
            (
                tp,
                f'SUMIFS(cal_workday,cal_dates,"<="&DATE({last_day.year},{last_day.month},{last_day.day}))'
                "/SUM(cal_workday)",
                "percent",
            ),
        )
    lay.charts.append(
        {
            "type": "column",
            "row": HEADER_ROW + 16,
            "col": 0,
            "title": t("月度销售目标与实际", "Monthly target vs actual"),
            "y_format": "¥#,##0",
            "series": [
                {
                    "name": t("目标", "Target"),
                    "categories": b.range(0),
                    "values": b.range(1),
                    "fill": {"color": "#9BC2E6"},
                },
                {
                    "name": t("实际", "Actual"),
                    "categories": b.range(0),
                    "values": b.range(2),
                    "fill": {"color": "#1F4E78"},
                },
            ],
        }
    )
    lay.charts.append(
        {
            "type": "line",
            "row": HEADER_ROW + 32,
            "col": 0,
            "title": t("累计完成率与时间进度", "Cumulative completion vs time progress"),
            "y_format": "0%",
            "series": [
                {
                    "name": t("累计完成率", "Cum. completion"),
                    "categories": b.range(0),
                    "values": b.range(5)[:3] + [b.row + 1 + max(n_actual, 1), b.col + 5],
                    "line": {"color": "#C00000", "width": 2.25},
                },
                {
                    "name": t("时间进度", "Time progress"),
                    "categories": b.range(0),
                    "values": b.range(6),
                    "line": {"color": "#7F7F7F", "dash_type": "dash"},
                },
            ],
        }
    )


def _regions(lay, ctx, s931: SheetLayout | None, t) -> None:
    if s931 is None or not s931.row_of:
        return
    b = _Block(
        lay,
        HEADER_ROW,
        8,
        t("区域销售（今年累计）", "Sales by region (YTD)"),
        [t("区域", "Region"), t("销售额", "Sales"), t("占比", "Share")],
    )
    regions = list(dict.fromkeys(s931.values["region"]))
    ytd = s931.values["ytd"]
    totals = {
        r: math.fsum(v for reg, v in zip(s931.values["region"], ytd, strict=True) if reg == r and v)
        for r in regions
    }
    grand = math.fsum(totals.values())
    first = HEADER_ROW + 2
    last = first + len(regions) - 1
    for k, region in enumerate(regions):
        r = first + k
        b.add(
            (region, None, "text"),
            (
                totals[region],
                f'SUMIF({s931.column_range("region")},"="&I{r + 1},{s931.column_range("ytd")})',
                "money0",
            ),
            (
                "" if not grand else totals[region] / grand,
                f'IF(SUM($J${first + 1}:$J${last + 1})=0,"",J{r + 1}/SUM($J${first + 1}:$J${last + 1}))',
                "percent",
            ),
        )
    lay.charts.append(
        {
            "type": "pie",
            "row": HEADER_ROW + 16,
            "col": 8,
            "title": t("区域销售占比", "Region share"),
            "width": 420,
            "series": [
                {
                    "name": t("销售额", "Sales"),
                    "categories": b.range(0),
                    "values": b.range(1),
                    "data_labels": {"percentage": True},
                }
            ],
        }
    )


def _top10(lay, ctx, s931: SheetLayout | None, t) -> None:
    if s931 is None or not s931.row_of:
        return
    b = _Block(
        lay,
        HEADER_ROW,
        12,
        t("前十大客户（今年累计）", "Top 10 customers (YTD)"),
        [t("客户", "Customer"), t("销售额", "Sales")],
    )
    ytd = s931.values["ytd"]
    order = sorted(range(len(ytd)), key=lambda i: (-(ytd[i] or 0.0), i))[:10]
    for i in order:
        b.add(
            (s931.values["name"][i], f'{s931.ref("name", i)}&""', "text"),
            (ytd[i] or 0.0, f"N({s931.ref('ytd', i)})", "money0"),
        )
    lay.charts.append(
        {
            "type": "bar",
            "row": HEADER_ROW + 32,
            "col": 8,
            "title": t("前十大客户", "Top 10 customers"),
            "x_format": "¥#,##0",
            "reverse": True,
            "width": 640,
            "series": [
                {
                    "name": t("销售额", "Sales"),
                    "categories": b.range(0),
                    "values": b.range(1),
                    "fill": {"color": "#548235"},
                }
            ],
        }
    )


def _ageing(lay, ctx, s934: SheetLayout | None, t) -> None:
    if s934 is None or not s934.row_of:
        return
    b = _Block(
        lay,
        HEADER_ROW,
        15,
        t("应收账龄", "Receivables ageing"),
        [t("账龄段", "Bucket"), t("未收金额", "Balance")],
    )
    buckets, unpaid = s934.values["bucket"], s934.values["unpaid"]
    first = HEADER_ROW + 2
    for k, label in enumerate(AGEING_BUCKETS):
        r = first + k
        value = math.fsum(
            u
            for bk, u in zip(buckets, unpaid, strict=True)
            if bk == label and isinstance(u, int | float)
        )
        b.add(
            (label, None, "text"),
            (
                value,
                f'SUMIF({s934.column_range("bucket")},"="&P{r + 1},{s934.column_range("unpaid")})',
                "money0",
            ),
        )
    lay.charts.append(
        {
            "type": "column",
            "row": HEADER_ROW + 16,
            "col": 12,
            "title": t("应收账龄分布", "Ageing profile"),
            "y_format": "¥#,##0",
            "width": 480,
            "series": [
                {
                    "name": t("未收金额", "Balance"),
                    "categories": b.range(0),
                    "values": b.range(1),
                    "fill": {"color": "#C55A11"},
                }
            ],
        }
    )
