"""Package the add-in ``SalesPlan.xlam`` and the VBA project of ``--formulas udf`` kits.

Public functions
================

``build_addin(out_dir, lang="zh") -> Path``
    Write ``out_dir/SalesPlan.xlam``: a VBA project (xlwings' custom-add-in module and
    its ``Dictionary`` class taken from the *installed* xlwings at build time,
    ``macros/SalesPlanRibbon.bas``, the SP_* wrappers of
    ``macros/generated/SalesPlanUdfs.bas`` calling ``ActiveWorkbook``, ``ThisWorkbook``
    and ``Sheet1``), a ``salesplan.conf`` configuration sheet, and the ribbon
    ``customUI/customUI14.xml`` rendered from ``macros/customUI14.xml.j2`` in ``lang``.
    The same arguments give byte-identical files.
``custom_ui_xml(lang="zh") -> str``
    The ribbon XML.
``kit_vba_project(sheet_code_names) -> bytes``
    The VBA project of a macro-enabled kit (xlwings' workbook module, ``Dictionary``, the
    SP_* wrappers calling ``ThisWorkbook``, the document modules).
``make_kit_macro_enabled(kit)``
    Called by :func:`salesplan_xl.kit.build_kit` in udf mode before the writer closes:
    adds the hidden ``salesplan.conf`` sheet and attaches :func:`kit_vba_project`.
``install_addin(lang="zh", target_dir=None) -> Path`` / ``uninstall_addin(target_dir=None)``
    Build the add-in into Excel's start-up folder (XLSTART) and write this Python into the
    user configuration file (:func:`user_config_path`), or remove the add-in.
    :func:`xlstart_dir` raises :class:`UnsupportedPlatform` outside Windows and macOS.

Configuration: one file
=======================

Both xlwings VBA modules (the add-in's and a udf-mode kit's) get ``PROJECT_NAME =
"salesplan"``, so xlwings' ``GetConfig`` reads, in this order: the workbook's
``salesplan.conf`` sheet (a kit's; the add-in's own sheet for the add-in), a
``salesplan.conf`` file in the workbook's folder, then the user file
``%USERPROFILE%\\.salesplan\\salesplan.conf`` (Windows) or
``~/Library/Containers/com.microsoft.Excel/Data/salesplan.conf`` (macOS, Excel's sandbox
home). The sheets hold only fixed settings (``UDF Modules``, ...), never an interpreter:
the interpreter is set in one place, the user file, which :func:`install_addin` writes
(``Interpreter_Win`` / ``Interpreter_Mac``) and the user may edit.

How the xlwings VBA is obtained
===============================

Never copied into this repository: :func:`xlwings_modules` reads it from the installed
xlwings package (pinned exactly in pyproject: its VBA names ``xlwings64-<version>.dll``).
xlwings 0.37.8 ships ``xlwings_custom_addin.bas`` (the module ``xlwings quickstart
--addin`` uses: configuration and ``Book.caller()`` from ``ActiveWorkbook``),
``xlwings.bas`` (the workbook module) and ``addin/Dictionary.cls``. Where a release ships
no such file, the module is extracted with olevba from the shipped
``quickstart_addin.xlam`` / ``quickstart.xlsm``. The add-in's copy gets
``PROJECT_NAME = "salesplan"`` so that it reads its ``salesplan.conf`` sheet and the user
file, as xlwings documents for custom add-ins; so does a kit's copy (see above).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

from salesplan_xl.addin.vba_project import build_vba_project
from salesplan_xl.addin.vba_source import VbaModule, load_module

__all__ = [
    "ADDIN_FILENAME",
    "ADDIN_PROJECT",
    "CONFIG_SHEET",
    "CUSTOM_UI_PART",
    "UnsupportedPlatform",
    "addin_config",
    "addin_modules",
    "build_addin",
    "custom_ui_xml",
    "install_addin",
    "install_runpython_handler",
    "interpreter_setting",
    "kit_config",
    "kit_modules",
    "kit_vba_project",
    "macros_dir",
    "make_kit_macro_enabled",
    "udf_wrappers",
    "uninstall_addin",
    "user_config_path",
    "write_user_config",
    "xlstart_dir",
    "xlwings_modules",
]

ADDIN_FILENAME = "SalesPlan.xlam"
#: xlwings' PROJECT_NAME in the add-in: the config sheet is ``salesplan.conf``.
ADDIN_PROJECT = "salesplan"
#: The configuration sheet of the add-in and of udf-mode kits, and the user file's name.
CONFIG_SHEET = f"{ADDIN_PROJECT}.conf"
#: VBA project names (LibreOffice names its Basic library after them).
ADDIN_VBA_PROJECT = "SalesPlan"
KIT_VBA_PROJECT = "SalesPlanKit"
UDF_MODULE = "salesplan_xl.udfs"

CUSTOM_UI_PART = "customUI/customUI14.xml"
CUSTOM_UI_REL_TYPE = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
CUSTOM_UI_REL_ID = "rIdSalesPlanRibbon"
WORKBOOK_MACRO_CT = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
ADDIN_CT = "application/vnd.ms-excel.addin.macroEnabled.main+xml"

#: Fixed document properties and zip timestamps: builds are byte-identical.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
LANGS = ("zh", "en")


class UnsupportedPlatform(RuntimeError):
    """Excel add-ins can only be installed on Windows and macOS."""


# --- sources ------------------------------------------------------------------------------
def macros_dir() -> Path:
    """The VBA sources and ribbon template: ``macros/`` of a source checkout (editable
    install), else ``salesplan_xl/macros`` of an installed wheel (pyproject maps the
    package ``salesplan_xl.macros`` to ``macros/``). Only the package's own files: no
    environment variable can swap the add-in's VBA (an auto-running macro could be
    slipped in that way)."""
    here = Path(__file__).resolve()
    for path in (here.parents[2] / "macros", here.parents[1] / "macros"):
        if (path / "SalesPlanRibbon.bas").is_file():
            return path
    raise FileNotFoundError(
        "macros/ (SalesPlanRibbon.bas, customUI14.xml.j2) not found beside the package; "
        "reinstall salesplan_xl"
    )


def _xlwings_dir() -> Path:
    import xlwings

    return Path(xlwings.__file__).parent


def _from_workbook(workbook: Path, module: str) -> str:
    """Source of ``module`` in a shipped xlwings workbook, extracted with olevba."""
    try:
        from oletools.olevba import VBA_Parser
    except ImportError as exc:  # pragma: no cover - oletools is a test dependency
        raise RuntimeError(f"need oletools (olevba) to read {workbook.name}") from exc
    parser = VBA_Parser(str(workbook))
    try:
        for _, stream, _, code in parser.extract_all_macros():
            if stream.split("/")[-1] == module:
                return code if isinstance(code, str) else code.decode("latin-1")
    finally:
        parser.close()
    raise RuntimeError(f"{workbook} holds no VBA module {module!r}")


def _read_text(path: Path) -> str:
    return path.read_bytes().decode("latin-1")


def xlwings_modules(kind: str = "addin") -> list[VbaModule]:
    """xlwings' VBA module ``xlwings`` and its ``Dictionary`` class, from the installed
    xlwings. ``kind``: ``"addin"`` (the custom add-in module) or ``"workbook"`` (the module
    of macro-enabled workbooks); both with ``PROJECT_NAME = "salesplan"``."""
    import xlwings

    root = _xlwings_dir()
    if kind == "addin":
        bas, workbook = root / "xlwings_custom_addin.bas", root / "quickstart_addin.xlam"
    elif kind == "workbook":
        bas, workbook = root / "xlwings.bas", root / "quickstart.xlsm"
    else:
        raise ValueError(f"kind must be 'addin' or 'workbook', not {kind!r}")
    text = _read_text(bas) if bas.is_file() else _from_workbook(workbook, "xlwings")
    version = re.search(r"^'Version: (\S+)", text, re.MULTILINE)
    if version is None or version.group(1) != xlwings.__version__:
        raise RuntimeError(
            f"xlwings VBA says version {version.group(1) if version else '?'} but xlwings "
            f"{xlwings.__version__} is installed; its DLL name would not match"
        )
    # Both read the same configuration: the salesplan.conf sheet and user file.
    text, count = re.subn(
        r'^(Public Const PROJECT_NAME As String = )"[^"]*"',
        rf'\1"{ADDIN_PROJECT}"',
        text,
        flags=re.MULTILINE,
    )
    if count != 1:
        raise RuntimeError(f"xlwings {kind} module: PROJECT_NAME line not found")
    dictionary = root / "addin" / "Dictionary.cls"
    dict_text = (
        _read_text(dictionary) if dictionary.is_file() else _from_workbook(workbook, "Dictionary")
    )
    return [VbaModule("xlwings", text, "standard"), VbaModule("Dictionary", dict_text, "class")]


_CALL_UDF = re.compile(
    r"(XLPy\.CallUDF\b.*?,\s*)(ThisWorkbook|ActiveWorkbook)(\s*,\s*Application\.Caller)"
)


def udf_wrappers(target: str = "addin", path: str | Path | None = None) -> VbaModule:
    """The SP_* VBA wrappers (``macros/generated/SalesPlanUdfs.bas``, generated with xlwings'
    ``generate_vba_wrapper``), adapted to ``target``: an add-in passes ``ActiveWorkbook``
    to ``XLPy.CallUDF`` (what xlwings itself writes into ``.xlam`` files), a workbook
    ``ThisWorkbook``. The module keeps the file's name: ``xlwings_udfs`` as xlwings
    writes it, so xlwings' own "Import Functions" replaces it instead of duplicating it."""
    path = Path(path) if path else macros_dir() / "generated" / "SalesPlanUdfs.bas"
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: generate the SP_* wrappers first (salesplan_xl.udfs)"
        )
    book = {"addin": "ActiveWorkbook", "workbook": "ThisWorkbook"}[target]
    module = load_module(path)
    text = _CALL_UDF.sub(lambda m: m.group(1) + book + m.group(3), module.source)
    return VbaModule(module.name, text, "standard")


