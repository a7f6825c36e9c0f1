"""Target allocation: company → department → rep → customer, and each customer over 12 months.

Two ways to get per-customer monthly targets with exact totals at every level:

* :func:`allocate_plan` (top-down, sheet P3): the company total is split over departments,
  reps and customers by last year's sales (or given weights) with :func:`split_total`; new
  customers (no last-year sales) first get ``new_customer_floor`` each, the rest is split.
  Each department's annual is split over the months by its month shares; then a
  customer × month table is made by controlled rounding (:func:`split_matrix`), so every
  customer adds up to its annual and every month to the department's month.
* :func:`growth_plan` (bottom-up, sheet P4): target = ROUND(last year × (1 + growth), unit)
  per customer, months = split_total(target, month shares, unit); reps, departments and
  the company are the sums.

All sums are done in integer cents, so every total is exact.

    >>> rows = [("华东", "R1", "C1", 600), ("华东", "R1", "C2", 400), ("华南", "R2", "C3", 0)]
    >>> plan = allocate_plan(12000, rows, [1] * 12, unit=100, new_customer_floor=1200)
    >>> plan.department_annual, [c.annual for c in plan.customers]
    ({'华东': 10800.0, '华南': 1200.0}, [6500.0, 4300.0, 1200.0])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ._numbers import cents_to_float, is_missing, to_cents, to_decimal, unit_cents
from .seasonality import annual_target, department_growth
from .splits import split_cents, split_matrix_units

__all__ = [
    "PlanRow",
    "CustomerPlan",
    "AllocationResult",
    "allocate_plan",
    "combine_allocations",
    "growth_plan",
    "customer_target",
]

_FIELDS = ("department", "rep_id", "customer_id", "last_year", "region", "weight")


@dataclass(frozen=True)
class PlanRow:
    """One customer in the sales tree. ``weight`` replaces last year as the split weight."""

    department: str
    rep_id: str
    customer_id: str
    last_year: object = None
    region: str | None = None
    weight: object = None


@dataclass(frozen=True)
class CustomerPlan:
    """A customer's targets: annual and 12 months (months add up to the annual exactly)."""

    department: str
    rep_id: str
    customer_id: str
    region: str | None
    last_year: float
    is_new: bool
    annual: float
    months: tuple[float, ...]


@dataclass(frozen=True)
class AllocationResult:
    """Targets at every level; dict keys keep first-appearance order of the input rows.

    Reps are keyed by (department, rep_id). Every monthly list has 12 entries and every
    level adds up exactly (in cents) to its parent, month by month and for the year.
    """

    customers: tuple[CustomerPlan, ...]
    rep_annual: dict[tuple[str, str], float]
    rep_months: dict[tuple[str, str], tuple[float, ...]]
    department_annual: dict[str, float]
    department_months: dict[str, tuple[float, ...]]
    company_annual: float
    company_months: tuple[float, ...]
    _index: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def customer(self, customer_id: str) -> CustomerPlan:
        """The plan of one customer, by id."""
        return self.customers[self._index[str(customer_id)]]

    def restricted(self, customer_ids: Iterable[str]) -> AllocationResult:
        """The same plan shown for a subset of customers (a scope kit): every customer
        keeps its targets; reps, departments and the "company" line become the sums of
        the customers kept, in the original order.

        >>> rows = [("A", "r1", "c1", 300), ("A", "r2", "c2", 100), ("B", "r3", "c3", 100)]
        >>> p = allocate_plan(1000, rows, [1] * 12, unit=10)
        >>> part = p.restricted(["c1", "c3"])
        >>> part.customer("c1") == p.customer("c1"), part.company_annual, part.department_annual
        (True, 800.0, {'A': 600.0, 'B': 200.0})
        """
        keep = {str(c) for c in customer_ids}
        return _from_customers([c for c in self.customers if c.customer_id in keep])

    def to_records(self) -> list[dict[str, object]]:
        """Flat rows (company, department, rep, customer) with annual and m1..m12.

        Order: company, then per department its row, then per rep its row and customers.
        """
        out = [_record("company", "", "", "", self.company_annual, self.company_months)]
        for dept, annual in self.department_annual.items():
            out.append(_record("department", dept, "", "", annual, self.department_months[dept]))
            for (d, rep), rep_annual in self.rep_annual.items():
                if d != dept:
                    continue
                out.append(_record("rep", d, rep, "", rep_annual, self.rep_months[(d, rep)]))
                out.extend(
                    _record("customer", d, rep, c.customer_id, c.annual, c.months)
                    for c in self.customers
                    if c.department == d and c.rep_id == rep
                )
        return out


