"""Splitting a total into parts that add up exactly: largest remainder and controlled rounding.

All arithmetic is exact: amounts are integers of cents, weights are scaled to integers,
ideal shares are integer fractions. Floats appear only in the returned values, each equal
to ``float(Decimal(cents) / 100)``.

    >>> split_total(100, [1, 1, 1])
    [34.0, 33.0, 33.0]
    >>> split_matrix([60, 40], [50, 50])
    [[30.0, 30.0], [20.0, 20.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np

from ._numbers import cents_to_float, finite_decimal, to_cents, to_decimal, unit_cents

__all__ = ["split_total", "growth_weights", "split_matrix", "split_cents", "split_matrix_units"]


# --------------------------------------------------------------------------- weights


def _decimal_to_scaled(d: Decimal, exponent: int) -> int:
    """``d`` × 10^-exponent as an exact integer (``exponent`` ≤ d's own exponent)."""
    sign, digits, exp = d.as_tuple()
    value = int("".join(map(str, digits)) or "0") * 10 ** (exp - exponent)
    return -value if sign else value


def _weight_ints(weights: Sequence[object]) -> list[int]:
    """Non-negative weights scaled to integers with the same ratios; missing counts as 0."""
    decimals = []
    for i, w in enumerate(weights):
        d = to_decimal(w, f"weight {i}")
        if d is None:
            d = Decimal(0)
        if not d.is_finite():
            raise ValueError(f"weight {i} must be finite, got {w!r}")
        if d < 0:
            raise ValueError(f"weight {i} is negative ({w!r}); weights must be 0 or more")
        decimals.append(d)
    exponent = min((d.as_tuple().exponent for d in decimals), default=0)
    return [_decimal_to_scaled(d, exponent) for d in decimals]


# --------------------------------------------------------------------------- bounds


def _per_part(bound: object, n: int, what: str) -> list[int | None]:
    """A scalar or per-part list of bounds, in cents (None = unbounded)."""
    if bound is None or isinstance(bound, (int, float, str, Decimal, np.number)):
        values = [bound] * n
    else:
        values = list(bound)  # type: ignore[call-overload]
        if len(values) != n:
            raise ValueError(f"{what} has {len(values)} entries for {n} parts")
    return [None if to_decimal(v, what) is None else to_cents(v, what) for v in values]


def _grid_bounds(
    floors: list[int | None], caps: list[int | None], u: int, total: int
) -> tuple[list[int], list[int | None]]:
    """Floors rounded up and caps down to multiples of the unit; parts never go below 0."""
    lo = [0 if f is None else max(0, -(-f // u) * u) for f in floors]
    hi = [None if c is None else (c // u) * u for c in caps]
    for i, (a, b) in enumerate(zip(lo, hi, strict=True)):
        if b is not None and b < a:
            raise ValueError(
                f"part {i}: cap {cents_to_float(b)} is below its floor {cents_to_float(a)} "
                f"(bounds are rounded to the unit {cents_to_float(u)})"
            )
    if sum(lo) > total:
        raise ValueError(
            f"floors add up to {cents_to_float(sum(lo))}, more than the total "
            f"{cents_to_float(total)}"
        )
    if all(b is not None for b in hi) and sum(hi) < total:  # type: ignore[arg-type]
        raise ValueError(
            f"caps add up to {cents_to_float(sum(hi))}, less than the total "  # type: ignore[arg-type]
            f"{cents_to_float(total)}"
        )
    return lo, hi


# --------------------------------------------------------------------------- ideal shares


def _clamp_fill(
    total: int, w: list[int], lo: list[int], hi: list[int | None]
) -> tuple[list[int], int]:
    """Exact x_i = clamp(λ·w_i, lo_i, hi_i) with Σx = total, as numerators over one denominator.

    Repeatedly share the rest among the free parts by weight; if the parts pushed below
    their floors need more than the parts above their caps give back, the former are
    certainly at their floors in the solution (and vice versa), so fix them and repeat.
    """
    n = len(w)
    fixed: dict[int, int] = {}
    while True:
        free = [i for i in range(n) if i not in fixed]
        rest = total - sum(fixed.values())
        wf = sum(w[i] for i in free)
        if wf == 0:  # only zero-weight parts left: they sit at their floors
            for i in free:
                fixed[i] = lo[i]
            if sum(fixed.values()) != total:  # pragma: no cover - excluded by the caller
                raise RuntimeError("internal error: weighted split cannot reach the total")
            return [fixed[i] for i in range(n)], 1
        low = [i for i in free if rest * w[i] < lo[i] * wf]
        high = [i for i in free if hi[i] is not None and rest * w[i] > hi[i] * wf]  # type: ignore[operator]
        if not low and not high:
            return [fixed[i] * wf if i in fixed else rest * w[i] for i in range(n)], wf
        need = sum(lo[i] * wf - rest * w[i] for i in low)
        spare = sum(rest * w[i] - hi[i] * wf for i in high)  # type: ignore[operator]
        if need >= spare:
            fixed.update((i, lo[i]) for i in low)
        if need <= spare:
            fixed.update((i, hi[i]) for i in high)  # type: ignore[misc]


def _ideal(total: int, w: list[int], lo: list[int], hi: list[int | None]) -> tuple[list[int], int]:
    """Ideal shares in cents; zero-weight parts take what capped weighted parts cannot."""
    positive = [i for i in range(len(w)) if w[i] > 0]
    reach = None
    if all(hi[i] is not None for i in positive):
        reach = sum(hi[i] for i in positive) + sum(  # type: ignore[misc]
            lo[i] for i in range(len(w)) if w[i] == 0
        )
    if reach is None or reach >= total:
        return _clamp_fill(total, w, lo, hi)
    # Weighted parts all at their caps (or no weights at all): share the rest evenly.
    even = [0 if w[i] > 0 else 1 for i in range(len(w))]
    lo2 = [hi[i] if w[i] > 0 else lo[i] for i in range(len(w))]
    return _clamp_fill(total, even, lo2, hi)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- rounding


def _largest_remainder(
    total: int, u: int, numerators: list[int], denominator: int, w: list[int]
) -> list[int]:
    """Round ideal shares (cents = numerator/denominator) to the unit by largest remainder."""
    step = denominator * u
    base = [x // step for x in numerators]
    frac = [x % step for x in numerators]
    whole, sub_unit = divmod(total, u)
    extra = whole - sum(base)
    ranking = sorted(range(len(base)), key=lambda i: (-frac[i], -w[i], i))
    parts = [b * u for b in base]
    for i in ranking[:extra]:
        parts[i] += u
    if sub_unit:
        parts[ranking[extra]] += sub_unit
    return parts


def split_total(
    total: object,
    weights: Sequence[object],
    unit: object = 1,
    *,
    floor: object = None,
    cap: object = None,
) -> list[float]:
    """Split ``total`` by ``weights`` into multiples of ``unit`` that add up exactly.

    Rules (in order):

    1. ``total`` is rounded half-up to the cent; ``unit`` must be a positive multiple of 0.01.
    2. Missing (None/NaN) weights count as 0; if every weight is 0 or missing the split is
       even. A negative or infinite weight, or a non-finite total, raises ValueError.
    3. Ideal share of part i = total × w_i / Σw. With ``floor``/``cap`` (a scalar or one
       value per part, None = no bound) the ideal is ``clamp(λ·w_i, floor_i, cap_i)`` with λ
       chosen so the ideals add up to the total; floors are first rounded *up* and caps
       *down* to the unit. When every weighted part is at its cap, zero-weight parts share
       the rest evenly. Parts of a non-negative total are never negative.
    4. Each part gets its ideal rounded down to the unit; the units left over go one each to
       the parts with the largest remainders, ties to the larger weight, then the lower
       index. If the total is not a multiple of the unit, the sub-unit cents go to the next
       part in that ranking (the part with the largest remainder that got no extra unit).
    5. A negative total is split as the mirror image: ``split_total(-t, w, u, floor=f,
       cap=c)`` equals ``[-p for p in split_total(t, w, u, floor=-c, cap=-f)]``.

    Returns floats equal to ``float(Decimal(part).quantize(Decimal('0.01')))``.

    >>> split_total(1000, [3, 3, 4], 100)       # ideals 300, 300, 400
    [300.0, 300.0, 400.0]
    >>> split_total(1000, [1, 1, 1], 100)       # ideal 333.33 each; one unit left
    [400.0, 300.0, 300.0]
    >>> split_total(1050, [1, 1], 100)          # 50 cents-of-a-unit go to part 0
    [550.0, 500.0]
    >>> split_total(10, [None, 0, float("nan")])  # no usable weight: even
    [4.0, 3.0, 3.0]
    >>> split_total(1000, [0, 5, 5], 100, floor=[200, 0, 0])
    [200.0, 400.0, 400.0]
    >>> split_total(-7, [1, 2])
    [-2.0, -5.0]
    """
    cents = split_cents(to_cents(total, "total"), weights, unit_cents(unit), floor=floor, cap=cap)
    return [cents_to_float(p) for p in cents]


def split_cents(
    t: int, weights: Sequence[object], u: int, *, floor: object = None, cap: object = None
) -> list[int]:
    """:func:`split_total` on whole cents: total ``t`` and unit ``u`` in cents, parts in cents.

    >>> split_cents(1001, [1, 1], 100)
    [501, 500]
    """
    w = _weight_ints(weights)
    n = len(w)
    if n == 0:
        raise ValueError("weights must have at least one entry")
    if not any(w):
        w_rank = [0] * n
        w = [1] * n
    else:
        w_rank = w
    floors, caps = _per_part(floor, n, "floor"), _per_part(cap, n, "cap")
    sign = 1
    if t < 0:
        sign, t = -1, -t
        floors, caps = (
            [None if c is None else -c for c in caps],
            [None if f is None else -f for f in floors],
        )
    lo, hi = _grid_bounds(floors, caps, u, t)
    numerators, denominator = _ideal(t, w, lo, hi)
    return [sign * p for p in _largest_remainder(t, u, numerators, denominator, w_rank)]


def growth_weights(n: int, rate: object) -> list[float]:
    """Compounding pattern 1, (1+r), (1+r)², … for ``n`` periods (weights for split_total).

    >>> growth_weights(4, 0.05)
    [1.0, 1.05, 1.1025, 1.157625]
    >>> round(sum(growth_weights(4, 0.05)), 6)
    4.310125
    >>> round(sum(growth_weights(12, 0.10)), 5)
    21.38428
    >>> split_total(4310125, growth_weights(4, 0.05))  # Q1 = T / 4.310125
    [1000000.0, 1050000.0, 1102500.0, 1157625.0]
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be a whole number of periods (0 or more), got {n!r}")
    r = finite_decimal(rate, "growth rate")
    if r <= -1:
        raise ValueError(f"growth rate must be above -100%, got {rate!r}")
    return [float((1 + r) ** k) for k in range(n)]


# --------------------------------------------------------------------------- matrix


def _margin_units(values: Sequence[object], u: int, what: str) -> list[int]:
    """Margins as whole numbers of units (each ≥ 0 and a multiple of the unit)."""
    out = []
    for i, v in enumerate(values):
        c = to_cents(v, f"{what} {i}")
        if c < 0:
            raise ValueError(f"{what} {i} is negative ({v!r}); margins must be 0 or more")
        if c % u:
            raise ValueError(
                f"{what} {i} ({v!r}) is not a multiple of the unit {cents_to_float(u)}"
            )
        out.append(c // u)
    return out


def _exact_base(r: list[int], c: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Floor and remainder (over the grand total) of r_i·c_j / grand, exactly."""
    grand = sum(r)
    dtype = np.int64 if max(r) * max(c) < 2**62 else object
    num = np.outer(np.array(r, dtype=dtype), np.array(c, dtype=dtype))
    return num // grand, num % grand


def _fitted_weights(r: list[int], c: list[int], weights: object) -> np.ndarray:
    """``weights`` scaled by rows and columns (iterative proportional fitting) to the margins."""
    x = _weight_matrix(weights, len(r), len(c))
    rr, cc = np.array(r, dtype=float), np.array(c, dtype=float)
    x[rr == 0, :] = 0.0
    x[:, cc == 0] = 0.0
    empty = (x.sum(axis=1) == 0) & (rr > 0)
    x[empty, :] = cc / cc.sum()  # rows without weights follow the column pattern
    dead = (x.sum(axis=0) == 0) & (cc > 0)
    if dead.any():
        j = int(np.flatnonzero(dead)[0])
        raise ValueError(f"column {j} has a total but no row gives it any weight")
    for _ in range(2000):
        x *= (rr / np.where(x.sum(axis=1) > 0, x.sum(axis=1), 1.0))[:, None]
        x *= (cc / np.where(x.sum(axis=0) > 0, x.sum(axis=0), 1.0))[None, :]
        if np.abs(x.sum(axis=1) - rr).max() <= 1e-9 * max(1.0, rr.max()):
            break
    if np.abs(x.sum(axis=1) - rr).max() > 0.5:
        raise ValueError("weights cannot be fitted to these row and column totals (zero cells)")
    snapped = np.rint(x)
    return np.where(np.abs(x - snapped) < 1e-9, snapped, x)


def _weight_matrix(weights: object, rows: int, cols: int) -> np.ndarray:
    """Matrix weights as a float array (missing → 0; negative or infinite → ValueError)."""
    try:
        x = np.array(weights, dtype=float)  # fast path: numbers and None (→ NaN)
    except (TypeError, ValueError):
        raw = [list(row) for row in weights]  # type: ignore[attr-defined]
        if len(raw) != rows or any(len(row) != cols for row in raw):
            raise ValueError(f"weights must be a {rows} × {cols} matrix (rows × columns)") from None
        return np.array([_weight_row(row, i) for i, row in enumerate(raw)], dtype=float)
    if x.shape != (rows, cols):
        raise ValueError(f"weights must be a {rows} × {cols} matrix (rows × columns)")
    x = np.where(np.isnan(x), 0.0, x)
    bad = ~np.isfinite(x) | (x < 0)
    if bad.any():
        i, j = (int(k) for k in np.argwhere(bad)[0])
        raise ValueError(f"weight [{i}][{j}] must be finite and 0 or more, got {float(x[i, j])!r}")
    return x


def _weight_row(row: Sequence[object], i: int) -> list[float]:
    """One row of matrix weights as floats (missing → 0, negatives rejected)."""
    out = []
    for j, v in enumerate(row):
        d = to_decimal(v, f"weight [{i}][{j}]")
        if d is not None and (not d.is_finite() or d < 0):
            raise ValueError(f"weight [{i}][{j}] must be finite and 0 or more, got {v!r}")
        out.append(0.0 if d is None else float(d))
    return out


def _distribute(base: np.ndarray, frac: np.ndarray, r: list[int], c: list[int]) -> np.ndarray:
    """Add the missing units so every row and column total holds (Ryser-style greedy).

    Rows in decreasing need (ties: lower index) each give one unit to each of the columns
    with the largest remaining need, ties by larger fractional remainder, then lower index.
    """
    row_need = [ri - s for ri, s in zip(r, base.sum(axis=1).tolist(), strict=True)]
    col_need = [ci - s for ci, s in zip(c, base.sum(axis=0).tolist(), strict=True)]
    cols = range(len(c))
    for i in sorted((i for i in range(len(r)) if row_need[i] > 0), key=lambda i: -row_need[i]):
        fr = frac[i].tolist()
        need = row_need[i]
        while need > 0:  # one pass unless the fractional table was not exactly fitted
            open_cols = [j for j in cols if col_need[j] > 0]
            chosen = sorted(open_cols, key=lambda j: (-col_need[j], -fr[j], j))[:need]
            for j in chosen:
                base[i, j] += 1
                col_need[j] -= 1
            need -= len(chosen)
    return base


def split_matrix(
    row_totals: Sequence[object],
    col_totals: Sequence[object],
    weights: object = None,
    unit: object = 1,
) -> list[list[float]]:
    """A rows × columns table of unit multiples whose rows and columns add up exactly.

    Controlled rounding: the ideal cell is row_i × col_j / grand total (or, with
    ``weights``, the weights scaled to both margins by iterative proportional fitting; a row
    with no weight follows the column pattern). Each cell takes its ideal rounded down to the
    unit; then rows in decreasing order of units still needed (ties: lower index) give one
    unit to each of the columns with the largest remaining need (ties: larger fractional
    remainder, then lower index). Every cell ends within one unit of its ideal.

    Margins must be ≥ 0, multiples of the unit, and add up to the same grand total.

    >>> split_matrix([100, 50], [30, 60, 60], unit=10)
    [[20.0, 40.0, 40.0], [10.0, 20.0, 20.0]]
    >>> split_matrix([1, 1, 1], [2, 1])
    [[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]
    >>> split_matrix([10, 10], [10, 10], weights=[[1, 0], [0, 1]])
    [[10.0, 0.0], [0.0, 10.0]]
    """
    u = unit_cents(unit)
    r = _margin_units(row_totals, u, "row total")
    c = _margin_units(col_totals, u, "column total")
    if not r or not c:
        raise ValueError("split_matrix needs at least one row and one column")
    if sum(r) != sum(c):
        raise ValueError(
            f"row totals add up to {cents_to_float(sum(r) * u)} but column totals to "
            f"{cents_to_float(sum(c) * u)}; they must be equal"
        )
    cells = split_matrix_units(r, c, weights)
    if cells.dtype == object:
        return [[cents_to_float(int(v) * u) for v in row] for row in cells.tolist()]
    return ((cells * u) / 100).tolist()


def split_matrix_units(r: list[int], c: list[int], weights: object = None) -> np.ndarray:
    """:func:`split_matrix` on whole units: integer margins in, integer cell array out.

    >>> split_matrix_units([2, 1], [1, 2]).tolist()
    [[1, 1], [0, 1]]
    """
    if sum(r) != sum(c):
        raise ValueError(f"row totals add up to {sum(r)} units but column totals to {sum(c)}")
    if sum(r) == 0:
        return np.zeros((len(r), len(c)), dtype=np.int64)
    if weights is None:
        base, frac = _exact_base(r, c)
    else:
        fitted = _fitted_weights(r, c, weights)
        floor = np.floor(fitted)
        base, frac = floor.astype(np.int64), fitted - floor
    return _distribute(base, frac, r, c)