def addin_modules(udfs: str | Path | None = None) -> list[VbaModule]:
    """Every module of ``SalesPlan.xlam``'s project, in project order."""
    macros = macros_dir()
    return [
        load_module(macros / "ThisWorkbook.cls", "document"),
        VbaModule("Sheet1", "", "document"),
        *xlwings_modules("addin"),
        load_module(macros / "SalesPlanRibbon.bas"),
        udf_wrappers("addin", udfs),
    ]


def kit_modules(sheet_code_names: Sequence[str], udfs: str | Path | None = None) -> list[VbaModule]:
    """Every module of a udf-mode kit's project: document modules, xlwings, wrappers."""
    return [
        VbaModule("ThisWorkbook", "", "document"),
        *(VbaModule(name, "", "document") for name in sheet_code_names),
        *xlwings_modules("workbook"),
        udf_wrappers("workbook", udfs),
    ]


def kit_vba_project(sheet_code_names: Sequence[str], udfs: str | Path | None = None) -> bytes:
    """``vbaProject.bin`` of a udf-mode kit whose sheets have these code names."""
    return build_vba_project(kit_modules(sheet_code_names, udfs), project_name=KIT_VBA_PROJECT)


# --- configuration ------------------------------------------------------------------------
def _common_config() -> list[tuple[str, object]]:
    return [
        ("PYTHONPATH", ""),
        ("UDF Modules", UDF_MODULE),
        ("Debug UDFs", False),
        ("Use UDF Server", False),
        ("Show Console", False),
        ("ADD_WORKBOOK_TO_PYTHONPATH", False),
    ]


