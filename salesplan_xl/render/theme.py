"""The kit's look: fonts, colours and number formats, as XlsxWriter formats.

One :class:`Theme` per workbook. Formats are made on first use and cached by their
role and type, so a 10,000-row sheet uses a handful of formats::

    >>> import xlsxwriter, io
    >>> wb = xlsxwriter.Workbook(io.BytesIO())
    >>> theme = Theme(wb)
    >>> theme.cell("money", "input") is theme.cell("money", "input")
    True
"""

from __future__ import annotations

FONT = "等线"  # Excel's default CJK UI font; Office falls back to 微软雅黑, LibreOffice to Noto CJK
FONT_TITLE = "微软雅黑"

NUMBER_FORMATS = {
    "text": "@",
    "money": "¥#,##0.00",
    "money0": "¥#,##0",
    "amount": "#,##0.00",
    "percent": "0.0%",
    "int": "#,##0",
    "year": "0",
    "number": "#,##0.00",
    "score": "0.0",
    "date": "yyyy-mm-dd",
    "month": "yyyy-mm",
    "hours": "0.0",
}

# Colours: a calm blue for headers, pale yellow for input cells (what users type into),
# pale grey for computed cells, light blue for subtotal rows.
HEADER_BG = "#1F4E78"
HEADER_FG = "#FFFFFF"
INPUT_BG = "#FFF9E5"
COMPUTED_BG = "#F2F2F2"
SUBTOTAL_BG = "#DDEBF7"
TOTAL_BG = "#BDD7EE"
BORDER = "#A6A6A6"

# Tab colours by family (目录 shows the same families).
TAB_COLOURS = {
    "index": "#1F4E78",
    "plan": "#2E75B6",
    "crm": "#548235",
    "key_account": "#C55A11",
    "finance": "#7030A0",
    "dashboard": "#BF9000",
    "system": "#7F7F7F",
}

# Conditional-format styles.
ALERT_STYLES = {
    "bad": {"bg_color": "#FFC7CE", "font_color": "#9C0006"},
    "warn": {"bg_color": "#FFEB9C", "font_color": "#9C5700"},
    "good": {"bg_color": "#C6EFCE", "font_color": "#006100"},
}


class Theme:
    """Creates and caches the workbook's formats."""

    def __init__(self, workbook):
        self.workbook = workbook
        self._cache: dict[tuple, object] = {}

    def _make(self, key: tuple, props: dict):
        fmt = self._cache.get(key)
        if fmt is None:
            fmt = self.workbook.add_format(props)
            self._cache[key] = fmt
        return fmt

    def cell(self, kind: str = "text", role: str = "data", wrap: bool = False):
        """A body cell: ``role`` is data (locked value), input (unlocked), computed,
        subtotal or total; ``kind`` is a key of NUMBER_FORMATS."""
        cached = self._cache.get(("cell", kind, role, wrap))
        if cached is not None:
            return cached
        props = {
            "font_name": FONT,
            "font_size": 10,
            "border": 1,
            "border_color": BORDER,
            "valign": "vcenter",
            "num_format": NUMBER_FORMATS.get(kind, "General"),
        }
        if kind in ("text",) and not wrap:
            props["num_format"] = "@"
        if kind in ("date", "month", "percent", "score", "hours"):
            props["align"] = "center"
        if wrap:
            props["text_wrap"] = True
        if role == "input":
            props.update(bg_color=INPUT_BG, locked=False)
        elif role == "computed":
            props.update(bg_color=COMPUTED_BG)
        elif role == "subtotal":
            props.update(bg_color=SUBTOTAL_BG, bold=True)
        elif role == "total":
            props.update(bg_color=TOTAL_BG, bold=True)
        return self._make(("cell", kind, role, wrap), props)

    def header(self):
        return self._make(
            ("header",),
            {
                "font_name": FONT,
                "font_size": 10,
                "bold": True,
                "font_color": HEADER_FG,
                "bg_color": HEADER_BG,
                "border": 1,
                "border_color": BORDER,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            },
        )

    def title(self):
        return self._make(
            ("title",),
            {
                "font_name": FONT_TITLE,
                "font_size": 16,
                "bold": True,
                "align": "center",
                "valign": "vcenter",
            },
        )

    def subtitle(self, align: str = "left"):
        return self._make(
            ("subtitle", align),
            {
                "font_name": FONT,
                "font_size": 10,
                "font_color": "#404040",
                "align": align,
                "valign": "vcenter",
            },
        )

    def label(self, bold: bool = True):
        return self._make(
            ("label", bold),
            {
                "font_name": FONT,
                "font_size": 10,
                "bold": bold,
                "bg_color": "#F2F2F2" if bold else "#FFFFFF",
                "border": 1,
                "border_color": BORDER,
                "valign": "vcenter",
                "text_wrap": True,
            },
        )

    def link(self):
        return self._make(
            ("link",),
            {
                "font_name": FONT,
                "font_size": 10,
                "font_color": "#0563C1",
                "underline": 1,
                "border": 1,
                "border_color": BORDER,
            },
        )

    def note(self, wrap: bool = True):
        """Small grey italic text; unwrapped, a note runs on over the empty cells right of it."""
        return self._make(
            ("note", wrap),
            {
                "font_name": FONT,
                "font_size": 9,
                "font_color": "#595959",
                "italic": True,
                "text_wrap": wrap,
                "valign": "top",
            },
        )

    def alert(self, style: str):
        return self._make(("alert", style), ALERT_STYLES[style])
