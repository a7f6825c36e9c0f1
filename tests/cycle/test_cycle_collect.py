"""salesplan collect: kits read through their identity and defined names, every typed
fact stored with provenance, one transaction per kit, conflicts and bad cells named."""

from __future__ import annotations

import shutil
import sqlite3

import openpyxl
import pytest
from conftest import need_libreoffice
from typer.testing import CliRunner

from salesplan_xl.audit import KitBook
from salesplan_xl.cli import app
from salesplan_xl.config import demo_plan
from salesplan_xl.cycle.collect import collect_kits, stored_facts
from salesplan_xl.data.demo import demo_dataset
from salesplan_xl.kit import build_kit


@pytest.fixture(scope="module")
def kits(tmp_path_factory):
    plan, data = demo_plan(), demo_dataset(customers=60)
    out = tmp_path_factory.mktemp("kits")
    dept = data.departments()[0]
    company = build_kit(plan, data, out / "company")
    department = build_kit(plan, data, out / "dept", scope=f"department:{dept}")
    return company, department, dept


def _type(path, name: str, k: int, value, to=None):
    """Type ``value`` into row ``k`` of the column named ``name``; returns (sheet, cell)."""
    with KitBook(path) as book:
        area = book.names[name]
        ids = book.names[name.rsplit("_", 1)[0].rsplit("_m", 1)[0] + "_customer_id"]
        cid = book.value(ids.sheet, area.r1 + k, ids.c1)
    wb = openpyxl.load_workbook(path)
    cell = f"{area.a1(area.r1 + k, area.c1)}"
    wb[area.sheet][cell] = value
    wb.save(to or path)
    return area.sheet, cell, cid


def _row_of(path, name: str, customer_id: str) -> int:
    with KitBook(path) as book:
        ids = book.names[name]
        for k in range(ids.r2 - ids.r1 + 1):
            if book.value(ids.sheet, ids.r1 + k, ids.c1) == customer_id:
                return k
    raise KeyError(customer_id)


@pytest.fixture(scope="module")
def typed_kits(kits, tmp_path_factory):
    """The two kits typed into once: the department kit with a November actual and a text
    in a money cell; the company kit with another November actual for the same customer."""
    company, department, dept = kits
    folder = tmp_path_factory.mktemp("typed")
    c, d = folder / "company.xlsx", folder / "dept.xlsx"
    shutil.copy(company, c)
    shutil.copy(department, d)
    sheet, cell, cid = _type(d, "t_9_3_2_m11", 0, 5000.0)
    bad_sheet, bad_cell, _ = _type(d, "t_9_3_2_m12", 1, "五千")
    k = _row_of(c, "t_9_3_2_customer_id", cid)
    c_sheet, c_cell, _ = _type(c, "t_9_3_2_m11", k, 6000.0)
    return {
        "company": c,
        "dept": d,
        "dept_name": dept,
        "customer": cid,
        "typed": (sheet, cell),
        "bad": (bad_sheet, bad_cell),
        "conflict": (c_sheet, c_cell),
    }


@pytest.fixture
def filled(typed_kits, tmp_path):
    """Fresh copies of the typed kits (tests change them)."""
    out = dict(typed_kits)
    for key in ("company", "dept"):
        out[key] = tmp_path / typed_kits[key].name
        shutil.copy(typed_kits[key], out[key])
    return out


def test_collect_stores_every_typed_fact_and_names_every_rejection(filled, tmp_path):
    store = tmp_path / "history.sqlite"
    report = collect_kits([filled["dept"], filled["company"]], store)
    dept, company = report.kits
    assert dept.scope == f"department:{filled['dept_name']}" and company.scope == "company"
    for k in report.kits:
        assert k.reconciled, k
        assert all(t == s + r for t, s, r in k.by_field.values())
    bad = [r for r in dept.rejected]
    assert len(bad) == 1 and (bad[0].sheet, bad[0].cell) == filled["bad"]
    assert bad[0].value == "五千" and "number" in bad[0].reason
    conflicts = company.rejected
    assert len(conflicts) == 1 and (conflicts[0].sheet, conflicts[0].cell) == filled["conflict"]
    assert "dept.xlsx" in conflicts[0].reason and "5000" in conflicts[0].reason
    facts = stored_facts(store, 2026, demo_plan().company)
    key = (dept.scope, "9.3.2", "m11", f"customer_id={filled['customer']}")
    assert facts[key] == 5000.0
    assert ("company", "9.3.2", "m11", f"customer_id={filled['customer']}") not in facts
    assert not report.clean
    text = "\n".join(report.lines())
    assert f"{filled['bad'][0]}!{filled['bad'][1]}" in text


def test_collecting_again_replaces_the_kits_own_facts_cleared_cells_included(filled, tmp_path):
    store = tmp_path / "history.sqlite"
    collect_kits([filled["dept"]], store)
    first = stored_facts(store, 2026, demo_plan().company)
    key = next(k for k in first if k[2] == "m11" and k[3].endswith(filled["customer"]))
    # the same kit again: nothing changes
    collect_kits([filled["dept"]], store)
    assert stored_facts(store, 2026, demo_plan().company) == first
    # the cell cleared and the kit collected again: the fact is gone, nothing else
    wb = openpyxl.load_workbook(filled["dept"])
    sheet, cell = filled["typed"]
    wb[sheet][cell] = None
    wb.save(filled["dept"])
    collect_kits([filled["dept"]], store)
    after = stored_facts(store, 2026, demo_plan().company)
    assert key not in after
    assert set(first) - set(after) == {key}