def combine_allocations(parts: Iterable[AllocationResult]) -> AllocationResult:
    """Several allocations (e.g. one per department, each from its own total) as one
    plan: the customers of all parts in order, rolled up exactly.

    >>> a = allocate_plan(600, [("A", "r1", "c1", 100)], [1] * 12, unit=100)
    >>> b = allocate_plan(1200, [("B", "r2", "c2", 100)], [1] * 12, unit=100)
    >>> combine_allocations([a, b]).department_annual
    {'A': 600.0, 'B': 1200.0}
    """
    return _from_customers([c for part in parts for c in part.customers])


def _from_customers(kept: list[CustomerPlan]) -> AllocationResult:
    rows = [PlanRow(c.department, c.rep_id, c.customer_id, c.last_year, c.region) for c in kept]
    annual = [to_cents(c.annual) for c in kept]
    months = [[to_cents(v) for v in c.months] for c in kept]
    return _result(rows, annual, months, [c.is_new for c in kept])


def _record(level: str, dept: str, rep: str, cust: str, annual: float, months) -> dict:
    row: dict[str, object] = {
        "level": level,
        "department": dept,
        "rep_id": rep,
        "customer_id": cust,
        "annual": annual,
    }
    row.update({f"m{k + 1}": v for k, v in enumerate(months)})
    return row


# --------------------------------------------------------------------------- input


def _read_row(rec: object, k: int) -> PlanRow:
    """A PlanRow from a PlanRow, mapping, tuple (in _FIELDS order) or object with attributes."""
    if isinstance(rec, PlanRow):
        return rec
    if isinstance(rec, Mapping):
        values = {f: rec.get(f) for f in _FIELDS}
    elif isinstance(rec, Sequence) and not isinstance(rec, str):
        if not 3 <= len(rec) <= len(_FIELDS):
            raise ValueError(f"row {k}: expected (department, rep_id, customer_id, last_year, …)")
        values = dict(zip(_FIELDS, rec, strict=False))
    else:
        values = {f: getattr(rec, f, None) for f in _FIELDS}
    for f in _FIELDS[:3]:
        if is_missing(values.get(f)):
            raise ValueError(f"row {k}: {f} is missing")
    return PlanRow(
        department=str(values["department"]),
        rep_id=str(values["rep_id"]),
        customer_id=str(values["customer_id"]),
        last_year=values.get("last_year"),
        region=None if is_missing(values.get("region")) else str(values["region"]),
        weight=values.get("weight"),
    )


def _read_rows(tree_rows: object) -> list[PlanRow]:
    """Rows from any iterable of records or a DataFrame; customer ids must be unique."""
    if hasattr(tree_rows, "to_dict"):
        tree_rows = tree_rows.to_dict("records")  # type: ignore[union-attr]
    rows = [_read_row(rec, k) for k, rec in enumerate(tree_rows)]  # type: ignore[arg-type]
    if not rows:
        raise ValueError("the sales tree has no customers")
    seen: dict[str, int] = {}
    for k, row in enumerate(rows):
        if row.customer_id in seen:
            raise ValueError(
                f"customer {row.customer_id} appears twice (rows {seen[row.customer_id]} and {k})"
            )
        seen[row.customer_id] = k
    return rows


def _last_year(row: PlanRow) -> Decimal:
    d = to_decimal(row.last_year, f"last year of {row.customer_id}") or Decimal(0)
    if not d.is_finite() or d < 0:
        raise ValueError(
            f"last year of customer {row.customer_id} must be ≥ 0, got {row.last_year!r}"
        )
    return d


def _weight(row: PlanRow) -> Decimal:
    """The split weight: ``weight`` if given, else last year's sales."""
    if is_missing(row.weight):
        return _last_year(row)
    d = to_decimal(row.weight, f"weight of {row.customer_id}")
    if d is None or not d.is_finite() or d < 0:
        raise ValueError(f"weight of customer {row.customer_id} must be ≥ 0, got {row.weight!r}")
    return d


def _shares_for(month_shares: object, key: str, what: str) -> list[object]:
    """12 month shares: the same list for everyone, or looked up by ``key`` in a mapping."""
    shares = month_shares.get(key) if isinstance(month_shares, Mapping) else month_shares
    if shares is None:
        raise ValueError(f"no month shares for {what} {key}")
    values = list(shares)  # type: ignore[call-overload]
    if len(values) != 12:
        raise ValueError(f"month shares for {what} {key} must have 12 values, got {len(values)}")
    return values


def _groups(rows: list[PlanRow], key) -> dict[object, list[int]]:
    """Row indices grouped by ``key(row)``, groups in first-appearance order."""
    out: dict[object, list[int]] = {}
    for i, row in enumerate(rows):
        out.setdefault(key(row), []).append(i)
    return out


# --------------------------------------------------------------------------- top-down


