"""The numpy variants (planning.arrays, the UDFs' block path) equal the scalar functions."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from salesplan_xl.planning import arrays
from salesplan_xl.planning.ratings import credit_grade
from salesplan_xl.planning.receivables import ageing_bucket, credit_usage
from salesplan_xl.planning.tracking import completion_rate, forecast, growth_rate

numbers = st.one_of(
    st.none(),
    st.just(0.0),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    st.sampled_from([59.999, 60.0, 70.0, 80.0, 89.99, 90.0, 1.0, 30.0, 31.0, 365.0, 366.0]),
)
pairs = st.lists(st.tuples(numbers, numbers), min_size=1, max_size=40)


def _array(values) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _same(a, b) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    return a == b


@given(pairs)
def test_ratios_equal_the_scalar_functions(rows):
    xs, ys = _array([r[0] for r in rows]), _array([r[1] for r in rows])
    for vector, scalar in [
        (arrays.completion_rates, completion_rate),
        (arrays.growth_rates, growth_rate),
        (arrays.forecasts, forecast),
        (arrays.credit_usages, credit_usage),
    ]:
        got = vector(xs, ys).tolist()
        want = [scalar(a, b) for a, b in rows]
        assert all(_same(w, g) for w, g in zip(want, got, strict=True)), (scalar.__name__, rows)


@given(st.lists(numbers, min_size=1, max_size=40))
def test_grades_and_buckets_equal_the_scalar_functions(values):
    a = _array(values)
    assert arrays.credit_grades(a).tolist() == [credit_grade(v) for v in values]
    assert arrays.ageing_buckets(a).tolist() == [ageing_bucket(v) for v in values]


def test_a_single_cell_is_repeated():
    got = arrays.completion_rates(np.array([[10.0], [20.0]]), np.array([[40.0]]))
    assert got.tolist() == [[0.25], [0.5]]
