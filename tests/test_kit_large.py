"""Large kits stream rows to disk (constant_memory): the same values and formulas,
filter buttons instead of Excel tables. Checked on a small kit with the threshold lowered."""

from __future__ import annotations

import pytest
from conftest import need_libreoffice
from python_calamine import CalamineWorkbook
from recalc import compare

from salesplan_xl import kit
from salesplan_xl.config import demo_plan
from salesplan_xl.data.demo import demo_dataset

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    plan = demo_plan()
    data = demo_dataset(customers=120, as_of=plan.as_of)
    normal = kit.build_kit(plan, data, tmp_path_factory.mktemp("normal"))
    mp = pytest.MonkeyPatch()
    mp.setattr(kit, "LARGE_KIT_CUSTOMERS", 50)
    try:
        streamed = kit.build_kit(plan, data, tmp_path_factory.mktemp("streamed"))
    finally:
        mp.undo()
    return normal, streamed


def test_streamed_kit_holds_the_same_cells(both):
    normal, streamed = (CalamineWorkbook.from_path(str(p)) for p in both)
    assert normal.sheet_names == streamed.sheet_names
    for name in normal.sheet_names:
        assert (
            normal.get_sheet_by_name(name).to_python()
            == streamed.get_sheet_by_name(name).to_python()
        ), name


@pytest.mark.slow
@pytest.mark.libreoffice
def test_streamed_kit_recalculates_to_its_cached_values(both, tmp_path):
    need_libreoffice()
    from salesplan_xl.libreoffice import recalculate

    streamed = both[1]
    n, problems = compare(streamed, recalculate(streamed, tmp_path))
    assert n > 1000
    assert problems == [], "\n".join(problems[:20])