def _split_with_floors(
    total: int,
    members: list[list[int]],
    weights: list[Decimal],
    new: list[bool],
    u: int,
    floor: int,
) -> list[int]:
    """Split ``total`` cents over groups of customers: floors of new customers first."""
    reserved = [floor * sum(new[i] for i in group) for group in members]
    rest = total - sum(reserved)
    if rest < 0:
        n_new = sum(sum(new[i] for i in g) for g in members)
        raise ValueError(
            f"total {cents_to_float(total)} cannot cover the floor {cents_to_float(floor)} "
            f"of {n_new} new customers ({cents_to_float(sum(reserved))})"
        )
    group_weights = [sum((weights[i] for i in g), Decimal(0)) for g in members]
    parts = split_cents(rest, group_weights, u)
    return [r + p for r, p in zip(reserved, parts, strict=True)]


def _customer_annuals(rows: list[PlanRow], total: int, u: int, floor: int) -> list[int]:
    """Company → departments → reps → customers, each level by split_total with floors."""
    weights = [_weight(r) for r in rows]
    new = [_last_year(r) == 0 for r in rows]
    annual = [0] * len(rows)
    depts = _groups(rows, lambda r: r.department)
    dept_totals = _split_with_floors(total, list(depts.values()), weights, new, u, floor)
    for dept_rows, dept_total in zip(depts.values(), dept_totals, strict=True):
        reps = _groups([rows[i] for i in dept_rows], lambda r: r.rep_id)
        rep_members = [[dept_rows[j] for j in idx] for idx in reps.values()]
        rep_totals = _split_with_floors(dept_total, rep_members, weights, new, u, floor)
        for members, rep_total in zip(rep_members, rep_totals, strict=True):
            singles = [[i] for i in members]
            for i, part in zip(
                members, _split_with_floors(rep_total, singles, weights, new, u, floor), strict=True
            ):
                annual[i] = part
    return annual


