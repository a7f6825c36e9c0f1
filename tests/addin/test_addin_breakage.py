"""The independent checker (tests/addin/ovba_checks.py) passes the add-in and the udf-mode
kit as built, and fails each of the breakages that would stop them working in Excel.

Each breakage is applied to a freshly built file here, in the test: through the writer's
lower-level functions (a project without the Office reference, a renamed callback, a
deleted ``End Select``, ``Sheet1`` as a standard module, a ``dir`` stream without its
terminator) or by editing the zip (code names, relationship type, customUI namespace).
The checker reads the results with its own literals from the specifications.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import ovba_checks
import pytest
from ovba_checks import (
    BRANCHES,
    check_package,
    libid_guid,
    parse_dir,
    resolve_conditional_compilation,
)
from udf_standin import udf_wrappers_path

from salesplan_xl.addin import package
from salesplan_xl.addin.cfb import write_compound_file
from salesplan_xl.addin.ovba_compression import compress, decompress
from salesplan_xl.addin.package import addin_modules, build_addin
from salesplan_xl.addin.vba_dir import STDOLE
from salesplan_xl.addin.vba_project import build_vba_project, project_streams
from salesplan_xl.addin.vba_source import VbaModule

# MS-VBAL parsing of xlwings' 1200-line module takes some 15 s of CPU on first use.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def udfs(tmp_path_factory) -> Path:
    return udf_wrappers_path(tmp_path_factory.mktemp("udfs"))[0]


@pytest.fixture(scope="module")
def addin(udfs, tmp_path_factory) -> Path:
    return build_addin(tmp_path_factory.mktemp("addin"), "zh", udfs=udfs)


@pytest.fixture(scope="module")
def udf_kit(tmp_path_factory) -> Path:
    from salesplan_xl.kit import build_demo_kit

    return build_demo_kit(tmp_path_factory.mktemp("udfkit"), customers=40, formulas="udf")


# --- the files as built pass ------------------------------------------------------------------
def test_the_addin_as_built_passes_every_check(addin):
    assert check_package(addin, expect_ribbon=True) == []


def test_the_english_addin_passes_every_check(udfs, tmp_path):
    assert check_package(build_addin(tmp_path, "en", udfs=udfs), expect_ribbon=True) == []


def test_the_udf_kit_as_built_passes_every_check(udf_kit):
    assert check_package(udf_kit) == []


# --- breakages ---------------------------------------------------------------------------------
def rewrite(src: Path, dest: Path, edit: Callable[[str, bytes], bytes]) -> Path:
    """Copy the zip ``src`` to ``dest`` with every part passed through ``edit(name, data)``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, edit(info.filename, zin.read(info.filename)))
    return dest


