"""Every worked example in every module's docstrings runs and holds (what
``python -m pytest --doctest-modules salesplan_xl`` runs, inside the normal suite)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import salesplan_xl

MODULES = sorted(
    m.name for m in pkgutil.walk_packages(salesplan_xl.__path__, prefix="salesplan_xl.")
)


def test_every_module_is_found():
    assert "salesplan_xl.kit" in MODULES and "salesplan_xl.data.normalise" in MODULES
    assert len(MODULES) > 50


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed"


def test_the_examples_are_many():
    """--doctest-modules found 144 docstrings with examples before this test was written
    (152 with it); none may vanish unnoticed."""
    finder = doctest.DocTestFinder()
    total = sum(
        1 for n in MODULES for t in finder.find(importlib.import_module(n)) if t.examples
    )
    assert total >= 150, total
