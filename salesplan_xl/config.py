"""plan.toml -> PlanConfig: the validated settings of one year's kit.

Every key and its default is in ``salesplan_xl/templates/plan.toml`` (what ``salesplan init``
writes). Example::

    >>> cfg = plan_from_dict({"plan": {"year": 2026, "company": "示例公司"}})
    >>> cfg.year, cfg.as_of.isoformat(), cfg.targets.growth
    (2026, '2026-12-31', 0.15)

Problems are collected and raised together as :class:`InputError`, each naming the file
and the key (``[targets] growth``), what was expected and what was found.
"""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .data.normalise import has_control
from .errors import InputError, Problem
from .planning.ratings import FIVE_C_WEIGHTS, KEY_ACCOUNT_CRITERIA

SPLIT_METHODS = ("seasonality", "even", "quarterly_growth", "monthly_growth")
CADENCES = ("weekly", "biweekly", "monthly")
LANGUAGES = ("zh", "en")
FORMULA_MODES = ("native", "udf")

DEFAULT_CREDIT_5C = dict(FIVE_C_WEIGHTS)
DEFAULT_KEY_ACCOUNT = dict(KEY_ACCOUNT_CRITERIA)


@dataclass(frozen=True)
class Targets:
    growth: float = 0.15
    split_method: str = "seasonality"
    quarterly_growth: float = 0.05
    monthly_growth: float = 0.10
    new_customer_floor: float = 0.0
    departments: dict[str, float] = field(default_factory=dict)

    def growth_for(self, department: str | None) -> float:
        """The growth rate of a department: its override, else the company's."""
        return self.departments.get(department or "", self.growth)


@dataclass(frozen=True)
class Thresholds:
    completion_warning: float = 0.8
    credit_usage_warning: float = 0.8
    overdue_alert_days: int = 90


@dataclass(frozen=True)
class Visits:
    stores_per_rep: int = 30
    hours_per_visit: float = 1.5
    monthly_hours_norm: float = 80.0
    max_visits_per_day: int = 6
    cadence: dict[str, str] = field(
        default_factory=lambda: {"A": "weekly", "B": "biweekly", "C": "monthly"}
    )


@dataclass(frozen=True)
class Scoring:
    credit_5c: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_CREDIT_5C))
    key_account: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_KEY_ACCOUNT))


@dataclass(frozen=True)
class Output:
    language: str = "zh"
    formulas: str = "native"
    protect: bool = True
    password: str = ""


@dataclass(frozen=True)
class PlanConfig:
    year: int
    company: str
    as_of: dt.date
    rounding_unit: float = 100
    preparer: str = "销售运营部"
    history_years: int = 3
    targets: Targets = field(default_factory=Targets)
    thresholds: Thresholds = field(default_factory=Thresholds)
    visits: Visits = field(default_factory=Visits)
    scoring: Scoring = field(default_factory=Scoring)
    output: Output = field(default_factory=Output)
    source: str = "plan.toml"
    #: False when plan.toml has no as_of: the build then picks it from the data
    #: (:func:`salesplan_xl.kit.resolve_as_of`) and says so.
    as_of_given: bool = True
    #: Warnings about the plan (unknown keys ...), printed by check and build.
    notes: tuple[str, ...] = field(default=(), compare=False)
    #: The plan documents' words (content.yaml beside plan.toml); None: the defaults.
    content: dict | None = field(default=None, compare=False)

    @property
    def created(self) -> dt.datetime:
        """Document timestamp: fixed by the plan so equal inputs give equal bytes."""
        return dt.datetime(self.as_of.year, self.as_of.month, self.as_of.day)

    def replace(self, **changes: Any) -> PlanConfig:
        from dataclasses import replace

        return replace(self, **changes)


