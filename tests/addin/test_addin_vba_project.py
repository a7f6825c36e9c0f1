"""vbaProject.bin from VBA text, judged by olevba and olefile."""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import olefile
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oletools import olevba

from salesplan_xl.addin.ovba_compression import decompress
from salesplan_xl.addin.vba_project import (
    VBA_PROJECT_HEADER,
    build_vba_project,
    workbook_document_modules,
    write_vba_project,
)
from salesplan_xl.addin.vba_project_text import decrypt, encrypt, project_guid
from salesplan_xl.addin.vba_source import VbaModule, load_module

RIBBON = """\
Option Explicit

' Ribbon callbacks, referenced from customUI14.xml as Ribbon.OnRegenerate etc.
Public Sub OnRegenerate(control As IRibbonControl)
    RunPython "import salesplan_xl.ribbon; salesplan_xl.ribbon.regenerate()"
End Sub

Public Sub OnCheckInputs(control As IRibbonControl)
    MsgBox "Checked: " & CStr(42), vbInformation
End Sub
"""

ACCOUNT = """\
Private pName As String

Public Property Get Name() As String
    Name = pName
End Property
"""


def sample_modules() -> list[VbaModule]:
    return [
        *workbook_document_modules(["Sheet1", "Sheet2"]),
        VbaModule("Ribbon", RIBBON, "standard"),
        VbaModule("Account", ACCOUNT, "class"),
    ]


def olevba_modules(data: bytes, filename: str = "vbaProject.bin") -> dict[str, bytes]:
    """Module name -> raw decompressed module text, as olevba reads it (strict mode)."""
    parser = olevba.VBA_Parser(filename, data=data, relaxed=False)
    assert parser.detect_vba_macros()
    found = {}
    for _, stream_path, _vba_filename, code in parser.extract_macros():
        name = stream_path.split("/")[-1]
        found[name] = code
    parser.close()
    return found


def olevba_project(data: bytes) -> olevba.VBA_Project:
    """olevba's strict parse of PROJECT and dir (raises on any unexpected record value)."""
    ole = olefile.OleFileIO(io.BytesIO(data))
    project = olevba.VBA_Project(ole, "", "PROJECT", "VBA/dir", relaxed=False)
    project.parse_project_stream()
    list(project.parse_modules())
    return project


def code_of(text: str) -> list[str]:
    """Lines of module text below the leading Attribute lines."""
    lines = text.split("\r\n")
    assert lines[-1] == ""
    lines = lines[:-1]
    while lines and lines[0].startswith("Attribute VB_"):
        lines.pop(0)
    return lines


def test_olevba_lists_every_module_with_its_exact_source() -> None:
    modules = sample_modules()
    data = build_vba_project(modules)
    found = olevba_modules(data)
    assert list(found) == [m.name for m in modules]
    for module in modules:
        # olevba returns the whole stored text, Attribute lines included.
        assert found[module.name] == module.stored_text()
        assert code_of(found[module.name]) == module.source.splitlines()


def test_stored_text_has_the_attribute_header_excel_writes() -> None:
    by_name = {m.name: m.stored_text() for m in sample_modules()}
    assert by_name["Ribbon"].startswith('Attribute VB_Name = "Ribbon"\r\nOption Explicit\r\n')
    assert by_name["ThisWorkbook"] == (
        'Attribute VB_Name = "ThisWorkbook"\r\n'
        'Attribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"\r\n'
        "Attribute VB_GlobalNameSpace = False\r\n"
        "Attribute VB_Creatable = False\r\n"
        "Attribute VB_PredeclaredId = True\r\n"
        "Attribute VB_Exposed = True\r\n"
        "Attribute VB_TemplateDerived = False\r\n"
        "Attribute VB_Customizable = True\r\n"
    )
    assert '"0{00020820-0000-0000-C000-000000000046}"' in by_name["Sheet1"]
    assert 'VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"' in by_name["Account"]
    assert "Attribute VB_PredeclaredId = False\r\n" in by_name["Account"]


