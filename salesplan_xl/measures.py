"""The measure registry: every computed quantity, defined once.

A :class:`Measure` ties together

* ``python``: the function in ``planning/`` that computes the value (cached in the cell),
* ``formula``: the native Excel formula template, with ``{param}`` placeholders that the
  renderer replaces by cell references (``{param@all}`` is the param's whole column,
  ``{param@upto}`` the column from its first row down to this row),
* ``udf``: the name of the xlwings worksheet function that computes it live.

Example::

    >>> m = MEASURES["completion_rate"]
    >>> m.compute(actual=80, plan=100)
    0.8
    >>> m.excel({"actual": "D5", "plan": "C5"})
    'IF(N(C5)=0,"",N(D5)/C5)'
    >>> m.excel({"actual": "D5", "plan": "C5"}, mode="udf")
    'SP_COMPLETION(D5,C5)'

A measure whose ``python`` returns None is cached as an empty string, which is what the
formula shows. ``vector`` measures take whole columns and return one value per row.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

_PLACEHOLDER = re.compile(r"\{(\w+)(?:@(\w+))?\}")


def _resolve(path: str) -> Callable:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass(frozen=True)
class Measure:
    name: str
    params: tuple[str, ...]
    python_path: str
    formula: str | None
    udf: str | None = None
    result: str = "number"  # number | percent | money | text | date | int
    vector: bool = False
    description: str = ""

    @cached_property
    def python(self) -> Callable:
        return _resolve(self.python_path)

    def compute(self, **values):
        """The Python value for one row (or, for vector measures, one column)."""
        return self.python(*(values[p] for p in self.params))

    def excel(self, refs: dict[str, str], mode: str = "native") -> str:
        """The formula text (without '='): native, or the UDF call in ``mode='udf'``.

        ``refs`` maps each placeholder (``param`` or ``param@all``/``param@upto``) to a
        cell or range reference.
        """
        if mode == "udf" and self.udf:
            args = [refs[f"{p}@all"] if self.vector else refs[p] for p in self.params]
            return f"{self.udf}({','.join(args)})"
        if self.formula is None:
            raise ValueError(f"measure {self.name} has no native formula")

        def sub(m: re.Match) -> str:
            key = m.group(1) if m.group(2) is None else f"{m.group(1)}@{m.group(2)}"
            return refs[key]

        return _PLACEHOLDER.sub(sub, self.formula)

    def placeholders(self) -> list[str]:
        """Placeholders used by the native formula, e.g. ['value', 'value@all']."""
        if self.formula is None:
            return []
        return [m.group(0)[1:-1] for m in _PLACEHOLDER.finditer(self.formula)]


def _ageing_formula() -> str:
    from .planning.receivables import AGEING_BUCKETS, AGEING_THRESHOLDS

    # AGEING_THRESHOLDS are the lower bounds (days overdue) of the buckets.
    parts = [
        f'IF({{days}}<{lower},"{label}",'
        for label, lower in zip(AGEING_BUCKETS, AGEING_THRESHOLDS[1:], strict=False)
    ]
    return "".join(parts) + f'"{AGEING_BUCKETS[-1]}"' + ")" * len(parts)


P = "salesplan_xl.planning"

_DEFS = [
    Measure(
        "completion_rate",
        ("actual", "plan"),
        f"{P}.tracking:completion_rate",
        'IF(N({plan})=0,"",N({actual})/{plan})',
        "SP_COMPLETION",
        "percent",
        description="actual / plan; blank when the plan is 0 or blank",
    ),
    Measure(
        "share",
        ("part", "whole"),
        f"{P}.shares:share",
        'IF(N({whole})=0,"",N({part})/{whole})',
        None,
        "percent",
        description="part / whole; blank when the whole is 0",
    ),
    Measure(
        "growth_rate",
        ("this", "last"),
        f"{P}.tracking:growth_rate",
        'IF(N({last})=0,"",N({this})/{last}-1)',
        "SP_GROWTH",
        "percent",
        description="this / last − 1; blank when last is 0",
    ),
    Measure(
        "change",
        ("this", "last"),
        f"{P}.shares:change",
        "N({this})-N({last})",
        None,
        "percent",
        description="this − last (e.g. change of share)",
    ),
    Measure(
        "row_sum",
        ("parts",),
        f"{P}.shares:total",
        "SUM({parts})",
        None,
        "money",
        description="sum of the parts in one row",
    ),
    Measure(
        "collection_rate",
        ("received", "billed"),
        f"{P}.receivables:collection_rate",
        'IF(N({billed})=0,"",N({received})/{billed})',
        None,
        "percent",
        description="received / billed; blank when nothing was billed",
    ),
    Measure(
        "cumulative_share",
        ("value",),
        f"{P}.shares:cumulative_shares",
        'IF(SUM({value@all})=0,"",SUM({value@upto})/SUM({value@all}))',
        None,
        "percent",
        vector=True,
        description="running total / grand total, in sheet order",
    ),
    Measure(
        "average",
        ("parts",),
        f"{P}.shares:average",
        'IF(COUNT({parts})=0,"",AVERAGE({parts}))',
        None,
        "money",
        description="mean of the filled cells; blank when none",
    ),
    Measure(
        "at_least",
        ("actual", "required"),
        f"{P}.shares:at_least",
        'IF(N({actual})>=N({required}),"达标","未达标")',
        None,
        "text",
        description="达标 when actual ≥ required",
    ),
    Measure(
        "difference",
        ("a", "b"),
        f"{P}.shares:change",
        "N({a})-N({b})",
        None,
        "money",
        description="a − b (e.g. 未收 = 应收 − 已收)",
    ),
    Measure(
        "closing_balance",
        ("opening", "added", "removed"),
        f"{P}.shares:closing_balance",
        "N({opening})+N({added})-N({removed})",
        None,
        "money",
        description="opening + added − removed",
    ),
    Measure(
        "split_difference",
        ("total", "parts"),
        f"{P}.shares:split_difference",
        "N({total})-SUM({parts})",
        None,
        "money",
        description="total − sum of its parts (0 when the split adds up)",
    ),
    Measure(
        "annual_target",
        ("last_year", "growth", "unit"),
        f"{P}.seasonality:annual_target",
        "ROUND(N({last_year})*(1+N({growth}))/{unit},0)*{unit}",
        None,
        "money",
        description="last year × (1 + growth), rounded to the unit",
    ),
    Measure(
        "task_overdue",
        ("status", "due", "as_of"),
        f"{P}.tasks:task_overdue_days",
        'IF(OR({status}="已完成",{due}=""),0,MAX(0,{as_of}-{due}))',
        None,
        "int",
        description="days past the planned date unless done",
    ),
    Measure(
        "forecast",
        ("ytd", "progress"),
        f"{P}.tracking:forecast",
        'IF(N({progress})=0,"",N({ytd})/{progress})',
        "SP_FORECAST",
        "money",
        description="full-year run rate: YTD / time progress",
    ),
    Measure(
        "status",
        ("completion", "progress"),
        f"{P}.tracking:status",
        'IF({completion}="","",IF({completion}>=1,"完成",IF({completion}>={progress},"正常","落后")))',
        None,
        "text",
        description="完成 (≥100%), 正常 (≥ time progress), else 落后",
    ),
    Measure(
        "rank",
        ("value",),
        f"{P}.shares:competition_rank",
        "RANK({value},{value@all})",
        None,
        "int",
        vector=True,
        description="rank, largest first, equal values share a rank",
    ),
    Measure(
        "abc_class",
        ("value",),
        f"{P}.ratings:abc_classes",
        'IF(SUM({value@all})=0,"C",IF((SUMIF({value@all},">"&{value})+COUNTIF({value@upto},{value})*{value})/SUM({value@all})<=0.8,"A",'
        'IF((SUMIF({value@all},">"&{value})+COUNTIF({value@upto},{value})*{value})/SUM({value@all})<=0.95,"B","C")))',
        "SP_ABC",
        "text",
        vector=True,
        description="ABC class by cumulative share, largest first (≤80% A, ≤95% B, else C)",
    ),
    Measure(
        "due_date",
        ("invoice_date", "credit_days"),
        f"{P}.receivables:due_date",
        "{invoice_date}+{credit_days}",
        None,
        "date",
        description="invoice date + credit days",
    ),
    Measure(
        "overdue_days",
        ("due", "as_of"),
        f"{P}.receivables:overdue_days",
        "MAX(0,{as_of}-{due})",
        "SP_OVERDUE_DAYS",
        "int",
        description="days past the due date at the as-of date (0 when not due)",
    ),
    Measure(
        "age_days",
        ("invoice_date", "as_of"),
        f"{P}.receivables:age_days",
        "MAX(0,{as_of}-{invoice_date})",
        None,
        "int",
        description="days since the invoice date at the as-of date",
    ),
    Measure(
        "credit_usage",
        ("balance", "limit"),
        f"{P}.receivables:credit_usage",
        'IF(N({limit})=0,"",N({balance})/{limit})',
        "SP_CREDIT_USAGE",
        "percent",
        description="balance / credit limit; blank without a limit",
    ),
    Measure(
        "credit_alert",
        ("usage", "threshold"),
        f"{P}.receivables:credit_alert",
        'IF({usage}="","",IF({usage}>1,"超限",IF({usage}>{threshold},"预警","正常")))',
        None,
        "text",
        description="超限 above 100%, 预警 above the threshold, else 正常",
    ),
    Measure(
        "credit_grade",
        ("score",),
        f"{P}.ratings:credit_grade",
        'IF({score}>=90,"AAA",IF({score}>=80,"AA",IF({score}>=70,"A",IF({score}>=60,"B","C"))))',
        "SP_CREDIT_GRADE",
        "text",
        description="5C score → AAA (≥90), AA (≥80), A (≥70), B (≥60), C",
    ),
    Measure(
        "manager_score",
        ("actual", "target", "weight"),
        f"{P}.ratings:manager_score",
        "IF(N({target})=0,0,MIN(N({actual})/{target},1.2)*{weight})",
        None,
        "score",
        description="MIN(actual / target, 1.2) × weight",
    ),
    Measure(
        "rmb_upper",
        ("amount",),
        f"{P}.rmb:rmb_upper",
        None,
        "SP_RMB_UPPER",
        "text",
        description="amount in words (大写金额), PBoC rules",
    ),
]

# --- measures of the customer-management list sheets (9.3.x lists) -----------------------
_DEFS_CRM: list[Measure] = []

# --- measures of the forms (applications, cards, orders, scored forms) -------------------
_DEFS_FORMS: list[Measure] = []

MEASURES: dict[str, Measure] = {m.name: m for m in [*_DEFS, *_DEFS_CRM, *_DEFS_FORMS]}


def _add_ageing() -> None:
    MEASURES["ageing_bucket"] = Measure(
        "ageing_bucket",
        ("days",),
        f"{P}.receivables:ageing_bucket",
        _ageing_formula(),
        "SP_AGEING",
        "text",
        description="ageing bucket of the days overdue: 未到期, 1-30, …, >365",
    )


def get(name: str) -> Measure:
    """The measure called ``name``; a KeyError lists the known ones."""
    if name == "ageing_bucket" and name not in MEASURES:
        _add_ageing()
    try:
        return MEASURES[name]
    except KeyError:
        raise KeyError(f"unknown measure {name!r}; known: {', '.join(sorted(MEASURES))}") from None
