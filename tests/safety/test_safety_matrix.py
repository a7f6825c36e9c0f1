"""Kits built end to end from hand-made companies, as new users bring them: the minimal
company, each optional table absent or header-only, messy ERP text, GBK CSV, 10,000
customers (slow); and a fuzz test: any small input gives a kit or exit 2 with the cells
named, never a traceback."""

from __future__ import annotations

import string

import pytest
from company import (
    CUSTOMERS,
    INVOICES,
    PRODUCTS,
    REPS,
    VISITS,
    project,
    sales_rows,
    tables,
    write_csv,
    write_xlsx,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from salesplan_xl.audit import audit_kit
from salesplan_xl.cli import app
from salesplan_xl.kit import build_from_files

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
runner = CliRunner()
KIT = "salesplan_2026_company.xlsx"


def last_year_by_customer(kit) -> dict[str, float]:
    """上年实际 per customer id, as P4 of the kit holds it."""
    book = CalamineWorkbook.from_path(str(kit))
    p4 = book.get_sheet_by_name(next(n for n in book.sheet_names if n.startswith("P4 ")))
    rows = p4.to_python()
    col = rows[2].index("上年实际")
    return {r[1]: r[col] for r in rows[3:] if isinstance(r[1], str) and r[1][:1] in ("C", "N")}


def expected_last_year(rows=None) -> dict[str, float]:
    out: dict[str, float] = {}
    for cid, month, amount in (rows or sales_rows())[1:]:
        if str(month).startswith("2025"):
            out[cid] = out.get(cid, 0.0) + float(amount)
    return out


def test_minimal_company_sales_only(tmp_path):
    plan, data = project(tmp_path, 应收=None, 拜访=None, 产品=None)
    (kit,) = build_from_files(plan, data, tmp_path / "out")
    assert last_year_by_customer(kit) == pytest.approx(expected_last_year())
    assert len(CalamineWorkbook.from_path(str(kit)).sheet_names) > 40
    report = audit_kit(kit)  # one model even with sales only: the identities hold
    assert report.clean, "\n".join(report.lines())


TABLES = {"应收": INVOICES, "拜访": VISITS, "产品": PRODUCTS}


@pytest.mark.parametrize("table", sorted(TABLES))
@pytest.mark.parametrize("form", ["absent", "header-only"])
def test_each_optional_table_absent_or_header_only(tmp_path, table, form):
    plan, data = project(tmp_path, **{table: None if form == "absent" else [TABLES[table][0]]})
    result = runner.invoke(
        app, ["build", "--plan", str(plan), "--data", str(data), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 0, result.output
    assert last_year_by_customer(tmp_path / "o" / KIT) == pytest.approx(expected_last_year())
    report = audit_kit(tmp_path / "o" / KIT)
    assert report.clean, "\n".join(report.lines())


def test_messy_erp_export(tmp_path):
    """A title row above the header, full-width spaces, text amounts and Chinese dates."""
    customers = [
        ["客户资料导出（截至2026年6月30日）"],
        [],
        ["客户编号\u3000", "\u3000客户名称", "区域", "部门", "业务员编号", "信用额度", "信用期(天)"],
        ["C1", "杭州\u3000甲公司\u3000", "华东", "直营部", "R1", "¥50,000.00", "30天"],
        ["C2", "广州乙公司", "华南\u3000", "直营部", "R1", "5万", "45"],
        ["C3", "北京丙公司", "华北", "直营部", "R1", None, None],
    ]
    sales = [["销售明细"], ["客户编号", "日期", "销售额"]]
    plain = sales_rows()
    for cid, month, amount in plain[1:]:
        y, m = month.split("-")
        sales.append([cid, f"{y}年{int(m)}月5日", f"¥{amount:,.2f}"])
    invoices = [
        ["发票号", "客户编号", "开票日", "金额", "已收"],
        ["F1", "C1", "2026年3月5日", "￥1,234.50", "1,000"],
        ["F2", "C2", "2026/5/10", "RMB 8000", ""],
    ]
    plan, data = project(tmp_path, 客户=customers, 销售=sales, 应收=invoices)
    (kit,) = build_from_files(plan, data, tmp_path / "out")
    assert last_year_by_customer(kit) == pytest.approx(expected_last_year(plain))
    book = CalamineWorkbook.from_path(str(kit))
    share = book.get_sheet_by_name(next(n for n in book.sheet_names if n.startswith("9.3.1 ")))
    names = {c for row in share.to_python() for c in row if isinstance(c, str)}
    assert "杭州 甲公司" in names


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_csv_folder(tmp_path, encoding):
    folder = write_csv(tmp_path / "data", tables(), encoding=encoding)
    plan, _ = project(tmp_path / "p")
    (kit,) = build_from_files(plan, folder, tmp_path / "out")
    assert last_year_by_customer(kit) == pytest.approx(expected_last_year())


@pytest.mark.slow
def test_ten_thousand_customers_from_csv(tmp_path):
    customers = [CUSTOMERS[0]] + [
        [f"C{i:05d}", f"客户{i}", "华东华南华北"[i % 3 * 2 : i % 3 * 2 + 2], "直营部", "R1"]
        for i in range(10_000)
    ]
    sales = [["客户编号", "月份", "销售额"]] + [
        [f"C{i:05d}", f"2025-{m:02d}", 100.0 + i % 97] for i in range(10_000) for m in (3, 9)
    ]
    folder = write_csv(tmp_path / "data", tables(客户=customers, 销售=sales, 拜访=None, 应收=None))
    plan, _ = project(tmp_path / "p")
    (kit,) = build_from_files(plan, folder, tmp_path / "out")
    last = last_year_by_customer(kit)
    assert len(last) == 10_000
    assert last["C00100"] == pytest.approx(2 * (100.0 + 100 % 97))


# --- fuzz ------------------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.sampled_from(list(string.ascii_letters + "甲乙丙 　,¥万天\x0b\x07[]/")),
    max_size=8,
)
_CELL = st.one_of(
    st.none(),
    _TEXT,
    st.integers(-10**15, 10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["2025-03", "2025年3月5日", "¥1,234.50", "1e400", "30天", "5万", "#N/A"]),
)
_IDS = st.sampled_from(["C1", "C2", "C3", "C9", "", None])


def maybe(valid, junk=_CELL):
    """Mostly ``valid`` (a value or a strategy), now and then any cell at all."""
    good = valid if isinstance(valid, st.SearchStrategy) else st.just(valid)
    return st.integers(0, 24).flatmap(lambda k: junk if k == 0 else good)


@st.composite
def companies(draw):
    customers = [list(CUSTOMERS[0])]
    for cid in ("C1", "C2", "C3"):
        customers.append(
            [
                draw(maybe(cid, _IDS)),
                draw(maybe(f"{cid}公司", _TEXT)),
                draw(maybe(st.sampled_from(["华东", "华南"]))),
                "直营部",
                draw(maybe("R1", st.sampled_from(["R9", None]))),
            ]
        )
    sales = [["客户编号", "月份", "销售额"]]
    for _ in range(draw(st.integers(0, 8))):
        sales.append(
            [
                draw(maybe(st.sampled_from(["C1", "C2", "C3"]), _IDS)),
                draw(maybe(st.sampled_from(["2025-01", "2025-12", "2026-03", "2025年5月"]))),
                draw(maybe(st.floats(0, 1e6))),
            ]
        )
    invoices = [["发票号", "客户编号", "开票日", "金额", "已收"]]
    for k in range(draw(st.integers(0, 3))):
        invoices.append(
            [
                f"F{k}",
                draw(maybe(st.sampled_from(["C1", "C2"]), _IDS)),
                draw(maybe("2026-03-05")),
                draw(maybe(100)),
                draw(maybe(0)),
            ]
        )
    optional = draw(st.sampled_from([None, "header", "rows"]))
    visits = {None: None, "header": [VISITS[0]], "rows": VISITS}[optional]
    return tables(
        客户=customers, 业务员=[list(r) for r in REPS], 销售=sales, 应收=invoices, 拜访=visits,
        产品=None,
    )


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(tabs=companies())
def test_fuzz_gives_a_kit_or_named_cells(tmp_path_factory, tabs):
    root = tmp_path_factory.mktemp("fuzz")
    plan, _ = project(root)
    data = write_xlsx(root / "data.xlsx", tabs)
    out = root / "out"
    result = runner.invoke(
        app, ["build", "--plan", str(plan), "--data", str(data), "--out", str(out)]
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 0:
        assert (out / KIT).is_file()
    else:
        problems = [line for line in result.output.splitlines() if line.startswith("  - ")]
        assert problems, result.output
        for line in problems:
            assert ", row " in line or "sheet " in line, line
        assert not out.exists() or not any(out.iterdir())