def test_olefile_sees_the_expected_streams_and_storages() -> None:
    modules = sample_modules()
    ole = olefile.OleFileIO(io.BytesIO(build_vba_project(modules)))
    entries = {"/".join(p) for p in ole.listdir(streams=True, storages=True)}
    expected = {"PROJECT", "PROJECTwm", "VBA", "VBA/_VBA_PROJECT", "VBA/dir"}
    expected |= {f"VBA/{m.name}" for m in modules}
    assert entries == expected
    assert ole.get_type("VBA") == olefile.STGTY_STORAGE
    assert ole.openstream("VBA/_VBA_PROJECT").read() == VBA_PROJECT_HEADER
    assert VBA_PROJECT_HEADER[:4] == bytes.fromhex("CC61FFFF")  # version 0xFFFF: no cache
    for module in modules:
        stream = ole.openstream(f"VBA/{module.name}").read()
        assert decompress(stream) == module.stored_text().encode("ascii")


def test_dir_stream_passes_olevba_strict_parse() -> None:
    modules = sample_modules()
    project = olevba_project(build_vba_project(modules, project_name="SalesPlanAddin"))
    assert project.syskind == 1  # Win32
    assert project.lcid == project.lcidinvoke == 0x409
    assert project.codepage == 1252
    assert project.projectname == "SalesPlanAddin"
    assert [m.name for m in project.modules] == [m.name for m in modules]
    assert [m.textoffset for m in project.modules] == [0] * len(modules)
    assert [m.type for m in project.modules] == [0x22, 0x22, 0x22, 0x21, 0x22]
    assert project.module_ext == {
        "thisworkbook": "cls",
        "sheet1": "cls",
        "sheet2": "cls",
        "ribbon": "bas",
        "account": "cls",
    }


def test_project_stream_text() -> None:
    modules = sample_modules()
    ole = olefile.OleFileIO(io.BytesIO(build_vba_project(modules)))
    lines = ole.openstream("PROJECT").read().decode("ascii").split("\r\n")
    guid = project_guid("SalesPlan")
    assert lines[:6] == [
        f'ID="{guid}"',
        "Document=ThisWorkbook/&H00000000",
        "Document=Sheet1/&H00000000",
        "Document=Sheet2/&H00000000",
        "Module=Ribbon",
        "Class=Account",
    ]
    assert 'Name="SalesPlan"' in lines and "[Host Extender Info]" in lines
    assert lines[-7:] == [
        "[Workspace]",
        "ThisWorkbook=0, 0, 0, 0, C",
        "Sheet1=0, 0, 0, 0, C",
        "Sheet2=0, 0, 0, 0, C",
        "Ribbon=0, 0, 0, 0, C",
        "Account=0, 0, 0, 0, C",
        "",
    ]
    values = dict(line.split("=", 1) for line in lines if line.startswith(("CMG=", "DPB=", "GC=")))
    key = sum(guid.encode()) & 0xFF
    assert decrypt(values["CMG"].strip('"')) == (2, key, b"\x00\x00\x00\x00")  # unprotected
    assert decrypt(values["DPB"].strip('"')) == (2, key, b"\x00")  # no password
    assert decrypt(values["GC"].strip('"')) == (2, key, b"\xff")  # visible
    projectwm = ole.openstream("PROJECTwm").read()
    assert projectwm.startswith(b"ThisWorkbook\x00T\x00h\x00i\x00s\x00")
    assert projectwm.endswith(b"A\x00c\x00c\x00o\x00u\x00n\x00t\x00\x00\x00\x00\x00")