class _Reader:
    """Reads typed values out of the parsed TOML, collecting problems instead of raising."""

    def __init__(self, raw: dict, source: str):
        self.raw = raw
        self.source = source
        self.problems: list[Problem] = []

    def _bad(self, key: str, expected: str, found: Any) -> None:
        self.problems.append(Problem(self.source, key=key, expected=expected, found=repr(found)))

    def section(self, name: str) -> dict:
        value = self.raw.get(name, {})
        if not isinstance(value, dict):
            self._bad(f"[{name}]", "a table", value)
            return {}
        return value

    def get(self, sec: str, key: str, default: Any, kind: str, **limits: Any) -> Any:
        table = self.section(sec)
        if key not in table:
            return default
        value = table[key]
        label = f"[{sec}] {key}"
        checker = getattr(self, f"_check_{kind}")
        ok, value = checker(value, **limits)
        if not ok:
            self._bad(label, value, table[key])
            return default
        return value

    @staticmethod
    def _check_int(v, lo=None, hi=None):
        if isinstance(v, bool) or not isinstance(v, int):
            return False, "a whole number"
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            return False, f"a whole number from {lo} to {hi}"
        return True, v

    @staticmethod
    def _check_number(v, lo=None, hi=None):
        if isinstance(v, bool) or not isinstance(v, int | float):
            return False, "a number"
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            return False, f"a number from {lo} to {hi}"
        return True, float(v)

    @staticmethod
    def _check_text(v, choices=None, nonempty=False, max_len=200):
        if not isinstance(v, str):
            return False, "text"
        v = v.strip()
        if has_control(v):
            return False, "text without control characters"
        if len(v) > max_len:
            return False, f"text of at most {max_len} characters"
        if choices and v not in choices:
            return False, "one of " + ", ".join(choices)
        if nonempty and not v:
            return False, "non-empty text"
        return True, v

    @staticmethod
    def _check_bool(v):
        if not isinstance(v, bool):
            return False, "true or false"
        return True, v

    @staticmethod
    def _check_date(v):
        if isinstance(v, dt.datetime):
            return True, v.date()
        if isinstance(v, dt.date):
            return True, v
        if isinstance(v, str):
            try:
                return True, dt.date.fromisoformat(v.strip())
            except ValueError:
                pass
        return False, "a date like 2026-09-30"

    def weights(self, sec: str, key: str, default: dict) -> dict:
        table = self.section(sec).get(key, default)
        label = f"[{sec}] {key}"
        if not isinstance(table, dict) or not table:
            self._bad(label, "a table of name = weight", table)
            return dict(default)
        out = {}
        for name, w in table.items():
            if isinstance(w, bool) or not isinstance(w, int | float) or w < 0:
                self._bad(f"{label}.{name}", "a weight >= 0", w)
                continue
            out[str(name)] = float(w)
        if out and sum(out.values()) <= 0:
            self._bad(label, "weights adding up to more than 0", table)
        return out or dict(default)


#: Every key plan.toml may hold, by section (``None``: a table of free names).
KNOWN_KEYS: dict[str, tuple[str, ...]] = {
    "plan": ("year", "company", "as_of", "rounding_unit", "preparer", "history_years"),
    "targets": (
        "growth",
        "split_method",
        "quarterly_growth",
        "monthly_growth",
        "new_customer_floor",
        "departments",
    ),
    "thresholds": ("completion_warning", "credit_usage_warning", "overdue_alert_days"),
    "visits": (
        "stores_per_rep",
        "hours_per_visit",
        "monthly_hours_norm",
        "max_visits_per_day",
        "cadence",
    ),
    "scoring": ("credit_5c", "key_account"),
    "output": ("language", "formulas", "protect", "password"),
}


