"""A real company's kit holds its own data and lookups from it; every other input cell
of the forms is blank. The demo company's sample entries come from the demo data."""

from __future__ import annotations

import pytest
from company import project
from python_calamine import CalamineWorkbook

from salesplan_xl.kit import build_demo_kit, build_from_files

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

INVENTED = (
    "羽毛球",
    "务实、重交期",
    "茶叶礼盒",
    "定制台历",
    "季度业务回顾会",
    "技术总监",
    "采购经理",
    "二级城市渠道",
)


def sheets(kit) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(str(kit))
    return {n.split(" ")[0]: book.get_sheet_by_name(n).to_python() for n in book.sheet_names}


def texts(grid) -> set[str]:
    return {c for row in grid for c in row if isinstance(c, str)}


def numbers(grid) -> set[float]:
    return {c for row in grid for c in row if isinstance(c, int | float)}


def item_row(grid, item):
    return next(row for row in grid if row and row[0] == item)


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    root = tmp_path_factory.mktemp("real")
    plan, data = project(root)
    (kit,) = build_from_files(plan, data, root / "out")
    return sheets(kit)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return sheets(build_demo_kit(tmp_path_factory.mktemp("demo"), customers=40))


FORMS = ["9.3.3", "9.3.8", "9.3.18", "9.3.28", "9.3.30", "9.3.31", "9.3.32"]


@pytest.mark.parametrize("number", FORMS)
def test_no_invented_records_in_a_real_kit(real, demo, number):
    made_up = [t for t in texts(real[number]) if any(w in t for w in INVENTED)]
    assert made_up == []
    assert not {5_000_000, 8_000_000} & numbers(real[number])
    if number not in ("9.3.31", "9.3.32"):
        assert any(any(w in t for w in INVENTED) for t in texts(demo[number]))


def test_real_forms_keep_their_lookups(real):
    # the customer and what the data says about it are there
    assert "C2" in texts(real["9.3.18"]) or "C3" in texts(real["9.3.18"])
    assert any("公司" in t for t in texts(real["9.3.31"]))


def test_real_appraisal_has_only_data_values(real, demo):
    for item in ("大客户满意度", "毛利率"):
        real_row, demo_row = item_row(real["9.3.32"], item), item_row(demo["9.3.32"], item)
        assert 88 in demo_row or 24 in demo_row
        assert 88 not in real_row and 24 not in real_row and 90 not in real_row


def test_real_survey_is_unanswered(real, demo):
    def filled(grid):
        return sum(1 for row in grid for c in row if isinstance(c, int | float))

    # 7 scores and the recommendation are typed in the demo, blank in a real kit
    assert filled(demo["9.3.31"]) - filled(real["9.3.31"]) >= 8


def test_wallet_share_is_not_invented(real, demo):
    assert not any(abs(x - 0.35) < 0.01 for x in numbers(real["9.3.30"]) if isinstance(x, float))
    assert any(abs(x - 0.35) < 0.01 for x in numbers(demo["9.3.30"]) if isinstance(x, float))


@pytest.mark.slow
@pytest.mark.libreoffice
def test_a_real_kit_recalculates_to_its_cached_values(tmp_path):
    """Blank inputs where the demo has samples: every formula still equals its cached
    value in LibreOffice."""
    from conftest import need_libreoffice
    from recalc import compare

    from salesplan_xl.libreoffice import recalculate

    need_libreoffice()
    plan, data = project(tmp_path / "p")
    (kit,) = build_from_files(plan, data, tmp_path / "out")
    n, problems = compare(kit, recalculate(kit, tmp_path / "lo"))
    assert n > 500
    assert problems == [], "\n".join(problems[:20])