def test_decrypt_reads_values_excel_wrote() -> None:
    """Check the [MS-OVBA] 2.4.3 codec against a project Excel saved (shipped with xlwings)."""
    import xlwings

    xlam = Path(xlwings.__file__).parent / "quickstart_addin.xlam"
    if not xlam.exists():
        pytest.skip("xlwings quickstart add-in not installed")
    with zipfile.ZipFile(xlam) as archive:
        ole = olefile.OleFileIO(io.BytesIO(archive.read("xl/vbaProject.bin")))
    text = ole.openstream("PROJECT").read().decode("cp1252")
    values = dict(line.split("=", 1) for line in text.split("\r\n") if "=" in line)
    key = sum(values["ID"].strip('"').encode()) & 0xFF
    assert decrypt(values["CMG"].strip('"')) == (2, key, b"\x00\x00\x00\x00")
    assert decrypt(values["DPB"].strip('"')) == (2, key, b"\x00")
    assert decrypt(values["GC"].strip('"')) == (2, key, b"\xff")
    seed = bytes.fromhex(values["GC"].strip('"'))[0]
    assert encrypt(b"\xff", values["ID"].strip('"'), seed)[:6] == values["GC"].strip('"')[:6]


@pytest.mark.parametrize("seed", range(0, 256, 17))
def test_encryption_round_trips(seed: int) -> None:
    data = bytes(range(seed % 7 + 1))
    assert decrypt(encrypt(data, "{ABC}", seed)) == (2, sum(b"{ABC}") & 0xFF, data)


def test_building_twice_gives_identical_bytes(tmp_path: Path) -> None:
    first = build_vba_project(sample_modules())
    assert build_vba_project(sample_modules()) == first
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "from test_addin_vba_project import sample_modules; "
        "from salesplan_xl.addin.vba_project import write_vba_project; "
        "write_vba_project(sample_modules(), sys.argv[2])"
    )
    out = tmp_path / "vbaProject.bin"
    env = dict(os.environ, PYTHONHASHSEED="12345")
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parents[2]), env.get("PYTHONPATH", "")])
    subprocess.run(
        [sys.executable, "-c", script, str(Path(__file__).parent), str(out)], check=True, env=env
    )
    assert out.read_bytes() == first


@pytest.mark.parametrize(
    "source, line, column, char",
    [
        ('Sub A()\n    MsgBox "caf\u00e9"\nEnd Sub\n', 2, 16, "\u00e9"),
        ("' \u9500\u552e\u8ba1\u5212\r\nSub A()\r\nEnd Sub", 1, 3, "\u9500"),
        ("Sub A()\rEnd Sub\r\u00a0", 3, 1, "\u00a0"),
        ("Sub A()\n  x = 1\x0c\nEnd Sub", 2, 8, "\x0c"),
    ],
)
def test_non_ascii_source_is_rejected_with_position(
    source: str, line: int, column: int, char: str
) -> None:
    with pytest.raises(ValueError) as info:
        VbaModule("Bad", source)
    message = str(info.value)
    assert f"module 'Bad', line {line}, column {column}" in message
    assert repr(char) in message and f"U+{ord(char):04X}" in message


