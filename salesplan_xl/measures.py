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

from .planning.credit_form import CREDIT_TERMS
from .planning.market import MARKET_CONCLUSIONS
from .planning.promotion import VISITS_BY_FREQUENCY
from .planning.ratings import (
    CREDIT_GRADE_THRESHOLDS,
    KEY_ACCOUNT_GRADE_THRESHOLDS,
    LETTER_POINTS,
)
from .planning.receivables import CREDIT_ALERTS, CREDIT_LIMIT_FACTORS, SETTLED
from .planning.tracking import STATUS_LABELS
from .planning.visits import CADENCE_WORDS

#: A customer's visit cadence word from its grade (the 参数 cells cfg_cadence_a/b/c).
_CADENCE = 'IF({grade}="A",{cad_a},IF({grade}="B",{cad_b},{cad_c}))'

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
        # Vector UDFs spill a whole column: a per-row cell keeps the native formula.
        if mode == "udf" and self.udf and not self.vector:
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


def _ladder(value: str, thresholds, default: str) -> str:
    """Nested IF over descending lower bounds: ``IF(v>=90,"AAA",IF(v>=80,"AA",...,d))``,
    built from the planning constant so the formula and Python share one definition.

    >>> _ladder("{s}", ((90, "AAA"), (80, "AA")), "C")
    'IF({s}>=90,"AAA",IF({s}>=80,"AA","C"))'
    """
    out = _text(default)
    for low, label in reversed(tuple(thresholds)):
        out = f"IF({value}>={_number(low)},{_text(label)},{out})"
    return out


def _lookup(value: str, table, default) -> str:
    """Nested IF over the keys of a planning table: ``IF(v="A",10,IF(v="B",8,...,d))``.

    >>> _lookup("{g}", {"A": 10, "B": 8}, '""')
    'IF({g}="A",10,IF({g}="B",8,""))'
    """
    out = default
    for key, result in reversed(tuple(dict(table).items())):
        out = f'IF({value}="{key}",{_number(result) if not isinstance(result, str) else _text(result)},{out})'
    return out


def _number(x) -> str:
    """A number as formula text (fractions kept exact: 1/3)."""
    if isinstance(x, float) and not x.is_integer() and abs(x * 3 - round(x * 3)) < 1e-12:
        return f"{round(x * 3)}/3"
    return format(x, "g") if isinstance(x, float) else str(x)


def _text(x: str) -> str:
    return x if x.startswith('"') else '"' + x.replace('"', '""') + '"'


