"""A faster path through XlsxWriter's formula preparation, with identical output.

``Worksheet._prepare_formula`` runs some 30 regular-expression substitutions on every
formula to prefix Excel 365 functions with ``_xlfn.``; it is about a third of the time
of writing a large kit (DESIGN.md item 1). The kit's formulas use classic functions
and its own ``SP_*`` UDFs only. :func:`speed_up` gives a worksheet a wrapper that finds the function names with
one regular expression and, when every name is on the classic list below (none of which
XlsxWriter rewrites), returns what XlsxWriter would return; any other formula goes
through XlsxWriter's own code. ``tests/test_render_fast_formulas.py`` checks the two
agree on every formula of the demo kit and that the workbook bytes are the same.
"""

from __future__ import annotations

import re

CLASSIC_FUNCTIONS = frozenset(
    """ABS AND AVERAGE AVERAGEIF CHOOSE CODE COLUMN CONCATENATE COUNT COUNTA COUNTIF
    COUNTIFS DATE DATEDIF DAY EDATE EOMONTH FIND IF IFERROR INDEX INT ISBLANK ISERROR
    ISNUMBER ISTEXT LEFT LEN LOOKUP MATCH MAX MID MIN MOD MONTH N NOT OR RANK REPT RIGHT
    ROUND ROUNDDOWN ROUNDUP ROW ROWS SEARCH SUBSTITUTE SUBTOTAL SUM SUMIF SUMIFS SUMPRODUCT
    TEXT TRIM TRUNC VALUE VLOOKUP WEEKDAY WORKDAY YEAR""".split()
)

#: The kit's own worksheet functions (``udfs.py``, ``--formulas udf``): XlsxWriter
#: rewrites none of them (its dynamic-array names are matched at a word boundary, and
#: ``_`` is a word character), checked formula by formula in the tests.
UDF_PREFIX = "SP_"

_FUNCTION_NAME = re.compile(r"([A-Za-z_][A-Za-z0-9._]*)\(")


def _strip(formula: str) -> str:
    """What XlsxWriter strips first: array braces and the leading '='."""
    if formula.startswith("{"):
        formula = formula[1:]
    if formula.startswith("="):
        formula = formula[1:]
    if formula.endswith("}"):
        formula = formula[:-1]
    return formula


def classic_only(formula: str) -> bool:
    """True when every function the formula calls is on the classic list."""
    return all(
        name in CLASSIC_FUNCTIONS or name.startswith(UDF_PREFIX)
        for name in _FUNCTION_NAME.findall(formula)
    )


def speed_up(worksheet) -> None:
    """Give ``worksheet`` the fast path (only while future functions are off)."""
    original = worksheet._prepare_formula
    if getattr(original, "fast_path", False) or worksheet.use_future_functions:
        return

    def prepare(formula, expand_future_functions=False):
        if not expand_future_functions:
            body = _strip(formula)
            if classic_only(body):
                return body
        return original(formula, expand_future_functions)

    prepare.fast_path = True
    worksheet._prepare_formula = prepare
