"""Scores and grades: 5C credit (9.3.10), key accounts (9.3.27), ABC (9.3.24), managers (9.3.32).

>>> s = credit_score_5c("AABCA")   # 30 + 25 + 20×0.8 + 15×0.6 + 10
>>> s, credit_grade(s)
(90.0, 'AAA')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType

from ._numbers import as_float, to_decimal

__all__ = [
    "FIVE_C_WEIGHTS",
    "LETTER_POINTS",
    "CREDIT_GRADE_THRESHOLDS",
    "KEY_ACCOUNT_CRITERIA",
    "KEY_ACCOUNT_GRADE_THRESHOLDS",
    "ABC_THRESHOLDS",
    "VISITS_PER_MONTH",
    "credit_score_5c",
    "credit_grade",
    "key_account_score",
    "key_account_grade",
    "abc_class_of_cumulative",
    "abc_classes",
    "manager_score",
    "visit_requirement",
]

#: 5C items and their weights (sum 100), in form order.
FIVE_C_WEIGHTS = MappingProxyType({"品质": 30, "能力": 25, "资本": 20, "条件": 15, "抵押": 10})
#: Points for each letter score of a 5C item.
LETTER_POINTS = MappingProxyType({"A": 10, "B": 8, "C": 6, "D": 4})
#: (lowest score, grade), best first; anything below the last is 'C'.
CREDIT_GRADE_THRESHOLDS = ((90, "AAA"), (80, "AA"), (70, "A"), (60, "B"))
#: Key-account criteria and weights (sum 100), in form order (9.3.27).
KEY_ACCOUNT_CRITERIA = MappingProxyType(
    {
        "年销售额": 25,
        "增长率": 15,
        "毛利": 15,
        "回款及时率": 20,
        "信用": 10,
        "合作年限": 5,
        "战略价值": 10,
    }
)
#: (lowest score, grade), best first; anything below the last is 'D'.
KEY_ACCOUNT_GRADE_THRESHOLDS = ((85, "A"), (70, "B"), (60, "C"))
#: Highest cumulative share for class A and class B; the rest is C.
ABC_THRESHOLDS = (Decimal("0.8"), Decimal("0.95"))
#: Nominal required visits per month by customer grade (A weekly, B biweekly, C monthly).
VISITS_PER_MONTH = MappingProxyType({"A": 4, "B": 2, "C": 1})


def _by_item(values: object, items: Sequence[str], what: str) -> list[object]:
    """Values in item order, from a mapping (missing items → None) or a sequence."""
    if isinstance(values, Mapping):
        unknown = set(values) - set(items)
        if unknown:
            raise ValueError(f"unknown {what}: {', '.join(sorted(map(str, unknown)))}")
        return [values.get(k) for k in items]
    seq = list(values)  # type: ignore[call-overload]
    if len(seq) != len(items):
        raise ValueError(
            f"expected {len(items)} {what} values ({', '.join(items)}), got {len(seq)}"
        )
    return seq


def credit_score_5c(letters: object, weights: Mapping[str, float] | None = None) -> float:
    """5C credit score = Σ weight × points / 10 (A 10, B 8, C 6, D 4; max 100).

    ``letters`` is a mapping item → letter or the letters in item order (a string works);
    a blank letter scores 0 points.

    >>> credit_score_5c({"品质": "A", "能力": "B", "资本": "B", "条件": "C", "抵押": "D"})
    79.0
    >>> credit_score_5c(["A"] * 5)
    100.0
    """
    w = dict(weights or FIVE_C_WEIGHTS)
    total = Decimal(0)
    for item, letter in zip(w, _by_item(letters, list(w), "5C item"), strict=True):
        key = "" if letter is None else str(letter).strip().upper()
        if key and key not in LETTER_POINTS:
            raise ValueError(f"5C item {item}: score must be A, B, C or D, got {letter!r}")
        points = LETTER_POINTS.get(key, 0)
        total += (to_decimal(w[item], f"weight of {item}") or Decimal(0)) * points / 10
    return float(total)


def credit_grade(score: object) -> str | None:
    """AAA ≥ 90, AA ≥ 80, A ≥ 70, B ≥ 60, else C; None when there is no score.

    >>> [credit_grade(s) for s in (95, 90, 89.9, 70, 60, 59, None)]
    ['AAA', 'AAA', 'AA', 'A', 'B', 'C', None]
    """
    s = as_float(score)
    if s is None:
        return None
    return next((g for low, g in CREDIT_GRADE_THRESHOLDS if s >= low), "C")


def key_account_score(scores: object, weights: Mapping[str, float] | None = None) -> float:
    """Weighted key-account score = Σ score × weight / Σ weights (scores 0–100).

    ``scores`` is a mapping criterion → score or the scores in criterion order; a missing
    score counts as 0.

    >>> key_account_score([90, 80, 70, 100, 80, 60, 90])
    85.0
    >>> key_account_score({"年销售额": 100, "增长率": 100})   # others missing: 0
    40.0
    """
    w = dict(weights or KEY_ACCOUNT_CRITERIA)
    pairs = []
    for item, value in zip(w, _by_item(scores, list(w), "criterion"), strict=True):
        s = to_decimal(value, f"score for {item}") or Decimal(0)
        if not s.is_finite() or not 0 <= s <= 100:
            raise ValueError(f"score for {item} must be 0–100, got {value!r}")
        weight = to_decimal(w[item], f"weight of {item}") or Decimal(0)
        pairs.append((float(s), float(weight)))
    return weighted_mean(pairs)


def weighted_mean(pairs) -> float:
    """Σ score × weight / Σ weight in binary floating point, summed in order as the
    sheet's formula ``(N(s1)*w1+…)/(w1+…)`` does: the one arithmetic behind 9.3.27's
    score, its cached value and ``SP_KA_GRADE``.

    >>> weighted_mean([(90.0, 1.0), (80.0, 3.0)])
    82.5
    """
    num = den = 0.0
    for s, w in pairs:
        num += s * w
    for _, w in pairs:
        den += w
    if den <= 0:
        raise ValueError("key-account weights must add up to more than 0")
    return num / den


def key_account_grade(score: object, months_of_trade: object = None) -> str | None:
    """A ≥ 85, B ≥ 70, C ≥ 60, else D; None ("not rated") under 3 months of trade or no score.

    >>> key_account_grade(85), key_account_grade(84.9), key_account_grade(30), key_account_grade(90, 2)
    ('A', 'B', 'D', None)
    """
    months = as_float(months_of_trade)
    s = as_float(score)
    if s is None or (months is not None and months < 3):
        return None
    return next((g for low, g in KEY_ACCOUNT_GRADE_THRESHOLDS if s >= low), "D")


def abc_classes(values: Sequence[object]) -> list[str]:
    """ABC class of each value by cumulative share, largest first (returned in input order).

    Sort descending (ties keep input order); cumulative share ≤ 80% → A, ≤ 95% → B, else C.
    Missing values count as 0; all zero → all C. Computed exactly (no float drift at 80%).

    >>> abc_classes([10, 50, 30, 5, 5])   # cumulative 50%, 80%, 90%, 95%, 100%
    ['B', 'A', 'A', 'B', 'C']
    """
    amounts = []
    for i, v in enumerate(values):
        d = to_decimal(v, f"value {i}") or Decimal(0)
        if not d.is_finite() or d < 0:
            raise ValueError(f"value {i} must be a finite amount ≥ 0, got {v!r}")
        amounts.append(d)
    total = sum(amounts, Decimal(0))
    classes = ["C"] * len(amounts)
    if total == 0:
        return classes
    running = Decimal(0)
    for i in sorted(range(len(amounts)), key=lambda i: -amounts[i]):
        running += amounts[i]
        if running <= ABC_THRESHOLDS[0] * total:
            classes[i] = "A"
        elif running <= ABC_THRESHOLDS[1] * total:
            classes[i] = "B"
    return classes


def abc_class_of_cumulative(value: object, cumulative: object) -> str:
    """ABC class of one row of a list sorted largest first, from its cumulative share
    (running total / grand total, :func:`shares.cumulative_shares`): ≤ 80% A, ≤ 95% B,
    else C; a zero or blank value, or no cumulative share, is C. On a list sorted by the
    value (ties in any order) this is :func:`abc_classes` row by row, up to the rounding
    of the running share at exactly 80% or 95%; the formula reads the row's cumulative
    share instead of summing the column again (linear in the rows).

    >>> [abc_class_of_cumulative(v, c) for v, c in [(50, 0.5), (30, 0.8), (10, 0.9), (5, 0.95), (5, 1.0)]]
    ['A', 'A', 'B', 'B', 'C']
    """
    share = as_float(cumulative) if not isinstance(cumulative, str) else None
    if not as_float(value) or share is None:
        return "C"
    if share <= float(ABC_THRESHOLDS[0]):
        return "A"
    return "B" if share <= float(ABC_THRESHOLDS[1]) else "C"


def manager_score(actual: object, target: object, weight: object) -> float:
    """MIN(actual / target, 1.2) × weight (9.3.32); 0 when the target is 0 or missing.

    >>> manager_score(90, 100, 30), manager_score(200, 100, 30), manager_score(5, 0, 30)
    (27.0, 36.0, 0.0)
    """
    t = as_float(target)
    if not t:
        return 0.0
    return min((as_float(actual) or 0.0) / t, 1.2) * (as_float(weight) or 0.0)


def visit_requirement(grade: object) -> int:
    """Nominal required visits per month for a customer grade: A 4, B 2, C 1 (blank 0).

    >>> visit_requirement("A"), visit_requirement("c"), visit_requirement(None)
    (4, 1, 0)
    """
    key = "" if grade is None else str(grade).strip().upper()
    if not key:
        return 0
    if key not in VISITS_PER_MONTH:
        raise ValueError(f"grade must be A, B or C, got {grade!r}")
    return VISITS_PER_MONTH[key]
