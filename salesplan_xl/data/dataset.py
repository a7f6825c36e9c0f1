"""The loaded input: one typed pandas table per input sheet.

Every table has exactly the canonical column keys of :mod:`salesplan_xl.data.schema`, in
schema order (sales adds ``year`` and ``month_num``), a fresh ``RangeIndex`` and these
dtypes:

============  ===================  ==========================================
schema type   dtype                missing value
============  ===================  ==========================================
text, choice  ``str`` (pandas 3)   NaN
month         ``str`` "YYYY-MM"    never missing in ``sales``
money         ``float64``          NaN; always rounded to the cent
number        ``float64``          NaN
percent       ``float64``          NaN (a fraction: 0.13 for 13%)
int           ``Int64`` (nullable) ``<NA>``
date          ``datetime64[ns]``   NaT (midnight; use ``.dt.date`` for dates)
bool          ``bool``             blank is False
============  ===================  ==========================================

Guarantees after :func:`~salesplan_xl.data.readers.load_data` or
:func:`~salesplan_xl.data.demo.demo_dataset`: customer ids, rep ids, invoice ids and
product ids are unique; every sales, invoice and visit row names a known customer;
``sales.month`` is always set (derived from ``sales.date`` when only the date was given);
``invoices.due_date`` is always set (given, else invoice date + the customer's credit
days, else + 30 days); ``invoices.paid`` is never missing (blank is 0) and never above
``amount``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from salesplan_xl.data import schema
from salesplan_xl.data.normalise import round_cents
from salesplan_xl.errors import InputError, Problem

#: Conventional order of Chinese sales regions; others follow by name.
REGION_ORDER = ("华东", "华南", "华北", "华中", "西南", "西北", "东北")

_DTYPES = {
    schema.TEXT: "str",
    schema.CHOICE: "str",
    schema.MONTH: "str",
    schema.MONEY: "float64",
    schema.NUMBER: "float64",
    schema.PERCENT: "float64",
    schema.INT: "Int64",
    schema.DATE: "datetime64[ns]",
    schema.BOOL: "bool",
}

SCOPE_KINDS = ("department", "region", "rep")


def column_dtypes(table_key: str) -> dict[str, str]:
    """Canonical column -> dtype for a table, in column order (derived columns last)."""
    table = schema.TABLES_BY_KEY[table_key]
    out = {c.key: _DTYPES[c.type] for c in table.columns}
    out.update(dict(schema.DERIVED_COLUMNS.get(table_key, ())))
    return out


def conform(table_key: str, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """``frame`` with exactly the table's columns, in order, with the documented dtypes.

    Missing columns are added as all-missing; money is rounded to the cent; sales get
    ``year`` and ``month_num`` from ``month``. Extra columns are dropped.
    """
    dtypes = column_dtypes(table_key)
    table = schema.TABLES_BY_KEY[table_key]
    src = pd.DataFrame() if frame is None else frame.reset_index(drop=True)
    n = len(src)
    cols: dict[str, pd.Series] = {}
    for col in table.columns:
        dtype = dtypes[col.key]
        if col.key in src.columns:
            s = src[col.key]
        elif dtype == "bool":
            s = pd.Series(np.zeros(n, dtype=bool))
        else:
            s = pd.Series([None] * n, dtype=object)
        if dtype == "bool":
            s = s.fillna(False).astype(bool)
        elif dtype == "datetime64[ns]":
            s = pd.to_datetime(s).astype("datetime64[ns]")
        elif dtype == "float64":
            s = pd.to_numeric(s).astype("float64")
            if col.type == schema.MONEY:
                s = pd.Series(round_cents(s.to_numpy()), index=s.index)
        else:
            s = s.astype(dtype)
        cols[col.key] = s.reset_index(drop=True)
    out = pd.DataFrame(cols, index=pd.RangeIndex(n))
    if table_key == "sales":
        out["year"] = out["month"].str.slice(0, 4).astype("int64")
        out["month_num"] = out["month"].str.slice(5, 7).astype("int64")
    return out


def region_sort_key(region: str) -> tuple[int, str]:
    try:
        return (REGION_ORDER.index(region), "")
    except ValueError:
        return (len(REGION_ORDER), region)


@dataclass(eq=False)
class Dataset:
    """Typed input tables (see the module docstring for columns and dtypes)."""

    customers: pd.DataFrame
    reps: pd.DataFrame
    sales: pd.DataFrame
    invoices: pd.DataFrame
    visits: pd.DataFrame
    products: pd.DataFrame
    source: str = ""
    #: Sample entries for the forms' input cells, by form source name (e.g.
    #: ``"form_gift"``): each takes ``(ctx, lookup_row)`` and returns field values. Only
    #: the demo company has them (:func:`salesplan_xl.data.demo.demo_form_samples`); a
    #: real company's forms hold its own data and lookups, every other input blank.
    form_samples: dict[str, Callable] = field(default_factory=dict)

    TABLE_KEYS = ("customers", "reps", "sales", "invoices", "visits", "products")

    @classmethod
    def from_frames(cls, source: str = "", **frames: pd.DataFrame | None) -> Dataset:
        """Build from frames keyed by table (absent tables are empty), conforming each."""
        unknown = set(frames) - set(cls.TABLE_KEYS)
        if unknown:
            raise TypeError(f"unknown tables: {sorted(unknown)}")
        return cls(**{k: conform(k, frames.get(k)) for k in cls.TABLE_KEYS}, source=source)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {k: getattr(self, k) for k in self.TABLE_KEYS}

    def equals(self, other: Dataset) -> bool:
        """Same source and identical tables (values and dtypes)."""
        return self.source == other.source and all(
            a.equals(b) and list(a.dtypes) == list(b.dtypes)
            for a, b in zip(self.tables().values(), other.tables().values(), strict=True)
        )

    # -- lookups --------------------------------------------------------------

    def monthly_sales(self, year: int) -> pd.DataFrame:
        """Sales in ``year``: one row per customer (customer order, index ``customer_id``),
        columns 1..12 (ints), float64 yuan rounded to the cent, zeros where no sales."""
        s = self.sales[self.sales["year"] == year]
        grid = (
            s.groupby(["customer_id", "month_num"])["amount"]
            .sum()
            .unstack(fill_value=0.0)
            .reindex(index=self.customers["customer_id"], columns=range(1, 13), fill_value=0.0)
        )
        grid = grid.astype("float64").apply(round_cents)
        grid.index = pd.Index(self.customers["customer_id"].to_numpy(), name="customer_id")
        grid.columns = pd.Index(list(range(1, 13)), name="month_num")
        return grid

    def last_year_sales(self, year: int) -> pd.Series:
        """Total sales in ``year - 1`` per customer (index ``customer_id``, zeros filled)."""
        return self.annual_sales(year - 1)

    def annual_sales(self, year: int) -> pd.Series:
        """Total sales in ``year`` per customer (index ``customer_id``, zeros filled)."""
        s = self.sales[self.sales["year"] == year]
        total = s.groupby("customer_id")["amount"].sum()
        out = total.reindex(self.customers["customer_id"].to_numpy(), fill_value=0.0)
        out = pd.Series(round_cents(out.to_numpy()), index=out.index)
        out.index.name = "customer_id"
        out.name = "amount"
        return out

    def departments(self) -> list[str]:
        """Departments named on customers or reps, sorted by name."""
        values = pd.concat([self.customers["department"], self.reps["department"]]).dropna()
        return sorted(set(values.tolist()))

    def regions(self) -> list[str]:
        """Regions named on customers or reps: 华东 华南 华北 华中 西南 西北 东北 first,
        then others by name."""
        values = pd.concat([self.customers["region"], self.reps["region"]]).dropna()
        return sorted(set(values.tolist()), key=region_sort_key)

    # -- scope ----------------------------------------------------------------

    def scoped(self, kind: str, value: str | None = None) -> Dataset:
        """Only the customers of one department, region or rep, and their rows.

        ``kind`` is ``department``, ``region`` or ``rep`` (``value`` a name or rep id), or
        the whole scope string ``"department:直营部"`` with ``value`` omitted. Reps kept:
        those in the scope (same department / region, or the rep) plus the reps of the
        kept customers. Products are kept whole. An unknown name raises ``InputError``.
        """
        if value is None:
            kind, sep, value = kind.partition(":")
            if not sep:
                raise ValueError(f"scope must be KIND:VALUE, got {kind!r}")
        kind, value = kind.strip(), value.strip()
        c, r = self.customers, self.reps
        if kind == "department":
            known = self.departments()
            keep_c = c["department"] == value
            keep_r = r["department"] == value
        elif kind == "region":
            known = self.regions()
            keep_c = c["region"] == value
            keep_r = r["region"] == value
        elif kind == "rep":
            known = sorted(set(r["rep_id"].dropna()) | set(c["rep_id"].dropna()))
            keep_c = c["rep_id"] == value
            keep_r = r["rep_id"] == value
        else:
            raise ValueError(f"scope kind must be one of {', '.join(SCOPE_KINDS)}, got {kind!r}")
        if value not in known:
            raise InputError(
                Problem(
                    file=self.source or "data",
                    expected=f"a {kind} in the data ({', '.join(known) or 'none'})",
                    found=f"'{value}'",
                )
            )
        keep_c = keep_c.fillna(False).astype(bool)
        customers = c[keep_c].reset_index(drop=True)
        ids = set(customers["customer_id"])
        rep_ids = set(customers["rep_id"].dropna())
        keep_r = keep_r.fillna(False).astype(bool) | r["rep_id"].isin(rep_ids)

        def only(frame: pd.DataFrame) -> pd.DataFrame:
            return frame[frame["customer_id"].isin(ids)].reset_index(drop=True)

        return replace(
            self,
            customers=customers,
            reps=r[keep_r].reset_index(drop=True),
            sales=only(self.sales),
            invoices=only(self.invoices),
            visits=only(self.visits),
            products=self.products.copy(),
        )
