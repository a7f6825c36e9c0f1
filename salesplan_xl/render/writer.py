"""Write laid-out sheets to an .xlsx with XlsxWriter (the only module that knows it).

>>> import tempfile, pathlib
>>> from salesplan_xl.sheets.layout import SheetLayout
>>> from salesplan_xl.sheets.spec import SheetSpec
>>> spec = SheetSpec.from_dict({"id": "T", "name": "测试", "kind": "list", "rows": "none"})
>>> lay = SheetLayout(spec=spec, name="测试", cells=[(0, 0, "=不是公式", None, "text", "data")])
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.xlsx"
>>> with KitWriter(path, properties={"title": "t"}) as kit:
...     _ = kit.add_layout(lay)
>>> path.exists()
True
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from ..sheets.cell import Cell, Role
from ..sheets.layout import SheetLayout, col_name
from .blank_results import cache_blank_results_as_text
from .fast_formulas import speed_up
from .files import output_folder, publish, temp_path, write_failed
from .input_digest import PROPERTY as INPUTS_PROPERTY
from .input_digest import InputDigest
from .theme import TAB_COLOURS, Theme

# the sheet's name left (which sheet a printed page belongs to), the page number centred
FOOTER = "&L&A&C第 &P 页 / 共 &N 页"
FOOTER_EN = "&L&A&CPage &P of &N"
#: The smallest print scale (%) a list or grid may be fitted to: 10 pt text prints at 8 pt,
#: 9 pt notes at 7.2 pt. A sheet that fits one A4 page wide at this scale (portrait, else
#: landscape) is fitted to the page width; a wider one prints at this scale over several
#: pages across, its key columns (freeze_cols) repeated on each.
MIN_PRINT_SCALE = 80
_A4_PRINTABLE = {False: 595.3 - 0.8 * 72, True: 841.9 - 0.8 * 72}  # points, 0.4" margins


def print_width(widths) -> float:
    """A sheet's width in points as LibreOffice prints it (about 7 points a character of
    column width; Excel prints narrower, so a sheet legible in LibreOffice is in Excel)."""
    return sum(float(w) * 7 + 5 for w in widths)


def legible_print_setup(lay) -> tuple[bool, int | None]:
    """(landscape, fixed print scale or None to fit the page width) for a laid-out sheet."""
    if lay.spec.kind not in ("list", "grid", "dashboard") or lay.fit_pages[0] != 1:
        return bool(lay.landscape), None
    width = print_width(lay.widths)
    for landscape in dict.fromkeys((bool(lay.landscape), True)):
        if not width or _A4_PRINTABLE[landscape] / width * 100 >= MIN_PRINT_SCALE:
            return landscape, None
    return True, MIN_PRINT_SCALE


def spacer_breaks(widths, room: float, charts=()) -> list[int]:
    """Column page breaks before narrow spacer columns (width ≤ 2) that no chart spans, so
    that each page's blocks of columns fit ``room`` points wide (a column of width w is
    about 7w + 5 pixels; a chart's ``col`` and ``width`` in pixels)."""
    px = [float(w) * 7 + 5 for w in widths]
    left = [sum(px[:j]) for j in range(len(px) + 1)]
    spans = [
        (left[c["col"]], left[c["col"]] + c.get("width", 560)) for c in charts if "col" in c
    ]
    allowed = [
        j
        for j in range(1, len(widths))
        if float(widths[j]) <= 2 and not any(a < left[j] < b for a, b in spans)
    ]
    breaks, page_start = [], 0.0
    for k, j in enumerate(allowed):
        following = allowed[k + 1] if k + 1 < len(allowed) else len(widths)
        if left[following] - page_start > room:
            breaks.append(j)
            page_start = left[j]
    return breaks


PROTECT_OPTIONS = {
    "autofilter": True,
    "sort": True,
    "format_columns": True,
    "format_rows": True,
    "select_locked_cells": True,
    "select_unlocked_cells": True,
}


def _excel_value(v):
    """Cached values: dates as serial numbers, everything else as is."""
    if isinstance(v, dt.datetime):
        return (v - dt.datetime(1899, 12, 30)).total_seconds() / 86400
    if isinstance(v, dt.date):
        return float((v - dt.date(1899, 12, 30)).days)
    return v