def test_non_ascii_file_is_rejected_with_position(tmp_path: Path) -> None:
    path = tmp_path / "Labels.bas"
    path.write_bytes('Attribute VB_Name = "Labels"\r\nConst T = "\u9500"\r\n'.encode("utf-8"))
    with pytest.raises(ValueError, match=r"module 'Labels', line 2, column 12"):
        load_module(path)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(name="1abc", source=""), "not a VBA identifier"),
        (dict(name="A" * 32, source=""), "not a VBA identifier"),
        (dict(name="Mod", source="", kind="form"), "kind must be"),
        (dict(name="Mod", source='Attribute VB_Name = "Other"\r\n'), "VB_Name"),
    ],
)
def test_module_validation(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        VbaModule(**kwargs)


def test_project_validation() -> None:
    with pytest.raises(ValueError, match="at least one module"):
        build_vba_project([])
    with pytest.raises(ValueError, match="clash"):
        build_vba_project([VbaModule("Main", ""), VbaModule("MAIN", "")])
    with pytest.raises(ValueError, match="project name"):
        build_vba_project([VbaModule("Main", "")], project_name="Sales Plan")
    with pytest.raises(ValueError, match="code page"):
        build_vba_project([VbaModule("Main", "")], code_page=12345)


def test_load_bas_keeps_a_single_name_attribute(tmp_path: Path) -> None:
    path = tmp_path / "whatever.bas"
    path.write_bytes(b'Attribute VB_Name = "Ribbon"\r\nSub A()\r\nEnd Sub\r\n')
    module = load_module(path)
    assert (module.name, module.kind) == ("Ribbon", "standard")
    assert module.stored_text() == 'Attribute VB_Name = "Ribbon"\r\nSub A()\r\nEnd Sub\r\n'


def test_load_bas_without_attribute_uses_file_name(tmp_path: Path) -> None:
    path = tmp_path / "Tools.bas"
    path.write_text("Sub A()\nEnd Sub", encoding="ascii")
    module = load_module(path)
    assert module.name == "Tools"
    assert module.stored_text() == 'Attribute VB_Name = "Tools"\r\nSub A()\r\nEnd Sub\r\n'


EXPORTED_CLASS = """\
VERSION 1.0 CLASS
BEGIN
  MultiUse = -1  'True
END
Attribute VB_Name = "Account"
Attribute VB_GlobalNameSpace = False
Attribute VB_Creatable = False
Attribute VB_PredeclaredId = True
Attribute VB_Exposed = False
Attribute VB_Description = "A customer account"
Option Explicit
Public Name As String
"""


def test_load_exported_cls(tmp_path: Path) -> None:
    path = tmp_path / "Account.cls"
    path.write_bytes(EXPORTED_CLASS.replace("\n", "\r\n").encode("ascii"))
    module = load_module(path)
    assert (module.name, module.kind) == ("Account", "class")
    assert module.stored_text() == (
        'Attribute VB_Name = "Account"\r\n'
        'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"\r\n'
        "Attribute VB_GlobalNameSpace = False\r\n"
        "Attribute VB_Creatable = False\r\n"
        "Attribute VB_PredeclaredId = True\r\n"  # the file's value wins over the default
        "Attribute VB_Exposed = False\r\n"
        "Attribute VB_TemplateDerived = False\r\n"
        "Attribute VB_Customizable = False\r\n"
        'Attribute VB_Description = "A customer account"\r\n'
        "Option Explicit\r\n"
        "Public Name As String\r\n"
    )
    found = olevba_modules(build_vba_project([module]))
    assert found["Account"] == module.stored_text()


def test_load_exported_document_module(tmp_path: Path) -> None:
    path = tmp_path / "ThisWorkbook.cls"
    text = EXPORTED_CLASS.replace("Account", "ThisWorkbook")
    path.write_text(text.replace("Attribute VB_Description", "' was"), encoding="ascii")
    module = load_module(path)
    assert module.kind == "document"
    assert 'VB_Base = "0{00020819-0000-0000-C000-000000000046}"' in module.stored_text()


def test_code_page_936_project() -> None:
    modules = [VbaModule("Main", "Sub A()\nEnd Sub\n")]
    data = build_vba_project(modules, code_page=936)
    assert olevba_project(data).codepage == 936
    assert olevba_modules(data)["Main"] == modules[0].stored_text()


def test_incompressible_module_is_refused_unless_allowed() -> None:
    rng = random.Random(2)
    noise = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(3900))
    module = VbaModule("Noise", f"' {noise}\n")  # one partial chunk that does not compress
    with pytest.raises(ValueError, match="'Noise'.*raw chunk"):
        build_vba_project([module])
    data = build_vba_project([module], allow_raw_chunks=True)
    text = module.stored_text()
    # Spec-conformant readers decode the raw final chunk with its zero padding.
    padded = text + "\x00" * (-len(text) % 4096)
    assert olevba_modules(data)["Noise"] == padded