def test_a_renamed_kit_keeps_its_scope_and_a_kit_of_another_year_is_refused(filled, tmp_path):
    renamed = tmp_path / "华东计划 (1).xlsx"
    shutil.copy(filled["dept"], renamed)
    store = tmp_path / "history.sqlite"
    report = collect_kits([renamed], store)
    assert report.kits[0].scope == f"department:{filled['dept_name']}"
    wrong = collect_kits([filled["company"]], tmp_path / "other.sqlite", year=2027)
    k = wrong.kits[0]
    assert k.stored == 0 and k.typed == len(k.rejected) > 0
    assert all("2026, not 2027" in r.reason for r in k.rejected)
    assert stored_facts(tmp_path / "other.sqlite", 2026, demo_plan().company) == {}


def test_a_workbook_without_identity_is_not_stored(tmp_path):
    path = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = 1
    wb.save(path)
    report = collect_kits([path], tmp_path / "h.sqlite")
    assert report.kits[0].stored == 0


def test_a_kill_mid_collect_leaves_the_store_as_it_was(filled, tmp_path, monkeypatch):
    store = tmp_path / "history.sqlite"
    collect_kits([filled["company"]], store)
    before = stored_facts(store, 2026, demo_plan().company)
    import salesplan_xl.cycle.collect as collect_module

    real = collect_module.json.dumps
    calls = {"n": 0}

    def dying(*args, **kwargs):  # dies half-way through the kit's facts
        calls["n"] += 1
        if calls["n"] > 50:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(collect_module.json, "dumps", dying)
    with pytest.raises(KeyboardInterrupt):
        collect_kits([filled["company"]], store)
    monkeypatch.setattr(collect_module.json, "dumps", real)
    assert stored_facts(store, 2026, demo_plan().company) == before
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_collect_command(filled, tmp_path):
    runner = CliRunner()
    store = tmp_path / "h.sqlite"
    clean = runner.invoke(app, ["collect", str(filled["dept"]), "--store", str(store)])
    assert clean.exit_code == 1  # the text in a money cell
    assert "rejected" in clean.output and "五千" in clean.output
    ok = runner.invoke(app, ["collect", str(filled["company"]), "--store", str(tmp_path / "b")])
    assert ok.exit_code == 0, ok.output
    assert "100% stored" in ok.output
    missing = runner.invoke(app, ["collect", "nope.xlsx", "--store", str(store)])
    assert missing.exit_code == 2


@pytest.mark.slow
@pytest.mark.libreoffice
def test_a_kit_saved_by_libreoffice_collects_the_same(filled, tmp_path):
    need_libreoffice()
    from salesplan_xl.libreoffice import recalculate

    saved = recalculate(filled["dept"], tmp_path / "lo")
    a = collect_kits([filled["dept"]], tmp_path / "a.sqlite").kits[0]
    b = collect_kits([saved], tmp_path / "b.sqlite").kits[0]
    assert (a.scope, a.typed, a.stored, len(a.rejected)) == (b.scope, b.typed, b.stored, len(b.rejected))
    company = demo_plan().company
    assert stored_facts(tmp_path / "a.sqlite", 2026, company) == stored_facts(
        tmp_path / "b.sqlite", 2026, company
    )


def test_next_years_build_reads_last_years_actuals_from_the_store(tmp_path):
    """The loop closes without a new ERP export: actuals typed into this year's kit,
    collected, are next year's basis (P4 上年实际); data.xlsx supplies the rest."""
    from salesplan_xl.kit import build_from_files, init_project

    init_project(tmp_path / "p", year=2026)
    plan, data = tmp_path / "p" / "plan.toml", tmp_path / "p" / "data.xlsx"
    (kit,) = build_from_files(plan, data, tmp_path / "out")
    k1 = _row_of(kit, "t_9_3_2_customer_id", "C0001")
    k2 = _row_of(kit, "t_9_3_2_customer_id", "C0002")
    _type(kit, "t_9_3_2_m3", k1, 12345.67)
    _type(kit, "t_9_3_2_m12", k2, 1000.0)
    store = tmp_path / "history.sqlite"
    assert collect_kits([kit], store).clean
    plan.write_text(plan.read_text(encoding="utf-8").replace("year = 2026", "year = 2027"), "utf-8")
    notes = []
    (new,) = build_from_files(plan, data, tmp_path / "out2027", store=store, warn=notes.append)
    assert any("历史库" in n and "2026" in n for n in notes)
    with KitBook(new) as book:
        ids, last = book.names["t_P4_customer_id"], book.names["t_P4_last_year"]
        basis = {
            book.value(ids.sheet, r, ids.c1): book.value(last.sheet, r, last.c1)
            for r in range(ids.r1, ids.r2 + 1)
        }
    assert basis["C0001"] == pytest.approx(12345.67)
    assert basis["C0002"] == pytest.approx(1000.0)
    assert basis["C0003"] == 0
    # without the store, next year's kit has no basis for 2026 (the export has only 2025)
    (plain,) = build_from_files(plan, data, tmp_path / "plain")
    with KitBook(plain) as book:
        last = book.names["t_P4_last_year_total"]
        assert book.value(last.sheet, last.r1, last.c1) == 0
