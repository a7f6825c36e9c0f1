"""The planning functions behind the form measures: worked examples and edge cases."""

from __future__ import annotations

import doctest
import importlib

import pytest

from salesplan_xl import measures
from salesplan_xl.planning.credit_form import credit_score_rows
from salesplan_xl.planning.entertainment import entertainment_standard
from salesplan_xl.planning.ratings import credit_score_5c

MODULES = ["orders", "entertainment", "market", "credit_form", "relationship", "promotion"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"salesplan_xl.planning.{name}")
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_form_measures_resolve_and_fill_their_placeholders():
    for m in measures._DEFS_FORMS:
        assert callable(m.python), m.name
        refs = {p: f"A{i + 1}" for i, p in enumerate(m.params)}
        refs |= {f"{p}@all": refs[p] for p in m.params}
        text = m.excel(refs)
        assert "{" not in text, m.name


def test_entertainment_standards_by_grade():
    assert entertainment_standard("C", 2, 0) == 100
    assert entertainment_standard("C", 2, 1) == 150
    assert entertainment_standard("B", 1, 3) == 320
    assert entertainment_standard("A", 0, 0) == 300
    assert entertainment_standard("X", 3, 3) is None


def test_credit_rows_agree_with_the_5c_score():
    letters = ["A", "B", "C", "D", "A"]
    weights = [30, 25, 20, 15, 10]
    assert credit_score_rows(letters, weights) == credit_score_5c(letters)
    with pytest.raises(ValueError):
        credit_score_rows(["A"], [30, 70])