def _did_you_mean(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def unknown_keys(raw: dict, source: str = "plan.toml") -> list[str]:
    """Warnings for sections and keys plan.toml does not know (they are ignored).

    >>> unknown_keys({"threshold": {}, "targets": {"grwoth": 0.2}})
    ['plan.toml: unknown section [threshold] (did you mean [thresholds]?); it is ignored', 'plan.toml: unknown key [targets] grwoth (did you mean growth?); it is ignored']
    """
    out = []
    for sec, table in raw.items():
        if sec not in KNOWN_KEYS:
            hint = _did_you_mean(sec, KNOWN_KEYS)
            hint = hint.replace("mean ", "mean [").replace("?)", "]?)") if hint else ""
            out.append(f"{source}: unknown section [{sec}]{hint}; it is ignored")
            continue
        if not isinstance(table, dict):
            continue
        for key in table:
            if key not in KNOWN_KEYS[sec]:
                hint = _did_you_mean(key, KNOWN_KEYS[sec])
                out.append(f"{source}: unknown key [{sec}] {key}{hint}; it is ignored")
    return out


def plan_from_dict(raw: dict, source: str = "plan.toml") -> PlanConfig:
    """Validate a parsed plan.toml (a dict) and build the PlanConfig; raise InputError."""
    r = _Reader(raw, source)
    plan = r.section("plan")
    year = r.get("plan", "year", None, "int", lo=2000, hi=2100)
    company = r.get("plan", "company", None, "text", nonempty=True)
    if "year" not in plan:
        r.problems.append(
            Problem(source, key="[plan] year", expected="the plan year", found="nothing")
        )
    if "company" not in plan:
        r.problems.append(
            Problem(source, key="[plan] company", expected="the company name", found="nothing")
        )
    default_as_of = dt.date(year, 12, 31) if year else None
    as_of = r.get("plan", "as_of", default_as_of, "date")
    unit = r.get("plan", "rounding_unit", 100.0, "number", lo=0.01, hi=1_000_000)
    if unit is not None and round(unit * 100) != unit * 100:
        r._bad("[plan] rounding_unit", "a whole number of cents", unit)
    preparer = r.get("plan", "preparer", "销售运营部", "text")
    history_years = r.get("plan", "history_years", 3, "int", lo=1, hi=10)

    dept = r.section("targets").get("departments", {})
    overrides = {}
    if not isinstance(dept, dict):
        r._bad("[targets.departments]", "a table of department = growth", dept)
    else:
        for name, g in dept.items():
            if isinstance(g, bool) or not isinstance(g, int | float) or not -1 < g <= 10:
                r._bad(f"[targets.departments] {name}", "a growth rate such as 0.15", g)
            else:
                overrides[str(name)] = float(g)
    targets = Targets(
        growth=r.get("targets", "growth", 0.15, "number", lo=-0.99, hi=10),
        split_method=r.get("targets", "split_method", "seasonality", "text", choices=SPLIT_METHODS),
        quarterly_growth=r.get("targets", "quarterly_growth", 0.05, "number", lo=-0.5, hi=5),
        monthly_growth=r.get("targets", "monthly_growth", 0.10, "number", lo=-0.5, hi=5),
        new_customer_floor=r.get("targets", "new_customer_floor", 0.0, "number", lo=0, hi=1e12),
        departments=overrides,
    )
    thresholds = Thresholds(
        completion_warning=r.get("thresholds", "completion_warning", 0.8, "number", lo=0, hi=2),
        credit_usage_warning=r.get("thresholds", "credit_usage_warning", 0.8, "number", lo=0, hi=2),
        overdue_alert_days=r.get("thresholds", "overdue_alert_days", 90, "int", lo=1, hi=3650),
    )
    cadence_raw = r.section("visits").get("cadence", Visits().cadence)
    cadence = {}
    if not isinstance(cadence_raw, dict):
        r._bad("[visits] cadence", 'a table such as { A = "weekly" }', cadence_raw)
    else:
        for grade, c in cadence_raw.items():
            if c not in CADENCES:
                r._bad(f"[visits] cadence.{grade}", "one of " + ", ".join(CADENCES), c)
            else:
                cadence[str(grade)] = c
    visits = Visits(
        stores_per_rep=r.get("visits", "stores_per_rep", 30, "int", lo=1, hi=1000),
        hours_per_visit=r.get("visits", "hours_per_visit", 1.5, "number", lo=0.1, hi=24),
        monthly_hours_norm=r.get("visits", "monthly_hours_norm", 80.0, "number", lo=1, hi=400),
        max_visits_per_day=r.get("visits", "max_visits_per_day", 6, "int", lo=1, hi=50),
        cadence={**Visits().cadence, **cadence},
    )
    scoring = Scoring(
        credit_5c=r.weights("scoring", "credit_5c", DEFAULT_CREDIT_5C),
        key_account=r.weights("scoring", "key_account", DEFAULT_KEY_ACCOUNT),
    )
    output = Output(
        language=r.get("output", "language", "zh", "text", choices=LANGUAGES),
        formulas=r.get("output", "formulas", "native", "text", choices=FORMULA_MODES),
        protect=r.get("output", "protect", True, "bool"),
        password=r.get("output", "password", "", "text"),
    )
    if year and as_of and not (year - 1 <= as_of.year <= year + 1):
        r._bad("[plan] as_of", f"a date in or next to {year}", as_of.isoformat())
    if r.problems:
        raise InputError(r.problems)
    return PlanConfig(
        year=year,
        company=company,
        as_of=as_of,
        rounding_unit=unit,
        preparer=preparer,
        history_years=history_years,
        targets=targets,
        thresholds=thresholds,
        visits=visits,
        scoring=scoring,
        output=output,
        source=source,
        as_of_given="as_of" in plan,
        notes=tuple(unknown_keys(raw, source)),
    )


def load_plan(path: str | Path) -> PlanConfig:
    """Read and validate a plan.toml file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(
            Problem(str(path), expected="a plan.toml file", found="no such file")
        ) from None
    except UnicodeDecodeError as exc:
        raise InputError(Problem(str(path), expected="UTF-8 text", found=str(exc))) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(Problem(str(path), expected="valid TOML", found=str(exc))) from None
    from .content import content_beside

    plan = plan_from_dict(raw, source=str(path))
    return plan.replace(content=content_beside(path))


def default_plan_text() -> str:
    """The commented plan.toml that ``salesplan init`` writes."""
    return (Path(__file__).parent / "templates" / "plan.toml").read_text(encoding="utf-8")


def demo_plan(year: int = 2026, as_of: dt.date | None = None) -> PlanConfig:
    """The plan used by ``salesplan demo``."""
    raw = tomllib.loads(default_plan_text())
    raw["plan"]["year"] = year
    raw["plan"]["as_of"] = as_of or dt.date(year, 9, 30)
    return plan_from_dict(raw, source="demo")
