"""The fast formula path gives exactly what XlsxWriter's own preparation gives."""

from __future__ import annotations

import io
import re

import pytest
import xlsxwriter

from salesplan_xl.config import demo_plan
from salesplan_xl.data.demo import demo_dataset
from salesplan_xl.kit import build_kit, lay_out_kit, make_context
from salesplan_xl.render import fast_formulas, writer


def _reference_worksheet():
    return xlsxwriter.Workbook(io.BytesIO()).add_worksheet()


@pytest.mark.parametrize("mode", ["native", "udf"])
def test_every_kit_formula_is_prepared_as_xlsxwriter_does_and_on_the_fast_path(mode):
    plan = demo_plan()
    ctx = make_context(plan, demo_dataset(customers=60, as_of=plan.as_of), formulas=mode)
    reference = _reference_worksheet()
    fast = _reference_worksheet()
    fast_formulas.speed_up(fast)
    n = 0
    slow = set()
    for lay in lay_out_kit(ctx):
        for cell in lay.cells:
            if cell[3]:
                f = "=" + cell[3]
                assert fast._prepare_formula(f) == reference._prepare_formula(f)
                n += 1
                if not fast_formulas.classic_only(cell[3]):
                    slow |= set(fast_formulas._FUNCTION_NAME.findall(cell[3]))
    assert n > 1000
    # every function the kit writes is on the fast path
    assert slow - fast_formulas.CLASSIC_FUNCTIONS == set()


def test_no_fast_path_function_is_one_xlsxwriter_rewrites():
    import inspect

    from xlsxwriter.worksheet import Worksheet

    source = inspect.getsource(Worksheet._prepare_formula)
    rewritten = set(re.findall(r"\\b([A-Z][A-Z0-9._]*)\\\(", source))
    assert len(rewritten) > 100  # XlsxWriter's future and dynamic-array functions
    assert fast_formulas.CLASSIC_FUNCTIONS & rewritten == set()
    assert not any(name.startswith(fast_formulas.UDF_PREFIX) for name in rewritten)


@pytest.mark.parametrize(
    "formula",
    [
        "=XLOOKUP(A1,B:B,C:C)",
        "=SUM(A1:A3)",
        "=CONCAT(A1,B1)",
        "=IFS(A1>1,1)",
        "=FILTER(A1:A9,A1:A9>0)",
        '="SUM(" & A1',
        "{=SUM(A1:A3*B1:B3)}",
    ],
)
def test_future_functions_still_get_their_prefix(formula):
    reference = _reference_worksheet()
    fast = _reference_worksheet()
    fast_formulas.speed_up(fast)
    assert fast._prepare_formula(formula) == reference._prepare_formula(formula)
    assert fast._prepare_formula(formula, True) == reference._prepare_formula(formula, True)


def test_workbook_bytes_are_the_same_with_and_without_the_fast_path(tmp_path, monkeypatch):
    plan = demo_plan()
    data = demo_dataset(customers=40, as_of=plan.as_of)
    fast = build_kit(plan, data, tmp_path / "fast").read_bytes()
    monkeypatch.setattr(writer, "speed_up", lambda ws: None)
    slow = build_kit(plan, data, tmp_path / "slow").read_bytes()
    assert fast == slow
