"""The ribbon XML: golden files, the customUI14 schema, and the wiring to VBA and Python.

Regenerate the golden files after changing macros/customUI14.xml.j2 with::

    python -m salesplan_xl.addin.package golden
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import need_file

from salesplan_xl import ribbon
from salesplan_xl.addin.package import custom_ui_xml, macros_dir
from salesplan_xl.addin.vba_source import load_module

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
SCHEMA_ENV = "SALESPLAN_CUSTOMUI_XSD"
SCHEMA_HOW = (
    f"set {SCHEMA_ENV} to Microsoft's customUI14.xsd ([MS-CUSTOMUI2]), or place it at "
    "shared/schemas/customui14.xsd in a folder above the checkout"
)
NS = {"ui": "http://schemas.microsoft.com/office/2009/07/customui"}
LABELS_ZH = [
    "销售计划",
    "生成",
    "重新生成",
    "拆分目标",
    "刷新",
    "检查输入",
    "年度滚动",
    "导出 PDF",
    "诊断",
]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rendered_ribbon_matches_golden(lang):
    golden = (GOLDEN / f"customUI14.{lang}.xml").read_text(encoding="utf-8")
    assert custom_ui_xml(lang) == golden, (
        "stale golden file: run `python -m salesplan_xl.addin.package golden`"
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def customui14_schema() -> Path | None:
    """``$SALESPLAN_CUSTOMUI_XSD``, else ``shared/schemas/customui14.xsd`` beside the checkout
    or beside a folder above it (worktrees live one level deeper than the main checkout)."""
    env = os.environ.get(SCHEMA_ENV)
    if env:
        return Path(env)
    for folder in REPO.parents:
        candidate = folder / "shared" / "schemas" / "customui14.xsd"
        if candidate.is_file():
            return candidate
    return None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ribbon_validates_against_customui14_xsd(lang):
    schema = need_file(customui14_schema(), "the customUI14 schema", SCHEMA_HOW)
    import xmlschema

    xmlschema.XMLSchema(str(schema)).validate(custom_ui_xml(lang))


def test_schema_lookup_fails_under_ci_when_absent(monkeypatch, tmp_path):
    import conftest

    monkeypatch.setenv(SCHEMA_ENV, str(tmp_path / "missing.xsd"))
    monkeypatch.setattr(conftest, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="required under CI"):
        need_file(customui14_schema(), "the customUI14 schema", SCHEMA_HOW)
    monkeypatch.setattr(conftest, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match=SCHEMA_ENV):
        need_file(customui14_schema(), "the customUI14 schema", SCHEMA_HOW)


def test_labels():
    zh = ElementTree.fromstring(custom_ui_xml("zh").encode("utf-8"))
    labels = [e.get("label") for e in zh.iter() if e.get("label")]
    for label in LABELS_ZH:
        assert label in labels
    en = custom_ui_xml("en")
    assert not re.search(r"[\u4e00-\u9fff]", en)
    with pytest.raises(ValueError):
        custom_ui_xml("fr")


def test_every_button_dispatches_to_a_ribbon_action():
    root = ElementTree.fromstring(custom_ui_xml("zh").encode("utf-8"))
    buttons = root.findall(".//ui:button", NS)
    assert len(buttons) == 7
    source = load_module(macros_dir() / "SalesPlanRibbon.bas").source
    cases = dict(re.findall(r'Case "(\w+)": ActionFor = "(\w+)"', source))
    assert {b.get("id") for b in buttons} == set(cases)
    for button in buttons:
        assert button.get("onAction") == "SalesPlanRibbon.OnAction"
        assert button.get("imageMso")
        assert callable(getattr(ribbon, cases[button.get("id")]))
    assert 'RunPython "import salesplan_xl.ribbon as r; r." & action & "()"' in source


def excel_control_ids() -> set[str]:
    path = Path(__file__).parent / "data" / "excel_control_ids.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def test_every_image_is_an_excel_control_id():
    """imageMso takes the icon of a built-in control of the host: an id that only Word or
    PowerPoint has (DateAndTimeInsert, TableColumnsDistribute) shows no icon in Excel."""
    ids = excel_control_ids()
    assert len(ids) > 1000 and "FileSaveAsPdfOrXps" in ids
    assert not {"DateAndTimeInsert", "TableColumnsDistribute"} & ids
    for lang in ("zh", "en"):
        root = ElementTree.fromstring(custom_ui_xml(lang).encode("utf-8"))
        images = {e.get("imageMso") for e in root.iter() if e.get("imageMso")}
        assert len(images) == 7
        assert images <= ids, sorted(images - ids)


def test_macros_are_ascii_only():
    for path in macros_dir().glob("*.bas"):
        path.read_bytes().decode("ascii")
    for path in macros_dir().glob("*.cls"):
        path.read_bytes().decode("ascii")
