"""A self-test for a Windows machine with Excel: ``salesplan addin selftest --out DIR``.

Everything the tests here cannot confirm (README, *What only real Excel can confirm*) is
checked by one run of ``DIR/selftest.ps1`` on the machine that has Excel and this package::

    powershell -ExecutionPolicy Bypass -File DIR\\selftest.ps1

The script starts its own Excel through COM (visible, so a dialog is seen), opens the
add-in directly (Excel started through COM loads nothing from XLSTART), and runs the
checks in :data:`CHECKS` on copies of the files written beside it. It writes
``DIR/selftest-report.json``; ``salesplan addin selftest --read DIR/selftest-report.json``
prints it (exit code 0 when every check passed, 1 otherwise, 2 for a file that is no
report).

Files in ``DIR``: ``SalesPlan.xlam``; ``kit.xlsx`` (the demo kit, native formulas);
``kit-udf.xlsm`` (the demo kit, ``--formulas udf``); ``kit-udf-addin.xlsx`` (the same
cells without the kit's VBA, so the SP_* calls go to the add-in); ``selftest-inputs.json``
(paths, the cells to use and the values Python expects); ``selftest.ps1`` (ASCII).

Report format (``format`` = :data:`REPORT_FORMAT`)::

    {"format": "salesplan-selftest/1",
     "started": "2026-12-01T08:00:00", "finished": "...",
     "machine": {"excel": "16.0 build 17928", "os": "...", "powershell": "5.1..."},
     "checks": [{"name": "addin_opens", "status": "passed" | "failed" | "manual",
                 "detail": "what was seen", "error": "error text when failed"}, ...]}

``manual`` marks what only a person can see (the ribbon tab); with ``-Interactive`` the
script asks and records the answer as passed/failed.

Ribbon actions run inside Excel's Python through the add-in's ``RunPython`` (the path a
button takes after its VBA callback): :func:`excel_step` runs one action with the
messages captured instead of shown, and writes ``steps/<step>.json`` for the script.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import shutil
import traceback
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "CHECKS",
    "REPORT_FORMAT",
    "ReportError",
    "excel_step",
    "format_report",
    "read_report",
    "write_selftest",
]

REPORT_FORMAT = "salesplan-selftest/1"
SCRIPT = "selftest.ps1"
INPUTS = "selftest-inputs.json"
REPORT = "selftest-report.json"

#: Every check of the script, in order, with what it shows.
CHECKS: dict[str, str] = {
    "excel_starts": "Excel starts through COM; its version and build",
    "addin_opens": "SalesPlan.xlam opens without repair: an add-in with its VBA project "
    "and its salesplan.conf sheet",
    "vba_modules": "the VBA project lists every module with its type (needs Trust access "
    "to the VBA project object model, else manual)",
    "vba_compiles": "Debug > Compile of the add-in's project succeeds (same access)",
    "config_read": "the add-in's xlwings reads UDF Modules from its sheet and the "
    "interpreter from the user file salesplan.conf",
    "ribbon_tab": "the 销售计划 tab with its seven buttons (manual: only a person sees it)",
    "ribbon_callback": "a click on 诊断 reaches SalesPlanRibbon.OnAction and Python (every "
    "button shares that callback; manual unless -Interactive)",
    "diagnostics": "诊断 through RunPython: Python, xlwings, salesplan_xl and the UDFs import",
    "split_target": "拆分目标 on a copy of the demo kit: the parts Python expects",
    "check_inputs": "检查输入 on the copy: the bad value typed is listed and marked",
    "udf_addin": "one cell of every SP_* function, computed by the add-in, equals Python",
    "udf_kit": "the same cells computed inside the udf kit (its own VBA) equal Python",
    "export_pdf": "导出 PDF writes a non-empty PDF beside the kit copy",
}

#: Cells used on the demo kit (the tests use the same ones with an openpyxl double).
SPLIT_SHEET, SPLIT_TOTAL, SPLIT_PARTS, SPLIT_VALUE = "P9 销售预算", "A4", "B4:M4", 1200
BAD_SHEET, BAD_CELL, BAD_VALUE = "参数", "B10", 20  # growth rate: out of its range
TOLERANCE = 1e-9


class ReportError(ValueError):
    """A file that is not a self-test report."""


# --- writing the self-test -------------------------------------------------------------------
def _strip_vba(src: Path, dest: Path) -> Path:
    """``src`` (.xlsm) as an .xlsx: no VBA project, so its SP_* calls resolve to the add-in."""
    macro_ct = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    plain_ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename == "xl/vbaProject.bin":
                continue
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                text = data.decode("utf-8").replace(macro_ct, plain_ct)
                text = text.replace(
                    '<Override PartName="/xl/vbaProject.bin" '
                    'ContentType="application/vnd.ms-office.vbaProject"/>',
                    "",
                )
                text = text.replace(
                    '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
                    "",
                )
                data = text.encode("utf-8")
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = re.sub(rb"<Relationship [^>]*vbaProject[^>]*/>", b"", data)
            zout.writestr(info, data)
    return dest


def _json_value(value: Any) -> Any:
    """A cached value as Excel's ``Value2`` gives it: dates as serial numbers."""
    from salesplan_xl.sheets.context import excel_serial

    if isinstance(value, dt.datetime):
        midnight = dt.datetime.combine(value.date(), dt.time())
        return excel_serial(value.date()) + (value - midnight).total_seconds() / 86400
    if isinstance(value, dt.date):
        return excel_serial(value)
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def udf_cells(udf_kit: Path) -> list[dict[str, Any]]:
    """For each SP_* function, the first cell of ``udf_kit`` calling it, with its formula
    and the value Python cached there."""
    import openpyxl
    from python_calamine import CalamineWorkbook

    formulas = openpyxl.load_workbook(udf_kit)
    values = CalamineWorkbook.from_path(str(udf_kit))
    seen: dict[str, dict[str, Any]] = {}
    for ws in formulas.worksheets:
        cached = values.get_sheet_by_name(ws.title).to_python()
        for row in ws.iter_rows():
            for cell in row:
                if not (isinstance(cell.value, str) and cell.value.startswith("=")):
                    continue
                for name in re.findall(r"\b(SP_[A-Z_]+)\(", cell.value):
                    if name in seen:
                        continue
                    r, c = cell.row - 1, cell.column - 1
                    value = cached[r][c] if r < len(cached) and c < len(cached[r]) else None
                    seen[name] = {
                        "function": name,
                        "sheet": ws.title,
                        "cell": cell.coordinate,
                        "formula": cell.value,
                        "expected": _json_value(value),
                    }
    return [seen[name] for name in sorted(seen)]


