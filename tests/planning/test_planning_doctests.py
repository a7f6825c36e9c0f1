"""Every worked example in the planning docstrings runs and holds."""

import doctest
import importlib

import pytest

MODULES = [
    "_numbers",
    "splits",
    "seasonality",
    "allocation",
    "workdays",
    "tracking",
    "receivables",
    "ratings",
    "visits",
    "rmb",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"salesplan_xl.planning.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no worked examples"
    assert result.failed == 0


def test_package_docstring_example():
    import salesplan_xl.planning as planning

    assert doctest.testmod(planning).failed == 0


def test_every_public_function_has_an_example():
    import inspect

    import salesplan_xl.planning as planning

    missing = [
        name
        for name in planning.__all__
        if inspect.isfunction(getattr(planning, name))
        and ">>>" not in (inspect.getdoc(getattr(planning, name)) or "")
    ]
    assert missing == []
