"""The built-in demo company: shape, determinism, integrity, scale."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import xlsxwriter

from salesplan_xl.data import schema
from salesplan_xl.data.dataset import column_dtypes
from salesplan_xl.data.demo import DEMO_DEPARTMENTS, DEMO_REGIONS, demo_dataset
from salesplan_xl.data.readers import load_data


@pytest.fixture(scope="module")
def demo():
    return demo_dataset()


@pytest.fixture(scope="module")
def big():
    return demo_dataset(10_000)


def assert_cents(series: pd.Series) -> None:
    v = series.dropna().to_numpy()
    assert np.all(np.abs(v * 100 - np.round(v * 100)) < 1e-6)


def test_shape_and_dtypes(demo):
    assert len(demo.customers) == 300
    assert demo.customers["customer_id"].is_unique
    assert demo.customers["name"].is_unique
    assert demo.regions() == list(DEMO_REGIONS)
    assert sorted(demo.departments()) == sorted(DEMO_DEPARTMENTS)
    assert len(demo.reps) >= 12 and demo.reps["rep_id"].is_unique
    assert set(demo.reps["region"]) == set(DEMO_REGIONS)
    assert len(demo.products) == 12
    assert demo.products["is_new"].sum() >= 2 and demo.products["is_bestseller"].sum() >= 2
    for key, frame in demo.tables().items():
        assert list(frame.columns) == list(column_dtypes(key)), key
        assert [str(t) for t in frame.dtypes] == [
            str(pd.Series([], dtype=t).dtype) for t in column_dtypes(key).values()
        ], key


def test_deterministic(demo):
    again = demo_dataset()
    assert demo.equals(again)
    assert not demo.equals(demo_dataset(seed=7))
    assert demo_dataset(50, as_of=dt.date(2026, 5, 15)).equals(
        demo_dataset(50, as_of=dt.date(2026, 5, 15))
    )


def test_integrity(demo):
    ids = set(demo.customers["customer_id"])
    for name in ("sales", "invoices", "visits"):
        assert set(getattr(demo, name)["customer_id"]) <= ids, name
    assert set(demo.customers["rep_id"]) <= set(demo.reps["rep_id"])
    assert set(demo.visits["rep_id"]) <= set(demo.reps["rep_id"])
    for name, frame in demo.tables().items():
        table = schema.TABLES_BY_KEY[name]
        for col in table.columns:
            if col.type == schema.MONEY:
                assert_cents(frame[col.key])
            if col.min is not None:
                assert (frame[col.key].dropna() >= col.min).all(), (name, col.key)
            if not col.nullable:
                assert frame[col.key].notna().all(), (name, col.key)
    assert (demo.sales["amount"] > 0).all()
    inv = demo.invoices
    assert inv["invoice_id"].is_unique
    assert (inv["paid"] <= inv["amount"]).all()
    assert (inv["due_date"] >= inv["invoice_date"]).all()
    assert set(demo.customers["grade"]) == {"A", "B", "C"}
    assert set(demo.customers["credit_days"]) <= {30, 45, 60, 90}


def test_realistic_calendar(demo):
    as_of = pd.Timestamp(2026, 9, 30)
    months = demo.sales["month"]
    assert months.min() == "2023-01" and months.max() == "2026-09"
    assert (demo.invoices["invoice_date"] <= as_of).all()
    assert (demo.visits["date"].dt.year == 2026).all() and (demo.visits["date"] <= as_of).all()
    # some customers are new this year (no history), some invoices are > 90 days overdue
    new = demo.customers["first_trade_date"].dt.year == 2026
    assert 5 <= new.sum() <= 60
    history = demo.sales[demo.sales["year"] < 2026]["customer_id"]
    assert not set(demo.customers.loc[new, "customer_id"]) & set(history)
    overdue = (as_of - demo.invoices["due_date"]).dt.days
    open_ = demo.invoices["paid"] < demo.invoices["amount"]
    assert (open_ & (overdue > 90)).sum() > 0
    assert (demo.invoices["paid"] == demo.invoices["amount"]).sum() > 0
    assert ((demo.invoices["paid"] > 0) & open_).sum() > 0
    # seasonality: Chinese New Year dip, Q4 peak; growth year on year
    grid = demo.monthly_sales(2025).sum()
    assert grid[2] < grid[4] and grid[1] < grid[4] and grid[12] == grid.max()
    totals = demo.sales.groupby("year")["amount"].sum()
    assert totals[2023] < totals[2024] < totals[2025]
    grades = demo.customers["grade"].value_counts(normalize=True)
    assert 0.08 < grades["A"] < 0.25 and 0.4 < grades["C"] < 0.6


def test_as_of_limits_current_year(demo):
    d = demo_dataset(40, as_of=dt.date(2026, 3, 10))
    assert d.sales["month"].max() == "2026-03"
    assert (d.invoices["invoice_date"] <= pd.Timestamp(2026, 3, 10)).all()
    with pytest.raises(ValueError):
        demo_dataset(10, year=2026, as_of=dt.date(2025, 12, 31))


def test_ten_thousand_customers(big):
    assert len(big.customers) == 10_000
    assert big.customers["customer_id"].is_unique and big.customers["name"].is_unique
    assert len(big.reps) == 400  # 25 customers a rep
    assert set(big.sales["customer_id"]) <= set(big.customers["customer_id"])
    assert len(big.sales) > 250_000 and len(big.invoices) > 15_000 and len(big.visits) > 50_000
    assert_cents(big.sales["amount"])
    assert big.monthly_sales(2025).shape == (10_000, 12)


def write_dataset_xlsx(path, d) -> None:
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    datef = wb.add_format({"num_format": "yyyy-mm-dd"})
    for table in schema.TABLES:
        frame = d.tables()[table.key]
        ws = wb.add_worksheet(table.zh)
        ws.write_row(0, 0, [c.zh for c in table.columns])
        for i, rec in enumerate(frame[list(table.keys)].itertuples(index=False), start=1):
            for j, v in enumerate(rec):
                if v is None or v is pd.NaT or (isinstance(v, float) and np.isnan(v)):
                    continue
                if isinstance(v, pd.Timestamp):
                    ws.write_datetime(i, j, v.to_pydatetime(), datef)
                elif isinstance(v, (bool, np.bool_)):
                    ws.write_string(i, j, "是" if v else "否")
                elif isinstance(v, (int, float, np.integer, np.floating)):
                    ws.write_number(i, j, float(v))
                else:
                    ws.write_string(i, j, str(v))
    wb.close()


def test_demo_round_trips_through_a_workbook(tmp_path):
    d = demo_dataset(60)
    write_dataset_xlsx(tmp_path / "demo.xlsx", d)
    back = load_data(tmp_path / "demo.xlsx", year=2026)
    back.source = d.source
    assert back.equals(d)
