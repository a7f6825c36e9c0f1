"""Business-rule constants have one definition, in planning/: the measure formulas are
built from them, so a changed threshold changes the Python value and the formula alike."""

from __future__ import annotations

import importlib

import pytest

import salesplan_xl.measures as measures
from salesplan_xl.planning import credit_form, ratings, receivables


@pytest.fixture
def reload_measures():
    yield
    importlib.reload(measures)


@pytest.mark.parametrize(
    "module, constant, value, measure, expected",
    [
        (ratings, "CREDIT_GRADE_THRESHOLDS", ((95, "AAA"), (60, "B")), "credit_grade", ">=95,\"AAA\""),
        (ratings, "KEY_ACCOUNT_GRADE_THRESHOLDS", ((88, "A"),), "key_account_grade", ">=88,\"A\""),
        (ratings, "LETTER_POINTS", {"A": 12, "B": 7}, "letter_points", '="A",12'),
        (receivables, "CREDIT_LIMIT_FACTORS", {"AAA": 2.5}, "suggested_credit_limit", '="AAA",2.5'),
        (credit_form, "CREDIT_TERMS", {"AAA": 120}, "suggested_credit_days", '="AAA",120'),
        (receivables, "SETTLED", "结清", "invoice_bucket", '"结清"'),
    ],
)
def test_formula_follows_the_planning_constant(
    monkeypatch, reload_measures, module, constant, value, measure, expected
):
    assert expected not in measures.MEASURES[measure].formula
    monkeypatch.setattr(module, constant, value)
    importlib.reload(measures)
    assert expected in measures.MEASURES[measure].formula


def test_rule_formulas_hold_no_literal_thresholds():
    """The rule measures' formulas equal what the builders make of the constants."""
    m = measures.MEASURES
    assert measures._ladder("{score}", ratings.CREDIT_GRADE_THRESHOLDS, "C") in m["credit_grade"].formula
    assert measures._lookup("{grade}", credit_form.CREDIT_TERMS, '""') == m["suggested_credit_days"].formula
