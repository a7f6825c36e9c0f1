"""The planning engine: numbers in, numbers out (no Excel, no file I/O).

Every computed number of the kit is defined here once; the workbook caches these values
next to the native formulas, and the UDFs and ribbon actions call the same functions.
See docs/planning.md for the methods with worked examples.

    >>> from salesplan_xl.planning import split_total, rmb_upper
    >>> split_total(1000, [1, 1, 1], 100), rmb_upper(1409.5)
    ([400.0, 300.0, 300.0], '壹仟肆佰零玖元伍角')
"""

from .allocation import (
    AllocationResult,
    CustomerPlan,
    PlanRow,
    allocate_plan,
    customer_target,
    growth_plan,
)
from .ratings import (
    ABC_THRESHOLDS,
    CREDIT_GRADE_THRESHOLDS,
    FIVE_C_WEIGHTS,
    KEY_ACCOUNT_CRITERIA,
    KEY_ACCOUNT_GRADE_THRESHOLDS,
    LETTER_POINTS,
    VISITS_PER_MONTH,
    abc_classes,
    credit_grade,
    credit_score_5c,
    key_account_grade,
    key_account_score,
    manager_score,
    visit_requirement,
)
from .receivables import (
    AGEING_BUCKETS,
    AGEING_THRESHOLDS,
    CREDIT_ALERTS,
    CREDIT_LIMIT_FACTORS,
    age_days,
    ageing_bucket,
    collection_rate,
    credit_alert,
    credit_usage,
    dso,
    due_date,
    monthly_average_of_active_months,
    outstanding,
    overdue_days,
    suggested_credit_limit,
)
from .rmb import rmb_upper
from .seasonality import (
    annual_target,
    department_growth,
    has_history,
    monthly_shares,
    shares_with_fallback,
)
from .splits import growth_weights, split_cents, split_matrix, split_matrix_units, split_total
from .tracking import (
    STATUS_LABELS,
    completion_rate,
    completion_to_date,
    forecast,
    growth_rate,
    quarter_totals,
    share,
    status,
    ytd,
)
from .visits import (
    DEFAULT_CADENCE,
    Visit,
    monthly_hours,
    planned_visits,
    schedule_visits,
    visit_compliance,
)
from .workdays import calendar_covers, is_workday, next_workday, time_progress, workdays

__all__ = [
    # splits
    "split_total",
    "split_cents",
    "growth_weights",
    "split_matrix",
    "split_matrix_units",
    # seasonality
    "monthly_shares",
    "has_history",
    "shares_with_fallback",
    "annual_target",
    "department_growth",
    # allocation
    "PlanRow",
    "CustomerPlan",
    "AllocationResult",
    "allocate_plan",
    "growth_plan",
    "customer_target",
    # workdays
    "calendar_covers",
    "is_workday",
    "workdays",
    "time_progress",
    "next_workday",
    # tracking
    "STATUS_LABELS",
    "completion_rate",
    "completion_to_date",
    "growth_rate",
    "share",
    "ytd",
    "quarter_totals",
    "forecast",
    "status",
    # receivables
    "AGEING_BUCKETS",
    "AGEING_THRESHOLDS",
    "CREDIT_LIMIT_FACTORS",
    "CREDIT_ALERTS",
    "due_date",
    "overdue_days",
    "age_days",
    "ageing_bucket",
    "outstanding",
    "collection_rate",
    "dso",
    "credit_usage",
    "credit_alert",
    "monthly_average_of_active_months",
    "suggested_credit_limit",
    # ratings
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
    "abc_classes",
    "manager_score",
    "visit_requirement",
    # visits
    "Visit",
    "DEFAULT_CADENCE",
    "planned_visits",
    "schedule_visits",
    "visit_compliance",
    "monthly_hours",
    # RMB
    "rmb_upper",
]
