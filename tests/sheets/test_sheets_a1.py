"""A1 references (salesplan_xl/sheets/a1.py): reading them back agrees with col_name."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesplan_xl.data.normalise import EXCEL_EPOCH, excel_date
from salesplan_xl.sheets.a1 import cell_ref, col_number, parse_cell, parse_range, range_ref
from salesplan_xl.sheets.context import excel_serial

rows = st.integers(1, 1_048_576)
cols = st.integers(1, 16_384)


@given(rows, cols)
def test_cell_references_round_trip(row, col):
    assert parse_cell(cell_ref(row, col)) == (row, col)


@given(rows, cols, rows, cols)
def test_ranges_are_normalised(r1, c1, r2, c2):
    ref = f"{cell_ref(r1, c1)}:{cell_ref(r2, c2)}"
    lo_r, lo_c, hi_r, hi_c = min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)
    assert parse_range(ref) == (lo_r, lo_c, hi_r, hi_c)
    assert parse_range(range_ref(lo_r, lo_c, hi_r, hi_c)) == (lo_r, lo_c, hi_r, hi_c)


def test_known_references():
    assert cell_ref(7, 2) == "B7" and cell_ref(1, 27) == "AA1" and cell_ref(3, 16_384) == "XFD3"
    assert col_number("xfd") == 16_384
    assert parse_cell(" $C$12 ") == (12, 3)
    assert range_ref(4, 2, 4, 2) == "B4" and parse_range("B4") == (4, 2, 4, 2)
    with pytest.raises(ValueError, match="not a cell reference"):
        parse_cell("B")


@given(st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31)))
def test_excel_serials_round_trip(day):
    assert excel_date(excel_serial(day)) == day
    assert excel_date(excel_serial(day) + 0.75) == day  # the time of day is dropped
    assert excel_date(0) == EXCEL_EPOCH and excel_date(45658) == dt.date(2025, 1, 1)
