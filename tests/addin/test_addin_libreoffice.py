"""LibreOffice, an independent VBA reader, imports the project from an .xlsm.

LibreOffice converts the VBA modules of an .xlsm into Basic modules (with
``Option VBASupport 1``) when it loads the file, and keeps them when saving
as .ods under ``Basic/<project name>/<module>.xml``. Loading the source needs
no macro security change: the security level only governs running macros,
and the VBA import options (Tools > Options > Load/Save > VBA Properties,
"Load Basic code") are on by default.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import xlsxwriter

from salesplan_xl.addin.vba_project import build_vba_project
from salesplan_xl.addin.vba_source import VbaModule

SOFFICE = shutil.which("soffice")
REQUIRED = os.environ.get("SALESPLAN_REQUIRE_LIBREOFFICE") == "1"

pytestmark = pytest.mark.libreoffice

MODULES = [
    VbaModule(
        "ThisWorkbook",
        'Private Sub Workbook_Open()\n    Application.StatusBar = "SalesPlan ready"\nEnd Sub\n',
        "document",
    ),
    VbaModule("Sheet1", "' sheet module\n", "document"),
    VbaModule(
        "Ribbon",
        "Option Explicit\n\nPublic Sub OnRegenerate(control As IRibbonControl)\n"
        "    MsgBox \"Regenerate <kit> & 'done'\"\nEnd Sub\n",
    ),
    VbaModule("Account", "Public Name As String\nPublic Total As Double\n", "class"),
    # Large enough to live in regular 512-byte sectors, not the mini stream.
    VbaModule(
        "Targets",
        "".join(
            f"Public Function Target{i}(base As Double) As Double\n"
            f"    Target{i} = base * {1 + i / 1000:.3f} ' split rule {i % 7}\n"
            "End Function\n\n"
            for i in range(800)
        ),
    ),
]

#: Lines LibreOffice adds in front of imported VBA modules.
LIBREOFFICE_PREAMBLE = re.compile(
    r"^(Rem Attribute VBA_ModuleType=\w+|Option VBASupport 1|Option ClassModule)$"
)


def require_soffice() -> str:
    if SOFFICE:
        return SOFFICE
    if REQUIRED:
        pytest.fail("SALESPLAN_REQUIRE_LIBREOFFICE=1 but soffice is not on PATH")
    pytest.skip("LibreOffice (soffice) is not on PATH")


def make_xlsm(project: bytes, path: Path) -> Path:
    """An .xlsm written by XlsxWriter holding ``project`` (test helper; packaging is later work)."""
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet().write(0, 0, "SalesPlan")
    workbook.add_vba_project(io.BytesIO(project), is_stream=True)
    workbook.set_vba_name("ThisWorkbook")
    workbook.close()
    return path


def convert_to_ods(soffice: str, source: Path, tmp_path: Path) -> Path:
    """Headless conversion with a throw-away profile."""
    profile = (tmp_path / "profile").as_uri()
    out = tmp_path / "out"
    subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile}",
            "--convert-to",
            "ods",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    result = out / (source.stem + ".ods")
    assert result.exists(), f"LibreOffice wrote no {result.name}"
    return result


def basic_modules(ods: Path, library: str) -> dict[str, tuple[str, str]]:
    """Module name -> (module type, source text) from the .ods Basic library."""
    namespace = "{http://openoffice.org/2000/script}"
    found = {}
    with zipfile.ZipFile(ods) as archive:
        for name in archive.namelist():
            if not re.fullmatch(rf"Basic/{library}/\w+\.xml", name) or name.endswith("-lb.xml"):
                continue
            root = ElementTree.fromstring(archive.read(name))
            found[root.get(f"{namespace}name")] = (
                root.get(f"{namespace}moduleType"),
                root.text or "",
            )
    return found


def test_libreoffice_imports_every_module_with_its_source(tmp_path: Path) -> None:
    soffice = require_soffice()
    xlsm = make_xlsm(build_vba_project(MODULES, project_name="SalesPlan"), tmp_path / "kit.xlsm")
    found = basic_modules(convert_to_ods(soffice, xlsm, tmp_path), "SalesPlan")
    assert set(found) == {m.name for m in MODULES}
    expected_types = {"standard": "normal", "class": "class", "document": "document"}
    for module in MODULES:
        module_type, text = found[module.name]
        assert module_type == expected_types[module.kind]
        lines = text.split("\n")
        while lines and LIBREOFFICE_PREAMBLE.match(lines[0]):
            lines.pop(0)
        while lines and lines[-1] == "":
            lines.pop()
        expected = list(module.code_lines)
        while expected and expected[-1] == "":
            expected.pop()
        assert lines == expected, module.name