def make_xlsm(project: bytes, path: Path, sheets: int = 1) -> Path:
    """An .xlsm written by XlsxWriter holding ``project`` (test helper; packaging is later work)."""
    workbook = xlsxwriter.Workbook(str(path))
    for index in range(sheets):
        workbook.add_worksheet().write(0, 0, f"sheet {index + 1}")
    workbook.add_vba_project(io.BytesIO(project), is_stream=True)
    workbook.set_vba_name("ThisWorkbook")
    workbook.close()
    return path


def test_xlsm_made_with_xlsxwriter_holds_the_project(tmp_path: Path) -> None:
    modules = sample_modules()
    project = build_vba_project(modules)
    xlsm = make_xlsm(project, tmp_path / "kit.xlsm", sheets=2)
    with zipfile.ZipFile(xlsm) as archive:
        assert archive.read("xl/vbaProject.bin") == project
        workbook_xml = archive.read("xl/workbook.xml").decode()
        assert 'codeName="ThisWorkbook"' in workbook_xml
        for index in (1, 2):
            sheet_xml = archive.read(f"xl/worksheets/sheet{index}.xml").decode()
            assert f'codeName="Sheet{index}"' in sheet_xml
    found = olevba_modules(xlsm.read_bytes(), str(xlsm))
    assert found == {m.name: m.stored_text() for m in modules}


def test_write_vba_project(tmp_path: Path) -> None:
    path = write_vba_project(sample_modules(), tmp_path / "vbaProject.bin")
    assert path.read_bytes() == build_vba_project(sample_modules())


# --- property tests ---------------------------------------------------------

WORDS = (
    "Dim As Long String Double Variant If Then Else ElseIf End Sub Function For To Next Each "
    "In Set Call With Select Case Range Cells Value Worksheets Application ByVal ByRef Optional "
    "Private Public Const Exit Do Loop While Until = + - * / & < > <= >= <> ( ) , . :"
).split()


def vba_like_text(seed: int, size: int) -> str:
    """Random ASCII text shaped like VBA: keywords, identifiers, numbers, strings, comments.

    Each line mixes random characters with keywords, so it stays compressible the
    way real source is (see test_incompressible_module_is_refused_unless_allowed).
    """
    rng = random.Random(seed)
    printable = "".join(chr(c) for c in range(0x20, 0x7F))
    lines: list[str] = []
    total = 0
    while total < size:
        indent = "    " * rng.randint(0, 3)
        words = [rng.choice(WORDS) for _ in range(rng.randint(1, 12))]
        roll = rng.random()
        if roll < 0.2:
            words.append("'" + "".join(rng.choice(printable) for _ in range(rng.randint(0, 30))))
        elif roll < 0.4:
            words.append('"' + "".join(rng.choice(printable.replace('"', "")) for _ in range(9)))
            words[-1] += '"'
        elif roll < 0.5:
            words.append(str(rng.randint(-(10**9), 10**9)))
        elif roll < 0.55:
            words.append("\t" + "x" * rng.randint(0, 300))
        line = indent + " ".join(words)
        lines.append(line)
        total += len(line) + 2
    return "\n".join(lines)[:size]


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 2**32),
            st.one_of(st.integers(0, 5000), st.integers(5000, 300_000)),
            st.sampled_from(["standard", "class"]),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_random_modules_round_trip_through_olevba(specs: list[tuple[int, int, str]]) -> None:
    modules = [
        VbaModule(f"M{index}", vba_like_text(seed, size), kind)
        for index, (seed, size, kind) in enumerate(specs)
    ]
    found = olevba_modules(build_vba_project(modules))
    for module in modules:
        assert found[module.name] == module.stored_text()
        assert code_of(found[module.name]) == module.code_lines


def test_one_megabyte_module_round_trips_through_olevba() -> None:
    source = vba_like_text(2024, 1 << 20)
    module = VbaModule("Large", source)
    found = olevba_modules(build_vba_project([*workbook_document_modules(), module]))
    assert found["Large"] == module.stored_text()
    assert code_of(found["Large"]) == source.rstrip("\n").split("\n")
