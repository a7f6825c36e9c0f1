"""Dataset helpers and the schema's own consistency."""

from __future__ import annotations

import pandas as pd
import pytest

from salesplan_xl.data import schema
from salesplan_xl.data.dataset import Dataset, conform
from salesplan_xl.data.demo import demo_dataset
from salesplan_xl.errors import InputError


def small() -> Dataset:
    return Dataset.from_frames(
        source="t",
        customers=pd.DataFrame(
            {
                "customer_id": ["C1", "C2", "C3"],
                "name": ["甲", "乙", "丙"],
                "region": ["西北", "东北", "华东"],
                "department": ["渠道部", "直营部", "直营部"],
                "rep_id": ["R1", "R2", "R2"],
            }
        ),
        reps=pd.DataFrame(
            {
                "rep_id": ["R1", "R2", "R3"],
                "name": ["张", "李", "王"],
                "department": ["渠道部", "直营部", "电商部"],
                "region": ["西北", "华东", "海外"],
            }
        ),
        sales=pd.DataFrame(
            {
                "customer_id": ["C1", "C1", "C1", "C2", "C3"],
                "month": ["2025-01", "2025-01", "2025-12", "2024-03", "2025-06"],
                "amount": [100.1, 200.2, 50.0, 70.0, 0.3],
            }
        ),
        invoices=pd.DataFrame(
            {
                "invoice_id": ["F1", "F2"],
                "customer_id": ["C1", "C3"],
                "invoice_date": pd.to_datetime(["2025-01-01", "2025-02-01"]),
                "due_date": pd.to_datetime(["2025-01-31", "2025-03-03"]),
                "amount": [10.0, 20.0],
                "paid": [0.0, 20.0],
            }
        ),
    )


def test_monthly_and_last_year_sales():
    d = small()
    grid = d.monthly_sales(2025)
    assert list(grid.index) == ["C1", "C2", "C3"]
    assert list(grid.columns) == list(range(1, 13))
    assert grid.loc["C1", 1] == 300.3 and grid.loc["C1", 12] == 50.0
    assert grid.loc["C2"].sum() == 0.0 and grid.loc["C3", 6] == 0.3
    assert (grid.dtypes == "float64").all()
    last = d.last_year_sales(2026)
    assert last.to_dict() == {"C1": 350.3, "C2": 0.0, "C3": 0.3}
    assert d.last_year_sales(2025).to_dict() == {"C1": 0.0, "C2": 70.0, "C3": 0.0}


def test_regions_and_departments_order():
    d = small()
    assert d.regions() == ["华东", "西北", "东北", "海外"]
    assert d.departments() == sorted(["渠道部", "直营部", "电商部"])


def test_scoped():
    d = small()
    s = d.scoped("department", "直营部")
    assert s.customers["customer_id"].tolist() == ["C2", "C3"]
    assert s.reps["rep_id"].tolist() == ["R2"]
    assert s.sales["customer_id"].tolist() == ["C2", "C3"]
    assert s.invoices["invoice_id"].tolist() == ["F2"]
    r = d.scoped("region:西北")
    assert r.customers["customer_id"].tolist() == ["C1"]
    assert r.reps["rep_id"].tolist() == ["R1"]
    p = d.scoped("rep", "R2")
    assert p.customers["customer_id"].tolist() == ["C2", "C3"]
    assert d.scoped("department:电商部").customers.empty
    with pytest.raises(InputError, match="expected a department in the data"):
        d.scoped("department", "不存在")
    with pytest.raises(ValueError):
        d.scoped("city", "上海")
    assert len(d.customers) == 3  # the original is untouched


def test_scoped_demo_partitions_customers():
    d = demo_dataset(200)
    parts = [d.scoped("region", r) for r in d.regions()]
    assert sum(len(p.customers) for p in parts) == 200
    assert sum(len(p.sales) for p in parts) == len(d.sales)
    for p in parts:
        assert set(p.customers["rep_id"]) <= set(p.reps["rep_id"])


def test_conform_adds_missing_columns_with_dtypes():
    empty = conform("sales")
    assert list(empty.columns) == [*schema.SALES.keys, "year", "month_num"]
    assert str(empty["amount"].dtype) == "float64" and str(empty["year"].dtype) == "int64"
    money = [1.005, 2.675, -1.005, 0.125, 1234.5, None]
    df = conform("customers", pd.DataFrame({"customer_id": list("abcdef"), "credit_limit": money}))
    assert df["credit_limit"].tolist()[:5] == [1.01, 2.68, -1.01, 0.13, 1234.5]
    assert pd.isna(df["credit_limit"].tolist()[5])
    assert str(df["credit_days"].dtype) == "Int64"
    assert str(df["first_trade_date"].dtype) == "datetime64[ns]"


def test_schema_names_do_not_collide():
    tables = schema.table_lookup()
    assert len(tables) == sum(len({schema.header_key(n) for n in t.names}) for t in schema.TABLES)
    for table in schema.TABLES:
        seen: dict[str, str] = {}
        for col in table.columns:
            for name in col.names:
                hk = schema.header_key(name)
                assert seen.setdefault(hk, col.key) == col.key, (table.key, name)
        assert len({c.key for c in table.columns}) == len(table.columns)


def test_header_matching_forms():
    lookup = schema.header_lookup(schema.CUSTOMERS)

    def key(text):
        return next((lookup[h] for h in schema.header_keys(text) if h in lookup), None)

    assert key("客户编号*") == "customer_id"
    assert key(" Customer ID ") == "customer_id"
    assert key("CUSTOMER_ID") == "customer_id"
    assert key("信用期（天）") == "credit_days"
    assert key("信用额度(元)") == "credit_limit"
    assert key("备注") is None
