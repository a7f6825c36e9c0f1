"""SalesPlan.xlam and the udf-mode .xlsm, read back by independent readers (olevba,
olefile, zipfile, openpyxl, calamine)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import olefile
import openpyxl
import pytest
from oletools.olevba import VBA_Parser
from udf_standin import udf_wrappers_path

from salesplan_xl.addin import package
from salesplan_xl.addin.package import (
    ADDIN_CT,
    CUSTOM_UI_PART,
    CUSTOM_UI_REL_TYPE,
    addin_modules,
    build_addin,
    custom_ui_xml,
    kit_modules,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def udfs(tmp_path_factory) -> Path:
    return udf_wrappers_path(tmp_path_factory.mktemp("udfs"))[0]


@pytest.fixture(scope="module")
def addin(udfs, tmp_path_factory) -> Path:
    return build_addin(tmp_path_factory.mktemp("addin"), "zh", udfs=udfs)


@pytest.fixture(scope="module")
def udf_kit(udfs, tmp_path_factory, monkeypatch_module) -> Path:
    from salesplan_xl.kit import build_demo_kit

    monkeypatch_module.setattr(
        package, "udf_wrappers", _pinned(package.udf_wrappers, udfs), raising=True
    )
    return build_demo_kit(tmp_path_factory.mktemp("udfkit"), customers=40, formulas="udf")


@pytest.fixture(scope="module")
def native_kit(tmp_path_factory) -> Path:
    from salesplan_xl.kit import build_demo_kit

    return build_demo_kit(tmp_path_factory.mktemp("nativekit"), customers=40)


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def _pinned(func, udfs):
    def wrapper(target="addin", path=None):
        return func(target, path or udfs)

    return wrapper


def olevba_modules(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_all_macros()}
    finally:
        parser.close()


def vba_bin(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/vbaProject.bin")


# --- the add-in ---------------------------------------------------------------------------
def test_olevba_lists_every_addin_module_with_identical_source(addin, udfs):
    expected = {m.name: m.stored_text() for m in addin_modules(udfs)}
    assert set(expected) == {
        "ThisWorkbook",
        "Sheet1",
        "xlwings",
        "Dictionary",
        "SalesPlanRibbon",
        "xlwings_udfs",
    }
    assert olevba_modules(addin) == expected


def test_olefile_lists_the_expected_streams(addin, udfs):
    ole = olefile.OleFileIO(io.BytesIO(vba_bin(addin)))
    streams = {"/".join(s) for s in ole.listdir()}
    names = [m.name for m in addin_modules(udfs)]
    assert streams == {"PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir"} | {
        f"VBA/{n}" for n in names
    }


def test_package_parts_ribbon_relationship_and_addin_content_type(addin):
    with zipfile.ZipFile(addin) as z:
        names = z.namelist()
        rels = z.read("_rels/.rels").decode()
        types = z.read("[Content_Types].xml").decode()
        ui = z.read(CUSTOM_UI_PART).decode("utf-8")
        infos = z.infolist()
    assert names[:2] == ["[Content_Types].xml", "_rels/.rels"]
    assert f'Type="{CUSTOM_UI_REL_TYPE}" Target="{CUSTOM_UI_PART}"' in rels
    assert f'<Override PartName="/xl/workbook.xml" ContentType="{ADDIN_CT}"/>' in types
    assert "macroEnabled.main" in types and "sheet.macroEnabled" not in types
    assert ui == custom_ui_xml("zh") and 'label="销售计划"' in ui
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def config_sheet(xlam: Path, tmp: Path):
    """The config sheet, read by openpyxl from a copy typed as a workbook (openpyxl reads
    no add-ins)."""
    copy = tmp / "addin-copy.xlsm"
    with zipfile.ZipFile(xlam) as zin, zipfile.ZipFile(copy, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "[Content_Types].xml":
                data = data.replace(ADDIN_CT.encode(), package.WORKBOOK_MACRO_CT.encode())
            zout.writestr(name, data)
    return openpyxl.load_workbook(copy)["salesplan.conf"]


def test_config_sheet_has_safe_xlwings_defaults(addin, tmp_path):
    ws = config_sheet(addin, tmp_path)
    rows = {r[0]: r[1] for r in ws.iter_rows(values_only=True)}
    assert rows["UDF Modules"] == "salesplan_xl.udfs"
    assert rows["Show Console"] is False and rows["Debug UDFs"] is False
    assert rows["PYTHONPATH"] in (None, "")
    assert "Interpreter_Win" not in rows  # unknown at build time: not set (see addin_config)


def test_install_sets_the_interpreter_in_the_user_file_only(udfs, tmp_path, monkeypatch):
    """One place for the interpreter: the user file both the add-in and udf kits read
    (xlwings' user layer for PROJECT_NAME "salesplan"); never the add-in's sheet, which
    would outrank it."""
    monkeypatch.setattr(package, "udf_wrappers", _pinned(package.udf_wrappers, udfs))
    python = tmp_path / "Py" / "python.exe"
    python.parent.mkdir()
    python.write_bytes(b"")
    (python.parent / "pythonw.exe").write_bytes(b"")
    conf = tmp_path / "home" / ".salesplan" / "salesplan.conf"
    conf.parent.mkdir(parents=True)
    conf.write_bytes(b'"INTERPRETER_WIN","C:\\Old\\pythonw.exe"\r\n"Show Console","True"\r\n')
    addin = package.install_addin(
        "en", tmp_path / "XLSTART", platform="win32", config_path=conf, executable=str(python)
    )
    text = conf.read_bytes().decode()
    assert text == f'"Show Console","True"\r\n"Interpreter_Win","{python.parent / "pythonw.exe"}"\r\n'
    rows = {r[0] for r in config_sheet(addin, tmp_path).iter_rows(values_only=True)}
    assert not {"Interpreter_Win", "Interpreter_Mac", "INTERPRETER_WIN"} & rows


def test_user_config_paths_are_where_the_xlwings_vba_looks():
    # GetConfigFilePath: Environ("USERPROFILE") & "\." & PROJECT_NAME & "\" & PROJECT_NAME & ".conf";
    # on a Mac GetMacDir("$HOME") is Excel's sandbox home.
    home = Path("/h")
    assert package.user_config_path("win32", home) == home / ".salesplan" / "salesplan.conf"
    assert package.user_config_path("darwin", home) == home / (
        "Library/Containers/com.microsoft.Excel/Data/salesplan.conf"
    )
    with pytest.raises(package.UnsupportedPlatform):
        package.user_config_path("linux", home)
    assert package.interpreter_setting("darwin", "/usr/bin/python3") == (
        "Interpreter_Mac",
        "/usr/bin/python3",
    )
    with pytest.raises(ValueError, match="quote"):
        package.write_user_config(Path("/nonexistent/x.conf"), {"Interpreter_Win": 'a"b'})


def test_macos_runpython_handler_is_xlwings_own(tmp_path, monkeypatch):
    import xlwings

    monkeypatch.setenv("HOME", str(tmp_path))
    path = package.install_runpython_handler()
    name = f"xlwings-{xlwings.__version__}.applescript"
    assert path == tmp_path / "Library/Application Scripts/com.microsoft.Excel" / name
    assert path.read_bytes() == (Path(xlwings.__file__).parent / name).read_bytes()


def test_both_xlwings_modules_read_the_salesplan_configuration():
    for kind in ("addin", "workbook"):
        module = package.xlwings_modules(kind)[0]
        assert 'Public Const PROJECT_NAME As String = "salesplan"' in module.source, kind
        assert "GetConfigFilePath" in module.source and 'PROJECT_NAME & ".conf"' in module.source


def test_building_twice_gives_identical_bytes(udfs, tmp_path):
    for lang in ("zh", "en"):
        a = build_addin(tmp_path / f"a-{lang}", lang, udfs=udfs).read_bytes()
        b = build_addin(tmp_path / f"b-{lang}", lang, udfs=udfs).read_bytes()
        assert a == b
    assert (tmp_path / "a-zh/SalesPlan.xlam").read_bytes() != (
        tmp_path / "a-en/SalesPlan.xlam"
    ).read_bytes()


def test_building_in_another_process_gives_identical_bytes(addin, udfs, tmp_path):
    code = (
        "import sys; from salesplan_xl.addin.package import build_addin; "
        f"build_addin(sys.argv[1], 'zh', udfs={str(udfs)!r})"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True)
    assert (tmp_path / "SalesPlan.xlam").read_bytes() == addin.read_bytes()


# --- xlwings VBA: from the installed package, adapted, never in this repository ----------
def test_xlwings_module_comes_from_the_installed_package():
    import xlwings

    shipped = (Path(xlwings.__file__).parent / "xlwings_custom_addin.bas").read_bytes().decode()
    module, dictionary = package.xlwings_modules("addin")
    assert module.source == shipped.replace(
        'PROJECT_NAME As String = "myaddin"', 'PROJECT_NAME As String = "salesplan"'
    )
    assert f"'Version: {xlwings.__version__}" in module.source
    assert 'Attribute VB_Name = "Dictionary"' in dictionary.source


def test_olevba_fallback_extracts_the_same_module(monkeypatch, tmp_path):
    """Where a release ships no .bas, the module is read from the shipped workbook."""
    import xlwings

    root = Path(xlwings.__file__).parent
    fake = tmp_path / "xlwings"
    (fake / "addin").mkdir(parents=True)
    (fake / "quickstart_addin.xlam").write_bytes((root / "quickstart_addin.xlam").read_bytes())
    monkeypatch.setattr(package, "_xlwings_dir", lambda: fake)
    from_xlam = package.xlwings_modules("addin")
    monkeypatch.undo()
    from_bas = package.xlwings_modules("addin")
    # The xlwings module is the same text; the workbook's Dictionary class may be an
    # older release of VBA-Dictionary than the shipped .cls, but it is a class module.
    assert from_xlam[0].stored_text() == from_bas[0].stored_text()
    assert from_xlam[1].name == "Dictionary" and from_xlam[1].kind == "class"


def test_no_xlwings_vba_is_copied_into_the_repository():
    for folder in ("macros", "salesplan_xl", "tests"):
        for path in (REPO / folder).rglob("*"):
            if path.is_file() and path.suffix in {".bas", ".cls", ".py", ".j2", ".xml"}:
                text = path.read_bytes().decode("utf-8", "replace")
                assert "Zoomer " + "Analytics" not in text, path
                assert "Function " + "XLPyCommand" not in text, path


def test_udf_wrappers_call_the_right_workbook(udfs):
    addin_text = package.udf_wrappers("addin", udfs).source
    kit_text = package.udf_wrappers("workbook", udfs).source
    calls = re.findall(r"XLPy\.CallUDF\(.*Application\.Caller\)", addin_text)
    assert calls and all(", ActiveWorkbook, Application.Caller)" in c for c in calls)
    assert "ThisWorkbook" not in addin_text
    assert "ActiveWorkbook" not in kit_text
    assert kit_text.count(", ThisWorkbook, Application.Caller)") == len(calls)


def test_the_real_wrappers_are_used_when_present():
    path, real = udf_wrappers_path(Path("/nonexistent"))
    if not real:
        pytest.skip("macros/generated/SalesPlanUdfs.bas is not generated yet")
    assert path == REPO / "macros" / "generated" / "SalesPlanUdfs.bas"
    assert package.udf_wrappers("addin").name == package.load_module(path).name


# --- the udf-mode kit ---------------------------------------------------------------------
def test_udf_kit_is_xlsm_with_xlwings_wrappers_and_document_modules(udf_kit, udfs):
    assert udf_kit.suffix == ".xlsm"
    wb = openpyxl.load_workbook(udf_kit, keep_vba=True)
    n = len(wb.sheetnames)
    assert wb.sheetnames[-1] == "salesplan.conf" and wb["salesplan.conf"].sheet_state == "hidden"
    assert "Interpreter_Win" not in {r[0] for r in wb["salesplan.conf"].iter_rows(values_only=True)}
    modules = olevba_modules(udf_kit)
    expected = {
        m.name: m.stored_text() for m in kit_modules([f"Sheet{i + 1}" for i in range(n)], udfs)
    }
    assert modules == expected
    assert "xlwings" in modules and "xlwings_udfs" in modules
    assert 'PROJECT_NAME As String = "salesplan"' in modules["xlwings"]
    with zipfile.ZipFile(udf_kit) as z:
        types = z.read("[Content_Types].xml").decode()
        workbook = z.read("xl/workbook.xml").decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
    assert 'codeName="ThisWorkbook"' in workbook


def test_udf_kit_calls_sp_functions_with_the_native_cached_values(udf_kit, native_kit):
    from python_calamine import CalamineWorkbook

    formulas = openpyxl.load_workbook(udf_kit)
    udf_values = CalamineWorkbook.from_path(str(udf_kit))
    native_values = CalamineWorkbook.from_path(str(native_kit))
    seen = 0
    for ws in formulas.worksheets:
        if ws.title == "salesplan.conf":
            continue
        a = udf_values.get_sheet_by_name(ws.title).to_python()
        b = native_values.get_sheet_by_name(ws.title).to_python()
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "SP_" in cell.value:
                    seen += 1
                    r, c = cell.row - 1, cell.column - 1
                    assert a[r][c] == b[r][c], (ws.title, cell.coordinate)
    assert seen > 50


_FORMULA_CELL = re.compile(r"<c ([^>]*)><f>[^<]*</f><v>([^<]*)</v></c>")


def untyped_blank_results(path: Path) -> list[str]:
    """Formula cells cached as ``<v></v>`` without ``t="str"``: an empty number, which
    whoever shows cached values (LibreOffice for SP_* cells) reads as #VALUE!."""
    found = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                for attrs, value in _FORMULA_CELL.findall(z.read(name).decode("utf-8")):
                    if value == "" and 't="str"' not in attrs:
                        found.append(f"{name}: {attrs}")
    return found


def test_blank_results_are_cached_as_text_in_both_kits(udf_kit, native_kit):
    for kit in (udf_kit, native_kit):
        with zipfile.ZipFile(kit) as z:
            xml = "".join(z.read(n).decode() for n in z.namelist() if "worksheets/sheet" in n)
        assert '<v></v>' in xml  # there are blank results to check
        assert untyped_blank_results(kit) == [], kit.name


def test_udf_kit_builds_byte_identical(udf_kit, tmp_path):
    from salesplan_xl.kit import build_demo_kit

    again = build_demo_kit(tmp_path, customers=40, formulas="udf")
    assert again.read_bytes() == udf_kit.read_bytes()


# --- install -------------------------------------------------------------------------------
def test_xlstart_folders():
    home = Path("/home/u")
    assert (
        package.xlstart_dir("win32", home, {"APPDATA": r"C:\Users\u\AppData\Roaming"})
        == Path(r"C:\Users\u\AppData\Roaming") / "Microsoft" / "Excel" / "XLSTART"
    )
    assert package.xlstart_dir("darwin", home, {}) == home / (
        "Library/Group Containers/UBF8T346G9.Office/User Content/Startup/Excel"
    )
    with pytest.raises(package.UnsupportedPlatform, match="nothing was copied"):
        package.xlstart_dir("linux", home, {})


def test_install_and_uninstall_into_a_folder(udfs, tmp_path, monkeypatch):
    monkeypatch.setattr(package, "udf_wrappers", _pinned(package.udf_wrappers, udfs))
    conf = tmp_path / "salesplan.conf"
    path = package.install_addin(
        "zh", target_dir=tmp_path / "XLSTART", platform="darwin", config_path=conf
    )
    assert conf.read_bytes().decode() == f'"Interpreter_Mac","{sys.executable}"\r\n'
    assert path == tmp_path / "XLSTART" / "SalesPlan.xlam" and path.is_file()
    assert package.uninstall_addin(target_dir=tmp_path / "XLSTART") == path
    assert not path.exists()
    assert package.uninstall_addin(target_dir=tmp_path / "XLSTART") is None


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="checks the unsupported-OS path")
def test_cli_install_refuses_other_systems(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from salesplan_xl.cli import app

    monkeypatch.setenv("HOME", str(tmp_path))
    result = CliRunner().invoke(app, ["addin", "install"])
    assert result.exit_code == 2
    assert "Windows and macOS only" in result.output
    assert not any(tmp_path.rglob("*.xlam"))
    assert CliRunner().invoke(app, ["addin", "uninstall"]).exit_code == 2


def test_cli_build(udfs, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from salesplan_xl.cli import app

    monkeypatch.setattr(package, "udf_wrappers", _pinned(package.udf_wrappers, udfs))
    result = CliRunner().invoke(app, ["addin", "build", "--out", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "SalesPlan.xlam") as z:
        assert 'label="Sales Plan"' in z.read(CUSTOM_UI_PART).decode()
