"""LibreOffice opens the udf-mode .xlsm: it sees every Basic module with its text and keeps
the cached values (it cannot run SP_* functions). The .xlam itself LibreOffice cannot
open; it shares the project writer and packaging with the .xlsm checked here. That
native-mode kits still recalculate in LibreOffice is tests/test_kit_recalc.py's job."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import need_libreoffice
from udf_standin import udf_wrappers_path

from salesplan_xl.addin import package
from salesplan_xl.libreoffice import soffice

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]  # LibreOffice opens each .xlsm

#: A profile that never recalculates on load: the cached values are what LibreOffice shows.
NO_RECALC = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>1</value></prop></item>
</oor:items>
"""
PREAMBLE = re.compile(
    r"^(Rem Attribute VBA_ModuleType=\w+|Option VBASupport 1|Option ClassModule)$"
)


def convert_without_recalc(src: Path, outdir: Path, to: str) -> Path:
    with tempfile.TemporaryDirectory(prefix="lo-norecalc-") as prof:
        user = Path(prof) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(NO_RECALC, encoding="utf-8")
        cmd = [
            soffice(),
            "--headless",
            "--norestore",
            f"-env:UserInstallation={Path(prof).resolve().as_uri()}",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            str(src),
        ]
        subprocess.run(
            cmd, check=True, capture_output=True, timeout=240, env={**os.environ, "HOME": prof}
        )
    return outdir / f"{src.stem}.{to}"


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    need_libreoffice()
    from salesplan_xl.kit import build_demo_kit

    tmp = tmp_path_factory.mktemp("lo-udf")
    udfs = udf_wrappers_path(tmp)[0]
    mp = pytest.MonkeyPatch()
    real = package.udf_wrappers
    mp.setattr(
        package, "udf_wrappers", lambda target="addin", path=None: real(target, path or udfs)
    )
    try:
        kit = build_demo_kit(tmp / "kit", customers=30, formulas="udf")
        names = [f"Sheet{i + 1}" for i in range(_sheet_count(kit))]
        modules = package.kit_modules(names, udfs)
    finally:
        mp.undo()
    return kit, convert_without_recalc(kit, tmp / "out", "ods"), modules


def _sheet_count(xlsm: Path) -> int:
    with zipfile.ZipFile(xlsm) as z:
        return z.read("xl/workbook.xml").decode().count("<sheet ")


def basic_text(ods: Path, module: str) -> tuple[str, str]:
    with zipfile.ZipFile(ods) as z:
        xml = z.read(f"Basic/{package.KIT_VBA_PROJECT}/{module}.xml").decode("utf-8")
    root = ElementTree.fromstring(xml)
    kind = next((v for k, v in root.attrib.items() if k.endswith("moduleType")), "")
    return kind, root.text or ""


def test_libreoffice_sees_every_basic_module_with_its_text(converted):
    _, ods, modules = converted
    for module in modules:
        kind, text = basic_text(ods, module.name)
        assert kind == {"standard": "normal", "class": "class", "document": "document"}[module.kind]
        lines = [ln for ln in text.replace("\r\n", "\n").split("\n") if not PREAMBLE.match(ln)]
        got = "\n".join(lines).strip("\n")
        # LibreOffice drops every Attribute line, procedure attributes included.
        code = [ln for ln in module.code_lines if not ln.startswith("Attribute ")]
        assert got == "\n".join(code).strip("\n"), module.name


def test_libreoffice_keeps_the_cached_values_of_udf_cells(converted):
    from python_calamine import CalamineWorkbook

    kit, ods, _ = converted
    before = CalamineWorkbook.from_path(str(kit))
    after = CalamineWorkbook.from_path(str(ods))
    compared = 0
    for name in before.sheet_names:
        if name == package.CONFIG_SHEET:
            continue
        a = before.get_sheet_by_name(name).to_python()
        b = after.get_sheet_by_name(name).to_python()
        for r, row in enumerate(a):
            for c, v in enumerate(row):
                if isinstance(v, float) and v != 0:
                    assert b[r][c] == pytest.approx(v, rel=1e-9, abs=1e-9), (name, r, c)
                    compared += 1
    assert compared > 500
