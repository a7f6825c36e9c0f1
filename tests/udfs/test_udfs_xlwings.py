"""xlwings' real decorators on the SP_* functions, and the VBA module "Import Functions" makes.

Off Windows ``xw.func`` is a no-op, so ``salesplan_xl.udfs.decorated_module`` imports
``xlwings.udfs`` with stub pywin32 modules, rebinds ``xlwings.func/arg/ret`` to its
``xlfunc/xlarg/xlret`` and executes the UDF module again under another name (DESIGN.md
decision 6); then it restores ``sys.modules`` and ``xlwings``.
"""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

import pytest
import xlwings

import salesplan_xl.udfs as udfs
from salesplan_xl.addin.vba_source import load_module
from salesplan_xl.measures import MEASURES

ROOT = Path(__file__).resolve().parents[2]
BAS = ROOT / "macros" / "generated" / "SalesPlanUdfs.bas"
COMMAND = "python -m salesplan_xl.udfs --write-vba macros/generated/SalesPlanUdfs.bas"

# VBA keywords an argument name must not be (the wrapper's parameter list is VBA).
VBA_RESERVED = {
    w.lower()
    for w in """And As Boolean ByRef Byte ByVal Call Case Const Currency Date Declare Dim Do
    Double Each Else ElseIf Empty End Enum Eqv Erase Error Event Exit False For Friend Function
    Get Global GoSub GoTo If Imp Implements In Integer Is Let Like Long LongLong Loop LSet Me
    Mod New Next Not Nothing Null On Optional Or ParamArray Preserve Private Property Public
    RaiseEvent ReDim Rem Resume Return RSet Select Set Single Static Step Stop String Sub Then
    To True Type TypeOf Until Variant Wend While With WithEvents Xor k argsArray""".split()
}


@pytest.fixture(scope="module")
def decorated():
    before = {
        n: sys.modules.get(n) for n in ("pythoncom", "pywintypes", "win32com", "xlwings.udfs")
    }
    func_before = xlwings.func
    xl_udfs, module = udfs.decorated_module()
    # everything is put back: other tests see the plain (no-op) xlwings
    assert {n: sys.modules.get(n) for n in before} == before
    assert xlwings.func is func_before
    return xl_udfs, module


def test_real_decorators_ran(decorated):
    _, module = decorated
    found = sorted(n for n in dir(module) if hasattr(getattr(module, n), "__xlfunc__"))
    assert found == sorted(udfs.UDF_NAMES)
    assert not hasattr(udfs.SP_COMPLETION, "__xlfunc__")  # the ordinary import is untouched


@pytest.mark.parametrize("name", udfs.UDF_NAMES)
def test_metadata(decorated, name):
    _, module = decorated
    f = getattr(module, name)
    info = f.__xlfunc__
    assert info["name"] == name
    assert info["category"] == "销售计划"
    assert info["sub"] is False
    assert info["volatile"] is False and info["async_mode"] is None
    assert info["call_in_wizard"] is True
    assert "expand" not in info["ret"]["options"]
    # help text of the function: its docstring, within MacroOptions' 255 characters
    doc = info["ret"]["doc"]
    assert doc == getattr(udfs, name).__doc__ and 20 < len(doc) <= 255
    assert "\n" not in doc
    assert re.search(r"[\u4e00-\u9fff]", doc) and re.search(r"[A-Za-z]{4}", doc)
    # arguments: the Python signature, each with its own help and 2-D ranges
    params = inspect.signature(getattr(udfs, name)).parameters
    assert [a["name"] for a in info["args"]] == list(params)
    for arg in info["args"]:
        assert not arg["doc"].startswith("Positional argument"), (name, arg["name"])
        assert 5 < len(arg["doc"]) <= 255
        assert arg["options"] == {"ndim": 2, "err_to_str": True}
        assert arg["vba"] is None and arg["vararg"] is False
        assert re.fullmatch(r"[a-z][a-z_]*", arg["name"]) and arg["name"] not in VBA_RESERVED
        default = params[arg["name"]].default
        if default is inspect.Parameter.empty:
            assert "optional" not in arg
        else:
            assert arg["optional"] == default


def test_decorated_functions_still_compute(decorated):
    _, module = decorated
    assert module.SP_COMPLETION([[80.0]], [[100.0]]) == 0.8
    assert module.SP_SPLIT([[1000.0]], [[1.0], [1.0], [1.0]], 100) == [[400.0], [300.0], [300.0]]


def test_measures_udf_names_exist_and_fit_the_signatures():
    with_udf = [m for m in MEASURES.values() if m.udf]
    assert with_udf
    for m in with_udf:
        assert m.udf in udfs.UDF_NAMES, m.name
        params = inspect.signature(getattr(udfs, m.udf)).parameters.values()
        required = sum(p.default is inspect.Parameter.empty for p in params)
        # what the renderer writes with --formulas udf must be a valid call
        refs = {p: f"X{i}" for i, p in enumerate(m.params)}
        refs.update({f"{p}@all": f"X{i}:X9" for i, p in enumerate(m.params)})
        refs.update({f"{p}@upto": f"X{i}:X{i}" for i, p in enumerate(m.params)})
        call = m.excel(refs, mode="udf")
        if m.vector:  # a per-row cell keeps the native formula (the UDF would spill)
            assert not call.startswith(m.udf), (m.name, call)
            continue
        n_args = call.count(",") + 1
        assert required <= n_args <= len(params), (m.name, call)


# --------------------------------------------------------------------------- VBA


def test_vba_module_is_ascii_and_complete():
    text = udfs.vba_module()
    text.encode("ascii")
    lines = text.split("\r\n")
    assert lines[0] == 'Attribute VB_Name = "xlwings_udfs"'
    assert "\n" not in text.replace("\r\n", "")
    for name in udfs.UDF_NAMES:
        params = inspect.signature(getattr(udfs, name)).parameters.values()
        sig = ", ".join(
            ("Optional " if p.default is not inspect.Parameter.empty else "") + p.name
            for p in params
        )
        assert f"Function {name}({sig})" in lines
        args = ", ".join(p.name for p in params)
        assert (
            f'        {name} = XLPy.CallUDF("salesplan_xl.udfs", "{name}", Array({args}), '
            "ActiveWorkbook, Application.Caller)"
        ) in lines
    assert "Application.Volatile" not in text
    assert text.count("End Function") == len(udfs.UDF_NAMES)


def test_vba_for_a_workbook_uses_thisworkbook():
    text = udfs.vba_module("SalesPlan.xlsm")
    assert "ThisWorkbook, Application.Caller" in text and "ActiveWorkbook" not in text


def test_committed_vba_module_is_current():
    assert BAS.exists(), f"{BAS.relative_to(ROOT)} is missing; run: {COMMAND}"
    assert BAS.read_bytes() == udfs.vba_module().encode("ascii"), (
        f"{BAS.relative_to(ROOT)} is stale (the UDFs changed); run: {COMMAND}"
    )


def test_committed_vba_module_loads_as_an_addin_module():
    module = load_module(BAS)
    assert module.name == "xlwings_udfs" and module.kind == "standard"
    assert any(line.startswith("Function SP_SPLIT(") for line in module.code_lines)


def test_write_vba_command(tmp_path, capsys):
    target = tmp_path / "x" / "SalesPlanUdfs.bas"
    assert udfs.main(["--write-vba", str(target)]) == 0
    assert target.read_bytes() == BAS.read_bytes()
    assert "wrote" in capsys.readouterr().out
