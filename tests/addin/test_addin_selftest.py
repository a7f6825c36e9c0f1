"""`salesplan addin selftest`: the PowerShell script and its inputs, the steps it runs inside
Excel's Python (driven here with the openpyxl double), and the report reader."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import ovba_checks
import pytest
from ribbon_double import OpenpyxlBook
from typer.testing import CliRunner

from salesplan_xl.addin import selftest
from salesplan_xl.cli import app
from salesplan_xl.planning.splits import split_total

pytestmark = pytest.mark.slow  # builds the add-in and two demo kits


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("selftest")
    result = CliRunner().invoke(app, ["addin", "selftest", "--out", str(folder)])
    assert result.exit_code == 0, result.output
    assert "powershell -ExecutionPolicy Bypass -File" in result.output
    return folder


@pytest.fixture(scope="module")
def inputs(out) -> dict:
    return json.loads((out / selftest.INPUTS).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def script(out) -> str:
    raw = (out / selftest.SCRIPT).read_bytes()
    raw.decode("ascii")  # PowerShell 5.1 reads a file without BOM in the ANSI code page
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    return raw.decode("ascii")


# --- the script --------------------------------------------------------------------------------
def powershell_tokens(text: str) -> list[str]:
    """Brackets of a PowerShell script outside strings and comments (single quotes double
    '' to escape; double-quoted strings escape with a backtick)."""
    out, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif ch == "'":
            j = i + 1
            while True:
                j = text.index("'", j)
                if text[j + 1 : j + 2] == "'":
                    j += 2
                    continue
                break
            i = j + 1
        elif ch == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "`" else 1
            i = j + 1
        else:
            if ch in "(){}[]":
                out.append(ch)
            i += 1
    return out


def test_script_brackets_balance(script):
    stack, pairs = [], {")": "(", "}": "{", "]": "["}
    for token in powershell_tokens(script):
        if token in "({[":
            stack.append(token)
        else:
            assert stack and stack.pop() == pairs[token], "unbalanced bracket"
    assert not stack


def test_every_documented_check_runs_in_order(script):
    names = re.findall(r"^\s*Invoke-Check '(\w+)'", script, re.MULTILINE)
    assert names == list(selftest.CHECKS)
    assert "$script:checks" in script and "ConvertTo-Json" in script
    assert "selftest-report.json" in script


def test_script_uses_only_inputs_that_exist(script, inputs, out):
    used = set(re.findall(r"\$inputs\.(\w+)", script))
    assert used <= set(inputs), used - set(inputs)
    for key in ("addin", "kit", "kit_udf", "kit_udf_addin"):
        assert (out / inputs[key]).is_file(), key
    steps = set(re.findall(r"Invoke-Step '(\w+)'", script))
    assert steps == {"diagnostics", "split_target", "check_inputs", "export_pdf"}


def test_the_vba_the_script_calls_exists_in_the_addin(script, inputs, out):
    with zipfile.ZipFile(out / inputs["addin"]) as z:
        project = ovba_checks.read_vba_project(z.read("xl/vbaProject.bin"))
    for module, proc in set(re.findall(r"'!(\w+)\.(\w+)\"", script)):
        source = project.sources[module]
        assert re.search(rf"^(Public )?(Function|Sub) {proc}\b", source, re.MULTILINE), proc
    types = {m.name: m.module_type for m in project.dir.modules}
    # vbext_ComponentType: 1 standard, 2 class, 100 document
    expected = {1: 0x0021, 2: 0x0022, 100: 0x0022}
    assert {k: expected[v] for k, v in inputs["vba_modules"].items()} == types
    assert inputs["config_sheet"] == "salesplan.conf"


@pytest.mark.skipif(shutil.which("pwsh") is None, reason="pwsh (PowerShell) is not installed")
def test_script_parses_as_powershell(out):
    command = (
        "$e = $null; [void][System.Management.Automation.Language.Parser]::ParseFile("
        f"'{out / selftest.SCRIPT}', [ref]$null, [ref]$e); if ($e.Count) {{ $e; exit 1 }}"
    )
    result = subprocess.run(["pwsh", "-NoProfile", "-Command", command], capture_output=True)
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()


# --- the inputs ---------------------------------------------------------------------------------
def test_every_sp_function_has_a_cell_with_pythons_value(inputs):
    covered = {c["function"] for c in inputs["udf_cells"] + inputs["udf_extra"]}
    assert covered == set(selftest.sp_functions()) and len(covered) == 14
    extra = {c["function"]: c["expected"] for c in inputs["udf_extra"]}
    assert extra["SP_SPLIT"] == split_total(1200, [1, 1, 2], 100)[0]
    assert extra["SP_YTD"] == 600
    for cell in inputs["udf_cells"]:
        assert cell["function"] + "(" in cell["formula"]


def test_the_addin_copy_of_the_udf_kit_has_no_vba(out, inputs):
    with zipfile.ZipFile(out / inputs["kit_udf_addin"]) as z:
        names = z.namelist()
        types = z.read("[Content_Types].xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        sheets = "".join(z.read(n).decode() for n in names if n.startswith("xl/worksheets/"))
    assert "xl/vbaProject.bin" not in names
    assert "macroEnabled" not in types and "vbaProject" not in types + rels
    assert "SP_CREDIT_USAGE(" in sheets


# --- the steps inside Excel, on the openpyxl double ------------------------------------------------
def test_steps_pass_on_the_demo_kit(out, inputs, tmp_path):
    kit = Path(shutil.copyfile(out / inputs["kit"], tmp_path / "kit.xlsx"))
    shutil.copyfile(out / selftest.INPUTS, tmp_path / selftest.INPUTS)
    book = OpenpyxlBook(kit)
    spec = inputs["split_target"]
    book.write(spec["sheet"], spec["parts"], [[None] * 12])
    book.write(spec["sheet"], spec["total"], [[spec["value"]]])
    book.select(spec["sheet"], spec["total"])
    assert selftest.excel_step("split_target", tmp_path / selftest.INPUTS, book)["ok"]
    bad = inputs["check_inputs"]
    book.write(bad["sheet"], bad["cell"], [[bad["value"]]])
    result = selftest.excel_step("check_inputs", tmp_path / selftest.INPUTS, book)
    assert result["ok"] and result["messages"]  # the message was captured, not shown
    diagnostics = selftest.excel_step("diagnostics", tmp_path / selftest.INPUTS, book)
    assert diagnostics["ok"], diagnostics
    written = json.loads((tmp_path / "steps" / "check_inputs.json").read_text("utf-8"))
    assert [bad["sheet"], bad["cell"]] in written["detail"]["findings"]


def test_a_step_that_goes_wrong_is_reported_not_raised(out, inputs, tmp_path):
    shutil.copyfile(out / selftest.INPUTS, tmp_path / selftest.INPUTS)
    book = OpenpyxlBook(Path(shutil.copyfile(out / inputs["kit"], tmp_path / "kit.xlsx")))
    book.select(inputs["split_target"]["sheet"], "B2")  # a title, not a number
    result = selftest.excel_step("split_target", tmp_path / selftest.INPUTS, book)
    assert result["ok"] is False and "不是数字" in result["messages"][-1]
    result = selftest.excel_step("no_such_step", tmp_path / selftest.INPUTS, book)
    assert result["ok"] is False and "unknown step" in result["error"]


# --- the report ----------------------------------------------------------------------------------
def report(tmp_path: Path, checks: list[dict], bom: bool = True, **extra) -> Path:
    data = {
        "format": selftest.REPORT_FORMAT,
        "started": "2026-12-01T08:00:00",
        "finished": "2026-12-01T08:03:00",
        "machine": {"excel": "Excel 16.0 build 17928", "os": "Windows 10", "powershell": "5.1"},
        "checks": checks,
        **extra,
    }
    path = tmp_path / "selftest-report.json"
    text = json.dumps(data, ensure_ascii=False)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def all_checks(status: str = "passed") -> list[dict]:
    return [{"name": n, "status": status, "detail": "d", "error": ""} for n in selftest.CHECKS]


def test_report_all_passed(tmp_path):
    path = report(tmp_path, all_checks())
    text, passed = selftest.format_report(path)
    assert passed and f"{len(selftest.CHECKS)} passed, 0 failed" in text
    result = CliRunner().invoke(app, ["addin", "selftest", "--read", str(path)])
    assert result.exit_code == 0 and "Excel 16.0 build 17928" in result.output


def test_report_with_a_failure_and_a_manual_check(tmp_path):
    checks = all_checks()
    checks[1] = {"name": "addin_opens", "status": "failed", "detail": "", "error": "repair\nline 2"}
    checks[5]["status"] = "manual"
    path = report(tmp_path, checks, bom=False)
    text, passed = selftest.format_report(path)
    assert not passed
    assert re.search(r"^FAILED\s+addin_opens\s+repair$", text, re.MULTILINE)
    assert re.search(r"^manual\s+ribbon_tab", text, re.MULTILINE)
    assert "1 failed, 1 to check by eye" in text
    assert CliRunner().invoke(app, ["addin", "selftest", "--read", str(path)]).exit_code == 1


def test_report_missing_checks_is_not_a_pass(tmp_path):
    text, passed = selftest.format_report(report(tmp_path, all_checks()[:3]))
    assert not passed and "not run: vba_compiles" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", "not a readable JSON report"),
        (b'{"format": "other"}', "not a self-test report"),
        (b'{"format": "salesplan-selftest/1", "checks": {}}', "'checks' is not a list"),
        (
            b'{"format": "salesplan-selftest/1", "checks": [{"name": "x", "status": "ok"}]}',
            "status 'ok'",
        ),
    ],
)
def test_report_reader_rejects_other_files(tmp_path, content, message):
    path = tmp_path / "r.json"
    path.write_bytes(content)
    with pytest.raises(selftest.ReportError, match=message):
        selftest.read_report(path)
    result = CliRunner().invoke(app, ["addin", "selftest", "--read", str(path)])
    assert result.exit_code == 2 and message.split("'")[0] in result.output


def test_cli_wants_out_or_read():
    assert CliRunner().invoke(app, ["addin", "selftest"]).exit_code == 2
    both = ["addin", "selftest", "--out", "x", "--read", "y"]
    assert CliRunner().invoke(app, both).exit_code == 2