def _department_months(
    rows: list[PlanRow],
    members: list[int],
    annual: list[int],
    dept_shares: list[object],
    customer_month_shares: Mapping[str, Sequence[object]] | None,
    u: int,
) -> list[list[int]]:
    """Customer × month cents inside one department (controlled rounding)."""
    dept_total = sum(annual[i] for i in members)
    months = split_cents(dept_total, dept_shares, u)
    weights = None
    if customer_month_shares:
        weights = []
        for i in members:
            cid = rows[i].customer_id
            shares = customer_month_shares.get(cid, dept_shares)
            shares = _shares_for({cid: shares}, cid, "customer")
            weights.append([float(annual[i]) * float(to_decimal(s) or 0) for s in shares])
    cells = split_matrix_units([annual[i] // u for i in members], [m // u for m in months], weights)
    return [[int(v) * u for v in row] for row in cells.tolist()]


def allocate_plan(
    company_total: object,
    tree_rows: Iterable[object],
    month_shares: Sequence[object] | Mapping[str, Sequence[object]],
    unit: object = 1,
    new_customer_floor: object = 0,
    *,
    customer_month_shares: Mapping[str, Sequence[object]] | None = None,
) -> AllocationResult:
    """Top-down targets for every customer and month, exact at every level.

    ``tree_rows``: records (department, rep_id, customer_id, last_year[, region[, weight]])
    as tuples, mappings, objects or a DataFrame. ``month_shares``: 12 weights for every
    department, or a mapping department → 12 weights. ``customer_month_shares`` (optional):
    customer id → 12 weights, shaping customers inside their department (e.g. from
    :func:`shares_with_fallback`); the department months still come from ``month_shares``.

    The company total must be a non-negative multiple of ``unit``; the floor is rounded up
    to the unit. At each level (departments, reps, customers) the new customers' floors are
    reserved first and the rest is split by last-year sales (largest remainder).

    >>> rows = [("A", "r1", "c1", 300), ("A", "r2", "c2", 100), ("B", "r3", "c3", 100)]
    >>> p = allocate_plan(1000, rows, [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2], unit=10)
    >>> p.department_annual
    {'A': 800.0, 'B': 200.0}
    >>> p.customer("c1").annual, p.customer("c1").months[:7]
    (600.0, (40.0, 40.0, 30.0, 30.0, 30.0, 30.0, 70.0))
    >>> sum(p.customer("c1").months) == p.customer("c1").annual
    True
    """
    rows = _read_rows(tree_rows)
    u = unit_cents(unit)
    total = to_cents(company_total, "company total")
    if total < 0 or total % u:
        raise ValueError(
            f"company total {company_total!r} must be ≥ 0 and a multiple of the unit {unit!r}"
        )
    floor = to_cents(new_customer_floor, "new customer floor")
    if floor < 0:
        raise ValueError(f"new customer floor must be ≥ 0, got {new_customer_floor!r}")
    floor = -(-floor // u) * u
    annual = _customer_annuals(rows, total, u, floor)
    months: list[list[int]] = [[] for _ in rows]
    for dept, members in _groups(rows, lambda r: r.department).items():
        shares = _shares_for(month_shares, dept, "department")  # type: ignore[arg-type]
        cells = _department_months(rows, members, annual, shares, customer_month_shares, u)
        for i, row_cells in zip(members, cells, strict=True):
            months[i] = row_cells
    return _result(rows, annual, months)


# --------------------------------------------------------------------------- bottom-up


def customer_target(
    last_year: object, growth: object, month_shares: Sequence[object], unit: object = 1
) -> tuple[float, list[float]]:
    """One customer: target = ROUND(last year × (1 + growth), unit), then split by month.

    >>> customer_target(100000, 0.2, [1] * 12, unit=100)
    (120000.0, [10000.0, 10000.0, 10000.0, 10000.0, 10000.0, 10000.0, 10000.0, 10000.0, 10000.0, 10000.0, 10000.0, 10000.0])
    >>> customer_target(1000, 0.1, [1] * 12, unit=100)[1][:3]
    [100.0, 100.0, 100.0]
    """
    annual = annual_target(last_year, growth, unit)
    cents = split_cents(
        to_cents(annual), _shares_for(month_shares, "", "customer"), unit_cents(unit)
    )
    return annual, [cents_to_float(c) for c in cents]


def growth_plan(
    tree_rows: Iterable[object],
    growth: object,
    month_shares: Sequence[object] | Mapping[str, Sequence[object]],
    unit: object = 1,
    overrides: Mapping[str, object] | None = None,
    *,
    customer_month_shares: Mapping[str, Sequence[object]] | None = None,
) -> AllocationResult:
    """Bottom-up targets (sheet P4): each customer grows by its department's rate.

    Growth is ``overrides[department]`` if set, else ``growth``. Month shares: 12 weights,
    or department → 12 weights; ``customer_month_shares`` overrides per customer.

    >>> rows = [("华东", "R1", "C1", 1000), ("华东", "R2", "C2", 2000), ("华南", "R3", "C3", 500)]
    >>> p = growth_plan(rows, 0.1, [1] * 12, unit=10, overrides={"华南": 0.2})
    >>> [c.annual for c in p.customers], p.department_annual, p.company_annual
    ([1100.0, 2200.0, 600.0], {'华东': 3300.0, '华南': 600.0}, 3900.0)
    """
    rows = _read_rows(tree_rows)
    u = unit_cents(unit)
    annual, months = [], []
    for row in rows:
        rate = department_growth(growth, overrides, row.department)
        target = to_cents(annual_target(_last_year(row), rate, unit))
        shares = (customer_month_shares or {}).get(row.customer_id)
        if shares is None:
            shares = _shares_for(month_shares, row.department, "department")  # type: ignore[arg-type]
        annual.append(target)
        months.append(split_cents(target, _shares_for({"": shares}, "", "customer"), u))
    return _result(rows, annual, months)


# --------------------------------------------------------------------------- result


def _sum_months(parts: Iterable[list[int]]) -> list[int]:
    total = [0] * 12
    for p in parts:
        total = [a + b for a, b in zip(total, p, strict=True)]
    return total


def _floats(cents: Iterable[int]) -> tuple[float, ...]:
    return tuple(cents_to_float(c) for c in cents)


def _result(
    rows: list[PlanRow],
    annual: list[int],
    months: list[list[int]],
    is_new: list[bool] | None = None,
) -> AllocationResult:
    """Roll customers up to reps, departments and the company (exact integer cents)."""
    customers = tuple(
        CustomerPlan(
            department=r.department,
            rep_id=r.rep_id,
            customer_id=r.customer_id,
            region=r.region,
            last_year=float(_last_year(r)),
            is_new=_last_year(r) == 0 if is_new is None else is_new[i],
            annual=cents_to_float(annual[i]),
            months=_floats(months[i]),
        )
        for i, r in enumerate(rows)
    )
    reps = _groups(rows, lambda r: (r.department, r.rep_id))
    depts = _groups(rows, lambda r: r.department)
    rep_m = {k: _sum_months(months[i] for i in v) for k, v in reps.items()}
    dept_m = {k: _sum_months(months[i] for i in v) for k, v in depts.items()}
    return AllocationResult(
        customers=customers,
        rep_annual={k: cents_to_float(sum(annual[i] for i in v)) for k, v in reps.items()},
        rep_months={k: _floats(v) for k, v in rep_m.items()},
        department_annual={k: cents_to_float(sum(annual[i] for i in v)) for k, v in depts.items()},
        department_months={k: _floats(v) for k, v in dept_m.items()},
        company_annual=cents_to_float(sum(annual)),
        company_months=_floats(_sum_months(months)),
        _index={r.customer_id: i for i, r in enumerate(rows)},
    )