def _rmb_upper_formula() -> str:
    """大写金额 as one native formula (no LET, no [DBNum2]: works in Excel, WPS and
    LibreOffice): the amount in fen as a 14-digit string, read digit by digit, with the
    零 rules of ``planning.rmb`` (one 零 per inner run of zeros, none at the end of a
    group, 零 after 亿/万 when the next group starts with 0, 零 before 分 after 元).
    Equal to ``rmb_upper`` for |amount| < 10^12 (checked cell by cell in LibreOffice)."""
    digits = '"零壹贰叁肆伍陆柒捌玖"'
    s = 'TEXT(ROUND(ROUND(ABS({amount}),2)*100,0),"00000000000000")'

    def ch(p: int) -> str:
        return f"MID({s},{p},1)"

    def nz(p: int) -> str:
        return f'{ch(p)}<>"0"'

    def z(p: int) -> str:
        return f'{ch(p)}="0"'

    def word(p: int) -> str:
        return f"MID({digits},{ch(p)}+1,1)"

    def group(p: int) -> str:  # the four digits at positions p..p+3
        a, b, c, d = p, p + 1, p + 2, p + 3
        return (
            f'IF({nz(a)},{word(a)}&"仟","")'
            f'&IF({nz(b)},{word(b)}&"佰","")'
            f'&IF({nz(c)},IF(AND({z(b)},{nz(a)}),"零","")&{word(c)}&"拾","")'
            f'&IF({nz(d)},IF(AND({z(c)},OR({nz(a)},{nz(b)})),"零","")&{word(d)},"")'
        )

    def group_nz(p: int) -> str:
        return f'MID({s},{p},4)<>"0000"'

    yuan = f'MID({s},1,12)<>"000000000000"'
    integer = (
        f'IF({group_nz(1)},{group(1)}&"亿","")'
        f'&IF(AND({group_nz(1)},MID({s},5,8)<>"00000000",{z(5)}),"零","")'
        f'&IF({group_nz(5)},{group(5)}&"万","")'
        f'&IF(AND({group_nz(5)},{group_nz(9)},{z(9)}),"零","")'
        f"&{group(9)}"
    )
    body = (
        f'IF({yuan},{integer}&"元","")'
        f'&IF({nz(13)},{word(13)}&"角",IF(AND({nz(14)},{yuan}),"零",""))'
        f'&IF({nz(14)},{word(14)}&"分",IF({z(13)},"整",""))'
    )
    return f'IF(ROUND({{amount}},2)=0,"零元整",IF(ROUND({{amount}},2)<0,"负","")&{body})'


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
        "completion_to_date",
        ("actual", "plan"),
        f"{P}.tracking:completion_to_date",
        'IF(OR({actual}="",N({plan})=0),"",N({actual})/{plan})',
        None,
        "percent",
        description="actual / plan; blank while the actual is not there yet or the plan is 0",
    ),
    Measure(
        "share",
        ("part", "whole"),
        f"{P}.tracking:share",
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
        'IF(N({self@total})=0,"",N({self@prev})+N({value})/{self@total})',
        None,
        "percent",
        vector=True,
        description="running total / grand total, in sheet order (the column's total row "
        "holds the grand total: total: grand)",
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
        ("due", "done", "as_of"),
        f"{P}.tasks:task_overdue_days",
        'IF({due}="",0,MAX(0,IF({done}="",{as_of},{done})-{due}))',
        None,
        "int",
        description="days past the planned date, to the completion date or the as-of date",
    ),
    Measure(
        "task_status",
        ("due", "done", "as_of"),
        f"{P}.tasks:task_status",
        'IF({done}<>"",IF(AND({due}<>"",{done}>{due}),"逾期完成","已完成"),'
        'IF({due}="","",IF({as_of}>{due},"逾期","未到期")))',
        None,
        "text",
        description="已完成 / 逾期完成 / 逾期 / 未到期 from the planned and completion dates",
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
        'IF(OR(N({value})=0,SUM({value@all})=0),"C",IF((SUMIF({value@all},">"&{value})+COUNTIF({value@upto},{value})*{value})/SUM({value@all})<=0.8,"A",'
        'IF((SUMIF({value@all},">"&{value})+COUNTIF({value@upto},{value})*{value})/SUM({value@all})<=0.95,"B","C")))',
        "SP_ABC",
        "text",
        vector=True,
        description="ABC class by cumulative share, largest first (≤80% A, ≤95% B, else C)",
    ),
    Measure(
        "abc_class_sorted",
        ("value", "cumulative"),
        f"{P}.ratings:abc_class_of_cumulative",
        'IF(OR(N({value})=0,{cumulative}=""),"C",IF({cumulative}<=0.8,"A",'
        'IF({cumulative}<=0.95,"B","C")))',
        None,
        "text",
        description="ABC class of a list sorted largest first, from the row's cumulative share",
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
        'IF({score}="","",' + _ladder("{score}", CREDIT_GRADE_THRESHOLDS, "C") + ")",
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
        f"{P}.rmb:rmb_upper_cell",
        'IF({amount}="","",' + _rmb_upper_formula() + ")",
        "SP_RMB_UPPER",
        "text",
        description="amount in words (大写金额), PBoC rules",
    ),
]