#: SP_* functions the demo kit does not call: a formula with constant arguments, and the
#: arguments as xlwings passes them (``ndim=2``: every argument a 2-D list of floats).
UDF_EXTRA: list[tuple[str, str, tuple]] = [
    (
        "SP_YTD",
        "=SP_YTD({100,200,300,400,500,600,700,800,900,1000,1100,1200},3)",
        ([[float(v) for v in range(100, 1300, 100)]], [[3.0]]),
    ),
    ("SP_TIME_PROGRESS", "=SP_TIME_PROGRESS(46203)", ([[46203.0]],)),  # 2026-06-30
    ("SP_SPLIT", "=SP_SPLIT(1200,{1,1,2},100)", ([[1200.0]], [[1.0, 1.0, 2.0]], [[100.0]])),
    (
        "SP_SEASONAL_SPLIT",
        "=SP_SEASONAL_SPLIT(1200,{1,1,2,2,2,2,2,2,2,2,1,1},1)",
        ([[1200.0]], [[1.0, 1.0] + [2.0] * 8 + [1.0, 1.0]], [[1.0]]),
    ),
    ("SP_KA_GRADE", "=SP_KA_GRADE({80,90,70},{1,1,1})", ([[80.0, 90.0, 70.0]], [[1.0, 1.0, 1.0]])),
    ("SP_ABC", "=SP_ABC({500;300;200})", ([[500.0], [300.0], [200.0]],)),
    # 9.3.4 uses invoice_overdue_days / invoice_bucket (settled invoices are not overdue):
    ("SP_OVERDUE_DAYS", "=SP_OVERDUE_DAYS(46113,46203)", ([[46113.0]], [[46203.0]])),
    ("SP_AGEING", "=SP_AGEING(46113,46203)", ([[46113.0]], [[46203.0]])),
]


def udf_extra() -> list[dict[str, Any]]:
    """:data:`UDF_EXTRA` with the value Python gives (the top-left one of an array, which
    a single cell shows)."""
    import salesplan_xl.udfs as udfs

    out = []
    for name, formula, args in UDF_EXTRA:
        value = getattr(udfs, name)(*args)
        while isinstance(value, list):
            value = value[0]
        out.append({"function": name, "formula": formula, "expected": _json_value(value)})
    return out


