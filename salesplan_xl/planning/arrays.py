"""Element-wise measures over blocks of numbers (numpy arrays): the same definitions as
the scalar functions of :mod:`tracking`, :mod:`receivables` and :mod:`ratings`, for the
UDFs' vectorised path. A blank is NaN, in and out; text results are object arrays with
None for a blank. ``tests/planning/test_planning_arrays.py`` checks each against its
scalar function with hypothesis.

>>> completion_rates(np.array([45.0, np.nan, 10.0]), np.array([50.0, 50.0, 0.0])).tolist()
[0.9, 0.0, nan]
>>> ageing_buckets(np.array([0.0, 30.0, 31.0, np.nan, 400.0])).tolist()
['未到期', '1-30', '31-60', '未到期', '>365']
"""

from __future__ import annotations

import numpy as np

from .ratings import CREDIT_GRADE_THRESHOLDS
from .receivables import AGEING_BUCKETS, AGEING_THRESHOLDS

__all__ = [
    "ageing_buckets",
    "completion_rates",
    "credit_grades",
    "credit_usages",
    "forecasts",
    "growth_rates",
    "ratios",
]


def ratios(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator (a blank numerator counts as 0); NaN where the denominator
    is 0 or blank — ``tracking._ratio`` element-wise."""
    num = np.asarray(numerator, dtype=float)
    num = np.where(np.isfinite(num), num, 0.0)
    den = np.asarray(denominator, dtype=float)
    ok = np.isfinite(den) & (den != 0)
    out = np.full(np.broadcast_shapes(num.shape, den.shape), np.nan)
    with np.errstate(over="ignore"):
        np.divide(num, den, out=out, where=np.broadcast_to(ok, out.shape))
    return out


def completion_rates(actual: np.ndarray, plan: np.ndarray) -> np.ndarray:
    """:func:`tracking.completion_rate` element-wise."""
    return ratios(actual, plan)


def forecasts(ytd: np.ndarray, progress: np.ndarray) -> np.ndarray:
    """:func:`tracking.forecast` element-wise (progress as a fraction)."""
    return ratios(ytd, progress)


def growth_rates(this: np.ndarray, last: np.ndarray) -> np.ndarray:
    """:func:`tracking.growth_rate` element-wise."""
    return ratios(this, last) - 1.0


def credit_usages(balance: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """:func:`receivables.credit_usage` element-wise."""
    return ratios(balance, limit)


def credit_grades(scores: np.ndarray) -> np.ndarray:
    """:func:`ratings.credit_grade` element-wise (None for a blank score)."""
    s = np.asarray(scores, dtype=float)
    lows = np.array([low for low, _ in CREDIT_GRADE_THRESHOLDS][::-1], dtype=float)
    labels = np.array(["C", *[g for _, g in CREDIT_GRADE_THRESHOLDS][::-1]], dtype=object)
    out = labels[np.searchsorted(lows, np.nan_to_num(s, nan=-np.inf), side="right")]
    out[np.isnan(s)] = None
    return out


def ageing_buckets(days: np.ndarray) -> np.ndarray:
    """:func:`receivables.ageing_bucket` element-wise (a blank counts as 0 days)."""
    d = np.maximum(np.nan_to_num(np.asarray(days, dtype=float), nan=0.0), 0.0)
    labels = np.array(AGEING_BUCKETS, dtype=object)
    return labels[np.searchsorted(np.array(AGEING_THRESHOLDS, dtype=float), d, side="right") - 1]
