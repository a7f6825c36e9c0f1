"""The 5C credit form (9.3.10 客户企业信用度分析表): letters to points, the total over
the items as laid out on the sheet, and the suggested credit term.

    >>> credit_score_rows(["A", "B", "B", "C", "D"], [30, 25, 20, 15, 10])
    79.0
    >>> suggested_credit_days("AA")
    60
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType

from .ratings import LETTER_POINTS, credit_score_5c

__all__ = ["CREDIT_TERMS", "letter_points", "credit_score_rows", "suggested_credit_days"]

#: Suggested credit term in days by credit grade (C: cash on delivery).
CREDIT_TERMS = MappingProxyType({"AAA": 90, "AA": 60, "A": 45, "B": 30, "C": 0})


def letter_points(letter: object) -> int | None:
    """Points of a 5C letter: A 10, B 8, C 6, D 4; None when blank or unknown.

    >>> letter_points("B"), letter_points("d"), letter_points(None)
    (8, 4, None)
    """
    key = "" if letter is None else str(letter).strip().upper()
    return LETTER_POINTS.get(key)


def credit_score_rows(letters: Sequence[object], weights: Sequence[object]) -> float:
    """5C total = Σ weight × points / 10 over the form's item rows (blank letters 0).

    Same as :func:`~salesplan_xl.planning.ratings.credit_score_5c` with the weights read
    from the sheet, row by row.

    >>> credit_score_rows(["A", None, "A"], [50, 30, 20])
    70.0
    """
    letters, weights = list(letters), list(weights)
    if len(letters) != len(weights):
        raise ValueError(f"{len(letters)} letters but {len(weights)} weights")
    keys = [f"item{i}" for i in range(len(weights))]
    w = {k: (0 if x is None or x == "" else x) for k, x in zip(keys, weights, strict=True)}
    return credit_score_5c(dict(zip(keys, letters, strict=True)), w)


def suggested_credit_days(grade: object) -> int | None:
    """Suggested credit term: AAA 90, AA 60, A 45, B 30 days, C 0 (cash); None if blank.

    >>> [suggested_credit_days(g) for g in ("AAA", "A", "C", None)]
    [90, 45, 0, None]
    """
    key = "" if grade is None else str(grade).strip().upper()
    return CREDIT_TERMS.get(key)
