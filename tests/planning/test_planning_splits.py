"""split_total, growth_weights and split_matrix: worked examples and properties."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesplan_xl.planning import growth_weights, split_matrix, split_total

UNITS = [Decimal("0.01"), Decimal("1"), Decimal("100"), Decimal("1000"), Decimal("0.05")]


def cents(x) -> int:
    """A returned float as exact cents (and check it really is a 2-decimal value)."""
    d = Decimal(repr(x))
    assert d == d.quantize(Decimal("0.01")), x
    assert round(x, 2) == x
    return int(d * 100)


def total_cents(total) -> int:
    return int((Decimal(str(total)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


totals = st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False)
weights_st = st.lists(
    st.one_of(
        st.integers(0, 10**6),
        st.floats(0, 1e6, allow_nan=False),
        st.none(),
        st.just(float("nan")),
    ),
    min_size=1,
    max_size=15,
)


# --------------------------------------------------------------------------- examples


def test_largest_remainder_examples():
    assert split_total(100, [1, 1, 1]) == [34.0, 33.0, 33.0]
    assert split_total(1000, [1, 1, 1], 100) == [400.0, 300.0, 300.0]
    # ideals 1.67, 1.67, 3.33, 3.33: the two .67 remainders get the two spare units
    assert split_total(10, [1, 1, 2, 2], 1) == [2.0, 2.0, 3.0, 3.0]
    assert split_total(7, [3, 1]) == [5.0, 2.0]  # 5.25 / 1.75: the .75 gets the unit


def test_ties_go_to_larger_weight_then_lower_index():
    # ideal 2.5 and 2.5 (weights equal) -> index 0 wins
    assert split_total(5, [1, 1]) == [3.0, 2.0]
    # ideal 1.5 (w=1) and 4.5 (w=3): equal remainders -> the larger weight gets the unit
    assert split_total(6, [1, 3]) == [1.0, 5.0]


def test_total_is_rounded_to_the_cent_first():
    assert split_total(10.005, [1]) == [10.01]
    assert split_total("0.125", [1, 1], 0.01) == [0.07, 0.06]


def test_sub_unit_remainder_goes_to_next_ranked_part():
    assert split_total(1050, [1, 1], 100) == [550.0, 500.0]
    assert split_total(150, [1, 1], 100) == [100.0, 50.0]
    # ideals 0.21, 0.41, 0.62 units: the unit to part 2, the 234.56 to part 1 (next ranked)
    assert split_total(1234.56, [1, 2, 3], 1000) == [0.0, 234.56, 1000.0]


def test_missing_and_zero_weights():
    assert split_total(10, [None, None]) == [5.0, 5.0]
    assert split_total(10, [0, 0, 0]) == [4.0, 3.0, 3.0]
    assert split_total(10, [None, 1]) == [0.0, 10.0]
    assert split_total(10, [float("nan"), 3, 1]) == [0.0, 8.0, 2.0]


def test_negative_total_mirrors():
    assert split_total(-100, [1, 1, 1]) == [-34.0, -33.0, -33.0]
    assert split_total(-100, [1, 1], floor=-80, cap=-30) == [-50.0, -50.0]
    assert split_total(-100, [9, 1], floor=-70) == [-70.0, -30.0]


def test_floor_and_cap():
    assert split_total(1000, [0, 5, 5], 100, floor=[200, 0, 0]) == [200.0, 400.0, 400.0]
    assert split_total(1000, [8, 1, 1], cap=500) == [500.0, 250.0, 250.0]
    assert split_total(1000, [8, 1, 1], floor=200) == [600.0, 200.0, 200.0]
    # weighted parts capped: zero-weight parts share the rest evenly
    assert split_total(300, [5, 0, 0], cap=[100, None, None]) == [100.0, 100.0, 100.0]
    # floors go up, caps down to the unit grid
    assert split_total(1000, [1, 1], 100, floor=[150, 0]) == [500.0, 500.0]
    assert split_total(1000, [9, 1], 100, cap=[750, None]) == [700.0, 300.0]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"total": 10, "weights": [1, -1]}, "negative"),
        ({"total": float("inf"), "weights": [1]}, "finite"),
        ({"total": float("nan"), "weights": [1]}, "finite"),
        ({"total": None, "weights": [1]}, "finite"),
        ({"total": 10, "weights": []}, "at least one"),
        ({"total": 10, "weights": [1, float("inf")]}, "finite"),
        ({"total": 10, "weights": [1], "unit": 0}, "unit"),
        ({"total": 10, "weights": [1], "unit": 0.001}, "unit"),
        ({"total": 10, "weights": [1, 1], "floor": 6}, "floors add up"),
        ({"total": 10, "weights": [1, 1], "cap": 4}, "caps add up"),
        ({"total": 10, "weights": [1, 1], "floor": [5, 5], "cap": [4, 6]}, "below its floor"),
        ({"total": 10, "weights": [1, 1], "floor": [1, 2, 3]}, "3 entries"),
        ({"total": 10, "weights": [1, "x"]}, "number"),
    ],
)
def test_errors_are_clear(kwargs, message):
    with pytest.raises(ValueError, match=message):
        split_total(**kwargs)


def test_growth_weights_examples():
    q = growth_weights(4, 0.05)
    assert q == [1.0, 1.05, 1.1025, 1.157625]
    assert sum(Decimal(repr(x)) for x in q) == Decimal("4.310125")
    m = growth_weights(12, 0.10)
    assert round(sum(m), 5) == 21.38428
    parts = split_total(1_000_000, q, 1)
    assert parts[0] == round(1_000_000 / 4.310125)  # Q1 = T / 4.310125 = 232011.6 -> 232012
    assert sum(parts) == 1_000_000
    assert growth_weights(0, 0.1) == []
    with pytest.raises(ValueError, match="above -100%"):
        growth_weights(3, -1)
    with pytest.raises(ValueError, match="whole number"):
        growth_weights(-1, 0.1)


# --------------------------------------------------------------------------- properties


@settings(max_examples=200, deadline=None)
@given(totals, weights_st, st.sampled_from(UNITS))
def test_sum_is_exact_and_parts_near_ideal(total, weights, unit):
    parts = split_total(total, weights, unit)
    assert len(parts) == len(weights)
    t = total_cents(total)
    assert sum(cents(p) for p in parts) == t
    u = int(unit * 100)
    usable = [
        Fraction(Decimal(repr(w))) if w is not None and w == w else Fraction(0) for w in weights
    ]
    if not any(usable):
        usable = [Fraction(1)] * len(weights)
    off_grid = 0
    for p, w in zip(parts, usable, strict=True):
        ideal = Fraction(t) * w / sum(usable)
        assert abs(cents(p) - ideal) < u
        off_grid += cents(p) % u != 0
    assert off_grid <= 1


@settings(max_examples=150, deadline=None)
@given(
    totals,
    st.lists(st.integers(1, 10**6), min_size=2, max_size=10, unique=True),
    st.sampled_from(UNITS),
    st.randoms(use_true_random=False),
)
def test_order_invariant(total, weights, unit, rnd):
    order = list(range(len(weights)))
    rnd.shuffle(order)
    parts = split_total(total, weights, unit)
    shuffled = split_total(total, [weights[i] for i in order], unit)
    assert shuffled == [parts[i] for i in order]


@settings(max_examples=150, deadline=None)
@given(
    st.decimals(min_value=0, max_value=10**8, places=2),
    weights_st,
    st.sampled_from(UNITS),
)
def test_monotone_in_weight(total, weights, unit):
    parts = split_total(total, weights, unit)
    w = [0 if x is None or x != x else x for x in weights]
    for i in range(len(w)):
        for j in range(len(w)):
            if w[i] > w[j]:
                assert parts[i] >= parts[j]


@st.composite
def bounded_problems(draw):
    n = draw(st.integers(1, 8))
    unit = draw(st.sampled_from([1, 100]))
    floors = [draw(st.integers(0, 50)) * unit for _ in range(n)]
    caps = [f + draw(st.integers(0, 50)) * unit for f in floors]
    if draw(st.booleans()):
        caps[draw(st.integers(0, n - 1))] = None
    lo = sum(floors)
    hi = sum(c for c in caps if c is not None) if None not in caps else lo + 10**6
    total = draw(st.decimals(min_value=lo, max_value=hi, places=2))
    weights = draw(st.lists(st.integers(0, 1000), min_size=n, max_size=n))
    sign = draw(st.sampled_from([1, -1]))
    return total, weights, unit, floors, caps, sign


@settings(max_examples=200, deadline=None)
@given(bounded_problems())
def test_respects_floor_and_cap(problem):
    total, weights, unit, floors, caps, sign = problem
    if sign == 1:
        parts = split_total(total, weights, unit, floor=floors, cap=caps)
        lows, highs = floors, caps
    else:
        neg = lambda xs: [None if x is None else -x for x in xs]  # noqa: E731
        parts = split_total(-total, weights, unit, floor=neg(caps), cap=neg(floors))
        lows, highs = neg(caps), neg(floors)
        mirror = split_total(total, weights, unit, floor=floors, cap=caps)
        assert parts == [-p + 0.0 for p in mirror]
    assert sum(cents(p) for p in parts) == total_cents(sign * total)
    for p, lo, hi in zip(parts, lows, highs, strict=True):
        assert lo is None or p >= lo
        assert hi is None or p <= hi


# --------------------------------------------------------------------------- matrix


def test_split_matrix_examples():
    assert split_matrix([60, 40], [50, 50]) == [[30.0, 30.0], [20.0, 20.0]]
    assert split_matrix([0, 0], [0, 0, 0]) == [[0.0] * 3, [0.0] * 3]
    m = split_matrix([1, 1, 1], [1, 1, 1])
    assert [sum(r) for r in m] == [1, 1, 1]
    assert [sum(c) for c in zip(*m, strict=True)] == [1, 1, 1]


def test_split_matrix_errors():
    with pytest.raises(ValueError, match="must be equal"):
        split_matrix([10, 10], [15])
    with pytest.raises(ValueError, match="multiple of the unit"):
        split_matrix([150], [150], unit=100)
    with pytest.raises(ValueError, match="negative"):
        split_matrix([-1, 2], [1])
    with pytest.raises(ValueError, match="2 × 2"):
        split_matrix([1, 1], [1, 1], weights=[[1, 1]])
    with pytest.raises(ValueError, match="column 1"):
        split_matrix([1, 1], [1, 1], weights=[[1, 0], [1, 0]])


@st.composite
def margins(draw):
    rows = draw(st.integers(1, 30))
    cols = draw(st.integers(1, 12))
    r = draw(st.lists(st.integers(0, 10**5), min_size=rows, max_size=rows))
    col_w = draw(st.lists(st.integers(0, 100), min_size=cols, max_size=cols))
    unit = draw(st.sampled_from([1, 100, 0.01]))
    row_totals = [x * unit for x in r]
    c = split_total(sum(r), col_w, 1)
    return row_totals, [x * unit for x in c], unit


@settings(max_examples=100, deadline=None)
@given(margins())
def test_split_matrix_margins_exact(problem):
    row_totals, col_totals, unit = problem
    m = split_matrix(row_totals, col_totals, unit=unit)
    u = round(unit * 100)
    grand = sum(total_cents(x) for x in row_totals)
    for row, rt in zip(m, row_totals, strict=True):
        assert sum(cents(x) for x in row) == total_cents(rt)
    for j, ct in enumerate(col_totals):
        assert sum(cents(row[j]) for row in m) == total_cents(ct)
    for i, row in enumerate(m):
        for j, x in enumerate(row):
            assert cents(x) % u == 0
            if grand:
                ideal = Fraction(total_cents(row_totals[i]) * total_cents(col_totals[j]), grand)
                assert abs(cents(x) - ideal) <= u


@settings(max_examples=60, deadline=None)
@given(margins(), st.data())
def test_split_matrix_with_weights_margins_exact(problem, data):
    row_totals, col_totals, unit = problem
    weights = [
        data.draw(st.lists(st.integers(1, 50), min_size=len(col_totals), max_size=len(col_totals)))
        for _ in row_totals
    ]
    m = split_matrix(row_totals, col_totals, weights=weights, unit=unit)
    for row, rt in zip(m, row_totals, strict=True):
        assert sum(cents(x) for x in row) == total_cents(rt)
    for j, ct in enumerate(col_totals):
        assert sum(cents(row[j]) for row in m) == total_cents(ct)
    assert all(x >= 0 for row in m for x in row)


def test_split_matrix_weights_follow_the_pattern():
    # two customers with opposite seasons inside one department
    m = split_matrix([120, 120], [120, 120], weights=[[3, 1], [1, 3]])
    assert m == [[90.0, 30.0], [30.0, 90.0]]


def test_split_matrix_large_table_margins():
    """10,000 customers × 12 months (timing lives in benchmarks/, not here)."""
    import random

    rnd = random.Random(7)
    rows = [rnd.randint(0, 5000) * 100 for _ in range(10_000)]
    cols = split_total(sum(rows), [rnd.random() for _ in range(12)], 100)
    m = split_matrix(rows, cols, unit=100)
    assert [round(sum(r)) for r in m] == rows
    assert [round(sum(col)) for col in zip(*m, strict=True)] == [round(x) for x in cols]
