"""Market-development scoring (9.3.8 市场开发评估表) and weighted item scores.

Each item is scored 1–5; the weighted score is Σ weight × score / 5 (0–100 when the
weights add up to 100). 优先 from 80, 可开发 from 60, else 暂缓.

    >>> s = weighted_score([25, 20, 20, 15, 20], [5, 3, 4, 4, 3], 5)
    >>> s, market_conclusion(s)
    (77.0, '可开发')
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .orders import n

__all__ = [
    "MARKET_CONCLUSIONS",
    "output_input_ratio",
    "weighted_score",
    "item_score",
    "market_conclusion",
]

#: (lowest weighted score, conclusion), best first; below the last: 暂缓.
MARKET_CONCLUSIONS = ((80, "优先"), (60, "可开发"))


def output_input_ratio(output: object, cost: object) -> float | None:
    """投入产出比 = expected sales / cost; None when the cost is 0 or blank.

    >>> output_input_ratio(500000, 80000), output_input_ratio(1, 0)
    (6.25, None)
    """
    c = n(cost)
    if c == 0:
        return None
    return n(output) / c


def weighted_score(weights: Sequence[object], scores: Sequence[object], scale: object) -> float:
    """Σ weight × score / scale (Excel ``SUMPRODUCT(weights,scores)/scale``), blanks 0.

    >>> weighted_score([30, 70], [4, None], 5)
    24.0
    """
    return math.fsum(n(w) * n(s) for w, s in zip(weights, scores, strict=True)) / n(scale)


def item_score(weight: object, points: object, scale: object) -> float | None:
    """One item's contribution: weight × points / scale; None while unscored.

    >>> item_score(25, 8, 10), item_score(25, None, 10)
    (20.0, None)
    """
    if points is None or points == "":
        return None
    return n(weight) * n(points) / n(scale)


def market_conclusion(score: object) -> str | None:
    """优先 (≥ 80), 可开发 (≥ 60), else 暂缓; None without a score.

    >>> [market_conclusion(s) for s in (80, 79.9, 60, 10, None)]
    ['优先', '可开发', '可开发', '暂缓', None]
    """
    if score is None or score == "":
        return None
    s = n(score)
    return next((label for low, label in MARKET_CONCLUSIONS if s >= low), "暂缓")
