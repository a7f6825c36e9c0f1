"""The demo kit, recalculated by LibreOffice headless, equals its cached values."""

from __future__ import annotations

import pytest
from recalc import compare, values

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore::UserWarning")]


def test_every_formula_cell_recalculates_to_its_cached_value(demo_kit, demo_kit_recalculated):
    n, problems = compare(demo_kit, demo_kit_recalculated)
    assert n > 5000, "the demo kit should hold thousands of formula cells"
    assert problems == [], "\n".join(problems[:50])


def test_no_error_values_after_recalculation(demo_kit_recalculated):
    bad = [
        (sheet, r, c, v)
        for sheet, grid in values(demo_kit_recalculated).items()
        for r, row in enumerate(grid)
        for c, v in enumerate(row)
        if isinstance(v, str)
        and v.startswith(("#DIV", "#VALUE", "#NAME", "#REF", "#N/A", "#NUM", "Err:"))
    ]
    assert bad == []
