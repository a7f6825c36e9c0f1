"""The forms of the demo kit: lookups, line amounts, totals, 大写, scores (no LibreOffice)."""

from __future__ import annotations

import math

import openpyxl
import pytest
from forms_helpers import FORM_IDS, column, field, find, grids, sheet_of

from salesplan_xl.planning.credit_form import credit_score_rows
from salesplan_xl.planning.entertainment import entertainment_standard
from salesplan_xl.planning.ratings import credit_grade, manager_score
from salesplan_xl.planning.receivables import suggested_credit_limit
from salesplan_xl.planning.rmb import rmb_upper
from salesplan_xl.sheets.form_sources import chosen_customer, lookup_row

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    from salesplan_xl.kit import build_demo_kit

    return build_demo_kit(tmp_path_factory.mktemp("forms"), customers=120)


@pytest.fixture(scope="module")
def sheets(kit):
    return grids(kit)


@pytest.fixture(scope="module")
def ctx():
    from forms_helpers import demo_context

    return demo_context(120)


def test_every_form_is_in_the_kit_and_the_lookup_sheet_is_hidden(kit, sheets):
    for fid in FORM_IDS:
        sheet_of(sheets, fid)
    wb = openpyxl.load_workbook(kit)
    assert wb["客户查询"].sheet_state == "hidden"
    index = [str(v) for row in sheets[next(n for n in sheets if "目录" in n)] for v in row]
    assert "客户查询" not in index and "9.3.11" in index
    assert {"list_customers", "cust_name", "cust_last_year"} <= set(wb.defined_names)


def test_forms_print_on_one_page_with_validated_inputs(kit):
    wb = openpyxl.load_workbook(kit)
    for fid in FORM_IDS:
        ws = wb[sheet_of(wb.sheetnames, fid)]
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        # XlsxWriter leaves out the default 1: absent means one page
        assert ws.page_setup.fitToWidth in (None, 1)
        # the long plan documents: one page wide, as many pages tall as their text needs
        assert ws.page_setup.fitToHeight in ((0,) if fid in ("P6", "P7") else (None, 1))
        assert ws.page_setup.paperSize == 9
        assert ws.page_setup.orientation == ("landscape" if fid == "P7" else "portrait")
        sources = [dv.formula1 for dv in ws.data_validations.dataValidation]
        assert "dict_opinion" in sources or fid in (
            "P7",
            "9.3.11",
            "9.3.13",
            "9.3.18",
            "9.3.28",
            "9.3.30",
            "9.3.31",
        )
        if fid not in ("P6", "P7", "9.3.8", "9.3.32"):
            assert "list_customers" in sources, fid


def test_lookups_show_the_chosen_customer(sheets, ctx):
    for fid, rank in (("9.3.11", 1), ("9.3.10", 1), ("9.3.3", 2), ("9.3.19", 3)):
        g = sheets[sheet_of(sheets, fid)]
        cid = field(g, "客户编号")
        assert cid == chosen_customer(ctx, rank)
        row = lookup_row(ctx, cid)
        assert field(g, "客户名称") == row["name"]
    g = sheets[sheet_of(sheets, "9.3.10")]
    row = lookup_row(ctx, field(g, "客户编号"))
    assert field(g, "区域") == row["region"] and field(g, "客户等级") == row["grade"]
    assert field(g, "上年销售额") == pytest.approx(row["last_year"])
    assert field(g, "现信用额度") == pytest.approx(row["credit_limit"])
    assert field(g, "现信用期(天)") == row["credit_days"]


@pytest.mark.parametrize("fid", ["9.3.11", "9.3.13"])
def test_order_lines_total_and_words(sheets, fid):
    g = sheets[sheet_of(sheets, fid)]
    qty, price, amount = (column(g, h, 8) for h in ("数量", "单价", "金额"))
    filled = [i for i in range(8) if qty[i] != ""]
    assert len(filled) >= 1  # the lines of a real order (9.3.12: one product an order)
    for i in range(8):
        if i in filled:
            assert amount[i] == pytest.approx(qty[i] * price[i])
        else:
            assert amount[i] == ""
    r, c = find(g, "合计")
    total = next(v for v in g[r][c + 1 :] if v != "")
    assert total == pytest.approx(math.fsum(amount[i] for i in filled))
    assert field(g, "合计（大写）") == rmb_upper(total)


