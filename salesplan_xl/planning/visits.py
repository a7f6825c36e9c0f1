"""Visit planning (9.3.21): a month's visits per rep on workdays, by customer grade.

Cadence by grade (default): A weekly (one visit in each week that has a workday in the
month), B twice a month, C once. Visits fall on workdays only (statutory calendar).

    >>> plan = schedule_visits([("C1", "R1", "A"), ("C2", "R1", "C")], 2024, 10)
    >>> [(v.customer_id, v.date.isoformat()) for v in plan]
    [('C1', '2024-10-09'), ('C1', '2024-10-15'), ('C1', '2024-10-22'), ('C2', '2024-10-25'), ('C1', '2024-10-29')]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import NamedTuple

from ._numbers import as_float, is_missing
from .customer_lists import months_elapsed
from .workdays import workdays

__all__ = [
    "Visit",
    "DEFAULT_CADENCE",
    "planned_visits",
    "CADENCE_WORDS",
    "cadence_word",
    "week_starts",
    "required_visits",
    "schedule_visits",
    "visit_compliance",
    "monthly_hours",
]

#: Visits by customer grade: "weekly" or a number of visits per month.
DEFAULT_CADENCE = MappingProxyType({"A": "weekly", "B": 2, "C": 1})
_WORDS = {"weekly": "weekly", "每周": "weekly", "biweekly": 2, "每两周": 2, "monthly": 1, "每月": 1}


class Visit(NamedTuple):
    """One planned visit."""

    rep_id: str
    customer_id: str
    date: date
    hours: float


def _rule(cadence: Mapping[str, object], grade: object, who: str) -> object:
    """'weekly' or a visit count for ``grade``."""
    key = "" if is_missing(grade) else str(grade).strip().upper()
    if key not in cadence:
        raise ValueError(f"{who}: grade {grade!r} has no visit cadence ({', '.join(cadence)})")
    rule = cadence[key]
    rule = _WORDS.get(rule, rule) if isinstance(rule, str) else rule
    if rule != "weekly" and (isinstance(rule, bool) or not isinstance(rule, int) or rule < 0):
        raise ValueError(f"cadence for grade {key} must be 'weekly' or a count ≥ 0, got {rule!r}")
    return rule


def _windows(days: list[date], rule: object) -> list[range]:
    """Index ranges of the month's workdays, one per visit: ISO weeks, or equal blocks."""
    n = len(days)
    if rule == "weekly":
        weeks: dict[tuple[int, int], list[int]] = {}
        for i, d in enumerate(days):
            weeks.setdefault(d.isocalendar()[:2], []).append(i)
        return [range(w[0], w[-1] + 1) for w in weeks.values()]
    k = int(rule)  # type: ignore[call-overload]
    if k > n:
        raise ValueError(f"{k} visits a month do not fit in {n} workdays")
    return [range(j * n // k, (j + 1) * n // k) for j in range(k)]


def planned_visits(grade: object, year: int, month: int, cadence: Mapping | None = None) -> int:
    """Number of visits a customer of ``grade`` needs in the month.

    >>> planned_visits("A", 2024, 10), planned_visits("B", 2024, 10), planned_visits("C", 2024, 10)
    (4, 2, 1)
    """
    rule = _rule(cadence or DEFAULT_CADENCE, grade, "customer")
    return len(_windows(workdays(year, month), rule))


def _read_customers(customers: Iterable[object]) -> list[tuple[str, str, object]]:
    """(customer_id, rep_id, grade) from tuples, mappings or objects."""
    out = []
    for k, rec in enumerate(customers):
        if isinstance(rec, Mapping):
            values = (rec.get("customer_id"), rec.get("rep_id"), rec.get("grade"))
        elif isinstance(rec, tuple | list):
            values = tuple(rec[:3])
        else:
            values = tuple(getattr(rec, f, None) for f in ("customer_id", "rep_id", "grade"))
        if len(values) != 3 or is_missing(values[0]) or is_missing(values[1]):
            raise ValueError(f"customer row {k}: expected (customer_id, rep_id, grade)")
        out.append((str(values[0]), str(values[1]), values[2]))
    return out


def _pick_day(window: range, preferred: int, load: list[int], cap: int) -> int | None:
    """Least-loaded day of the window (ties: nearest the preferred day, then earliest)."""
    open_days = [d for d in window if load[d] < cap]
    if not open_days:
        return None
    return min(open_days, key=lambda d: (load[d], abs(d - preferred), d))


def _spill(after: int, load: list[int], cap: int) -> int:
    """The next day after ``after`` with room, wrapping to the start of the month."""
    n = len(load)
    return next(d % n for d in range(after + 1, after + 1 + n) if load[d % n] < cap)


def _rep_schedule(
    rep: str, todo: list[tuple[str, object]], days: list[date], cap: int
) -> list[tuple[int, str]]:
    """(day index, customer) for one rep's customers (in their input order)."""
    wanted = []
    for pos, (cid, rule) in enumerate(todo):
        phase = (pos + 0.5) / len(todo)
        for w in _windows(days, rule):
            wanted.append((len(w), w.start, pos, cid, w, w.start + int(phase * len(w))))
    if len(wanted) > cap * len(days):
        raise ValueError(
            f"rep {rep}: {len(wanted)} visits do not fit in {len(days)} workdays "
            f"at {cap} visits a day"
        )
    load = [0] * len(days)
    placed = []
    for *_, cid, window, preferred in sorted(wanted, key=lambda v: v[:3]):
        day = _pick_day(window, preferred, load, cap)
        if day is None:
            day = _spill(window.stop - 1, load, cap)
        load[day] += 1
        placed.append((day, cid))
    return placed


def schedule_visits(
    customers: Iterable[object],
    year: int,
    month: int,
    cadence: Mapping[str, object] | None = None,
    max_visits_per_day: int = 6,
    hours_per_visit: float = 1.5,
) -> list[Visit]:
    """Plan a month of visits for every rep, on workdays, spread evenly.

    ``customers``: records (customer_id, rep_id, grade). ``cadence``: grade → "weekly" or a
    number of visits per month (default A weekly, B 2, C 1). Each visit has a window (its
    ISO week for weekly; otherwise the month's workdays cut into equal consecutive blocks)
    and goes to the least-loaded workday of its window, ties to the day matching the
    customer's position among the rep's customers, then the earlier day. Narrow windows are
    placed first. A full window spills to the next workday with room (wrapping to the start
    of the month). More visits than ``max_visits_per_day`` × workdays raises ValueError
    naming the rep. Output: by rep (first appearance), date, then placement order.

    >>> plan = schedule_visits([("C1", "R1", "B"), ("C2", "R1", "B")], 2026, 2)  # 16 workdays
    >>> [(v.customer_id, v.date.day) for v in plan]
    [('C1', 4), ('C2', 10), ('C1', 14), ('C2', 27)]
    >>> monthly_hours(plan)
    {'R1': 6.0}
    """
    if (
        isinstance(max_visits_per_day, bool)
        or not isinstance(max_visits_per_day, int)
        or max_visits_per_day < 1
    ):
        raise ValueError(
            f"max_visits_per_day must be a whole number ≥ 1, got {max_visits_per_day!r}"
        )
    rules = cadence or DEFAULT_CADENCE
    days = workdays(year, month)
    by_rep: dict[str, list[tuple[str, object]]] = {}
    for cid, rep, grade in _read_customers(customers):
        by_rep.setdefault(rep, []).append((cid, _rule(rules, grade, f"customer {cid}")))
    hours = float(hours_per_visit)
    out = []
    for rep, todo in by_rep.items():
        placed = _rep_schedule(rep, todo, days, max_visits_per_day)
        order = sorted(range(len(placed)), key=lambda k: (placed[k][0], k))
        out.extend(Visit(rep, placed[k][1], days[placed[k][0]], hours) for k in order)
    return out


def visit_compliance(actual: object, planned: object) -> float | None:
    """Actual / planned visits (达成率); None when nothing was planned.

    >>> visit_compliance(3, 4), visit_compliance(2, 0)
    (0.75, None)
    """
    p = as_float(planned)
    if not p:
        return None
    return (as_float(actual) or 0.0) / p


def monthly_hours(schedule: Iterable[Visit]) -> dict[str, float]:
    """Planned visit hours per rep (compare with the 80 h a month on 9.3.21).

    >>> monthly_hours([Visit("R1", "C1", date(2024, 1, 2), 1.5), Visit("R1", "C2", date(2024, 1, 3), 2)])
    {'R1': 3.5}
    """
    hours: dict[str, list[float]] = {}
    for v in schedule:
        hours.setdefault(v.rep_id, []).append(float(v.hours))
    return {rep: math.fsum(h) for rep, h in hours.items()}


#: The plan's cadence names (plan.toml [visits] cadence) as the sheets show them.
CADENCE_WORDS = MappingProxyType({"weekly": "每周", "biweekly": "每两周", "monthly": "每月"})


def cadence_word(cadence: Mapping[str, object], grade: object) -> str:
    """The cadence of a customer grade as a word (每周 / 每两周 / 每月); grades without
    one follow C.

    >>> cadence_word({"A": "weekly", "B": "biweekly", "C": "monthly"}, "A")
    '每周'
    """
    key = "" if is_missing(grade) else str(grade).strip().upper()
    rule = cadence.get(key, cadence.get("C", "monthly"))
    return CADENCE_WORDS.get(str(rule), str(rule))


def week_starts(days: list[date]) -> list[bool]:
    """For workdays in date order: True on the first workday of each ISO week within a
    month, the days a weekly customer's visit windows start (:func:`planned_visits`).

    >>> days = workdays(2024, 10)
    >>> [d.day for d, start in zip(days, week_starts(days)) if start]
    [8, 14, 21, 28]
    """
    seen: set[tuple] = set()
    out = []
    for d in days:
        key = (d.month, *d.isocalendar()[:2])
        out.append(key not in seen)
        seen.add(key)
    return out


def required_visits(
    grade: object,
    cad_a: object,
    cad_b: object,
    cad_c: object,
    weeks: object,
    as_of: object,
    year: object,
) -> int:
    """Visits a customer should have had this year so far, by its grade's cadence: every
    week with a workday (``weeks`` so far, the 参数 cell), twice or once a month (the
    months of the year up to ``as_of``). Excel:
    ``IF(cad="每周",weeks,IF(cad="每两周",2,1)*months)`` with
    ``cad = IF(grade="A",cad_a,IF(grade="B",cad_b,cad_c))``; a blank grade follows C.

    >>> from datetime import date
    >>> args = ("每周", "每两周", "每月", 39, date(2026, 9, 30), 2026)
    >>> required_visits("A", *args), required_visits("B", *args), required_visits(None, *args)
    (39, 18, 9)
    """
    months = months_elapsed(as_of, int(as_float(year) or 0))
    key = "" if is_missing(grade) else str(grade).strip().upper()
    cad = cad_a if key == "A" else cad_b if key == "B" else cad_c
    if cad == CADENCE_WORDS["weekly"]:
        return int(as_float(weeks) or 0)
    per_month = 2 if cad == CADENCE_WORDS["biweekly"] else 1
    return per_month * months