def sp_functions() -> list[str]:
    """Every SP_* worksheet function of :mod:`salesplan_xl.udfs`."""
    import salesplan_xl.udfs as udfs

    return sorted(n for n in dir(udfs) if n.startswith("SP_") and callable(getattr(udfs, n)))


def write_selftest(out_dir: str | Path, lang: str = "zh", customers: int = 40) -> Path:
    """Write the script, the add-in, the demo kits and the inputs into ``out_dir``;
    returns the script's path."""
    from salesplan_xl.addin.package import (
        ADDIN_FILENAME,
        CONFIG_SHEET,
        build_addin,
        custom_ui_xml,
    )
    from salesplan_xl.kit import build_demo_kit
    from salesplan_xl.planning.splits import split_total

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    addin = build_addin(out, lang)
    with _scratch(out) as tmp:
        native = build_demo_kit(tmp / "native", customers=customers)
        udf = build_demo_kit(tmp / "udf", customers=customers, formulas="udf")
        kit = Path(shutil.copyfile(native, out / "kit.xlsx"))
        kit_udf = Path(shutil.copyfile(udf, out / "kit-udf.xlsm"))
    kit_udf_addin = _strip_vba(kit_udf, out / "kit-udf-addin.xlsx")
    unit = _cfg_unit(kit)
    cells, extra = udf_cells(kit_udf), udf_extra()
    untested = set(sp_functions()) - {c["function"] for c in cells + extra}
    if untested:
        raise RuntimeError(f"no self-test cell for {sorted(untested)}: add them to UDF_EXTRA")
    _check_cells(kit)
    from xml.etree import ElementTree

    ns = {"ui": "http://schemas.microsoft.com/office/2009/07/customui"}
    ribbon = ElementTree.fromstring(custom_ui_xml(lang).encode("utf-8"))
    inputs = {
        "format": REPORT_FORMAT,
        "addin": addin.name,
        "addin_file": ADDIN_FILENAME,
        "config_sheet": CONFIG_SHEET,
        "udf_module": "salesplan_xl.udfs",
        "vba_modules": {
            "ThisWorkbook": 100,
            "Sheet1": 100,
            "xlwings": 1,
            "Dictionary": 2,
            "SalesPlanRibbon": 1,
            "xlwings_udfs": 1,
        },
        "ribbon_tab": ribbon.find(".//ui:tab", ns).get("label"),
        "ribbon_buttons": [b.get("label") for b in ribbon.iterfind(".//ui:button", ns)],
        "kit": kit.name,
        "kit_udf": kit_udf.name,
        "kit_udf_addin": kit_udf_addin.name,
        "split_target": {
            "sheet": SPLIT_SHEET,
            "total": SPLIT_TOTAL,
            "parts": SPLIT_PARTS,
            "value": SPLIT_VALUE,
            "expected": split_total(SPLIT_VALUE, [1.0] * 12, unit),
        },
        "check_inputs": {"sheet": BAD_SHEET, "cell": BAD_CELL, "value": BAD_VALUE},
        "udf_cells": cells,
        "udf_extra": extra,
        "tolerance": TOLERANCE,
        "checks": CHECKS,
    }
    (out / INPUTS).write_text(json.dumps(inputs, ensure_ascii=False, indent=1), encoding="utf-8")
    script = out / SCRIPT
    script.write_bytes(POWERSHELL.encode("ascii").replace(b"\n", b"\r\n"))
    return script


class _scratch:
    """A temporary folder inside ``out`` (removed afterwards)."""

    def __init__(self, out: Path):
        self.path = out / ".selftest-build"

    def __enter__(self) -> Path:
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir()
        return self.path

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _cfg_unit(kit: Path) -> float:
    """The kit's rounding unit (defined name ``cfg_unit``), as 拆分目标 reads it."""
    import openpyxl

    wb = openpyxl.load_workbook(kit)
    defined = wb.defined_names.get("cfg_unit")
    if defined is None:
        return 1.0
    for sheet, ref in defined.destinations:
        value = wb[sheet][ref.replace("$", "")].value
        return float(value) if value else 1.0
    return 1.0