def addin_config() -> list[tuple[str, object]]:
    """Rows of the add-in's ``salesplan.conf`` sheet: no interpreter (it would outrank the
    user file, the one place it is set; without it xlwings falls back to ``pythonw`` /
    ``python`` on the PATH). The workbook's folder is kept off ``sys.path`` (salesplan_xl
    is installed with pip; a stray ``.py`` beside a kit must not shadow it)."""
    return _common_config()


def kit_config() -> list[tuple[str, object]]:
    """Rows of a udf-mode kit's hidden ``salesplan.conf`` sheet (no interpreter: the
    workbook travels; the user file of the machine it is opened on says which)."""
    return _common_config()


# --- ribbon -------------------------------------------------------------------------------
def custom_ui_xml(lang: str = "zh") -> str:
    """The ribbon (customUI14) XML in ``lang``, rendered from ``macros/customUI14.xml.j2``."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    import jinja2

    env = jinja2.Environment(
        autoescape=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined
    )
    template = env.from_string((macros_dir() / "customUI14.xml.j2").read_text(encoding="utf-8"))
    return template.render(t=lambda zh, en: en if lang == "en" else zh)


# --- zip post-processing ------------------------------------------------------------------
def _add_relationship(rels: str) -> str:
    if CUSTOM_UI_REL_TYPE in rels:
        return rels
    rel = f'<Relationship Id="{CUSTOM_UI_REL_ID}" Type="{CUSTOM_UI_REL_TYPE}" Target="{CUSTOM_UI_PART}"/>'
    return rels.replace("</Relationships>", rel + "</Relationships>")


def _as_addin(content_types: str) -> str:
    if WORKBOOK_MACRO_CT not in content_types:
        raise RuntimeError(
            "[Content_Types].xml: no macro-enabled workbook part to turn into an add-in"
        )
    return content_types.replace(WORKBOOK_MACRO_CT, ADDIN_CT)


def finish_package(src: Path, dest: Path, custom_ui: str | None, addin: bool) -> Path:
    """Rewrite the zip ``src`` as ``dest``: add the ribbon part and its relationship, make
    the workbook an add-in if ``addin``, with fixed timestamps and a fixed part order."""
    with zipfile.ZipFile(src) as zin:
        parts = {name: zin.read(name) for name in zin.namelist()}
    if custom_ui is not None:
        parts[CUSTOM_UI_PART] = custom_ui.encode("utf-8")
        parts["_rels/.rels"] = _add_relationship(parts["_rels/.rels"].decode("utf-8")).encode(
            "utf-8"
        )
    if addin:
        ct = parts["[Content_Types].xml"].decode("utf-8")
        parts["[Content_Types].xml"] = _as_addin(ct).encode("utf-8")
    order = ["[Content_Types].xml", "_rels/.rels"]
    names = order + sorted(n for n in parts if n not in order)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in names:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            info.create_system = 0
            zout.writestr(info, parts[name], compresslevel=6)
    tmp = dest.with_name(f".tmp-{dest.name}")
    tmp.write_bytes(buffer.getvalue())
    os.replace(tmp, dest)
    return dest


# --- the add-in ---------------------------------------------------------------------------
def addin_properties(lang: str) -> dict:
    import datetime as dt

    from salesplan_xl import __version__

    return {
        "title": "SalesPlan" if lang == "en" else "销售计划 SalesPlan",
        "subject": "salesplan_xl Excel add-in",
        "author": "salesplan_xl",
        "company": "",
        "comments": f"salesplan_xl {__version__}; built from macros/ by salesplan addin build",
        "created": dt.datetime(2000, 1, 1),
    }


def build_addin(
    out_dir: str | Path,
    lang: str = "zh",
    *,
    udfs: str | Path | None = None,
    filename: str = ADDIN_FILENAME,
) -> Path:
    """Write ``out_dir/SalesPlan.xlam`` (see the module docstring); returns its path."""
    from salesplan_xl.render.addin_workbook import write_addin_workbook

    ribbon = custom_ui_xml(lang)
    vba = build_vba_project(addin_modules(udfs), project_name=ADDIN_VBA_PROJECT)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    dest = out_dir / filename
    with tempfile.TemporaryDirectory(prefix="salesplan-addin-") as tmp:
        raw = Path(tmp) / "SalesPlan.xlsm"
        write_addin_workbook(
            raw,
            vba,
            CONFIG_SHEET,
            addin_config(),
            addin_properties(lang),
        )
        return finish_package(raw, dest, ribbon, addin=True)


# --- udf-mode kits ------------------------------------------------------------------------
def make_kit_macro_enabled(kit, udfs: str | Path | None = None) -> list[str]:
    """Give the kit being written by ``kit`` (a KitWriter on an ``.xlsm`` path) its hidden
    ``salesplan.conf`` sheet and the VBA project for its sheets. Returns the sheet code names."""
    from salesplan_xl.render.addin_workbook import attach_vba_project

    return attach_vba_project(
        kit, lambda names: kit_vba_project(names, udfs), CONFIG_SHEET, kit_config()
    )


# --- install ------------------------------------------------------------------------------
def xlstart_dir(platform: str | None = None, home: Path | None = None, env=None) -> Path:
    """Excel's per-user start-up folder: files there open with Excel.

    Windows: ``%APPDATA%\\Microsoft\\Excel\\XLSTART``. macOS (Excel 2016 and later,
    sandboxed): ``~/Library/Group Containers/UBF8T346G9.Office/User Content/Startup/Excel``.
    Elsewhere :class:`UnsupportedPlatform`.
    """
    platform = platform or sys.platform
    env = os.environ if env is None else env
    home = home or Path.home()
    if platform.startswith("win"):
        appdata = env.get("APPDATA")
        base = Path(appdata) if appdata else home / "AppData" / "Roaming"
        return base / "Microsoft" / "Excel" / "XLSTART"
    if platform == "darwin":
        return (
            home
            / "Library"
            / "Group Containers"
            / "UBF8T346G9.Office"
            / "User Content"
            / "Startup"
            / "Excel"
        )
    raise UnsupportedPlatform(
        f"Excel add-ins install on Windows and macOS only (this is {platform}); "
        "nothing was copied. Build the file with `salesplan addin build --out DIR` "
        "and copy it to a Windows or Mac machine."
    )


def user_config_path(platform: str | None = None, home: Path | None = None) -> Path:
    """The user configuration file xlwings' VBA reads for ``PROJECT_NAME = "salesplan"``
    (``GetConfigFilePath``): ``%USERPROFILE%\\.salesplan\\salesplan.conf`` on Windows;
    on macOS ``salesplan.conf`` in Excel's sandbox home,
    ``~/Library/Containers/com.microsoft.Excel/Data``. Elsewhere :class:`UnsupportedPlatform`."""
    platform = platform or sys.platform
    home = home or Path.home()
    if platform.startswith("win"):
        return home / f".{ADDIN_PROJECT}" / CONFIG_SHEET
    if platform == "darwin":
        return home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / CONFIG_SHEET
    raise UnsupportedPlatform(
        f"Excel add-ins install on Windows and macOS only (this is {platform}); "
        "nothing was written."
    )


def interpreter_setting(
    platform: str | None = None, executable: str | None = None
) -> tuple[str, str]:
    """(key, value) naming this Python as xlwings wants it: ``Interpreter_Win`` with
    ``pythonw.exe`` beside it if there is one (no console window), or ``Interpreter_Mac``."""
    platform = platform or sys.platform
    exe = Path(executable or sys.executable)
    if platform.startswith("win"):
        pythonw = exe.with_name("pythonw.exe")
        return "Interpreter_Win", str(pythonw if pythonw.exists() else exe)
    if platform == "darwin":
        return "Interpreter_Mac", str(exe)
    raise UnsupportedPlatform(f"no Excel interpreter setting on {platform}")


_CONF_LINE = re.compile(r'^\s*"([^"]*)"\s*,')


def write_user_config(path: Path, settings: dict[str, str], encoding: str | None = None) -> Path:
    """Set ``settings`` in the xlwings-format file ``path`` (one ``"KEY","value"`` line per
    setting, what VBA's ``Input #`` reads), keeping its other lines; keys match ignoring
    case, as xlwings compares them. ``encoding``: the file is read by VBA in the ANSI code
    page, so ``mbcs`` on Windows, UTF-8 elsewhere."""
    if encoding is None:
        encoding = "mbcs" if sys.platform.startswith("win") else "utf-8"
    for key, value in settings.items():
        if '"' in key or '"' in value or "\n" in value:
            raise ValueError(f"{path}: {key} = {value!r} cannot be written (quote or newline)")
    path = Path(path)
    lines = path.read_text(encoding=encoding).splitlines() if path.is_file() else []
    wanted = {key.lower(): key for key in settings}
    kept = [
        line
        for line in lines
        if not ((m := _CONF_LINE.match(line)) and m.group(1).lower() in wanted)
    ]
    kept += [f'"{key}","{value}"' for key, value in settings.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".tmp-{path.name}")
    tmp.write_text("\r\n".join(kept) + "\r\n", encoding=encoding, newline="")
    os.replace(tmp, path)
    return path


def install_runpython_handler() -> Path:
    """macOS: xlwings' RunPython needs its AppleScript handler in
    ``~/Library/Application Scripts/com.microsoft.Excel`` (what ``xlwings runpython
    install`` copies); install it from the installed xlwings."""
    import xlwings

    script = _xlwings_dir() / f"xlwings-{xlwings.__version__}.applescript"
    target = Path.home() / "Library" / "Application Scripts" / "com.microsoft.Excel"
    target.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(script, target / script.name))


def install_addin(
    lang: str = "zh",
    target_dir: Path | None = None,
    platform: str | None = None,
    config_path: Path | None = None,
    executable: str | None = None,
) -> Path:
    """Build the add-in straight into XLSTART (or ``target_dir``) and set this Python
    (``executable``) as the interpreter in the user file (or ``config_path``), which the
    add-in and udf-mode kits read; on macOS also install xlwings' RunPython handler.
    Returns the installed add-in."""
    platform = platform or sys.platform
    target = Path(target_dir) if target_dir else xlstart_dir(platform)
    config = Path(config_path) if config_path else user_config_path(platform)
    key, value = interpreter_setting(platform, executable)
    path = build_addin(target, lang)
    write_user_config(config, {key: value})
    if platform == "darwin" and sys.platform == "darwin":
        install_runpython_handler()
    return path


def uninstall_addin(target_dir: Path | None = None, platform: str | None = None) -> Path | None:
    """Remove ``SalesPlan.xlam`` from XLSTART (or ``target_dir``); returns the removed
    path, or None when it was not installed."""
    target = (Path(target_dir) if target_dir else xlstart_dir(platform)) / ADDIN_FILENAME
    if not target.exists():
        return None
    target.unlink()
    return target


def copy_addin(src: Path, target_dir: Path | None = None, platform: str | None = None) -> Path:
    """Copy an already built add-in into XLSTART (or ``target_dir``)."""
    target = Path(target_dir) if target_dir else xlstart_dir(platform)
    target.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(src, target / ADDIN_FILENAME))


if __name__ == "__main__":  # pragma: no cover
    # Regenerate the ribbon golden files:  python -m salesplan_xl.addin.package golden
    if sys.argv[1:] == ["golden"]:
        golden = Path(__file__).resolve().parents[2] / "tests" / "addin" / "golden"
        golden.mkdir(parents=True, exist_ok=True)
        for code in LANGS:
            (golden / f"customUI14.{code}.xml").write_text(custom_ui_xml(code), encoding="utf-8")
            print(f"wrote {golden / f'customUI14.{code}.xml'}")
    else:
        print("usage: python -m salesplan_xl.addin.package golden", file=sys.stderr)
        sys.exit(2)