def replace_in_part(part: str, old: bytes, new: bytes):
    def edit(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        assert old in data, f"{old!r} not in {part}: the breakage no longer applies"
        return data.replace(old, new)

    return edit


def with_vba_project(blob: bytes):
    return lambda name, data: blob if name == "xl/vbaProject.bin" else data


def modules_with(udfs: Path, name: str, change: Callable[[VbaModule], VbaModule]):
    modules = addin_modules(udfs)
    assert name in [m.name for m in modules]
    return [change(m) if m.name == name else m for m in modules]


def edited_source(old: str, new: str) -> Callable[[VbaModule], VbaModule]:
    def change(module: VbaModule) -> VbaModule:
        assert old in module.source, f"{old!r} not in {module.name}"
        return VbaModule(module.name, module.source.replace(old, new), module.kind)

    return change


def break_office_reference(addin, udfs, kit, dest):
    blob = build_vba_project(
        addin_modules(udfs), project_name=package.ADDIN_VBA_PROJECT, references=(STDOLE,)
    )
    return rewrite(addin, dest, with_vba_project(blob)), True


def break_callback_name(addin, udfs, kit, dest):
    modules = modules_with(
        udfs, "SalesPlanRibbon", edited_source("Public Sub OnAction(", "Public Sub OnButton(")
    )
    blob = build_vba_project(modules, project_name=package.ADDIN_VBA_PROJECT)
    return rewrite(addin, dest, with_vba_project(blob)), True


def break_end_select(addin, udfs, kit, dest):
    def drop_end_select(module: VbaModule) -> VbaModule:
        text, count = re.subn(r"(?m)^\s*End Select\r?\n", "", module.source)
        assert count == 1
        return VbaModule(module.name, text, module.kind)

    modules = modules_with(udfs, "SalesPlanRibbon", drop_end_select)
    blob = build_vba_project(modules, project_name=package.ADDIN_VBA_PROJECT)
    return rewrite(addin, dest, with_vba_project(blob)), True


def break_addin_code_name(addin, udfs, kit, dest):
    edit = replace_in_part("xl/worksheets/sheet1.xml", b'codeName="Sheet1"', b'codeName="Blatt1"')
    return rewrite(addin, dest, edit), True


def break_kit_code_name(addin, udfs, kit, dest):
    edit = replace_in_part("xl/worksheets/sheet2.xml", b'codeName="Sheet2"', b'codeName="Plan2"')
    return rewrite(kit, dest.with_suffix(".xlsm"), edit), False


def break_sheet1_standard(addin, udfs, kit, dest):
    modules = modules_with(udfs, "Sheet1", lambda m: VbaModule("Sheet1", "", "standard"))
    blob = build_vba_project(modules, project_name=package.ADDIN_VBA_PROJECT)
    return rewrite(addin, dest, with_vba_project(blob)), True


def break_dir_terminator(addin, udfs, kit, dest):
    tree = project_streams(addin_modules(udfs), project_name=package.ADDIN_VBA_PROJECT)
    plain = decompress(tree["VBA"]["dir"])
    assert plain.endswith(b"\x10\x00\x00\x00\x00\x00")
    tree["VBA"]["dir"] = compress(plain[:-6])
    return rewrite(addin, dest, with_vba_project(write_compound_file(tree))), True


def break_ribbon_relationship(addin, udfs, kit, dest):
    edit = replace_in_part(
        "_rels/.rels",
        b"http://schemas.microsoft.com/office/2007/relationships/ui/extensibility",
        b"http://schemas.microsoft.com/office/2006/relationships/ui/extensibility",
    )
    return rewrite(addin, dest, edit), True


def break_customui_namespace(addin, udfs, kit, dest):
    # As if the template and its golden file had been changed together.
    edit = replace_in_part(
        package.CUSTOM_UI_PART,
        b"http://schemas.microsoft.com/office/2009/07/customui",
        b"http://schemas.microsoft.com/office/2006/01/customui",
    )
    return rewrite(addin, dest, edit), True


BREAKAGES = {
    "office reference removed from dir": (
        break_office_reference,
        r"no REFERENCEREGISTERED to Office",
    ),
    "ribbon callback Sub renamed": (break_callback_name, r"onAction 'SalesPlanRibbon\.OnAction'"),
    "End Select deleted": (break_end_select, r"module 'SalesPlanRibbon' \(Win64\): line \d+"),
    "add-in sheet code name without module": (
        break_addin_code_name,
        r"code name 'Blatt1' has no VBA module",
    ),
    "kit sheet code name without module": (
        break_kit_code_name,
        r"code name 'Plan2' has no VBA module",
    ),
    "Sheet1 as a standard module": (break_sheet1_standard, r"code name 'Sheet1'.*not 0x0022"),
    "dir terminator removed": (break_dir_terminator, r"Terminator"),
    "2006 ribbon relationship type": (break_ribbon_relationship, r"ribbon relationship type"),
    "customUI namespace changed": (
        break_customui_namespace,
        r"not customUI in http://schemas\.microsoft\.com/office/2009/07/customui",
    ),
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_each_breakage_fails_the_checks(breakage, addin, udfs, udf_kit, tmp_path):
    apply, expected = BREAKAGES[breakage]
    broken, is_addin = apply(addin, udfs, udf_kit, tmp_path / "broken.xlam")
    problems = check_package(broken, expect_ribbon=is_addin)
    assert problems, f"{breakage}: the checker found nothing"
    assert any(re.search(expected, p) for p in problems), problems


def test_a_document_module_without_code_name_fails(udfs, addin, tmp_path):
    modules = [*addin_modules(udfs), VbaModule("Sheet7", "", "document")]
    blob = build_vba_project(modules, project_name=package.ADDIN_VBA_PROJECT)
    broken = rewrite(addin, tmp_path / "extra.xlam", with_vba_project(blob))
    problems = check_package(broken, expect_ribbon=True, syntax=False)
    assert "document module 'Sheet7' matches no sheet or workbook code name" in problems


# --- the checker's own parts ---------------------------------------------------------------------
def test_dir_parser_reads_references_and_modules(addin):
    with zipfile.ZipFile(addin) as z:
        project = ovba_checks.read_vba_project(z.read("xl/vbaProject.bin"))
    assert {libid_guid(x) for x in project.dir.libids} == {
        "{00020430-0000-0000-C000-000000000046}",
        "{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}",
    }
    types = {m.name: m.module_type for m in project.dir.modules}
    assert types["SalesPlanRibbon"] == 0x0021 and types["Sheet1"] == 0x0022
    assert types["Dictionary"] == 0x0022 and project.project_kinds["Dictionary"] == "Class"
    assert project.dir.module_count == len(project.dir.modules) == 6


def test_dir_parser_reports_a_stray_tail():
    stream = b"\x03\x00\x02\x00\x00\x00\xe4\x04" + b"\x10\x00\x00\x00\x00\x00" + b"\x01\x00"
    assert any("stray bytes" in p for p in parse_dir(stream).problems)


SAMPLE = """#Const App = "Microsoft Excel"
#If VBA7 Then
  #If Win64 Then
a64
  #Else
a32
  #End If
#Else
old
#End If
#If Mac Then ' comment
mac
#ElseIf App = "Microsoft Excel" Then
excel
#Else
other
#End If
#If MAC_OFFICE_VERSION >= 15 Or Not Mac Then
modern
#End If
"""


@pytest.mark.parametrize(
    ("branch", "kept"),
    [
        ("Win64", ["a64", "excel", "modern"]),
        ("Win32", ["a32", "excel", "modern"]),
        ("Mac", ["a32", "mac", "modern"]),
    ],
)
def test_conditional_compilation_keeps_one_branch(branch, kept):
    out = resolve_conditional_compilation(SAMPLE, BRANCHES[branch])
    assert [line for line in out.splitlines() if line] == kept
    assert len(out.splitlines()) == len(SAMPLE.splitlines())


@pytest.mark.parametrize("bad", ["#If Mac Then\nx\n", "#End If\n", "#If Mac\n#End If\n"])
def test_conditional_compilation_rejects_unbalanced_blocks(bad):
    with pytest.raises(ValueError):
        resolve_conditional_compilation(bad, BRANCHES["Win64"])


def test_syntax_check_reports_the_source_line():
    source = (
        'Attribute VB_Name = "M"\r\nOption Explicit\r\n\r\nSub A()\r\n    If 1 Then\r\n'
        "    x = 1\r\nEnd Sub\r\n\r\nSub B()\r\nEnd Sub\r\n"
    )
    errors = ovba_checks.module_syntax_errors(source, 0x0021)
    assert errors and all(re.match(r"line [4-7]:", e) for e in errors), errors
    assert (
        ovba_checks.module_syntax_errors(
            source.replace("    x = 1", "    x = 1\r\n    End If"), 0x0021
        )
        == []
    )
