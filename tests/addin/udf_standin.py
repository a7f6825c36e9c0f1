"""A stand-in for ``macros/generated/SalesPlanUdfs.bas`` while it does not exist yet.

Same shape as xlwings' ``generate_vba_wrapper`` output for a workbook (``ThisWorkbook``),
one wrapper per measure with a UDF. Tests use the real file when it is there.
"""

from __future__ import annotations

from pathlib import Path

from salesplan_xl.addin.package import macros_dir
from salesplan_xl.measures import MEASURES, get


def _wrapper(name: str, params: tuple[str, ...]) -> str:
    args = ", ".join(params)
    return (
        f"Function {name}({args})\r\n"
        '    If (Not Application.CommandBars("Standard").Controls(1).Enabled) Then Exit Function\r\n'
        '    #If App = "Microsoft Excel" Then\r\n'
        "        If TypeOf Application.Caller Is Range Then On Error GoTo failed\r\n"
        f'        {name} = XLPy.CallUDF("salesplan_xl.udfs", "{name}", Array({args}), '
        "ThisWorkbook, Application.Caller)\r\n"
        "        Exit Function\r\n"
        "    #Else\r\n"
        f'        {name} = XLPy.CallUDF("salesplan_xl.udfs", "{name}", Array({args}))\r\n'
        "        Exit Function\r\n"
        "    #End If\r\n"
        "failed:\r\n"
        f"    {name} = Err.Description\r\n"
        "End Function\r\n\r\n"
    )


def standin_text() -> str:
    get("ageing_bucket")
    measures = sorted((m for m in MEASURES.values() if m.udf), key=lambda m: m.udf)
    body = "".join(_wrapper(m.udf, m.params) for m in measures)
    return 'Attribute VB_Name = "xlwings_udfs"\r\n' + body


def udf_wrappers_path(tmp: Path) -> tuple[Path, bool]:
    """(path of the wrappers, True if it is the real generated file)."""
    real = macros_dir() / "generated" / "SalesPlanUdfs.bas"
    if real.is_file():
        return real, True
    path = tmp / "SalesPlanUdfs.bas"
    path.write_bytes(standin_text().encode("ascii"))
    return path, False
