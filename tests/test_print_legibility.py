"""Every sheet of the demo kit prints legibly on A4: LibreOffice renders the kit to PDF,
no character on any page prints smaller than 7 pt, and no cell shows "###" (checked also
on the plan sheets and forms of the 300-customer demo, whose totals are larger)."""

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


@pytest.fixture(scope="module")
def rendered_large(tmp_path_factory):
    """The 300-customer demo's sheets other than the customer lists (pages of rows)."""
    from salesplan_xl.config import demo_plan
    from salesplan_xl.data.demo import demo_dataset
    from salesplan_xl.kit import build_kit
    from salesplan_xl.libreoffice import convert
    from salesplan_xl.sheets.spec import load_specs

    out = tmp_path_factory.mktemp("print300")
    plan = demo_plan()
    specs = tuple(s for s in load_specs() if s.kind != "list" or s.id == "P8")
    kit = build_kit(plan, demo_dataset(customers=300, as_of=plan.as_of), out, specs=specs)
    pages = pdf_pages(convert(kit, out / "pdf", "pdf"))
    return pages, sheet_of_pages(pages, [s.sheet_name("zh") for s in specs])


def test_no_cell_prints_hashes(rendered, rendered_large):
    hashed = set()
    for pages, sheets in (rendered[:2], rendered_large):
        hashed |= {s for p, s in zip(pages, sheets, strict=True) if "###" in p.text}
    assert hashed == set(), f'cells too narrow for their numbers ("###") on: {sorted(hashed)}'
