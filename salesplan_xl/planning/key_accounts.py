"""Key-account rating (9.3.27): criterion scores from the data, the weighted score,
the grade (未评级 under 3 months of trade) and the change against the previous grade.

The weights are the plan's ``[scoring] key_account`` (default 年销售额 25, 增长率 15,
毛利 15, 回款及时率 20, 信用 10, 合作年限 5, 战略价值 10); the grades are those of
:func:`salesplan_xl.planning.ratings.key_account_grade` (≥ 85 A, ≥ 70 B, ≥ 60 C, else D).

    >>> s = weighted_score(90, 80, 70, 100, 80, 60, 90, 25, 15, 15, 20, 10, 5, 10)
    >>> s, grade_label(s, 24), grade_label(s, 2)
    (85.0, 'A', '未评级')
    >>> grade_change("B", "A"), grade_change("A", "B"), grade_change("A", "未评级")
    ('降级', '升级', None)
"""

from __future__ import annotations

import math

from ._numbers import as_float, is_missing
from .ratings import KEY_ACCOUNT_CRITERIA, key_account_grade, weighted_mean

__all__ = [
    "NOT_RATED",
    "CREDIT_POINTS",
    "STRATEGIC_POINTS",
    "sales_score",
    "growth_score",
    "margin_score",
    "ratio_score",
    "tenure_score",
    "weighted_score",
    "grade_label",
    "grade_change",
]

NOT_RATED = "未评级"
#: Credit grade → 信用 score.
CREDIT_POINTS = {"AAA": 100, "AA": 90, "A": 80, "B": 60, "C": 40}
#: Customer grade (the company's own judgement of importance) → 战略价值 score.
STRATEGIC_POINTS = {"A": 80, "B": 60, "C": 40}


def _clamp(x: float) -> int:
    """A whole score 0–100 (half away from zero)."""
    return int(min(100.0, max(0.0, math.floor(x + 0.5))))


def sales_score(sales: object, best: object) -> int:
    """年销售额: 100 × sales / the largest key account's sales.

    >>> sales_score(500, 1000), sales_score(0, 0)
    (50, 0)
    """
    b = as_float(best) or 0.0
    return _clamp(100 * (as_float(sales) or 0.0) / b) if b > 0 else 0


def growth_score(this: object, last: object) -> int:
    """增长率: 60 at 0% growth, +2 points a percent (+20% → 100, −30% → 0); 60 without
    a previous period.

    >>> growth_score(120, 100), growth_score(80, 100), growth_score(50, 0)
    (100, 20, 60)
    """
    prev = as_float(last) or 0.0
    if prev <= 0:
        return 60
    return _clamp(60 + 200 * ((as_float(this) or 0.0) / prev - 1))


def margin_score(gross_profit: object, sales: object, full_marks: float = 0.30) -> int:
    """毛利: gross margin relative to ``full_marks`` (30% margin → 100).

    >>> margin_score(24, 100), margin_score(5, 0)
    (80, 0)
    """
    s = as_float(sales) or 0.0
    return _clamp(100 * (as_float(gross_profit) or 0.0) / s / full_marks) if s > 0 else 0


def ratio_score(part: object, whole: object, default: int = 100) -> int:
    """100 × part / whole (e.g. 回款及时率: amount paid on time / amount due); ``default``
    when nothing is due.

    >>> ratio_score(90, 100), ratio_score(0, 0)
    (90, 100)
    """
    w = as_float(whole) or 0.0
    return _clamp(100 * (as_float(part) or 0.0) / w) if w > 0 else default


def tenure_score(years: object) -> int:
    """合作年限: 10 points a year of trade, 100 from 10 years.

    >>> tenure_score(3.4), tenure_score(12)
    (34, 100)
    """
    return _clamp(10 * (as_float(years) or 0.0))


def weighted_score(*scores_and_weights: object) -> float | None:
    """Σ score × weight / Σ weight over the 7 criteria (scores first, then weights, in
    the order of ``KEY_ACCOUNT_CRITERIA``); a blank score counts 0; None when every
    score is blank.

    Excel: ``IF(COUNT(s1:s7)=0,"",(N(s1)*w1+…+N(s7)*w7)/(w1+…+w7))``.

    >>> weighted_score(*([None] * 7), *([1] * 7)) is None
    True
    """
    n = len(KEY_ACCOUNT_CRITERIA)
    if len(scores_and_weights) != 2 * n:
        raise ValueError(f"expected {n} scores and {n} weights")
    scores, weights = scores_and_weights[:n], scores_and_weights[n:]
    if all(is_missing(s) for s in scores):
        return None
    return weighted_mean(
        [(as_float(s) or 0.0, as_float(w) or 0.0) for s, w in zip(scores, weights, strict=True)]
    )


def grade_label(score: object, months_of_trade: object) -> str | None:
    """A/B/C/D by the score; 未评级 under 3 months of trade; None without a score.

    Excel: ``IF(score="","",IF(AND(months<>"",N(months)<3),"未评级",IF(score>=85,"A",
    IF(score>=70,"B",IF(score>=60,"C","D")))))``.
    """
    if is_missing(score):
        return None
    months = None if is_missing(months_of_trade) else months_of_trade
    grade = key_account_grade(score, months)
    return NOT_RATED if grade is None else grade


def grade_change(current: object, previous: object) -> str | None:
    """升级 / 降级 / 持平 between two letter grades (A best); None when either is blank
    or not rated.

    Excel: ``IF(OR(cur="",prev="",cur="未评级",prev="未评级"),"",IF(cur=prev,"持平",
    IF(CODE(cur)>CODE(prev),"降级","升级")))``.
    """
    grades = []
    for g in (current, previous):
        if is_missing(g) or str(g).strip() in ("", NOT_RATED):
            return None
        grades.append(str(g).strip().upper())
    cur, prev = grades
    if cur == prev:
        return "持平"
    return "降级" if ord(cur[0]) > ord(prev[0]) else "升级"