def test_gift_budget_left(sheets):
    g = sheets[sheet_of(sheets, "9.3.3")]
    amounts = [v for v in column(g, "金额", 4) if v != ""]
    assert field(g, "金额（大写）") == rmb_upper(math.fsum(amounts))
    left = field(g, "年度馈赠预算") - field(g, "年度已馈赠") - math.fsum(amounts)
    assert field(g, "本次后预算余额") == pytest.approx(left)


def test_credit_5c_total_grade_and_limit(sheets, ctx):
    g = sheets[sheet_of(sheets, "9.3.10")]
    weights, letters = column(g, "权重", 5), column(g, "评级", 5)
    assert weights == [float(w) for w in ctx.plan.scoring.credit_5c.values()]
    total = credit_score_rows(letters, weights)
    assert field(g, "总分") == pytest.approx(total)
    assert field(g, "信用等级") == credit_grade(total)
    monthly = field(g, "上年销售额") / 12
    assert field(g, "月均销售") == pytest.approx(monthly)
    expected = suggested_credit_limit(monthly, field(g, "现信用期(天)"), credit_grade(total))
    assert field(g, "建议额度") == pytest.approx(expected)


def test_entertainment_standard_and_excess(sheets):
    g = sheets[sheet_of(sheets, "9.3.19")]
    std = entertainment_standard(field(g, "客户等级"), field(g, "来访人数"), field(g, "陪同人数"))
    assert field(g, "标准（每餐）") == pytest.approx(std)
    assert field(g, "标准金额") == pytest.approx(std * field(g, "餐次"))
    assert field(g, "超标金额") == pytest.approx(
        max(0, field(g, "预算金额") - std * field(g, "餐次"))
    )
    assert field(g, "预算（大写）") == rmb_upper(field(g, "预算金额"))


def test_manager_scores_and_total(sheets):
    g = sheets[sheet_of(sheets, "9.3.32")]
    w, t, a, s = (column(g, h, 6) for h in ("权重", "目标", "实际", "得分"))
    expected = [manager_score(a[i], t[i], w[i]) for i in range(6)]
    assert s == pytest.approx(expected)
    r, c = find(g, "总分")
    assert next(v for v in g[r][c + 1 :] if v != "") == pytest.approx(math.fsum(expected))


def test_key_account_analysis_growth_and_wallet(sheets, ctx):
    g = sheets[sheet_of(sheets, "9.3.30")]
    row = lookup_row(ctx, field(g, "客户编号"))
    y = ctx.plan.year
    assert field(g, f"{y - 1}年销售额") == pytest.approx(row["last_year"])
    if row["sales_y2"]:
        assert field(g, f"{y - 1}年增长") == pytest.approx(row["last_year"] / row["sales_y2"] - 1)
    assert field(g, "钱包份额") == pytest.approx(row["last_year"] / field(g, "客户同类采购总额"))


def test_survey_and_annual_plan(sheets, ctx):
    g = sheets[sheet_of(sheets, "9.3.31")]
    scores = column(g, "评分（1–5）", 7)
    assert field(g, "平均分") == pytest.approx(sum(scores) / 7)
    assert field(g, "满意度") == pytest.approx(sum(scores) / 35)
    p6 = sheets[sheet_of(sheets, "P6")]
    assert field(p6, "销售额目标") == ctx.settings["plan_total"].value
    assert field(p6, "销售额目标（大写）") == rmb_upper(ctx.settings["plan_total"].value)
    stores, monthly, months = (column(p6, h, 2) for h in ("店数", "单店月均销售额", "库存月数"))
    assert months == [1, 2]
    assert column(p6, "所需库存", 2) == pytest.approx(
        [stores[i] * monthly[i] * months[i] for i in range(2)]
    )


@pytest.mark.parametrize("fid", ["9.3.11", "9.3.13"])
def test_the_order_on_the_forms_is_an_order_of_9_3_12(sheets, fid):
    """One model: the order number on the order form and the delivery note exists on
    the order list, with the same product, quantity and price."""
    g = sheets[sheet_of(sheets, fid)]
    order_no = field(g, "订单号")
    assert order_no
    orders = sheets[sheet_of(sheets, "9.3.12")]
    rows = [row for row in orders if order_no in row]
    assert len(rows) == 1
    qty, price = (column(g, h, 8) for h in ("数量", "单价"))
    assert qty[0] in rows[0] and price[0] in rows[0]
