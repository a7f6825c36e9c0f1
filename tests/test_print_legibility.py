"""Every sheet of the demo kit prints legibly on A4: LibreOffice renders the kit to PDF,
no character on any page prints smaller than 7 pt, and no cell shows "###"."""

from __future__ import annotations

import pytest
from print_check import pdf_pages, sheet_of_pages

pytestmark = [pytest.mark.slow, pytest.mark.libreoffice]

MIN_PT = 7.0


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    from conftest import need_libreoffice

    pytest.importorskip("pdfminer")
    from salesplan_xl.kit import build_demo_kit
    from salesplan_xl.libreoffice import convert
    from salesplan_xl.sheets.spec import load_specs

    need_libreoffice()
    out = tmp_path_factory.mktemp("print")
    kit = build_demo_kit(out, customers=60)
    pages = pdf_pages(convert(kit, out / "pdf", "pdf"))
    tabs = [s.sheet_name("zh") for s in load_specs() if not s.options.get("hidden")]
    return pages, sheet_of_pages(pages, tabs), tabs


def test_no_page_prints_text_below_7pt(rendered):
    pages, sheets, _ = rendered
    assert len(pages) > 40
    small: dict[str, float] = {}
    for page, sheet in zip(pages, sheets, strict=True):
        pt = page.smallest
        if pt is not None and pt < MIN_PT - 0.01:
            small[sheet] = min(small.get(sheet, 99.0), pt)
    assert small == {}, f"text below {MIN_PT} pt when printed (sheet: smallest pt): {small}"


def test_every_sheet_is_printed_with_its_name_in_the_footer(rendered):
    pages, sheets, tabs = rendered
    assert None not in sheets
    assert set(tabs) == set(sheets)


def test_no_cell_prints_hashes(rendered):
    pages, sheets, _ = rendered
    hashed = sorted({s for p, s in zip(pages, sheets, strict=True) if "###" in p.text})
    assert hashed == [], f'cells too narrow for their numbers ("###") on: {hashed}'
