"""The kit is one model: one plan in every sheet and every scope kit, cross-sheet
identities that hold as built and as LibreOffice recalculates them, and `salesplan audit`
finding what a returned workbook broke."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest
from conftest import need_libreoffice
from typer.testing import CliRunner

from salesplan_xl.audit import KitBook, audit_kit, check_identities, load_identities
from salesplan_xl.cli import app
from salesplan_xl.config import demo_plan
from salesplan_xl.data.demo import demo_dataset
from salesplan_xl.kit import build_from_files, build_kit, init_project, make_context
from salesplan_xl.sheets.form_sources import form_manager
from salesplan_xl.sheets.plan_sources import (
    allocation,
    department_customer_plan,
    monthly_goals,
    target_breakdown,
)
from salesplan_xl.sheets.sources import settings_rows

MONTHS = [f"m{m}" for m in range(1, 13)]


def _cents(x) -> int:
    return round(x * 100)


def test_at_least_25_identities_are_declared():
    identities = load_identities()
    assert len(identities) >= 25
    assert len({i.id for i in identities}) == len(identities)


def test_identities_hold_in_the_demo_kit_as_built(demo_kit):
    report = audit_kit(demo_kit)
    assert report.clean, "\n".join(report.lines())
    ok = [r for r in report.identities if r.status == "ok"]
    assert len(ok) >= 25
    # the demo fills every sheet: every declared identity applies to it
    assert len(ok) == len(report.identities), [
        r.identity.id for r in report.identities if r.status != "ok"
    ]


@pytest.mark.libreoffice
def test_identities_hold_after_libreoffice_recalculates(demo_kit_recalculated):
    report = audit_kit(demo_kit_recalculated)
    assert report.clean, "\n".join(report.lines())
    assert sum(r.status == "ok" for r in report.identities) >= 25
    assert report.kit["salesplan.scope"] == "company"  # LibreOffice keeps the identity


def test_identities_hold_for_a_company_that_is_not_the_demo(tmp_path):
    init_project(tmp_path / "p", year=2026)
    paths = build_from_files(tmp_path / "p" / "plan.toml", tmp_path / "p" / "data.xlsx", tmp_path)
    for path in paths:
        report = audit_kit(path)
        assert report.clean, "\n".join(report.lines())
        assert sum(r.status == "ok" for r in report.identities) >= 20


def _scopes(data) -> list[str]:
    reps = sorted(set(data.customers["rep_id"].dropna()))
    return (
        [f"department:{d}" for d in data.departments()]
        + [f"region:{r}" for r in data.regions() if (data.customers["region"] == r).any()]
        + [f"rep:{r}" for r in reps]
    )


def test_every_scope_kit_shows_the_company_plan():
    """Every customer's and rep's targets are identical in the company kit and in every
    department, region and rep kit that shows them."""
    plan, data = demo_plan(), demo_dataset(customers=80)
    company = make_context(plan, data)
    whole = allocation(company)
    p4 = {r["customer_id"]: r for r in department_customer_plan(company, None)}
    company_reps = {
        r["name"]: r for r in target_breakdown(company, None)[1:] if r["level"] == "业务员"
    }
    scopes = _scopes(data)
    assert len(scopes) > 10
    for scope in scopes:
        ctx = make_context(plan, data, scope)
        part = allocation(ctx)
        assert part.customers, scope
        for c in part.customers:
            assert c == whole.customer(c.customer_id), (scope, c.customer_id)
        for row in department_customer_plan(ctx, None):
            mine = p4[row["customer_id"]]
            assert [row[m] for m in MONTHS] == [mine[m] for m in MONTHS], scope
            assert row["target"] == mine["target"]
        # P3: a rep line is the sum of the company plan's targets of the rep's customers
        # in scope: the company kit's rep line when all of them are in scope.
        in_scope = {c.customer_id for c in part.customers}
        for row in target_breakdown(ctx, None)[1:]:
            if row["name"] not in company_reps:
                continue
            rep = row["name"].rsplit("（", 1)[1].rstrip("）")
            mine = [c for c in whole.customers if c.rep_id == rep]
            shown = [c for c in mine if c.customer_id in in_scope]
            for k, m in enumerate(MONTHS):
                assert _cents(row[m]) == sum(_cents(c.months[k]) for c in shown), (scope, row)
            if len(shown) == len(mine):
                same = company_reps[row["name"]]
                assert [row[m] for m in MONTHS] == [same[m] for m in MONTHS], (scope, row)
        # The scope line, P5 and 参数 all show the sum of the scope's customers.
        scope_total = sum(_cents(c.annual) for c in part.customers)
        assert _cents(target_breakdown(ctx, None)[0]["target"]) == scope_total
        assert sum(_cents(r["target"]) for r in monthly_goals(ctx, None)) == scope_total
        plan_total = next(r for r in settings_rows(ctx) if r["key"] == "plan_total")
        assert _cents(plan_total["value"]) == scope_total
        assert "formula" not in plan_total  # a scope kit shows the company plan's value


def test_department_kits_add_up_to_the_company_kit():
    plan, data = demo_plan(), demo_dataset(customers=80)
    company = allocation(make_context(plan, data))
    parts = [allocation(make_context(plan, data, f"department:{d}")) for d in data.departments()]
    assert sum(_cents(p.company_annual) for p in parts) == _cents(company.company_annual)
    for m in range(12):
        assert sum(_cents(p.company_months[m]) for p in parts) == _cents(company.company_months[m])


def test_appraisal_target_is_the_reps_plan_to_date():
    plan, data = demo_plan(), demo_dataset(customers=80)
    ctx = make_context(plan, data)
    record = form_manager(ctx, None)[0]
    rep = record["manager"].rsplit("（", 1)[1].rstrip("）")
    n = plan.as_of.month
    expected = sum(sum(c.months[:n]) for c in allocation(ctx).customers if c.rep_id == rep)
    assert _cents(record["items"][0]["target"]) == _cents(expected)


def test_department_growth_overrides_give_each_department_its_own_target():
    from dataclasses import replace

    plan, data = demo_plan(), demo_dataset(customers=80)
    dept = data.departments()[0]
    targets = replace(plan.targets, departments={dept: 0.5})
    plan = replace(plan, targets=targets)
    alloc = allocation(make_context(plan, data))
    facts = data.customers.assign(last=data.last_year_sales(plan.year).to_numpy())
    last = round(float(facts.loc[facts["department"] == dept, "last"].sum()), 2)
    unit = plan.rounding_unit
    assert alloc.department_annual[dept] == round(last * 1.5 / unit) * unit


def test_scope_kits_pass_the_identities(tmp_path):
    plan, data = demo_plan(), demo_dataset(customers=60)
    for scope in ["company", f"department:{data.departments()[0]}", "region:华东"]:
        path = build_kit(plan, data, tmp_path / scope.replace(":", "_"), scope=scope)
        with KitBook(path) as book:
            results = check_identities(book)
        broken = [(r.identity.id, r.left, r.right, r.reason) for r in results if r.status == "broken"]
        assert not broken, (scope, broken)
        assert sum(r.status == "ok" for r in results) >= 25


# --- salesplan audit ----------------------------------------------------------------------


def _cell(book: KitBook, name: str, k: int = 0):
    area = book.names[name]
    return area.sheet, area.a1(area.r1 + k, area.c1)


@pytest.fixture(scope="module")
def tampered(tmp_path_factory, demo_kit):
    """The demo kit with a formula overwritten, a text typed into a money cell and a plan
    number edited, then recalculated by LibreOffice (as a user's Excel would)."""
    need_libreoffice()
    from salesplan_xl.libreoffice import recalculate

    folder = tmp_path_factory.mktemp("tampered")
    path = folder / "returned.xlsx"
    shutil.copy(demo_kit, path)
    with KitBook(path) as book:
        formula_sheet, formula_cell = _cell(book, "t_9_3_1_yoy", 3)
        text_sheet, text_cell = _cell(book, "t_9_3_2_m11", 2)
        plan_sheet, plan_cell = _cell(book, "t_P4_m3", 1)
    wb = openpyxl.load_workbook(path)
    wb[formula_sheet][formula_cell] = 0.5
    wb[text_sheet][text_cell] = "一万二"
    wb[plan_sheet][plan_cell] = wb[plan_sheet][plan_cell].value + 100
    wb.save(path)
    recalculated = recalculate(path, folder / "lo")
    return recalculated, {
        "formula": (formula_sheet, formula_cell),
        "text": (text_sheet, text_cell),
        "plan": (plan_sheet, plan_cell),
    }


@pytest.mark.slow
@pytest.mark.libreoffice
def test_audit_names_each_problem_by_sheet_and_cell(tampered):
    path, where = tampered
    report = audit_kit(path)
    assert not report.clean
    kinds = {(f.kind, f.sheet, f.cell) for f in report.findings}
    assert ("overwritten_formula", *where["formula"]) in kinds
    assert ("wrong_type", *where["text"]) in kinds
    broken = {r.identity.id for r in report.identities if r.status == "broken"}
    assert {"plan.p4.split", "plan.q1.p4", "plan.m3.p4"} <= broken
    assert "plan.p3" not in broken  # the other identities still hold
    identity_lines = [f for f in report.findings if f.kind == "identity"]
    assert any("P4" in f.sheet for f in identity_lines)


@pytest.mark.slow
@pytest.mark.libreoffice
def test_audit_command_exit_codes(tampered, demo_kit):
    runner = CliRunner()
    clean = runner.invoke(app, ["audit", str(demo_kit)])
    assert clean.exit_code == 0, clean.output
    assert "identities hold" in clean.output
    dirty = runner.invoke(app, ["audit", str(tampered[0])])
    assert dirty.exit_code == 1
    sheet, cell = tampered[1]["formula"]
    assert f"{sheet}!{cell}" in dirty.output
    missing = runner.invoke(app, ["audit", "no-such.xlsx"])
    assert missing.exit_code == 2


def test_audit_reports_a_file_that_is_not_a_workbook(tmp_path):
    bad = tmp_path / "kit.xlsx"
    bad.write_text("not a zip")
    report = audit_kit(bad)
    assert not report.clean and report.findings[0].kind == "unreadable"


# --- type-through: a fact typed into its home reaches every sheet that reads it ------------

#: Identities over sheets that still keep their own copy of the actuals (an input or a
#: value, not yet a formula reading 9.3.2): typing into 9.3.2 breaks them until they read
#: their home. Move an id out of here when its sheet is linked.
NOT_YET_LINKED: set[str] = set()


@pytest.fixture(scope="module")
def typed(tmp_path_factory):
    """A 60-customer kit with every month of 9.3.2 typed for every customer (openpyxl),
    recalculated by LibreOffice."""
    need_libreoffice()
    from salesplan_xl.libreoffice import recalculate

    folder = tmp_path_factory.mktemp("typed")
    path = build_kit(demo_plan(), demo_dataset(customers=60), folder)
    with KitBook(path) as book:
        areas = [book.names[f"t_9_3_2_m{m}"] for m in range(1, 13)]
        ids = book.names["t_9_3_2_customer_id"]
        customer_ids = [book.value(ids.sheet, r, ids.c1) for r in range(ids.r1, ids.r2 + 1)]
    wb = openpyxl.load_workbook(path)
    typed_values = {}
    for m, area in enumerate(areas, start=1):
        ws = wb[area.sheet]
        for k, r in enumerate(range(area.r1, area.r2 + 1)):
            cid = customer_ids[k]
            if not cid:
                continue
            value = 1000 * m + k + 0.25
            ws.cell(row=r + 1, column=area.c1 + 1, value=value)
            typed_values[(cid, m)] = value
    # a new customer typed into the register's blank rows: first trade in the as-of month
    with KitBook(path) as book:
        reg = {k: book.names[f"t_9_3_6_{k}"] for k in ("customer_id", "name", "region", "first_trade_date")}
        ids = reg["customer_id"]
        blank = next(
            r for r in range(ids.r1, ids.r2 + 1) if book.value(ids.sheet, r, ids.c1) in ("", None)
        )
        new_before = book.value(*_total_cell(book, "t_9_3_5_new_total"))
    ws = wb[reg["customer_id"].sheet]
    as_of = demo_plan().as_of
    for key, value in {
        "customer_id": "N9001",
        "name": "新开发客户有限公司",
        "region": "华东",
        "first_trade_date": dt.datetime(as_of.year, as_of.month, 1),
    }.items():
        ws.cell(row=blank + 1, column=reg[key].c1 + 1, value=value)
    wb.save(path)
    typed_values["new_before"] = new_before
    return recalculate(path, folder / "lo"), typed_values


def _total_cell(book, name):
    area = book.names[name]
    return area.sheet, area.r1, area.c1


@pytest.mark.slow
@pytest.mark.libreoffice
def test_facts_typed_into_their_homes_reach_every_reader(typed):
    path, typed_values = typed
    new_before = typed_values.pop("new_before")
    with KitBook(path) as book:
        # the new customer typed on 9.3.6 is counted on 9.3.5, 9.3.25 and P5
        for name in ("t_9_3_5_new_total", "t_9_3_25_new_total", "t_P5_new_actual_total"):
            assert book.value(*_total_cell(book, name)) == new_before + 1, name
        ytd = book.names["t_9_3_1_ytd"]
        ids = book.names["t_9_3_1_customer_id"]
        seen = 0
        for r in range(ids.r1, ids.r2 + 1):
            cid = book.value(ids.sheet, r, ids.c1)
            if (cid, 1) not in typed_values:
                continue  # a region subtotal row
            expected = sum(typed_values[(cid, m)] for m in range(1, 13))
            assert abs(book.value(ytd.sheet, r, ytd.c1) - expected) < 0.005, cid
            seen += 1
        assert seen == 60
        months = book.names["t_9_3_14_m12"]
        ids14 = book.names["t_9_3_14_customer_id"]
        for r in range(ids14.r1, ids14.r2 + 1):
            cid = book.value(ids14.sheet, r, ids14.c1)
            if (cid, 12) in typed_values:
                assert book.value(months.sheet, r, months.c1) == pytest.approx(
                    typed_values[(cid, 12)]
                )
        results = {r.identity.id: r for r in check_identities(book)}
    broken = {k for k, r in results.items() if r.status == "broken"}
    assert not [k for k, r in results.items() if r.status == "not_applicable"]
    assert broken == NOT_YET_LINKED, broken
    for key in ("ytd.9_3_1", "ytd.9_3_14", "ytd.9_3_15", "ytd.9_3_17", "ytd.9_3_25", "ytd.p5"):
        assert results[key].status == "ok"
    total = sum(typed_values.values())
    assert results["ytd.9_3_1"].left == pytest.approx(total)


def test_settled_invoices_are_not_overdue(demo_kit):
    """9.3.4: an invoice with nothing left to collect is 已结清, 0 days overdue."""
    with KitBook(demo_kit) as book:
        unpaid, days, bucket = (
            book.names[f"t_9_3_4_{k}"] for k in ("unpaid", "overdue_days", "bucket")
        )
        settled = open_ = 0
        for r in range(unpaid.r1, unpaid.r2 + 1):
            left = book.value(unpaid.sheet, r, unpaid.c1)
            if left == "":
                continue
            if left <= 0:
                settled += 1
                assert book.value(days.sheet, r, days.c1) == 0
                assert book.value(bucket.sheet, r, bucket.c1) == "已结清"
            else:
                open_ += 1
                assert book.value(bucket.sheet, r, bucket.c1) != "已结清"
    assert settled and open_


def test_kits_identify_themselves_in_their_document_properties(tmp_path):
    from salesplan_xl.identity import read_identity

    plan, data = demo_plan(), demo_dataset(customers=30)
    dept = data.departments()[0]
    a = read_identity(build_kit(plan, data, tmp_path / "a"))
    b = read_identity(build_kit(plan, data, tmp_path / "b", scope=f"department:{dept}"))
    assert a["salesplan.year"] == "2026" and a["salesplan.scope"] == "company"
    assert b["salesplan.scope"] == f"department:{dept}"
    assert a["salesplan.inputs"] == b["salesplan.inputs"]  # same inputs, other scope
    other = read_identity(build_kit(plan, demo_dataset(customers=31), tmp_path / "c"))
    assert other["salesplan.inputs"] != a["salesplan.inputs"]
    report = audit_kit(tmp_path / "b" / next((tmp_path / "b").iterdir()).name)
    assert f"department:{dept}" in report.lines()[0]


@pytest.mark.libreoffice
def test_formula_cells_are_found_as_openpyxl_finds_them(demo_kit_recalculated):
    """KitBook's scan of the sheet XML finds exactly the formula cells (LibreOffice's
    file: shared formulas, other attributes)."""
    wb = openpyxl.load_workbook(demo_kit_recalculated, read_only=True)
    with KitBook(demo_kit_recalculated) as book:
        for ws in wb.worksheets:
            expected = {
                (c.row - 1, c.column - 1)
                for row in ws.iter_rows()
                for c in row
                if isinstance(getattr(c, "value", None), str) and c.value.startswith("=")
            }
            assert book.formulas(ws.title) == expected, ws.title
    wb.close()


def test_key_account_grade_on_9_3_27_is_what_sp_ka_grade_computes():
    """One definition: the 9.3.27 grade and the SP_KA_GRADE worksheet function agree on
    every customer rated (same weights from 参数, same arithmetic)."""
    from salesplan_xl import udfs
    from salesplan_xl.kit import lay_out_kit
    from salesplan_xl.sheets.spec import load_specs

    ctx = make_context(demo_plan(), demo_dataset(customers=120))
    specs = tuple(s for s in load_specs() if s.id in ("P1", "9.3.27"))
    lay = next(lay for lay in lay_out_kit(ctx, specs) if lay.spec.id == "9.3.27")
    keys = ["s_sales", "s_growth", "s_margin", "s_collection", "s_credit", "s_years", "s_value"]
    weights = [[ctx.settings[f"ka_w{i}"].value for i in range(1, 8)]]
    rated = 0
    for i, grade in enumerate(lay.values["rating"]):
        if grade in ("", None, "未评级"):
            continue
        scores = [[lay.values[k][i] for k in keys]]
        result = udfs.SP_KA_GRADE(scores, weights)
        while isinstance(result, list):  # one customer row: one cell
            result = result[0]
        assert result == grade, lay.values["customer_id"][i]
        rated += 1
    assert rated > 5