def _check_cells(kit: Path) -> None:
    """The cells the script uses exist, and the bad value's cell has a validation."""
    import openpyxl

    from salesplan_xl.sheets.a1 import parse_cell, parse_range

    wb = openpyxl.load_workbook(kit)
    for sheet in (SPLIT_SHEET, BAD_SHEET):
        if sheet not in wb.sheetnames:
            raise RuntimeError(f"the demo kit has no sheet {sheet!r} for the self-test")
    row, col = parse_cell(BAD_CELL)

    def covers(sqref) -> bool:
        boxes = (parse_range(ref) for ref in str(sqref).split())
        return any(r1 <= row <= r2 and c1 <= col <= c2 for r1, c1, r2, c2 in boxes)

    if not any(covers(dv.sqref) for dv in wb[BAD_SHEET].data_validations.dataValidation):
        raise RuntimeError(f"{BAD_SHEET}!{BAD_CELL} has no data validation for the self-test")


# --- inside Excel ------------------------------------------------------------------------------
def excel_step(step: str, inputs_path: str | Path, book=None) -> dict[str, Any]:
    """Run one ribbon action for the script, inside Excel's Python (``RunPython``): the
    action's messages are captured instead of shown, its result compared with
    ``selftest-inputs.json``, and ``steps/<step>.json`` written. ``book``: the
    :class:`~salesplan_xl.ribbon.WorkbookPort` (default: the calling workbook)."""
    from salesplan_xl import ribbon

    inputs_path = Path(inputs_path)
    result: dict[str, Any] = {"step": step, "ok": False, "detail": "", "messages": []}
    try:
        inputs = json.loads(inputs_path.read_text(encoding="utf-8"))
        port = book if book is not None else ribbon.XlwingsBook()
        messages: list[str] = result["messages"]
        port.message = messages.append  # shown by Excel otherwise: a dialog would block
        if step == "diagnostics":
            report = ribbon.diagnostics(port)
            result["detail"] = report
            result["ok"] = report.get("UDFs", "").startswith("ok")
        elif step == "split_target":
            spec = inputs["split_target"]
            parts = ribbon.split_target(port, months=12)
            written = port.read(spec["sheet"], spec["parts"])[0]
            result["detail"] = {"parts": parts, "written": written, "expected": spec["expected"]}
            result["ok"] = parts == spec["expected"] and [float(v) for v in written] == parts
        elif step == "check_inputs":
            spec = inputs["check_inputs"]
            findings = ribbon.check_inputs(port)
            cells = [(f.sheet, f.cell) for f in findings]
            result["detail"] = {"findings": [list(c) for c in cells]}
            result["ok"] = (spec["sheet"], spec["cell"]) in cells
        elif step == "export_pdf":
            pdf = ribbon.export_pdf(port)
            size = pdf.stat().st_size if pdf and Path(pdf).is_file() else 0
            result["detail"] = {"pdf": str(pdf), "bytes": size}
            result["ok"] = size > 0
        else:
            raise ValueError(f"unknown step {step!r}")
    except Exception as exc:  # reported to the script, which records it
        result["error"] = f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"
    steps = inputs_path.parent / "steps"
    steps.mkdir(exist_ok=True)
    (steps / f"{step}.json").write_text(
        json.dumps(result, ensure_ascii=False, default=str), encoding="utf-8"
    )
    return result


# --- reading the report --------------------------------------------------------------------------
@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str
    error: str