# --- measures of the customer-management list sheets (9.3.x lists) -----------------------
_DEFS_CRM: list[Measure] = [
    Measure(
        "count_closing",
        ("opening", "added", "lost", "moved_in", "moved_out"),
        f"{P}.customer_lists:count_closing",
        "N({opening})+N({added})-N({lost})+N({moved_in})-N({moved_out})",
        None,
        "int",
        description="期末 = 期初 + 新增 − 流失 + 转入 − 转出",
    ),
    Measure(
        "count_same",
        ("value",),
        f"{P}.customer_lists:count_same",
        'IF({value}="","",COUNTIF({value@all},{value}))',
        None,
        "int",
        vector=True,
        description="how many rows of the column hold this row's value",
    ),
    Measure(
        "count_same_grouped",
        ("value",),
        f"{P}.customer_lists:count_same",
        'IF({value}="","",COUNTIF({value@near},{value})+COUNTIF({value@extra},{value}))',
        None,
        "int",
        vector=True,
        description="count_same for a list whose equal values stand together (sorted by "
        "them): the rows around this one, plus the blank rows left for the user",
    ),
    Measure(
        "month_of",
        ("date",),
        f"{P}.customer_lists:month_of",
        'IF({date}="","",MONTH({date}))',
        None,
        "int",
        description="month number of a date",
    ),
    Measure(
        "quarter_of",
        ("date",),
        f"{P}.customer_lists:quarter_of",
        'IF({date}="","",ROUNDUP(MONTH({date})/3,0))',
        None,
        "int",
        description="quarter (1-4) of a date",
    ),
    Measure(
        "dso_to_date",
        ("receivables", "sales", "as_of"),
        f"{P}.customer_lists:dso_to_date",
        'IF(N({sales})=0,"",N({receivables})/{sales}*({as_of}-DATE(YEAR({as_of}),1,1)+1))',
        None,
        "number",
        description="DSO: receivables / sales × days elapsed this year",
    ),
    Measure(
        "contribution_class",
        ("value",),
        f"{P}.customer_lists:contribution_classes",
        # the cumulative share once (MATCH on the negated thresholds: ≤80% A, ≤95% B),
        # over the sum of the positive values in one shared cell (total: positive)
        'IF(N({value})<=0,"C",MID("CBA",MATCH(-(SUMIF({value@all},">"&{value})'
        '+COUNTIF({value@upto},{value})*{value})/{self@total},{-1E+300,-0.95,-0.8},1),1))',
        None,
        "text",
        vector=True,
        description="ABC class by cumulative share of the positive contributions "
        "(the column's total row holds their sum: total: positive)",
    ),
    Measure(
        "required_visits",
        ("grade", "cad_a", "cad_b", "cad_c", "weeks", "as_of", "year"),
        f"{P}.visits:required_visits",
        f'IF({_CADENCE}="{CADENCE_WORDS["weekly"]}",{{weeks}},'
        f'IF({_CADENCE}="{CADENCE_WORDS["biweekly"]}",2,1)'
        "*IF(YEAR({as_of})<{year},0,IF(YEAR({as_of})>{year},12,MONTH({as_of}))))",
        None,
        "int",
        description="visits required so far this year by the grade's cadence (参数)",
    ),
    Measure(
        "max_overdue_days",
        ("oldest_due", "as_of"),
        f"{P}.customer_lists:max_overdue_days",
        "IF(N({oldest_due})=0,0,MAX(0,{as_of}-{oldest_due}))",
        None,
        "int",
        description="days past the oldest open due date (0 without open invoices)",
    ),
    Measure(
        "month_to_date",
        ("values", "as_of", "year"),
        f"{P}.tracking:month_to_date",
        "IF(YEAR({as_of})<{year},0,N(CHOOSE(IF(YEAR({as_of})>{year},12,MONTH({as_of})),{values})))",
        None,
        "money",
        description="the as-of month's amount of 12 monthly amounts",
    ),
    Measure(
        "month_actual",
        ("month", "columns"),
        f"{P}.tracking:month_actual",
        'IF(COUNT(CHOOSE({month},{columns}))=0,"",SUM(CHOOSE({month},{columns})))',
        None,
        "money",
        description="the sum of month's column of 12; blank while nothing is entered",
    ),
    Measure(
        "sum_by",
        ("key", "keys", "values"),
        f"{P}.tracking:sum_by",
        "SUMIF({keys},{key},{values})",
        None,
        "money",
        description="the sum of values whose key equals this row's key (SUMIF)",
    ),
    Measure(
        "invoice_overdue_days",
        ("due", "as_of", "balance"),
        f"{P}.receivables:invoice_overdue_days",
        "IF(N({balance})<=0,0,MAX(0,{as_of}-{due}))",
        None,
        "int",
        description="days past due while something is open; 0 once settled",
    ),
    Measure(
        "credit_state",
        ("balance", "limit", "threshold"),
        f"{P}.receivables:credit_state",
        f'IF(N({{limit}})<=0,IF(N({{balance}})>0,"{CREDIT_ALERTS[0]}",""),'
        f'IF(N({{balance}})/{{limit}}>1,"{CREDIT_ALERTS[0]}",'
        f'IF(N({{balance}})/{{limit}}>{{threshold}},"{CREDIT_ALERTS[1]}","{CREDIT_ALERTS[2]}")))',
        None,
        "text",
        description="超限 over the limit or owing without one, 预警 above the threshold, else 正常",
    ),
    Measure(
        "new_customers",
        ("key", "keys", "dates", "as_of", "year"),
        f"{P}.customer_lists:new_customers",
        'COUNTIFS({keys},{key},{dates},">="&DATE({year},1,1),{dates},"<="&{as_of})',
        None,
        "int",
        description="customers of this key whose first trade is this year up to the as-of date",
    ),
    Measure(
        "new_in_month",
        ("month", "dates", "as_of", "year"),
        f"{P}.customer_lists:new_in_month",
        'IF({month}>IF(YEAR({as_of})<{year},0,IF(YEAR({as_of})>{year},12,MONTH({as_of}))),"",'
        'COUNTIFS({dates},">="&DATE({year},{month},1),'
        '{dates},"<="&MIN(EOMONTH(DATE({year},{month},1),0),{as_of})))',
        None,
        "int",
        description="customers whose first trade is in this month (blank after the as-of month)",
    ),
    Measure(
        "plan_status",
        ("actual", "plan_to_date", "annual"),
        f"{P}.tracking:plan_status",
        f'IF(N({{annual}})=0,"",IF(N({{actual}})>=N({{annual}}),"{STATUS_LABELS[0]}",'
        f'IF(N({{actual}})>=N({{plan_to_date}}),"{STATUS_LABELS[1]}","{STATUS_LABELS[2]}")))',
        None,
        "text",
        description="完成 (annual plan reached), 正常 (actual ≥ plan to date), else 落后",
    ),
    Measure(
        "fact",
        ("value",),
        f"{P}.customer_lists:setting_value",
        'IF({value}="","",{value})',
        None,
        "number",
        description="a fact shown where it is read, from its home (``sheet.col``)",
    ),
    Measure(
        "setting_value",
        ("value",),
        f"{P}.customer_lists:setting_value",
        "{value}",
        None,
        "number",
        description="a 参数 setting shown on each row (e.g. 时间进度)",
    ),
    Measure(
        "months_of_trade",
        ("first_trade", "as_of"),
        f"{P}.customer_lists:months_of_trade",
        'IF({first_trade}="","",IF({first_trade}>{as_of},0,(YEAR({as_of})-YEAR({first_trade}))*12'
        "+MONTH({as_of})-MONTH({first_trade})-IF(DAY({as_of})<DAY({first_trade}),1,0)))",
        None,
        "int",
        description="whole months of trade up to the as-of date",
    ),
    Measure(
        "days_between",
        ("end", "start"),
        f"{P}.customer_lists:days_between",
        'IF(OR({end}="",{start}=""),"",{end}-{start})',
        None,
        "int",
        description="days from start to end; blank when either date is blank",
    ),
    Measure(
        "visit_compliance",
        ("actual", "planned"),
        f"{P}.visits:visit_compliance",
        'IF(N({planned})=0,"",N({actual})/{planned})',
        None,
        "percent",
        description="达成率 = actual / planned visits",
    ),
    Measure(
        "contact_due",
        ("last", "frequency"),
        f"{P}.contacts:contact_due",
        'IF(OR({last}="",{frequency}=""),"",IF({frequency}="每周",{last}+7,'
        'IF({frequency}="每两周",{last}+14,EDATE({last},IF({frequency}="每季",3,1)))))',
        None,
        "date",
        description="last contact + frequency (每周 7 d, 每两周 14 d, 每月 1 m, 每季 3 m)",
    ),
    Measure(
        "next_workday",
        ("day", "year"),
        f"{P}.contacts:next_workday_in_year",
        # the calendar holds every date of the year in order: its first and last dates are
        # INDEX(cal_dates,1) and INDEX(cal_dates,ROWS(cal_dates)), read, not searched
        'IF({day}="","",IF(OR({day}<INDEX(cal_dates,1),{day}>INDEX(cal_dates,ROWS(cal_dates))),'
        "WORKDAY({day}-1,1),IFERROR(INDEX(cal_dates,{day}-INDEX(cal_dates,1)+MATCH(1,"
        "INDEX(cal_workday,{day}-INDEX(cal_dates,1)+1):INDEX(cal_workday,ROWS(cal_workday)),0)),"
        "WORKDAY(INDEX(cal_dates,ROWS(cal_dates)),1))))",
        None,
        "date",
        description="first workday on or after the date, by the 日历 calendar",
    ),
    Measure(
        "workday_flag",
        ("day", "year"),
        f"{P}.contacts:workday_flag",
        'IF({day}="","",IF(OR({day}<INDEX(cal_dates,1),{day}>INDEX(cal_dates,ROWS(cal_dates))),'
        'IF(WEEKDAY({day},2)<6,"是","否"),'
        'IF(INDEX(cal_workday,{day}-INDEX(cal_dates,1)+1)=1,"是","否")))',
        None,
        "text",
        description="是 when the date is a workday of the 日历 calendar",
    ),
    Measure(
        "days_late",
        ("due", "as_of"),
        f"{P}.contacts:days_late",
        'IF({due}="","",MAX(0,{as_of}-{due}))',
        None,
        "int",
        description="days past a due date; blank without one",
    ),
    Measure(
        "overdue_state",
        ("due", "as_of"),
        f"{P}.contacts:overdue_state",
        'IF({due}="","",IF({due}<{as_of},"逾期","按计划"))',
        None,
        "text",
        description="逾期 when the due date is past, else 按计划",
    ),
    Measure(
        "key_account_score",
        ("s1", "s2", "s3", "s4", "s5", "s6", "s7", "w1", "w2", "w3", "w4", "w5", "w6", "w7"),
        f"{P}.key_accounts:weighted_score",
        'IF(COUNT({s1},{s2},{s3},{s4},{s5},{s6},{s7})=0,"",(N({s1})*{w1}+N({s2})*{w2}'
        "+N({s3})*{w3}+N({s4})*{w4}+N({s5})*{w5}+N({s6})*{w6}+N({s7})*{w7})"
        "/({w1}+{w2}+{w3}+{w4}+{w5}+{w6}+{w7}))",
        None,
        "score",
        description="key-account score: weighted mean of the 7 criterion scores",
    ),
    Measure(
        "key_account_grade",
        ("score", "months"),
        f"{P}.key_accounts:grade_label",
        'IF({score}="","",IF(AND({months}<>"",N({months})<3),"未评级",'
        + _ladder("{score}", KEY_ACCOUNT_GRADE_THRESHOLDS, "D")
        + "))",
        None,
        "text",
        description="A ≥ 85, B ≥ 70, C ≥ 60, else D; 未评级 under 3 months of trade",
    ),
    Measure(
        "grade_change",
        ("current", "previous"),
        f"{P}.key_accounts:grade_change",
        'IF(OR({current}="",{previous}="",{current}="未评级",{previous}="未评级"),"",'
        'IF({current}={previous},"持平",IF(CODE({current})>CODE({previous}),"降级","升级")))',
        None,
        "text",
        description="升级 / 降级 / 持平 against the previous grade",
    ),
]