class KitWriter:
    """One workbook being written. Writes to a temporary file beside ``path`` and
    renames it into place on a clean close, so a failed build leaves nothing behind."""

    def __init__(
        self,
        path: Path,
        properties: dict | None = None,
        lang: str = "zh",
        protect: bool = False,
        password: str = "",
        vba: bytes | None = None,
        fast_formulas: bool = True,
        constant_memory: bool = False,
    ):
        self.path = Path(path)
        output_folder(self.path.parent)
        # XlsxWriter creates the file only at close(): a killed build leaves nothing behind
        self.tmp = temp_path(self.path)
        self.inputs = InputDigest()  # what the input cells hold, to tell typed work later
        self.wb = xlsxwriter.Workbook(
            str(self.tmp),
            {
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "default_date_format": "yyyy-mm-dd",
                "use_future_functions": False,
                "constant_memory": constant_memory,
                # parts in memory, not ~90 temporary files (unless rows stream to disk)
                "in_memory": not constant_memory,
            },
        )
        if properties:
            self.wb.set_properties(properties)
        if vba is not None:
            import io

            self.wb.add_vba_project(io.BytesIO(vba), is_stream=True)
            self.wb.set_vba_name("ThisWorkbook")
        self.theme = Theme(self.wb)
        self.lang = lang
        self.protect = protect
        self.password = password
        self.sheets: dict[str, object] = {}
        self.fast_formulas = fast_formulas
        self.constant_memory = constant_memory  # rows must then be written in order

    def set_identity(self, properties: dict[str, str]) -> None:
        """Custom document properties (text) that say what this kit is."""
        for name, value in properties.items():
            self.wb.set_custom_property(name, value, "text")

    # --- lifecycle --------------------------------------------------------------------
    def __enter__(self) -> KitWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    def close(self) -> Path:
        self.wb.set_custom_property(INPUTS_PROPERTY, self.inputs.text())
        try:
            self.wb.close()
        except Exception as exc:  # XlsxWriter wraps OSError (disk full, permissions)
            self.tmp.unlink(missing_ok=True)
            raise write_failed(exc, self.path) from None
        return publish(self.tmp, self.path)

    def abort(self) -> None:
        try:
            self.wb.fileclosed = True  # nothing to flush
        finally:
            self.tmp.unlink(missing_ok=True)

    # --- sheets -----------------------------------------------------------------------
    def add_sheet(self, name: str, family: str = "crm", hidden: bool = False):
        ws = self.wb.add_worksheet(name)
        cache_blank_results_as_text(ws)
        if self.fast_formulas:
            speed_up(ws)
        ws.set_tab_color(TAB_COLOURS.get(family, TAB_COLOURS["crm"]))
        if hidden:
            ws.hide()
        self.sheets[name] = ws
        return ws

    def define_name(
        self, name: str, sheet: str, r1: int, c1: int, r2: int | None = None, c2: int | None = None
    ) -> None:
        ref = f"'{sheet}'!${col_name(c1)}${r1 + 1}"
        if r2 is not None:
            ref += f":${col_name(c2 if c2 is not None else c1)}${r2 + 1}"
        self.wb.define_name(name, "=" + ref)

    def add_dictionaries(
        self, dictionaries: dict[str, tuple[str, ...]], sheet: str = "字典"
    ) -> None:
        """The hidden 字典 sheet: one column per list, a defined name ``dict_<key>`` each."""
        ws = self.add_sheet(sheet, "system", hidden=True)
        head = self.theme.header()
        lists = list(dictionaries.items())
        for j, (key, options) in enumerate(lists):
            ws.write_string(0, j, key, head)
            if options:
                self.define_name(f"dict_{key}", sheet, 1, j, len(options), j)
        for i in range(max((len(o) for _, o in lists), default=0)):  # row by row (constant_memory)
            for j, (_, options) in enumerate(lists):
                if i < len(options):
                    ws.write_string(i + 1, j, options[i])
        ws.protect(self.password) if self.protect else None

    def add_calendar(
        self, days: list[tuple[dt.date, bool, bool]], covered: bool, sheet: str = "日历"
    ) -> None:
        """The hidden 日历 sheet: every date of the plan year, 1 for a workday, and 1 on
        the first workday of each week within a month (weekly visit windows)."""
        ws = self.add_sheet(sheet, "system", hidden=True)
        head = self.theme.header()
        ws.write_string(0, 0, "日期", head)
        ws.write_string(0, 1, "工作日", head)
        ws.write_string(0, 2, "法定日历" if covered else "周一至周五（无法定数据）", head)
        ws.write_string(0, 3, "周首工作日", head)
        date_fmt = self.theme.cell("date")
        for i, (day, work, week_start) in enumerate(days, start=1):
            ws.write_datetime(i, 0, dt.datetime(day.year, day.month, day.day), date_fmt)
            ws.write_number(i, 1, 1 if work else 0)
            ws.write_number(i, 3, 1 if week_start else 0)
        self.define_name("cal_dates", sheet, 1, 0, len(days), 0)
        self.define_name("cal_workday", sheet, 1, 1, len(days), 1)
        self.define_name("cal_week_start", sheet, 1, 3, len(days), 3)
        ws.set_column(0, 0, 12)
        ws.protect(self.password) if self.protect else None

    def add_layout(self, lay: SheetLayout, ws=None):
        """Write one laid-out sheet."""
        ws = ws or self.add_sheet(lay.name, lay.spec.family, hidden=lay.hidden)
        if lay.hidden:
            ws.hide()
        th = self.theme
        for j, w in enumerate(lay.widths):
            ws.set_column(j, j, w)
        ws.set_row(0, 30)
        ws.set_row(lay.header_row, 30)
        for r, height in lay.row_heights.items():
            ws.set_row(r, height)
        for name, (r1, c1, r2, c2) in lay.names.items():
            self.define_name(name, lay.name, r1, c1, r2, c2)
        table_header = lay.table and lay.last_row >= lay.first_row and not self.constant_memory
        cells, links = lay.cells, lay.links
        if self.constant_memory:  # rows go to disk as they are finished: write in row order
            self._merges(ws, [m for m in lay.merges if m[0] == 0])
            cells = sorted(lay.cells, key=lambda cell: (cell.row, cell.col))
            later = sorted((m for m in lay.merges if m[0] != 0), key=lambda m: (m[0], m[1]))
            if later or links:
                cells = self._interleave(cells, later, links)
                links = []
        else:
            self._merges(ws, lay.merges)
        inputs, sheet = (None if lay.hidden else self.inputs), ws.name
        for r, c, value, formula, kind, role in cells:
            if role == "_merge":
                self._merges(ws, [value])
                continue
            if role == "input" and formula is None and inputs is not None:
                inputs.add(sheet, r, c, value)
            if role == "_link":
                ws.write_url(r, c, f"internal:'{value}'!A1", th.link(), string=formula)
                continue
            if table_header and r == lay.header_row and role == "header":
                continue
            fmt = self._role_format(kind, role)
            if formula is not None:
                ws.write_formula(r, c, "=" + formula, fmt, _excel_value(value))
            elif value is None or value == "":
                ws.write_blank(r, c, None, fmt)
            elif isinstance(value, str):
                ws.write_string(r, c, value, fmt)
            elif isinstance(value, bool):
                ws.write_boolean(r, c, value, fmt)
            elif isinstance(value, dt.date):
                if not isinstance(value, dt.datetime):
                    value = dt.datetime(value.year, value.month, value.day)
                ws.write_datetime(r, c, value, fmt)
            else:
                ws.write_number(r, c, value, fmt)
        for r, c, target, text in links:
            ws.write_url(r, c, f"internal:'{target}'!A1", th.link(), string=text)
        if table_header:
            headers = [
                cell.value for cell in lay.cells if cell.row == lay.header_row and cell.role == "header"
            ]
            ws.add_table(
                lay.header_row,
                0,
                lay.last_row,
                len(headers) - 1,
                {
                    "columns": [{"header": h, "header_format": th.header()} for h in headers],
                    "style": "Table Style Light 1",
                    "autofilter": True,
                },
            )
        elif lay.last_row >= lay.first_row and lay.spec.kind in ("list", "grid"):
            ncols = max(len(lay.widths), 1)
            ws.autofilter(lay.header_row, 0, lay.last_row, ncols - 1)
        self._validations(ws, lay)
        self._alerts(ws, lay)
        for chart in lay.charts:
            self._chart(ws, chart)
        self._page_setup(ws, lay)
        return ws

    # --- pieces -----------------------------------------------------------------------
    def _merges(self, ws, merges) -> None:
        for r1, c1, r2, c2, value, role in merges:
            fmt = self._role_format("text", role)
            if role == "input" and not ws.hidden:
                self.inputs.add(ws.name, r1, c1, str(value))
            if (r1, c1) == (r2, c2):
                ws.write_string(r1, c1, str(value), fmt)
            else:
                ws.merge_range(r1, c1, r2, c2, str(value), fmt)

    @staticmethod
    def _interleave(cells, merges, links) -> list:
        """Cells, merges and links as one row-ordered list of cell tuples (constant_memory)."""
        extra = [Cell(m[0], m[1], m, None, "text", Role.MERGE) for m in merges]
        extra += [Cell(r, c, target, text, "text", Role.LINK_TO) for r, c, target, text in links]
        # a merge first: a cell written to its top-left corner fills it, as in memory mode
        return sorted(
            [*cells, *extra], key=lambda cell: (cell.row, cell.col, cell.role != Role.MERGE)
        )

    def _role_format(self, kind: str, role: str):
        th = self.theme
        if role in ("data", "input", "computed", "subtotal", "total"):
            if kind == "wrap":  # text wrapped in its cell (a column or block with wrap: true)
                return th.cell("text", role, wrap=True)
            return th.cell(kind, role)
        if role == "header":
            return th.header()
        if role == "title":
            return th.title()
        if role == "subtitle":
            return th.subtitle()
        if role == "subtitle_right":
            return th.subtitle("right")
        if role in ("footer",):
            return th.subtitle()
        if role == "note":
            return th.note()
        if role == "note_line":
            return th.note(wrap=False)
        if role == "label":
            return th.label()
        if role == "label_plain":
            return th.label(bold=False)
        if role == "link":
            return th.link()
        return th.cell(kind, "data")

    def _validations(self, ws, lay: SheetLayout) -> None:
        for v in lay.validations:
            opts = {
                "input_title": v.title[:32],
                "input_message": v.message[:255],
                "error_title": "输入有误" if self.lang == "zh" else "Invalid entry",
                "error_message": v.message[:255],
                "ignore_blank": True,
            }
            if v.kind == "list":
                opts.update(validate="list", source="=" + v.source)
            elif v.kind == "date":
                opts.update(
                    validate="date",
                    criteria="between",
                    minimum=dt.datetime.combine(v.minimum, dt.time()),
                    maximum=dt.datetime.combine(v.maximum, dt.time()),
                )
            elif v.kind == "length":
                opts.update(
                    validate="length", criteria="between", minimum=v.minimum, maximum=v.maximum
                )
            else:
                opts.update(
                    validate=v.kind, criteria="between", minimum=v.minimum, maximum=v.maximum
                )
            ws.data_validation(v.first_row, v.col, v.last_row, v.col, opts)

    def _alerts(self, ws, lay: SheetLayout) -> None:
        for a in lay.alerts:
            if a.databar:
                ws.conditional_format(
                    a.first_row,
                    a.col,
                    a.last_row,
                    a.col,
                    {"type": "data_bar", "bar_color": "#9BC2E6", "bar_solid": True},
                )
                continue
            fmt = self.theme.alert(a.style)
            if a.op == "text":
                opts = {
                    "type": "text",
                    "criteria": "containing",
                    "value": a.value.strip('"'),
                    "format": fmt,
                }
            else:
                opts = {"type": "cell", "criteria": a.op, "value": a.value, "format": fmt}
            ws.conditional_format(a.first_row, a.col, a.last_row, a.col, opts)

    def _chart(self, ws, spec: dict) -> None:
        chart = self.wb.add_chart(
            {"type": spec["type"], **({"subtype": spec["subtype"]} if "subtype" in spec else {})}
        )
        for series in spec["series"]:
            chart.add_series(series)
        chart.set_title({"name": spec["title"], "name_font": {"name": "微软雅黑", "size": 11}})
        chart.set_legend({"position": spec.get("legend", "bottom")})
        if "y_format" in spec:
            chart.set_y_axis(
                {
                    "num_format": spec["y_format"],
                    "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
                }
            )
        if "x_format" in spec:
            chart.set_x_axis({"num_format": spec["x_format"]})
        if spec.get("reverse"):
            chart.set_y_axis({"reverse": True})
        chart.set_size({"width": spec.get("width", 560), "height": spec.get("height", 300)})
        ws.insert_chart(spec["row"], spec["col"], chart, {"object_position": 1})

    def _page_setup(self, ws, lay: SheetLayout) -> None:
        ws.set_paper(9)  # A4
        landscape, scale = legible_print_setup(lay)
        if landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        if scale and lay.spec.kind == "dashboard":  # pages across, broken at spacer columns
            ws.set_print_scale(scale)
            room = _A4_PRINTABLE[True] * 100 / scale
            ws.set_v_pagebreaks(spacer_breaks(lay.widths, room, lay.charts))
            # each further row of charts starts a page rather than being cut across two
            ws.set_h_pagebreaks(sorted({c["row"] for c in lay.charts if "row" in c})[1:])
        elif scale:  # too wide for one legible page: fixed scale, key columns on every page
            ws.set_print_scale(scale)
            ws.repeat_columns(0, max(lay.spec.freeze_cols, 1) - 1)
        else:
            ws.fit_to_pages(*lay.fit_pages)
        if lay.spec.kind == "form":
            ws.hide_gridlines(2)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.center_horizontally()
        if lay.spec.kind in ("list", "grid"):
            ws.repeat_rows(0, lay.header_row)
            ws.freeze_panes(lay.header_row + 1, lay.spec.freeze_cols)
        ws.set_footer(FOOTER_EN if self.lang == "en" else FOOTER)
        if self.protect:
            ws.protect(self.password, PROTECT_OPTIONS)