def read_report(path: str | Path) -> tuple[dict[str, Any], list[Check]]:
    """The report's header and its checks; :class:`ReportError` naming what is wrong."""
    path = Path(path)
    try:
        raw = path.read_bytes().decode("utf-8-sig")  # PowerShell 5.1 writes a BOM
        data = json.loads(raw)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReportError(f"{path}: not a readable JSON report ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != REPORT_FORMAT:
        raise ReportError(f"{path}: not a self-test report (format is not {REPORT_FORMAT!r})")
    checks = data.get("checks")
    if not isinstance(checks, list):
        raise ReportError(f"{path}: 'checks' is not a list")
    out = []
    for i, entry in enumerate(checks):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ReportError(f"{path}: check #{i + 1} has no name")
        status = entry.get("status")
        if status not in ("passed", "failed", "manual"):
            raise ReportError(f"{path}: check {entry['name']!r} has status {status!r}")
        out.append(
            Check(entry["name"], status, str(entry.get("detail") or ""), str(entry.get("error") or ""))
        )
    return data, out


def format_report(path: str | Path) -> tuple[str, bool]:
    """The report as text, and whether every check passed (manual ones do not count as
    failures, they are listed)."""
    data, checks = read_report(path)
    machine = data.get("machine") or {}
    lines = [
        f"SalesPlan self-test {data.get('started', '?')} .. {data.get('finished', '?')}",
        "  " + ", ".join(f"{k}: {v}" for k, v in machine.items()) if machine else "",
    ]
    width = max((len(c.name) for c in checks), default=10)
    for check in checks:
        mark = {"passed": "ok    ", "failed": "FAILED", "manual": "manual"}[check.status]
        text = check.error if check.status == "failed" else check.detail
        first, *rest = (text or "").splitlines() or [""]
        lines.append(f"{mark}  {check.name:<{width}}  {first}".rstrip())
        lines += [f"{'':{width + 10}}{line}" for line in rest[:5]]
    missing = [name for name in CHECKS if name not in {c.name for c in checks}]
    if missing:
        lines.append("not run: " + ", ".join(missing))
    failed = [c for c in checks if c.status == "failed"]
    manual = [c for c in checks if c.status == "manual"]
    lines.append(
        f"{len(checks) - len(failed) - len(manual)} passed, {len(failed)} failed, "
        f"{len(manual)} to check by eye"
    )
    return "\n".join(line for line in lines if line != ""), not failed and not missing


POWERSHELL = r"""# SalesPlan add-in self-test, written by `salesplan addin selftest`.
# Run on a Windows machine with Excel and this Python package installed:
#     powershell -ExecutionPolicy Bypass -File selftest.ps1 [-Interactive]
# It starts its own Excel, uses copies of the files beside it, and writes
# selftest-report.json; `salesplan addin selftest --read selftest-report.json` prints it.
param(
    [switch]$Interactive,
    [string]$Report = ''
)
$ErrorActionPreference = 'Stop'
$here = Split-Path -Parent $MyInvocation.MyCommand.Path
if ($Report -eq '') { $Report = Join-Path $here 'selftest-report.json' }
$inputsPath = Join-Path $here 'selftest-inputs.json'
$inputs = Get-Content -Raw -Encoding UTF8 $inputsPath | ConvertFrom-Json
$work = Join-Path $here 'run'
if (Test-Path $work) { Remove-Item -Recurse -Force $work }
New-Item -ItemType Directory -Path $work | Out-Null
$steps = Join-Path $here 'steps'
if (Test-Path $steps) { Remove-Item -Recurse -Force $steps }
$missing = [Type]::Missing
$script:checks = New-Object System.Collections.ArrayList
$script:xl = $null
$script:addin = $null
$script:excelInfo = 'not started'
$started = (Get-Date).ToString('s')

function Add-Result([string]$Name, [string]$Status, [string]$Detail, [string]$ErrorText) {
    $entry = [ordered]@{ name = $Name; status = $Status; detail = $Detail; error = $ErrorText }
    [void]$script:checks.Add($entry)
    Write-Host ('{0,-14} {1,-7} {2}{3}' -f $Name, $Status, $Detail, $ErrorText)
}

function Invoke-Check([string]$Name, [scriptblock]$Body) {
    try {
        $detail = & $Body
        if ($detail -is [array]) { $detail = $detail -join '; ' }
        if ("$detail".StartsWith('MANUAL: ')) {
            Add-Result $Name 'manual' "$detail".Substring(8) ''
        } else {
            Add-Result $Name 'passed' "$detail" ''
        }
    } catch {
        Add-Result $Name 'failed' '' $_.Exception.Message
    }
}

function Assert-That([bool]$Condition, [string]$Message) {
    if (-not $Condition) { throw $Message }
}

function Copy-Input([string]$Name) {
    $target = Join-Path $work $Name
    Copy-Item (Join-Path $here $Name) $target
    return $target
}

function Open-Book([string]$Path) {
    # CorruptLoad = xlNormalLoad (0): a file Excel would have to repair fails to open here.
    return $script:xl.Workbooks.Open($Path, 0, $false, $missing, $missing, $missing, $missing,
        $missing, $missing, $missing, $missing, $missing, $false, $missing, 0)
}

function Invoke-Step([string]$Step) {
    # The path a ribbon button takes after its VBA callback: the add-in's RunPython.
    $code = "import salesplan_xl.addin.selftest as t; t.excel_step('$Step', r'$inputsPath')"
    [void]$script:xl.Run("'" + $inputs.addin + "'!xlwings.RunPython", $code)
    $file = Join-Path $steps ($Step + '.json')
    Assert-That (Test-Path $file) "RunPython wrote no result for $Step (is Python reachable?)"
    $result = Get-Content -Raw -Encoding UTF8 $file | ConvertFrom-Json
    if (-not $result.ok) {
        throw ("$Step failed: " + $result.error + ' ' + ($result.detail | ConvertTo-Json -Compress -Depth 5))
    }
    return ($result.detail | ConvertTo-Json -Compress -Depth 5)
}

function Test-Value($Got, $Expected, [double]$Tolerance) {
    if ($null -eq $Expected) { return ($null -eq $Got) -or ("$Got" -eq '') }
    if ($Expected -is [string]) { return "$Got" -eq $Expected }
    if ($Expected -is [bool]) { return [bool]$Got -eq $Expected }
    try { $g = [double]$Got } catch { return $false }
    return [math]::Abs($g - [double]$Expected) -le $Tolerance * [math]::Max(1.0, [math]::Abs([double]$Expected))
}

function Test-UdfCells($Book, [string]$Label) {
    $extra = $Book.Worksheets.Add()
    $row = 1
    foreach ($case in $inputs.udf_extra) {
        $extra.Range('A' + $row).Formula = $case.formula
        $row += 1
    }
    $script:xl.CalculateFullRebuild()  # re-reads every formula: SP_* bind to what is loaded
    $bad = @()
    $row = 1
    foreach ($case in $inputs.udf_extra) {
        $got = $extra.Range('A' + $row).Value2
        if (-not (Test-Value $got $case.expected $inputs.tolerance)) {
            $bad += ('{0}: Excel {1}, Python {2}' -f $case.formula, $got, $case.expected)
        }
        $row += 1
    }
    foreach ($cell in $inputs.udf_cells) {
        $got = $Book.Worksheets.Item($cell.sheet).Range($cell.cell).Value2
        if (-not (Test-Value $got $cell.expected $inputs.tolerance)) {
            $bad += ('{0} {1}!{2}: Excel {3}, Python {4}' -f $cell.function, $cell.sheet, $cell.cell, $got, $cell.expected)
        }
    }
    Assert-That ($bad.Count -eq 0) ($Label + ': ' + ($bad -join '; '))
    return ('{0} SP_* functions equal' -f ($inputs.udf_cells.Count + $inputs.udf_extra.Count))
}

Invoke-Check 'excel_starts' {
    $script:xl = New-Object -ComObject Excel.Application
    $script:xl.Visible = $true
    $script:xl.DisplayAlerts = $false
    $script:xl.AutomationSecurity = 1  # msoAutomationSecurityLow: macros of opened files run
    $script:excelInfo = 'Excel {0} build {1}, {2}' -f $script:xl.Version, $script:xl.Build, $script:xl.OperatingSystem
    $script:excelInfo
}

if ($null -ne $script:xl) {
    Invoke-Check 'addin_opens' {
        $script:addin = Open-Book (Copy-Input $inputs.addin)
        Assert-That $script:addin.IsAddin 'opened, but not as an add-in'
        Assert-That $script:addin.HasVBProject 'opened without its VBA project (repaired?)'
        [void]$script:addin.Worksheets.Item($inputs.config_sheet)
        'IsAddin, VBA project and ' + $inputs.config_sheet + ' sheet present'
    }

    Invoke-Check 'vba_modules' {
        try { $components = $script:addin.VBProject.VBComponents } catch {
            return 'MANUAL: enable Trust access to the VBA project object model to list the modules'
        }
        $found = @{}
        foreach ($c in $components) { $found[$c.Name] = [int]$c.Type }
        foreach ($p in $inputs.vba_modules.PSObject.Properties) {
            Assert-That ($found[$p.Name] -eq [int]$p.Value) ('module ' + $p.Name + ': type ' + $found[$p.Name] + ', expected ' + $p.Value)
        }
        ($found.Keys | Sort-Object) -join ', '
    }

    Invoke-Check 'vba_compiles' {
        try { $vbe = $script:xl.VBE; $script:xl.VBE.ActiveVBProject = $script:addin.VBProject } catch {
            return 'MANUAL: enable Trust access to the VBA project object model to compile'
        }
        $compile = $vbe.CommandBars.FindControl(1, 578)  # Debug > Compile <project>
        Assert-That ($null -ne $compile) 'Debug > Compile not found'
        if ($compile.Enabled) { $compile.Execute() }
        Assert-That (-not $compile.Enabled) 'Compile is still enabled: the project did not compile'
        'compiled'
    }

    Invoke-Check 'config_read' {
        $udf = $script:xl.Run("'" + $inputs.addin + "'!xlwings.GetConfig", 'UDF Modules')
        Assert-That ($udf -eq $inputs.udf_module) ('UDF Modules is ' + $udf)
        $interpreter = $script:xl.Run("'" + $inputs.addin + "'!xlwings.GetConfig", 'INTERPRETER_WIN')
        $user = $script:xl.Run("'" + $inputs.addin + "'!xlwings.GetConfigFilePath")
        Assert-That ($interpreter -ne '') ('no Interpreter_Win in ' + $user + ': run salesplan addin install')
        'UDF Modules ' + $udf + '; Interpreter_Win ' + $interpreter + ' from ' + $user
    }

    Invoke-Check 'ribbon_tab' {
        $what = 'tab ' + $inputs.ribbon_tab + ' with buttons ' + ($inputs.ribbon_buttons -join ', ')
        if (-not $Interactive) { return 'MANUAL: look for the ' + $what }
        $answer = Read-Host ('Does Excel show the ' + $what + '? [y/n]')
        Assert-That ($answer -match '^[yY]') ('not seen: ' + $what)
        'seen: ' + $what
    }

    Invoke-Check 'ribbon_callback' {
        $what = 'a SalesPlan dialog with the Python, xlwings and salesplan_xl versions'
        if (-not $Interactive) { return 'MANUAL: click the last button of the tab and look for ' + $what }
        [void]$script:xl.Workbooks.Add()
        $answer = Read-Host ('Click the last button of the tab (' + $inputs.ribbon_buttons[-1] + '). Did ' + $what + ' appear? [y/n]')
        Assert-That ($answer -match '^[yY]') ('no dialog: the ribbon callback or RunPython failed')
        'seen: ' + $what
    }

    $script:kit = $null
    Invoke-Check 'diagnostics' {
        $script:kit = Open-Book (Copy-Input $inputs.kit)
        [void]$script:kit.Activate()
        Invoke-Step 'diagnostics'
    }

    Invoke-Check 'split_target' {
        $spec = $inputs.split_target
        $sheet = $script:kit.Worksheets.Item($spec.sheet)
        [void]$sheet.Activate()
        [void]$sheet.Range($spec.parts).ClearContents()
        $sheet.Range($spec.total).Value2 = $spec.value
        [void]$sheet.Range($spec.total).Select()
        Invoke-Step 'split_target'
    }

    Invoke-Check 'check_inputs' {
        $spec = $inputs.check_inputs
        $script:kit.Worksheets.Item($spec.sheet).Range($spec.cell).Value2 = $spec.value
        Invoke-Step 'check_inputs'
    }

    Invoke-Check 'udf_addin' {
        $book = Open-Book (Copy-Input $inputs.kit_udf_addin)
        try { Test-UdfCells $book 'add-in' } finally { $book.Close($false) }
    }

    Invoke-Check 'udf_kit' {
        $book = Open-Book (Copy-Input $inputs.kit_udf)
        try { Test-UdfCells $book 'udf kit' } finally { $book.Close($false) }
    }

    Invoke-Check 'export_pdf' {
        [void]$script:kit.Activate()
        [void]$script:kit.Save()
        Invoke-Step 'export_pdf'
    }

    try { $script:xl.DisplayAlerts = $false; $script:xl.Quit() } catch { }
}

$reportData = [ordered]@{
    format = $inputs.format
    started = $started
    finished = (Get-Date).ToString('s')
    machine = [ordered]@{
        excel = $script:excelInfo
        os = [System.Environment]::OSVersion.VersionString
        powershell = $PSVersionTable.PSVersion.ToString()
    }
    checks = $script:checks
}
$json = $reportData | ConvertTo-Json -Depth 6
[System.IO.File]::WriteAllText($Report, $json, (New-Object System.Text.UTF8Encoding($false)))
Write-Host ('report: ' + $Report)
"""