# --- measures of the forms (applications, cards, orders, scored forms) -------------------
_DEFS_FORMS: list[Measure] = [
    Measure(
        "line_amount",
        ("quantity", "price"),
        f"{P}.orders:line_amount",
        'IF(AND({quantity}="",{price}=""),"",N({quantity})*N({price}))',
        None,
        "money",
        description="金额 = 数量 × 单价; blank until either is typed",
    ),
    Measure(
        "product",
        ("a", "b"),
        f"{P}.orders:product",
        "N({a})*N({b})",
        None,
        "number",
        description="a × b, blanks as 0",
    ),
    Measure(
        "discount_amount",
        ("original", "offer", "quantity"),
        f"{P}.orders:discount_amount",
        "(N({original})-N({offer}))*N({quantity})",
        None,
        "money",
        description="优惠额 = (原价 − 申请价) × 数量",
    ),
    Measure(
        "budget_remaining",
        ("budget", "used", "requested"),
        f"{P}.orders:budget_remaining",
        "N({budget})-N({used})-N({requested})",
        None,
        "money",
        description="预算余额 = 预算 − 已用 − 本次申请",
    ),
    Measure(
        "complement",
        ("share",),
        f"{P}.orders:complement",
        'IF({share}="","",1-N({share}))',
        None,
        "percent",
        description="1 − share (外销 = 1 − 内销)",
    ),
    Measure(
        "entertainment_standard",
        ("grade", "guests", "hosts"),
        f"{P}.entertainment:entertainment_standard",
        'IF(OR({grade}="A",{grade}="B",{grade}="C"),IF({grade}="A",300,IF({grade}="B",200,100))'
        '+MAX(0,N({guests})+N({hosts})-2)*IF({grade}="C",50,60),"")',
        None,
        "money",
        description="per-meal standard: C 100 + 50, B 200 + 60, A 300 + 60 per person over two",
    ),
    Measure(
        "over_standard",
        ("amount", "standard"),
        f"{P}.entertainment:over_standard",
        'IF({standard}="","",MAX(0,N({amount})-N({standard})))',
        None,
        "money",
        description="超标 = max(0, amount − standard)",
    ),
    Measure(
        "output_input_ratio",
        ("output", "cost"),
        f"{P}.market:output_input_ratio",
        'IF(N({cost})=0,"",N({output})/{cost})',
        None,
        "number",
        description="投入产出比 = 预计销售 / 投入费用",
    ),
    Measure(
        "weighted_score",
        ("weights", "scores", "scale"),
        f"{P}.market:weighted_score",
        "SUMPRODUCT({weights},{scores})/{scale}",
        None,
        "score",
        description="Σ weight × score / scale",
    ),
    Measure(
        "item_score",
        ("weight", "points", "scale"),
        f"{P}.market:item_score",
        'IF({points}="","",N({weight})*{points}/{scale})',
        None,
        "score",
        description="one item's weight × points / scale; blank while unscored",
    ),
    Measure(
        "market_conclusion",
        ("score",),
        f"{P}.market:market_conclusion",
        'IF({score}="","",' + _ladder("{score}", MARKET_CONCLUSIONS, "暂缓") + ")",
        None,
        "text",
        description="优先 (≥ 80), 可开发 (≥ 60), else 暂缓",
    ),
    Measure(
        "letter_points",
        ("letter",),
        f"{P}.credit_form:letter_points",
        _lookup("{letter}", LETTER_POINTS, '""'),
        None,
        "int",
        description="5C letter → points: A 10, B 8, C 6, D 4",
    ),
    Measure(
        "credit_score_5c",
        ("letters", "weights"),
        f"{P}.credit_form:credit_score_rows",
        "SUMPRODUCT({weights},"
        + "+".join(f'({{letters}}="{k}")*{v}' for k, v in LETTER_POINTS.items())
        + ")/10",
        None,
        "score",
        description="5C total = Σ weight × points / 10",
    ),
    Measure(
        "suggested_credit_limit",
        ("monthly_average", "credit_days", "grade"),
        f"{P}.receivables:suggested_credit_limit",
        "ROUND(N({monthly_average})*N({credit_days})/30*"
        + _lookup("{grade}", CREDIT_LIMIT_FACTORS, "0")
        + ",2)",
        None,
        "money",
        description="月均销售 × 信用期(月) × 系数 (AAA 1.5, AA 1.0, A 0.8, B 0.6, C 0)",
    ),
    Measure(
        "suggested_credit_days",
        ("grade",),
        f"{P}.credit_form:suggested_credit_days",
        _lookup("{grade}", CREDIT_TERMS, '""'),
        None,
        "int",
        description="suggested credit term: AAA 90, AA 60, A 45, B 30 days, C 0",
    ),
    Measure(
        "per_month",
        ("amount",),
        f"{P}.relationship:per_month",
        "N({amount})/12",
        None,
        "money",
        description="a year's amount / 12",
    ),
    Measure(
        "trade_years",
        ("first_date", "as_of"),
        f"{P}.relationship:trade_years",
        'IF({first_date}="","",IF({first_date}>{as_of},0,DATEDIF({first_date},{as_of},"y")))',
        None,
        "int",
        description="full years since the first trade",
    ),
    Measure(
        "satisfaction",
        ("average",),
        f"{P}.relationship:satisfaction",
        'IF({average}="","",{average}/5)',
        None,
        "percent",
        description="满意度 = average score / 5",
    ),
    Measure(
        "nps_category",
        ("score",),
        f"{P}.relationship:nps_category",
        'IF({score}="","",IF({score}>=9,"推荐者",IF({score}>=7,"被动者","贬损者")))',
        None,
        "text",
        description="推荐者 9–10, 被动者 7–8, 贬损者 0–6",
    ),
    Measure(
        "profit_target",
        ("sales_target", "margin", "unit"),
        f"{P}.promotion:profit_target",
        "ROUND(N({sales_target})*N({margin})/{unit},0)*{unit}",
        None,
        "money",
        description="sales target × gross margin, rounded to the unit",
    ),
    Measure(
        "monthly_visit_count",
        ("stores", "frequency"),
        f"{P}.promotion:monthly_visit_count",
        "N({stores})*" + _lookup("{frequency}", VISITS_BY_FREQUENCY, "0"),
        None,
        "number",
        description="visits a month: stores × 4 (每周), 2 (每两周), 1 (每月), 1/3 (每季)",
    ),
    Measure(
        "required_stock",
        ("stores", "monthly_sales", "months"),
        f"{P}.promotion:required_stock",
        "N({stores})*N({monthly_sales})*N({months})",
        None,
        "money",
        description="stores × monthly sales per store × months of cover",
    ),
]

_DEFS.extend(
    [
    Measure(
        "ageing_bucket",
        ("days",),
        f"{P}.receivables:ageing_bucket",
        _ageing_formula(),
        "SP_AGEING",
        "text",
        description="ageing bucket of the days overdue: 未到期, 1-30, …, >365",
    ),
    Measure(
        "invoice_bucket",
        ("days", "balance"),
        f"{P}.receivables:invoice_bucket",
        f'IF(N({{balance}})<=0,"{SETTLED}",' + _ageing_formula() + ")",
        None,
        "text",
        description="已结清 once nothing is open, else the ageing bucket",
    ),
    ]
)

MEASURES: dict[str, Measure] = {m.name: m for m in [*_DEFS, *_DEFS_CRM, *_DEFS_FORMS]}
if len(MEASURES) != len(_DEFS) + len(_DEFS_CRM) + len(_DEFS_FORMS):
    raise RuntimeError("two measures share a name: one number, one definition")


def get(name: str) -> Measure:
    """The measure called ``name``; a KeyError lists the known ones."""
    try:
        return MEASURES[name]
    except KeyError:
        raise KeyError(f"unknown measure {name!r}; known: {', '.join(sorted(MEASURES))}") from None
