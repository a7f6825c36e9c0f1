"""XlsxWriter side of the add-in packaging: macro-enabled workbooks with a VBA project.

* :func:`write_addin_workbook` writes the workbook part of ``SalesPlan.xlam``: one
  xlwings configuration sheet (keys in column A, values in column B, as xlwings'
  ``GetConfigFromSheet`` reads them) and the VBA project. ``salesplan_xl.addin.package``
  then adds the ribbon and turns it into an add-in (zip post-processing).
* :func:`attach_vba_project` makes a kit being written by :class:`KitWriter` macro-enabled:
  it adds the configuration sheet, fixes every sheet's VBA code name and attaches the
  project built for exactly those code names.

This module and ``writer.py`` are the only ones that know XlsxWriter.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path

import xlsxwriter

__all__ = ["ConfigRows", "attach_vba_project", "write_addin_workbook", "write_config_rows"]

#: ``(key, value)`` pairs of an xlwings configuration sheet, in sheet order.
ConfigRows = Sequence[tuple[str, object]]


def write_config_rows(ws, rows: ConfigRows, key_format=None) -> None:
    """Keys in column A, values in column B from row 1, no gaps (xlwings stops at the
    first blank key). Booleans are written as Excel booleans, everything else as text."""
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 48)
    for r, (key, value) in enumerate(rows):
        ws.write_string(r, 0, key, key_format)
        if isinstance(value, bool):
            ws.write_boolean(r, 1, value)
        elif value is None or value == "":
            ws.write_blank(r, 1, None)
        else:
            ws.write_string(r, 1, str(value))


def write_addin_workbook(
    path: str | Path,
    vba: bytes,
    config_sheet: str,
    config: ConfigRows,
    properties: dict,
) -> Path:
    """Write the workbook part of an add-in: ``config_sheet`` and the VBA project ``vba``
    (whose document modules must be ``ThisWorkbook`` and ``Sheet1``). Returns ``path``."""
    path = Path(path)
    wb = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
    )
    wb.set_properties(properties)
    ws = wb.add_worksheet(config_sheet)
    write_config_rows(ws, config, wb.add_format({"bold": True}))
    wb.add_vba_project(io.BytesIO(vba), is_stream=True)
    wb.set_vba_name("ThisWorkbook")
    ws.set_vba_name("Sheet1")
    wb.close()
    return path


def attach_vba_project(
    kit,
    make_vba: Callable[[list[str]], bytes],
    config_sheet: str | None = None,
    config: ConfigRows = (),
) -> list[str]:
    """Make the kit being written by ``kit`` (a :class:`KitWriter`) macro-enabled.

    Adds ``config_sheet`` (hidden) holding ``config``, names the sheets' VBA code names
    ``Sheet1``, ``Sheet2``, ... in workbook order, and attaches ``make_vba(code_names)``.
    Call it after the last sheet was added, before the writer closes; the kit's path
    must end in ``.xlsm``. Returns the code names.
    """
    if config_sheet is not None:
        ws = kit.add_sheet(config_sheet, hidden=True)
        write_config_rows(ws, config)
    sheets = kit.wb.worksheets()
    names = [f"Sheet{i + 1}" for i in range(len(sheets))]
    for ws, name in zip(sheets, names, strict=True):
        ws.set_vba_name(name)
    kit.wb.add_vba_project(io.BytesIO(make_vba(names)), is_stream=True)
    kit.wb.set_vba_name("ThisWorkbook")
    return names
